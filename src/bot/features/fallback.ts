import { Composer } from "grammy";
import type { Context } from "grammy";
import { isCommandForBot } from "../addressing.js";
import { TEXTS } from "../texts.js";

/**
 * The last stop: unknown commands, stickers, photos, voice and other non-text messages get a
 * short helpful reply (in groups only when addressed to the bot, and unknown commands only when
 * they name the bot, since another bot may own them); stale buttons are answered so the client
 * stops spinning. Nothing is ever left without an answer where one is expected.
 */
export function createFallbackFeature(): Composer<Context> {
  const composer = new Composer<Context>();
  composer.on("message", async (ctx) => {
    const text = ctx.message.text;
    const isPrivate = ctx.chat.type === "private";
    if (text !== undefined && text.startsWith("/")) {
      const namesBot = /^\/\w+@\w+/u.test(text) && isCommandForBot(ctx);
      if (isPrivate || namesBot) await ctx.reply(TEXTS.unknownCommand);
      return;
    }
    await ctx.reply(
      TEXTS.notText,
      isPrivate ? {} : { reply_parameters: { message_id: ctx.message.message_id } },
    );
  });
  composer.on("callback_query", async (ctx) => {
    await ctx.answerCallbackQuery({ text: TEXTS.buttonExpired });
  });
  return composer;
}
