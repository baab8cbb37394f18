/**
 * Calendar arithmetic on ISO strings ("YYYY-MM-DD", "YYYY-MM", "YYYY"). Everything goes through
 * Date.UTC so that the process time zone can never shift a day.
 */

/** A calendar day. */
export interface Ymd {
  year: number;
  month: number;
  day: number;
}

/** An inclusive range of ISO days. */
export interface DayRange {
  from: string;
  to: string;
}

const pad2 = (n: number): string => String(n).padStart(2, "0");

/** True for Gregorian leap years. Never throws. */
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Number of days in a month (1-12). Never throws. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** True when year, month and day name a real calendar day (four-digit years only). Never throws. */
export function isValidDay(year: number, month: number, day: number): boolean {
  return (
    Number.isInteger(year) &&
    year >= 1000 &&
    year <= 9999 &&
    Number.isInteger(month) &&
    month >= 1 &&
    month <= 12 &&
    Number.isInteger(day) &&
    day >= 1 &&
    day <= daysInMonth(year, month)
  );
}

/** Formats a day as "YYYY-MM-DD". Never throws. */
export function isoDay(year: number, month: number, day: number): string {
  return `${year}-${pad2(month)}-${pad2(day)}`;
}

/** Formats a month as "YYYY-MM". Never throws. */
export function isoMonth(year: number, month: number): string {
  return `${year}-${pad2(month)}`;
}

/** Parses "YYYY-MM-DD" into its parts; undefined when malformed or not a real day. Never throws. */
export function parseIsoDay(text: string): Ymd | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/u.exec(text);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return isValidDay(year, month, day) ? { year, month, day } : undefined;
}

/** Parses "YYYY-MM" into year and month; undefined when malformed. Never throws. */
export function parseIsoMonth(text: string): { year: number; month: number } | undefined {
  const m = /^(\d{4})-(\d{2})$/u.exec(text);
  if (!m) return undefined;
  const [year, month] = [Number(m[1]), Number(m[2])];
  return month >= 1 && month <= 12 ? { year, month } : undefined;
}

function fromUtc(ms: number): string {
  const d = new Date(ms);
  return isoDay(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

function toUtc(day: Ymd): number {
  return Date.UTC(day.year, day.month - 1, day.day);
}

/** Adds (or with a negative count subtracts) days to an ISO day; throws on a malformed day. */
export function addDays(iso: string, days: number): string {
  const day = parseIsoDay(iso);
  if (!day) throw new Error(`addDays: "${iso}" is not an ISO day (YYYY-MM-DD)`);
  return fromUtc(toUtc(day) + days * 86_400_000);
}

/** Whole days from `a` to `b` (positive when b is later); throws on a malformed day. */
export function daysBetween(a: string, b: string): number {
  const da = parseIsoDay(a);
  const db = parseIsoDay(b);
  if (!da || !db) throw new Error(`daysBetween: "${a}" or "${b}" is not an ISO day`);
  return Math.round((toUtc(db) - toUtc(da)) / 86_400_000);
}

/** The month `count` months after (or before) the given one. Never throws. */
export function addMonths(
  year: number,
  month: number,
  count: number,
): { year: number; month: number } {
  const index = year * 12 + (month - 1) + count;
  return { year: Math.floor(index / 12), month: (index % 12) + 1 };
}

/** First and last day of a month. Never throws. */
export function monthRange(year: number, month: number): DayRange {
  return { from: isoDay(year, month, 1), to: isoDay(year, month, daysInMonth(year, month)) };
}

/** First and last day of a year. Never throws. */
export function yearRange(year: number): DayRange {
  return { from: isoDay(year, 1, 1), to: isoDay(year, 12, 31) };
}

/** Monday to Sunday of the week holding `iso` (weeks start on Monday, as in China); throws on a malformed day. */
export function weekRange(iso: string): DayRange {
  const day = parseIsoDay(iso);
  if (!day) throw new Error(`weekRange: "${iso}" is not an ISO day (YYYY-MM-DD)`);
  const weekday = (new Date(toUtc(day)).getUTCDay() + 6) % 7; // Monday = 0
  const monday = addDays(iso, -weekday);
  return { from: monday, to: addDays(monday, 6) };
}

/**
 * The calendar day of an instant in a time zone, as "YYYY-MM-DD". Readers of local Chinese news
 * live in UTC+8, so "today" at 07:00 there is still yesterday in UTC. Throws RangeError on an
 * unknown time zone or an invalid Date.
 */
export function isoDayInTimeZone(instant: Date, timeZone: string): string {
  const time = instant.getTime();
  if (Number.isNaN(time)) throw new RangeError("isoDayInTimeZone: invalid Date");
  // China has kept UTC+8 without daylight saving since September 1991. Skipping Intl here saves
  // loading ICU's time-zone data (about 20 ms) on a bot's first question.
  if (FIXED_OFFSETS_MS.has(timeZone) && time >= FIXED_SINCE_MS) {
    return new Date(time + (FIXED_OFFSETS_MS.get(timeZone) ?? 0)).toISOString().slice(0, 10);
  }
  let format = dayFormats.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    });
    dayFormats.set(timeZone, format);
  }
  const parts = format.formatToParts(instant);
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")}`;
}

/** Zones at a fixed offset from UTC since FIXED_SINCE_MS, by name. */
const FIXED_OFFSETS_MS: ReadonlyMap<string, number> = new Map([
  ["Asia/Shanghai", 8 * 3_600_000],
  ["Asia/Chongqing", 8 * 3_600_000],
  ["PRC", 8 * 3_600_000],
  ["UTC", 0],
  ["Etc/UTC", 0],
]);
/** 1992-01-01T00:00:00Z: after China's last daylight-saving period (1986-1991). */
const FIXED_SINCE_MS = Date.UTC(1992, 0, 1);
/** One formatter per time zone: building one costs about 0.1 ms. */
const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The local date (YYYY-MM-DD) and time (HH:MM) of `at` in a time zone. */
export function localDateTime(at: Date, timeZone: string): { date: string; time: string } {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(at);
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? "00";
  return {
    date: `${get("year")}-${get("month")}-${get("day")}`,
    time: `${get("hour")}:${get("minute")}`,
  };
}
