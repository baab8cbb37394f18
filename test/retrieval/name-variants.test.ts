import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHashedEmbedder } from "../../src/embeddings/hashed.js";
import { createEngine, type Engine } from "../../src/engine.js";
import { runIndexJob } from "../../src/indexer.js";
import { bridgeNameVariants } from "../../src/retrieval/bridge.js";
import { analyzeTerms } from "../../src/retrieval/terms.js";
import { prepareLexicon } from "../../src/text/lexicon.js";
import { SAMPLE_EDITIONS } from "../helpers/paths.js";

/** A made-up report that writes Disney 迪斯尼, where most people type 迪士尼. */
const ARTICLE = {
  id: "park",
  title: "香港迪斯尼乐园公布扩建计划",
  date: "2026-02-10",
  paper: "测试日报",
  source: "test",
  text:
    "香港迪斯尼乐园昨天公布扩建计划，将新建主题园区和酒店，投资约36亿港元。" +
    "扩建完成后，乐园的主题园区将由4个增至7个，预计5年内分阶段完成。",
};

let dir = "";
let engine: Engine;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "lnb-variants-"));
  const file = path.join(dir, "articles.jsonl");
  await fs.writeFile(file, `${JSON.stringify(ARTICLE)}\n`);
  const indexDir = path.join(dir, "index");
  // The sample editions stand beside the report, so that term weights are those of an archive.
  await runIndexJob({
    editionDirs: [SAMPLE_EDITIONS],
    articleFiles: [file],
    indexDir,
    embedder: createHashedEmbedder(),
  });
  engine = await createEngine({ indexDir, embedder: createHashedEmbedder() });
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

describe("bridgeNameVariants", () => {
  it("gives a name the other spelling of it that the archive uses", async () => {
    const lexicon = await prepareLexicon();
    const { groups } = analyzeTerms(engine.index, "香港迪士尼有几个园区", lexicon);
    const added = bridgeNameVariants(groups, lexicon, engine.index);
    const disney = groups.find((g) => g.surface === "迪士尼");
    expect(disney?.spellings.flat()).toContain("迪斯尼");
    expect(added).toContain("迪斯尼");
  });

  it("leaves a name without another spelling in the archive, and common words, alone", async () => {
    const lexicon = await prepareLexicon();
    const { groups } = analyzeTerms(engine.index, "平湖的园区有几个", lexicon);
    const before = JSON.stringify(groups);
    expect(bridgeNameVariants(groups, lexicon, engine.index)).toEqual([]);
    expect(JSON.stringify(groups)).toBe(before);
  });
});

describe("the engine", () => {
  it("answers a question that spells a name otherwise than the report, cited", async () => {
    const answer = await engine.ask("香港迪士尼扩建后有几个主题园区?");
    expect(answer.abstained).toBe(false);
    expect(answer.text).toContain("7个");
    expect(answer.citations[0]?.chunk.headline).toBe(ARTICLE.title);
  });
});
