import type { Embedder } from "../embeddings/embedder.js";
import type { NewsIndex } from "../store/types.js";
import type { Chunk, Passage } from "../types.js";
import { tokenize } from "../text/segment.js";
import { compact } from "../text/normalize.js";
import { fuseReciprocalRank } from "./fusion.js";
import type { QueryAnalysis } from "./query.js";
import { articleMatchText, articleTerms } from "./context.js";
import { scoreSentences } from "./evidence.js";
import { analyzeTerms, weightedCoverage, type TermGroup } from "./terms.js";

/** Options of one hybrid search. */
export interface SearchOptions {
  /** Passages to return. Defaults to 10. */
  limit?: number;
  /** Candidates taken from each retriever before fusion. Defaults to 50. */
  candidates?: number;
  /** Only chunks for which this returns true are kept (date or paper filters). */
  filter?: (chunk: Chunk) => boolean;
  /** Term groups of the question, when the caller already built them. */
  groups?: readonly TermGroup[];
  /** Noun phrases of the question, when the caller already found them. */
  phrases?: readonly string[];
}

/** Weights of the second-stage score: fused rank, best sentence, chunk and article coverage. */
const RERANK_WEIGHTS = {
  fused: 0.15,
  sentence: 0.35,
  chunk: 0.15,
  /** Coverage of what the question is about (not what it asks) by the whole article. */
  subject: 0.25,
  /** The question's noun phrases found as written ("德龙烟铁路", "设计城"). */
  phrase: 0.1,
} as const;

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
  const subjectGroups = groups.filter((g) => !g.attribute);
  const lexTerms = [...query.terms, ...query.expansions];
  const filter = options.filter;
  const accept = filter ? (i: number) => filter(index.chunkAt(i)) : undefined;
  const lexical = index.searchLexical(lexTerms, candidates, accept);
  const vector = index.searchVector(
    await embedder.embedQuery(query.simplified),
    candidates,
    accept,
  );

  const fused = fuseReciprocalRank([
    { keys: lexical.map((h) => h.chunkIndex), weight: 1 },
    { keys: vector.map((h) => h.chunkIndex), weight: 1 },
  ]);
  if (fused.length === 0) return [];

  const lexScore = new Map(lexical.map((h) => [h.chunkIndex, h.score]));
  const vecScore = new Map(vector.map((h) => [h.chunkIndex, h.score]));
  const top = fused[0]?.score ?? 1;
  const rescored = fused.slice(0, Math.max(limit * 4, 40)).map(({ key, score }) => {
    const chunk = index.chunkAt(key);
    const sentences = scoreSentences(index, groups, query.answerType, chunk);
    const best = Math.max(0, ...sentences.map((s) => s.support));
    const chunkTerms = new Set([
      ...tokenize(chunk.text),
      ...tokenize(chunk.headline),
      ...chunk.byline,
    ]);
    const local = weightedCoverage(groups, chunkTerms);
    const subject = weightedCoverage(subjectGroups, articleTerms(index, chunk.articleId));
    const articleText = articleMatchText(index, chunk.articleId);
    const phrase =
      phrases.length === 0
        ? 0
        : phrases.filter((p) => articleText.includes(p)).length / phrases.length;
    const total =
      RERANK_WEIGHTS.fused * (score / top) +
      RERANK_WEIGHTS.sentence * best +
      RERANK_WEIGHTS.chunk * local +
      RERANK_WEIGHTS.subject * subject +
      RERANK_WEIGHTS.phrase * phrase;
    return { key, chunk, score: total };
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
