import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { composeCoverageAnswer } from "../../src/answer/coverage.js";
import { dateInFilter } from "../../src/dates/date-in-filter.js";
import { parseQuestionTime } from "../../src/dates/question-time.js";
import { createHashedEmbedder } from "../../src/embeddings/hashed.js";
import { runIndexJob } from "../../src/indexer.js";
import {
  buildTimeline,
  latestEdition,
  searchArticles,
  type ArticleSearchOptions,
  type DateRange,
} from "../../src/retrieval/articles.js";
import { openArchive } from "../../src/store/archive.js";
import { openIndex } from "../../src/store/embedded.js";
import type { NewsIndex } from "../../src/store/types.js";
import { compact, normalizeForMatch } from "../../src/text/normalize.js";
import type { Article } from "../../src/types.js";
import { guardIndex } from "../bot/helpers/scan-guard.js";
import { SAMPLE_EDITIONS } from "../helpers/paths.js";
import { startPgliteServer, type TestPgServer } from "../helpers/pgvector-server.js";
import { ARCHIVES } from "../helpers/sample-engine.js";

/**
 * What a search must find, by reading every article: the non-advertisements in the range and
 * paper that hold every keyword in their headline, subtitle or paragraphs.
 */
function scan(
  index: NewsIndex,
  query: string,
  options: { range?: DateRange; paper?: string } = {},
): Article[] {
  const keywords = query
    .split(/\s+/u)
    .map((k) => compact(normalizeForMatch(k)))
    .filter((k) => k !== "");
  const paper = options.paper === undefined ? undefined : normalizeForMatch(options.paper);
  return index.articles().filter((a) => {
    if (a.kind === "ad") return false;
    if (options.range !== undefined && !dateInFilter(a.date, options.range)) return false;
    if (paper !== undefined && !normalizeForMatch(a.paper).includes(paper)) return false;
    const text = compact(
      normalizeForMatch([a.headline, a.subtitle ?? "", ...a.paragraphs].join(" ")),
    );
    return keywords.every((k) => text.includes(k));
  });
}

const ids = (articles: readonly { id: string }[]): string[] => articles.map((a) => a.id).sort();
const datesOf = (hits: readonly { article: Article }[]): string[] =>
  hits.map((h) => h.article.date ?? "");
const newestDate = (articles: readonly Article[]): string =>
  articles
    .map((a) => a.date ?? "")
    .sort()
    .at(-1) ?? "";
const oldestDate = (articles: readonly Article[]): string =>
  articles.map((a) => a.date ?? "").sort()[0] ?? "";

