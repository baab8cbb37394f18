import type { Embedder } from "../embeddings/embedder.js";
import type { NewsIndex } from "../store/types.js";
import type { Chunk, Passage } from "../types.js";
import type { Reranker } from "../rerank/cross-encoder.js";
import { tokenize } from "../text/words.js";
import { compact, normalizeForMatch } from "../text/normalize.js";
import { fuseReciprocalRank } from "./fusion.js";
import type { QueryAnalysis } from "./query.js";
import { articleMatchText, articleTerms } from "./context.js";
import { bestSupport } from "./evidence.js";
import { analyzeTerms, subjectGroups, weightedCoverage, type TermGroup } from "./terms.js";
import { scoreSecondStage, type SecondStageWeights } from "./second-stage.js";

/** Options of one hybrid search. */
export interface SearchOptions {
  /** Passages to return. Defaults to 10. */
  limit?: number;
  /** Candidates taken from each retriever before fusion. Defaults to 50. */
  candidates?: number;
  /**
   * Only chunks for which this returns true are kept, asked by their place in the index: it must
   * answer from the catalog (`editionOfChunk`, `articleIdOfChunk`), since a restrictive filter
   * is asked of most of the archive's chunks, and reading each one takes seconds at 100,000s.
   */
  filter?: (chunkIndex: number) => boolean;
  /** Term groups of the question, when the caller already built them. */
  groups?: readonly TermGroup[];
  /** Noun phrases of the question, when the caller already found them. */
  phrases?: readonly string[];
  /**
   * A cross-encoder that re-ranks the fused candidates instead of the built-in second stage.
   * Defaults to none (the built-in stage).
   */
  reranker?: Reranker;
  /** Fused candidates the cross-encoder scores. Defaults to 20. */
  rerankCandidates?: number;
  /**
   * A small bonus per chunk, added by the built-in second stage (the time a question names, as
   * a boost rather than a filter). Returns a value in [0, 1].
   */
  boost?: (chunk: Chunk) => number;
  /** The second stage's weights. Defaults to the fitted ones (SECOND_STAGE). */
  secondStage?: SecondStageWeights;
  /** Receives the built-in second stage's candidates with their features (for `npm run fit`). */
  onSecondStage?: (pool: readonly { chunk: Chunk; features: number[] }[]) => void;
}

/** Fused candidates the built-in second stage scores: four per hit asked for, at least this many. */
const RERANK_POOL = 40;

/** The character bigrams of a text, for near-duplicate detection. */
function bigrams(text: string): Set<string> {
  const c = compact(text);
  const out = new Set<string>();
  for (let i = 0; i + 2 <= c.length; i++) out.add(c.slice(i, i + 2));
  return out;
}

/** Jaccard similarity of two bigram sets. */
function bigramJaccard(ga: ReadonlySet<string>, gb: ReadonlySet<string>): number {
  if (ga.size === 0 || gb.size === 0) return 0;
  let inter = 0;
  for (const g of ga) if (gb.has(g)) inter++;
  return inter / (ga.size + gb.size - inter);
}

/**
 * Hybrid retrieval: BM25 over jieba terms and vector search, fused by reciprocal rank, then
 * re-ranked by how well the chunk's best sentence, the chunk and its article cover the question
 * (weighted by IDF, with aliases and answer type); near-duplicate passages collapse.
 */
