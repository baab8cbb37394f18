import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { createHashedEmbedder } from "../../src/embeddings/hashed.js";
import { runIndexJob } from "../../src/indexer.js";
import { createEngine } from "../../src/engine.js";
import { decomposeQuestion } from "../../src/retrieval/decompose.js";
import type { SnapshotIndex } from "../../src/store/embedded.js";
import { compact } from "../../src/text/normalize.js";
import { SAMPLE_EDITIONS } from "../helpers/paths.js";
import { ARCHIVES, useSampleEngine } from "../helpers/sample-engine.js";

describe.each(ARCHIVES)("on the %s archive", (archive) => {
  const sample = useSampleEngine("lnb-engine-", archive);

  describe("answer engine on the sample editions", () => {
    it("answers a fact question with the sentence that holds it, cited", async () => {
      const answer = await sample.engine.ask("阿里巴巴长三角智能计算基地总投资多少?");
      expect(answer.abstained).toBe(false);
      expect(answer.text).toContain("143亿元");
      expect(answer.text).toMatch(/\[1\]/u);
      expect(answer.citations[0]?.chunk.paper).toBe("嘉兴日报");
    });

    it("quotes a lead sentence without its 本报讯 dateline", async () => {
      const answer = await sample.engine.ask("陈伟在嘉善开展的是什么工作?");
      expect(answer.abstained).toBe(false);
      expect(answer.text).toContain("六千争先");
      expect(answer.text).not.toContain("本报讯");
    });

    it("cites only passages that contain the sentence they support", async () => {
      for (const q of [
        "平湖现在一共有多少户经营主体?",
        "田园五镇大赛创业组最高奖金是多少?",
        "独山港一季度推进多少个重点项目,总投资多少?",
      ]) {
        const answer = await sample.engine.ask(q);
        for (const m of answer.text.matchAll(/([^[\]]+?)((?:\[\d+\])+)/gu)) {
          for (const n of (m[2] ?? "").matchAll(/\[(\d+)\]/gu)) {
            const cited = answer.citations.find((c) => c.n === Number(n[1]));
            expect(cited, `${q}: [${n[1]}] exists`).toBeDefined();
            expect(compact(cited?.chunk.text ?? "")).toContain(compact(m[1] ?? ""));
          }
        }
      }
    });

    it("abstains when the archive does not cover the place asked about", async () => {
      const answer = await sample.engine.ask("桐乡今年一季度有多少个重大项目集中开工?");
      expect(answer.abstained).toBe(true);
      expect(answer.citations).toHaveLength(0);
      expect(answer.text).toContain("没有找到");
    });

    it("abstains when the article holds no expression of the asked type", async () => {
      const answer = await sample.engine.ask("阿里巴巴长三角智能计算基地什么时候全部建成?");
      expect(answer.abstained).toBe(true);
    });

    it("answers a question asked in traditional characters", async () => {
      const answer = await sample.engine.ask("平湖設立的人工智慧專項基金總規模多少?");
      expect(answer.text).toContain("3亿元");
    });

    it("answers both halves of a comparison, each cited", async () => {
      const answer = await sample.engine.ask("阿里长三角智算基地和润泽智算中心,哪个总投资更大?");
      expect(answer.text).toContain("143亿元");
      expect(answer.text).toContain("468亿元");
      expect(answer.citations.length).toBeGreaterThanOrEqual(2);
    });

    it("returns at most ten passages in rank order with scores", async () => {
      const answer = await sample.engine.ask("平湖的项目推进情况");
      expect(answer.passages.length).toBeGreaterThan(0);
      expect(answer.passages.length).toBeLessThanOrEqual(10);
      answer.passages.forEach((p, i) => expect(p.rank).toBe(i + 1));
    });
  });

  describe("dates in answers", () => {
    it("states the absolute date behind a date the report gives without a year", async () => {
      const answer = await sample.engine.ask("平湖市政协十四届十二次常委会是哪天开的?");
      expect(answer.text).toContain("2月7日下午，市政协十四届十二次常委会会议召开。[1]");
      expect(answer.text).toContain("2025年2月7日(报道称“2月7日”)");
    });
  });

  describe("coverage questions", () => {
    it("list matching articles newest first, one dated line each, each cited", async () => {
      const answer = await sample.engine.ask("人工智能出现在哪些新闻中?");
      expect(answer.abstained).toBe(false);
      const lines = answer.text.split("\n");
      expect(lines.length).toBeGreaterThanOrEqual(2);
      expect(answer.citations).toHaveLength(lines.length);
      lines.forEach((line, i) => {
        expect(line).toMatch(/^\d{4}年\d{1,2}月(\d{1,2}日)? .*《.+》:.+\[\d+\]$/u);
        expect(line.endsWith(`[${i + 1}]`)).toBe(true);
      });
      const dates = answer.citations.map((c) => c.chunk.date ?? "");
      expect([...dates].sort().reverse()).toEqual(dates);
    });

    it("keep to the year the question names", async () => {
      const answer = await sample.engine.ask("2025年有哪些关于独山港的报道?");
      expect(answer.citations.length).toBeGreaterThan(0);
      for (const c of answer.citations) expect(c.chunk.date?.startsWith("2025")).toBe(true);
    });

    it("say so when nothing is recent and list the newest coverage instead", async () => {
      const answer = await sample.engine.ask("最近平湖有什么新闻?");
      expect(answer.text.split("\n")[0]).toContain("范围内没有相关报道");
      expect(answer.citations.length).toBeGreaterThan(0);
    });
  });

  describe("near-duplicate passages", () => {
    it("collapse into one when the same story is printed in two editions", async () => {
      const dir = path.join(sample.dir, "dup-editions");
      await fs.mkdir(dir, { recursive: true });
      const source = await fs.readFile(path.join(SAMPLE_EDITIONS, "004_52660507d51a0aa1.txt"));
      await fs.writeFile(path.join(dir, "2024-07-03_平湖日报.txt"), source);
      await fs.writeFile(path.join(dir, "2024-07-04_平湖日报.txt"), source);
      const indexDir = path.join(sample.dir, "dup-index");
      // In PostgreSQL, a schema of its own beside the sample's.
      const indexUrl = sample.indexUrl?.replace("schema=sample", "schema=dup");
      await runIndexJob({
        editionDirs: [dir],
        indexDir,
        indexUrl,
        embedder: createHashedEmbedder(),
      });
      const dupEngine = await createEngine({
        indexDir,
        indexUrl,
        embedder: createHashedEmbedder(),
      });
      const answer = await dupEngine.ask("田园五镇大赛创业组最高奖金是多少?");
      const texts = answer.passages.map((p) => compact(p.chunk.text));
      expect(texts.length).toBeGreaterThan(1);
      expect(new Set(texts).size).toBe(texts.length);
      dupEngine.index.close();
      expect(answer.text).toContain("40000元");
    });
  });
});

