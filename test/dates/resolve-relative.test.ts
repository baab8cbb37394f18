import { describe, expect, it } from "vitest";
import { resolveRelativeDates } from "../../src/dates/resolve-relative.js";
import type { ResolvedDate } from "../../src/dates/resolve-relative.js";

/** The single date resolved in `text`, failing when there is not exactly one. */
function only(
  text: string,
  edition: string | null,
  precision: "day" | "month" | "unknown" = "day",
): ResolvedDate {
  const found = resolveRelativeDates(text, edition, precision);
  expect(found, `dates in ${text}`).toHaveLength(1);
  return found[0] as ResolvedDate;
}

describe("resolveRelativeDates: day words", () => {
  it("reads 昨天 as the day before the edition", () => {
    expect(only("本报讯 昨天下午,市委书记…", "2026-03-07")).toMatchObject({
      phrase: "昨天",
      date: "2026-03-06",
      precision: "day",
      relative: true,
    });
  });

  it("reads 前天, 今天, 明天 and 昨日 by their offsets", () => {
    expect(only("前天", "2026-03-07").date).toBe("2026-03-05");
    expect(only("今天晴到多云", "2026-03-07").date).toBe("2026-03-07");
    expect(only("明天多云", "2026-03-07").date).toBe("2026-03-08");
    expect(only("昨日", "2026-03-07").date).toBe("2026-03-06");
  });

  it("crosses year and leap-day boundaries", () => {
    expect(only("昨天", "2026-01-01").date).toBe("2025-12-31");
    expect(only("昨天", "2024-03-01").date).toBe("2024-02-29");
    expect(only("昨天", "2025-03-01").date).toBe("2025-02-28");
  });

  it("reads 当天 as the edition day only when it opens the lead", () => {
    expect(only("本报讯 当天上午", "2026-03-07").date).toBe("2026-03-07");
    expect(resolveRelativeDates("当天举办的大赛", "2026-03-07", "day")).toEqual([]);
  });

  it("gives offsets that slice back to the phrase", () => {
    const text = "昨天,嘉兴经开区姚家荡公园内春暖花开。今年以来,";
    for (const r of resolveRelativeDates(text, "2026-03-07", "day")) {
      expect(text.slice(r.start, r.end)).toBe(r.phrase);
    }
  });
});

describe("resolveRelativeDates: weeks, months, years and vague words", () => {
  it("reads 上周 and 本周 as Monday-to-Sunday ranges dated by their Monday", () => {
    expect(only("上周", "2026-03-07")).toMatchObject({
      date: "2026-02-23",
      precision: "range",
      from: "2026-02-23",
      to: "2026-03-01",
    });
    expect(only("本周", "2026-03-07")).toMatchObject({ from: "2026-03-02", to: "2026-03-08" });
  });

  it("reads 近日, 日前 and 连日来 as the last seven days up to the edition", () => {
    for (const word of ["近日", "记者日前获悉", "连日来"]) {
      expect(only(word, "2026-03-07")).toMatchObject({
        precision: "range",
        from: "2026-03-01",
        to: "2026-03-07",
      });
    }
  });

  it("does not read 节日前 as 日前", () => {
    expect(resolveRelativeDates("节日前夕", "2026-03-07", "day")).toEqual([]);
  });

  it("reads 上月 and 本月 as months, across a year boundary", () => {
    expect(only("上月", "2026-01-15")).toMatchObject({ date: "2025-12", precision: "month" });
    expect(only("本月", "2026-01-15")).toMatchObject({
      date: "2026-01",
      from: "2026-01-01",
      to: "2026-01-31",
    });
  });

  it("reads 今年, 去年 and 明年 as years", () => {
    const found = resolveRelativeDates("去年增长8.1%,今年目标,明年投产", "2026-03-07", "day");
    expect(found.map((r) => [r.phrase, r.date, r.precision])).toEqual([
      ["去年", "2025", "year"],
      ["今年", "2026", "year"],
      ["明年", "2027", "year"],
    ]);
  });

  it("reads 今年5月底 as a month of the edition year", () => {
    expect(only("计划今年5月底全部完成", "2026-03-07")).toMatchObject({
      phrase: "今年5月",
      date: "2026-05",
      precision: "month",
      relative: true,
    });
  });
});

describe("resolveRelativeDates: month and day without a year", () => {
  it("puts 2月7日上午 in the edition year", () => {
    expect(only("2月7日上午,陈利众带队", "2025-02-10")).toMatchObject({
      date: "2025-02-07",
      relative: true,
    });
  });

  it("reads hard-wrapped 2月 8日 and 7月1日晚", () => {
    expect(only("不减。2月 8日\n下午", "2025-02-10")).toMatchObject({
      phrase: "2月 8日",
      date: "2025-02-08",
    });
    expect(only("本报讯 7月1日晚,我市举行", "2024-07-03").date).toBe("2024-07-01");
  });

  it("reads full-width digits", () => {
    expect(only("３月６日", "2026-03-07").date).toBe("2026-03-06");
  });

  it("moves a date far after the edition to the previous year", () => {
    expect(only("12月30日", "2026-01-05").date).toBe("2025-12-30");
  });

  it("keeps announced dates up to three months ahead in the edition year", () => {
    expect(only("总决赛(9月30日左右举办)", "2024-07-03").date).toBe("2024-09-30");
    expect(only("10月8日", "2024-07-03").date).toBe("2023-10-08");
  });

  it("places 2月29日 only in a leap year and drops impossible days", () => {
    expect(only("2月29日", "2024-03-10").date).toBe("2024-02-29");
    expect(resolveRelativeDates("2月29日", "2025-03-10", "day")).toEqual([]);
    expect(resolveRelativeDates("2月30日", "2024-03-10", "day")).toEqual([]);
  });
});

describe("resolveRelativeDates: explicit dates and weak edition dates", () => {
  it("reads written years as they are, not relative", () => {
    const found = resolveRelativeDates("2025年3月,2024年度名单,2023年3月26日", null, "unknown");
    expect(found.map((r) => [r.date, r.precision, r.relative])).toEqual([
      ["2025-03", "month", false],
      ["2024", "year", false],
      ["2023-03-26", "day", false],
    ]);
  });

  it("resolves day words to the month when only the edition month is known", () => {
    expect(only("昨天", "2026-03", "month")).toMatchObject({
      date: "2026-03",
      precision: "month",
      from: "2026-03-01",
      to: "2026-03-31",
      relative: true,
    });
    expect(only("上周", "2026-03", "month")).toMatchObject({ date: "2026-03", precision: "month" });
    expect(only("去年", "2026-03", "month").date).toBe("2025");
  });

  it("resolves nothing relative without an edition date", () => {
    expect(resolveRelativeDates("昨天 3月6日 今年 上周", null, "unknown")).toEqual([]);
    expect(resolveRelativeDates("昨天", "2026-03-07", "unknown")).toEqual([]);
  });
});
