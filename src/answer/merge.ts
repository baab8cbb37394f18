import type { Answer, Citation, Passage } from "../types.js";
import { compact } from "../text/normalize.js";
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
