import type { Embedder } from "../embeddings/embedder.js";
import type { NewsIndex } from "../store/types.js";
import type { Chunk, Passage } from "../types.js";
import { tokenize } from "../text/segment.js";
import { compact } from "../text/normalize.js";
import { fuseReciprocalRank } from "./fusion.js";
import type { QueryAnalysis } from "./query.js";

/** Options of one hybrid search. */
export interface SearchOptions {
  /** Passages to return. Defaults to 10. */
  limit?: number;
  /** Candidates taken from each retriever before fusion. Defaults to 50. */
  candidates?: number;
  /** Only chunks for which this returns true are kept (date or paper filters). */
  filter?: (chunk: Chunk) => boolean;
}

/** Inverse document frequency of a term in the index (BM25 form, never negative). */
export function termIdf(index: NewsIndex, term: string): number {
  const n = index.chunkCount;
  const df = index.documentFrequency(term);
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}

/**
 * Share of the query's IDF mass that a chunk covers: a term in the passage counts fully, a term
 * only in its headline counts partly (the headline gives context, not the fact).
 */
export function termCoverage(
  index: NewsIndex,
  queryTerms: readonly string[],
  chunk: Chunk,
  headlineWeight = 0.5,
): number {
  const unique = [...new Set(queryTerms)];
  if (unique.length === 0) return 0;
  const body = new Set(tokenize(chunk.text));
  const head = new Set(tokenize(chunk.headline));
  let total = 0;
  let covered = 0;
  for (const term of unique) {
    const idf = termIdf(index, term);
    total += idf;
    if (body.has(term)) covered += idf;
    else if (head.has(term)) covered += idf * headlineWeight;
  }
  return total > 0 ? covered / total : 0;
}

/** Character-bigram Jaccard similarity, for near-duplicate detection. */
function bigramJaccard(a: string, b: string): number {
  const grams = (s: string): Set<string> => {
    const c = compact(s);
    const out = new Set<string>();
    for (let i = 0; i + 2 <= c.length; i++) out.add(c.slice(i, i + 2));
    return out;
  };
  const ga = grams(a);
  const gb = grams(b);
  if (ga.size === 0 || gb.size === 0) return 0;
  let inter = 0;
  for (const g of ga) if (gb.has(g)) inter++;
  return inter / (ga.size + gb.size - inter);
}

/**
 * Hybrid retrieval: BM25 over jieba terms and vector search, fused by reciprocal rank, then
 * re-scored by query-term coverage; near-duplicate passages collapse into the best-ranked one.
 */
export async function searchHybrid(
  index: NewsIndex,
  embedder: Embedder,
  query: QueryAnalysis,
  options: SearchOptions = {},
): Promise<Passage[]> {
  const limit = options.limit ?? 10;
  const candidates = options.candidates ?? 50;
  const lexTerms = [...query.terms, ...query.expansions];
  const wide = options.filter ? candidates * 4 : candidates;
  const lexical = index.searchLexical(lexTerms, wide);
  const vector = index.searchVector(await embedder.embedQuery(query.simplified), wide);

  const accept = (i: number): boolean => !options.filter || options.filter(index.chunkAt(i));
  const lexKeys = lexical
    .map((h) => h.chunkIndex)
    .filter(accept)
    .slice(0, candidates);
  const vecKeys = vector
    .map((h) => h.chunkIndex)
    .filter(accept)
    .slice(0, candidates);
  const fused = fuseReciprocalRank([
    { keys: lexKeys, weight: 1 },
    { keys: vecKeys, weight: 1 },
  ]);
  if (fused.length === 0) return [];

  const lexScore = new Map(lexical.map((h) => [h.chunkIndex, h.score]));
  const vecScore = new Map(vector.map((h) => [h.chunkIndex, h.score]));
  const top = fused[0]?.score ?? 1;
  const rescored = fused.slice(0, Math.max(limit * 3, 30)).map(({ key, score }) => {
    const chunk = index.chunkAt(key);
    const coverage = termCoverage(index, lexTerms, chunk);
    return { key, chunk, score: 0.5 * (score / top) + 0.5 * coverage };
  });
  rescored.sort((a, b) => b.score - a.score || a.key - b.key);

  const kept: typeof rescored = [];
  for (const candidate of rescored) {
    if (kept.length >= limit) break;
    const dup = kept.some((k) => bigramJaccard(k.chunk.text, candidate.chunk.text) >= 0.8);
    if (!dup) kept.push(candidate);
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
