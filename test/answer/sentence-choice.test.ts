import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ANSWER_MODEL, checkModel } from "../../src/answer/answer-model.js";
import { SENTENCE_FEATURES } from "../../src/answer/candidates.js";
import { createHashedEmbedder } from "../../src/embeddings/hashed.js";
import { createEngine, type Engine } from "../../src/engine.js";
import { runIndexJob } from "../../src/indexer.js";
import { checkSecondStage, SECOND_STAGE } from "../../src/retrieval/second-stage.js";
import { SAMPLE_EDITIONS } from "../helpers/paths.js";

/** Made-up stories, each written so that the lead sentence holds another fact than the one asked. */
const ARTICLES = [
  {
    id: "fire",
    title: "城南物流仓库凌晨起火",
    date: "2026-02-03",
    paper: "测试日报",
    text:
      "2月3日凌晨4时许，城南区永丰路一座物流仓库起火，3个消防站的20辆消防车赶到现场。" +
      "火灾造成仓库内存放的家电全部烧毁。" +
      "截至目前，火灾已造成2人受伤，无人死亡。" +
      "起火原因正在调查中。",
  },
  {
    id: "quote",
    title: "东湖公园改造方案公布",
    date: "2026-02-04",
    paper: "测试日报",
    text:
      "东湖公园改造方案昨天公布，改造总面积约12公顷。" +
      "“我们希望把公园还给附近的老人和孩子，少一些围墙，多一些树荫。”" +
      "市园林局局长周建国表示。" +
      "改造工程计划年内完工。",
  },
];

let dir: string;
let engine: Engine;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "lnb-choice-"));
  const file = path.join(dir, "articles.jsonl");
  await fs.writeFile(
    file,
    ARTICLES.map((a) => JSON.stringify({ ...a, source: "test" })).join("\n") + "\n",
  );
  const indexDir = path.join(dir, "index");
  // The sample editions stand beside the stories, so that term weights are those of an archive.
  await runIndexJob({
    editionDirs: [SAMPLE_EDITIONS],
    articleFiles: [file],
    indexDir,
    embedder: createHashedEmbedder(),
  });
  engine = await createEngine({ indexDir, embedder: createHashedEmbedder() });
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

describe("the fitted models", () => {
  it("have one weight per feature the code computes", () => {
    expect(ANSWER_MODEL.sentence.weights).toHaveLength(SENTENCE_FEATURES.length);
    expect(SECOND_STAGE.weights).toHaveLength(SECOND_STAGE.features.length);
  });

  it("are refused, with the command that fits them, when fitted on other features", () => {
    const stale = { ...ANSWER_MODEL, sentence: { features: ["support"], weights: [1] } };
    expect(() => checkModel(stale)).toThrow(/npm run fit/u);
    expect(() => checkSecondStage({ features: ["fused"], weights: [1] })).toThrow(/npm run fit/u);
  });
});

describe("choosing the sentence that answers", () => {
  it("answers a count with the sentence that counts what is asked, not the lead's numbers", async () => {
    const answer = await engine.ask("城南物流仓库起火有几人受伤?");
    expect(answer.abstained).toBe(false);
    expect(answer.text).toContain("2人受伤");
  });

  it("keeps a quote with the sentence that says who spoke", async () => {
    const answer = await engine.ask("东湖公园改造,局长周建国说了什么?");
    expect(answer.abstained).toBe(false);
    expect(answer.text).toContain("老人和孩子");
    expect(answer.text).toContain("周建国");
  });
});
