import { describe, expect, it } from "vitest";
import {
  contradictsTimes,
  numbersIn,
  parseChineseNumeral,
  pinnedTimes,
  withoutNumbers,
} from "../../src/text/numerals.js";

describe("Chinese numerals", () => {
  it("reads numerals with units and digit by digit", () => {
    expect(parseChineseNumeral("四十四")).toBe(44);
    expect(parseChineseNumeral("十五")).toBe(15);
    expect(parseChineseNumeral("三亿")).toBe(3e8);
    expect(parseChineseNumeral("二〇二五")).toBe(2025);
    expect(parseChineseNumeral("万")).toBeUndefined();
  });
});

describe("the times a text pins", () => {
  it("finds calendar years, months, days and editions, in digits or numerals", () => {
    const times = pinnedTimes("2025年十二月15号,国庆60周年,第三届,一季度");
    expect(times.get("年")).toEqual(new Set([2025]));
    expect(times.get("月")).toEqual(new Set([12]));
    expect(times.get("日")).toEqual(new Set([15]));
    expect(times.get("周年")).toEqual(new Set([60]));
    expect(times.get("届")).toEqual(new Set([3]));
    expect(times.get("季度")).toEqual(new Set([1]));
  });

  it("leaves out lengths of time and numbered things that are not dates", () => {
    expect(pinnedTimes("被判了3年,地铁20号线,13月,工期100日").size).toBe(0);
  });

  it("takes 号 for a day only after a month: alone it numbers a satellite or a signal", () => {
    expect(pinnedTimes("鑫诺一号通信卫星,比九号风球高一级").size).toBe(0);
    expect(pinnedTimes("12月9号那天").get("日")).toEqual(new Set([9]));
  });

  it("pins no time where the question asks which one", () => {
    expect(pinnedTimes("魏明帝在哪一世纪接见了罗马使者").size).toBe(0);
  });

  it("reads a decade in digits or numerals as one, and two run together as none", () => {
    expect(pinnedTimes("1980年代").get("年代")).toEqual(new Set([80]));
    expect(pinnedTimes("八十年代").get("年代")).toEqual(new Set([80]));
    expect(pinnedTimes("八十九十年代").size).toBe(0);
  });

  it("finds another month where the question pins one, and none where it is the same", () => {
    const question = pinnedTimes("2025年12月中国汽车出口了多少万辆");
    expect(contradictsTimes(question, "2025年11月,中国汽车出口量达到72.8万辆")).toBe(true);
    expect(contradictsTimes(question, "11月和12月出口均创新高")).toBe(false);
    expect(contradictsTimes(question, "汽车出口量达到70万辆")).toBe(false);
    expect(contradictsTimes(new Map(), "2025年11月")).toBe(false);
  });

  it("does not take the day a report came out for the time it tells of", () => {
    const question = pinnedTimes("2025年12月中国汽车出口了多少万辆");
    const report = "中汽协在2025年12月11日发布的月度信息显示,11月份汽车出口创新高";
    expect(contradictsTimes(question, report)).toBe(true);
    expect(contradictsTimes(question, "12月11日发布的数据显示出口增长")).toBe(false);
    expect(contradictsTimes(question, "2025年12月,汽车出口达到80万辆")).toBe(false);
  });

  it("reads 去年, 今年 and 前年 as years counted from the year the text was written", () => {
    const question = pinnedTimes("平湖2024年的固定资产投资增长了多少");
    const growth = "去年,我市固定资产投资增长8.1%";
    expect(contradictsTimes(question, growth, 2026)).toBe(true);
    expect(contradictsTimes(question, growth, 2025)).toBe(false);
    expect(contradictsTimes(question, "前年的投资增长10.1%", 2026)).toBe(false);
    // Undated, the text names no year.
    expect(contradictsTimes(question, growth)).toBe(false);
  });
});

describe("the numbers a text writes", () => {
  it("finds runs of digits and of two or more Chinese numerals", () => {
    expect(numbersIn("前11个月增长7.1%,共三十五家,统一")).toEqual(
      new Set(["11", "7.1%", "三十五"]),
    );
  });

  it("blanks out only the given numbers, whole", () => {
    expect(withoutNumbers("前11个月有110家", new Set(["11"]))).toBe("前 个月有110家");
    expect(withoutNumbers("前11个月", new Set())).toBe("前11个月");
  });
});
