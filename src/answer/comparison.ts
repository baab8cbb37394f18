import type { Answer } from "../types.js";
import { compact, normalizeForMatch, toHalfWidth, toSimplified } from "../text/normalize.js";
import { splitSentences } from "../text/sentences.js";
import { askedUnits } from "../retrieval/measures.js";
import { WHICH_OF_TWO_WORD } from "../retrieval/question-words.js";
import { parseCitedSentences } from "./cited-sentences.js";

/** A quantity as written ("143亿元", "2300家") and its value in the base unit. */
export interface Quantity {
  text: string;
  value: number;
  unit: string;
}

const MULTIPLIERS: Readonly<Record<string, number>> = {
  千: 1e3,
  万: 1e4,
  十万: 1e5,
  百万: 1e6,
  千万: 1e7,
  亿: 1e8,
};
const QUANTITY =
  /(\d+(?:\.\d+)?)\s*(千万|百万|十万|千(?!米)|万|亿)?\s*(元|美元|个|家|人|名|位|平方米|公里|千米|米|亩|吨|层|项|户|台|辆|所|座|次|年|天|倍|%)/gu;
/** Units written two ways, as the one they are compared in: "6千米" and "10公里" are both lengths. */
const SAME_UNIT: Readonly<Record<string, string>> = { 千米: "公里" };
/** The directions a comparison asks in: "更大", "最早", "更便宜". */
const DIRECTION = "大|多|高|长|远|重|快|早|深|贵|便宜|小|少|低|短|近|轻|慢|晚|浅";
/** A word that asks which of the two: "哪个", "哪次", "哪回", "哪边", "谁的". */
const WHICH_WORD = `${WHICH_OF_TWO_WORD}|谁的?`;
/** "哪个总投资更大", "谁的营收最高": the compared attribute and the direction asked. */
const ASKED = new RegExp(`([\\p{Script=Han}]{1,6}?)(?:更|最|比较|较)(${DIRECTION})`, "u");
/**
 * "哪边多?", "哪个投资大?": a which word and the direction at the end of a clause, without 更 — the
 * attribute in between.
 */
const ASKED_PLAIN = new RegExp(
  `(?:${WHICH_WORD})([\\p{Script=Han}]{0,4}?)(${DIRECTION})(?=[\\s?？。,，!！]|$)`,
  "u",
);
const SMALLER = /[小少低短近轻慢早浅]|便宜/u;
/** A year as a quantity reads it: four digits and 年. */
const A_YEAR = /^\d{4}年$/u;
/** What asks which of the two, before the compared attribute: "哪个", "哪次", "谁的", "的". */
const WHICH = new RegExp(`^(${WHICH_WORD}|的)`, "u");

/** The quantities written in a text, in order. Never throws. */
export function findQuantities(text: string): Quantity[] {
  return Array.from(toHalfWidth(text).matchAll(QUANTITY), quantityOf);
}

/** The quantity one match of QUANTITY writes. */
function quantityOf(m: RegExpMatchArray): Quantity {
  const number = Number(m[1]);
  const multiplier = m[2] === undefined ? 1 : (MULTIPLIERS[m[2]] ?? 1);
  const unit = m[3] ?? "";
  return {
    text: m[0].replace(/\s+/gu, ""),
    value: number * multiplier,
    unit: SAME_UNIT[unit] ?? unit,
  };
}

/**
 * The quantity of a sentence that the attribute names: the first after it, else the first; of
 * those in the asked units ("多少人" → 人, 名, 位) where the question asks in some, and no year
 * unless `byDate` (哪个更早): a dateline's "2008年" is not compared for a count of people.
 */
function quantityFor(
  sentence: string,
  attribute: string,
  units: readonly string[],
  byDate: boolean,
): Quantity | undefined {
  const at = [attribute, attribute.slice(-2)]
    .map((a) => (a === "" ? -1 : sentence.indexOf(a)))
    .find((i) => i >= 0);
  const after = at === undefined ? sentence : sentence.slice(at);
  // A year ("2008年") is a date, compared only when the question asks which came first.
  const asked = (q: Quantity) =>
    (units.length === 0 || units.includes(q.unit)) && (byDate || !A_YEAR.test(q.text));
  return findQuantities(after).find(asked) ?? findQuantities(sentence).find(asked);
}

/**
 * The quantity a sentence writes right beside the thing a part asks about: "500万元纯信用担保贷款"
 * or "贷款为500万元" for "…纯信用担保贷款哪笔钱更多", where the sentence also names a 3000万元
 * 股权投资. The thing is the longest end of the subject (two characters or more) that the sentence
 * holds. Undefined when no quantity of the asked units stands within a few characters of it.
 */
function quantityBeside(
  sentence: string,
  subject: string,
  units: readonly string[],
): Quantity | undefined {
  const text = toHalfWidth(sentence);
  const chars = Array.from(subject);
  let at = -1;
  let end = -1;
  for (let n = Math.min(8, chars.length); n >= 2 && at < 0; n--) {
    const tail = chars.slice(-n).join("");
    at = text.indexOf(tail);
    end = at + tail.length;
  }
  if (at < 0) return undefined;
  for (const m of text.matchAll(QUANTITY)) {
    const q = quantityOf(m);
    if ((units.length > 0 && !units.includes(q.unit)) || A_YEAR.test(q.text)) continue;
    const from = m.index;
    const to = from + m[0].length;
    // "500万元纯信用担保贷款": the quantity just before the thing, or before a few characters that
    // qualify it (纯信用 of "…担保贷款"); "贷款为500万元": just after it.
    const before = to <= at && at - to <= 4 && /^[\p{Script=Han}]*$/u.test(text.slice(to, at));
    if (before || (from >= end && from - end <= 4)) return q;
  }
  return undefined;
}

