import type { Context, MiddlewareFn } from "grammy";
import type { BucketRule, StateStore } from "../state/index.js";
import type { Logger } from "./logger.js";
import { describeError } from "./logger.js";
import { TEXTS } from "./texts.js";

/** Options of the rate-limit middleware. */
export interface RateLimitOptions {
  /** Where the buckets live, so that every instance counts the same questions. */
  state: StateStore;
  /** Per-user bucket. */
  perUser: BucketRule;
  /** One bucket for all users together; undefined means none. */
  global: BucketRule | undefined;
  /** Users never limited (admins). */
  exempt: ReadonlySet<number>;
  /** Clock in epoch ms. */
  now: () => number;
  logger: Logger;
}

/** The refusal notice sent to one user, edited as more of their questions are refused. */
interface Notice {
  message: Promise<{ chatId: number; messageId: number } | undefined>;
  refused: number;
  sentMs: number;
}

/**
 * How long a notice is edited rather than a new one sent. Time, not "until a question is let
 * through", decides: the store answers concurrent questions out of order, so a flood's refusals
 * and its last allowed questions interleave.
 */
const NOTICE_REUSE_MS = 60_000;

/**
 * Token buckets per user (and one for everyone), kept in the state store. A bucket allows short
 * bursts (a question, then a follow-up) while capping the rate; it is written here rather than
 * taken from @grammyjs/ratelimiter (fixed windows only, in one process's memory).
 *
 * Only questions and commands count: taps on buttons (来源, 全文, pages, 👍/👎) pass. A refused
 * question is never dropped in silence: the first refusal sends a notice that says the question
 * was not answered and when to ask again, and each further one edits that notice to count the
 * unanswered questions, so a flood gets one message, not a flood of replies. Mount it after the
 * filter that keeps only updates addressed to the bot. Errors of the store are logged and let the
 * update through: a broken limiter must not silence the bot.
 */
export function rateLimitMiddleware(options: RateLimitOptions): MiddlewareFn<Context> {
  const notices = new Map<string, Notice>();
  return async (ctx, next) => {
    const userId = ctx.from?.id;
    if (userId === undefined || options.exempt.has(userId) || ctx.callbackQuery) return next();
    try {
      const now = options.now();
      const own = await options.state.takeToken(`user:${userId}`, options.perUser, now);
      if (!own.allowed) {
        await refuse(ctx, `user:${userId}`, notices, now, (n) =>
          TEXTS.rateLimited(own.retryAfterSeconds, n),
        );
        return;
      }
      if (options.global) {
        const shared = await options.state.takeToken("global", options.global, now);
        if (!shared.allowed) {
          await refuse(ctx, `busy:${userId}`, notices, now, () =>
            TEXTS.busy(shared.retryAfterSeconds),
          );
          return;
        }
      }
    } catch (error) {
      options.logger.error(
        { userId, error: describeError(error) },
        "rate limit check failed; the update is let through",
      );
    }
    return next();
  };
}

/** Tells the user their question was refused: a new notice, or an edit of the current one of this kind. */
async function refuse(
  ctx: Context,
  key: string,
  notices: Map<string, Notice>,
  nowMs: number,
  text: (refused: number) => string,
): Promise<void> {
  if (ctx.inlineQuery) {
    // An inline answer has no message to carry words; its button does.
    await ctx.answerInlineQuery([], {
      cache_time: 0,
      button: { text: truncateButton(text(1)), start_parameter: "limited" },
    });
    return;
  }
  const chatId = ctx.chat?.id;
  if (chatId === undefined) return;
  const current = notices.get(key);
  if (
    current &&
    nowMs - current.sentMs < NOTICE_REUSE_MS &&
    (await current.message)?.chatId === chatId
  ) {
    current.refused++;
    const sent = await current.message;
    if (sent) {
      await ctx.api
        .editMessageText(chatId, sent.messageId, text(current.refused))
        .catch(() => undefined);
      return;
    }
  }
  const notice: Notice = {
    refused: 1,
    sentMs: nowMs,
    message: ctx.reply(text(1)).then(
      (m) => ({ chatId, messageId: m.message_id }),
      () => undefined,
    ),
  };
  // Notices of floods long over are of no use; a bounded map needs no timer.
  if (notices.size >= 10_000) {
    for (const [id, n] of notices) if (nowMs - n.sentMs >= NOTICE_REUSE_MS) notices.delete(id);
  }
  notices.set(key, notice);
  await notice.message;
}

function truncateButton(text: string): string {
  return text.length <= 60 ? text : `${text.slice(0, 59)}…`;
}
