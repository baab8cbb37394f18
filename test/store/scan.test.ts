import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type Rng, createRng } from "../../src/corpus/prng.js";
import { fileSource, memorySource } from "../../src/store/byte-source.js";
import { recordingPrefetch } from "../helpers/recording-source.js";
import {
  CompactVectorIndex,
  MIN_RERANK,
  encodeCompactVectors,
} from "../../src/store/compact-vectors.js";
import { assembleKernel, KERNEL_MODULE_PATH } from "../../src/store/scan/assemble.js";
import { codeBytes, encodeCodes, queryTables, scanScores } from "../../src/store/scan/codes.js";
import { CodeScanner, bucketOf, kernelAvailable } from "../../src/store/scan/scanner.js";
import { normalizeRows } from "../../src/store/vectors.js";

/** A standard normal sample (Box-Muller). */
function gaussian(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
}

/** `count` random unit rows of `dims`; with `nonZero`, each row has only that many non-zeros. */
function unitRows(rng: Rng, count: number, dims: number, nonZero = dims): Float32Array {
  const rows = new Float32Array(count * dims);
  for (let r = 0; r < count; r++) {
    for (let n = 0; n < nonZero; n++) {
      const d = nonZero === dims ? n : rng.int(0, dims - 1);
      rows[r * dims + d] = gaussian(rng);
    }
  }
  normalizeRows(rows, dims);
  return rows;
}

function dot(a: Float32Array, b: Float32Array): number {
  return a.reduce((sum, x, i) => sum + x * (b[i] ?? 0), 0);
}

/** Labels of the `k` rows of largest inner product with `query`, best first (ties by label). */
function exactTop(
  rows: Float32Array,
  dims: number,
  query: Float32Array,
  k: number,
  filter: (label: number) => boolean = () => true,
): number[] {
  const count = rows.length / dims;
  return Array.from({ length: count }, (_, i) => i)
    .filter(filter)
    .map((i) => ({ i, score: dot(query, rows.subarray(i * dims, (i + 1) * dims)) }))
    .sort((a, b) => b.score - a.score || a.i - b.i)
    .slice(0, k)
    .map((h) => h.i);
}

function openIndex(rows: Float32Array, dims: number, portable = false): CompactVectorIndex {
  const count = rows.length / dims;
  const files = encodeCompactVectors(rows, count, dims);
  const scanner = new CodeScanner(count, dims, { portable });
  scanner.codes.set(files.codes);
  return new CompactVectorIndex(scanner, memorySource(files.rows));
}

