import { endianness } from "node:os";
import hnswlib from "hnswlib-node";
import type { VectorHit } from "./types.js";

const { HierarchicalNSW } = hnswlib;
type Hnsw = InstanceType<typeof HierarchicalNSW>;

/** Graph degree of the HNSW index. */
export const HNSW_M = 16;
/** Candidate list size while building; higher is slower to build and more accurate. */
export const HNSW_EF_CONSTRUCTION = 200;
/**
 * Candidate list size while searching (hnswlib uses max(ef, k)). A first guess between 64 and 128;
 * to be tuned against the eval set.
 */
export const HNSW_EF_SEARCH = 96;
/** Fixed seed so that the same vectors always give the same graph (and the same file). */
const HNSW_RANDOM_SEED = 100;

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

/** The bytes of `vectors.f32`: the rows as little-endian float32, in chunk order. Never throws. */
export function encodeVectors(vectors: Float32Array): Uint8Array {
  assertLittleEndian();
  return new Uint8Array(vectors.buffer, vectors.byteOffset, vectors.byteLength);
}

/** Reads `vectors.f32` into `count` rows of `dimensions`. Throws an Error when the size does not fit. */
export function decodeVectors(bytes: Uint8Array, count: number, dimensions: number): Float32Array {
  assertLittleEndian();
  const expected = count * dimensions * 4;
  if (bytes.byteLength !== expected) {
    throw new Error(`vectors.f32 is ${bytes.byteLength} bytes, expected ${expected}`);
  }
  const copy = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + expected) as ArrayBuffer;
  return new Float32Array(copy);
}

/** A loaded HNSW graph whose labels are chunk ordinals. */
export class VectorIndex {
  private constructor(
    private readonly hnsw: Hnsw,
    readonly count: number,
    readonly dimensions: number,
  ) {
    hnsw.setEf(HNSW_EF_SEARCH);
  }

  /**
   * Builds the graph (space "ip", M=16, efConstruction=200) from `count` unit rows; label i is
   * chunk ordinal i. Throws when hnswlib rejects the input.
   */
  static build(vectors: Float32Array, count: number, dimensions: number): VectorIndex {
    const hnsw = new HierarchicalNSW("ip", dimensions);
    // hnswlib refuses maxElements 0; an empty index is still a valid (if useless) one.
    hnsw.initIndex({
      maxElements: Math.max(count, 1),
      m: HNSW_M,
      efConstruction: HNSW_EF_CONSTRUCTION,
      randomSeed: HNSW_RANDOM_SEED,
    });
    addRows(hnsw, vectors, 0, count, dimensions);
    return new VectorIndex(hnsw, count, dimensions);
  }

  /**
   * Loads a graph of `previousCount` points and adds rows previousCount..count-1 of `vectors`:
   * when a run only appends chunks this saves rebuilding the graph, the slowest step after
   * embedding. Only call it on a checksum-verified file. Throws like `read`.
   */
  static extend(
    path: string,
    previousCount: number,
    vectors: Float32Array,
    count: number,
    dimensions: number,
  ): VectorIndex {
    const hnsw = readGraph(path, previousCount, dimensions);
    if (count > hnsw.getMaxElements()) hnsw.resizeIndex(count);
    addRows(hnsw, vectors, previousCount, count, dimensions);
    return new VectorIndex(hnsw, count, dimensions);
  }

  /**
   * Loads a graph written by `write`. Only call it on a checksum-verified file: hnswlib trusts
   * the bytes it reads. Throws when hnswlib cannot read it or it holds another number of points.
   */
  static read(path: string, count: number, dimensions: number): VectorIndex {
    return new VectorIndex(readGraph(path, count, dimensions), count, dimensions);
  }

  /** Writes the graph to a file (not fsynced). Throws on I/O errors. */
  async write(path: string): Promise<void> {
    await this.hnsw.writeIndex(path);
  }

  /**
   * Nearest rows to `query` by inner product, best first, as cosine scores (the query is
   * normalised here). Throws when the query has the wrong length.
   */
  search(query: Float32Array, k: number, filter?: (label: number) => boolean): VectorHit[] {
    if (query.length !== this.dimensions) {
      throw new Error(`query vector has ${query.length} dimensions, the index ${this.dimensions}`);
    }
    const limit = Math.min(Math.floor(k), this.count);
    if (limit <= 0) return [];
    const unit = Float32Array.from(query);
    normalizeRows(unit, this.dimensions);
    const result = filter
      ? this.hnsw.searchKnn(Array.from(unit), limit, filter)
      : this.hnsw.searchKnn(Array.from(unit), limit);
    return result.neighbors.map((label, i) => ({
      chunkIndex: label,
      score: 1 - (result.distances[i] ?? 1),
    }));
  }
}

function readGraph(path: string, count: number, dimensions: number): Hnsw {
  const hnsw = new HierarchicalNSW("ip", dimensions);
  hnsw.readIndexSync(path);
  const held = hnsw.getCurrentCount();
  if (held !== count) throw new Error(`vectors.hnsw holds ${held} points, expected ${count}`);
  return hnsw;
}

function addRows(hnsw: Hnsw, vectors: Float32Array, from: number, to: number, dims: number): void {
  for (let i = from; i < to; i++) {
    // The binding only accepts plain arrays.
    hnsw.addPoint(Array.from(vectors.subarray(i * dims, (i + 1) * dims)), i);
  }
}

function assertLittleEndian(): void {
  if (endianness() !== "LE")
    throw new Error("vectors.f32 is little-endian; big-endian hosts are not supported");
}
