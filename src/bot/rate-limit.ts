import type { Context, MiddlewareFn } from "grammy";
import { LruMap } from "../lru.js";

/** Options of the per-user token bucket. */
export interface RateLimitOptions {
  /** Requests a user may make in a burst. */
  burst: number;
  /** Tokens added per minute (the sustained rate). */
  perMinute: number;
  /** Users tracked at most; the least recently seen are forgotten. Defaults to 10,000. */
  maxUsers?: number;
  /** Clock, for tests. Defaults to Date.now. */
  now?: () => number;
}

interface Bucket {
  tokens: number;
  updatedMs: number;
  /** Whether the user was told about the limit since the bucket last ran dry. */
  warned: boolean;
}

/** The outcome of one `take`. */
export type RateDecision =
  { allowed: true } | { allowed: false; retryAfterSeconds: number; firstRefusal: boolean };

/**
 * A token bucket per user: `burst` requests at once, refilled at `perMinute`. Written here rather
 * than taken from @grammyjs/ratelimiter (last released December 2024, fixed windows only) because
 * a bucket allows short bursts (a question, then "来源 1", "来源 2") while capping the rate.
 */
export class RateLimiter {
  readonly #buckets: LruMap<number, Bucket>;
  readonly #burst: number;
  readonly #perMs: number;
  readonly #now: () => number;

  /** Throws when burst or perMinute is not positive. */
  constructor(options: RateLimitOptions) {
    if (!(options.burst >= 1) || !(options.perMinute > 0)) {
      throw new Error("RateLimiter: burst must be >= 1 and perMinute > 0");
    }
    this.#buckets = new LruMap(options.maxUsers ?? 10_000);
    this.#burst = options.burst;
    this.#perMs = options.perMinute / 60_000;
    this.#now = options.now ?? Date.now;
  }

  /** Takes one token for `userId`; says how long to wait when none is left. */
  take(userId: number): RateDecision {
    const now = this.#now();
    const bucket = this.#buckets.get(userId) ?? {
      tokens: this.#burst,
      updatedMs: now,
      warned: false,
    };
    bucket.tokens = Math.min(this.#burst, bucket.tokens + (now - bucket.updatedMs) * this.#perMs);
    bucket.updatedMs = now;
    this.#buckets.set(userId, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      bucket.warned = false;
      return { allowed: true };
    }
    const firstRefusal = !bucket.warned;
    bucket.warned = true;
    return {
      allowed: false,
      retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.#perMs / 1000)),
      firstRefusal,
    };
  }
}

/** The key of the one bucket a global RateLimiter keeps. */
const GLOBAL_KEY = 0;

/**
 * Middleware that drops updates from users over their rate, then, when `global` is given, updates
 * over the rate of all users together. Mount it after the filter that keeps only updates addressed
 * to the bot, so group chatter does not use up anyone's tokens. The per-user bucket is taken first,
 * so a flooding user is stopped there and never drains the global bucket beyond their own rate.
 * The first refusal gets a short reply (or an inline-query/callback answer); later ones are dropped
 * silently so that a flood does not become a flood of replies. Users in `exempt` (admins) are never
 * limited.
 */
export function rateLimitMiddleware(
  limiter: RateLimiter,
  exempt: ReadonlySet<number>,
  global?: RateLimiter,
): MiddlewareFn<Context> {
  // Users told that the bot is busy since the global bucket last had tokens.
  const toldBusy = new Set<number>();
  return async (ctx, next) => {
    const userId = ctx.from?.id;
    if (userId === undefined || exempt.has(userId)) return next();
    const decision = limiter.take(userId);
    if (!decision.allowed) {
      if (decision.firstRefusal) {
        await refuse(ctx, `提问太频繁了,请 ${decision.retryAfterSeconds} 秒后再试。`);
      }
      return;
    }
    if (global) {
      const shared = global.take(GLOBAL_KEY);
      if (!shared.allowed) {
        if (!toldBusy.has(userId)) {
          toldBusy.add(userId);
          await refuse(ctx, `现在提问的人太多了,请 ${shared.retryAfterSeconds} 秒后再试。`);
        }
        return;
      }
      toldBusy.clear();
    }
    return next();
  };
}

async function refuse(ctx: Context, text: string): Promise<void> {
  if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text });
  else if (ctx.inlineQuery) await ctx.answerInlineQuery([], { cache_time: 0 });
  else if (ctx.chat) await ctx.reply(text);
}
