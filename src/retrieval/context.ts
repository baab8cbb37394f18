import type { NewsIndex } from "../store/types.js";
import { LruMap } from "../lru.js";
import { tokenize } from "../text/words.js";
import { compact, normalizeForMatch } from "../text/normalize.js";
import { pinnedTimes } from "../text/numerals.js";
import { splitSentences } from "../text/sentences.js";
import type { TermLookup } from "./terms.js";

const MAX_CACHED_ARTICLES = 250;

/**
 * A cache of one value per article, kept per index snapshot (a reloaded snapshot starts afresh and
 * the old one's entries go with it) and bounded by MAX_CACHED_ARTICLES.
 */
function perArticleCache<V>(
  compute: (index: NewsIndex, articleId: string) => V,
): (index: NewsIndex, articleId: string) => V {
  const caches = new WeakMap<NewsIndex, LruMap<string, V>>();
  return (index, articleId) => {
    let cache = caches.get(index);
    if (!cache) {
      cache = new LruMap(MAX_CACHED_ARTICLES);
      caches.set(index, cache);
    }
    const hit = cache.get(articleId);
    if (hit !== undefined) return hit;
    const value = compute(index, articleId);
    cache.set(articleId, value);
    return value;
  };
}

/**
 * The lexical terms of a whole article (headline, subtitle, byline and every paragraph), cached
 * per index snapshot. Used as context: a question often names the article's subject while the
 * answer sentence only holds the fact.
 */
export const articleTerms: (index: NewsIndex, articleId: string) => ReadonlySet<string> =
  perArticleCache((index, articleId) => {
    // Precomputed at index time: cutting whole articles into words per question would dominate answer
    // time. An unknown article falls through to its chunks, if any.
    const stored = index.articleTerms(articleId);
    if (stored !== undefined) return new Set(stored);
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
    return new Set(tokenize(text));
  });

/** The article's text normalised for matching with all whitespace removed, cached per snapshot. */
export const articleMatchText: (index: NewsIndex, articleId: string) => string = perArticleCache(
  (index, articleId) => {
    const article = index.getArticle(articleId);
    const raw = article
      ? [article.headline, article.subtitle ?? "", ...article.paragraphs].join("")
      : index
          .chunksOfArticle(articleId)
          .map((c) => c.text)
          .join("");
    return compact(normalizeForMatch(raw));
  },
);

/**
 * What an answer sentence may lean on besides its own words: the article's terms plus its paper
 * (a local paper's "我市" is the place in its name) and its reporters' names, cached per snapshot.
 */
export const articleContext: (index: NewsIndex, articleId: string) => TermLookup = perArticleCache(
  (index, articleId) => {
    const article = index.getArticle(articleId);
    // Only an index without article records needs a chunk (reading them all costs a lot).
    const chunk = article ? undefined : index.chunksOfArticle(articleId)[0];
    const paper = article?.paper ?? chunk?.paper ?? "";
    const byline = article?.byline ?? chunk?.byline ?? [];
    // A view over the article's cached terms: copying hundreds of terms into a new set for every
    // candidate article was a tenth of a question's time at 150,000 articles.
    const terms = articleTerms(index, articleId);
    const extra = new Set([...tokenize(paper), ...byline]);
    return { has: (term) => terms.has(term) || extra.has(term) };
  },
);

/** A lead read for its time at most, in characters. */
const LEAD_CHARS = 150;

/**
 * The times an article pins in its headline and first sentence, where a news story dates itself
 * ("2006年05月27日15:24 新华网雅加达5月27日电…"), cached per snapshot. An encyclopedia article's
 * first sentence defines its subject; the years further on belong to the sentences that tell of
 * them.
 */
export const articleLeadTimes: (
  index: NewsIndex,
  articleId: string,
) => ReadonlyMap<string, ReadonlySet<number>> = perArticleCache((index, articleId) => {
  const first = index.chunksOfArticle(articleId)[0];
  const lead = (splitSentences(first?.text ?? "")[0] ?? "").slice(0, LEAD_CHARS);
  return pinnedTimes(`${first?.headline ?? ""} ${lead}`);
});
