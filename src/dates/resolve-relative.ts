/**
 * Finds the date expressions of an article text and turns them into absolute dates, relative ones
 * ("昨天", "上周", year-less "3月6日") against the edition date.
 */
import type { DatePrecision } from "../types.js";
import { RELATIVE_YEAR_OFFSETS } from "../text/numerals.js";
import {
  addDays,
  addMonths,
  daysBetween,
  daysInMonth,
  isValidDay,
  isoDay,
  isoMonth,
  monthRange,
  parseIsoDay,
  parseIsoMonth,
  weekRange,
  yearRange,
} from "./calendar.js";

/** How precisely a resolved date is known. */
export type ResolvedPrecision = "day" | "month" | "year" | "range";

/** One date expression of a text, resolved to an absolute date. */
export interface ResolvedDate {
  /** UTF-16 offsets of the expression in the text: `text.slice(start, end) === phrase`. */
  start: number;
  end: number;
  /** The expression as written, e.g. "昨天", "2月 8日", "2025年3月". */
  phrase: string;
  /**
   * "YYYY-MM-DD" for precision "day", "YYYY-MM" for "month", "YYYY" for "year"; for "range"
   * (上周, 本周, 近日) the first day of the range, e.g. the Monday of the week.
   */
  date: string;
  precision: ResolvedPrecision;
  /** Inclusive ISO days the expression covers, whatever its precision (a month: its 1st to its last day). */
  from: string;
  to: string;
  /** True when the date depends on the edition date (昨天, 今年, 上周, or a month and day without a year). */
  relative: boolean;
}

/** Days covered by 近日 / 日前 / 连日来, ending on the edition day. */
export const RECENT_IN_TEXT_DAYS = 7;

/**
 * How far after the edition a year-less "M月D日" may fall before it is read as last year's.
 * About three months rather than two: papers announce coming events (edition 2024-07-03 names a
 * final "9月30日左右", 89 days ahead), while a "12月30日" in a January edition is ~360 days ahead.
 */
export const MAX_FUTURE_DAYS = 92;

/** What relative expressions are resolved against. */
type Anchor =
  | { kind: "day"; day: string; year: number; month: number }
  | { kind: "month"; year: number; month: number };

const DAY_OFFSETS: Readonly<Record<string, number>> = {
  昨天: -1,
  昨日: -1,
  昨晚: -1,
  昨夜: -1,
  前天: -2,
  今天: 0,
  今日: 0,
  今晨: 0,
  今晚: 0,
  明天: 1,
  当天: 0,
};
const WEEK_OFFSETS: Readonly<Record<string, number>> = { 上周: -1, 本周: 0, 下周: 1 };
const MONTH_OFFSETS: Readonly<Record<string, number>> = {
  上月: -1,
  上个月: -1,
  本月: 0,
  下月: 1,
  下个月: 1,
};
const RECENT_WORDS: ReadonlySet<string> = new Set(["近日", "日前", "连日来"]);

/**
 * Alternatives are tried in order at each position, so longer forms come first: "2025年3月6日"
 * before "3月6日", "今年3月" before "今年". 日前 is not the tail of 节日前 / 工作日前; 当天 counts
 * as the edition day only straight after 本报讯, where it opens the lead.
 */
const DATE_PATTERN = new RegExp(
  [
    String.raw`(?<!\d)(?<ey>\d{4})\s*年(?:\s*(?<em>\d{1,2})\s*月(?:\s*(?<ed>\d{1,2})\s*[日号])?)?`,
    String.raw`(?<yw>前年|去年|今年|明年)\s*(?<wm>\d{1,2})\s*月(?:\s*(?<wd>\d{1,2})\s*[日号])?`,
    String.raw`(?<!\d)(?<m>\d{1,2})\s*月\s*(?<d>\d{1,2})\s*[日号]`,
    String.raw`(?<word>昨天|昨日|昨晚|昨夜|前天|今天|今日|今晨|今晚|明天|上周|本周|下周|上个?月|本月|下个?月|前年|去年|今年|明年|近日|(?<![节假生作期末止号])日前|连日来|(?<=本报讯\s*)当天)`,
  ].join("|"),
  "gu",
);

/** Full-width digits to ASCII; one UTF-16 unit each way, so offsets stay valid. */
function foldDigits(text: string): string {
  return text.replace(/[０-９]/gu, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0));
}

function anchorOf(editionDate: string | null, precision: DatePrecision): Anchor | undefined {
  if (editionDate === null || precision === "unknown") return undefined;
  const day = parseIsoDay(editionDate);
  if (day && precision === "day") {
    return { kind: "day", day: editionDate, year: day.year, month: day.month };
  }
  const month = parseIsoMonth(editionDate.slice(0, 7));
  return month ? { kind: "month", ...month } : undefined;
}

type Resolution = Pick<ResolvedDate, "date" | "precision" | "from" | "to">;

