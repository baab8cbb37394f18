import { KERNEL_WASM_BASE64 } from "./kernel-wasm.js";
import { BLOCK_VECTORS, type QueryTables, codeBytes, codesLength, scanScores } from "./codes.js";

const PAGE_BYTES = 65_536;

/** What this module uses of the WebAssembly API (Node's types leave it to the DOM library). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

interface KernelExports {
  memory: WasmMemory;
  scan(
    codes: number,
    blocks: number,
    blockBytes: number,
    active: number,
    activeCount: number,
    tables: number,
    out: number,
  ): void;
  histogram(scores: number, count: number, histogram: number): void;
  collect(scores: number, count: number, low: number, high: number, out: number): number;
}

/** Buckets of `CodeScanner.histogram`: 8 score units each (as kernel.wat's histogram). */
export const HISTOGRAM_BUCKETS = 8_192;
/** The bucket of a score in `CodeScanner.histogram`. */
export function bucketOf(score: number): number {
  return (score + 32_768) >> 3;
}
/** The lowest score of a bucket (`bucketOf(bucketStart(b)) === b`). */
export function bucketStart(bucket: number): number {
  return 8 * bucket - 32_768;
}

let kernel: object | null | undefined;

/**
 * The compiled kernel, or undefined where this runtime cannot run it (WebAssembly SIMD missing);
 * compiled once per process. Never throws.
 */
function kernelModule(): object | undefined {
  if (kernel === undefined) {
    try {
      kernel = new wasm.Module(Buffer.from(KERNEL_WASM_BASE64, "base64"));
    } catch {
      kernel = null;
    }
  }
  return kernel ?? undefined;
}

/** Whether scanners of this process run the WebAssembly kernel. Never throws. */
export function kernelAvailable(): boolean {
  return kernelModule() !== undefined;
}

/** Options of `CodeScanner`. */
export interface CodeScannerOptions {
  /** Use the plain JavaScript scan even where the kernel runs. For tests. Defaults to false. */
  portable?: boolean;
}

/** What a scanner does over its codes: by the kernel, or in plain JavaScript. */
interface ScanBackend {
  scores(query: QueryTables): Int16Array;
  histogram(): Uint32Array;
  collect(low: number, high: number): Int32Array;
}

/**
 * The codes of one segment's vectors, held in the kernel's memory, and the scan over them. The
 * codes are written once into `codes` before the first scan. Throws RangeError when the codes do
 * not fit in a 32-bit address space.
 */
export class CodeScanner {
  /** The codes, `codesLength(count, dims)` bytes: fill before scanning. */
  readonly codes: Uint8Array;
  /** Whether this scanner runs the WebAssembly kernel. */
  readonly accelerated: boolean;
  private readonly backend: ScanBackend;

  constructor(
    readonly count: number,
    readonly dims: number,
    options: CodeScannerOptions = {},
  ) {
    const module = options.portable === true ? undefined : kernelModule();
    this.accelerated = module !== undefined;
    if (module === undefined) {
      this.codes = new Uint8Array(codesLength(count, dims));
      this.backend = portableBackend(this.codes, count, dims);
    } else {
      ({ codes: this.codes, backend: this.backend } = kernelBackend(module, count, dims));
    }
  }

  /**
   * The score of every vector for `query` (at least `count` entries; the rest are padding). The
   * array is reused by the next call. Throws RangeError when the tables are not for `dims`.
   */
  scores(query: QueryTables): Int16Array {
    if (
      query.active.length > codeBytes(this.dims) ||
      query.tables.length !== 32 * query.active.length
    ) {
      throw new RangeError(`query tables do not fit vectors of ${this.dims} dimensions`);
    }
    return this.backend.scores(query);
  }

  /**
   * The scores of the last `scores` call counted in HISTOGRAM_BUCKETS buckets (`bucketOf`). The
   * array is reused by the next call. Throws before the first `scores` call.
   */
  histogram(): Uint32Array {
    return this.backend.histogram();
  }