describe("the fast-scan kernel", () => {
  it("is the assembled kernel.wat (run `npm run generate` after editing it)", async () => {
    const source = await readFile(KERNEL_MODULE_PATH, "utf8");
    const base64 = /"([A-Za-z0-9+/=]+)"/.exec(source)?.[1] ?? "";
    expect(Buffer.from(base64, "base64")).toEqual(Buffer.from(await assembleKernel()));
  });

  it("runs on this Node (WebAssembly SIMD)", () => {
    expect(kernelAvailable()).toBe(true);
  });

  it("sums exactly what the plain JavaScript scan sums", () => {
    const rng = createRng(7);
    const cases = [
      { count: 1, dims: 8, nonZero: 8 },
      { count: 17, dims: 30, nonZero: 30 },
      { count: 1000, dims: 512, nonZero: 48 },
      { count: 333, dims: 384, nonZero: 384 },
      // Every position active at 1,024 dimensions: the bound that keeps 16-bit sums in range.
      { count: 64, dims: 1024, nonZero: 1024 },
    ];
    for (const { count, dims, nonZero } of cases) {
      const rows = unitRows(rng, count, dims);
      const scanner = new CodeScanner(count, dims);
      expect(scanner.accelerated).toBe(true);
      scanner.codes.set(encodeCodes(rows, count, dims));
      for (let q = 0; q < 3; q++) {
        const tables = queryTables(unitRows(rng, 1, dims, nonZero), dims);
        const expected = scanScores(scanner.codes, count, dims, tables);
        expect(Array.from(scanner.scores(tables).subarray(0, count))).toEqual(
          Array.from(expected.subarray(0, count)),
        );
      }
    }
  });

  it("counts and collects scores exactly as the plain JavaScript path does", () => {
    const rng = createRng(23);
    const [count, dims] = [777, 128];
    const rows = unitRows(rng, count, dims);
    const codes = encodeCodes(rows, count, dims);
    const fast = new CodeScanner(count, dims);
    const portable = new CodeScanner(count, dims, { portable: true });
    fast.codes.set(codes);
    portable.codes.set(codes);
    expect(() => portable.histogram()).toThrow(/scores\(\) first/);
    expect(() => fast.histogram()).toThrow(/scores\(\) first/);
    const tables = queryTables(unitRows(rng, 1, dims, 20), dims);
    const scores = Array.from(portable.scores(tables).subarray(0, count));
    expect(Array.from(fast.scores(tables).subarray(0, count))).toEqual(scores);
    const histogram = Array.from(portable.histogram());
    expect(Array.from(fast.histogram())).toEqual(histogram);
    expect(histogram.reduce((a, b) => a + b, 0)).toBe(count);
    scores.forEach((s) => expect(histogram[bucketOf(s)]).toBeGreaterThan(0));
    const sorted = [...scores].sort((a, b) => b - a);
    const [low, high] = [sorted[100] ?? 0, (sorted[10] ?? 0) + 1];
    const inRange = scores.flatMap((s, i) => (s >= low && s < high ? [i] : []));
    expect(Array.from(fast.collect(low, high))).toEqual(inRange);
    expect(Array.from(portable.collect(low, high))).toEqual(inRange);
  });

  it("scores in proportion to the inner product", () => {
    const rng = createRng(11);
    const dims = 256;
    const rows = unitRows(rng, 400, dims);
    const query = unitRows(rng, 1, dims, 40);
    const scores = scanScores(encodeCodes(rows, 400, dims), 400, dims, queryTables(query, dims));
    const exact = Array.from({ length: 400 }, (_, i) =>
      dot(query, rows.subarray(i * dims, (i + 1) * dims)),
    );
    const approx = Array.from(scores.subarray(0, 400));
    // Pearson correlation of code scores and inner products.
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    const [mx, my] = [mean(exact), mean(approx)];
    let [sxy, sxx, syy] = [0, 0, 0];
    exact.forEach((x, i) => {
      const y = approx[i] ?? 0;
      sxy += (x - mx) * (y - my);
      sxx += (x - mx) ** 2;
      syy += (y - my) ** 2;
    });
    expect(sxy / Math.sqrt(sxx * syy)).toBeGreaterThan(0.9);
  });

  it("keeps table entries in a byte and any sum in 16 bits", () => {
    const dims = 1024;
    const query = new Float32Array(dims).fill(1 / 32);
    const { active, tables } = queryTables(query, dims);
    expect(active).toHaveLength(codeBytes(dims));
    let worst = 0;
    for (let a = 0; a < active.length * 2; a++) {
      const table = tables.subarray(16 * a, 16 * a + 16);
      worst += Math.max(...Array.from(table, Math.abs));
    }
    expect(Math.max(...Array.from(tables, Math.abs))).toBeLessThanOrEqual(127);
    expect(worst).toBeLessThanOrEqual(32_767);
  });

  it("leaves out the positions where the query is zero", () => {
    const query = new Float32Array(64);
    query[5] = 1;
    query[41] = -0.5;
    const { active, tables } = queryTables(query, 64);
    expect(Array.from(active)).toEqual([16 * 1, 16 * 10]);
    expect(tables).toHaveLength(64);
  });
});

