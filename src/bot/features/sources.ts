import { Composer } from "grammy";
import type { Context } from "grammy";
import { BUTTON_KEY_PATTERN } from "../../state/index.js";
import type { AnsweredQuestion, BotDeps } from "../deps.js";
import { renderPassageHtml } from "../render/html.js";
import { replyHtml } from "../reply.js";
import { TEXTS } from "../texts.js";

/** The answer behind a button of this chat, or undefined when the key is unknown, foreign or expired. */
export async function answerOfButton(
  deps: BotDeps,
  ctx: Context,
  key: string,
): Promise<AnsweredQuestion | undefined> {
  const chatId = ctx.chat?.id;
  if (chatId === undefined) return undefined;
  return (await deps.state.getButton(key, chatId, "answer")) as AnsweredQuestion | undefined;
}

/**
 * "来源 n" buttons: shows the cited passage in full with its headline, paper and date. The button
 * carries `src:<key>:<n>`; the answer behind the key is in the state store, bound to the chat it
 * was sent to, so an old button shows its own answer's passage after a restart, on any instance,
 * and a key from another chat, or one that expired, is told as expired.
 */
export function createSourcesFeature(deps: BotDeps): Composer<Context> {
  const composer = new Composer<Context>();
  composer.callbackQuery(new RegExp(`^src:(${BUTTON_KEY_PATTERN}):(\\d+)$`, "u"), async (ctx) => {
    const answered = await answerOfButton(deps, ctx, ctx.match[1] ?? "");
    const n = Number(ctx.match[2]);
    const citation = answered?.citations.find((c) => c.n === n);
    if (!citation) {
      await ctx.answerCallbackQuery({ text: TEXTS.buttonExpired, show_alert: true });
      return;
    }
    await ctx.answerCallbackQuery();
    await replyHtml(ctx, renderPassageHtml(n, citation.chunk));
  });
  return composer;
}
