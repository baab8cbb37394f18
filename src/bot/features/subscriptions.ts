import { Composer, InlineKeyboard } from "grammy";
import type { Context } from "grammy";
import { BUTTON_KEY_PATTERN } from "../../state/index.js";
import type { BotDeps } from "../deps.js";
import { escapeHtml, truncate } from "../render/html.js";
import { replyHtml } from "../reply.js";
import { TEXTS } from "../texts.js";
import { MAX_TOPIC_CHARS } from "./ask.js";
import { answerOfButton } from "./sources.js";
import { listOfButton } from "./search.js";

/** Subscriptions one chat may hold. */
export const MAX_SUBSCRIPTIONS_PER_CHAT = 20;

/** Subscribes the chat of `ctx` to `topic`; returns the reply text. */
async function subscribe(deps: BotDeps, ctx: Context, topic: string): Promise<string> {
  const chatId = ctx.chat?.id;
  const userId = ctx.from?.id;
  if (chatId === undefined || userId === undefined) return TEXTS.buttonExpired;
  const existing = await deps.state.listSubscriptions(chatId);
  if (existing.some((s) => s.topic === topic)) return `已经订阅了“${topic}”。`;
  if (existing.length >= MAX_SUBSCRIPTIONS_PER_CHAT) {
    return `订阅最多 ${MAX_SUBSCRIPTIONS_PER_CHAT} 个,请先用 /subscriptions 取消一些。`;
  }
  const { created } = await deps.state.subscribe(chatId, userId, topic, deps.now().getTime());
  return created
    ? `已订阅“${topic}”。新的版面收录后,有相关报道会第一时间告诉你。/subscriptions 可查看和取消。`
    : `已经订阅了“${topic}”。`;
}

/** The chat's subscriptions as text with a cancel button for each. */
async function listing(
  deps: BotDeps,
  chatId: number,
): Promise<{ html: string; keyboard: InlineKeyboard }> {
  const subs = await deps.state.listSubscriptions(chatId);
  const keyboard = new InlineKeyboard();
  if (subs.length === 0) return { html: TEXTS.noSubscriptions, keyboard };
  const lines = ["<b>你的订阅</b>(点按钮取消)"];
  for (const [i, sub] of subs.entries()) {
    lines.push(`${i + 1}. ${escapeHtml(sub.topic)}`);
    keyboard.text(`取消 ${truncate(sub.topic, 12)}`, `us:${sub.id}`).row();
  }
  return { html: lines.join("\n"), keyboard };
}

/**
 * Subscriptions: `/subscribe 关键词`, `/unsubscribe [关键词]`, `/subscriptions` with a cancel
 * button for each, and the "订阅" buttons under answers and search results. A subscription
 * belongs to the chat it was made in; every button checks that.
 */
export function createSubscriptionsFeature(deps: BotDeps): Composer<Context> {
  const composer = new Composer<Context>();

  composer.command("subscribe", async (ctx) => {
    const topic = ctx.match.trim().replace(/\s+/gu, " ");
    if (topic === "") {
      await ctx.reply(TEXTS.subscribeUsage);
      return;
    }
    if (Array.from(topic).length > MAX_TOPIC_CHARS) {
      await ctx.reply(`关键词太长了,请精简到 ${MAX_TOPIC_CHARS} 个字以内。`);
      return;
    }
    await ctx.reply(await subscribe(deps, ctx, topic));
  });

  composer.command(["subscriptions", "unsubscribe"], async (ctx) => {
    const topic = ctx.match.trim().replace(/\s+/gu, " ");
    if (topic !== "") {
      const removed = await deps.state.unsubscribe(ctx.chat.id, { topic });
      await ctx.reply(removed ? `已取消订阅“${topic}”。` : `没有订阅“${topic}”。`);
      return;
    }
    const { html, keyboard } = await listing(deps, ctx.chat.id);
    await replyHtml(ctx, html, { keyboard });
  });

  composer.callbackQuery(/^us:(\d+)$/u, async (ctx) => {
    const chatId = ctx.chat?.id;
    const removed =
      chatId === undefined
        ? undefined
        : await deps.state.unsubscribe(chatId, { id: Number(ctx.match[1]) });
    await ctx.answerCallbackQuery({
      text: removed ? `已取消订阅“${truncate(removed.topic, 40)}”` : "这个订阅已经取消了。",
    });
    if (chatId !== undefined) {
      const { html, keyboard } = await listing(deps, chatId);
      await ctx
        .editMessageText(html, { parse_mode: "HTML", reply_markup: keyboard })
        .catch(() => undefined);
    }
  });

  composer.callbackQuery(new RegExp(`^(sub|lsub):(${BUTTON_KEY_PATTERN})$`, "u"), async (ctx) => {
    const key = ctx.match[2] ?? "";
    const topic =
      ctx.match[1] === "sub"
        ? (await answerOfButton(deps, ctx, key))?.topic
        : (await listOfButton(deps, ctx, key))?.topic;
    if (topic === undefined || topic === "") {
      await ctx.answerCallbackQuery({ text: TEXTS.buttonExpired, show_alert: true });
      return;
    }
    await ctx.answerCallbackQuery({
      text: truncate(await subscribe(deps, ctx, topic), 190),
      show_alert: true,
    });
  });

  return composer;
}
