import { Composer } from "grammy";
import type { Context } from "grammy";
import type { BotDeps } from "../deps.js";

/**
 * `/forget`: deletes everything stored about the user (follow-up memory, feedback, subscriptions,
 * digest, the answers kept for the buttons of their private chat, delivery records, rate-limit
 * state) and says what was deleted.
 */
export function createForgetFeature(deps: BotDeps): Composer<Context> {
  const composer = new Composer<Context>();
  composer.command("forget", async (ctx) => {
    const userId = ctx.from?.id;
    if (userId === undefined) return;
    const r = await deps.state.forgetUser(userId);
    deps.logger.info({ userId, ...r }, "user data forgotten");
    const total = Object.values(r).reduce((a, b) => a + b, 0);
    if (total === 0) {
      await ctx.reply("没有保存任何关于你的数据,无需删除。");
      return;
    }
    await ctx.reply(
      [
        "已删除关于你的全部数据:",
        `• 对话记录 ${r.memoryTurns} 条`,
        `• 反馈 ${r.feedback} 条`,
        `• 订阅 ${r.subscriptions} 个`,
        `• 每日摘要设置 ${r.digests} 个`,
        `• 回答按钮记录 ${r.buttons} 条(旧回答下的按钮将失效)`,
        `• 推送记录 ${r.deliveries} 条`,
      ].join("\n"),
    );
  });
  return composer;
}