export async function searchHybrid(
  index: NewsIndex,
  embedder: Embedder,
  query: QueryAnalysis,
  options: SearchOptions = {},
): Promise<Passage[]> {
  const limit = options.limit ?? 10;
  const candidates = options.candidates ?? 50;
  const analysis = options.groups === undefined ? analyzeTerms(index, query.simplified) : undefined;
  const groups = options.groups ?? analysis?.groups ?? [];
  const phrases = options.phrases ?? analysis?.phrases ?? [];
  const subject = subjectGroups(groups);
  const lexTerms = [...query.terms, ...query.expansions];
  const accept = options.filter;
  const [queryVector] = await Promise.all([
    embedder.embedQuery(query.simplified),
    index.prefetchTerms(lexTerms),
  ]);
  const lexical = index.searchLexical(lexTerms, candidates, accept);
  const vector = await index.searchVectorReadingAhead(queryVector, candidates, accept);

  const fused = fuseReciprocalRank([
    { keys: lexical.map((h) => h.chunkIndex), weight: 1 },
    { keys: vector.map((h) => h.chunkIndex), weight: 1 },
  ]);
  if (fused.length === 0) return [];

  const lexScore = new Map(lexical.map((h) => [h.chunkIndex, h.score]));
  const vecScore = new Map(vector.map((h) => [h.chunkIndex, h.score]));
  const top = fused[0]?.score ?? 1;
  const boost = options.boost;
  let rescored: { key: number; chunk: Chunk; score: number }[];
  const pool = options.reranker
    ? fused.slice(0, Math.max(limit, options.rerankCandidates ?? 20))
    : fused.slice(0, Math.max(limit * 4, RERANK_POOL));
  await index.prefetchChunks(pool.map(({ key }) => key));
  if (options.reranker) {
    const chunks = pool.map(({ key }) => index.chunkAt(key));
    const scores = await options.reranker.score(
      query.simplified,
      chunks.map((c) => `${c.headline}\n${c.text}`),
    );
    // Logits become probabilities, so that passage scores stay in 0..1 as the answer composer
    // expects whatever the model's scale.
    rescored = pool.map(({ key }, i) => ({
      key,
      chunk: chunks[i] as Chunk,
      score: 1 / (1 + Math.exp(-(scores[i] ?? Number.NEGATIVE_INFINITY))),
    }));
  } else {
    const scored = rerankBuiltIn(index, query, pool, {
      top,
      groups,
      phrases,
      subject,
      boost,
    });
    options.onSecondStage?.(scored);
    rescored = scored.map(({ key, chunk, features }) => ({
      key,
      chunk,
      score: scoreSecondStage(features, options.secondStage),
    }));
  }
  rescored.sort((a, b) => b.score - a.score || a.key - b.key);

  const kept: (typeof rescored)[number][] = [];
  const keptGrams: Set<string>[] = [];
  for (const candidate of rescored) {
    if (kept.length >= limit) break;
    const grams = bigrams(candidate.chunk.text);
    if (keptGrams.some((k) => bigramJaccard(k, grams) >= 0.8)) continue;
    kept.push(candidate);
    keptGrams.push(grams);
  }
  return kept.map((c, i) => {
    const passage: Passage = { chunk: c.chunk, rank: i + 1, score: c.score };
    const l = lexScore.get(c.key);
    const v = vecScore.get(c.key);
    if (l !== undefined) passage.lexicalScore = l;
    if (v !== undefined) passage.vectorScore = v;
    return passage;
  });
}

/**
 * The built-in second stage's features of each candidate of `pool` (the best fused candidates), in
 * the order of SECOND_STAGE_FEATURES.
 */
function rerankBuiltIn(
  index: NewsIndex,
  query: QueryAnalysis,
  pool: readonly { key: number; score: number }[],
  context: {
    top: number;
    groups: readonly TermGroup[];
    phrases: readonly string[];
    subject: readonly TermGroup[];
    boost: ((chunk: Chunk) => number) | undefined;
  },
): { key: number; chunk: Chunk; features: number[] }[] {
  const { top, groups, phrases, subject, boost } = context;
  const question = compact(normalizeForMatch(query.simplified));
  return pool.map(({ key, score }) => {
    const chunk = index.chunkAt(key);
    const chunkTerms = new Set([
      ...tokenize(chunk.text),
      ...tokenize(chunk.headline),
      ...chunk.byline,
    ]);
    const features = [
      score / top,
      bestSupport(index, groups, query.answerType, chunk),
      weightedCoverage(groups, chunkTerms),
      weightedCoverage(subject, articleTerms(index, chunk.articleId)),
      phrases.length === 0
        ? 0
        : phrases.filter((p) => articleMatchText(index, chunk.articleId).includes(p)).length /
          phrases.length,
      boost ? boost(chunk) : 0,
      headlineMatch(question, chunk.headline),
    ];
    return { key, chunk, features };
  });
}

/** Headlines compared at most this long: a headline sentence is matched by its opening words. */
const MAX_HEADLINE_CHARS = 40;

/**
 * How much of a headline the question repeats as written: the longest common substring (at
 * least two characters) over the headline's length, 0..1. A title the question names whole
 * ("嘉兴南站") scores 1; a long news headline sharing a name scores a little.
 */
export function headlineMatch(question: string, headline: string): number {
  const h = compact(normalizeForMatch(headline)).slice(0, MAX_HEADLINE_CHARS);
  if (h.length < 2 || question.length < 2) return 0;
  let best = 0;
  let previous = new Uint16Array(h.length + 1);
  let current = new Uint16Array(h.length + 1);
  for (let i = 1; i <= question.length; i++) {
    for (let j = 1; j <= h.length; j++) {
      current[j] = question[i - 1] === h[j - 1] ? (previous[j - 1] ?? 0) + 1 : 0;
      if ((current[j] ?? 0) > best) best = current[j] ?? 0;
    }
    [previous, current] = [current, previous];
  }
  return best < 2 ? 0 : best / h.length;
}