describe.each(ARCHIVES)("article search on the sample archive (%s)", (archive) => {
  let dir: string;
  let index: NewsIndex;
  let server: TestPgServer | undefined;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "news-articles-search-"));
    const indexDir = path.join(dir, "index");
    if (archive === "postgres") server = await startPgliteServer();
    const indexUrl = server?.indexUrl("articles_search");
    await runIndexJob({
      editionDirs: [SAMPLE_EDITIONS],
      indexDir,
      indexUrl,
      embedder: createHashedEmbedder(),
    });
    index = await openArchive({ indexDir, indexUrl }, createHashedEmbedder());
  }, 120_000);
  afterAll(async () => {
    index?.close();
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const cases: [string, string, ArticleSearchOptions][] = [
    ["two keywords", "算力 平湖", {}],
    ["a common keyword", "项目", {}],
    ["a name", "地理标志", {}],
    [
      "keywords, range and paper",
      "项目",
      { range: { from: "2025-01-01", to: "2025-12-31" }, paper: "平湖" },
    ],
    ["a keyword and a month", "项目", { range: { from: "2026-03-01", to: "2026-03-31" } }],
    ["a keyword and a paper", "算力", { paper: "嘉兴" }],
    ["the oldest first", "项目 平湖", { order: "oldest" }],
  ];

  it.each(cases)("finds what reading every article finds: %s", (_name, query, options) => {
    const expected = scan(index, query, options);
    expect(expected.length).toBeGreaterThan(0);
    const result = searchArticles(index, query, options);
    expect(result.exact).toBe(true);
    expect(result.more).toBe(false);
    expect(result.total).toBe(expected.length);
    expect(ids(result.hits.map((h) => h.article))).toEqual(ids(expected));
    const dates = datesOf(result.hits);
    const sorted = [...dates].sort();
    expect(dates).toEqual(options.order === "oldest" ? sorted : sorted.reverse());
  });

  it("cuts the list at the limit but counts every match", () => {
    const expected = scan(index, "项目");
    const result = searchArticles(index, "项目", { limit: 3 });
    expect(result.hits).toHaveLength(3);
    expect(result.total).toBe(expected.length);
    expect(result.more).toBe(false);
    expect(result.hits[0]?.article.date).toBe(newestDate(expected));
  });

  it("lists a date range alone like reading every article, newest first in layout order", () => {
    for (const range of [
      { from: "2024-07-01", to: "2024-07-31" },
      { from: "2025-01-01", to: "2026-12-31" },
    ]) {
      const expected = scan(index, "", { range }).sort(
        (a, b) => (b.date ?? "").localeCompare(a.date ?? "") || a.position - b.position,
      );
      const result = searchArticles(index, "", { range, limit: 500 });
      expect(result.hits.map((h) => h.article.id)).toEqual(expected.map((a) => a.id));
      expect(result.total).toBe(expected.length);
      expect(result.more).toBe(false);
    }
  });

  it("keeps the related-articles fallback, flagged as inexact", () => {
    const result = searchArticles(index, "算力经济 火星基地");
    expect(result.exact).toBe(false);
    expect(result.hits.length).toBeGreaterThan(0);
    expect(searchArticles(index, "火星 木星 土星").hits).toEqual([]);
  });

  it("finds the newest edition, of a named paper too, with all its articles in layout order", () => {
    for (const paper of [undefined, "平湖"]) {
      const found = latestEdition(index, paper);
      const expected = index
        .articles()
        .filter((a) => a.editionId === found?.edition.editionId)
        .sort((a, b) => a.position - b.position);
      expect(found?.articles.map((a) => a.id)).toEqual(expected.map((a) => a.id));
      expect(found?.more).toBe(false);
    }
    expect(latestEdition(index)?.edition.date).toBe("2026-03-07");
    expect(latestEdition(index, "平湖")?.edition.date).toBe("2026-03");
    expect(latestEdition(index, "平湖", 2)).toMatchObject({ more: true });
    expect(latestEdition(index, "平湖", 2)?.articles).toHaveLength(2);
  });

  it("builds a timeline of every match, oldest first", () => {
    const expected = scan(index, "项目");
    const timeline = buildTimeline(index, "项目", { limit: 500 });
    expect(timeline.total).toBe(expected.length);
    expect(timeline.more).toBe(false);
    expect(timeline.days[0]?.date).toBe(oldestDate(expected));
    expect(ids(timeline.days.flatMap((d) => d.hits.map((h) => h.article)))).toEqual(ids(expected));
  });

  it("answers a coverage question with the matching articles about the topic, newest first", () => {
    const answer = composeCoverageAnswer(
      index,
      "有关算力的报道有哪些?",
      new Date("2026-11-22T12:00:00+08:00"),
    );
    const expected = scan(index, "算力");
    expect(answer?.abstained).toBe(false);
    const cited = (answer?.citations ?? []).map((c) => index.getArticle(c.chunk.articleId));
    for (const article of cited) expect(ids(expected)).toContain(article?.id);
    const headlines = cited.map((a) => a?.headline ?? "");
    expect(headlines.some((h) => h.includes("算力经济"))).toBe(true);
    // A report of a visit that names 算力 three times in 1,400 characters is not coverage of it.
    const visit = expected.find((a) => a.headline.includes("六干争先"));
    expect(visit).toBeDefined();
    expect(ids(cited.filter((a) => a !== undefined))).not.toContain(visit?.id);
    const dates = cited.map((a) => a?.date ?? "");
    expect(dates).toEqual([...dates].sort().reverse());
  });
});

/** Copies of the sample editions under this many years make the grown archive. */
const YEARS = 8;
const FIRST_YEAR = 2018;

/**
 * A JSONL export: one edition of the manifest whose records each carry their own paper and
 * date. The manifest knows only the first record's.
 */
const EXPORT = [
  {
    id: "r1",
    title: "海盐湿地公园开园",
    text: "海盐县南北湖湿地公园今天开园,游客可以免费游览。",
    paper: "海盐日报",
    date: "2019-04-02",
  },
  {
    id: "r2",
    title: "桐乡火山温泉研讨会举行",
    text: "桐乡召开火山温泉开发研讨会,专家讨论了火山温泉资源的保护。",
    paper: "桐乡日报",
    date: "2024-09-15",
  },
  {
    id: "r3",
    title: "海盐火山温泉调查",
    text: "海盐县对火山温泉资源开展了调查。",
    paper: "海盐日报",
    date: "2021-06-01",
  },
];

