import { Composer } from "grammy";
import type { Context } from "grammy";
import type { AnsweredQuestion, BotDeps } from "../deps.js";
import type { KeyedStore } from "../lru.js";
import { describeError } from "../logger.js";
import { TEXTS } from "../texts.js";

/**
 * 👍/👎 buttons: appends the vote, with the question and what the answer cited, to the feedback
 * log (`<dataDir>/feedback.jsonl`) that admins read with /feedback and /stats. One vote per user
 * per answer.
 */
export function createFeedbackFeature(
  deps: BotDeps,
  answers: KeyedStore<AnsweredQuestion>,
): Composer<Context> {
  const composer = new Composer<Context>();
  composer.callbackQuery(/^fb:([0-9a-z]+):(up|down)$/u, async (ctx) => {
    const answered = answers.get(ctx.match[1] ?? "");
    if (!answered) {
      await ctx.answerCallbackQuery({ text: TEXTS.buttonExpired, show_alert: true });
      return;
    }
    const userId = ctx.from.id;
    if (answered.voters.has(userId)) {
      await ctx.answerCallbackQuery({ text: TEXTS.feedbackAlready });
      return;
    }
    answered.voters.add(userId);
    try {
      await deps.feedback.append({
        at: new Date().toISOString(),
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
      });
    } catch (error) {
      answered.voters.delete(userId);
      deps.logger.error({ error: describeError(error) }, "feedback not saved");
      await ctx.answerCallbackQuery({ text: TEXTS.feedbackFailed });
      return;
    }
    await ctx.answerCallbackQuery({ text: TEXTS.feedbackThanks });
  });
  return composer;
}
