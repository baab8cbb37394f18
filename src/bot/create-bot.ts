import { autoRetry } from "@grammyjs/auto-retry";
import { sequentialize } from "@grammyjs/runner";
import { Bot } from "grammy";
import type { Context } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import { isAddressedToBot } from "./addressing.js";
import type { BotDeps } from "./deps.js";
import { createErrorHandler } from "./error-boundary.js";
import { createAdminFeature } from "./features/admin.js";
import { createAskFeature } from "./features/ask.js";
import { createDigestFeature } from "./features/digest.js";
import { createForgetFeature } from "./features/forget.js";
import { createSubscriptionsFeature } from "./features/subscriptions.js";
import { createFallbackFeature } from "./features/fallback.js";
import { createFeedbackFeature } from "./features/feedback.js";
import { createHelpFeature } from "./features/help.js";
import { createInlineFeature } from "./features/inline.js";
import { createLatestFeature } from "./features/latest.js";
import { createSearchFeature } from "./features/search.js";
import { createSourcesFeature } from "./features/sources.js";
import { createTimelineFeature } from "./features/timeline.js";
import { createLinkFeature } from "./features/link.js";
import { createUploadFeature } from "./features/upload.js";
import { rateLimitMiddleware } from "./rate-limit.js";
import { replyInGroups } from "./reply.js";

/** The public Bot API. */
export const DEFAULT_API_ROOT = "https://api.telegram.org";

/** Options of createBot. */
export interface CreateBotOptions {
  token: string;
  deps: BotDeps;
  /** Bot API server, without a trailing "/". Defaults to https://api.telegram.org. */
  apiRoot?: string;
  /** The bot's own user; fetched with getMe on start when absent. */
  botInfo?: UserFromGetMe;
}

/**
 * Builds the bot: auto-retry on 429/5xx, per-chat ordering, one error boundary, the group filter,
 * per-user and global rate limiting, then the features (help, admin, upload, reporter tools, buttons, inline
 * mode, asking, fallback). Reads no environment; starts nothing.
 */
export function createBot(options: CreateBotOptions): Bot<Context> {
  const { deps } = options;
  const bot = new Bot<Context>(options.token, {
    client: { apiRoot: options.apiRoot ?? DEFAULT_API_ROOT },
    ...(options.botInfo ? { botInfo: options.botInfo } : {}),
  });
  // Honours retry_after on 429 and retries 5xx/network failures a few times, never forever.
  bot.api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 60 }));

  const onError = createErrorHandler(deps.logger);
  bot.catch(onError);

  const { burst, perMinute, globalPerMinute } = deps.settings.rateLimit;
  const safe = bot.errorBoundary(onError).filter(isAddressedToBot);
  // Rate limits count a message when it arrives, before it waits for its chat's turn: a flood
  // queued behind slow answers would otherwise be counted late, with the bucket refilled.
  safe.use(
    rateLimitMiddleware({
      state: deps.state,
      perUser: { burst, perMinute },
      // One bucket shared by everyone: a tenth of a minute's allowance may come at once.
      global:
        globalPerMinute === undefined
          ? undefined
          : { burst: Math.max(1, Math.round(globalPerMinute / 10)), perMinute: globalPerMinute },
      exempt: new Set(deps.settings.adminUserIds),
      now: () => deps.now().getTime(),
      logger: deps.logger,
    }),
  );
  safe.use(replyInGroups);
  // The runner handles updates concurrently; within one chat they still run in order, so replies
  // come in the order the questions were asked.
  safe.use(sequentialize((ctx: Context) => ctx.chat?.id.toString()));
  safe.use(
    createHelpFeature(deps),
    createAdminFeature(deps),
    createUploadFeature(deps),
    createLinkFeature(deps),
    createSearchFeature(deps),
    createLatestFeature(deps),
    createTimelineFeature(deps),
    createSubscriptionsFeature(deps),
    createDigestFeature(deps),
    createForgetFeature(deps),
    createSourcesFeature(deps),
    createFeedbackFeature(deps),
    createInlineFeature(deps),
    createAskFeature(deps),
    createFallbackFeature(),
  );
  return bot;
}

/** The command menu, in Chinese: everyone's, and the admins' (which adds the admin tools). */
export const COMMANDS = {
  everyone: [
    { command: "start", description: "开始使用" },
    { command: "help", description: "使用说明和示例问题" },
    { command: "ask", description: "提问(群聊中使用):/ask 问题" },
    { command: "search", description: "查找报道:/search 关键词 [日期范围]" },
    { command: "latest", description: "最新一期的标题:/latest [报纸]" },
    { command: "timeline", description: "话题的报道时间线:/timeline 话题" },
    { command: "subscribe", description: "订阅话题:/subscribe 关键词" },
    { command: "subscriptions", description: "查看和取消订阅" },
    { command: "digest", description: "每日摘要:/digest 07:30 或 /digest off" },
    { command: "forget", description: "删除保存的关于你的全部数据" },
  ],
  admin: [
    { command: "stats", description: "新闻库和使用统计" },
    { command: "feedback", description: "查看用户反馈" },
    { command: "reindex", description: "重建索引" },
    { command: "remove", description: "删除上传的版面:/remove 报纸 日期" },
  ],
} as const;

/**
 * Registers the command menu with setMyCommands: the public list for everyone, and for each admin's
 * private chat the list with the admin tools. Returns the admins whose menu could not be set (an
 * admin who never opened a chat with the bot). Throws GrammyError/HttpError when the public menu
 * is refused.
 */
export async function registerCommands(
  bot: Bot<Context>,
  adminUserIds: readonly number[],
): Promise<number[]> {
  await bot.api.setMyCommands([...COMMANDS.everyone]);
  const failed: number[] = [];
  for (const chatId of adminUserIds) {
    try {
      await bot.api.setMyCommands([...COMMANDS.everyone, ...COMMANDS.admin], {
        scope: { type: "chat", chat_id: chatId },
      });
    } catch {
      failed.push(chatId);
    }
  }
  return failed;
}
