/**
 * 2-bit codes of unit vectors, laid out for the fast-scan kernel (kernel.wat).
 *
 * Each dimension of a stored vector is kept as one of four levels, chosen by sign and by whether
 * its magnitude passes LEVEL_THRESHOLD; a query scores every code against its own float vector
 * (asymmetric distance), through per-position tables of 8-bit partial scores. The scores only
 * pick candidates: the index re-ranks them by the exact inner product of the float rows.
 *
 * Layout: vectors are grouped in blocks of BLOCK_VECTORS. A vector has `codeBytes(dims)` bytes;
 * byte j holds dimensions 4j..4j+3 (two bits each, lowest first). In a block, byte j of its 16
 * vectors lies side by side at 16 * j, so the kernel loads one position of 16 vectors at once.
 */

/** Vectors per block: the lanes of a 128-bit register of bytes. */
export const BLOCK_VECTORS = 16;
/**
 * Unit vectors of the built-in and of most neural embedders spread each dimension about zero with
 * a standard deviation near 1/sqrt(dims). Levels and threshold are those of the optimal 4-level
 * quantiser of a normal distribution (Lloyd-Max): ±0.4528σ and ±1.510σ, split at ±0.9816σ.
 */
const LEVEL_THRESHOLD = 0.9816;
/** Reconstruction value of code 0..3, in units of σ: large negative .. large positive. */
export const LEVELS: readonly number[] = [-1.51, -0.4528, 0.4528, 1.51];
/** Largest magnitude of a table entry: the tables are signed bytes. */
const TABLE_LIMIT = 127;
/** Largest magnitude of a 16-bit score sum. */
const SUM_LIMIT = 32_767;

/** Bytes of codes per vector of `dims` dimensions. */
export function codeBytes(dims: number): number {
  return Math.ceil(dims / 4);
}

/** Bytes of codes of `count` vectors of `dims` dimensions: whole blocks. */
export function codesLength(count: number, dims: number): number {
  return Math.ceil(count / BLOCK_VECTORS) * BLOCK_VECTORS * codeBytes(dims);
}

/**
 * The codes of `count` rows of `vectors` (`dims` floats each), in block layout. Rows need not be
 * normalised exactly: each is measured against its own σ (norm / sqrt(dims)). Never throws.
 */
export function encodeCodes(vectors: Float32Array, count: number, dims: number): Uint8Array {
  const bytes = codeBytes(dims);
  const out = new Uint8Array(codesLength(count, dims));
  for (let v = 0; v < count; v++) {
    const row = v * dims;
    let sum = 0;
    for (let d = 0; d < dims; d++) sum += (vectors[row + d] ?? 0) ** 2;
    const threshold = (LEVEL_THRESHOLD * Math.sqrt(sum)) / Math.sqrt(dims);
    const base = Math.floor(v / BLOCK_VECTORS) * BLOCK_VECTORS * bytes + (v % BLOCK_VECTORS);
    for (let d = 0; d < dims; d++) {
      const x = vectors[row + d] ?? 0;
      const large = Math.abs(x) > threshold;
      const code = x < 0 ? (large ? 0 : 1) : large ? 3 : 2;
      const at = base + BLOCK_VECTORS * (d >> 2);
      out[at] = (out[at] ?? 0) | (code << (2 * (d & 3)));
    }
  }
  return out;
}

/** What a query scores codes with (see `queryTables`). */
export interface QueryTables {
  /** Byte offsets in a block (16 * j) of the code positions the query has weight on. */
  active: Int32Array;
  /** Per active position, 16 partial scores for its low nibble, then 16 for its high nibble. */
  tables: Int8Array;
}

/**
 * The tables with which `query` (`dims` floats) scores codes: the score of a vector approximates
 * the inner product of the query with it, up to one positive scale per query. Positions where
 * the query is zero are left out (queries of the built-in embedder are sparse). Never throws.
 */
export function queryTables(query: Float32Array, dims: number): QueryTables {
  const positions = codeBytes(dims);
  const active = new Int32Array(positions);
  const values = new Float64Array(32 * positions);
  let count = 0;
  let largest = 0;
  let sumOfLargest = 0;
  for (let j = 0; j < positions; j++) {
    const q0 = 4 * j < dims ? (query[4 * j] ?? 0) : 0;
    const q1 = 4 * j + 1 < dims ? (query[4 * j + 1] ?? 0) : 0;
    const q2 = 4 * j + 2 < dims ? (query[4 * j + 2] ?? 0) : 0;
    const q3 = 4 * j + 3 < dims ? (query[4 * j + 3] ?? 0) : 0;
    if (q0 === 0 && q1 === 0 && q2 === 0 && q3 === 0) continue;
    active[count] = BLOCK_VECTORS * j;
    const at = 32 * count++;
    // Low nibble: dimensions 4j and 4j+1; high nibble: 4j+2 and 4j+3.
    for (const [offset, qa, qb] of [
      [0, q0, q1],
      [16, q2, q3],
    ] as const) {
      let pairLargest = 0;
      for (let nibble = 0; nibble < 16; nibble++) {
        const value = qa * (LEVELS[nibble & 3] ?? 0) + qb * (LEVELS[nibble >> 2] ?? 0);
        values[at + offset + nibble] = value;
        pairLargest = Math.max(pairLargest, Math.abs(value));
      }
      largest = Math.max(largest, pairLargest);
      sumOfLargest += pairLargest;
    }
  }
  // Each entry must fit a signed byte, and the sum over all positions a 16-bit lane (rounding
  // adds at most one per table).
  const scale =
    largest === 0 ? 0 : Math.min(TABLE_LIMIT / largest, (SUM_LIMIT - 2 * count) / sumOfLargest);
  const tables = new Int8Array(32 * count);
  for (let i = 0; i < tables.length; i++) tables[i] = Math.round((values[i] ?? 0) * scale);
  return { active: active.slice(0, count), tables };
}

/**
 * The kernel's computation in plain JavaScript: the score of each of `count` vectors, exactly as
 * the WebAssembly kernel sums it. Used where WebAssembly SIMD is unavailable, and by the tests.
 */
export function scanScores(
  codes: Uint8Array,
  count: number,
  dims: number,
  query: QueryTables,
): Int16Array {
  const blockBytes = BLOCK_VECTORS * codeBytes(dims);
  const blocks = Math.ceil(count / BLOCK_VECTORS);
  const out = new Int16Array(blocks * BLOCK_VECTORS);
  const { active, tables } = query;
  for (let b = 0; b < blocks; b++) {
    for (let lane = 0; lane < BLOCK_VECTORS; lane++) {
      let sum = 0;
      for (let a = 0; a < active.length; a++) {
        const byte = codes[b * blockBytes + (active[a] ?? 0) + lane] ?? 0;
        sum += (tables[32 * a + (byte & 15)] ?? 0) + (tables[32 * a + 16 + (byte >> 4)] ?? 0);
      }
      out[b * BLOCK_VECTORS + lane] = sum;
    }
  }
  return out;
}
