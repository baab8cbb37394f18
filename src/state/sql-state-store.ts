import { randomBytes } from "node:crypto";
import type { ConversationTurn } from "../answer/llm/index.js";
import type { FeedbackEntry, FeedbackSummary } from "../bot/feedback-log.js";
import { FEEDBACK_FORMAT_VERSION } from "../bot/feedback-log.js";
import type { SqlDriver } from "./sql.js";
import type {
  BucketRule,
  ButtonKind,
  DigestSetting,
  ForgetReport,
  RateDecision,
  Retention,
  StateStore,
  Subscription,
  UploadRecord,
} from "./types.js";

/** Retention unless told otherwise: buttons 30 days, 3 turns of 30 minutes, deliveries 90 days. */
export const DEFAULT_RETENTION: Retention = {
  buttonMs: 30 * 24 * 3_600_000,
  memoryTurns: 3,
  memoryMs: 30 * 60_000,
  deliveryMs: 90 * 24 * 3_600_000,
};

/** Characters of an answer kept for follow-ups. */
const MAX_MEMORY_ANSWER_CHARS = 300;
/** Cited articles kept per turn at most: a follow-up leans on the first few. */
const MAX_MEMORY_ARTICLES = 10;
/** A rate bucket unused this long is full again, so its row can go. */
const BUCKET_IDLE_MS = 24 * 3_600_000;

/**
 * A button key: 96 random bits in base64url (16 characters), so keys cannot be guessed or
 * repeated, and `src:<key>:<n>` stays far below Telegram's 64-byte callback-data limit.
 */
export function newButtonKey(): string {
  return randomBytes(12).toString("base64url");
}

/** The pattern of a button key, for callback-data regexes. */
export const BUTTON_KEY_PATTERN = "[A-Za-z0-9_-]{16}";

interface FeedbackRow {
  at: string;
  user_id: number;
  chat_id: number;
  chat_type: string;
  verdict: string;
  question: string;
  abstained: number;
  citations: string;
}

interface UploadRow {
  id: number;
  file: string;
  user_id: number;
  at_ms: number;
  sha256: string;
  bytes: number;
  paper: string | null;
  date: string | null;
  articles: number;
  headlines: string;
  removed_ms: number | null;
}

interface SubscriptionRow {
  id: number;
  chat_id: number;
  user_id: number;
  topic: string;
  created_ms: number;
}

const toSubscription = (r: SubscriptionRow): Subscription => ({
  id: Number(r.id),
  chatId: Number(r.chat_id),
  userId: Number(r.user_id),
  topic: r.topic,
  createdMs: Number(r.created_ms),
});

const toFeedback = (r: FeedbackRow): FeedbackEntry => ({
  v: FEEDBACK_FORMAT_VERSION,
  at: r.at,
  userId: Number(r.user_id),
  chatId: Number(r.chat_id),
  chatType: r.chat_type,
  verdict: r.verdict === "up" ? "up" : "down",
  question: r.question,
  abstained: Number(r.abstained) === 1,
  citations: JSON.parse(r.citations) as FeedbackEntry["citations"],
});

