import { dateInFilter } from "../../src/dates/date-in-filter.js";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHashedEmbedder } from "../../src/embeddings/hashed.js";
import {
  buildTimeline,
  latestEdition,
  parseSearchText,
  searchArticles,
} from "../../src/retrieval/articles.js";
import { openIndex } from "../../src/store/embedded.js";
import type { NewsIndex } from "../../src/store/types.js";
import { buildSampleIndex } from "./helpers/harness.js";

describe("parseSearchText", () => {
  it.each([
    ["人工智能 2025-01-01~2025-03-31", "人工智能", { from: "2025-01-01", to: "2025-03-31" }],
    ["人工智能 2025-02", "人工智能", { from: "2025-02-01", to: "2025-02-29" }],
    ["2025年3月 人工智能", "人工智能", { from: "2025-03-01", to: "2025-03-31" }],
    ["算力 2025年1月至3月", "算力", { from: "2025-01-01", to: "2025-03-31" }],
    ["算力 2025/3/5", "算力", { from: "2025-03-05", to: "2025-03-05" }],
    ["算力 ２０２４年", "算力", { from: "2024-01-01", to: "2024-12-31" }],
    ["算力 2025-03-31 到 2025-01-01", "算力", { from: "2025-01-01", to: "2025-03-31" }],
    ["2300家 店铺", "2300家 店铺", undefined],
    ["3月 桃花节", "3月 桃花节", undefined],
  ])("reads %j", (input, text, range) => {
    const parsed = parseSearchText(input);
    expect(parsed.text).toBe(text);
    expect(parsed.range).toEqual(range);
  });

  it("matches month-precision dates by overlap and never matches unknown dates", () => {
    const march = { from: "2026-03-01", to: "2026-03-31" };
    expect(dateInFilter("2026-03", march)).toBe(true);
    expect(dateInFilter("2026-03-07", march)).toBe(true);
    expect(dateInFilter("2026-04-01", march)).toBe(false);
    expect(dateInFilter(null, march)).toBe(false);
  });
});

describe("article search over a real index", () => {
  let dir: string;
  let index: NewsIndex;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "news-articles-"));
    await buildSampleIndex(path.join(dir, "index"));
    index = await openIndex(path.join(dir, "index"), createHashedEmbedder());
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("finds every article holding all keywords, newest first", () => {
    const result = searchArticles(index, "算力 平湖");
    expect(result.exact).toBe(true);
    expect(result.hits.length).toBeGreaterThan(0);
    for (const { article } of result.hits) {
      const text = [article.headline, ...article.paragraphs].join("");
      expect(text).toContain("算力");
      expect(text).toContain("平湖");
    }
    const dates = result.hits.map((h) => h.article.date ?? "");
    expect([...dates].sort().reverse()).toEqual(dates);
  });

  it("applies the date range and paper filters", () => {
    const range = { from: "2025-01-01", to: "2025-12-31" };
    const result = searchArticles(index, "项目", { range, paper: "平湖" });
    expect(result.hits.length).toBeGreaterThan(0);
    for (const { article } of result.hits) {
      expect(article.paper).toContain("平湖");
      expect(article.date?.startsWith("2025")).toBe(true);
    }
  });

  it("falls back to related articles, flagged as inexact, when no article holds every keyword", () => {
    const result = searchArticles(index, "算力经济 火星基地");
    expect(result.exact).toBe(false);
    expect(searchArticles(index, "火星 木星 土星").hits).toEqual([]);
  });

  it("lists a date range alone, and nothing for an empty query", () => {
    expect(
      searchArticles(index, "", { range: { from: "2024-07-01", to: "2024-07-31" } }).hits.length,
    ).toBe(index.articles().filter((a) => a.date === "2024-07-03" && a.kind !== "ad").length);
    expect(searchArticles(index, "   ").hits).toEqual([]);
  });

  it("finds the newest edition, of a named paper too", () => {
    expect(latestEdition(index)?.edition.date).toBe("2026-03-07");
    expect(latestEdition(index, "平湖")?.edition.date).toBe("2026-03");
    expect(latestEdition(index, "人民日报")).toBeUndefined();
    const latest = latestEdition(index);
    expect(latest?.articles.map((a) => a.position)).toEqual(
      [...(latest?.articles.map((a) => a.position) ?? [])].sort((a, b) => a - b),
    );
  });

  it("builds a timeline grouped by date, oldest first", () => {
    const { days } = buildTimeline(index, "项目");
    const dates = days.map((d) => d.date ?? "");
    expect([...dates].sort()).toEqual(dates);
    expect(new Set(dates).size).toBe(dates.length);
  });
});
