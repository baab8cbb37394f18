import { Composer } from "grammy";
import type { Context } from "grammy";
import type { AnsweredQuestion } from "../deps.js";
import type { KeyedStore } from "../lru.js";
import { renderPassageHtml } from "../render/html.js";
import { replyHtml } from "../reply.js";
import { TEXTS } from "../texts.js";

/**
 * "来源 n" buttons: shows the cited passage in full with its headline, paper and date. The button
 * carries `src:<key>:<n>`; the answer behind the key lives in a bounded LRU, so an old button may
 * have expired, which the user is told.
 */
export function createSourcesFeature(answers: KeyedStore<AnsweredQuestion>): Composer<Context> {
  const composer = new Composer<Context>();
  composer.callbackQuery(/^src:([0-9a-z]+):(\d+)$/u, async (ctx) => {
    const answered = answers.get(ctx.match[1] ?? "");
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
