import { dateInFilter } from "../dates/date-in-filter.js";
import type { ManifestEdition, NewsIndex } from "../store/types.js";
import type { Article } from "../types.js";
import { compact, normalizeForMatch } from "../text/normalize.js";
import { tokenize } from "../text/words.js";
import type { DateRange } from "./articles-search-text.js";
import {
  type ArticleHit,
  MAX_EXAMINED,
  type Scope,
  type Search,
  compareDates,
  compareHits,
  findExact,
  findRelated,
  paperMatcher,
  searchScope,
} from "./articles-candidates.js";

export { parseSearchText } from "./articles-search-text.js";
export type { DateRange, ParsedSearch } from "./articles-search-text.js";
export type { ArticleHit } from "./articles-candidates.js";

/** Options of an article search. */
export interface ArticleSearchOptions {
  range?: DateRange;
  /** Keep only papers whose name contains this. */
  paper?: string;
  /** Order of the hits. Defaults to "newest". */
  order?: "newest" | "oldest";
  /** Hits returned at most. Defaults to 50. */
  limit?: number;
  /**
   * Chunks one lexical search takes as candidates; bounds the articles a search reads. Defaults
   * to 1,500.
   */
  candidateChunks?: number;
}

/** The outcome of an article search. */
export interface ArticleSearchResult {
  hits: ArticleHit[];
  /** True when every keyword occurs in each hit; false when the hits are only related. */
  exact: boolean;
  /** Matching articles found before `limit`: all of them unless `more` is true. */
  total: number;
  /**
   * True when more articles may match than `total` counts: the search stopped once it had
   * `limit` hits in date order, or a candidate list was full. `total` is then a lower bound.
   */
  more: boolean;
}

/** Candidate chunks per lexical search, unless the options say otherwise. */
const CANDIDATE_CHUNKS = 1_500;
/** Articles of one edition listed at most by `latestEdition`, unless told otherwise. */
const MAX_EDITION_ARTICLES = 200;

/**
 * The articles of one edition in layout order, at most `limit` of them; `more` tells that the
 * edition holds further ones. Reads only the articles returned (the ids come from memory,
 * `articleIdsOfEdition`). Never throws.
 */
export function articlesOfEdition(
  index: NewsIndex,
  editionId: string,
  limit = Number.POSITIVE_INFINITY,
): { articles: Article[]; more: boolean } {
  const ids = index.articleIdsOfEdition(editionId);
  const count = ids.length;
  const articles = ids.slice(0, limit).flatMap((id) => index.getArticle(id) ?? []);
  articles.sort((a, b) => a.position - b.position);
  return { articles: articles.slice(0, limit), more: count > limit };
}

/**
 * A date range alone: the articles of the editions in it, date by date in the search's order,
 * until `limit` are listed (editions that mix dates are read whole, first).
 */
function listRange(search: Search, scope: Scope): ArticleSearchResult {
  const { index, keep, order, limit } = search;
  const hits: ArticleHit[] = [];
  let more = false;
  let examined = 0;
  for (const edition of scope.mixed) {
    const { articles, more: cut } = articlesOfEdition(
      index,
      edition.editionId,
      MAX_EXAMINED - examined,
    );
    examined += articles.length;
    more ||= cut;
    for (const article of articles) if (keep(article)) hits.push({ article, score: 0 });
  }
  let placed = 0;
  let lastDate: string | null | undefined;
  for (const edition of scope.dated) {
    if (edition.date !== lastDate && (placed >= limit || examined >= MAX_EXAMINED)) {
      more = true;
      break;
    }
    const { articles } = articlesOfEdition(index, edition.editionId);
    examined += articles.length;
    for (const article of articles) {
      if (!keep(article)) continue;
      hits.push({ article, score: 0 });
      placed++;
    }
    lastDate = edition.date;
  }
  hits.sort(compareHits(order));
  return { hits: hits.slice(0, limit), exact: true, total: hits.length, more };
}

/**
 * Finds articles about `query`: those holding every keyword in their headline or paragraphs (BM25
 * over the index's chunks ranks them); when none does, the articles whose text covers most of the
 * query's terms. Date and paper filters apply first. Advertisements are left out. Candidates come
 * from the lexical index and the manifest, never from reading the whole archive: a request reads
 * a bounded number of articles, and says so (`more`) when it may have stopped short. A keyword is
 * found where the index's words hold it, so one that spans two words ("会上" in "座谈会上") or a
 * query of stopwords only ("的") is not. Never throws.
 */
