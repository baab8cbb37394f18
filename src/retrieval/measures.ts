/**
 * Counts asked with a measure word ("几家", "多少名") and the numbers that answer them ("13层").
 * Hand-written: the measure words are a closed class of a few dozen, and which of them count the
 * same things is this project's reading of its questions.
 */

import { cutWords, wordStarts } from "../text/words.js";
import { ASKING_JI } from "./question-words.js";

const NUMERAL = "[0-9０-９一二两三四五六七八九十百千万亿]";

/**
 * "几家", "多少名": a count asked with a measure word (not "好几辆", "那几个"). The measure word
 * must end its word: 台 of "多少台湾同胞", 年 of "多少年轻人" begins another.
 */
const ASKED_MEASURE = new RegExp(
  `(?:${ASKING_JI}|多少)\\s*(个|家|位|名|层|次|支|年|岁|条|项|件|天|所|户|人|种|批|届|倍|期|辆|座|架|艘|台|只|张|株|棵|头|间|套|块|米|吨|亩|公里|平方米|元|分|场|枚|款|部|本)`,
  "gu",
);
/** Measure words that count the same things ("多少人" is answered by "30名"). */
const MEASURE_SYNONYMS: ReadonlyMap<string, readonly string[]> = new Map([
  ["人", ["名", "位", "人次"]],
  ["名", ["人", "位"]],
  ["位", ["人", "名"]],
  ["家", ["户", "个"]],
  ["户", ["家"]],
  ["个", ["家", "座", "所", "人", "名"]],
]);

/**
 * The measure words a count question asks with, and those that count the same things: "几家" →
 * 家, 户, 个; none when it asks with none. `question` is in matching form (normalizeForMatch).
 */
export function askedMeasureWords(question: string): string[] {
  const measures = new Set<string>();
  let words: { word: string; end: number }[] | undefined;
  for (const m of question.matchAll(ASKED_MEASURE)) {
    const word = m[1] ?? "";
    const end = m.index + m[0].length;
    words ??= wordEnds(question);
    // jieba's word that holds the measure word's last character must end with it.
    if (words.some((w) => w.end > end && w.end - w.word.length < end)) continue;
    measures.add(word);
    for (const s of MEASURE_SYNONYMS.get(word) ?? []) measures.add(s);
  }
  return [...measures];
}

/** The jieba words of `text` with where each ends. */
function wordEnds(text: string): { word: string; end: number }[] {
  const words = cutWords(text).map((word) => ({ word }));
  const starts = wordStarts(text, words);
  return words.map((w, i) => ({ word: w.word, end: (starts[i] ?? 0) + w.word.length }));
}

/** A number with one of `units` after it ("13层", "200多辆"), as a pattern. */
export function quantityPattern(units: readonly string[]): RegExp {
  return new RegExp(`${NUMERAL}+\\s*(?:余|多)?\\s*(?:${units.join("|")})`, "u");
}

/** A number, with the 万 or 亿 that scales it and the 余 or 多 that rounds it ("1,200多", "40万"). */
const COUNT =
  /(?:[0-9０-９]+(?:[.,][0-9０-９]+)*|[一二两三四五六七八九十百千万亿]+)[万亿]?\s*(?:余|多)?\s*/gu;
/** A number inside a code, a date or a clock time ("V3.2", "2011-11-8", "9:14") counts nothing. */
const CODE_BEFORE = /[A-Za-z.\-:/]/u;
const CODE_AFTER = /[-:/：.]/u;
const HAN = /\p{Script=Han}/u;

/**
 * True when `text` (in simplified characters) may state a count asked with `units`: a number
 * counted with one of them ("13层"), or one counted by no Han measure word ("约40万。", "40km"),
 * which may count anything. "个", the general measure word, stands for any other: "100多个" states
 * a count asked with 台, and any number states one asked with 个. A text whose numbers all count
 * other things ("2003年", "4人" for 几年) states none.
 */
export function statesCount(text: string, units: readonly string[]): boolean {
  const any = units.includes("个");
  for (const m of text.matchAll(COUNT)) {
    const at = m.index + m[0].length;
    if (CODE_BEFORE.test(text.charAt(m.index - 1)) || CODE_AFTER.test(text.charAt(at))) continue;
    if (any || !HAN.test(text.charAt(at)) || text.startsWith("个", at)) return true;
    if (units.some((u) => text.startsWith(u, at))) return true;
  }
  return false;
}