/** The state store over SQL: the same statements serve SQLite and PostgreSQL. */
export function createSqlStateStore(
  db: SqlDriver,
  retention: Retention = DEFAULT_RETENTION,
): StateStore {
  const [least, greatest] = db.dialect === "postgres" ? ["LEAST", "GREATEST"] : ["MIN", "MAX"];
  return {
    kind: db.dialect,
    retention,

    async putButton(chatId: number, kind: ButtonKind, payload: unknown) {
      const key = newButtonKey();
      const now = Date.now();
      await db.run(
        `INSERT INTO state_buttons (key, chat_id, kind, payload, created_ms, expires_ms) VALUES (?, ?, ?, ?, ?, ?)`,
        [key, chatId, kind, JSON.stringify(payload), now, now + retention.buttonMs],
      );
      return key;
    },

    async getButton(key, chatId, kind) {
      const rows = await db.all<{ payload: string }>(
        `SELECT payload FROM state_buttons WHERE key = ? AND chat_id = ? AND kind = ? AND expires_ms > ?`,
        [key, chatId, kind, Date.now()],
      );
      const row = rows[0];
      return row === undefined ? undefined : (JSON.parse(row.payload) as unknown);
    },

    async addFeedback(entry, answerKey) {
      const changed = await db.run(
        `INSERT INTO state_feedback (at, user_id, chat_id, chat_type, verdict, question, abstained, citations, answer_key)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
        [
          entry.at,
          entry.userId,
          entry.chatId,
          entry.chatType,
          entry.verdict,
          entry.question,
          entry.abstained ? 1 : 0,
          JSON.stringify(entry.citations),
          answerKey,
        ],
      );
      return changed === 1;
    },

    async feedbackSummary(recent): Promise<FeedbackSummary> {
      const counts = await db.all<{ verdict: string; n: number }>(
        `SELECT verdict, COUNT(*) AS n FROM state_feedback GROUP BY verdict`,
      );
      const count = (v: string): number => Number(counts.find((c) => c.verdict === v)?.n ?? 0);
      const rows =
        recent > 0
          ? await db.all<FeedbackRow>(
              `SELECT * FROM state_feedback WHERE verdict = 'down' ORDER BY id DESC LIMIT ?`,
              [recent],
            )
          : [];
      return {
        up: count("up"),
        down: count("down"),
        unreadable: 0,
        recentDown: rows.map(toFeedback),
      };
    },

    async history(chatId, nowMs) {
      const rows = await db.all<{
        question: string;
        answer: string | null;
        article_ids: string | null;
        at_ms: number;
      }>(
        `SELECT question, answer, article_ids, at_ms FROM state_memory WHERE chat_id = ? AND at_ms > ? ORDER BY id DESC LIMIT ?`,
        [chatId, nowMs - retention.memoryMs, retention.memoryTurns],
      );
      return rows.reverse().map((r) => {
        const turn: ConversationTurn = { question: r.question, atMs: Number(r.at_ms) };
        if (r.answer !== null) turn.answer = r.answer;
        if (r.article_ids !== null) turn.articleIds = JSON.parse(r.article_ids) as string[];
        return turn;
      });
    },

    async remember(chatId, turn, nowMs) {
      const answer =
        turn.answer === undefined
          ? null
          : Array.from(turn.answer).slice(0, MAX_MEMORY_ANSWER_CHARS).join("");
      const articleIds =
        turn.articleIds === undefined || turn.articleIds.length === 0
          ? null
          : JSON.stringify(turn.articleIds.slice(0, MAX_MEMORY_ARTICLES));
      await db.run(
        `INSERT INTO state_memory (chat_id, question, answer, article_ids, at_ms) VALUES (?, ?, ?, ?, ?)`,
        [chatId, turn.question, answer, articleIds, nowMs],
      );
      // Older turns than the newest few, and expired ones, are never read again.
      await db.run(
        `DELETE FROM state_memory WHERE chat_id = ? AND (at_ms <= ? OR id NOT IN
           (SELECT id FROM state_memory WHERE chat_id = ? ORDER BY id DESC LIMIT ?))`,
        [chatId, nowMs - retention.memoryMs, chatId, retention.memoryTurns],
      );
    },

    async takeToken(key: string, rule: BucketRule, nowMs: number): Promise<RateDecision> {
      const perMs = rule.perMinute / 60_000;
      // One statement, so one round trip and a row lock held only for it: the global bucket is
      // one row that every question of every instance updates. `warned` counts the refusals
      // since the last question let through (0: this one was let through).
      // Casts, because PostgreSQL would take the rate for a BIGINT like the column beside it.
      const refill = `${least}(CAST(? AS DOUBLE PRECISION), state_rate_buckets.tokens + ${greatest}(0, ? - state_rate_buckets.updated_ms) * CAST(? AS DOUBLE PRECISION))`;
      const refillParams = [rule.burst, nowMs, perMs];
      const rows = await db.all<{ tokens: number; warned: number }>(
        `INSERT INTO state_rate_buckets (key, tokens, updated_ms, warned) VALUES (?, ?, ?, 0)
         ON CONFLICT (key) DO UPDATE SET
           tokens = CASE WHEN ${refill} >= 1 THEN ${refill} - 1 ELSE ${refill} END,
           warned = CASE WHEN ${refill} >= 1 THEN 0 ELSE state_rate_buckets.warned + 1 END,
           updated_ms = ${greatest}(state_rate_buckets.updated_ms, ?)
         RETURNING tokens, warned`,
        [
          key,
          rule.burst - 1,
          nowMs,
          // `refill` appears four times above.
          ...refillParams,
          ...refillParams,
          ...refillParams,
          ...refillParams,
          nowMs,
        ],
      );
      const row = rows[0];
      const warned = Number(row?.warned ?? 0);
      if (warned === 0) return { allowed: true };
      const tokens = Number(row?.tokens ?? 0);
      return {
        allowed: false,
        retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / perMs / 1000)),
        firstRefusal: warned === 1,
      };
    },

    async recordUpload(record) {
      await db.run(
        `INSERT INTO state_uploads (file, user_id, at_ms, sha256, bytes, paper, date, articles, headlines)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          record.file,
          record.userId,
          record.atMs,
          record.sha256,
          record.bytes,
          record.paper,
          record.date,
          record.articles,
          JSON.stringify(record.headlines),
        ],
      );
    },

    async listUploadRecords({ includeRemoved }) {
      const rows = await db.all<UploadRow>(
        `SELECT * FROM state_uploads${includeRemoved ? "" : " WHERE removed_ms IS NULL"} ORDER BY id DESC`,
      );
      return rows.map((r): UploadRecord => ({
        id: Number(r.id),
        file: r.file,
        userId: Number(r.user_id),
        atMs: Number(r.at_ms),
        sha256: r.sha256,
        bytes: Number(r.bytes),
        paper: r.paper,
        date: r.date,
        articles: Number(r.articles),
        headlines: JSON.parse(r.headlines) as string[],
        removedMs: r.removed_ms === null ? null : Number(r.removed_ms),
      }));
    },

    async markUploadRemoved(file, nowMs) {
      await db.run(
        `UPDATE state_uploads SET removed_ms = ? WHERE file = ? AND removed_ms IS NULL`,
        [nowMs, file],
      );
    },

    async subscribe(chatId, userId, topic, nowMs) {
      const created =
        (await db.run(
          `INSERT INTO state_subscriptions (chat_id, user_id, topic, created_ms) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`,
          [chatId, userId, topic, nowMs],
        )) === 1;
      const rows = await db.all<SubscriptionRow>(
        `SELECT * FROM state_subscriptions WHERE chat_id = ? AND topic = ?`,
        [chatId, topic],
      );
      const row = rows[0];
      if (row === undefined)
        throw new Error(`Subscription of chat ${chatId} vanished while it was made`);
      return { created, subscription: toSubscription(row) };
    },

    async unsubscribe(chatId, which) {
      const [column, value] = "id" in which ? ["id", which.id] : ["topic", which.topic];
      const rows = await db.all<SubscriptionRow>(
        `DELETE FROM state_subscriptions WHERE chat_id = ? AND ${column} = ? RETURNING *`,
        [chatId, value],
      );
      return rows[0] === undefined ? undefined : toSubscription(rows[0]);
    },

    async listSubscriptions(chatId) {
      const rows =
        chatId === undefined
          ? await db.all<SubscriptionRow>(`SELECT * FROM state_subscriptions ORDER BY id`)
          : await db.all<SubscriptionRow>(
              `SELECT * FROM state_subscriptions WHERE chat_id = ? ORDER BY id`,
              [chatId],
            );
      return rows.map(toSubscription);
    },

    async setDigest(setting) {
      await db.run(
        `INSERT INTO state_digests (chat_id, user_id, time, time_zone, last_date) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (chat_id) DO UPDATE SET user_id = excluded.user_id, time = excluded.time,
           time_zone = excluded.time_zone, last_date = excluded.last_date`,
        [setting.chatId, setting.userId, setting.time, setting.timeZone, setting.lastDate],
      );
    },

    async clearDigest(chatId) {
      return (await db.run(`DELETE FROM state_digests WHERE chat_id = ?`, [chatId])) > 0;
    },

    async listDigests(chatId) {
      const rows = await db.all<{
        chat_id: number;
        user_id: number;
        time: string;
        time_zone: string;
        last_date: string | null;
      }>(
        chatId === undefined
          ? `SELECT * FROM state_digests ORDER BY chat_id`
          : `SELECT * FROM state_digests WHERE chat_id = ?`,
        chatId === undefined ? [] : [chatId],
      );
      return rows.map((r): DigestSetting => ({
        chatId: Number(r.chat_id),
        userId: Number(r.user_id),
        time: r.time,
        timeZone: r.time_zone,
        lastDate: r.last_date,
      }));
    },

    async claimDigest(chatId, localDate) {
      const changed = await db.run(
        `UPDATE state_digests SET last_date = ? WHERE chat_id = ? AND (last_date IS NULL OR last_date < ?)`,
        [localDate, chatId, localDate],
      );
      return changed === 1;
    },

    async claimDelivery(chatId, item, nowMs) {
      const changed = await db.run(
        `INSERT INTO state_deliveries (chat_id, item, sent_ms) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
        [chatId, item, nowMs],
      );
      return changed === 1;
    },

    async releaseDelivery(chatId, item) {
      await db.run(`DELETE FROM state_deliveries WHERE chat_id = ? AND item = ?`, [chatId, item]);
    },

    async dropChat(chatId) {
      return db.transaction(async (tx) => {
        const subscriptions = await tx.run(`DELETE FROM state_subscriptions WHERE chat_id = ?`, [
          chatId,
        ]);
        const digests = await tx.run(`DELETE FROM state_digests WHERE chat_id = ?`, [chatId]);
        return subscriptions + digests;
      });
    },

    forgetUser(userId) {
      // A private chat's id is the user's id: what was kept for that chat is the user's too.
      return db.transaction(async (tx): Promise<ForgetReport> => {
        const report: ForgetReport = {
          memoryTurns: await tx.run(`DELETE FROM state_memory WHERE chat_id = ?`, [userId]),
          feedback: await tx.run(`DELETE FROM state_feedback WHERE user_id = ?`, [userId]),
          subscriptions: await tx.run(
            `DELETE FROM state_subscriptions WHERE user_id = ? OR chat_id = ?`,
            [userId, userId],
          ),
          digests: await tx.run(`DELETE FROM state_digests WHERE user_id = ? OR chat_id = ?`, [
            userId,
            userId,
          ]),
          buttons: await tx.run(`DELETE FROM state_buttons WHERE chat_id = ?`, [userId]),
          deliveries: await tx.run(`DELETE FROM state_deliveries WHERE chat_id = ?`, [userId]),
        };
        await tx.run(`DELETE FROM state_rate_buckets WHERE key = ?`, [`user:${userId}`]);
        return report;
      });
    },

    async prune(nowMs) {
      await db.run(`DELETE FROM state_buttons WHERE expires_ms <= ?`, [nowMs]);
      await db.run(`DELETE FROM state_memory WHERE at_ms <= ?`, [nowMs - retention.memoryMs]);
      await db.run(`DELETE FROM state_deliveries WHERE sent_ms <= ?`, [
        nowMs - retention.deliveryMs,
      ]);
      await db.run(`DELETE FROM state_rate_buckets WHERE updated_ms <= ?`, [
        nowMs - BUCKET_IDLE_MS,
      ]);
    },

    close: () => db.close(),
  };
}
