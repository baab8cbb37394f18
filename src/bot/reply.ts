import type { Context, MiddlewareFn } from "grammy";
import type { InlineKeyboardMarkup, Message } from "grammy/types";
import type { Logger } from "./logger.js";
import { describeError } from "./logger.js";
import { splitHtml } from "./render/split.js";

/** Options of an HTML reply. */
export interface ReplyHtmlOptions {
  /** Buttons, put under the last part. */
  keyboard?: InlineKeyboardMarkup;
  /** Thread the reply to this message (used in groups, so the asker sees it is for them). */
  replyToMessageId?: number;
}

/**
 * Sends Telegram HTML to the chat of `ctx`, split into parts of at most 4,096 characters that each
 * parse on their own. The keyboard goes under the last part, the reply link on the first. Returns
 * the messages sent. Throws GrammyError/HttpError when Telegram refuses a part.
 */
export async function replyHtml(
  ctx: Context,
  html: string,
  options: ReplyHtmlOptions = {},
): Promise<Message.TextMessage[]> {
  const parts = splitHtml(html);
  const sent: Message.TextMessage[] = [];
  for (const [i, part] of parts.entries()) {
    const last = i === parts.length - 1;
    sent.push(
      await ctx.reply(part, {
        parse_mode: "HTML",
        link_preview_options: { is_disabled: true },
        ...(i === 0 && options.replyToMessageId !== undefined
          ? {
              reply_parameters: {
                message_id: options.replyToMessageId,
                allow_sending_without_reply: true,
              },
            }
          : {}),
        ...(last && options.keyboard ? { reply_markup: options.keyboard } : {}),
      }),
    );
  }
  return sent;
}

/** How often the typing indicator is renewed: Telegram shows it for about five seconds. */
const TYPING_RENEW_MS = 4_000;

/**
 * Runs `work` while the chat shows "typing…". The indicator is best effort: a failing
 * sendChatAction is logged at debug level and never delays or stops the reply.
 */
export async function withTyping<T>(
  ctx: Context,
  logger: Logger,
  work: () => Promise<T>,
): Promise<T> {
  const chatId = ctx.chat?.id;
  if (chatId === undefined) return work();
  const send = (): void => {
    ctx.api.sendChatAction(chatId, "typing").catch((error: unknown) => {
      logger.debug({ chatId, error: describeError(error) }, "typing indicator failed");
    });
  };
  send();
  const timer = setInterval(send, TYPING_RENEW_MS);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

/**
 * In groups, everything the bot sends to the chat while handling a message replies to that
 * message (unless the send names its own reply), so that in a busy group the asker sees which
 * answer is theirs. Installed as a transformer on this update's API only.
 */
export const replyInGroups: MiddlewareFn<Context> = async (ctx, next) => {
  const chat = ctx.chat;
  const messageId = ctx.message?.message_id;
  if (
    chat === undefined ||
    messageId === undefined ||
    chat.type === "private" ||
    chat.type === "channel"
  ) {
    return next();
  }
  ctx.api.config.use((prev, method, payload, signal) => {
    if (
      method === "sendMessage" &&
      "chat_id" in payload &&
      String(payload.chat_id) === String(chat.id) &&
      !("reply_parameters" in payload && payload.reply_parameters !== undefined)
    ) {
      const withReply = {
        ...payload,
        reply_parameters: { message_id: messageId, allow_sending_without_reply: true },
      };
      return prev(method, withReply as typeof payload, signal);
    }
    return prev(method, payload, signal);
  });
  return next();
};
