import type { Answer } from "../types.js";
import { compact } from "../text/normalize.js";
import { parseCitedSentences } from "../answer/cited-sentences.js";

/** One evaluation question (../shared/eval/README.md). */
export interface EvalQuestion {
  id: string;
  question: string;
  type: string;
  /** How the question is asked (dev2 and later sets: colloquial, typo, english, near_miss…). */
  style?: string;
  answerable: boolean;
  evidence: string | string[] | null;
  answer_keywords: string[];
  answer_any?: string[];
}

/** The outcome of one question. */
export interface QuestionResult {
  id: string;
  type: string;
  style?: string;
  answerable: boolean;
  /** 1-based rank of the first relevant passage, or null. */
  firstRelevantRank: number | null;
  correct: boolean;
  abstained: boolean;
  abstainReason?: string;
  citations: number;
  supportedCitations: number;
  answerChars: number;
  latencyMs: number;
  answer: string;
}

/**
 * Text as spans are compared: whitespace and Markdown's emphasis and heading marks removed. The
 * spans quote the exports verbatim ("突破**1500万**"), and the indexer reads Markdown as plain text.
 */
function comparable(text: string): string {
  return compact(text).replace(/[*#`]+/gu, "");
}

/** Evidence spans of a question, comparable. */
function spans(q: EvalQuestion): string[] {
  if (q.evidence === null) return [];
  return (Array.isArray(q.evidence) ? q.evidence : [q.evidence])
    .map(comparable)
    .filter((s) => s !== "");
}

/** True when the passage contains one of the question's evidence spans (whitespace and markup ignored). */
export function isRelevant(q: EvalQuestion, passageText: string): boolean {
  const text = comparable(passageText);
  return spans(q).some((s) => text.includes(s));
}

/** True when the answer holds all answer_keywords and, where given, one of answer_any. */
export function isCorrect(q: EvalQuestion, answerText: string): boolean {
  const text = comparable(answerText);
  const all = q.answer_keywords.every((k) => text.includes(comparable(k)));
  const any =
    !q.answer_any ||
    q.answer_any.length === 0 ||
    q.answer_any.some((k) => text.includes(comparable(k)));
  return all && any;
}

/** The answer text without [n] markers, split into the sentences each citation supports. */
function citedSentences(answer: Answer): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const { sentence, numbers } of parseCitedSentences(answer.text)) {
    for (const n of numbers) out.set(n, [...(out.get(n) ?? []), compact(sentence)]);
  }
  return out;
}

/** Scores one answer against its question. */
export function scoreAnswer(q: EvalQuestion, answer: Answer, latencyMs: number): QuestionResult {
  const rank = answer.passages.findIndex((p) => isRelevant(q, p.chunk.text));
  const sentences = citedSentences(answer);
  let supported = 0;
  for (const c of answer.citations) {
    const text = compact(c.chunk.text);
    const own = sentences.get(c.n) ?? [];
    if (isRelevant(q, c.chunk.text) || (own.length > 0 && own.every((s) => text.includes(s)))) {
      supported++;
    }
  }
  return {
    id: q.id,
    type: q.type,
    ...(q.style === undefined ? {} : { style: q.style }),
    answerable: q.answerable,
    firstRelevantRank: rank >= 0 ? rank + 1 : null,
    correct: !answer.abstained && q.answerable && isCorrect(q, answer.text),
    abstained: answer.abstained,
    ...(answer.abstainReason === undefined ? {} : { abstainReason: answer.abstainReason }),
    citations: answer.citations.length,
    supportedCitations: supported,
    answerChars: answer.abstained ? 0 : compact(answer.text.replace(/\[\d+\]/gu, "")).length,
    latencyMs,
    answer: answer.text,
  };
}

/** Aggregate measures over a set of results. */
export interface Summary {
  questions: number;
  answerable: number;
  hitAt1: number;
  hitAt5: number;
  mrrAt10: number;
  answerAccuracy: number;
  citationPrecision: number;
  abstention: number | null;
  falseAbstention: number;
  medianAnswerChars: number;
  latencyP50Ms: number;
  latencyP95Ms: number;
}

/** The q-quantile (0..1) of a list of numbers; 0 for an empty list. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[pos] ?? 0;
}

/** Computes the measures of ../shared/eval/README.md over results. */
export function summarize(results: readonly QuestionResult[]): Summary {
  const answerable = results.filter((r) => r.answerable);
  const unanswerable = results.filter((r) => !r.answerable);
  const share = (n: number, d: number): number => (d === 0 ? 0 : n / d);
  const citations = results.reduce((a, r) => a + r.citations, 0);
  const supported = results.reduce((a, r) => a + r.supportedCitations, 0);
  return {
    questions: results.length,
    answerable: answerable.length,
    hitAt1: share(answerable.filter((r) => r.firstRelevantRank === 1).length, answerable.length),
    hitAt5: share(
      answerable.filter((r) => r.firstRelevantRank !== null && r.firstRelevantRank <= 5).length,
      answerable.length,
    ),
    mrrAt10: share(
      answerable.reduce(
        (a, r) =>
          a +
          (r.firstRelevantRank !== null && r.firstRelevantRank <= 10 ? 1 / r.firstRelevantRank : 0),
        0,
      ),
      answerable.length,
    ),
    answerAccuracy: share(answerable.filter((r) => r.correct).length, answerable.length),
    citationPrecision: citations === 0 ? 1 : supported / citations,
    abstention:
      unanswerable.length === 0
        ? null
        : share(unanswerable.filter((r) => r.abstained).length, unanswerable.length),
    falseAbstention: share(answerable.filter((r) => r.abstained).length, answerable.length),
    medianAnswerChars: quantile(
      answerable.filter((r) => !r.abstained && r.type === "fact").map((r) => r.answerChars),
      0.5,
    ),
    latencyP50Ms: quantile(
      results.map((r) => r.latencyMs),
      0.5,
    ),
    latencyP95Ms: quantile(
      results.map((r) => r.latencyMs),
      0.95,
    ),
  };
}
