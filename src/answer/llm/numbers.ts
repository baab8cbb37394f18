import { toHalfWidth } from "../../text/normalize.js";
import { parseChineseNumeral } from "../../text/numerals.js";

const MAGNITUDE: Readonly<Record<string, number>> = {
  百: 1e2,
  千: 1e3,
  万: 1e4,
  亿: 1e8,
  万亿: 1e12,
};

/** Measure words after which a single Chinese numeral is a quantity rather than part of a word. */
const MEASURE =
  "个家位名层次支年岁条项件天所户人种批届倍期亩米吨元万亿千百余多座栋台辆场份块只部间周月日号季成";

const ARABIC = /(\d+(?:,\d{3})*(?:\.\d+)?)\s*(万亿|亿|万|千|百)?\s*(%|‰)?/gu;
const PERCENT_ZH = /百分之([零〇一二两三四五六七八九十百千\d.]+)/gu;
const CHINESE_RUN = /[零〇一二两三四五六七八九十百千万亿]+/gu;

/** A canonical key for a quantity: its value, marked when it is a percentage or permille. */
function key(value: number, suffix: string | undefined): string {
  const rounded = Number(value.toPrecision(12));
  if (suffix === "%" || suffix === "‰") return `${rounded}${suffix}`;
  return String(rounded);
}

/**
 * The quantities written in a text, as canonical keys: "3亿", "三亿" and "300000000" all give
 * "300000000"; "45%" and "百分之四十五" give "45%". Years, months and days count as numbers too.
 * Single Chinese numerals count only before a measure word, and a lone "一" never does, because
 * in words such as 统一 or 一起 it is no quantity.
 */
export function extractQuantities(text: string): Set<string> {
  const out = new Set<string>();
  let rest = toHalfWidth(text);
  rest = rest.replace(PERCENT_ZH, (_, num: string) => {
    const value = /^\d/u.test(num) ? Number(num) : parseChineseNumeral(num);
    if (value !== undefined && Number.isFinite(value)) out.add(key(value, "%"));
    return " ";
  });
  rest = rest.replace(
    ARABIC,
    (_, num: string, mag: string | undefined, pct: string | undefined) => {
      const value =
        Number(num.replace(/,/gu, "")) * (mag === undefined ? 1 : (MAGNITUDE[mag] ?? 1));
      if (Number.isFinite(value)) out.add(key(value, pct));
      return " ";
    },
  );
  for (const match of rest.matchAll(CHINESE_RUN)) {
    const next = rest.charAt((match.index ?? 0) + match[0].length);
    // A leading 万 or 亿 belongs to a word ("万一", "亿万"), not to the number after it.
    const run = match[0].replace(/^[万亿百千]+/u, "");
    if (run === "") continue;
    const single = Array.from(run).length === 1;
    if (single && (run === "一" || !MEASURE.includes(next) || next === "")) continue;
    const value = parseChineseNumeral(run);
    if (value === undefined) continue;
    const pct = next === "%" || next === "‰" ? next : undefined;
    out.add(key(value, pct));
  }
  return out;
}
