/** Graph degree of the HNSW index (pgvector's, for the archive in PostgreSQL). */
export const HNSW_M = 16;
/**
 * Candidate list size while building; higher is slower to build and more accurate. Measured on
 * 18,815 chunk vectors (1024 dims, M=16; recall@11 of the true inner-product neighbours): 200 →
 * recall 0.998 at 507 inserts/s, 64 → 0.992 at 1,303/s, 40 → 0.974 at 2,155/s. 64 keeps recall
 * above 0.99 at 2.6× the build speed.
 */
export const HNSW_EF_CONSTRUCTION = 64;
/**
 * Candidate list size while searching (pgvector's hnsw.ef_search). With it, pgvector's top 10
 * over the dev questions' archive equal exact search (docs/scaling.md).
 */
export const HNSW_EF_SEARCH = 96;

/**
 * Scales each `dimensions`-long row of `vectors` to unit length in place, so inner product is
 * cosine similarity even if an embedder returns slightly denormalised output. Zero rows stay zero.
 */
export function normalizeRows(vectors: Float32Array, dimensions: number): void {
  for (let start = 0; start < vectors.length; start += dimensions) {
    let sum = 0;
    for (let i = start; i < start + dimensions; i++) sum += (vectors[i] ?? 0) ** 2;
    if (sum === 0) continue;
    const scale = 1 / Math.sqrt(sum);
    for (let i = start; i < start + dimensions; i++) vectors[i] = (vectors[i] ?? 0) * scale;
  }
}

/**
 * What a vector search over `count` rows of `dimensions` starts from: the query scaled to unit
 * length and how many hits to return; undefined when none can be. Throws when the query has the
 * wrong length.
 */
export function prepareQuery(
  query: Float32Array,
  k: number,
  count: number,
  dimensions: number,
): { unit: Float32Array; limit: number } | undefined {
  if (query.length !== dimensions) {
    throw new Error(`query vector has ${query.length} dimensions, the index ${dimensions}`);
  }
  const limit = Math.min(Math.floor(k), count);
  if (limit <= 0) return undefined;
  const unit = Float32Array.from(query);
  normalizeRows(unit, dimensions);
  return { unit, limit };
}
