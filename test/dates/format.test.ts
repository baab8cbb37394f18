import { describe, expect, it } from "vitest";
import { annotateRelative, formatAbsoluteDate } from "../../src/dates/format.js";
import { resolveRelativeDates } from "../../src/dates/resolve-relative.js";
import type { ResolvedDate } from "../../src/dates/resolve-relative.js";

function first(text: string, edition: string, precision: "day" | "month" = "day"): ResolvedDate {
  const r = resolveRelativeDates(text, edition, precision)[0];
  if (!r) throw new Error(`no date in ${text}`);
  return r;
}

describe("formatAbsoluteDate", () => {
  it("writes days, months and years in Chinese without leading zeros", () => {
    expect(formatAbsoluteDate(first("昨天", "2026-03-07"))).toBe("2026年3月6日");
    expect(formatAbsoluteDate(first("上月", "2026-03-07"))).toBe("2026年2月");
    expect(formatAbsoluteDate(first("去年", "2026-03-07"))).toBe("2025年");
  });

  it("writes a range with the year once, or twice across a year boundary", () => {
    expect(formatAbsoluteDate(first("本周", "2026-03-07"))).toBe("2026年3月2日至3月8日");
    expect(formatAbsoluteDate(first("本周", "2026-01-01"))).toBe("2025年12月29日至2026年1月4日");
  });
});

describe("annotateRelative", () => {
  it("adds what the report said to relative dates", () => {
    expect(annotateRelative(first("昨天下午", "2026-03-07"))).toBe("2026年3月6日(报道称“昨天”)");
    expect(annotateRelative(first("2月 8日", "2025-02-10"))).toBe("2025年2月8日(报道称“2月8日”)");
    expect(annotateRelative(first("昨天", "2026-03", "month"))).toBe("2026年3月(报道称“昨天”)");
  });

  it("leaves explicit dates plain", () => {
    expect(annotateRelative(first("2025年3月6日", "2026-03-07"))).toBe("2025年3月6日");
  });
});
