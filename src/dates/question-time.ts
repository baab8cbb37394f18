/**
 * The time a question asks about ("去年", "今年3月", "最近", "2025年2月至3月") as an inclusive
 * range of ISO days, and the question without it, for retrieval.
 */
import {
  addDays,
  addMonths,
  isValidDay,
  isoDay,
  isoDayInTimeZone,
  monthRange,
  parseIsoDay,
  weekRange,
  yearRange,
} from "./calendar.js";
import type { DayRange } from "./calendar.js";
import { RELATIVE_YEAR_OFFSETS } from "../text/numerals.js";
import { cutWords, wordStarts } from "../text/words.js";

/** The time range a question asks about. */
export interface TimeFilter {
  /** First and last day of the range, inclusive, "YYYY-MM-DD". */
  from: string;
  to: string;
  /** The time expression as written in the question, e.g. "今年3月". */
  phrase: string;
  /** "explicit": a written year ("2025年3月"); "relative": counted from today (去年, 上个月, 3月份); "recent": a window ending today (最近, 前几天). */
  kind: "explicit" | "relative" | "recent";
}

/** Options of parseQuestionTime. */
export interface QuestionTimeOptions {
  /** IANA time zone in which "today" is the asker's calendar day. Defaults to "Asia/Shanghai". */
  timeZone?: string;
}

/** Days before today covered by 最近 / 近期 / 近来 (today itself is included too). */
export const RECENT_WINDOW_DAYS = 30;

/** Days before today covered by 前几天 / 这几天 / 近日. */
export const FEW_DAYS_WINDOW_DAYS = 7;

const DEFAULT_TIME_ZONE = "Asia/Shanghai";

const MONTH = String.raw`\d{1,2}|十[一二]?|[一二三四五六七八九]`;
const COUNT = String.raw`\d{1,3}|[一二两三四五六七八九十]{1,3}`;

/**
 * Alternatives are tried in order at each position, so longer forms come first ("最近一周"
 * before "最近", "2025年3月" before a bare "2025"). A bare year must not be an amount ("2000元").
 */
const QUESTION_PATTERN = new RegExp(
  [
    String.raw`(?<!\d)(?<iy>(?:19|20)\d{2})[-/.](?<im>\d{1,2})(?:[-/.](?<id>\d{1,2}))?(?![\d%])`,
    String.raw`(?<!\d)(?<ey>\d{4})\s*年(?:\s*(?<em>${MONTH})\s*月份?(?:\s*(?<ed>\d{1,2})\s*[日号])?)?`,
    String.raw`(?<yw>前年|去年|今年|明年)(?:\s*(?<wm>${MONTH})\s*月份?(?:\s*(?<wd>\d{1,2})\s*[日号])?)?`,
    String.raw`(?<![\d年一二三四五六七八九十])(?<m>${MONTH})\s*月份?(?:\s*(?<d>\d{1,2})\s*[日号])?`,
    String.raw`(?:最近|近|过去)(?<n>${COUNT})\s*(?<unit>天|日|周|个?星期|个?礼拜|个月)`,
    String.raw`(?<few>最近几天|前几天|这几天|近几天|近日)`,
    String.raw`(?<recent>最近|近期|近来)`,
    String.raw`(?<word>上个?月|这个月|本月|下个?月|上周|上个?星期|这周|本周|这个?星期|下周|昨天|前天|今天)`,
    String.raw`(?<![\d.])(?<by>(?:19|20)\d{2})(?![\d.%元万亿个人家项吨米号年])`,
  ].join("|"),
  "gu",
);
/** What may follow a month inside one of jieba's words and leave it a time: a day, 份, 初, 中旬. */
const MONTH_WORD_TAIL = /^[\d一二三四五六七八九十两份初底中旬末上下]+$/u;

/**
 * True when jieba reads the month at [start, end) of `text` as part of a longer word: "五月天" is
 * a band and "六月雪" a plant, not a month ("五月初", "九月九" stay months).
 */
function monthInsideWord(text: string, start: number, end: number): boolean {
  const words = cutWords(text);
  const starts = wordStarts(
    text,
    words.map((word) => ({ word })),
  );
  return words.some((word, i) => {
    const from = starts[i] ?? 0;
    const to = from + word.length;
    if (to <= start || from >= end) return false;
    return from < start || (to > end && !MONTH_WORD_TAIL.test(text.slice(end, to)));
  });
}