  /**
   * The indexes, in order, of the vectors whose last score s is in `low` <= s < `high`. The array
   * is reused by the next call. Throws before the first `scores` call.
   */
  collect(low: number, high: number): Int32Array {
    return this.backend.collect(low, high);
  }
}

/**
 * A kernel instance whose memory holds, each 16-byte aligned: the active offsets, the tables,
 * the codes, the scores, the histogram, then the collected indexes.
 */
function kernelBackend(
  module: object,
  count: number,
  dims: number,
): { codes: Uint8Array; backend: ScanBackend } {
  const length = codesLength(count, dims);
  const positions = codeBytes(dims);
  const activeAt = 0;
  const tablesAt = align16(activeAt + 4 * positions);
  const codesAt = align16(tablesAt + 32 * positions);
  const blocks = length / (BLOCK_VECTORS * positions);
  const outAt = align16(codesAt + length);
  const histogramAt = align16(outAt + 2 * blocks * BLOCK_VECTORS);
  const collectedAt = histogramAt + 4 * HISTOGRAM_BUCKETS;
  const end = collectedAt + 4 * blocks * BLOCK_VECTORS;
  if (end > 2 ** 32) throw new RangeError(`codes of ${count} vectors exceed 4 GiB`);
  const exports = new wasm.Instance(module).exports as unknown as KernelExports;
  const memory = exports.memory;
  const pages = Math.ceil(end / PAGE_BYTES);
  const have = memory.buffer.byteLength / PAGE_BYTES;
  if (pages > have) memory.grow(pages - have);
  // The memory never grows again, so these views stay valid.
  const buffer = memory.buffer;
  const active = new Int32Array(buffer, activeAt, positions);
  const tables = new Int8Array(buffer, tablesAt, 32 * positions);
  const out = new Int16Array(buffer, outAt, blocks * BLOCK_VECTORS);
  const histogram = new Uint32Array(buffer, histogramAt, HISTOGRAM_BUCKETS);
  const collected = new Int32Array(buffer, collectedAt, blocks * BLOCK_VECTORS);
  let scanned = false;
  const checkScanned = (): void => {
    if (!scanned) throw new Error("no scores yet: call scores() first");
  };
  return {
    codes: new Uint8Array(buffer, codesAt, length),
    backend: {
      scores(query) {
        active.set(query.active);
        tables.set(query.tables);
        const blockBytes = BLOCK_VECTORS * positions;
        exports.scan(codesAt, blocks, blockBytes, activeAt, query.active.length, tablesAt, outAt);
        scanned = true;
        return out;
      },
      histogram() {
        checkScanned();
        histogram.fill(0);
        exports.histogram(outAt, count, histogramAt);
        return histogram;
      },
      collect(low, high) {
        checkScanned();
        return collected.subarray(0, exports.collect(outAt, count, low, high, collectedAt));
      },
    },
  };
}

/** The kernel's work in plain JavaScript, over `codes` (filled by the caller). */
function portableBackend(codes: Uint8Array, count: number, dims: number): ScanBackend {
  let last: Int16Array | undefined;
  const lastScores = (): Int16Array => {
    if (last === undefined) throw new Error("no scores yet: call scores() first");
    return last;
  };
  return {
    scores(query) {
      last = scanScores(codes, count, dims, query);
      return last;
    },
    histogram() {
      const scores = lastScores();
      const histogram = new Uint32Array(HISTOGRAM_BUCKETS);
      for (let i = 0; i < count; i++) {
        const bucket = bucketOf(scores[i] ?? 0);
        histogram[bucket] = (histogram[bucket] ?? 0) + 1;
      }
      return histogram;
    },
    collect(low, high) {
      const scores = lastScores();
      const found: number[] = [];
      for (let i = 0; i < count; i++) {
        const score = scores[i] ?? 0;
        if (score >= low && score < high) found.push(i);
      }
      return Int32Array.from(found);
    },
  };
}

function align16(n: number): number {
  return Math.ceil(n / 16) * 16;
}
