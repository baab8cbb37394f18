/**
 * Numbers written in Chinese numerals, and the times a text pins itself to ("2025年12月",
 * "60周年"). Hand-written: the numerals are a dozen characters and two units, and the times are
 * what this project's questions name; no maintained package reads both.
 */

const DIGIT: Readonly<Record<string, number>> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};
const SMALL_UNIT: Readonly<Record<string, number>> = { 十: 10, 百: 100, 千: 1000 };

/** Parses a run of Chinese numerals ("四十四", "三亿", "二〇二五"); undefined when it is not a number. */
export function parseChineseNumeral(run: string): number | undefined {
  if (!/[零〇一二两三四五六七八九十]/u.test(run)) return undefined;
  // "二〇二五" style: digits without units are read digit by digit.
  if (!/[十百千万亿]/u.test(run)) {
    let value = 0;
    for (const ch of run) value = value * 10 + (DIGIT[ch] ?? 0);
    return value;
  }
  let total = 0;
  let section = 0;
  let digit = 0;
  let sawDigit = false;
  for (const ch of run) {
    const d = DIGIT[ch];
    if (d !== undefined) {
      digit = d;
      sawDigit = true;
      continue;
    }
    const small = SMALL_UNIT[ch];
    if (small !== undefined) {
      // A leading 十 means ten ("十五" = 15).
      section += (sawDigit ? digit : 1) * small;
      digit = 0;
      sawDigit = false;
      continue;
    }
    if (ch === "万" || ch === "亿") {
      const unit = ch === "万" ? 1e4 : 1e8;
      total = (total + section + digit) * unit;
      section = 0;
      digit = 0;
      sawDigit = false;
    }
  }
  return total + section + digit;
}

/**
 * A number and the unit of time or sequence after it: "2025年", "12月", "60周年", "第三届". A 号
 * is a day only after a month ("12月9号"): alone it numbers a satellite, a signal or a line
 * ("鑫诺一号", "九号风球", "20号线"). "哪一世纪" asks for a time and pins none.
 */
const PINNED =
  /(?<!哪)([0-9]+|[零〇一二两三四五六七八九十百千]+)\s*(周年|年代|世纪|季度|届|期|年|月|日|(?<=月\s*(?:[0-9]+|[一二三四五六七八九十]+)\s*)号)/gu;

/**
 * The times and editions a text names, by kind ("年" → {2025}, "月" → {12}). A year counts only
 * when it is a calendar year (four digits): "3年" is a length of time. Months and days must be in
 * range, so "100日" does not count.
 */
export function pinnedTimes(text: string): Map<string, Set<number>> {
  const out = new Map<string, Set<number>>();
  for (const m of text.matchAll(PINNED)) {
    const raw = m[1] ?? "";
    const value = /^[0-9]/u.test(raw) ? Number(raw) : parseChineseNumeral(raw);
    if (value === undefined) continue;
    const unit = m[2] === "号" ? "日" : (m[2] ?? "");
    if (unit === "年" && (value < 1000 || value > 2999)) continue;
    // A decade is a multiple of ten: "八十九十年代" is two decades run together, not one.
    if (unit === "年代" && (value % 10 !== 0 || (value > 90 && value < 1000))) continue;
    if (unit === "月" && (value < 1 || value > 12)) continue;
    if (unit === "日" && (value < 1 || value > 31)) continue;
    let values = out.get(unit);
    if (!values) out.set(unit, (values = new Set()));
    // "1980年代" and "八十年代" are one decade.
    values.add(unit === "年代" ? value % 100 : value);
  }
  return out;
}

/**
 * The day a report was published ("中汽协在2025年12月11日发布的数据显示", "1月7日公布的储备数据"):
 * it dates the report, not what the report tells of ("11月份…出口72.8万辆").
 */
const REPORT_DATE =
  /(?:[0-9]{4}\s*年\s*)?[0-9]{1,2}\s*月\s*[0-9]{1,2}\s*[日号]\s*(?:[上下]午|晚间|早间|晚)?\s*(?=发布|公布|披露|发表|通报|印发)/gu;

/** The years Chinese names by their distance from the year of speaking or writing (去年: -1). */
export const RELATIVE_YEAR_OFFSETS: Readonly<Record<string, number>> = {
  前年: -2,
  去年: -1,
  今年: 0,
  明年: 1,
};

/** A year named by its distance from the year of writing ("去年"). */
const RELATIVE_YEAR = new RegExp(Object.keys(RELATIVE_YEAR_OFFSETS).join("|"), "gu");

/**
 * True when `text` names a time of a kind the question pins ("2025年11月" against "12月") and
 * none of the question's values of that kind: it speaks of another month, year or edition. The
 * day a report came out (REPORT_DATE) is not what it speaks of. Given the year the text was
 * written in, its 去年, 今年, 前年 and 明年 name years as well: "去年,我市固定资产投资增长8.1%" in a
 * 2026 report speaks of 2025.
 */
export function contradictsTimes(
  question: ReadonlyMap<string, ReadonlySet<number>>,
  text: string,
  writtenIn?: number,
): boolean {
  if (question.size === 0) return false;
  const times = pinnedTimes(text.replace(REPORT_DATE, " "));
  if (writtenIn !== undefined && question.has("年")) {
    for (const m of text.matchAll(RELATIVE_YEAR)) {
      const years = times.get("年") ?? new Set<number>();
      years.add(writtenIn + (RELATIVE_YEAR_OFFSETS[m[0]] ?? 0));
      times.set("年", years);
    }
  }
  for (const [unit, values] of times) {
    const asked = question.get(unit);
    if (asked && ![...values].some((v) => asked.has(v))) return true;
  }
  return false;
}

/**
 * A number as a text writes it: a run of digits with its decimal point, separators and percent
 * sign (a comma or point that ends the run is punctuation), or two or more Chinese numerals (a
 * lone 一 is part of too many words). Matched on text in matching form (normalizeForMatch).
 */
export const NUMBER_TOKEN =
  /[0-9０-９](?:[0-9０-９%]|[.,](?=[0-9０-９]))*|[一二两三四五六七八九十百千万亿]{2,}/gu;

/** The numbers a text writes (NUMBER_TOKEN). */
export function numbersIn(text: string): Set<string> {
  return new Set(Array.from(text.matchAll(NUMBER_TOKEN), (m) => m[0]));
}

/**
 * The text with the given numbers blanked out: what it states beyond them. A sentence that
 * repeats the question's "前11个月" states no count of its own.
 */
export function withoutNumbers(text: string, numbers: ReadonlySet<string>): string {
  if (numbers.size === 0) return text;
  return text.replace(NUMBER_TOKEN, (n) => (numbers.has(n) ? " " : n));
}
