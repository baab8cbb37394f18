import { describe, expect, it } from "vitest";
import {
  addDays,
  addMonths,
  daysInMonth,
  isoDayInTimeZone,
  parseIsoDay,
  weekRange,
} from "../../src/dates/calendar.js";

describe("calendar", () => {
  it("knows Gregorian leap years", () => {
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(2025, 2)).toBe(28);
    expect(daysInMonth(2000, 2)).toBe(29);
    expect(daysInMonth(1900, 2)).toBe(28);
  });

  it("adds days across month, year and leap-day boundaries", () => {
    expect(addDays("2026-01-01", -1)).toBe("2025-12-31");
    expect(addDays("2024-02-28", 1)).toBe("2024-02-29");
    expect(addDays("2024-03-01", -1)).toBe("2024-02-29");
    expect(addDays("2025-03-01", -1)).toBe("2025-02-28");
  });

  it("rejects impossible ISO days", () => {
    expect(parseIsoDay("2025-02-29")).toBeUndefined();
    expect(parseIsoDay("2025-13-01")).toBeUndefined();
    expect(() => addDays("2025-02-30", 1)).toThrow(/not an ISO day/);
  });

  it("adds months across years", () => {
    expect(addMonths(2026, 1, -1)).toEqual({ year: 2025, month: 12 });
    expect(addMonths(2025, 12, 1)).toEqual({ year: 2026, month: 1 });
  });

  it("gives Monday to Sunday weeks, also across a year boundary", () => {
    expect(weekRange("2026-03-07")).toEqual({ from: "2026-03-02", to: "2026-03-08" });
    expect(weekRange("2026-03-02")).toEqual({ from: "2026-03-02", to: "2026-03-08" });
    expect(weekRange("2026-01-01")).toEqual({ from: "2025-12-29", to: "2026-01-04" });
  });

  it("takes the calendar day in the given time zone, not in UTC", () => {
    const instant = new Date("2026-11-21T23:30:00Z");
    expect(isoDayInTimeZone(instant, "Asia/Shanghai")).toBe("2026-11-22");
    expect(isoDayInTimeZone(instant, "UTC")).toBe("2026-11-21");
  });
});
