import { Composer } from "grammy";
import type { Context } from "grammy";
import { BUTTON_KEY_PATTERN } from "../../state/index.js";
import type { BotDeps } from "../deps.js";
import { describeError } from "../logger.js";
import { TEXTS } from "../texts.js";
import { answerOfButton } from "./sources.js";

/**
 * 👍/👎 buttons: files the vote, with the question and what the answer cited, in the state store,
 * where admins read it with /feedback and /stats. One vote per user per answer (the store's
 * unique key, so it holds across instances too).
 */
export function createFeedbackFeature(deps: BotDeps): Composer<Context> {
  const composer = new Composer<Context>();
  composer.callbackQuery(new RegExp(`^fb:(${BUTTON_KEY_PATTERN}):(up|down)$`, "u"), async (ctx) => {
    const key = ctx.match[1] ?? "";
    const answered = await answerOfButton(deps, ctx, key);
    if (!answered) {
      await ctx.answerCallbackQuery({ text: TEXTS.buttonExpired, show_alert: true });
      return;
    }
    const userId = ctx.from.id;
    let filed: boolean;
    try {
      filed = await deps.state.addFeedback(
        {
          at: deps.now().toISOString(),
          userId,
          chatId: ctx.chat?.id ?? userId,
          chatType: ctx.chat?.type ?? "unknown",
          verdict: ctx.match[2] === "up" ? "up" : "down",
          question: answered.question,
          abstained: answered.abstained,
          citations: answered.citations.map(({ n, chunk }) => ({
            n,
            chunkId: chunk.id,
            paper: chunk.paper,
            date: chunk.date,
            headline: chunk.headline,
          })),
        },
        key,
      );
    } catch (error) {
      deps.logger.error({ error: describeError(error) }, "feedback not saved");
      await ctx.answerCallbackQuery({ text: TEXTS.feedbackFailed });
      return;
    }
    await ctx.answerCallbackQuery({ text: filed ? TEXTS.feedbackThanks : TEXTS.feedbackAlready });
  });
  return composer;
}
