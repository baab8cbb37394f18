import { createHash } from "node:crypto";
import { Composer, InlineQueryResultBuilder } from "grammy";
import type { Context } from "grammy";
import { formatDateZh } from "../../answer/render.js";
import { latestEdition, parseSearchText, searchArticles } from "../../retrieval/articles.js";
import type { Article } from "../../types.js";
import type { BotDeps } from "../deps.js";
import { displayPaper, renderArticleCardHtml, truncate } from "../render/html.js";

/** Results per inline answer (Telegram allows 50). */
const MAX_INLINE_RESULTS = 20;

/** A result id: at most 64 bytes, so a hash of the article id rather than the id itself. */
function resultId(article: Article): string {
  return createHash("sha256").update(article.id).digest("hex").slice(0, 32);
}

/**
 * Inline mode (`@bot 关键词` in any chat): articles to share, each sent as a card with headline,
 * paper, date, byline and lead. An empty query offers the newest edition's headlines.
 */
export function createInlineFeature(deps: BotDeps): Composer<Context> {
  const composer = new Composer<Context>();
  composer.on("inline_query", async (ctx) => {
    const index = deps.engine.index;
    const parsed = parseSearchText(ctx.inlineQuery.query);
    let articles: Article[];
    if (parsed.text === "" && parsed.range === undefined) {
      articles = latestEdition(index)?.articles.filter((a) => a.kind !== "ad") ?? [];
    } else {
      const options = parsed.range
        ? { range: parsed.range, limit: MAX_INLINE_RESULTS }
        : { limit: MAX_INLINE_RESULTS };
      articles = searchArticles(index, parsed.text, options).hits.map((h) => h.article);
    }
    const results = articles.slice(0, MAX_INLINE_RESULTS).map((article) =>
      InlineQueryResultBuilder.article(resultId(article), truncate(article.headline, 60), {
        description: `${displayPaper(article.paper)} · ${formatDateZh(article.date)}`,
      }).text(renderArticleCardHtml(article), {
        parse_mode: "HTML",
        link_preview_options: { is_disabled: true },
      }),
    );
    await ctx.answerInlineQuery(results, { cache_time: 60, is_personal: false });
  });
  return composer;
}
