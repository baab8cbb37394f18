/**
 * Rewrites a question that depends on the previous turn into one that stands alone, by rules
 * (no LLM). Only a dependent question is touched (see `analyzeDependence`); what it refers to is
 * written out in full (see `findReferent`).
 */
import { cutWords, STOPWORDS, tagWords } from "../../text/words.js";
import { toHalfWidth, toSimplified } from "../../text/normalize.js";
import { RELATIVE_YEAR_OFFSETS } from "../../text/numerals.js";
import type { ConversationTurn } from "../llm/memory.js";
import { analyzeDependence, bareQuestion } from "./dependence.js";
import { findOrganisation, findReferent, ORG_SUFFIX, type FollowUpArchive } from "./referent.js";
import { recognizeEntities } from "../../retrieval/entities.js";

export type { FollowUpArchive } from "./referent.js";

const PLACE_SUFFIX = /^[\p{Script=Han}]{1,8}(省|市|县|区|镇|乡|村|街道|社区|开发区|新区|港区)$/u;
/** A calendar year in digits or numerals, a relative year, a month, a half or quarter. */
const NUMBERED_YEAR = "(?:\\d{4}|[二〇零一两三四五六七八九]{4})年";
const RELATIVE_YEAR = Object.keys(RELATIVE_YEAR_OFFSETS).join("|");
const MONTH = "(?:\\d{1,2}|[一二三四五六七八九十]{1,2})月份?";
const PART_OF_YEAR = "上半年|下半年|[一二三四1-4]季度";
const TIME = new RegExp(
  `${NUMBERED_YEAR}|${RELATIVE_YEAR}|${PART_OF_YEAR}|${MONTH}|春节|国庆|五一|元旦`,
  "u",
);
const TIME_ONLY = new RegExp(`^(${TIME.source})+的?$`, "u");
/**
 * The kinds of time a follow-up swaps one for another: "那11月呢?" after "2025年12月…" swaps
 * the month and keeps the year. A month is not the end of a longer number, a year no decade.
 */
const YEAR_KIND = new RegExp(`${NUMBERED_YEAR}(?!代)|${RELATIVE_YEAR}`, "u");
const TIME_KINDS = [
  YEAR_KIND,
  new RegExp(`(?<![\\d一二三四五六七八九十])${MONTH}`, "u"),
  new RegExp(PART_OF_YEAR, "u"),
];
/** Parts of speech of a short proper name: person, place, organisation, unknown word. */
const NAME_TAGS = new Set(["nr", "nrt", "nrfg", "ns", "nt", "nz", "x"]);

/** The question as the rules write it: simplified, half-width, trimmed. */
function plain(text: string): string {
  return toHalfWidth(toSimplified(text)).trim();
}

/** Replaces the first occurrence of `from` in the text with `to`. */
function substitute(text: string, from: string, to: string): string {
  const q = plain(text);
  const at = q.indexOf(from);
  return at < 0 ? q : q.slice(0, at) + to + q.slice(at + from.length);
}

/** True when the text is a short proper name: a place, a person, an organisation's short name. */
function isShortName(text: string): boolean {
  if (PLACE_SUFFIX.test(text)) return true;
  const first = tagWords(text)[0];
  return Array.from(text).length <= 6 && first !== undefined && NAME_TAGS.has(first.tag);
}

/**
 * The first short proper name of the question (not part of an organisation's name), as written:
 * a place alone ("平湖"), or a name with the nouns that follow it ("高裕" + "家居").
 */
function findShortName(question: string): string | undefined {
  const organisation = findOrganisation(question);
  const words = tagWords(question);
  for (let i = 0; i < words.length; i++) {
    const word = words[i]?.word ?? "";
    const tag = words[i]?.tag ?? "";
    if (word.length < 2 || word.length > 6) continue;
    if (organisation !== undefined && organisation.includes(word)) continue;
    if (!NAME_TAGS.has(tag) && !PLACE_SUFFIX.test(word)) continue;
    let name = word;
    if (tag !== "ns" && !PLACE_SUFFIX.test(word)) {
      for (let k = i + 1; k < words.length && NAME_TAIL_TAGS.has(words[k]?.tag ?? ""); k++) {
        name += words[k]?.word ?? "";
      }
    }
    return question.includes(name) ? name : question.includes(word) ? word : undefined;
  }
  return undefined;
}
/** The places the text names (jieba's place tags, a place's suffix, the local papers' places). */
function placesIn(text: string): string[] {
  return recognizeEntities(text)
    .filter((e) => e.kind === "place")
    .map((e) => e.text);
}

/** True when the text is a place's name ("平湖", "独山港", "嘉善"). */
function isPlace(text: string): boolean {
  return PLACE_SUFFIX.test(text) || placesIn(text).includes(text);
}

