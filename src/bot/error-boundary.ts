import type { BotError, Context } from "grammy";
import { AppError } from "../errors.js";
import type { Logger } from "./logger.js";
import { describeError } from "./logger.js";
import { TEXTS } from "./texts.js";

/**
 * The one error boundary: turns any failure while handling an update into a polite Chinese reply
 * (the error's own userMessage for typed errors) and one structured log line. Never throws: a
 * reply that fails too is only logged.
 */
export function createErrorHandler(logger: Logger): (error: BotError<Context>) => Promise<void> {
  return async (error) => {
    const { ctx } = error;
    const cause = error.error;
    logger.error(
      {
        updateId: ctx.update.update_id,
        chatId: ctx.chat?.id,
        userId: ctx.from?.id,
        error: describeError(cause),
      },
      "update failed",
    );
    const text = cause instanceof AppError ? cause.userMessage : TEXTS.genericError;
    try {
      // A button press may have been answered already; the chat message is what the user sees.
      if (ctx.callbackQuery) await ctx.answerCallbackQuery().catch(() => undefined);
      if (ctx.inlineQuery) await ctx.answerInlineQuery([], { cache_time: 0 });
      else if (ctx.chat) await ctx.reply(text);
    } catch (replyError) {
      logger.warn(
        { updateId: ctx.update.update_id, error: describeError(replyError) },
        "error reply failed",
      );
    }
  };
}
