import type { Answer } from "../types.js";
import { toHalfWidth, toSimplified } from "../text/normalize.js";
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
/** "哪个总投资更大", "谁的营收最高": the compared attribute and the direction asked. */
const ASKED =
  /([\p{Script=Han}]{1,6}?)(?:更|最|比较|较)(大|多|高|长|远|重|快|早|深|贵|便宜|小|少|低|短|近|轻|慢|晚|浅)/u;
const SMALLER = /[小少低短近轻慢早浅]|便宜/u;
/** What asks which of the two, before the compared attribute: "哪个", "哪次", "谁的", "的". */
const WHICH = /^(哪[一]?[个家项次位所款部座条种年]|谁的?|的)/u;

/** The quantities written in a text, in order. Never throws. */
export function findQuantities(text: string): Quantity[] {
  const out: Quantity[] = [];
  for (const m of toHalfWidth(text).matchAll(QUANTITY)) {
    const number = Number(m[1]);
    const multiplier = m[2] === undefined ? 1 : (MULTIPLIERS[m[2]] ?? 1);
    const unit = m[3] ?? "";
    out.push({
      text: m[0].replace(/\s+/gu, ""),
      value: number * multiplier,
      unit: SAME_UNIT[unit] ?? unit,
    });
  }
  return out;
}

/** The quantity of a sentence that the attribute names: the first after it, else the first. */
function quantityFor(sentence: string, attribute: string): Quantity | undefined {
  const at = [attribute, attribute.slice(-2)]
    .map((a) => (a === "" ? -1 : sentence.indexOf(a)))
    .find((i) => i >= 0);
  const after = at === undefined ? sentence : sentence.slice(at);
  return findQuantities(after)[0] ?? findQuantities(sentence)[0];
}

/** Where the shared predicate of a comparison part begins ("哪个总投资更大", "的总投资谁更多"). */
const PREDICATE = /的?(哪|谁|多少|几|各|分别|更|最|比较|是否)/u;

/** The subjects of a two-part comparison: each part up to its predicate ("阿里长三角智算基地"). */
function subjectsOf(parts: readonly string[]): string[] {
  return parts.map((part) => {
    const m = PREDICATE.exec(part);
    return (m ? part.slice(0, m.index) : part).replace(/[的,，\s]+$/u, "").trim();
  });
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
  const asked = ASKED.exec(toSimplified(question));
  if (!asked || parts.length !== 2 || answers.length !== 2) return undefined;
  const attribute = (asked[1] ?? "").replace(WHICH, "");
  const quantities = answers.map((a) => {
    if (a.abstained) return undefined;
    for (const { sentence } of parseCitedSentences(a.text)) {
      const q = quantityFor(sentence, attribute);
      if (q) return q;
    }
    return undefined;
  });
  const [qa, qb] = quantities;
  if (!qa || !qb || qa.unit !== qb.unit) return undefined;
  const [sa = "", sb = ""] = subjectsOf(parts);
  if (sa === "" || sb === "") return undefined;
  const what = attribute;
  if (qa.value === qb.value) return `两者${what}相同(均为${qa.text})。`;
  const smaller = SMALLER.test(asked[2] ?? "");
  const aWins = smaller ? qa.value < qb.value : qa.value > qb.value;
  const [winner, w, l] = aWins ? [sa, qa, qb] : [sb, qb, qa];
  // "哪次更浅" names no attribute: the winner itself is 更浅.
  const subject = what === "" ? winner : `${winner}的${what}`;
  return `相比之下,${subject}更${asked[2] ?? ""}(${w.text},另一个为${l.text})。`;
}
