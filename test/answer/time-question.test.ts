import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { detectNowQuestion } from "../../src/answer/time-question.js";
import { createHashedEmbedder } from "../../src/embeddings/hashed.js";
import { createEngine, type Engine } from "../../src/engine.js";
import { runIndexJob } from "../../src/indexer.js";
import { latestEdition } from "../../src/retrieval/articles.js";
import { searchHybrid } from "../../src/retrieval/hybrid.js";
import { analyzeQuery } from "../../src/retrieval/query.js";
import { analyzeTerms } from "../../src/retrieval/terms.js";
import { readEvalQuestions } from "../helpers/eval-questions.js";
import { SAMPLE_EDITIONS } from "../helpers/paths.js";
import { SAMPLE_NOW, useSampleEngine } from "../helpers/sample-engine.js";

const sample = useSampleEngine("time-question-");

describe("detectNowQuestion", () => {
  it("reads weather, today's news and questions about today", () => {
    const today = SAMPLE_NOW;
    expect(detectNowQuestion("平湖明天天气怎么样?", today)).toBe("weather");
    expect(detectNowQuestion("明天会下雨吗", today)).toBe("weather");
    expect(detectNowQuestion("现在多少度?", today)).toBe("weather");
    expect(detectNowQuestion("What's the weather tomorrow?", today)).toBe("weather");
    expect(detectNowQuestion("今天有什么新闻?", today)).toBe("news");
    expect(detectNowQuestion("陈伟今天去了哪里?", today)).toBe("question");
  });

  it("reads the news asked for without a topic as the newest edition's, today or not", () => {
    const today = SAMPLE_NOW;
    expect(detectNowQuestion("最近有什么新闻?", today)).toBe("news");
    expect(detectNowQuestion("有哪些报道?", today)).toBe("news");
    expect(detectNowQuestion("豆包最近有哪些新闻?", today)).toBeUndefined();
    expect(detectNowQuestion("2025年有哪些报道?", today)).toBeUndefined();
  });

  it("leaves questions that name another time, or only mention weather in passing, to the ordinary path", () => {
    const today = SAMPLE_NOW;
    expect(detectNowQuestion("2024年7月3日天气怎么样?", today)).toBeUndefined();
    expect(detectNowQuestion("高温天气下工人如何防暑?", today)).toBeUndefined();
    expect(detectNowQuestion("台风烟花造成多少损失?", today)).toBeUndefined();
    expect(detectNowQuestion("平湖现在一共有多少户经营主体?", today)).toBeUndefined();
    // A quote's 今天 is the speaker's.
    expect(
      detectNowQuestion("“正是他让我们有了今天的成绩”——龙舟队里是谁这么评价教练的?", today),
    ).toBeUndefined();
  });

  it("takes only the one public eval question about today's weather for a question about now", () => {
    const now = readEvalQuestions().filter((q) => detectNowQuestion(q.question, SAMPLE_NOW));
    expect(now.map((q) => q.id)).toEqual(["d08"]);
    expect(detectNowQuestion(now[0]?.question ?? "", SAMPLE_NOW)).toBe("weather");
  });
});

