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
    expect(isoDayInTimeZone(instant, "America/New_York")).toBe("2026-11-21");
    expect(() => isoDayInTimeZone(instant, "Mars/Olympus")).toThrow(RangeError);
  });

  it("agrees with the time-zone database for China's fixed offset, and uses it before 1992", () => {
    const intlDay = (instant: Date): string =>
      new Intl.DateTimeFormat("en-CA", {
        timeZone: "Asia/Shanghai",
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
      }).format(instant);
    // Hours either side of local midnight, across years, leap days and month ends.
    for (const iso of ["1992-01-01", "2000-02-29", "2016-12-31", "2024-02-29", "2026-11-22"]) {
      for (const hour of [15, 15.99, 16, 16.01, 23]) {
        const instant = new Date(Date.parse(`${iso}T00:00:00Z`) + hour * 3_600_000);
        expect(isoDayInTimeZone(instant, "Asia/Shanghai")).toBe(intlDay(instant));
      }
    }
    // Summer time in 1988: 16:30 UTC was already the next day (UTC+9).
    expect(isoDayInTimeZone(new Date("1988-07-01T15:30:00Z"), "Asia/Shanghai")).toBe("1988-07-02");
  });
});
