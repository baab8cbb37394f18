import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { glossSenses, prepareLexicon } from "../../src/text/lexicon.js";

const dir = await fs.mkdtemp(path.join(os.tmpdir(), "lnb-lexicon-"));
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

describe("glossSenses", () => {
  it("lists each sense of a gloss, lowercased, without notes in brackets", () => {
    expect(glossSenses("doctor; physician")).toEqual(["doctor", "physician"]);
    expect(glossSenses("to report")).toEqual(["report"]);
    expect(glossSenses("Penang (Malaysian state)")).toEqual(["penang"]);
  });

  it("keeps the name that opens a long gloss", () => {
    expect(glossSenses("Xiaomi, Chinese electronics company founded in 2010")).toContain("xiaomi");
    expect(glossSenses("Rushan county-level city in Weihai 威海, Shandong")).toEqual(["rushan"]);
  });

  it("reads a place's name without the rank English leaves off (Fujian, not Fujian Province)", () => {
    expect(glossSenses("Fujian Province, capital Fuzhou 福州市[Fu2 zhou1 Shi4]")).toContain(
      "fujian",
    );
    expect(glossSenses("Inner Mongolia Autonomous Region, abbr. 內蒙古|内蒙古")).toContain(
      "inner mongolia",
    );
    // A river keeps its word: "Yellow" alone is a colour.
    expect(glossSenses("Yellow River")).not.toContain("yellow");
  });

  it("drops glosses that say how a word is written rather than what it means", () => {
    expect(glossSenses("variant of 醫生")).toEqual([]);
    expect(glossSenses("surname Wang")).toEqual([]);
    expect(glossSenses("see 乳山市[Ru3 shan1 Shi4]")).toEqual([]);
  });
});

describe("prepareLexicon (CC-CEDICT)", () => {
  it("bridges English phrases and Chinese synonyms, and keeps its cache in the folder given", async () => {
    const lexicon = await prepareLexicon(dir);
    expect(lexicon.wordsFor("unemployment rate")).toContain("失业率");
    expect(lexicon.wordsFor("penang")).toContain("槟城");
    expect(lexicon.sensesOf("大夫")).toContain("doctor");
    expect(lexicon.wordsFor("doctor")).toContain("医生");
    // 福建 only refers to 福建省, whose gloss is "Fujian Province".
    expect(lexicon.wordsFor("fujian")).toContain("福建");
    const files = await fs.readdir(dir);
    expect(files.some((f) => /^lexicon-cedict-.*\.txt$/u.test(f))).toBe(true);
  });

  it("finds a word only as written: not a longer word it begins, and nothing for an unknown one", async () => {
    const lexicon = await prepareLexicon(dir);
    expect(lexicon.sensesOf("医生")).toEqual(["doctor"]);
    expect(lexicon.sensesOf("没有这个词语")).toEqual([]);
    expect(lexicon.wordsFor("no such sense at all")).toEqual([]);
  });

  it("gives a variant spelling the senses of the word it refers to, and Taiwan's names theirs", async () => {
    const lexicon = await prepareLexicon(dir);
    // CC-CEDICT: 迪斯尼 "see 迪士尼[Di2 shi4 ni2]"; 欧巴马 "(Tw) Barack Obama …".
    expect(lexicon.sensesOf("迪斯尼")).toContain("disney");
    expect(lexicon.wordsFor("disney")).toEqual(expect.arrayContaining(["迪士尼", "迪斯尼"]));
    expect(lexicon.wordsFor("barack obama")).toEqual(expect.arrayContaining(["奥巴马", "欧巴马"]));
  });

  it("tells the words it lists only as common words from proper nouns and unknown words", async () => {
    const lexicon = await prepareLexicon(dir);
    expect(lexicon.isCommonWord("籍贯")).toBe(true);
    expect(lexicon.isCommonWord("城市")).toBe(true);
    expect(lexicon.isCommonWord("平湖")).toBe(false);
    expect(lexicon.isCommonWord("美国")).toBe(false);
    expect(lexicon.isCommonWord("没有这个词语")).toBe(false);
  });

  it("tells the words it lists only as proper nouns from those with a common reading too", async () => {
    const lexicon = await prepareLexicon(dir);
    expect(lexicon.isNameOnly("工商银行")).toBe(true);
    expect(lexicon.isNameOnly("平湖")).toBe(true);
    // 大学 is a university, and the Great Learning.
    expect(lexicon.isNameOnly("大学")).toBe(false);
    expect(lexicon.isNameOnly("城市")).toBe(false);
    expect(lexicon.isNameOnly("没有这个词语")).toBe(false);
  });

  it("spells each pinyin syllable by its common characters, with every reading of them", async () => {
    const lexicon = await prepareLexicon(dir);
    expect(lexicon.charsSpelled("zhuang")).toContain("庄");
    // 行 reads xing, hang and heng (道行); 埭 is rare in the dictionary but common in place names.
    expect(lexicon.charsSpelled("heng")).toContain("行");
    expect(lexicon.charsSpelled("dai")).toContain("埭");
    expect(lexicon.charsSpelled("lv")).toContain("绿");
    // A character outside GB 2312's common ones (䶮, read yan) is left out.
    expect(lexicon.charsSpelled("yan")).not.toContain("䶮");
    expect(lexicon.charsSpelled("qwe")).toEqual([]);
  });

  it("knows the places inside a province or a city, at any depth, with and without their rank", async () => {
    const lexicon = await prepareLexicon(dir);
    // 巍山县 lies in 大理白族自治州, which lies in 云南省.
    expect(lexicon.placesWithin("云南")).toEqual(
      expect.arrayContaining(["巍山县", "巍山", "大理"]),
    );
    expect(lexicon.placesWithin("云南省")).toContain("巍山");
    // 平湖 "see 平湖市", a county-level city in 嘉兴市, in 浙江省.
    expect(lexicon.placesWithin("嘉兴")).toContain("平湖");
    expect(lexicon.placesWithin("浙江")).toContain("平湖");
    // "Haidian, a district of Beijing": located by its English name.
    expect(lexicon.placesWithin("北京")).toContain("海淀");
    // "Taipei, capital of Taiwan", "Tainan, a city … in southwest Taiwan".
    expect(lexicon.placesWithin("台湾")).toEqual(expect.arrayContaining(["台北", "台南"]));
    expect(lexicon.placesWithin("广东")).not.toContain("平湖");
    expect(lexicon.placesWithin("平湖")).toEqual([]);
  });
});
