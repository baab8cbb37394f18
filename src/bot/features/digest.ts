import { Composer } from "grammy";
import type { Context } from "grammy";
import type { BotDeps } from "../deps.js";
import { TimeZoneError, checkTimeZone, lastDueDate } from "../digest.js";
import { TEXTS } from "../texts.js";

/**
 * `/digest 07:30 [时区]`: the newest editions' headlines every day at that local time (default
 * time zone Asia/Shanghai); `/digest off` stops it; `/digest` alone says what is set.
 */
export function createDigestFeature(deps: BotDeps): Composer<Context> {
  const composer = new Composer<Context>();
  composer.command("digest", async (ctx) => {
    const [first = "", zone] = ctx.match.trim().split(/\s+/u);
    if (first === "") {
      const [setting] = await deps.state.listDigests(ctx.chat.id);
      await ctx.reply(
        setting
          ? `每天 ${setting.time}(${setting.timeZone})发送每日摘要。/digest off 可停止。`
          : TEXTS.digestUsage,
      );
      return;
    }
    if (/^(off|关闭|取消|停止)$/iu.test(first)) {
      const had = await deps.state.clearDigest(ctx.chat.id);
      await ctx.reply(had ? "已停止每日摘要。" : "还没有设置每日摘要。");
      return;
    }
    const m = /^(\d{1,2})[:：](\d{2})$/u.exec(first);
    const hour = Number(m?.[1]);
    const minute = Number(m?.[2]);
    if (!m || hour > 23 || minute > 59) {
      await ctx.reply(TEXTS.digestUsage);
      return;
    }
    let timeZone: string;
    try {
      timeZone = checkTimeZone(zone ?? deps.settings.timeZone);
    } catch (error) {
      if (error instanceof TimeZoneError) {
        await ctx.reply(error.message);
        return;
      }
      throw error;
    }
    const time = `${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}`;
    await deps.state.setDigest({
      chatId: ctx.chat.id,
      userId: ctx.from?.id ?? ctx.chat.id,
      time,
      timeZone,
      lastDate: lastDueDate(deps.now(), { time, timeZone }),
    });
    await ctx.reply(`好的,每天 ${time}(${timeZone})发送最新一期的标题。/digest off 可停止。`);
  });
  return composer;
}
