import type { Answer, Citation, Passage } from "../types.js";
import { compact, normalizeForMatch, toSimplified } from "../text/normalize.js";
import { narrowPart, ownWordsOfParts } from "../retrieval/decompose.js";
import { askedUnits, quantityPattern, statesCount } from "../retrieval/measures.js";
import { ABSTAIN_TEXT } from "./extractive.js";
import { parseCitedSentences } from "./cited-sentences.js";

/** Interleaves ranked passage lists (first of each, then second of each…), dropping repeats. */
export function interleavePassages(
  lists: readonly (readonly Passage[])[],
  limit: number,
): Passage[] {
  const out: Passage[] = [];
  const seen = new Set<string>();
  for (let i = 0; out.length < limit && lists.some((l) => i < l.length); i++) {
    for (const list of lists) {
      const p = list[i];
      if (!p || seen.has(p.chunk.id) || out.length >= limit) continue;
      seen.add(p.chunk.id);
      out.push({ ...p, rank: out.length + 1 });
    }
  }
  return out;
}

/**
 * Merges the answers to the parts of a compound question into one answer: each part's cited
 * sentences in order, repeats dropped, citations renumbered, and a line for each part the archive
 * does not answer, so that no part is dropped in silence. Abstains only when every part did.
 */
export function mergeAnswers(
  question: string,
  parts: readonly Answer[],
  passages: readonly Passage[],
): Answer {
  const citations: Citation[] = [];
  const numberOf = new Map<string, number>();
  const seenSentences = new Set<string>();
  let text = "";
  const missing: string[] = [];
  for (const part of parts) {
    if (part.abstained) {
      missing.push(part.question.trim().replace(/[?？。!！]+$/u, ""));
      continue;
    }
    const byN = new Map(part.citations.map((c) => [c.n, c.chunk]));
    for (const { sentence, numbers } of parseCitedSentences(part.text)) {
      const key = compact(sentence);
      if (key === "" || seenSentences.has(key)) continue;
      seenSentences.add(key);
      const markers = numbers.map((cited) => {
        const chunk = byN.get(cited);
        if (!chunk) return "";
        let n = numberOf.get(chunk.id);
        if (n === undefined) {
          n = citations.length + 1;
          numberOf.set(chunk.id, n);
          citations.push({ n, chunk });
        }
        return `[${n}]`;
      });
      text += `${sentence}${markers.join("")}`;
    }
  }
  if (text === "") {
    const reason = parts.find((p) => p.abstainReason !== undefined)?.abstainReason;
    return {
      question,
      text: ABSTAIN_TEXT,
      abstained: true,
      ...(reason === undefined ? {} : { abstainReason: reason }),
      citations: [],
      passages: [...passages],
    };
  }
  for (const part of missing) text += `\n关于“${part}”,已收录的报道里没有找到答案。`;
  return { question, text, abstained: false, citations, passages: [...passages] };
}

/**
 * Puts the passages an answer cites first, in citation order, then the rest in rank order: the
 * sentence chosen as the answer is the strongest evidence of which passage answers the question.
 */
export function citedFirst(answer: Answer): Answer {
  if (answer.citations.length === 0) return answer;
  const cited = new Set(answer.citations.map((c) => c.chunk.id));
  const first = answer.citations
    .map((c) => answer.passages.find((p) => p.chunk.id === c.chunk.id))
    .filter((p): p is Passage => p !== undefined);
  const rest = answer.passages.filter((p) => !cited.has(p.chunk.id));
  return { ...answer, passages: [...first, ...rest].map((p, i) => ({ ...p, rank: i + 1 })) };
}

/** The sentences an answer quotes, compacted; none when it declines. */
function sentencesOf(answer: Answer | undefined): string[] {
  if (!answer || answer.abstained) return [];
  return parseCitedSentences(answer.text).map((s) => compact(s.sentence));
}

/**
 * True when the quoted sentences (compacted) hold at least half of a part's own words (one or
 * more): they then answer the part, not only the words it shares with another.
 */
function answersOwnWords(quoted: readonly string[], words: readonly string[]): boolean {
  const text = normalizeForMatch(quoted.join(""));
  const held = words.filter((w) => text.includes(compact(normalizeForMatch(w)))).length;
  return 2 * held >= words.length;
}

/**
 * The measure words a part asks with ("几层": 层; "多大": 平方米…), or undefined when it asks for
 * no measure.
 */
function askedMeasure(part: string): string[] | undefined {
  const units = askedUnits(normalizeForMatch(part));
  return units.length === 0 ? undefined : units;
}

/** A part's answer turned into a decline: the archive holds nothing that answers the part. */
function declinedPart(answer: Answer): Answer {
  return {
    ...answer,
    abstained: true,
    abstainReason: answer.abstainReason ?? "weak-support",
    citations: [],
  };
}

/**
 * Checks the answers to a compound question's parts, in order, and replaces in `answers` the
 * answer of a part that only repeats the sentences an earlier part quotes and holds less than half
 * of the part's own words (`ownWordsOfParts`): it was found for the words the parts share
 * ("…后来被传逃税的金额又是多少" answered with the land price). Such a part is asked again through
 * `ask`, without those sentences and narrowed to its own clause and the first name it inherited
 * (`narrowPart`), and is declined when that answer does not hold its own words either. A repeat
 * that holds the part's own words answers both parts ("…25个重点项目,总投资超120亿元") and stays.
 */
export async function reaskRepeatedParts(
  parts: readonly string[],
  answers: Answer[],
  ask: (text: string, exclude: ReadonlySet<string>) => Promise<Answer>,
): Promise<void> {
  const ownWords = ownWordsOfParts(parts);
  const said = new Set<string>();
  for (const [i, part] of parts.entries()) {
    const own = ownWords[i] ?? [];
    // A part with no word of its own ("那停车场一共多大?" after "…烧了多少辆?") differs from the
    // others only by what it asks: the sentence an earlier part quotes answers it too only when it
    // states a measure of the kind asked, with its measure word ("多高,一共几层?": "高度为59.4米,
    // 共计13层"). A sentence found for the part alone may state it without one, as news states
    // a count of people ("…多少人?": "从2023年的474万降至2025年的388万"). A part that asks for no
    // measure is taken as answered.
    const measure = own.length === 0 ? askedMeasure(part) : undefined;
    const answersPart = (sentences: readonly string[], repeated: boolean): boolean => {
      if (own.length > 0) return answersOwnWords(sentences, own);
      if (measure === undefined) return true;
      const text = normalizeForMatch(sentences.join(""));
      return repeated
        ? quantityPattern(measure).test(text)
        : statesCount(toSimplified(text), measure);
    };
    let quoted = sentencesOf(answers[i]);
    if (quoted.length > 0 && quoted.every((q) => said.has(q)) && !answersPart(quoted, true)) {
      const again = await ask(narrowPart(part) ?? part, said);
      quoted = sentencesOf(again);
      if (quoted.length > 0 && answersPart(quoted, false)) answers[i] = again;
      else {
        answers[i] = declinedPart(again);
        quoted = [];
      }
    }
    for (const q of quoted) said.add(q);
  }
}