// The warm-up and the start read the embedded index's files.
const sample = useSampleEngine("lnb-engine-start-");

describe("the index warm-up", () => {
  it("is held while the first questions after a start are answered, and only then", async () => {
    const engine = await createEngine({
      indexDir: path.join(sample.dir, "index"),
      embedder: createHashedEmbedder(),
    });
    const index = engine.index as SnapshotIndex;
    const holds: { released: boolean }[] = [];
    const hold = index.holdWarming.bind(index);
    vi.spyOn(index, "holdWarming").mockImplementation(() => {
      const release = hold();
      const entry = { released: false };
      holds.push(entry);
      return () => {
        entry.released = true;
        release();
      };
    });
    try {
      // Two questions arrive together at the start: both hold the warm-up.
      await Promise.all([
        engine.ask("阿里巴巴长三角智能计算基地总投资多少?"),
        engine.ask("田园五镇大赛创业组最高奖金是多少?"),
      ]);
      await engine.ask("平湖现在一共有多少户经营主体?");
      expect(holds).toEqual([{ released: true }, { released: true }]);
    } finally {
      index.close();
    }
  });
});

describe("a start", () => {
  it("builds OpenCC's converter while it opens the index, before the first question", async () => {
    // Fresh modules: the converter this file's index run built is not theirs.
    vi.resetModules();
    const normalize = await import("../../src/text/normalize.js");
    const { createEngine: createFresh } = await import("../../src/engine.js");
    expect(normalize.traditionalConverterLoaded()).toBe(false);
    const engine = await createFresh({
      indexDir: path.join(sample.dir, "index"),
      embedder: createHashedEmbedder(),
    });
    try {
      expect(normalize.traditionalConverterLoaded()).toBe(true);
      expect(normalize.toSimplified("乾隆年間")).toBe("乾隆年间");
    } finally {
      (engine.index as SnapshotIndex).close();
    }
  });
});

