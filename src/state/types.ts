import type { ConversationTurn } from "../answer/llm/index.js";
import type { FeedbackEntry, FeedbackSummary } from "../bot/feedback-log.js";

/** What a button key stands for: an answer (来源/👍/👎/订阅), a list (pages, 全文), or uploads (/remove). */
export type ButtonKind = "answer" | "list" | "uploads";

/** The outcome of taking one token from a rate bucket. */
export type RateDecision =
  { allowed: true } | { allowed: false; retryAfterSeconds: number; firstRefusal: boolean };

/** A token bucket: `burst` at once, refilled at `perMinute`. */
export interface BucketRule {
  burst: number;
  perMinute: number;
}

/** Who sent which edition file, when, and what it added. */
export interface UploadRecord {
  id: number;
  /** The stored file name under the uploads folder. */
  file: string;
  userId: number;
  atMs: number;
  sha256: string;
  bytes: number;
  paper: string | null;
  date: string | null;
  articles: number;
  /** The first headlines it added. */
  headlines: string[];
  /** When it was removed with /remove; null while it is served. */
  removedMs: number | null;
}

/** A chat's standing interest in a topic. */
export interface Subscription {
  id: number;
  chatId: number;
  userId: number;
  topic: string;
  createdMs: number;
}

/** A chat's daily digest: local time "HH:MM" in an IANA time zone. */
export interface DigestSetting {
  chatId: number;
  userId: number;
  time: string;
  timeZone: string;
  /** The local date (YYYY-MM-DD) of the last digest sent, or null. */
  lastDate: string | null;
}

/** What /forget deleted, counted. */
export interface ForgetReport {
  memoryTurns: number;
  feedback: number;
  subscriptions: number;
  digests: number;
  buttons: number;
  deliveries: number;
}

/** How long things are kept; the same figures /help tells the users. */
export interface Retention {
  /** Answers and lists behind buttons. */
  buttonMs: number;
  /** Follow-up memory: turns per chat and their age. */
  memoryTurns: number;
  memoryMs: number;
  /** Records of what was sent to whom. */
  deliveryMs: number;
}

/**
 * Everything the bot remembers: one interface, with an embedded SQLite store (the default) and a
 * PostgreSQL one (DATABASE_URL) that several instances share. Every method may throw the driver's
 * error when the database fails; none of them loses data that was stored before.
 */
export interface StateStore {
  /** "sqlite" or "postgres". */
  readonly kind: "sqlite" | "postgres";
  readonly retention: Retention;

  /** Stores what a button stands for, bound to one chat; returns an unguessable key. */
  putButton(chatId: number, kind: ButtonKind, payload: unknown): Promise<string>;
  /** The payload behind `key` when it was made for this chat and kind and has not expired. */
  getButton(key: string, chatId: number, kind: ButtonKind): Promise<unknown>;

  /** Files a vote; false when this user already voted on this answer. */
  addFeedback(entry: Omit<FeedbackEntry, "v">, answerKey: string | null): Promise<boolean>;
  /** Counts of 👍/👎 and the `recent` newest 👎 entries. */
  feedbackSummary(recent: number): Promise<FeedbackSummary>;

  /** The chat's live turns for follow-ups, oldest first. */
  history(chatId: number, nowMs: number): Promise<ConversationTurn[]>;
  /** Appends a turn, keeping the chat's newest `retention.memoryTurns`. */
  remember(
    chatId: number,
    turn: { question: string; answer?: string; articleIds?: string[] },
    nowMs: number,
  ): Promise<void>;

  /** Takes one token from the bucket `key`; says how long to wait when none is left. */
  takeToken(key: string, rule: BucketRule, nowMs: number): Promise<RateDecision>;

  /** Records an upload. */
  recordUpload(record: Omit<UploadRecord, "id" | "removedMs">): Promise<void>;
  /** Upload records, newest first (removed ones included only when asked). */
  listUploadRecords(options: { includeRemoved: boolean }): Promise<UploadRecord[]>;
  /** Marks the served records of `file` removed. */
  markUploadRemoved(file: string, nowMs: number): Promise<void>;

  /** Subscribes a chat to a topic; `created` is false when it already was. */
  subscribe(
    chatId: number,
    userId: number,
    topic: string,
    nowMs: number,
  ): Promise<{ created: boolean; subscription: Subscription }>;
  /** Cancels one of the chat's subscriptions, by id or topic; the cancelled one, if any. */
  unsubscribe(
    chatId: number,
    which: { id: number } | { topic: string },
  ): Promise<Subscription | undefined>;
  /** The chat's subscriptions (every chat's when chatId is undefined), oldest first. */
  listSubscriptions(chatId: number | undefined): Promise<Subscription[]>;

  /** Sets (or replaces) the chat's daily digest; `lastDate` is the last local date it counts as sent. */
  setDigest(setting: DigestSetting): Promise<void>;
  /** Stops the chat's daily digest; false when there was none. */
  clearDigest(chatId: number): Promise<boolean>;
  /** The chat's digest setting, or every chat's. */
  listDigests(chatId: number | undefined): Promise<DigestSetting[]>;
  /** Claims today's digest of a chat: true for the one caller (of all instances) that sends it. */
  claimDigest(chatId: number, localDate: string): Promise<boolean>;

  /** Claims sending `item` to a chat: true once per chat and item, across instances. */
  claimDelivery(chatId: number, item: string, nowMs: number): Promise<boolean>;
  /** Gives a claim back after sending failed, so a later run may try again. */
  releaseDelivery(chatId: number, item: string): Promise<void>;

  /** Drops subscriptions and digest of a chat that blocked the bot; the number dropped. */
  dropChat(chatId: number): Promise<number>;
  /** Deletes everything stored about a user (and their private chat), counted. */
  forgetUser(userId: number): Promise<ForgetReport>;
  /** Deletes what has expired. */
  prune(nowMs: number): Promise<void>;
  /** Closes the database. */
  close(): Promise<void>;
}
