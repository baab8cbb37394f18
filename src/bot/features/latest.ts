import { Composer } from "grammy";
import type { Context } from "grammy";
import { formatDateZh } from "../../answer/render.js";
import { latestEdition } from "../../retrieval/articles.js";
import type { BotDeps } from "../deps.js";
import { displayPaper, escapeHtml, shortHeadline, truncate } from "../render/html.js";
import { replyHtml } from "../reply.js";
import { TEXTS, describeArchive } from "../texts.js";

/** `/latest [报纸]`: the headlines of the newest edition (of that paper, when one is named). */
export function createLatestFeature(deps: BotDeps): Composer<Context> {
  const composer = new Composer<Context>();
  composer.command("latest", async (ctx) => {
    const paper = ctx.match.trim();
    const index = deps.engine.index;
    const found = latestEdition(index, paper === "" ? undefined : paper);
    if (!found) {
      const archive = describeArchive(index.manifest).map((l) => `• ${escapeHtml(l)}`);
      await replyHtml(ctx, [escapeHtml(TEXTS.noLatest(paper)), "", ...archive].join("\n"));
      return;
    }
    const { edition, articles, more } = found;
    const shown = articles.filter((a) => a.kind !== "ad");
    // An edition longer than the list (a large export) is not counted whole: say what is shown.
    const count = more ? `列出前 ${shown.length} 篇` : `共 ${shown.length} 篇`;
    const lines = [
      `<b>${escapeHtml(displayPaper(edition.paper))}</b> ${escapeHtml(formatDateZh(edition.date))} · 最新一期,${count}`,
      "",
      ...shown.map((a, i) => {
        const column = a.column ? `<i>${escapeHtml(truncate(a.column, 20))}</i> ` : "";
        return `${i + 1}. ${column}《${escapeHtml(shortHeadline(a.headline))}》`;
      }),
      "",
      "想了解哪一篇,直接问我;或用 /search 关键词 查找更多报道。",
    ];
    await replyHtml(ctx, lines.join("\n"));
  });
  return composer;
}
