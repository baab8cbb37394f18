/**
 * What headlines look like, and how a headline block becomes headline + subtitle.
 */
import { compactLength, SENTENCE_END } from "./wrap.js";

/**
 * Longest text still taken for a headline (mastheads print long two-part headlines on one line).
 */
const MAX_HEADLINE_CHARS = 80;

const PAIRS: readonly [string, string][] = [
  ["“", "”"],
  ["‘", "’"],
  ["《", "》"],
  ["（", "）"],
  ["(", ")"],
  ["「", "」"],
];

/**
 * True when a line could be a headline or sub-head: no sentence-final punctuation, at most one
 * comma (none in hard-wrapped text, where commas mark body lines), balanced quotes and brackets,
 * no trailing comma or opening mark, and not a 本报讯 lead. Never throws.
 */
export function isHeadingLike(text: string, hardWrapped: boolean): boolean {
  const t = text.trim();
  const length = compactLength(t);
  if (length < 2 || length > MAX_HEADLINE_CHARS) return false;
  if (SENTENCE_END.test(t) || t.startsWith("本报讯")) return false;
  if (/[，,、：:（(“‘《—-]$/u.test(t)) return false;
  // Enumeration commas (、) are common in headlines; in hard-wrapped text any comma marks body text.
  const commas = t.match(hardWrapped ? /[，,、]/gu : /[，,]/gu)?.length ?? 0;
  if (commas > (hardWrapped ? 0 : 1)) return false;
  return PAIRS.every(([open, close]) => t.split(open).length === t.split(close).length);
}

/**
 * Repairs a headline the extraction printed twice, run by run: "““满格满格””干劲拼项目干劲拼项目"
 * -> "“满格”干劲拼项目". Only a line made entirely of doubled runs is changed; anything else
 * is returned as it is. Never throws.
 */
export function undoubleHeadline(text: string): string {
  const chars = Array.from(text.trim());
  const out: string[] = [];
  let i = 0;
  let longRun = false;
  while (i < chars.length) {
    let matched = 0;
    for (let k = 1; i + 2 * k <= chars.length; k++) {
      const a = chars.slice(i, i + k).join("");
      const b = chars.slice(i + k, i + 2 * k).join("");
      if (a === b) {
        matched = k;
        break;
      }
    }
    if (matched === 0) return text;
    if (matched >= 2) longRun = true;
    out.push(...chars.slice(i, i + matched));
    i += 2 * matched;
  }
  // Every run of one repeated character ("好好") is ordinary Chinese; require a longer run.
  return longRun && out.length >= 3 ? out.join("") : text;
}

/** One line of a headline block. */
export interface HeadingLine {
  text: string;
  /** Markdown heading level (1 for "#"), when the edition marks headings that way. */
  level?: number;
}

/** A headline block, split into its parts. */
export interface HeadlineParts {
  headline: string;
  subtitle?: string;
}

/**
 * Turns the lines of a headline block into headline and subtitle: "——" lines (or a "——" part
 * after the headline on the same line) are the subtitle; with markdown levels the top-level
 * lines are the headline and the others (kickers, sub-heads) the subtitle; without levels all
 * lines are the headline, joined with a space. Returns undefined for an empty block. Never throws.
 */
export function assembleHeadline(lines: readonly HeadingLine[]): HeadlineParts | undefined {
  const parts: { text: string; level: number | undefined; dash: boolean }[] = [];
  for (const line of lines) {
    const text = undoubleHeadline(line.text.trim());
    if (text.length === 0) continue;
    const dash = text.indexOf("——");
    if (dash > 0 && compactLength(text.slice(0, dash)) >= 4) {
      parts.push({ text: text.slice(0, dash).trim(), level: line.level, dash: false });
      parts.push({ text: text.slice(dash).trim(), level: line.level, dash: true });
    } else parts.push({ text, level: line.level, dash: dash === 0 });
  }
  const candidates = parts.filter((p) => !p.dash);
  const levels = candidates.map((p) => p.level ?? Number.POSITIVE_INFINITY);
  const top = Math.min(...levels);
  const isMain = (p: (typeof parts)[number]): boolean =>
    !p.dash && (p.level === undefined || top === Number.POSITIVE_INFINITY || p.level === top);
  const headline = parts
    .filter(isMain)
    .map((p) => p.text)
    .join(" ");
  const subtitle = parts
    .filter((p) => !isMain(p))
    .map((p) => p.text)
    .join(" ");
  if (headline.length === 0 && subtitle.length === 0) return undefined;
  if (headline.length === 0) return { headline: subtitle };
  return subtitle.length > 0 ? { headline, subtitle } : { headline };
}
