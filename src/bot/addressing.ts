import type { Context } from "grammy";
import { escapeRegExp } from "../text/normalize.js";

const isGroup = (ctx: Context): boolean =>
  ctx.chat?.type === "group" || ctx.chat?.type === "supergroup";

/** True when the message text (or caption) mentions the bot by @username or text mention. */
export function mentionsBot(ctx: Context): boolean {
  const msg = ctx.message;
  const username = ctx.me.username.toLowerCase();
  const text = msg?.text ?? msg?.caption ?? "";
  const entities = msg?.entities ?? msg?.caption_entities ?? [];
  for (const e of entities) {
    if (
      e.type === "mention" &&
      text.slice(e.offset, e.offset + e.length).toLowerCase() === `@${username}`
    ) {
      return true;
    }
    if (e.type === "text_mention" && e.user.id === ctx.me.id) return true;
  }
  // Clients always send the entity; the text check covers updates built by other tools.
  return new RegExp(`@${escapeRegExp(username)}(?![\\w])`, "iu").test(text);
}

/** True when the message replies to one of the bot's messages. */
export function repliesToBot(ctx: Context): boolean {
  return ctx.message?.reply_to_message?.from?.id === ctx.me.id;
}

/** True when the message starts with a command meant for this bot (no @suffix, or ours). */
export function isCommandForBot(ctx: Context): boolean {
  const text = ctx.message?.text ?? ctx.message?.caption ?? "";
  const entity = (ctx.message?.entities ?? ctx.message?.caption_entities ?? [])[0];
  if (entity?.type !== "bot_command" || entity.offset !== 0) return false;
  const command = text.slice(0, entity.length);
  const at = command.indexOf("@");
  return at < 0 || command.slice(at + 1).toLowerCase() === ctx.me.username.toLowerCase();
}

/**
 * True when an update is for the bot. In groups only commands, mentions and replies to the bot
 * are (the bot also works with privacy mode on, where Telegram delivers only those); everything
 * else there is other people's conversation and is ignored without a word.
 */
export function isAddressedToBot(ctx: Context): boolean {
  if (!ctx.message || !isGroup(ctx)) return true;
  return isCommandForBot(ctx) || mentionsBot(ctx) || repliesToBot(ctx);
}

/** The question in a group message: the text without the bot's @mention. */
export function stripMention(text: string, username: string): string {
  return text.replace(new RegExp(`@${escapeRegExp(username)}(?![\\w])`, "giu"), " ").trim();
}
