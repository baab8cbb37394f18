import { describe, expect, it } from "vitest";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileSource } from "../../src/store/byte-source.js";
import { LexicalIndex, encodeLexical } from "../../src/store/lexical.js";

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
