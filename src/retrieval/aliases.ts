import { escapeRegExp } from "../text/normalize.js";
import { cutDictionaryWords, tokenize, wordStarts } from "../text/words.js";

/**
 * A small curated dictionary of common Chinese abbreviations and their full forms. Each group is
 * a set of spellings of one thing; a question that uses one spelling also searches the others.
 */
export const DEFAULT_ALIAS_GROUPS: readonly (readonly string[])[] = [
  ["农商行", "农商银行", "农村商业银行"],
  ["经开区", "经济技术开发区", "经济开发区"],
  ["高新区", "高新技术产业开发区"],
  ["ai", "人工智能"],
  ["高校", "高等院校", "大学"],
  ["智算", "智能计算"],
  ["融担", "融资担保"],
  ["华东师大", "华东师范大学"],
  ["阿里", "阿里巴巴"],
  ["封测", "封装测试"],
  ["内存", "存储"],
  ["学车", "驾校"],
  ["芯片", "集成电路", "半导体"],
  ["政协", "中国人民政治协商会议"],
  ["人大", "人民代表大会"],
  ["发改局", "发展和改革局"],
  ["市监局", "市场监管局", "市场监督管理局"],
  // Weather: residents ask "会下雨吗", forecasts say "小雨" or "阵雨".
  ["下雨", "降雨", "有雨", "小雨", "中雨", "大雨", "阵雨", "雷阵雨"],
  ["下雪", "降雪", "小雪", "中雪", "大雪"],
];

let aliasIndex: Map<string, string[]> | undefined;

/** Maps each term of every group to the terms of the other spellings in its group. */
function getAliasIndex(): Map<string, string[]> {
  if (aliasIndex) return aliasIndex;
  const index = new Map<string, string[]>();
  for (const group of DEFAULT_ALIAS_GROUPS) {
    const termsPerSpelling = group.map((spelling) => tokenize(spelling));
    group.forEach((spelling, i) => {
      const others = termsPerSpelling.filter((_, j) => j !== i).flat();
      const key = tokenize(spelling).join(" ");
      index.set(key, [...(index.get(key) ?? []), ...others]);
    });
  }
  aliasIndex = index;
  return index;
}

/** Returns the query terms plus the terms of every alias of a spelling the query contains. */
export function expandAliases(terms: readonly string[]): string[] {
  const index = getAliasIndex();
  const out = new Set(terms);
  const joined = ` ${terms.join(" ")} `;
  for (const [key, others] of index) {
    if (joined.includes(` ${key} `)) for (const t of others) out.add(t);
  }
  return [...out];
}

/**
 * A trade named by making its product, before a word for a firm: 造纸企业, 制药公司, 酿酒厂. Firms
 * name their trade the other way round, product + 业: 景兴纸业, 华海药业, 古越酒业.
 */
const MAKER_OF_PRODUCT =
  /(?:生产|制造|造|制|酿|炼|产)([^造制产品业\P{Script=Han}])(?=企业|公司|厂|集团)/gu;

/** The alias groups (each as its list of spellings) that the normalised question text mentions. */
export function aliasSpellings(text: string): string[][] {
  const lower = text.toLowerCase();
  const out: string[][] = [];
  for (const m of lower.matchAll(MAKER_OF_PRODUCT)) out.push([m[0], `${m[1] ?? ""}业`]);
  const words = wordSpans(lower);
  for (const group of DEFAULT_ALIAS_GROUPS) {
    const used = group
      .filter((spelling) =>
        [...lower.matchAll(wordPattern(spelling))].some(
          (m) => !crossesWord(words, m.index, m.index + spelling.length),
        ),
      )
      .sort((a, b) => b.length - a.length)[0];
    if (used !== undefined) out.push([used, ...group.filter((s) => s !== used)]);
  }
  return out;
}

/**
 * Where each of jieba's dictionary words of `text` starts and ends. The HMM's guesses are left
 * out: they join characters across words ("想学车") as often as they find a name.
 */
function wordSpans(text: string): { start: number; end: number }[] {
  const words = cutDictionaryWords(text).map((word) => ({ word }));
  const starts = wordStarts(text, words);
  return words.map((w, i) => {
    const start = starts[i] ?? 0;
    return { start, end: start + w.word.length };
  });
}

/**
 * True when a word of the text reaches across the start or the end of [start, end): "学车" in
 * "中学车祸" (中学/车祸) is no spelling of 驾校, while "内存" in "内存条" still is one of 存储.
 */
function crossesWord(
  words: readonly { start: number; end: number }[],
  start: number,
  end: number,
): boolean {
  return words.some(
    (w) => (w.start < start && w.end > start) || (w.start < end && w.end > end && w.start > start),
  );
}

/**
 * A spelling as it stands in a text: one of Latin letters or digits ("ai") only as a word of its
 * own, not inside another ("Kitadaito", "Dubai"); a Chinese one anywhere.
 */
export function wordPattern(spelling: string): RegExp {
  const before = /^[A-Za-z0-9]/u.test(spelling) ? "(?<![A-Za-z0-9])" : "";
  const after = /[A-Za-z0-9]$/u.test(spelling) ? "(?![A-Za-z0-9])" : "";
  return new RegExp(`${before}${escapeRegExp(spelling)}${after}`, "gu");
}