describe("decomposeQuestion", () => {
  it("splits two subjects that share a predicate", () => {
    expect(decomposeQuestion("阿里长三角智算基地和润泽智算中心,哪个总投资更大?")).toEqual([
      "阿里长三角智算基地哪个总投资更大",
      "润泽智算中心哪个总投资更大",
    ]);
  });
  it("splits two subjects where the second clause opens with the conjunction", () => {
    expect(
      decomposeQuestion("卡拉奇车队旁那次自杀式爆炸,和伊斯兰堡万豪酒店那次爆炸,各死了多少人?"),
    ).toEqual(["卡拉奇车队旁那次自杀式爆炸各死了多少人", "伊斯兰堡万豪酒店那次爆炸各死了多少人"]);
    // A question that opens with 和 joins nothing.
    expect(decomposeQuestion("和平湖有关的新闻有哪些?")).toEqual(["和平湖有关的新闻有哪些?"]);
  });
  it("splits clauses that each ask something and carries the subject over", () => {
    const parts = decomposeQuestion("华东师大附属平湖学校总投资多少,啥时候能用上?");
    expect(parts).toHaveLength(2);
    expect(parts[1]).toContain("华东师大附属平湖学校");
  });
  it("gives every part the clauses that open the question before the first that asks", () => {
    const parts = decomposeQuestion("城东那家五金店着火,店叫啥名?消防几分钟把人救出来的?");
    expect(parts).toHaveLength(2);
    expect(parts[0]).toContain("城东那家五金店着火");
    expect(parts[0]).toContain("店叫啥名");
    expect(parts[1]).toContain("城东那家五金店着火");
    expect(parts[1]).toContain("消防几分钟");
  });
  it("splits at a 和 that jieba glues to the name after it", () => {
    // jieba reads "和平" (peace) in "…基地和平湖…".
    expect(decomposeQuestion("嘉善那个养殖基地和平湖的智算中心,哪个占地更大?")).toEqual([
      "嘉善那个养殖基地哪个占地更大",
      "平湖的智算中心哪个占地更大",
    ]);
    expect(decomposeQuestion("世界和平的意义是什么?")).toEqual(["世界和平的意义是什么?"]);
  });
  it("reads a later clause's pronoun as the person the first clause names", () => {
    const parts = decomposeQuestion("陈利众在海宁去了哪家企业?他在新埭又去了哪家?");
    expect(parts).toEqual(["陈利众在海宁去了哪家企业", "陈利众在新埭又去了哪家"]);
  });
  it("reads a later clause's 又叫 as asking the name, not another name", () => {
    const parts = decomposeQuestion("陈利众在海宁看的企业叫什么?在新埭看的那家又叫什么?");
    expect(parts[1]).toMatch(/那家叫什么$/u);
    expect(parts[1]).not.toContain("又叫");
  });
  it("splits an English question that asks two things, the second read with the first's words", () => {
    expect(
      decomposeQuestion(
        "How many AI companies does Pinghu have, and how much did their revenue grow?",
      ),
    ).toEqual([
      "How many AI companies does Pinghu have?",
      "how much did their revenue grow, How many AI companies does Pinghu have?",
    ]);
    // A second part with a name of its own stands alone.
    expect(
      decomposeQuestion("Who hosted the seminar in Pinghu, and what did Jiaxing announce?"),
    ).toEqual(["Who hosted the seminar in Pinghu?", "what did Jiaxing announce?"]);
    // A clause that asks nothing before the question word, or "on how…" inside one question,
    // makes one question.
    expect(decomposeQuestion("In the Qwen campaign, how much was the free card?")).toEqual([
      "In the Qwen campaign, how much was the free card?",
    ]);
    expect(
      decomposeQuestion("Which group hosted the seminar on how computing power helps?"),
    ).toEqual(["Which group hosted the seminar on how computing power helps?"]);
  });
  it("leaves a simple question alone", () => {
    expect(decomposeQuestion("平湖现在一共有多少户经营主体?")).toEqual([
      "平湖现在一共有多少户经营主体?",
    ]);
  });
});