describe("a grown archive read through a guard that forbids reading every article", () => {
  let dir: string;
  let index: NewsIndex;
  let total: number;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "news-articles-grown-"));
    const editions = path.join(dir, "editions");
    await mkdir(editions);
    const manifest = JSON.parse(
      await readFile(path.join(SAMPLE_EDITIONS, "manifest.json"), "utf8"),
    ) as { editions: { file: string; paper: string }[] };
    for (let y = 0; y < YEARS; y++) {
      for (const [e, { file, paper }] of manifest.editions.entries()) {
        const name = `${FIRST_YEAR + y}-${String(e + 1).padStart(2, "0")}-10_${paper}.txt`;
        const text = await readFile(path.join(SAMPLE_EDITIONS, file), "utf8");
        // A word of its own keeps each copy's articles apart: a repeated edition is skipped.
        await writeFile(path.join(editions, name), text.replace("。", `。副本${y + 1}。`));
      }
    }
    await writeFile(
      path.join(editions, "export.jsonl"),
      EXPORT.map((r) => JSON.stringify(r)).join("\n"),
    );
    const indexDir = path.join(dir, "index");
    await runIndexJob({ editionDirs: [editions], indexDir, embedder: createHashedEmbedder() });
    index = await openIndex(indexDir, createHashedEmbedder());
    total = index.manifest.counts.articles;
    expect(index.manifest.editions).toHaveLength(YEARS * manifest.editions.length + 1);
  }, 120_000);
  afterAll(async () => {
    index?.close?.();
    await rm(dir, { recursive: true, force: true });
  });

  it("searches common keywords newest first, reading a bounded number of articles", () => {
    const guard = guardIndex(index);
    const expected = scan(index, "项目");
    const result = searchArticles(guard.index, "项目", { limit: 5, candidateChunks: 20 });
    expect(result.hits).toHaveLength(5);
    expect(result.exact).toBe(true);
    expect(result.more).toBe(true);
    expect(result.total).toBeGreaterThanOrEqual(5);
    expect(result.total).toBeLessThan(expected.length);
    for (const { article } of result.hits) expect(ids(expected)).toContain(article.id);
    expect(result.hits[0]?.article.date).toBe(newestDate(expected));
    const dates = datesOf(result.hits);
    expect(dates).toEqual([...dates].sort().reverse());
    // A few slices of 20 candidate chunks each, not the archive's hundreds of articles.
    expect(guard.reads.articles.size).toBeLessThanOrEqual(60);
    expect(guard.reads.articles.size).toBeLessThan(total / 4);
  });

  it("counts every match from the rarest keyword's chunks when they fit one candidate list", () => {
    const guard = guardIndex(index);
    const expected = scan(index, "算力 平湖");
    // Room for the chunks holding 算力, not for those holding 平湖 as well.
    const rare = ["算力"].reduce((n, t) => n + index.documentFrequency(t), 0);
    expect(index.documentFrequency("平湖")).toBeGreaterThan(rare);
    const result = searchArticles(guard.index, "算力 平湖", { limit: 5, candidateChunks: rare });
    expect(result.more).toBe(false);
    expect(result.total).toBe(expected.length);
    expect(guard.reads.articles.size).toBeLessThanOrEqual(rare);
    expect(guard.reads.articles.size).toBeLessThan(total / 4);
  });

  it("still finds older matches of keywords that seldom meet, flagged as possibly more", () => {
    const guard = guardIndex(index);
    // 副本1 marks the copies of the first year only: far behind the newest editions searched.
    const expected = scan(index, "项目 副本1");
    expect(expected.length).toBeGreaterThan(0);
    const result = searchArticles(guard.index, "项目 副本1", { limit: 5, candidateChunks: 5 });
    expect(result.exact).toBe(true);
    expect(result.more).toBe(true);
    expect(result.hits.length).toBeGreaterThan(0);
    for (const { article } of result.hits) expect(ids(expected)).toContain(article.id);
    expect(guard.reads.articles.size).toBeLessThan(total / 4);
  });

  it("builds a timeline from the oldest match, reading a bounded number of articles", () => {
    const guard = guardIndex(index);
    const expected = scan(index, "项目");
    const timeline = buildTimeline(guard.index, "项目", { limit: 5, candidateChunks: 20 });
    expect(timeline.days[0]?.date).toBe(oldestDate(expected));
    expect(timeline.more).toBe(true);
    expect(guard.reads.articles.size).toBeLessThanOrEqual(60);
  });

  it("lists a date range alone from the newest editions only, without reading bodies", () => {
    const guard = guardIndex(index);
    const range = { from: `${FIRST_YEAR}-01-01`, to: `${FIRST_YEAR + YEARS - 1}-12-31` };
    const expected = scan(index, "", { range }).sort(
      (a, b) => (b.date ?? "").localeCompare(a.date ?? "") || a.position - b.position,
    );
    const result = searchArticles(guard.index, "", { range, limit: 5 });
    expect(result.hits.map((h) => h.article.id)).toEqual(expected.slice(0, 5).map((a) => a.id));
    expect(result.more).toBe(true);
    // The newest editions until five articles are listed: their articles, and no others.
    const newest = [...index.manifest.editions]
      .filter((e) => !e.source.endsWith(".jsonl"))
      .sort((a, b) => (b.date ?? "").localeCompare(a.date ?? ""));
    let bound = EXPORT.length;
    let listed = 0;
    for (const edition of newest) {
      if (listed >= 5) break;
      bound += edition.articleCount;
      listed += expected.filter((a) => a.editionId === edition.editionId).length;
    }
    expect(guard.reads.articles.size).toBeLessThanOrEqual(bound);
    expect(guard.reads.bodies.size).toBe(0);
  });

  it("reads only the newest edition for the latest edition", () => {
    const guard = guardIndex(index);
    const found = latestEdition(guard.index, "平湖");
    expect(found?.edition.date).toBe(`${FIRST_YEAR + YEARS - 1}-05-10`);
    expect(found?.articles).toHaveLength(found?.edition.articleCount ?? -1);
    expect([...guard.reads.articles].sort()).toEqual(ids(found?.articles ?? []));
    expect(guard.reads.bodies.size).toBe(0);
  });

  it("answers “最近…有什么新闻” from the editions in the window only", () => {
    const guard = guardIndex(index);
    const question = "最近平湖有什么新闻?";
    const today = new Date(`${FIRST_YEAR + YEARS - 1}-05-20T12:00:00+08:00`);
    const answer = composeCoverageAnswer(guard.index, question, today);
    expect(answer?.citations.length).toBeGreaterThan(0);
    const time = parseQuestionTime(question, today);
    expect(time).toBeDefined();
    const window = index.manifest.editions.filter(
      (e) => time !== undefined && dateInFilter(e.date, time),
    );
    const inWindow = window.reduce((n, e) => n + e.articleCount, 0);
    expect(inWindow).toBeGreaterThan(0);
    expect(guard.reads.articles.size).toBeLessThanOrEqual(inWindow + EXPORT.length);
    for (const c of answer?.citations ?? []) {
      const article = index.getArticle(c.chunk.articleId);
      expect(window.map((e) => e.editionId)).toContain(article?.editionId);
    }
  });

  it("answers a coverage question whose window is empty with the newest coverage", () => {
    const guard = guardIndex(index);
    const answer = composeCoverageAnswer(
      guard.index,
      "最近有哪些火山温泉的新闻?",
      new Date("2031-01-01"),
    );
    expect(answer?.text).toContain("范围内没有相关报道");
    expect(answer?.text).toContain("桐乡火山温泉研讨会举行");
  });

  it("finds export records by their own date and paper, not the export's first record's", () => {
    const guard = guardIndex(index);
    const in2024 = searchArticles(guard.index, "火山温泉", {
      range: { from: "2024-01-01", to: "2024-12-31" },
    });
    expect(in2024.hits.map((h) => h.article.headline)).toEqual(["桐乡火山温泉研讨会举行"]);
    const tongxiang = searchArticles(guard.index, "火山温泉", { paper: "桐乡" });
    expect(tongxiang.hits.map((h) => h.article.headline)).toEqual(["桐乡火山温泉研讨会举行"]);
    const september = searchArticles(guard.index, "", {
      range: { from: "2024-09-01", to: "2024-09-30" },
    });
    expect(september.hits.map((h) => h.article.headline)).toEqual(["桐乡火山温泉研讨会举行"]);
    // A keyword searched slice by slice still meets the export's records, at their own dates.
    const sliced = searchArticles(guard.index, "海盐", { limit: 100, candidateChunks: 5 });
    expect(sliced.more).toBe(true);
    const headlines = sliced.hits.map((h) => h.article.headline);
    expect(headlines).toContain("海盐湿地公园开园");
    expect(headlines).toContain("海盐火山温泉调查");
    const dates = datesOf(sliced.hits);
    expect(dates).toEqual([...dates].sort().reverse());
  });
});
