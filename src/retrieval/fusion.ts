/** One ranked list to fuse: item keys best first, with a weight for the list. */
export interface RankedList {
  keys: readonly number[];
  weight: number;
}

/**
 * Reciprocal rank fusion: score(d) = Σ weight / (k + rank(d)). Robust to lists whose raw scores
 * are not comparable (BM25 vs cosine). Returns keys with fused scores, best first.
 */
export function fuseReciprocalRank(
  lists: readonly RankedList[],
  k = 60,
): { key: number; score: number }[] {
  const scores = new Map<number, number>();
  for (const list of lists) {
    list.keys.forEach((key, i) => {
      scores.set(key, (scores.get(key) ?? 0) + list.weight / (k + i + 1));
    });
  }
  return [...scores.entries()]
    .map(([key, score]) => ({ key, score }))
    .sort((a, b) => b.score - a.score || a.key - b.key);
}
