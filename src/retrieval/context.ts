import type { NewsIndex } from "../store/types.js";
import { tokenize } from "../text/segment.js";
import { compact, normalizeForMatch } from "../text/normalize.js";

const MAX_CACHED_ARTICLES = 20_000;
const caches = new WeakMap<NewsIndex, Map<string, ReadonlySet<string>>>();

/**
 * The lexical terms of a whole article (headline, subtitle and every paragraph), cached per index
 * snapshot. Used as context: a question often names the article's subject while the answer
 * sentence only holds the fact.
 */
export function articleTerms(index: NewsIndex, articleId: string): ReadonlySet<string> {
  let cache = caches.get(index);
  if (!cache) {
    cache = new Map();
    caches.set(index, cache);
  }
  const hit = cache.get(articleId);
  if (hit) return hit;
  const article = index.getArticle(articleId);
  const text = article
    ? [
        article.headline,
        article.subtitle ?? "",
        article.byline.join(" "),
        ...article.paragraphs,
      ].join("\n")
    : index
        .chunksOfArticle(articleId)
        .map((c) => `${c.headline}\n${c.text}`)
        .join("\n");
  const terms = new Set(tokenize(text));
  if (cache.size >= MAX_CACHED_ARTICLES) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  cache.set(articleId, terms);
  return terms;
}

const textCaches = new WeakMap<NewsIndex, Map<string, string>>();

/** The article's text normalised for matching with all whitespace removed, cached per snapshot. */
export function articleMatchText(index: NewsIndex, articleId: string): string {
  let cache = textCaches.get(index);
  if (!cache) {
    cache = new Map();
    textCaches.set(index, cache);
  }
  const hit = cache.get(articleId);
  if (hit !== undefined) return hit;
  const article = index.getArticle(articleId);
  const raw = article
    ? [article.headline, article.subtitle ?? "", ...article.paragraphs].join("")
    : index
        .chunksOfArticle(articleId)
        .map((c) => c.text)
        .join("");
  const text = compact(normalizeForMatch(raw));
  if (cache.size >= MAX_CACHED_ARTICLES) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  cache.set(articleId, text);
  return text;
}