export function searchArticles(
  index: NewsIndex,
  query: string,
  options: ArticleSearchOptions = {},
): ArticleSearchResult {
  const order = options.order ?? "newest";
  const limit = options.limit ?? 50;
  const paper = options.paper === undefined ? undefined : normalizeForMatch(options.paper);
  const paperMatches = paperMatcher(paper);
  const keep = (a: Article): boolean =>
    a.kind !== "ad" &&
    (options.range === undefined || dateInFilter(a.date, options.range)) &&
    paperMatches(a.paper);
  const keywords = query
    .split(/\s+/u)
    .map((k) => compact(normalizeForMatch(k)))
    .filter((k) => k !== "");
  const search: Search = {
    index,
    keywords,
    keep,
    order,
    limit,
    candidateChunks: Math.max(1, Math.floor(options.candidateChunks ?? CANDIDATE_CHUNKS)),
  };
  if (keywords.length === 0 && options.range === undefined) {
    return { hits: [], exact: false, total: 0, more: false };
  }
  const scope = searchScope(index, options.range, paper, order);
  // A date range alone lists everything in it.
  if (keywords.length === 0) return listRange(search, scope);
  if (scope.dated.length + scope.mixed.length === 0) {
    return { hits: [], exact: false, total: 0, more: false };
  }

  const terms = [...new Set(tokenize(query))];
  const exact = findExact(search, terms, scope);
  const found = exact.hits.length > 0 ? exact : findRelated(search, terms, scope);
  const hits = found.hits.sort(compareHits(order));
  return {
    hits: hits.slice(0, limit),
    exact: exact.hits.length > 0,
    total: hits.length,
    // Related hits after an incomplete search: exact matches may still exist further back.
    more: !found.complete || !exact.complete,
  };
}

/** One edition of the manifest with its articles in layout order. */
export interface EditionArticles {
  edition: ManifestEdition;
  articles: Article[];
  /** True when the edition holds more articles than listed. */
  more: boolean;
}

/** Newer editions first (undated ones last); of one date, the larger edition id first. */
function newerEdition(a: ManifestEdition, b: ManifestEdition): number {
  return compareDates(a.date, b.date, "newest") || b.editionId.localeCompare(a.editionId);
}

/**
 * The newest edition (by date; undated editions last), of the paper whose name contains `paper`
 * when one is given, with its first `limit` articles (default 200). Chosen from the manifest:
 * only the listed articles are read. Undefined when no edition matches. Never throws.
 */
export function latestEdition(
  index: NewsIndex,
  paper?: string,
  limit = MAX_EDITION_ARTICLES,
): EditionArticles | undefined {
  const paperMatches = paperMatcher(paper === undefined ? undefined : normalizeForMatch(paper));
  let edition: ManifestEdition | undefined;
  for (const e of index.manifest.editions) {
    if (!paperMatches(e.paper)) continue;
    if (edition === undefined || newerEdition(e, edition) < 0) edition = e;
  }
  if (!edition) return undefined;
  return { edition, ...articlesOfEdition(index, edition.editionId, limit) };
}

/** Articles of one date in a timeline. */
export interface TimelineDay {
  date: string | null;
  hits: ArticleHit[];
}

/**
 * The dated coverage of a topic: matching articles from oldest to newest, grouped by date
 * (undated articles last). `total` and `more` are those of `searchArticles`. Never throws.
 */
export function buildTimeline(
  index: NewsIndex,
  topic: string,
  options: Omit<ArticleSearchOptions, "order"> = {},
): { days: TimelineDay[]; exact: boolean; total: number; more: boolean } {
  const result = searchArticles(index, topic, { ...options, order: "oldest" });
  const days: TimelineDay[] = [];
  for (const hit of result.hits) {
    const last = days[days.length - 1];
    if (last && last.date === hit.article.date) last.hits.push(hit);
    else days.push({ date: hit.article.date, hits: [hit] });
  }
  return { days, exact: result.exact, total: result.total, more: result.more };
}