function dayResolution(day: string): Resolution {
  return { date: day, precision: "day", from: day, to: day };
}

function monthResolution(year: number, month: number): Resolution {
  return { date: isoMonth(year, month), precision: "month", ...monthRange(year, month) };
}

function yearResolution(year: number): Resolution {
  return { date: String(year), precision: "year", ...yearRange(year) };
}

/** With only the edition's month known, anything finer than a month resolves to that month. */
function coarse(anchor: Anchor, fine: (day: string) => Resolution): Resolution {
  return anchor.kind === "day" ? fine(anchor.day) : monthResolution(anchor.year, anchor.month);
}

function resolveWord(word: string, anchor: Anchor): Resolution | undefined {
  const dayOffset = DAY_OFFSETS[word];
  if (dayOffset !== undefined) return coarse(anchor, (d) => dayResolution(addDays(d, dayOffset)));
  const weekOffset = WEEK_OFFSETS[word];
  if (weekOffset !== undefined) {
    return coarse(anchor, (d) => {
      const week = weekRange(addDays(d, 7 * weekOffset));
      return { date: week.from, precision: "range", ...week };
    });
  }
  if (RECENT_WORDS.has(word)) {
    return coarse(anchor, (d) => {
      const from = addDays(d, -(RECENT_IN_TEXT_DAYS - 1));
      return { date: from, precision: "range", from, to: d };
    });
  }
  const monthOffset = MONTH_OFFSETS[word];
  if (monthOffset !== undefined) {
    const m = addMonths(anchor.year, anchor.month, monthOffset);
    return monthResolution(m.year, m.month);
  }
  const yearOffset = RELATIVE_YEAR_OFFSETS[word];
  if (yearOffset !== undefined) return yearResolution(anchor.year + yearOffset);
  return undefined;
}

/** The year of a year-less month and day: the edition's, unless that lies too far ahead. */
function inferYear(month: number, day: number, anchor: Anchor): number {
  const reference =
    anchor.kind === "day"
      ? anchor.day
      : isoDay(anchor.year, anchor.month, daysInMonth(anchor.year, anchor.month));
  // Feb 29 is placed by Feb 28 so that a non-leap edition year does not break the comparison.
  const candidate = isoDay(anchor.year, month, Math.min(day, daysInMonth(anchor.year, month)));
  return daysBetween(reference, candidate) > MAX_FUTURE_DAYS ? anchor.year - 1 : anchor.year;
}

function resolveMatch(
  groups: Record<string, string | undefined>,
  anchor: Anchor | undefined,
): (Resolution & { relative: boolean }) | undefined {
  const { ey, em, ed, yw, wm, wd, m, d, word } = groups;
  if (ey !== undefined) {
    const year = Number(ey);
    if (em === undefined) return { ...yearResolution(year), relative: false };
    const month = Number(em);
    if (month < 1 || month > 12) return undefined;
    if (ed === undefined) return { ...monthResolution(year, month), relative: false };
    const day = Number(ed);
    if (!isValidDay(year, month, day)) return undefined;
    return { ...dayResolution(isoDay(year, month, day)), relative: false };
  }
  if (anchor === undefined) return undefined;
  if (yw !== undefined && wm !== undefined) {
    const year = anchor.year + (RELATIVE_YEAR_OFFSETS[yw] ?? 0);
    const month = Number(wm);
    if (month < 1 || month > 12) return undefined;
    if (wd === undefined) return { ...monthResolution(year, month), relative: true };
    const day = Number(wd);
    if (!isValidDay(year, month, day)) return undefined;
    return { ...dayResolution(isoDay(year, month, day)), relative: true };
  }
  if (m !== undefined && d !== undefined) {
    const [month, day] = [Number(m), Number(d)];
    if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
    const year = inferYear(month, day, anchor);
    if (!isValidDay(year, month, day)) return undefined;
    return { ...dayResolution(isoDay(year, month, day)), relative: true };
  }
  if (word !== undefined) {
    const resolution = resolveWord(word, anchor);
    return resolution && { ...resolution, relative: true };
  }
  return undefined;
}

/**
 * The date expressions of `text`, in order, resolved against the edition date. Relative ones
 * need an edition date: with only its month known they resolve to that month (or a coarser
 * unit), with none they are left out; explicit dates ("2025年3月") always resolve. Impossible
 * dates (2月30日) are left out. Never throws.
 */
export function resolveRelativeDates(
  text: string,
  editionDate: string | null,
  precision: DatePrecision,
): ResolvedDate[] {
  const anchor = anchorOf(editionDate, precision);
  const out: ResolvedDate[] = [];
  for (const match of foldDigits(text).matchAll(DATE_PATTERN)) {
    const resolved = resolveMatch(match.groups ?? {}, anchor);
    if (!resolved) continue;
    const start = match.index;
    const end = start + match[0].length;
    out.push({ start, end, phrase: text.slice(start, end), ...resolved });
  }
  return out;
}
