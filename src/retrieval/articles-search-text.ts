import { toHalfWidth } from "../text/normalize.js";

/** An inclusive range of ISO days, "YYYY-MM-DD" (the day may be 31 for any month: compared as strings). */
export interface DateRange {
  from: string;
  to: string;
}

/** A search text with its date range taken out. */
export interface ParsedSearch {
  /** The keywords left once the date expressions are removed. */
  text: string;
  range?: DateRange;
}

const pad = (n: number): string => String(n).padStart(2, "0");

/**
 * Date expressions, tried left to right at each position: full date, year-month, year with 年,
 * month (and day) without a year, bare year. Full-width digits are folded to ASCII first.
 */
const DATE_EXPR =
  /(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*[日号]?|(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*月?|(\d{4})\s*年(?:度)?|(?<!\d)(\d{1,2})\s*月\s*(?:(\d{1,2})\s*[日号])?|(?<![\d.])((?:19|20)\d{2})(?![\d.%])/gu;
const RANGE_SEPARATORS = /(^|\s)[~～〜至到—–\-–]+(?=\s|$)/gu;

function lastDay(month: number): number {
  return month === 2 ? 29 : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * Takes date expressions out of a search text and turns them into a range. Lenient on purpose:
 * "2025-01-01~2025-03-31", "2025-02", "2025年3月", "2025年1月至3月", "2025/3/5", "2025" all work;
 * one expression means that whole day, month or year, two mean from the first to the second. A
 * month without any year in the text is left as a keyword. Never throws.
 */
export function parseSearchText(input: string): ParsedSearch {
  const text = toHalfWidth(input);
  const periods: DateRange[] = [];
  const spans: [number, number][] = [];
  let year: number | undefined;
  for (const m of text.matchAll(DATE_EXPR)) {
    let period: DateRange | undefined;
    if (m[1] !== undefined) {
      const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
      if (mo >= 1 && mo <= 12 && d >= 1 && d <= 31)
        period = { from: `${y}-${pad(mo)}-${pad(d)}`, to: `${y}-${pad(mo)}-${pad(d)}` };
      year = y;
    } else if (m[4] !== undefined) {
      const [y, mo] = [Number(m[4]), Number(m[5])];
      if (mo >= 1 && mo <= 12)
        period = { from: `${y}-${pad(mo)}-01`, to: `${y}-${pad(mo)}-${lastDay(mo)}` };
      year = y;
    } else if (m[6] !== undefined || m[9] !== undefined) {
      const y = Number(m[6] ?? m[9]);
      period = { from: `${y}-01-01`, to: `${y}-12-31` };
      year = y;
    } else if (m[7] !== undefined && year !== undefined) {
      const mo = Number(m[7]);
      const d = m[8] === undefined ? undefined : Number(m[8]);
      if (mo >= 1 && mo <= 12) {
        period =
          d !== undefined && d >= 1 && d <= 31
            ? { from: `${year}-${pad(mo)}-${pad(d)}`, to: `${year}-${pad(mo)}-${pad(d)}` }
            : { from: `${year}-${pad(mo)}-01`, to: `${year}-${pad(mo)}-${lastDay(mo)}` };
      }
    }
    if (period) {
      periods.push(period);
      spans.push([m.index, m.index + m[0].length]);
    }
  }
  if (periods.length === 0) return { text: input.trim().replace(/\s+/gu, " ") };
  let rest = "";
  let at = 0;
  for (const [s, e] of spans) {
    rest += `${text.slice(at, s)} `;
    at = e;
  }
  rest += text.slice(at);
  rest = rest.replace(RANGE_SEPARATORS, " ").replace(/\s+/gu, " ").trim();
  const first = periods[0] as DateRange;
  const last = periods[periods.length - 1] as DateRange;
  const range =
    first.from <= last.to ? { from: first.from, to: last.to } : { from: last.from, to: first.to };
  return { text: rest, range };
}
