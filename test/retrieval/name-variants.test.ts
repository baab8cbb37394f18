import { beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../src/engine.js";
import { bridgeNameVariants } from "../../src/retrieval/bridge.js";
import { analyzeTerms } from "../../src/retrieval/terms.js";
import { prepareLexicon } from "../../src/text/lexicon.js";
import { useMadeUpArchive, type MadeUpStory } from "../helpers/made-up-archive.js";

/** A made-up report that writes Disney 迪斯尼, where most people type 迪士尼. */
const ARTICLE: MadeUpStory = {
  id: "park",
  title: "香港迪斯尼乐园公布扩建计划",
  date: "2026-02-10",
  paper: "测试日报",
  text:
    "香港迪斯尼乐园昨天公布扩建计划，将新建主题园区和酒店，投资约36亿港元。" +
    "扩建完成后，乐园的主题园区将由4个增至7个，预计5年内分阶段完成。",
};

const archive = useMadeUpArchive("lnb-variants-", [ARTICLE]);
let engine: Engine;
beforeAll(() => {
  engine = archive();
});

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
