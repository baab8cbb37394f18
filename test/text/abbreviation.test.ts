import { describe, expect, it } from "vitest";
import { holdsAbbreviated } from "../../src/text/abbreviation.js";

describe("holdsAbbreviated", () => {
  it("finds the full name a short form keeps one character of each part of", () => {
    expect(holdsAbbreviated("中国科学院脑科学与智能技术卓越创新中心研究员", "中科院")).toBe(true);
    expect(holdsAbbreviated("中国科学院脑科学与智能技术卓越创新中心研究员", "脑智")).toBe(true);
    expect(holdsAbbreviated("他毕业于北京大学中文系", "北大")).toBe(true);
  });

  it("does not read characters far apart, across punctuation or out of order as a name", () => {
    expect(holdsAbbreviated("中国的科学研究和教育事业发展迅速的学院", "中科院")).toBe(false);
    expect(holdsAbbreviated("山东,西部地区", "山西")).toBe(false);
    expect(holdsAbbreviated("智能脑科学", "脑智")).toBe(false);
    // Five characters are no short form.
    expect(holdsAbbreviated("中华人民共和国科学院", "中人共科院")).toBe(false);
  });
});
