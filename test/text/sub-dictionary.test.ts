import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { Jieba } from "@node-rs/jieba";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { normalizeForMatch } from "../../src/text/normalize.js";
import { JIEBA_DICTIONARY_STATS } from "../../src/text/jieba-dictionary.js";
import { SortedDictionary } from "../../src/text/sub-dictionary.js";
import { REPO_DIR } from "../helpers/paths.js";

const DICT = readFileSync(createRequire(import.meta.url).resolve("@node-rs/jieba/dict.txt"));

/** Every line of the bundled sample editions, as written and as normalised for matching. */
function sampleTexts(): string[] {
  const dir = join(REPO_DIR, "data", "editions");
  const lines = readdirSync(dir)
    .filter((f) => f.endsWith(".txt"))
    .flatMap((f) => readFileSync(join(dir, f), "utf8").split("\n"))
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  return [...lines, ...lines.map(normalizeForMatch)];
}

/** Texts jieba treats specially: letters and digits inside words, traditional, symbols, filler. */
const EDGE_TEXTS = [
  "4S店和1号店都在平湖经济技术开发区",
  "iPhone15发布会上,苹果公司CEO库克说",
  "臺灣的經濟發展與兩岸關係",
  "2024年3月1日，GDP同比增长5.2%，CPI上涨0.7%",
  "中华人民共和国国务院新闻办公室举行新闻发布会",
  "\uE000平湖\uE000新闻\uE000",
  "😀表情符号和 emoji 混在一起🎉",
  "长江大桥南京市长江大桥",
  "",
  "的",
  "abc",
];

describe("SortedDictionary", () => {
  let full: Jieba;
  let sorted: SortedDictionary;
  beforeAll(() => {
    full = Jieba.withDict(DICT);
    sorted = SortedDictionary.read(DICT, JIEBA_DICTIONARY_STATS);
  });

  it("reads jieba's shipped dictionary, sorted by bytes with each word once (run `npm run generate` after upgrading it)", () => {
    const words = DICT.toString("utf8")
      .split("\n")
      .filter((l) => l.length > 0)
      .map((l) => Buffer.from(l.slice(0, l.indexOf(" ")), "utf8"));
    const disordered = words.findIndex((w, i) => i > 0 && Buffer.compare(words[i - 1]!, w) >= 0);
    expect(disordered).toBe(-1);
    // The generated stats are the shipped file's, and the ones read.
    expect(SortedDictionary.scan(DICT)).toEqual(JIEBA_DICTIONARY_STATS);
    expect(sorted.stats).toEqual(JIEBA_DICTIONARY_STATS);
    // Stats that do not match the file are not trusted: it is scanned instead.
    const stale = { ...JIEBA_DICTIONARY_STATS, crc32: 1, total: 5 };
    expect(SortedDictionary.read(DICT, stale).stats).toEqual(JIEBA_DICTIONARY_STATS);
  });

  it("gives each text the cuts, search cuts and tags of the whole dictionary", () => {
    const texts = [...EDGE_TEXTS, ...sampleTexts()];
    expect(texts.length).toBeGreaterThan(500);
    for (const text of texts) {
      const own = Jieba.withDict(sorted.subDictionary(text));
      expect(own.cut(text, true), text).toEqual(full.cut(text, true));
      expect(own.cut(text, false), text).toEqual(full.cut(text, false));
      expect(own.cutForSearch(text, true), text).toEqual(full.cutForSearch(text, true));
      expect(own.tag(text, true), text).toEqual(full.tag(text, true));
    }
  });

  it("holds only the text's own words, and the whole dictionary's total", () => {
    const own = sorted.subDictionary("平湖新闻").toString("utf8").trim().split("\n");
    const words = own.map((l) => l.split(" ")[0]);
    expect(words).toEqual(expect.arrayContaining(["平湖", "新闻", "湖", "平", "新", "闻"]));
    const total = own.reduce((n, l) => n + Number(l.split(" ")[1]), 0);
    const dictTotal = DICT.toString("utf8")
      .split("\n")
      .filter((l) => l.length > 0)
      .reduce((n, l) => n + Number(l.split(" ")[1]), 0);
    expect(total).toBe(dictTotal);
    expect(own.length).toBeLessThan(20);
  });

  it("reads a dictionary with Windows line ends, and one of a few words scanned", () => {
    // Sorted by bytes: 平 e5b9b3, 新 e696b0, 湖 e6b996.
    const lines = ["平 100 v", "平湖 50 ns", "新闻 70 n", "湖 80 n"];
    for (const eol of ["\n", "\r\n"]) {
      const small = SortedDictionary.read(Buffer.from(lines.join(eol) + eol));
      expect(small.stats.total).toBe(300);
      expect(small.subDictionary("平湖的新闻").toString("utf8").split("\n")).toEqual([
        "平 100 v",
        "平湖 50 ns",
        "新闻 70 n",
        "湖 80 n",
        "",
      ]);
      expect(small.subDictionary("新闻").toString("utf8")).toBe("新闻 70 n\n\uE000 230 x\n");
    }
  });

  it("refuses a dictionary line without a frequency", () => {
    expect(() => SortedDictionary.scan(Buffer.from("平湖 10 ns\n新闻\n"))).toThrow(/line 2/u);
  });
});

describe("cutting words before jieba is built", () => {
  it("tokenizes, cuts and tags as the built jieba does, and builds it on request", async () => {
    const texts = [...EDGE_TEXTS, ...sampleTexts().slice(0, 200)];
    // 150 texts, three cuts each: within the quick cuts allowed before jieba is built anyway.
    vi.resetModules();
    const quick = await import("../../src/text/words.js");
    quick.readWordCutter();
    const before = texts
      .slice(0, 150)
      .map((t) => [quick.tokenize(t), quick.cutWords(t), quick.tagWords(t)]);
    expect(quick.wordCutterBuilt()).toBe(false);
    vi.resetModules();
    const built = await import("../../src/text/words.js");
    built.buildWordCutter();
    expect(built.wordCutterBuilt()).toBe(true);
    const after = texts
      .slice(0, 150)
      .map((t) => [built.tokenize(t), built.cutWords(t), built.tagWords(t)]);
    expect(before).toEqual(after);
  });
});