const RANGE_SEPARATOR = /^\s*(?:至|到|~|～|-|—|–|－)\s*$/u;

/** What a time expression found in a question means, before ranges are joined. */
type TokenBody =
  | { type: "fixed"; kind: TimeFilter["kind"]; range: DayRange }
  | {
      type: "calendar";
      kind: TimeFilter["kind"];
      /** Undefined for a month without a year ("3月份"): inferred from today or the range. */
      year: number | undefined;
      month: number;
      day: number | undefined;
    };

/** A time expression with its position in the question. */
type Token = TokenBody & { start: number; end: number };

/** Parses Arabic digits or a simple Chinese numeral (一 … 九十九, 两); NaN otherwise. */
function parseCount(text: string): number {
  if (/^\d+$/u.test(text)) return Number(text);
  const digits = "零一二三四五六七八九";
  const digit = (ch: string | undefined): number =>
    ch === undefined || ch === "" ? Number.NaN : ch === "两" ? 2 : digits.indexOf(ch);
  const ten = text.indexOf("十");
  if (ten === -1) return text.length === 1 ? digit(text) : Number.NaN;
  const tens = ten === 0 ? 1 : digit(text.slice(0, ten));
  const ones = ten === text.length - 1 ? 0 : digit(text.slice(ten + 1));
  return tens >= 0 && ones >= 0 ? tens * 10 + ones : Number.NaN;
}

function wordRange(word: string, today: string): DayRange {
  const t = parseIsoDay(today) as { year: number; month: number; day: number };
  const month = (offset: number): DayRange => {
    const m = addMonths(t.year, t.month, offset);
    return monthRange(m.year, m.month);
  };
  if (word === "上月" || word === "上个月") return month(-1);
  if (word === "这个月" || word === "本月") return month(0);
  if (word === "下月" || word === "下个月") return month(1);
  if (word === "上周" || word === "上星期" || word === "上个星期") {
    return weekRange(addDays(today, -7));
  }
  if (word === "下周") return weekRange(addDays(today, 7));
  if (word === "昨天") return { from: addDays(today, -1), to: addDays(today, -1) };
  if (word === "前天") return { from: addDays(today, -2), to: addDays(today, -2) };
  if (word === "今天") return { from: today, to: today };
  return weekRange(today); // 这周, 本周, 这星期, 这个星期
}

function tokenOf(g: Record<string, string | undefined>, today: string): TokenBody | undefined {
  const thisYear = Number(today.slice(0, 4));
  const calendar = (
    kind: TimeFilter["kind"],
    year: number | undefined,
    monthText: string | undefined,
    dayText: string | undefined,
  ): TokenBody | undefined => {
    if (monthText === undefined) {
      return year === undefined ? undefined : { type: "fixed", kind, range: yearRange(year) };
    }
    const month = parseCount(monthText);
    const day = dayText === undefined ? undefined : Number(dayText);
    if (!(month >= 1 && month <= 12)) return undefined;
    if (day !== undefined && !(day >= 1 && day <= 31)) return undefined;
    return { type: "calendar", kind, year, month, day };
  };
  if (g.iy !== undefined) return calendar("explicit", Number(g.iy), g.im, g.id);
  if (g.ey !== undefined) return calendar("explicit", Number(g.ey), g.em, g.ed);
  if (g.by !== undefined) return calendar("explicit", Number(g.by), undefined, undefined);
  if (g.yw !== undefined)
    return calendar("relative", thisYear + (RELATIVE_YEAR_OFFSETS[g.yw] ?? 0), g.wm, g.wd);
  if (g.m !== undefined) return calendar("relative", undefined, g.m, g.d);
  if (g.n !== undefined && g.unit !== undefined) {
    const n = parseCount(g.n);
    if (!(n >= 1)) return undefined;
    const unitDays = g.unit.includes("月") ? 30 : /[周星礼]/u.test(g.unit) ? 7 : 1;
    return {
      type: "fixed",
      kind: "recent",
      range: { from: addDays(today, -n * unitDays), to: today },
    };
  }
  if (g.few !== undefined) {
    return {
      type: "fixed",
      kind: "recent",
      range: { from: addDays(today, -FEW_DAYS_WINDOW_DAYS), to: today },
    };
  }
  if (g.recent !== undefined) {
    return {
      type: "fixed",
      kind: "recent",
      range: { from: addDays(today, -RECENT_WINDOW_DAYS), to: today },
    };
  }
  if (g.word !== undefined)
    return { type: "fixed", kind: "relative", range: wordRange(g.word, today) };
  return undefined;
}

