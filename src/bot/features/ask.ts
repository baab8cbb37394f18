import { Composer, InlineKeyboard } from "grammy";
import type { Context } from "grammy";
import { analyzeQuery } from "../../retrieval/query.js";
import type { Answer } from "../../types.js";
import { stripMention } from "../addressing.js";
import type { AnsweredQuestion, BotDeps } from "../deps.js";
import { escapeHtml, renderAnswerHtml, truncate } from "../render/html.js";
import { replyHtml, withTyping } from "../reply.js";
import { TEXTS } from "../texts.js";

/** Buttons under an answer: "来源 n" for each citation, then 👍/👎 and 订阅. */
export function answerKeyboard(key: string, answer: Answer & { source?: string }): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  for (const [i, citation] of answer.citations.entries()) {
    if (i > 0 && i % 4 === 0) keyboard.row();
    keyboard.text(`来源 ${citation.n}`, `src:${key}:${citation.n}`);
  }
  if (answer.citations.length > 0) keyboard.row();
  keyboard.text("👍", `fb:${key}:up`).text("👎", `fb:${key}:down`);
  // A greeting has no topic to follow.
  if (!answer.abstained && answer.source !== "small-talk") keyboard.text("订阅", `sub:${key}`);
  return keyboard;
}

/** Longest topic a subscription keeps, in characters. */
export const MAX_TOPIC_CHARS = 30;

/**
 * The topic a "订阅" button under an answer subscribes to: the question's first few search terms
 * (question words and stopwords dropped), so that alerts match what the question was about.
 */
export function topicOfQuestion(question: string): string {
  const terms = analyzeQuery(question).terms.filter((t) => Array.from(t).length >= 2);
  const topic = [...new Set(terms)].slice(0, 3).join(" ");
  return truncate(topic === "" ? question : topic, MAX_TOPIC_CHARS);
}

/**
 * Answers one question in the chat of `ctx`: typing indicator while the engine works, then the
 * cited answer (split if long) with its source and feedback buttons. In groups the answer replies
 * to the question. Throws what the engine or Telegram throws (the error boundary replies).
 */
export async function answerQuestion(
  ctx: Context,
  rawQuestion: string,
  deps: BotDeps,
): Promise<void> {
  const question = rawQuestion.trim();
  if (question === "") {
    await ctx.reply(TEXTS.emptyQuestion);
    return;
  }
  if (Array.from(question).length > deps.settings.maxQuestionChars) {
    await ctx.reply(TEXTS.questionTooLong(deps.settings.maxQuestionChars));
    return;
  }
  const chatId = ctx.chat?.id;
  if (chatId === undefined) return;
  let standalone = question;
  if (deps.followUps) {
    const history = await deps.state.history(chatId, deps.now().getTime());
    standalone = await deps.followUps.rewrite(question, history);
  }
  const answer = await withTyping(ctx, deps.logger, () => deps.engine.ask(standalone));
  // Small talk is not a turn a follow-up can lean on: "谢谢" leaves the previous question in place.
  if (deps.followUps && answer.source !== "small-talk") {
    await deps.state.remember(
      chatId,
      {
        question: standalone,
        answer: answer.text,
        articleIds: answer.citations.map((c) => c.chunk.articleId),
      },
      deps.now().getTime(),
    );
  }
  deps.stats.questions++;
  if (answer.abstained) deps.stats.abstained++;
  const kept: AnsweredQuestion = {
    question,
    topic: topicOfQuestion(standalone),
    abstained: answer.abstained,
    citations: answer.citations,
  };
  const key = await deps.state.putButton(chatId, "answer", kept);
  const inGroup = ctx.chat?.type !== "private";
  const understood =
    standalone === question ? "" : `${TEXTS.understoodAs(escapeHtml(standalone))}\n\n`;
  await replyHtml(ctx, `${understood}${renderAnswerHtml(answer)}`, {
    keyboard: answerKeyboard(key, answer),
    ...(inGroup && ctx.msg ? { replyToMessageId: ctx.msg.message_id } : {}),
  });
  deps.logger.info(
    {
      chatType: ctx.chat?.type,
      abstained: answer.abstained,
      ...(answer.abstainReason === undefined ? {} : { abstainReason: answer.abstainReason }),
      citations: answer.citations.length,
      source: answer.source,
      ...(answer.fallbackReason === undefined ? {} : { fallbackReason: answer.fallbackReason }),
    },
    "question answered",
  );
}

/**
 * Asking: any text in a private chat is a question; in groups, a message that mentions the bot or
 * replies to it, or `/ask 问题` anywhere. Text starting with "/" is left to the command handlers.
 */
export function createAskFeature(deps: BotDeps): Composer<Context> {
  const composer = new Composer<Context>();
  composer.command("ask", async (ctx) => {
    if (ctx.match.trim() === "") {
      await ctx.reply(TEXTS.askUsage);
      return;
    }
    await answerQuestion(ctx, ctx.match, deps);
  });
  composer.chatType("private").on("message:text", async (ctx, next) => {
    if (ctx.message.text.startsWith("/")) return next();
    await answerQuestion(ctx, ctx.message.text, deps);
  });
  composer.chatType(["group", "supergroup"]).on("message:text", async (ctx, next) => {
    if (ctx.message.text.startsWith("/")) return next();
    // Only addressed messages get this far (see isAddressedToBot).
    await answerQuestion(ctx, stripMention(ctx.message.text, ctx.me.username), deps);
  });
  return composer;
}
