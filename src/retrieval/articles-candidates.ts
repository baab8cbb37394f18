import { dateInFilter } from "../dates/date-in-filter.js";
import type { LexicalHit, ManifestEdition, NewsIndex } from "../store/types.js";
import type { Article } from "../types.js";
import { compact, normalizeForMatch } from "../text/normalize.js";
import { STOPWORDS, tokenize } from "../text/words.js";
import type { DateRange } from "./articles-search-text.js";
import { articleMatchText } from "./context.js";

/** One article found by a search. */
export interface ArticleHit {
  article: Article;
  /** Relevance: larger is better; comparable within one search only. */
  score: number;
}

/** Date slices searched at most when the keywords are too common for one search. */
const MAX_SLICES = 6;
/** Articles read at most by one search before it stops and reports `more`. */
export const MAX_EXAMINED = 1_500;
/** Chunks searched for related articles when none holds every keyword, at most. */
const RELATED_CHUNKS = 500;
/** Orders dates newest or oldest first, unknown dates last in either order. */
export function compareDates(
  da: string | null,
  db: string | null,
  order: "newest" | "oldest",
): number {
  if (da === db) return 0;
  if (da === null) return 1;
  if (db === null) return -1;
  return order === "newest" ? db.localeCompare(da) : da.localeCompare(db);
}

/** Orders articles by date (unknown dates last), then by relevance, then by layout position. */
export function compareHits(order: "newest" | "oldest"): (a: ArticleHit, b: ArticleHit) => number {
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
export interface Scope {
  /** Editions whose paper and date pass the filters, in the order of the search (by date). */
  dated: ManifestEdition[];
  /** Editions that may mix papers and dates: searched whole and first, their articles tested. */
  mixed: ManifestEdition[];
  /** True when the scope is every edition, so that searches need no filter. */
  everything: boolean;
}

/** Whether a paper's name contains `wanted` (normalised); each name is normalised once. */
export function paperMatcher(wanted: string | undefined): (paper: string) => boolean {
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

/**
 * The editions passing the date and paper filters, in the search's date order (see Scope). Never
 * throws.
 */
export function searchScope(
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

/** A chunk filter keeping the chunks of `editions`, from the index's catalog in memory. */
function editionFilter(
  index: NewsIndex,
  editions: readonly ManifestEdition[],
): (chunkIndex: number) => boolean {
  const wanted = new Set(editions.map((e) => e.editionId));
  return (i) => wanted.has(index.editionOfChunk(i));
}

/** Each candidate chunk's article with its BM25: its best chunk, plus a little for each further one. */
function articleScores(index: NewsIndex, hits: readonly LexicalHit[]): Map<string, number> {
  const scores = new Map<string, number>();
  for (const hit of hits) {
    // From memory: reading each candidate chunk costs more than its article.
    const id = index.articleIdOfChunk(hit.chunkIndex);
    const prev = scores.get(id);
    scores.set(
      id,
      prev === undefined ? hit.score : Math.max(prev, hit.score) + 0.1 * Math.min(prev, hit.score),
    );
  }
  return scores;
}

/** What one request of `searchArticles` has in hand while it searches. */
export interface Search {
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
    // The headline and body as the answer path matches them, from its cache (context.ts).
    const text = articleMatchText(index, id);
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
 * cut into words as the keyword is, it has all of the keyword's terms, so the rarest one will do;
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
export function findExact(
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
 * Related articles, when none holds every keyword: among the best chunks for the query's
 * terms, the articles whose text holds at least 60% of its words.
 */
export function findRelated(
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
    const text = articleMatchText(index, id);
    const covered = words.filter((w) => text.includes(compact(w))).length / words.length;
    return covered >= 0.6 ? [{ article, score }] : [];
  });
  return { hits, complete: found.length < k };
}
