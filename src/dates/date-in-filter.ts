/** Whether an article's date, known to the day, month or year, falls in a question's time range. */
import { isoDay, monthRange, parseIsoDay, parseIsoMonth } from "./calendar.js";
import type { DayRange } from "./calendar.js";

/** The days an article date covers: one day, a whole month or a whole year; undefined when malformed. */
function coveredDays(date: string): DayRange | undefined {
  if (parseIsoDay(date)) return { from: date, to: date };
  const month = parseIsoMonth(date);
  if (month) return monthRange(month.year, month.month);
  if (/^\d{4}$/u.test(date)) {
    const year = Number(date);
    return { from: isoDay(year, 1, 1), to: isoDay(year, 12, 31) };
  }
  return undefined;
}

/**
 * True when an article dated "YYYY-MM-DD", "YYYY-MM" or "YYYY" may lie in the range: a day must
 * be inside it, a month or a year must overlap it. Undated or malformed dates never match, so a
 * time filter never admits an article it cannot place. Never throws.
 */
export function dateInFilter(articleDate: string | null, filter: DayRange): boolean {
  if (articleDate === null) return false;
  const days = coveredDays(articleDate);
  return days !== undefined && days.from <= filter.to && days.to >= filter.from;
}