describe("CompactVectorIndex", () => {
  it("finds the exact nearest rows of a segment no larger than its candidates", () => {
    const rng = createRng(3);
    const dims = 64;
    const rows = unitRows(rng, MIN_RERANK, dims);
    const index = openIndex(rows, dims);
    for (let q = 0; q < 5; q++) {
      const query = unitRows(rng, 1, dims, 12);
      const hits = index.search(query, 10);
      expect(hits.map((h) => h.chunkIndex)).toEqual(exactTop(rows, dims, query, 10));
      hits.forEach((h) =>
        expect(h.score).toBeCloseTo(dot(query, rows.subarray(h.chunkIndex * dims)), 5),
      );
    }
  });

  it("finds nearly all exact neighbours in a larger segment, itself first", () => {
    const rng = createRng(5);
    const dims = 128;
    const count = 3000;
    const rows = unitRows(rng, count, dims);
    const index = openIndex(rows, dims);
    let found = 0;
    for (let q = 0; q < 20; q++) {
      const label = rng.int(0, count - 1);
      const self = rows.slice(label * dims, (label + 1) * dims);
      expect(index.search(self, 1)[0]?.chunkIndex).toBe(label);
      const query = unitRows(rng, 1, dims, 24);
      const truth = new Set(exactTop(rows, dims, query, 10));
      found += index.search(query, 10).filter((h) => truth.has(h.chunkIndex)).length;
    }
    expect(found / 200).toBeGreaterThan(0.9);
  });

  it("returns only rows the filter accepts, however few", () => {
    const rng = createRng(9);
    const dims = 64;
    const count = 2000;
    const rows = unitRows(rng, count, dims);
    const index = openIndex(rows, dims);
    const query = unitRows(rng, 1, dims, 16);
    for (const every of [2, 97, 1000]) {
      const accept = (label: number): boolean => label % every === 0;
      const hits = index.search(query, 10, accept);
      expect(hits.every((h) => accept(h.chunkIndex))).toBe(true);
      expect(hits).toHaveLength(Math.min(10, Math.ceil(count / every)));
    }
    // A filter that accepts fewer rows than the scan re-ranks (the newest edition's chunks) gets
    // every one of them, so its hits are the exact best of what it accepts.
    const few = (label: number): boolean => label % 97 === 0;
    expect(index.search(query, 10, few).map((h) => h.chunkIndex)).toEqual(
      exactTop(rows, dims, query, 10, few),
    );
    // A filter that accepts no row gives nothing.
    expect(index.search(query, 10, () => false)).toEqual([]);
  });

  it("gives the same results without the kernel", () => {
    const rng = createRng(13);
    const dims = 96;
    const rows = unitRows(rng, 1500, dims);
    const fast = openIndex(rows, dims);
    const portable = openIndex(rows, dims, true);
    expect(portable.accelerated).toBe(false);
    for (let q = 0; q < 5; q++) {
      const query = unitRows(rng, 1, dims, 20);
      expect(portable.search(query, 8)).toEqual(fast.search(query, 8));
    }
  });

  it("reads the candidates' rows ahead from a file and finds what search finds", async () => {
    const rng = createRng(11);
    const dims = 64;
    const count = 2000;
    const rows = unitRows(rng, count, dims);
    const files = encodeCompactVectors(rows, count, dims);
    const dir = await mkdtemp(join(tmpdir(), "lnb-rows-"));
    const path = join(dir, "vectors.f32");
    await writeFile(path, files.rows);
    const plain = fileSource(path);
    const { source, calls } = recordingPrefetch(plain);
    const scanner = new CodeScanner(count, dims);
    scanner.codes.set(files.codes);
    const index = new CompactVectorIndex(scanner, source);
    try {
      for (let q = 0; q < 5; q++) {
        const query = unitRows(rng, 1, dims, 12);
        calls.length = 0;
        const ahead = await index.searchReadingAhead(query, 10);
        const asked = calls.flat();
        expect(ahead).toEqual(index.search(query, 10));
        // One row per candidate re-ranked, each read ahead.
        expect(asked).toHaveLength(MIN_RERANK);
        expect(
          asked.every(([offset, length]) => offset % (dims * 4) === 0 && length === dims * 4),
        ).toBe(true);
        const offsets = new Set(asked.map(([offset]) => offset));
        expect(ahead.filter((h) => !offsets.has(h.chunkIndex * dims * 4))).toEqual([]);
      }
    } finally {
      index.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("returns stored rows unchanged and refuses labels outside", () => {
    const rng = createRng(17);
    const rows = unitRows(rng, 20, 16);
    const index = openIndex(rows, 16);
    expect(Array.from(index.vectorOf(7))).toEqual(Array.from(rows.subarray(7 * 16, 8 * 16)));
    expect(() => index.vectorOf(20)).toThrow(RangeError);
    expect(() => index.search(new Float32Array(15), 3)).toThrow(/15 dimensions/);
  });

  it("refuses a rows file of another size", () => {
    const rows = unitRows(createRng(19), 4, 8);
    const scanner = new CodeScanner(4, 8);
    expect(
      () => new CompactVectorIndex(scanner, memorySource(new Uint8Array(rows.buffer, 0, 100))),
    ).toThrow(/128/);
  });
});
