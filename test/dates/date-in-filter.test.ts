import { describe, expect, it } from "vitest";
import { dateInFilter } from "../../src/dates/date-in-filter.js";

const march = { from: "2026-03-01", to: "2026-03-31" };

describe("dateInFilter", () => {
  it("admits a day inside the range, including its ends", () => {
    expect(dateInFilter("2026-03-01", march)).toBe(true);
    expect(dateInFilter("2026-03-31", march)).toBe(true);
    expect(dateInFilter("2026-04-01", march)).toBe(false);
    expect(dateInFilter("2026-02-28", march)).toBe(false);
  });

  it("admits a month that overlaps the range by one day", () => {
    const lastWeek = { from: "2026-02-23", to: "2026-03-01" };
    expect(dateInFilter("2026-03", lastWeek)).toBe(true);
    expect(dateInFilter("2026-02", lastWeek)).toBe(true);
    expect(dateInFilter("2026-04", lastWeek)).toBe(false);
    expect(dateInFilter("2024-02", { from: "2024-02-29", to: "2024-03-02" })).toBe(true);
  });

  it("admits a year that overlaps the range", () => {
    expect(dateInFilter("2026", march)).toBe(true);
    expect(dateInFilter("2025", march)).toBe(false);
  });

  it("never admits undated or malformed dates", () => {
    expect(dateInFilter(null, march)).toBe(false);
    expect(dateInFilter("三月", march)).toBe(false);
    expect(dateInFilter("2026-13", march)).toBe(false);
  });
});