/** A year-less month (and day) belongs to this year, unless it has not begun yet: then to last year. */
function inferYear(month: number, day: number | undefined, today: string): number {
  const year = Number(today.slice(0, 4));
  return isoDay(year, month, day ?? 1) > today ? year - 1 : year;
}

function calendarRange(year: number, month: number, day: number | undefined): DayRange | undefined {
  if (day === undefined) return monthRange(year, month);
  return isValidDay(year, month, day)
    ? { from: isoDay(year, month, day), to: isoDay(year, month, day) }
    : undefined;
}

function tokenRange(token: Token, today: string, year?: number): DayRange | undefined {
  if (token.type === "fixed") return token.range;
  const y = token.year ?? year ?? inferYear(token.month, token.day, today);
  return calendarRange(y, token.month, token.day);
}

/** The range of "A至B": B without a year takes A's (the next one if B's month comes earlier). */
function joinRange(a: Token, b: Token, today: string): DayRange | undefined {
  const first = tokenRange(a, today);
  if (!first) return undefined;
  let second: DayRange | undefined;
  if (b.type === "calendar" && b.year === undefined && a.type === "calendar") {
    const aYear = Number(first.from.slice(0, 4));
    second = tokenRange(b, today, b.month < a.month ? aYear + 1 : aYear);
  } else {
    second = tokenRange(b, today);
  }
  if (!second) return undefined;
  return first.from <= second.to
    ? { from: first.from, to: second.to }
    : { from: second.from, to: first.to };
}

/**
 * The first time expression of a question as an inclusive day range, joining "A至B" / "A到B"
 * into one range; undefined when the question names no time. "Today" is the calendar day of
 * `today` in options.timeZone. Throws RangeError on an invalid Date or unknown time zone.
 */
export function parseQuestionTime(
  question: string,
  today: Date,
  options: QuestionTimeOptions = {},
): TimeFilter | undefined {
  const todayIso = isoDayInTimeZone(today, options.timeZone ?? DEFAULT_TIME_ZONE);
  const text = question.replace(/[０-９]/gu, (ch) =>
    String.fromCharCode(ch.charCodeAt(0) - 0xfee0),
  );
  const tokens: Token[] = [];
  for (const match of text.matchAll(QUESTION_PATTERN)) {
    const end = match.index + match[0].length;
    if (match.groups?.m !== undefined && monthInsideWord(text, match.index, end)) continue;
    const token = tokenOf(match.groups ?? {}, todayIso);
    if (token) tokens.push({ ...token, start: match.index, end });
  }
  for (let i = 0; i < tokens.length; i++) {
    const a = tokens[i] as Token;
    const b = tokens[i + 1];
    if (
      b &&
      a.kind !== "recent" &&
      b.kind !== "recent" &&
      RANGE_SEPARATOR.test(text.slice(a.end, b.start))
    ) {
      const range = joinRange(a, b, todayIso);
      if (range) {
        // "2025年2月至3月": a month that takes its year from an explicit one is explicit too.
        const inherits = b.type === "calendar" && b.year === undefined && a.type === "calendar";
        const kind =
          a.kind === "explicit" && (b.kind === "explicit" || inherits) ? "explicit" : "relative";
        return { ...range, phrase: question.slice(a.start, b.end), kind };
      }
    }
    const range = tokenRange(a, todayIso);
    if (range) return { ...range, phrase: question.slice(a.start, a.end), kind: a.kind };
  }
  return undefined;
}

/**
 * The question without the filter's time phrase (and a 在 before or 以来/期间/的 after it), so
 * that retrieval does not search for "去年". Returns the trimmed question when the phrase is
 * absent. Never throws.
 */
export function stripTimePhrase(question: string, filter: TimeFilter): string {
  const at = question.indexOf(filter.phrase);
  if (at === -1 || filter.phrase === "") return question.trim();
  const before = question.slice(0, at).replace(/[在于从]\s*$/u, "");
  const after = question
    .slice(at + filter.phrase.length)
    .replace(/^\s*(?:以来|期间|之内|以内)?\s*的?/u, "");
  return `${before} ${after}`.replace(/\s+/gu, " ").trim();
}