describe("engine: questions about now", () => {
  it("answers tomorrow's weather from the newest edition's forecast and says its date", async () => {
    const answer = await sample.engine.ask("平湖明天天气怎么样?");
    expect(answer.abstained).toBe(false);
    expect(answer.text).toMatch(
      /^最新一期\(2026年3月7日,嘉兴日报\)的天气预报:今天晴到多云,明天多云转阴/u,
    );
    expect(answer.citations).toHaveLength(1);
    expect(answer.citations[0]?.chunk.date).toBe("2026-03-07");
    expect(answer.citations[0]?.chunk.kind).toBe("weather");
    // The sample engine's today is 2026-11-22: the forecast is not today's, and the reply says so.
    expect(answer.text).toContain("不是今天的");
    // The 2024 forecast (edition 004) is never offered.
    expect(answer.text).not.toContain("35℃");
  });

  it("lists the newest edition's reports for 今天有什么新闻 and 最近有什么新闻", async () => {
    const recent = await sample.engine.ask("最近有什么新闻?");
    expect(recent.text).toMatch(/^最新一期\(2026年3月7日,嘉兴日报\)的报道有:\n1\.《/u);
    const answer = await sample.engine.ask("今天有什么新闻?");
    expect(answer.text).toMatch(/^最新一期\(2026年3月7日,嘉兴日报\)的报道有:\n1\.《/u);
    expect(answer.citations.length).toBeGreaterThan(2);
    expect(new Set(answer.citations.map((c) => c.chunk.date))).toEqual(new Set(["2026-03-07"]));
  });

  it("answers a question about today from the newest edition only, saying its date", async () => {
    const answer = await sample.engine.ask("陈伟今天去了哪里?");
    expect(answer.text).toMatch(/^最新一期\(2026年3月7日,嘉兴日报\):/u);
    expect(answer.text).toContain("嘉善");
    for (const c of answer.citations) expect(c.chunk.date).toBe("2026-03-07");
  });

  it("searches the newest edition by the catalog, reading no chunk of another edition", async () => {
    const { index, embedder } = sample.engine;
    const newest = latestEdition(index)?.edition.editionId ?? "";
    const read: number[] = [];
    // The index as the search sees it, noting every chunk it reads.
    const watched = new Proxy(index, {
      get(target, name, receiver) {
        if (name === "chunkAt") {
          return (i: number) => {
            read.push(i);
            return target.chunkAt(i);
          };
        }
        const value: unknown = Reflect.get(target, name, receiver);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const query = analyzeQuery("陈伟去了哪里?");
    // The question's words are weighed against the whole archive, before the search is watched.
    const { groups, phrases } = analyzeTerms(index, query.simplified);
    const passages = await searchHybrid(watched, embedder, query, {
      groups,
      phrases,
      filter: (i) => index.editionOfChunk(i) === newest,
    });
    expect(passages.length).toBeGreaterThan(0);
    expect(read.length).toBeGreaterThan(0);
    for (const i of read) expect(index.editionOfChunk(i)).toBe(newest);
  });
});

describe("engine: the newest edition carries no forecast", () => {
  let dir: string;
  let engine: Engine;
  beforeAll(async () => {
    // The sample editions plus a newer edition without a weather report.
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "time-question-newer-"));
    const editions = path.join(dir, "editions");
    await fs.cp(SAMPLE_EDITIONS, editions, { recursive: true });
    const manifest = JSON.parse(
      await fs.readFile(path.join(editions, "manifest.json"), "utf8"),
    ) as {
      editions: unknown[];
    };
    manifest.editions.push({
      file: "005_newer.txt",
      paper: "平湖日报",
      date: "2026-03-09",
      precision: "day",
    });
    await fs.writeFile(path.join(editions, "manifest.json"), JSON.stringify(manifest));
    await fs.writeFile(
      path.join(editions, "005_newer.txt"),
      "\n\n新埭镇举办春季招聘会\n\n■记者 张三\n\n本报讯 3月8日,新埭镇举办春季招聘会,30家企业提供岗位600余个。\n",
    );
    const indexDir = path.join(dir, "index");
    await runIndexJob({ editionDirs: [editions], indexDir, embedder: createHashedEmbedder() });
    engine = await createEngine({
      indexDir,
      embedder: createHashedEmbedder(),
      now: () => new Date(SAMPLE_NOW),
    });
  });
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it("says the newest edition has no forecast, with its date, and dates the older one it shows", async () => {
    const answer = await engine.ask("明天天气怎么样?");
    expect(answer.text).toMatch(/^最新一期\(2026年3月9日,平湖日报\)没有刊登天气预报。/u);
    expect(answer.text).toContain("最近的一份天气预报刊登在(2026年3月7日,嘉兴日报)");
    expect(answer.text).toContain("不是今天的");
    expect(answer.citations[0]?.chunk.date).toBe("2026-03-07");
  });
});
