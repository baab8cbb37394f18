import { dateInFilter } from "../dates/date-in-filter.js";
import type { ManifestEdition, NewsIndex } from "../store/types.js";
import type { Article } from "../types.js";
import { compact, normalizeForMatch, toHalfWidth } from "../text/normalize.js";
import { tokenize } from "../text/segment.js";

/** An inclusive range of ISO days, "YYYY-MM-DD" (the day may be 31 for any month: compared as strings). */
export interface DateRange {
  from: string;
  to: string;
}

/** A search text with its date range taken out. */
export interface ParsedSearch {
  /** The keywords left once the date expressions are removed. */
  text: string;
  range?: DateRange;
}

const pad = (n: number): string => String(n).padStart(2, "0");

/**
 * Date expressions, tried left to right at each position: full date, year-month, year with 年,
 * month (and day) without a year, bare year. Full-width digits are folded to ASCII first.
 */
const DATE_EXPR =
  /(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*[日号]?|(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*月?|(\d{4})\s*年(?:度)?|(?<!\d)(\d{1,2})\s*月\s*(?:(\d{1,2})\s*[日号])?|(?<![\d.])((?:19|20)\d{2})(?![\d.%])/gu;
const RANGE_SEPARATORS = /(^|\s)[~～〜至到—–\-–]+(?=\s|$)/gu;

function lastDay(month: number): number {
  return month === 2 ? 29 : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * Takes date expressions out of a search text and turns them into a range. Lenient on purpose:
 * "2025-01-01~2025-03-31", "2025-02", "2025年3月", "2025年1月至3月", "2025/3/5", "2025" all work;
 * one expression means that whole day, month or year, two mean from the first to the second. A
 * month without any year in the text is left as a keyword. Never throws.
 */
export function parseSearchText(input: string): ParsedSearch {
  const text = toHalfWidth(input);
  const periods: DateRange[] = [];
  const spans: [number, number][] = [];
  let year: number | undefined;
  for (const m of text.matchAll(DATE_EXPR)) {
    let period: DateRange | undefined;
    if (m[1] !== undefined) {
      const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
      if (mo >= 1 && mo <= 12 && d >= 1 && d <= 31)
        period = { from: `${y}-${pad(mo)}-${pad(d)}`, to: `${y}-${pad(mo)}-${pad(d)}` };
      year = y;
    } else if (m[4] !== undefined) {
      const [y, mo] = [Number(m[4]), Number(m[5])];
      if (mo >= 1 && mo <= 12)
        period = { from: `${y}-${pad(mo)}-01`, to: `${y}-${pad(mo)}-${lastDay(mo)}` };
      year = y;
    } else if (m[6] !== undefined || m[9] !== undefined) {
      const y = Number(m[6] ?? m[9]);
      period = { from: `${y}-01-01`, to: `${y}-12-31` };
      year = y;
    } else if (m[7] !== undefined && year !== undefined) {
      const mo = Number(m[7]);
      const d = m[8] === undefined ? undefined : Number(m[8]);
      if (mo >= 1 && mo <= 12) {
        period =
          d !== undefined && d >= 1 && d <= 31
            ? { from: `${year}-${pad(mo)}-${pad(d)}`, to: `${year}-${pad(mo)}-${pad(d)}` }
            : { from: `${year}-${pad(mo)}-01`, to: `${year}-${pad(mo)}-${lastDay(mo)}` };
      }
    }
    if (period) {
      periods.push(period);
      spans.push([m.index, m.index + m[0].length]);
    }
  }
  if (periods.length === 0) return { text: input.trim().replace(/\s+/gu, " ") };
  let rest = "";
  let at = 0;
  for (const [s, e] of spans) {
    rest += `${text.slice(at, s)} `;
    at = e;
  }
  rest += text.slice(at);
  rest = rest.replace(RANGE_SEPARATORS, " ").replace(/\s+/gu, " ").trim();
  const first = periods[0] as DateRange;
  const last = periods[periods.length - 1] as DateRange;
  const range =
    first.from <= last.to ? { from: first.from, to: last.to } : { from: last.from, to: first.to };
  return { text: rest, range };
}

/** One article found by a search. */
export interface ArticleHit {
  article: Article;
  /** Relevance: larger is better; comparable within one search only. */
  score: number;
}

/** Options of an article search. */
export interface ArticleSearchOptions {
  range?: DateRange;
  /** Keep only papers whose name contains this. */
  paper?: string;
  /** Order of the hits. Defaults to "newest". */
  order?: "newest" | "oldest";
  /** Hits returned at most. Defaults to 50. */
  limit?: number;
}

/** The outcome of an article search. */
export interface ArticleSearchResult {
  hits: ArticleHit[];
  /** True when every keyword occurs in each hit; false when the hits are only related. */
  exact: boolean;
  /** Matching articles before `limit`. */
  total: number;
}

const matchTextCache = new WeakMap<NewsIndex, Map<string, string>>();

/** An article's headline and body, normalised and without whitespace, cached per snapshot. */
function matchText(index: NewsIndex, article: Article): string {
  let cache = matchTextCache.get(index);
  if (!cache) {
    cache = new Map();
    matchTextCache.set(index, cache);
  }
  let text = cache.get(article.id);
  if (text === undefined) {
    const parts = [article.headline, article.subtitle ?? "", ...article.paragraphs];
    text = compact(normalizeForMatch(parts.join(" ")));
    cache.set(article.id, text);
  }
  return text;
}

/** Orders articles by date (unknown dates last), then by relevance, then by layout position. */
function compareHits(order: "newest" | "oldest"): (a: ArticleHit, b: ArticleHit) => number {
  return (a, b) => {
    const da = a.article.date;
    const db = b.article.date;
    if (da !== db) {
      if (da === null) return 1;
      if (db === null) return -1;
      return order === "newest" ? db.localeCompare(da) : da.localeCompare(db);
    }
    return b.score - a.score || a.article.position - b.article.position;
  };
}

/**
 * Finds articles about `query`: those holding every keyword in their headline or paragraphs (BM25
 * over the index's chunks ranks them); when none does, the articles whose text covers most of the
 * query's terms. Date and paper filters apply first. Advertisements are left out. Never throws.
 */
export function searchArticles(
  index: NewsIndex,
  query: string,
  options: ArticleSearchOptions = {},
): ArticleSearchResult {
  const order = options.order ?? "newest";
  const limit = options.limit ?? 50;
  const paper = options.paper === undefined ? undefined : normalizeForMatch(options.paper);
  const keep = (a: Article): boolean =>
    a.kind !== "ad" &&
    (options.range === undefined || dateInFilter(a.date, options.range)) &&
    (paper === undefined || normalizeForMatch(a.paper).includes(paper));
  const keywords = query
    .split(/\s+/u)
    .map((k) => compact(normalizeForMatch(k)))
    .filter((k) => k !== "");
  if (keywords.length === 0) {
    // A date range alone lists everything in it.
    if (options.range === undefined) return { hits: [], exact: false, total: 0 };
    const all = index
      .articles()
      .filter(keep)
      .map((article) => ({ article, score: 0 }))
      .sort(compareHits(order));
    return { hits: all.slice(0, limit), exact: true, total: all.length };
  }

  // BM25 per article: its best chunk, plus a little for each further matching chunk.
  const terms = [...new Set(tokenize(query))];
  const lexical = new Map<string, number>();
  if (terms.length > 0) {
    const hits = index.searchLexical(terms, 500, (i) => {
      const chunk = index.chunkAt(i);
      const article = index.getArticle(chunk.articleId);
      return article !== undefined && keep(article);
    });
    for (const hit of hits) {
      const id = index.chunkAt(hit.chunkIndex).articleId;
      const prev = lexical.get(id);
      lexical.set(
        id,
        prev === undefined
          ? hit.score
          : Math.max(prev, hit.score) + 0.1 * Math.min(prev, hit.score),
      );
    }
  }

  const exact: ArticleHit[] = [];
  for (const article of index.articles()) {
    if (!keep(article)) continue;
    const text = matchText(index, article);
    if (!keywords.every((k) => text.includes(k))) continue;
    const inHeadline = keywords.some((k) =>
      compact(normalizeForMatch(article.headline)).includes(k),
    );
    exact.push({ article, score: (lexical.get(article.id) ?? 0) + (inHeadline ? 5 : 0) });
  }
  let hits = exact;
  if (exact.length === 0) {
    // Related articles: at least 60% of the query's words occur in them.
    const words = terms.filter((t) => t.length >= 2);
    hits = [...lexical.entries()].flatMap(([id, score]) => {
      const article = index.getArticle(id);
      if (!article || words.length === 0) return [];
      const text = matchText(index, article);
      const covered = words.filter((w) => text.includes(compact(w))).length / words.length;
      return covered >= 0.6 ? [{ article, score }] : [];
    });
  }
  hits.sort(compareHits(order));
  return { hits: hits.slice(0, limit), exact: exact.length > 0, total: hits.length };
}

/** One edition of the manifest with its articles in layout order. */
export interface EditionArticles {
  edition: ManifestEdition;
  articles: Article[];
}

/**
 * The newest edition (by date; undated editions last), of the paper whose name contains `paper`
 * when one is given. Undefined when no edition matches. Never throws.
 */
export function latestEdition(index: NewsIndex, paper?: string): EditionArticles | undefined {
  const wanted = paper === undefined ? "" : normalizeForMatch(paper);
  const editions = index.manifest.editions
    .filter((e) => normalizeForMatch(e.paper).includes(wanted))
    .sort((a, b) => {
      if (a.date === b.date) return b.editionId.localeCompare(a.editionId);
      if (a.date === null) return 1;
      if (b.date === null) return -1;
      return b.date.localeCompare(a.date);
    });
  const edition = editions[0];
  if (!edition) return undefined;
  const articles = index
    .articles()
    .filter((a) => a.editionId === edition.editionId)
    .sort((a, b) => a.position - b.position);
  return { edition, articles };
}

/** Articles of one date in a timeline. */
export interface TimelineDay {
  date: string | null;
  hits: ArticleHit[];
}

/**
 * The dated coverage of a topic: matching articles from oldest to newest, grouped by date
 * (undated articles last). Never throws.
 */
export function buildTimeline(
  index: NewsIndex,
  topic: string,
  options: Omit<ArticleSearchOptions, "order"> = {},
): { days: TimelineDay[]; exact: boolean; total: number } {
  const result = searchArticles(index, topic, { ...options, order: "oldest" });
  const days: TimelineDay[] = [];
  for (const hit of result.hits) {
    const last = days[days.length - 1];
    if (last && last.date === hit.article.date) last.hits.push(hit);
    else days.push({ date: hit.article.date, hits: [hit] });
  }
  return { days, exact: result.exact, total: result.total };
}
