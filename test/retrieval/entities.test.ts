import { describe, expect, it } from "vitest";
import { recognizeEntities } from "../../src/retrieval/entities.js";

const kinds = (text: string): string[] => recognizeEntities(text).map((e) => `${e.text}:${e.kind}`);

describe("recognizeEntities", () => {
  it("joins an unknown name and its suffix into one organisation", () => {
    expect(kinds("御辰东公司为什么春节期间也不停工?")).toContain("御辰东公司:organization");
    expect(kinds("华东师大附属平湖学校总投资多少?")).toContain("华东师大附属平湖学校:organization");
  });

  it("takes local places that jieba tags as people for places, with their suffix", () => {
    expect(kinds("嘉善在市对县共同富裕考核中连续几年拿第一?")).toContain("嘉善:place");
    expect(kinds("在平湖市新仓镇")).toEqual(["平湖市:place", "新仓镇:place"]);
  });

  it("recognises people by jieba's name tags", () => {
    expect(kinds("摄影陈明远参与拍的两张照片分别拍的是啥?")).toContain("陈明远:person");
  });

  it("gives spans into the normalised text", () => {
    const [entity] = recognizeEntities("走访浙江景兴纸业股份有限公司");
    expect(entity?.kind).toBe("organization");
    expect("走访浙江景兴纸业股份有限公司".slice(entity?.start, entity?.end)).toBe(entity?.text);
  });

  it("takes a word jieba tags as a place for a common noun after 什么, 这些 and the like", () => {
    expect(kinds("主要是啥东西在烧?")).toEqual([]);
    expect(kinds("多伦多因为什么东西而掀起移民潮?")).not.toContain("东西:place");
    expect(kinds("东西湖区在哪里?")).toContain("东西湖区:place");
    expect(kinds("哪一个城市是这个州的首府?")).not.toContain("城市:place");
  });

  it("finds no name in a question made of ordinary words", () => {
    expect(recognizeEntities("明天会下雨吗,出门要带伞不?")).toEqual([]);
  });
});
