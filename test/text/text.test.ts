import { describe, expect, it } from "vitest";
import {
  compact,
  hanCharSet,
  normalizeForMatch,
  toHalfWidth,
  toSimplified,
  traditionalChars,
} from "../../src/text/normalize.js";
import { TRADITIONAL_CHARS } from "../../src/text/traditional-chars.js";
import { endsSentence, splitSentences } from "../../src/text/sentences.js";
import { cutWords, tokenize } from "../../src/text/words.js";

describe("normalize", () => {
  it("maps full-width ASCII and the ideographic space to half-width", () => {
    expect(toHalfWidth("ＡＩ　１２３，")).toBe("AI 123,");
  });
  it("converts traditional Chinese to simplified", () => {
    expect(toSimplified("臺灣的經濟發展")).toBe("台湾的经济发展");
    // A text with no traditional character passes through as it is.
    expect(toSimplified("台湾的经济发展")).toBe("台湾的经济发展");
  });
  it("knows every character OpenCC converts (run `npm run generate` after upgrading it)", () => {
    expect(TRADITIONAL_CHARS).toBe(traditionalChars());
    expect([...TRADITIONAL_CHARS].length).toBeGreaterThan(3000);
  });
  it("compacts all whitespace away", () => {
    expect(compact(" 订单已排到 5月份，\n为确保")).toBe("订单已排到5月份，为确保");
  });
  it("normalises for matching", () => {
    expect(normalizeForMatch("  ＡＩ 產業 ")).toBe("ai 产业");
  });
  it("finds the distinct Han characters of a text, as the Script=Han regex does", () => {
    expect([...hanCharSet("平湖ai平湖，〇々𠀀㐀豈ー")]).toEqual([
      "平",
      "湖",
      "〇",
      "々",
      "𠀀",
      "㐀",
      "豈",
    ]);
    // Every code point of the planes in use, one at a time and all together.
    const han = /\p{Script=Han}/u;
    const all: string[] = [];
    for (let cp = 0; cp <= 0x3ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const ch = String.fromCodePoint(cp);
      if (hanCharSet(ch).has(ch) !== han.test(ch)) throw new Error(`U+${cp.toString(16)} differs`);
      if (han.test(ch)) all.push(ch);
    }
    expect([...hanCharSet(all.join("-"))]).toEqual(all);
    // A lone surrogate is no character.
    expect(hanCharSet("\ud840平").size).toBe(1);
  });
});

describe("splitSentences", () => {
  it("splits on Chinese sentence punctuation and keeps closing quotes", () => {
    expect(splitSentences("他说:“好。”然后走了!还有吗?没有;结束")).toEqual([
      "他说:“好。”",
      "然后走了!",
      "还有吗?",
      "没有;",
      "结束",
    ]);
  });
  it("gives back the input when concatenated", () => {
    const text = "第一句。第二句！第三句……第四句";
    expect(splitSentences(text).join("")).toBe(text);
  });
  it("tells whether text ends a sentence", () => {
    expect(endsSentence("建设。”")).toBe(true);
    expect(endsSentence("算力基础设施是人工智能")).toBe(false);
  });
});

describe("word cutting", () => {
  it("segments Chinese into jieba words without punctuation", () => {
    expect(cutWords("平湖现有经营主体7.62万户。")).toContain("平湖");
    expect(cutWords("平湖现有经营主体7.62万户。")).not.toContain("。");
  });
  it("drops question words and adds sub-words of long compounds", () => {
    const terms = tokenize("浙江百康光学股份有限公司是做什么的?");
    expect(terms).toContain("百康");
    expect(terms).not.toContain("什么");
  });
  it("adds character bigrams so glued unknown names still match", () => {
    expect(tokenize("嘉善农商行给昊柏的贷款")).toContain("昊柏");
  });
});
