import type { Embedder } from "../embeddings/embedder.js";
import type { NewsIndex } from "../store/types.js";
import type { Chunk, Passage } from "../types.js";
import type { Reranker } from "../rerank/cross-encoder.js";
import { tokenize } from "../text/words.js";
import { compact, normalizeForMatch } from "../text/normalize.js";
import { fuseReciprocalRank } from "./fusion.js";
import type { QueryAnalysis } from "./query.js";
import { articleMatchText, articleTerms } from "./context.js";
import { askedSlot, bestSupport, maxSupport } from "./evidence.js";
import { analyzeTerms, subjectGroups, weightedCoverage, type TermGroup } from "./terms.js";
import {
  scoreSecondStage,
  SECOND_STAGE,
  SECOND_STAGE_FEATURES,
  type SecondStageWeights,
} from "./second-stage.js";

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
  let rescored: Rescored[];
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
    rescored = pool.map(({ key }, i) => {
      const score = 1 / (1 + Math.exp(-(scores[i] ?? Number.NEGATIVE_INFINITY)));
      return { key, chunk: chunks[i] as Chunk, upper: score, score: () => score };
    });
  } else {
    const scored = rerankBuiltIn(index, query, pool, {
      top,
      groups,
      phrases,
      subject,
      boost,
    });
    const weights = options.secondStage ?? SECOND_STAGE;
    if (options.onSecondStage) {
      const complete = scored.map((c) => ({ ...c, features: c.complete() }));
      options.onSecondStage(complete);
      rescored = complete.map(({ key, chunk, features }) => {
        const score = scoreSecondStage(features, weights);
        return { key, chunk, upper: score, score: () => score };
      });
    } else {
      const most = maxSupport(query.answerType);
      rescored = scored.map((c) => boundedScore(c, weights, most));
    }
  }

  const keptGrams: Set<string>[] = [];
  const kept = selectBest(rescored, limit, (candidate) => {
    const grams = bigrams(candidate.chunk.text);
    if (keptGrams.some((k) => bigramJaccard(k, grams) >= 0.8)) return false;
    keptGrams.push(grams);
    return true;
  });
  return kept.map(({ entry: c, score }, i) => {
    const passage: Passage = { chunk: c.chunk, rank: i + 1, score };
    const l = lexScore.get(c.key);
    const v = vecScore.get(c.key);
    if (l !== undefined) passage.lexicalScore = l;
    if (v !== undefined) passage.vectorScore = v;
    return passage;
  });
}

/** A candidate of the second stage: its score, and a bound on it known before the score is. */
interface Rescored {
  key: number;
  chunk: Chunk;
  /** No less than `score()`. */
  upper: number;
  score(): number;
}

/** Where the best sentence's support stands among SECOND_STAGE_FEATURES. */
const SENTENCE_FEATURE = SECOND_STAGE_FEATURES.indexOf("sentence");

/**
 * A built-in candidate's score under `weights`, computed when asked, and its bound: the other
 * features are known, and the best sentence's support lies in [0, most].
 */
function boundedScore(
  candidate: PoolCandidate,
  weights: SecondStageWeights,
  most: number,
): Rescored {
  const known = scoreSecondStage(candidate.known, weights);
  const w = weights.weights[SENTENCE_FEATURE] ?? 0;
  let score: number | undefined;
  return {
    key: candidate.key,
    chunk: candidate.chunk,
    // The margin absorbs the rounding of a sum taken in another order.
    upper: known + Math.max(0, w * most) + 1e-9,
    score: () => (score ??= scoreSecondStage(candidate.complete(), weights)),
  };
}

/**
 * The best `limit` candidates by score (ties by key) that `admit` accepts, asked in that order;
 * the same as sorting all by score, but a candidate is scored only while its bound could still
 * place it ahead of one already scored. The best sentence's support, the costly feature, is then
 * computed only for the candidates that can still matter.
 */
function selectBest(
  candidates: readonly Rescored[],
  limit: number,
  admit: (candidate: Rescored) => boolean,
): { entry: Rescored; score: number }[] {
  const waiting = [...candidates].sort((a, b) => b.upper - a.upper || a.key - b.key);
  // Scored candidates not yet taken, best first.
  const scored: { entry: Rescored; score: number }[] = [];
  const chosen: { entry: Rescored; score: number }[] = [];
  let next = 0;
  while (chosen.length < limit) {
    const head = scored[0];
    const bound = waiting[next]?.upper ?? Number.NEGATIVE_INFINITY;
    if (head && head.score > bound) {
      scored.shift();
      if (admit(head.entry)) chosen.push(head);
      continue;
    }
    const entry = waiting[next++];
    if (!entry) break;
    const item = { entry, score: entry.score() };
    const at = scored.findIndex(
      (s) => s.score < item.score || (s.score === item.score && s.entry.key > entry.key),
    );
    scored.splice(at === -1 ? scored.length : at, 0, item);
  }
  return chosen;
}

/**
 * A candidate of the built-in second stage: its features in the order of SECOND_STAGE_FEATURES,
 * with the best sentence's support (the costly one) left at 0 in `known` until `complete()`.
 */
interface PoolCandidate {
  key: number;
  chunk: Chunk;
  known: number[];
  complete(): number[];
}

/** The built-in second stage's candidates of `pool` (the best fused candidates). */
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
): PoolCandidate[] {
  const { top, groups, phrases, subject, boost } = context;
  const question = compact(normalizeForMatch(query.simplified));
  const slot = askedSlot(query);
  return pool.map(({ key, score }) => {
    const chunk = index.chunkAt(key);
    const chunkTerms = new Set([
      ...tokenize(chunk.text),
      ...tokenize(chunk.headline),
      ...chunk.byline,
    ]);
    const known = [
      score / top,
      0,
      weightedCoverage(groups, chunkTerms),
      weightedCoverage(subject, articleTerms(index, chunk.articleId)),
      phrases.length === 0
        ? 0
        : phrases.filter((p) => articleMatchText(index, chunk.articleId).includes(p)).length /
          phrases.length,
      boost ? boost(chunk) : 0,
      headlineMatch(question, chunk.headline),
    ];
    let features: number[] | undefined;
    return {
      key,
      chunk,
      known,
      complete: () => {
        features ??= known.with(SENTENCE_FEATURE, bestSupport(index, groups, slot, chunk));
        return features;
      },
    };
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
