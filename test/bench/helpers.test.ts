import { describe, expect, it } from "vitest";
import { corpusCacheKey } from "../../src/bench/cache-key.js";
import { mixQuestions, percentile, ratio, summarizeLatencies } from "../../src/bench/stats.js";
import { formatCell, formatTable } from "../../src/bench/table.js";

describe("percentile", () => {
  it("takes the nearest rank, so p50 of 1..100 is 50 and p99 is 99", () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(values, 0.5)).toBe(50);
    expect(percentile(values, 0.95)).toBe(95);
    expect(percentile(values, 0.99)).toBe(99);
    expect(percentile(values, 1)).toBe(100);
  });

  it("returns NaN for no values and refuses q outside [0, 1]", () => {
    expect(percentile([], 0.5)).toBeNaN();
    expect(() => percentile([1], 1.5)).toThrow(/within \[0, 1\]/u);
  });

  it("summarises latencies with mean and max", () => {
    expect(summarizeLatencies([1, 2, 3, 10])).toEqual({
      count: 4,
      meanMs: 4,
      p50Ms: 2,
      p95Ms: 10,
      p99Ms: 10,
      maxMs: 10,
    });
  });
});

describe("ratio", () => {
  it("divides ours by theirs and gives undefined when a side is missing or zero", () => {
    expect(ratio(1, 5)).toBe(0.2);
    expect(ratio(1, undefined)).toBeUndefined();
    expect(ratio(1, 0)).toBeUndefined();
  });
});

describe("mixQuestions", () => {
  it("spreads the dev questions through the generated ones and cycles the short list", () => {
    const mixed = mixQuestions(["d1", "d2"], ["g1", "g2", "g3"], 10);
    expect(mixed).toHaveLength(10);
    expect(mixed.filter((q) => q.startsWith("d"))).toEqual(["d1", "d2"]);
    expect(mixed[0]).toBe("d1");
    expect(mixed.indexOf("d2")).toBeGreaterThan(1);
    expect(mixed.filter((q) => q === "g1").length).toBeGreaterThanOrEqual(2);
  });
});

describe("corpusCacheKey", () => {
  const params = {
    articles: 1000,
    seed: 1,
    papers: 2,
    articlesPerEdition: 20,
    start: "2016-01-01",
    generatorVersion: 1,
  };

  it("differs whenever a parameter differs", () => {
    const base = corpusCacheKey(params);
    expect(base).toBe("a1000-p2-e20-s1-2016-01-01-g1");
    expect(corpusCacheKey({ ...params, seed: 2 })).not.toBe(base);
    expect(corpusCacheKey({ ...params, generatorVersion: 2 })).not.toBe(base);
  });

  it("refuses a non-positive article count", () => {
    expect(() => corpusCacheKey({ ...params, articles: 0 })).toThrow(/positive integer/u);
  });
});

describe("formatTable", () => {
  it("aligns numbers right under their header and prints - for missing values", () => {
    const table = formatTable(
      ["metric", "ours"],
      [
        ["build (s)", 12.345],
        ["articles", 150000],
        ["missing", undefined],
      ],
    );
    expect(table.split("\n")).toEqual([
      "metric        ours",
      "---------  -------",
      "build (s)    12.35",
      "articles   150,000",
      "missing          -",
    ]);
    expect(formatCell(0.12345)).toBe("0.123");
  });
});
