import { describe, expect, it } from "vitest";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ByteRange, fileSource } from "../../src/store/byte-source.js";
import { recordingPrefetch } from "../helpers/recording-source.js";
import { BM25_B, BM25_K1, LexicalIndex, encodeLexical } from "../../src/store/lexical.js";

const DOCS = [
  ["平湖", "樱花", "公园"],
  ["樱花", "樱花", "樱花", "盛开"],
  ["港区", "集装箱"],
  ["平湖", "港区", "集装箱", "吞吐量", "创新高", "同比", "增长"],
];

describe("LexicalIndex", () => {
  it("ranks by BM25: more occurrences in a shorter chunk score higher", () => {
    const hits = LexicalIndex.build(DOCS).search(["樱花"], 10);
    expect(hits.map((h) => h.chunkIndex)).toEqual([1, 0]);
    expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
  });

  it("scores one term with the documented BM25 formula", () => {
    const [hit] = LexicalIndex.build(DOCS).search(["盛开"], 1);
    // N=4, df=1, tf=1, |d|=4, avgdl=16/4=4, k1=1.2, b=0.75.
    const idf = Math.log(1 + (4 - 1 + 0.5) / (1 + 0.5));
    expect(hit).toEqual({ chunkIndex: 1, score: expect.closeTo((idf * 2.2) / (1 + 1.2), 10) });
  });

  it("counts a repeated query term once", () => {
    const index = LexicalIndex.build(DOCS);
    expect(index.search(["港区", "港区", "港区"], 5)).toEqual(index.search(["港区"], 5));
  });

  it("adds up the terms of a query, breaking ties by ordinal", () => {
    const index = LexicalIndex.build(DOCS);
    expect(index.search(["港区", "集装箱"], 5).map((h) => h.chunkIndex)).toEqual([2, 3]);
    expect(index.search(["平湖"], 5).map((h) => h.chunkIndex)).toEqual([0, 3]);
    expect(index.search(["平湖"], 1)).toHaveLength(1);
    expect(index.search(["平湖"], 0)).toEqual([]);
  });

  it("returns the same best k as a full ranking, with or without a filter", () => {
    // A seeded archive where common terms touch most documents and scores tie often.
    let seed = 7;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const vocabulary = ["平湖", "嘉兴", "企业", "项目", "投资", "芯片", "景兴", "纸业", "樱花"];
    const docs = Array.from({ length: 600 }, () =>
      Array.from({ length: 1 + Math.floor(next() * 8) }, () => {
        const r = next();
        return vocabulary[Math.floor(r * r * vocabulary.length)] ?? "平湖";
      }),
    );
    const index = LexicalIndex.build(docs);
    const query = ["平湖", "企业", "樱花", "纸业"];
    const even = (doc: number): boolean => doc % 2 === 0;
    const all = index.search(query, docs.length);
    const allEven = index.search(query, docs.length, even);
    expect(all.length).toBeGreaterThan(400);
    for (const k of [1, 5, 37]) {
      expect(index.search(query, k)).toEqual(all.slice(0, k));
      expect(index.search(query, k, even)).toEqual(allEven.slice(0, k));
    }
    const scores = all.map((h) => h.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it("ranks like plain BM25 when common terms are skipped for documents that cannot win", () => {
    // Long postings (a common word in 90% of 12,000 chunks) take the pruned path.
    let seed = 11;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const shares: [string, number][] = [
      ["平湖", 0.9],
      ["企业", 0.4],
      ["纸业", 0.01],
      ["景兴", 0.004],
    ];
    const docs = Array.from({ length: 12_000 }, () => {
      const terms = ["新闻"];
      for (const [term, share] of shares) {
        const r = next();
        if (r < share) for (let i = 0; i < 1 + Math.floor((r / share) * 3); i++) terms.push(term);
      }
      return terms;
    });
    const index = LexicalIndex.build(docs);
    const avgdl = docs.reduce((a, d) => a + d.length, 0) / docs.length;
    const dfs = new Map(
      shares.map(([term]) => [term, docs.filter((d) => d.includes(term)).length]),
    );
    const plain = (doc: readonly string[]): number =>
      shares.reduce((sum, [term]) => {
        const tf = doc.filter((t) => t === term).length;
        if (tf === 0) return sum;
        const df = dfs.get(term) ?? 0;
        const idf = Math.log(1 + (docs.length - df + 0.5) / (df + 0.5));
        const norm = BM25_K1 * (1 - BM25_B + (BM25_B * doc.length) / avgdl);
        return sum + (idf * tf * (BM25_K1 + 1)) / (tf + norm);
      }, 0);
    const expected = (keep: (doc: number) => boolean, k: number) =>
      docs
        .map((doc, i) => ({ i, score: plain(doc) }))
        .filter(({ i, score }) => score > 0 && keep(i))
        .sort((a, b) => b.score - a.score || a.i - b.i)
        .slice(0, k);
    const query = shares.map(([term]) => term);
    for (const [k, keep] of [
      [10, () => true],
      [50, () => true],
      [10, (doc: number) => doc % 3 !== 0],
    ] as const) {
      const hits = index.search(query, k, keep);
      const want = expected(keep, k);
      expect(hits.map((h) => h.chunkIndex)).toEqual(want.map((w) => w.i));
      hits.forEach((h, j) => expect(h.score).toBeCloseTo(want[j]?.score ?? NaN, 9));
    }
  });

  it("counts document frequency per chunk, not per occurrence", () => {
    const index = LexicalIndex.build(DOCS);
    expect(index.documentFrequency("樱花")).toBe(2);
    expect(index.documentFrequency("港区")).toBe(2);
    expect(index.documentFrequency("没有")).toBe(0);
  });

  it("encodes the same documents to the same bytes", () => {
    expect(encodeLexical(DOCS)).toEqual(encodeLexical(DOCS.map((d) => [...d])));
  });

  it("reads postings from a file on demand with the same results", async () => {
    const dir = await mkdtemp(join(tmpdir(), "lexical-"));
    try {
      await writeFile(join(dir, "lexical.bin"), encodeLexical(DOCS));
      const index = LexicalIndex.build(DOCS);
      const onDisk = LexicalIndex.decode(fileSource(join(dir, "lexical.bin")));
      for (const term of ["樱花", "港区", "平湖", "增长", "x", ""]) {
        expect(onDisk.search([term], 10)).toEqual(index.search([term], 10));
        expect(onDisk.documentFrequency(term)).toBe(index.documentFrequency(term));
      }
      onDisk.close();
      expect(() => onDisk.search(["樱花"], 10)).toThrow(/closed/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("reads ahead the postings of known terms, the ranges a search then reads", async () => {
    const dir = await mkdtemp(join(tmpdir(), "lexical-"));
    try {
      const bytes = encodeLexical(DOCS);
      await writeFile(join(dir, "lexical.bin"), bytes);
      const plain = fileSource(join(dir, "lexical.bin"));
      const { source, calls } = recordingPrefetch(plain);
      const onDisk = LexicalIndex.decode(source);
      const reads: ByteRange[] = [];
      const counting = LexicalIndex.decode({
        ...source,
        read: (offset, length) => (reads.push([offset, length]), plain.read(offset, length)),
      });

      await onDisk.prefetch(["樱花", "港区", "樱花", "x"]);
      const asked = calls.flat();
      // Two ranges (document ids, frequencies) per distinct known term.
      expect(asked).toHaveLength(4);
      reads.length = 0;
      expect(counting.search(["樱花"], 10)).toEqual(LexicalIndex.build(DOCS).search(["樱花"], 10));
      const [ids, freqs] = asked;
      expect(reads).toEqual([ids, freqs]);
      onDisk.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("scores with the statistics of the whole collection when given them", () => {
    const segment = LexicalIndex.build(DOCS.slice(0, 2));
    const whole = LexicalIndex.build(DOCS);
    // Segment 0..1 of the collection, scored with the collection's N, avgdl and df.
    const hits = segment.search(["樱花"], 10, undefined, whole);
    expect(hits).toEqual(whole.search(["樱花"], 10));
  });

  it("refuses a truncated file and a foreign one", () => {
    const bytes = encodeLexical(DOCS);
    expect(() => LexicalIndex.decode(bytes.subarray(0, bytes.length - 3))).toThrow(
      /bytes, expected/,
    );
    expect(() =>
      LexicalIndex.decode(new TextEncoder().encode("this is not a lexical index at all")),
    ).toThrow(/magic/);
  });
});