/**
 * True when a sentence, or the one before it in its passage ("润泽智算中心项目现场。该项目总投资
 * 468亿元"), holds three characters of the subject in a row (all of a shorter subject).
 */
function speaksOf(sentence: string, passage: string, subject: string): boolean {
  const text = `${sentenceBefore(passage, sentence)}${sentence}`;
  const chars = Array.from(subject.replace(/\s+/gu, ""));
  const n = Math.min(3, chars.length);
  if (n < 2) return false;
  for (let i = 0; i + n <= chars.length; i++) {
    if (text.includes(chars.slice(i, i + n).join(""))) return true;
  }
  return false;
}

/** The sentence of a passage before the one quoted, or "" where it opens the passage. */
function sentenceBefore(passage: string, sentence: string): string {
  const at = passage.indexOf(sentence.trim().slice(0, 12));
  if (at <= 0) return "";
  // splitSentences gives back its input when joined: the sentence that ends at or before `at`.
  let end = 0;
  let before = "";
  for (const one of splitSentences(passage)) {
    end = passage.indexOf(one, end) + one.length;
    if (end > at) break;
    before = one;
  }
  return before;
}

/** Where the shared predicate of a comparison part begins ("哪个总投资更大", "的总投资谁更多"). */
const PREDICATE = /的?(哪|谁|多少|几|各|分别|更|最|比较|是否)/u;

/**
 * The subjects of a two-part comparison: each part up to its predicate ("阿里长三角智算基地"),
 * without the words both parts end with where they point back at both ("A和B,这两回集体食物中毒各
 * 有多少人" gives A and B, not A这两回集体食物中毒).
 */
function subjectsOf(parts: readonly string[]): string[] {
  const subjects = parts.map((part) => {
    const m = PREDICATE.exec(part);
    return (m ? part.slice(0, m.index) : part).replace(/[的,，\s]+$/u, "").trim();
  });
  const [a = "", b = ""] = subjects;
  let shared = 0;
  while (shared < Math.min(a.length, b.length) - 2 && a.at(-1 - shared) === b.at(-1 - shared)) {
    shared++;
  }
  // Only words that point back at both ("这两回…") are the question's of both; "震源" of "海城震源"
  // and "天祝地震震源" is what is compared, and stays.
  if (shared < 2 || !/^[这那]/u.test(a.slice(a.length - shared))) return subjects;
  return subjects.map((s) => s.slice(0, s.length - shared));
}

/**
 * A one-line conclusion for "A和B哪个…更大": each part's answer gives the number it cites; when
 * both numbers are in one unit (万元 and 亿元 count as 元), the line names the larger (or, for
 * 更小/更少, the smaller) with both numbers. Undefined when the question asks no such thing, a
 * part abstained, or the numbers cannot be compared. Never throws.
 */
export function compareAnswers(
  question: string,
  parts: readonly string[],
  answers: readonly Answer[],
): string | undefined {
  const simplified = toSimplified(question);
  const asked = ASKED.exec(simplified) ?? ASKED_PLAIN.exec(simplified);
  if (!asked || parts.length !== 2 || answers.length !== 2) return undefined;
  const attribute = (asked[1] ?? "").replace(WHICH, "");
  const units = askedUnits(normalizeForMatch(simplified)).map((u) => SAME_UNIT[u] ?? u);
  const subjects = subjectsOf(parts);
  const byDate = /[早晚]/u.test(asked[2] ?? "");
  const quantities = answers.map((a, i) => {
    if (a.abstained) return undefined;
    const subject = subjects[i] ?? "";
    const sentences = parseCitedSentences(a.text).map(({ sentence, numbers }) => {
      const chunk = a.citations.find((c) => c.n === numbers[0])?.chunk;
      return { sentence, about: chunk ? speaksOf(sentence, chunk.text, subject) : false };
    });
    // A part may be answered with sentences of several stories ("总投资28.1亿元的尼得科…" beside
    // "润泽智算中心项目现场。该项目总投资468亿元"): the figure compared is one written beside the
    // part's subject, else one of a sentence that speaks of it, before any other.
    for (const { sentence } of sentences) {
      const q = quantityBeside(sentence, subject, units);
      if (q) return { ...q, sentence };
    }
    for (const { sentence } of sentences.filter(({ about }) => about)) {
      const q = quantityFor(sentence, attribute, units, byDate);
      if (q) return { ...q, sentence };
    }
    for (const { sentence } of sentences) {
      const q = quantityFor(sentence, attribute, units, byDate);
      if (q) return { ...q, sentence };
    }
    return undefined;
  });
  const [qa, qb] = quantities;
  if (!qa || !qb || qa.unit !== qb.unit) return undefined;
  const [sa = "", sb = ""] = subjects;
  if (sa === "" || sb === "") return undefined;
  const what = attribute;
  if (qa.value === qb.value) {
    // Both parts found the one figure of one sentence ("去年…增长8.1%" for 2024 and for 2025):
    // it answers one of them at most, so the reply says the two cannot be compared, not that
    // they are alike.
    if (compact(qa.sentence) === compact(qb.sentence)) {
      return `报道里只找到同一句话中的一个数字(${qa.text}),两者无法比较。`;
    }
    return `两者${what}相同(均为${qa.text})。`;
  }
  const smaller = SMALLER.test(asked[2] ?? "");
  const aWins = smaller ? qa.value < qb.value : qa.value > qb.value;
  const [winner, w, l] = aWins ? [sa, qa, qb] : [sb, qb, qa];
  // "哪次更浅" names no attribute: the winner itself is 更浅.
  const subject = what === "" ? winner : `${winner}的${what}`;
  return `相比之下,${subject}更${asked[2] ?? ""}(${w.text},另一个为${l.text})。`;
}
