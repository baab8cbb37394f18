import type { ConversationTurn } from "../answer/llm/index.js";
import type { Engine } from "../engine.js";
import type { StateStore } from "../state/index.js";
import type { Citation } from "../types.js";
import type { IndexJobQueue } from "./index-jobs.js";
import type { Logger } from "./logger.js";

/** Settings of the bot, resolved from AppConfig by run.ts (or given directly by tests). */
export interface BotSettings {
  /** Telegram user ids allowed to use the admin tools. */
  adminUserIds: readonly number[];
  /** Sample (bundled) editions: indexed, never removable. */
  editionsDir: string;
  /** Uploaded editions: `<dataDir>/uploads`. */
  uploadsDir: string;
  /** Largest edition file accepted, in bytes (Telegram's getFile itself stops at 20 MB). */
  maxUploadBytes: number;
  /** Longest question accepted, in characters. */
  maxQuestionChars: number;
  /**
   * Per-user token bucket, and optionally one for all users together (`globalPerMinute`; a tenth
   * of it may come at once), which protects the machine from many users at once.
   */
  rateLimit: { burst: number; perMinute: number; globalPerMinute?: number };
  /** Bot API root for file downloads, e.g. "https://api.telegram.org". */
  apiRoot: string;
  /** Hosts ("host" or "host:port", lower case) admins may send edition links from. */
  editionSources: readonly string[];
  /** How long fetching an edition link may take, in milliseconds. */
  editionFetchTimeoutMs: number;
  /** Time zone of digests unless a chat names its own, and of times shown to admins. */
  timeZone: string;
}

/** Counters since start, for /stats. */
export interface BotStats {
  startedAt: Date;
  questions: number;
  abstained: number;
}

/** Everything the bot's features need; nothing here reads process.env. */
export interface BotDeps {
  engine: Engine;
  logger: Logger;
  settings: BotSettings;
  indexJobs: IndexJobQueue;
  /** What the bot remembers: buttons, feedback, memory, uploads, subscriptions, digests. */
  state: StateStore;
  stats: BotStats;
  /** The clock (digests, memory, rate limits); tests inject their own. */
  now: () => Date;
  /**
   * The rewrite that turns a follow-up ("那平湖呢?") into a standalone question, given the chat's
   * last turns (kept in `state`). Absent: every question stands alone.
   */
  followUps?: FollowUps;
}

/** How follow-up questions are resolved against the chat's last turns. */
export interface FollowUps {
  rewrite: (question: string, history: readonly ConversationTurn[]) => Promise<string>;
}

/** An answer kept for its buttons ("来源 n", 👍/👎, 订阅), as stored in the state. */
export interface AnsweredQuestion {
  question: string;
  /** The subject a "订阅" button under this answer subscribes to. */
  topic: string;
  abstained: boolean;
  citations: Citation[];
}

/** Creates zeroed counters. */
export function createBotStats(): BotStats {
  return { startedAt: new Date(), questions: 0, abstained: 0 };
}
