import { dateInFilter } from "../dates/date-in-filter.js";
import { LruMap } from "../lru.js";
import type { LexicalHit, ManifestEdition, NewsIndex } from "../store/types.js";
import type { Article } from "../types.js";
import { compact, normalizeForMatch, toHalfWidth } from "../text/normalize.js";
import { STOPWORDS, tokenize } from "../text/segment.js";

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
/** Date slices searched at most when the keywords are too common for one search. */
const MAX_SLICES = 6;
/** Articles read at most by one search before it stops and reports `more`. */
const MAX_EXAMINED = 1_500;
/** Chunks searched for related articles when none holds every keyword, at most. */
const RELATED_CHUNKS = 500;
/** Match texts kept per snapshot: bodies are large, and an archive holds 150,000 of them. */
const MATCH_TEXTS_KEPT = 4_096;
/** Articles of one edition listed at most by `latestEdition`, unless told otherwise. */
const MAX_EDITION_ARTICLES = 200;

const matchTextCache = new WeakMap<NewsIndex, LruMap<string, string>>();

/** An article's headline and body, normalised and without whitespace, cached per snapshot. */
function matchText(index: NewsIndex, article: Article): string {
  let cache = matchTextCache.get(index);
  if (!cache) {
    cache = new LruMap(MATCH_TEXTS_KEPT);
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

/** Orders dates newest or oldest first, unknown dates last in either order. */
function compareDates(da: string | null, db: string | null, order: "newest" | "oldest"): number {
  if (da === db) return 0;
  if (da === null) return 1;
  if (db === null) return -1;
  return order === "newest" ? db.localeCompare(da) : da.localeCompare(db);
}

/** Orders articles by date (unknown dates last), then by relevance, then by layout position. */
function compareHits(order: "newest" | "oldest"): (a: ArticleHit, b: ArticleHit) => number {
  return (a, b) =>
    compareDates(a.article.date, b.article.date, order) ||
    b.score - a.score ||
    a.article.position - b.article.position;
}

/**
 * Whether an edition's articles may differ in paper and date. A JSONL export is one edition
 * whose records each carry their own; the manifest only knows the first record's. An edition
 * file has one masthead and one date for all its articles.
 */
function mixesMeta(edition: ManifestEdition): boolean {
  return /\.jsonl$/iu.test(edition.source);
}

/** The editions a search may find articles in, chosen from the manifest (nothing is read). */
interface Scope {
  /** Editions whose paper and date pass the filters, in the order of the search (by date). */
  dated: ManifestEdition[];
  /** Editions that may mix papers and dates: searched whole and first, their articles tested. */
  mixed: ManifestEdition[];
  /** True when the scope is every edition, so that searches need no filter. */
  everything: boolean;
}

/** Whether a paper's name contains `wanted` (normalised); each name is normalised once. */
function paperMatcher(wanted: string | undefined): (paper: string) => boolean {
  if (wanted === undefined || wanted === "") return () => true;
  const known = new Map<string, boolean>();
  return (paper) => {
    let matches = known.get(paper);
    if (matches === undefined) {
      matches = normalizeForMatch(paper).includes(wanted);
      known.set(paper, matches);
    }
    return matches;
  };
}

function searchScope(
  index: NewsIndex,
  range: DateRange | undefined,
  paper: string | undefined,
  order: "newest" | "oldest",
): Scope {
  const dated: ManifestEdition[] = [];
  const mixed: ManifestEdition[] = [];
  const paperMatches = paperMatcher(paper);
  for (const edition of index.manifest.editions) {
    if (mixesMeta(edition)) mixed.push(edition);
    else if (
      paperMatches(edition.paper) &&
      (range === undefined || dateInFilter(edition.date, range))
    ) {
      dated.push(edition);
    }
  }
  // A stable sort: editions of one date stay in manifest order.
  dated.sort((a, b) => compareDates(a.date, b.date, order));
  const everything = dated.length + mixed.length === index.manifest.editions.length;
  return { dated, mixed, everything };
}

/** A chunk filter keeping the chunks of `editions`, from memory when the index can tell. */
function editionFilter(
  index: NewsIndex,
  editions: readonly ManifestEdition[],
): (chunkIndex: number) => boolean {
  const wanted = new Set(editions.map((e) => e.editionId));
  if (index.editionOfChunk !== undefined) {
    const editionOf = index.editionOfChunk.bind(index);
    return (i) => wanted.has(editionOf(i));
  }
  // Without the catalog in memory every touched chunk is read: slower, but the same answer.
  return (i) => wanted.has(index.getArticle(index.chunkAt(i).articleId)?.editionId ?? "");
}

/**
 * The articles of one edition in layout order, at most `limit` of them; `more` tells that the
 * edition holds further ones. Reads only the articles returned when the index lists an
 * edition's ids from memory (`articleIdsOfEdition`). Never throws.
 */
export function articlesOfEdition(
  index: NewsIndex,
  editionId: string,
  limit = Number.POSITIVE_INFINITY,
): { articles: Article[]; more: boolean } {
  let articles: Article[];
  let count: number;
  if (index.articleIdsOfEdition !== undefined) {
    const ids = index.articleIdsOfEdition(editionId);
    count = ids.length;
    articles = ids.slice(0, limit).flatMap((id) => index.getArticle(id) ?? []);
  } else {
    articles = index.articles().filter((a) => a.editionId === editionId);
    count = articles.length;
  }
  articles.sort((a, b) => a.position - b.position);
  return { articles: articles.slice(0, limit), more: count > limit };
}

/** Each candidate chunk's article with its BM25: its best chunk, plus a little for each further one. */
function articleScores(index: NewsIndex, hits: readonly LexicalHit[]): Map<string, number> {
  const scores = new Map<string, number>();
  // From memory when the index can tell: reading each candidate chunk costs more than its article.
  const articleOf =
    index.articleIdOfChunk?.bind(index) ?? ((i: number) => index.chunkAt(i).articleId);
  for (const hit of hits) {
    const id = articleOf(hit.chunkIndex);
    const prev = scores.get(id);
    scores.set(
      id,
      prev === undefined ? hit.score : Math.max(prev, hit.score) + 0.1 * Math.min(prev, hit.score),
    );
  }
  return scores;
}

/** What one request of `searchArticles` has in hand while it searches. */
interface Search {
  index: NewsIndex;
  keywords: string[];
  keep: (article: Article) => boolean;
  order: "newest" | "oldest";
  limit: number;
  candidateChunks: number;
}

/**
 * Reads the articles of candidate chunks and adds those holding every keyword to `into`.
 * Returns the number of articles read.
 */
function collectExact(search: Search, hits: readonly LexicalHit[], into: ArticleHit[]): number {
  const { index, keywords, keep } = search;
  const scores = articleScores(index, hits);
  for (const [id, score] of scores) {
    const article = index.getArticle(id);
    if (article === undefined || !keep(article)) continue;
    const text = matchText(index, article);
    if (!keywords.every((k) => text.includes(k))) continue;
    const headline = compact(normalizeForMatch(article.headline));
    const inHeadline = keywords.some((k) => headline.includes(k));
    into.push({ article, score: score + (inHeadline ? 5 : 0) });
  }
  return scores.size;
}

/** The sum of the chunk counts holding each term: at least the chunks holding any of them. */
function postingCount(index: NewsIndex, terms: readonly string[]): number {
  return terms.reduce((n, t) => n + index.documentFrequency(t), 0);
}

/** The term of `terms` held by the fewest chunks, with that count; undefined for none. */
function rarest(
  index: NewsIndex,
  terms: Iterable<string>,
): { term: string; chunks: number } | undefined {
  let best: { term: string; chunks: number } | undefined;
  for (const term of terms) {
    const chunks = index.documentFrequency(term);
    if (best === undefined || chunks < best.chunks) best = { term, chunks };
  }
  return best;
}

/** The character bigrams of a keyword's runs of Chinese characters. */
function hanBigrams(keyword: string): Set<string> {
  const bigrams = new Set<string>();
  for (const [run] of keyword.matchAll(/\p{Script=Han}{2,}/gu)) {
    for (let i = 0; i + 2 <= run.length; i++) {
      const bigram = run.slice(i, i + 2);
      if (!STOPWORDS.has(bigram)) bigrams.add(bigram);
    }
  }
  return bigrams;
}

/**
 * The few terms whose chunks hold (almost) every occurrence of a keyword. Where the text is
 * segmented as the keyword is, it has all of the keyword's terms, so the rarest one will do;
 * where the keyword is glued into a longer unknown word, that word's bigrams are indexed, so the
 * keyword's rarest bigram will do. A term no chunk holds means no such occurrence: it is left
 * out. A keyword the index has no term for yields none.
 */
function keywordTerms(index: NewsIndex, keyword: string): string[] {
  const word = rarest(index, new Set(tokenize(keyword)));
  const bigram = rarest(index, hanBigrams(keyword));
  return [...new Set([word, bigram].flatMap((t) => (t && t.chunks > 0 ? [t.term] : [])))];
}

/** Expected candidates in the first date slice, at least. */
const FIRST_SLICE_CANDIDATES = 50;
/** Candidate chunks read in one list, however short the list of hits asked for, at least. */
const ONE_LIST_CANDIDATES = 200;

/**
 * The articles holding every keyword, taken from the lexical index rather than a scan: the
 * chunks holding the query's terms when they are few enough for one candidate list; otherwise
 * those holding the rarest keyword's terms, in one list when they fit, or else date slice by
 * date slice (growing) until `limit` hits are found.
 */
function findExact(
  search: Search,
  terms: readonly string[],
  scope: Scope,
): { hits: ArticleHit[]; complete: boolean } {
  const { index, keywords, candidateChunks: k, limit } = search;
  const hits: ArticleHit[] = [];
  const scopeFilter = scope.everything
    ? undefined
    : editionFilter(index, [...scope.mixed, ...scope.dated]);
  // One list is read whole when it is small beside the hits asked for; a larger one is read
  // slice by slice, so that a short list of hits costs little however common its words are.
  const oneList = Math.min(k, Math.max(4 * limit, ONE_LIST_CANDIDATES));
  // Every chunk holding any of the terms fits in one list.
  if (postingCount(index, terms) <= oneList) {
    collectExact(search, index.searchLexical(terms, k, scopeFilter), hits);
    return { hits, complete: true };
  }
  // Every match holds every keyword: the keyword whose terms are rarest picks the candidates.
  const drivers: { terms: string[]; postings: number }[] = [];
  for (const keyword of keywords) {
    const keyTerms = keywordTerms(index, keyword);
    // A keyword of words that no chunk holds occurs nowhere (but across two words, which the
    // index cannot tell): nothing matches every keyword.
    if (keyTerms.length === 0 && tokenize(keyword).length > 0) return { hits, complete: true };
    if (keyTerms.length > 0)
      drivers.push({ terms: keyTerms, postings: postingCount(index, keyTerms) });
  }
  const driver = drivers.sort((a, b) => a.postings - b.postings)[0];
  if (driver === undefined) return { hits, complete: true };
  if (driver.postings <= oneList) {
    collectExact(search, index.searchLexical(driver.terms, k, scopeFilter), hits);
    return { hits, complete: true };
  }
  // Too common for one list: the newest (or oldest) editions first, in slices expected to hold
  // a few times `limit` candidates, then twice as many each time, up to half a list. A slice
  // ends between dates, so later slices only hold later (or earlier) dates.
  const perChunk = driver.postings / Math.max(index.chunkCount, 1);
  let expected = Math.min(k / 2, Math.max(2 * limit, FIRST_SLICE_CANDIDATES));
  const mixed = new Set(scope.mixed.map((e) => e.editionId));
  let complete = true;
  let examined = 0;
  let next = 0;
  for (let s = 0; s === 0 || next < scope.dated.length; s++) {
    if (s === MAX_SLICES || (s > 0 && examined + expected > MAX_EXAMINED)) {
      // Out of slices before `limit` hits: keywords that seldom meet. Chunks holding several of
      // the query's terms rank first in BM25, so one list over the editions not searched yet
      // still finds the best of the older matches.
      const rest = scope.dated.slice(next);
      const best = index.searchLexical(
        terms,
        Math.min(oneList, ONE_LIST_CANDIDATES),
        editionFilter(index, rest),
      );
      collectExact(search, best, hits);
      complete = false;
      break;
    }
    // Editions that mix dates may hold any date: they are searched with the first slice.
    const slice = s === 0 ? [...scope.mixed] : [];
    let chunks = 0;
    while (next < scope.dated.length) {
      const edition = scope.dated[next] as ManifestEdition;
      if (chunks * perChunk >= expected && edition.date !== slice.at(-1)?.date) break;
      slice.push(edition);
      chunks += edition.chunkCount;
      next++;
    }
    const found = index.searchLexical(driver.terms, k, editionFilter(index, slice));
    if (found.length >= k) complete = false;
    examined += collectExact(search, found, hits);
    // Hits of editions that mix dates may lie anywhere in the order: they do not count here.
    const placed = hits.filter((h) => !mixed.has(h.article.editionId)).length;
    if (placed >= limit) {
      if (next < scope.dated.length) complete = false;
      break;
    }
    expected = Math.min(k / 2, expected * 2);
  }
  return { hits, complete };
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
 * Related articles, when none holds every keyword: among the best chunks for the query's
 * terms, the articles whose text holds at least 60% of its words.
 */
function findRelated(
  search: Search,
  terms: readonly string[],
  scope: Scope,
): { hits: ArticleHit[]; complete: boolean } {
  const { index, keep, limit } = search;
  const words = terms.filter((t) => t.length >= 2);
  if (words.length === 0) return { hits: [], complete: true };
  const filter = scope.everything
    ? undefined
    : editionFilter(index, [...scope.mixed, ...scope.dated]);
  const k = Math.min(RELATED_CHUNKS, Math.max(4 * limit, ONE_LIST_CANDIDATES));
  const found = index.searchLexical(terms, k, filter);
  const hits = [...articleScores(index, found).entries()].flatMap(([id, score]) => {
    const article = index.getArticle(id);
    if (!article || !keep(article)) return [];
    const text = matchText(index, article);
    const covered = words.filter((w) => text.includes(compact(w))).length / words.length;
    return covered >= 0.6 ? [{ article, score }] : [];
  });
  return { hits, complete: found.length < k };
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
