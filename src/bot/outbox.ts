import { GrammyError } from "grammy";
import type { Api } from "grammy";
import type { InlineKeyboardMarkup } from "grammy/types";
import type { StateStore } from "../state/index.js";
import type { Logger } from "./logger.js";
import { describeError } from "./logger.js";
import { splitHtml } from "./render/split.js";

/** Options of the outbox. */
export interface OutboxOptions {
  /** The bot's API, with auto-retry installed (it waits out 429 retry_after). */
  api: Api;
  state: StateStore;
  logger: Logger;
  /** Messages per second to all chats together. Defaults to 25 (Telegram allows about 30). */
  perSecond?: number;
  /** Least time between two messages to one chat, in ms. Defaults to 1,000 (Telegram's limit). */
  perChatIntervalMs?: number;
}

/** How one message fared: sent, the chat blocked the bot (and was dropped), or failed. */
export type OutboxResult = "sent" | "blocked" | "failed";

/**
 * Sends what the bot says unasked (alerts, digests, channel posts) within Telegram's limits:
 * messages are spaced to `perSecond` in all and one a second per chat; a 429 is waited out by the
 * API's auto-retry; a chat that blocked the bot (403) loses its subscriptions and digest. The
 * spacing is written here rather than taken from a throttler plugin because it is two
 * timestamps, and it must not hold back the replies to questions, which go out directly.
 */
export class Outbox {
  readonly #options: Required<Omit<OutboxOptions, "api" | "state" | "logger">> & OutboxOptions;
  #nextGlobalMs = 0;
  readonly #nextByChat = new Map<string, number>();

  constructor(options: OutboxOptions) {
    this.#options = { perSecond: 25, perChatIntervalMs: 1_000, ...options };
  }

  /** Waits for this chat's next slot and the global one, and reserves both. */
  async #slot(chatId: number | string): Promise<void> {
    const key = String(chatId);
    const now = Date.now();
    const at = Math.max(now, this.#nextGlobalMs, this.#nextByChat.get(key) ?? 0);
    this.#nextGlobalMs = at + 1_000 / this.#options.perSecond;
    this.#nextByChat.set(key, at + this.#options.perChatIntervalMs);
    // Forget chats whose slot has passed, so the map stays as small as the current burst.
    if (this.#nextByChat.size > 1_000) {
      for (const [k, t] of this.#nextByChat) if (t < now) this.#nextByChat.delete(k);
    }
    if (at > now) await new Promise((resolve) => setTimeout(resolve, at - now));
  }

  /**
   * Sends Telegram HTML to a chat (split into parts when long; the keyboard goes under the last).
   * Never throws: a failure is logged and reported.
   */
  async send(
    chatId: number | string,
    html: string,
    keyboard?: InlineKeyboardMarkup,
  ): Promise<OutboxResult> {
    const parts = splitHtml(html);
    try {
      for (const [i, part] of parts.entries()) {
        await this.#slot(chatId);
        await this.#options.api.sendMessage(chatId, part, {
          parse_mode: "HTML",
          link_preview_options: { is_disabled: true },
          ...(i === parts.length - 1 && keyboard ? { reply_markup: keyboard } : {}),
        });
      }
      return "sent";
    } catch (error) {
      if (error instanceof GrammyError && error.error_code === 403 && typeof chatId === "number") {
        const dropped = await this.#options.state.dropChat(chatId).catch(() => 0);
        this.#options.logger.info(
          { chatId, dropped, description: error.description },
          "chat blocked the bot or is gone; its subscriptions and digest were dropped",
        );
        return "blocked";
      }
      this.#options.logger.warn({ chatId, error: describeError(error) }, "outbox message failed");
      return "failed";
    }
  }
}