/** The first place named in the question, as written, or undefined when it names none. */
function findPlace(question: string): string | undefined {
  return placesIn(question).find((place) => question.includes(place));
}

/** Nouns that continue a name: "高裕" + "家居". */
const NAME_TAIL_TAGS = new Set(["n", "nz", "nt", "x", "j", "nrt"]);

/** The content words of a question, in order, without stopwords and question words. */
function contentWords(text: string): string[] {
  return cutWords(text).filter((w) => !STOPWORDS.has(w) && !/^[多大几]$/u.test(w));
}

/** "那平湖呢?" after "嘉兴的…有多大?": the previous question with the new subject in its place. */
function swapSubject(subject: string, previous: string): string {
  if (TIME_ONLY.test(subject)) {
    const q = plain(previous);
    // Each time the new subject names takes the place of the previous question's time of its
    // kind; a month where the previous question names only a year goes after the year.
    let swapped = q;
    let placed = false;
    for (const kind of TIME_KINDS) {
      const given = kind.exec(subject)?.[0];
      if (given === undefined) continue;
      const held = kind.exec(swapped)?.[0];
      if (held !== undefined) {
        swapped = substitute(swapped, held, given);
        placed = true;
      } else {
        const year = YEAR_KIND.exec(swapped)?.[0];
        if (year !== undefined && kind !== YEAR_KIND) {
          swapped = substitute(swapped, year, `${year}${given}`);
          placed = true;
        }
      }
    }
    if (placed) return swapped;
    const time = TIME.exec(q);
    return time ? substitute(previous, time[0], subject) : `${subject}${q}`;
  }
  if (ORG_SUFFIX.test(subject)) {
    const organisation = findOrganisation(previous);
    if (organisation && organisation !== subject)
      return substitute(previous, organisation, subject);
  }
  if (isShortName(subject)) {
    // A place takes a place's turn ("那嘉善呢?" after a question about 平湖), not a company's.
    const name = isPlace(subject) ? findPlace(plain(previous)) : findShortName(plain(previous));
    if (name && name !== subject) return substitute(previous, name, subject);
  }
  // No word of the same kind to swap: keep the previous question and name the new subject.
  return `${subject}:${plain(previous)}`;
}

/**
 * The organisation or project each sentence of an answer names, in the answer's order: what
 * "第一个", "后者" point at. A bare suffix ("项目" of "项目推进全流程") names nothing.
 */
function listedNames(answer: string): string[] {
  const names = plain(answer)
    .split(/[。;；!?！？\n]|\[\d+\]/u)
    .map((sentence) => findOrganisation(sentence))
    .filter(
      (name): name is string =>
        name !== undefined && Array.from(name.replace(ORG_SUFFIX, "")).length >= 2,
    );
  return [...new Set(names)];
}

/** Joins a referent to a question that leaves its subject out: "X" + "是谁主持的?". */
function prependSubject(referent: string, question: string): string {
  const joiner = /^(?:谁|什么|啥|哪|几|多少|怎么|为什么|为啥)/u.test(question) ? "是" : "";
  return `${referent}${joiner}${question}?`;
}

/**
 * Rewrites a follow-up into a standalone question from the previous turn: "那平湖呢?" after
 * "嘉兴的人工智能专项基金有多大?" gives "平湖的人工智能专项基金有多大?"; "它在哪个镇?" after a
 * question about 高裕家居 gives "浙江高裕家居科技股份有限公司在哪个镇?" (the full name, from the
 * article the answer cited); "谁主持的?" after a question about an event gives "<event>是谁主持的?".
 * A question that stands alone, or one with no previous turn, is returned unchanged. Never throws.
 */
export function rewriteFollowUp(
  question: string,
  history: readonly ConversationTurn[],
  archive: FollowUpArchive,
): string {
  const previous = history.at(-1);
  if (!previous) return question;
  const dependence = analyzeDependence(question);
  const q = bareQuestion(question);
  switch (dependence.kind) {
    case "standalone":
      return question;
    case "more":
      return previous.question.trim();
    case "swap":
      return swapSubject(dependence.subject, previous.question);
    case "ordinal":
    case "anaphor":
    case "elided": {
      const referent =
        dependence.kind === "ordinal"
          ? listedNames(previous.answer ?? "")[dependence.position - 1]
          : findReferent(previous, archive, {
              person: dependence.kind === "anaphor" && dependence.person,
            });
      if (referent === undefined) {
        const context = contentWords(previous.question).join(" ");
        return context === "" ? question : `${context} ${q}?`;
      }
      if (dependence.kind === "elided") return prependSubject(referent, q);
      return `${q.replace(dependence.phrase, referent)}?`;
    }
  }
}
