import { Composer } from "grammy";
import type { Context } from "grammy";
import { formatDateZh } from "../../answer/render.js";
import { buildTimeline, parseSearchText } from "../../retrieval/articles.js";
import type { BotDeps } from "../deps.js";
import { displayPaper, escapeHtml, shortHeadline } from "../render/html.js";
import { replyHtml } from "../reply.js";
import { describeFound } from "./search.js";
import { TEXTS } from "../texts.js";

/** Articles listed in one timeline at most. */
const MAX_TIMELINE_ARTICLES = 60;

/**
 * `/timeline 话题 [日期范围]`: the dated coverage of a topic across editions, oldest to newest,
 * grouped by date.
 */
export function createTimelineFeature(deps: BotDeps): Composer<Context> {
  const composer = new Composer<Context>();
  composer.command("timeline", async (ctx) => {
    const parsed = parseSearchText(ctx.match);
    if (parsed.text === "") {
      await ctx.reply(TEXTS.timelineUsage);
      return;
    }
    const options = parsed.range
      ? { range: parsed.range, limit: MAX_TIMELINE_ARTICLES }
      : { limit: MAX_TIMELINE_ARTICLES };
    const timeline = buildTimeline(deps.engine.index, parsed.text, options);
    if (timeline.days.length === 0) {
      await ctx.reply(TEXTS.noSearchHits(parsed.text));
      return;
    }
    const lines = [
      `<b>“${escapeHtml(parsed.text)}”报道时间线</b>`,
      `${describeFound(timeline)},从早到晚`,
    ];
    for (const day of timeline.days) {
      lines.push("", `<b>${escapeHtml(formatDateZh(day.date))}</b>`);
      for (const { article } of day.hits) {
        lines.push(
          `• ${escapeHtml(displayPaper(article.paper))}《${escapeHtml(shortHeadline(article.headline))}》`,
        );
      }
    }
    const listed = timeline.days.reduce((n, day) => n + day.hits.length, 0);
    if (timeline.total > listed || timeline.more) {
      lines.push("", `(只列出前 ${listed} 篇,可加日期范围缩小)`);
    }
    await replyHtml(ctx, lines.join("\n"));
  });
  return composer;
}
