import { describe, expect, it } from "vitest";
import {
  parseQuestionTime,
  RECENT_WINDOW_DAYS,
  stripTimePhrase,
} from "../../src/dates/question-time.js";
import type { TimeFilter } from "../../src/dates/question-time.js";

/** Noon in Shanghai, so the day is the same in every time zone the tests might run in. */
const at = (day: string): Date => new Date(`${day}T12:00:00+08:00`);
const TODAY = at("2026-11-22");

function range(question: string, today = TODAY): [string, string] | undefined {
  const f = parseQuestionTime(question, today);
  return f && [f.from, f.to];
}

describe("parseQuestionTime: years and months", () => {
  it("reads 去年, 今年, 前年 and 明年 as whole years", () => {
    expect(range("去年平湖有什么新闻")).toEqual(["2025-01-01", "2025-12-31"]);
    expect(range("今年的投资目标")).toEqual(["2026-01-01", "2026-12-31"]);
    expect(range("前年")).toEqual(["2024-01-01", "2024-12-31"]);
    expect(range("明年投产的项目")).toEqual(["2027-01-01", "2027-12-31"]);
  });

  it("reads 今年3月 and 去年3月 as months", () => {
    expect(parseQuestionTime("今年3月有什么活动", TODAY)).toEqual({
      from: "2026-03-01",
      to: "2026-03-31",
      phrase: "今年3月",
      kind: "relative",
    });
    expect(range("去年3月")).toEqual(["2025-03-01", "2025-03-31"]);
  });

  it("puts a year-less month in this year unless it has not begun yet", () => {
    expect(range("3月份平湖开了什么会")).toEqual(["2026-03-01", "2026-03-31"]);
    expect(range("11月")).toEqual(["2026-11-01", "2026-11-30"]);
    expect(range("12月的新闻")).toEqual(["2025-12-01", "2025-12-31"]);
    expect(range("三月份")).toEqual(["2026-03-01", "2026-03-31"]);
    expect(range("十二月")).toEqual(["2025-12-01", "2025-12-31"]);
  });

  it("does not read a month inside a longer word: a band or a plant is no time", () => {
    expect(parseQuestionTime("五月天最近有哪些新闻", TODAY)?.phrase).toBe("最近");
    expect(range("有哪些关于五月天的报道")).toBeUndefined();
    expect(range("六月雪是什么花")).toBeUndefined();
    expect(range("五月初平湖有哪些新闻")).toEqual(["2026-05-01", "2026-05-31"]);
    expect(range("五月份平湖有哪些新闻")).toEqual(["2026-05-01", "2026-05-31"]);
  });

  it("reads written years, months and days as explicit", () => {
    expect(parseQuestionTime("2025年有哪些项目", TODAY)).toMatchObject({
      from: "2025-01-01",
      to: "2025-12-31",
      kind: "explicit",
    });
    expect(range("2025年3月")).toEqual(["2025-03-01", "2025-03-31"]);
    expect(range("2025年3月5日")).toEqual(["2025-03-05", "2025-03-05"]);
    expect(range("2025-03")).toEqual(["2025-03-01", "2025-03-31"]);
    expect(range("2024年2月")).toEqual(["2024-02-01", "2024-02-29"]);
    expect(range("2025年2月")).toEqual(["2025-02-01", "2025-02-28"]);
  });

  it("ignores amounts that look like years and impossible dates", () => {
    expect(parseQuestionTime("投资2000元的项目", TODAY)).toBeUndefined();
    expect(parseQuestionTime("2025年2月30日", TODAY)).toBeUndefined();
  });
});

describe("parseQuestionTime: ranges", () => {
  it("joins 2025年2月至3月 into one range", () => {
    expect(parseQuestionTime("2025年2月至3月的新闻", TODAY)).toEqual({
      from: "2025-02-01",
      to: "2025-03-31",
      phrase: "2025年2月至3月",
      kind: "explicit",
    });
  });

  it("joins year-less months, moving the whole range back when it has not begun", () => {
    expect(range("2月到3月")).toEqual(["2026-02-01", "2026-03-31"]);
    expect(range("2月到3月", at("2026-01-10"))).toEqual(["2025-02-01", "2025-03-31"]);
    expect(range("去年12月到今年2月")).toEqual(["2025-12-01", "2026-02-28"]);
  });
});

describe("parseQuestionTime: relative and recent", () => {
  it("reads 上个月 and 这个月, across a year boundary", () => {
    expect(range("上个月")).toEqual(["2026-10-01", "2026-10-31"]);
    expect(range("本月")).toEqual(["2026-11-01", "2026-11-30"]);
    expect(range("上个月", at("2026-01-15"))).toEqual(["2025-12-01", "2025-12-31"]);
  });

  it("reads 上周 and 这周 as Monday-to-Sunday weeks", () => {
    // 2026-11-22 is a Sunday.
    expect(range("上周")).toEqual(["2026-11-09", "2026-11-15"]);
    expect(range("这周")).toEqual(["2026-11-16", "2026-11-22"]);
  });

  it(`reads 最近 as the last ${RECENT_WINDOW_DAYS} days up to today`, () => {
    expect(parseQuestionTime("最近平湖有什么新闻", TODAY)).toEqual({
      from: "2026-10-23",
      to: "2026-11-22",
      phrase: "最近",
      kind: "recent",
    });
    expect(range("近期")).toEqual(["2026-10-23", "2026-11-22"]);
  });

  it("reads 前几天 as the last week and 最近两周 by its count", () => {
    expect(range("前几天的会议")).toEqual(["2026-11-15", "2026-11-22"]);
    expect(range("最近两周")).toEqual(["2026-11-08", "2026-11-22"]);
    expect(range("近3天")).toEqual(["2026-11-19", "2026-11-22"]);
  });

  it("takes today in Shanghai time by default", () => {
    const earlyMorningInShanghai = new Date("2026-11-21T23:30:00Z");
    expect(range("今天", earlyMorningInShanghai)).toEqual(["2026-11-22", "2026-11-22"]);
    expect(parseQuestionTime("今天", earlyMorningInShanghai, { timeZone: "UTC" })?.from).toBe(
      "2026-11-21",
    );
  });

  it("returns undefined when the question names no time", () => {
    expect(parseQuestionTime("平湖的固定资产投资增长了多少", TODAY)).toBeUndefined();
    expect(parseQuestionTime("三个月的工期", TODAY)).toBeUndefined();
  });
});

describe("stripTimePhrase", () => {
  const strip = (q: string): string =>
    stripTimePhrase(q, parseQuestionTime(q, TODAY) as TimeFilter);

  it("removes the time phrase so retrieval does not search for it", () => {
    expect(strip("去年平湖有什么新闻")).toBe("平湖有什么新闻");
    expect(strip("最近有什么新闻")).toBe("有什么新闻");
    expect(strip("在2025年2月至3月的招商活动")).toBe("招商活动");
    expect(strip("平湖今年以来的投资")).toBe("平湖 投资");
  });

  it("returns the question unchanged when the phrase is absent", () => {
    const filter: TimeFilter = {
      from: "2025-01-01",
      to: "2025-12-31",
      phrase: "去年",
      kind: "relative",
    };
    expect(stripTimePhrase(" 平湖新闻 ", filter)).toBe("平湖新闻");
  });
});
