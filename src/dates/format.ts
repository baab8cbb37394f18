/** Chinese renderings of resolved dates, for answers and citations. */
import { parseIsoDay, parseIsoMonth } from "./calendar.js";
import type { ResolvedDate } from "./resolve-relative.js";

function formatDay(iso: string, withYear: boolean): string | undefined {
  const day = parseIsoDay(iso);
  if (!day) return undefined;
  return `${withYear ? `${day.year}年` : ""}${day.month}月${day.day}日`;
}

/**
 * The date in Chinese: "2026年3月6日", "2026年3月", "2026年", or for a range
 * "2026年3月2日至3月8日" (the year repeated only when it changes). A malformed date is returned
 * as it is rather than thrown, since this runs while rendering a reply. Never throws.
 */
export function formatAbsoluteDate(resolved: ResolvedDate): string {
  switch (resolved.precision) {
    case "day":
      return formatDay(resolved.date, true) ?? resolved.date;
    case "month": {
      const month = parseIsoMonth(resolved.date);
      return month ? `${month.year}年${month.month}月` : resolved.date;
    }
    case "year":
      return /^\d{4}$/u.test(resolved.date) ? `${resolved.date}年` : resolved.date;
    case "range": {
      if (resolved.from === resolved.to) return formatDay(resolved.from, true) ?? resolved.from;
      const sameYear = resolved.from.slice(0, 4) === resolved.to.slice(0, 4);
      const from = formatDay(resolved.from, true);
      const to = formatDay(resolved.to, !sameYear);
      return from && to ? `${from}至${to}` : `${resolved.from}至${resolved.to}`;
    }
  }
}

/**
 * The absolute date, followed for relative expressions by what the report said:
 * "2026年3月6日(报道称“昨天”)"; explicit dates come back plain. Never throws.
 */
export function annotateRelative(resolved: ResolvedDate): string {
  const absolute = formatAbsoluteDate(resolved);
  if (!resolved.relative) return absolute;
  // Hard-wrapped editions leave spaces inside phrases ("2月 8日"); the quote shows the words only.
  return `${absolute}(报道称“${resolved.phrase.replace(/\s+/gu, "")}”)`;
}
