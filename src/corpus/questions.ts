/**
 * Questions answerable from generated articles, for the benchmark's latency mix: a clause that
 * holds a generated number or name, with that value asked for ("…投资了多少亿元?", "…谁…?").
 */
import type { Filled } from "./fill.js";
import type { Rng } from "./prng.js";

/** A question answerable from one generated article, in the eval format (../shared/eval/README.md). */
export interface CorpusQuestion {
  id: string;
  question: string;
  type: "fact";
  answerable: true;
  file: string;
  paper: string;
  date: string;
  headline: string;
  evidence: string;
  answer_keywords: string[];
}

/** What makeQuestions needs to know of an edition and its articles. */
export interface QuestionSource {
  file: string;
  paper: string;
  date: string;
  articles: readonly { kind: string; headline: string; sentences: readonly Filled[] }[];
}

const NUMBER_QUESTION_UNIT =
  /^[万亿]?(?:元|个|家|名|人|项|辆|吨|亩|米|平方米|公里|户|场|所|件|套|台|次|天|倍|余)/u;

/**
 * Cloze questions from news articles: a clause holding a generated number or name, with the value
 * asked for ("…投资了多少亿元?", "…谁…?"). At most `perEdition`, from different articles picked at
 * random. Never throws.
 */
export function makeQuestions(
  rng: Rng,
  source: QuestionSource,
  perEdition: number,
): CorpusQuestion[] {
  const questions: CorpusQuestion[] = [];
  const order = source.articles.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [order[i], order[j]] = [order[j] ?? 0, order[i] ?? 0];
  }
  for (const a of order) {
    if (questions.length >= perEdition) break;
    const article = source.articles[a];
    if (article?.kind !== "news") continue;
    for (const sentence of article.sentences) {
      const q = clozeOf(sentence);
      if (!q) continue;
      questions.push({
        id: `${source.date}_${source.paper}_${a}`,
        question: q.question,
        type: "fact",
        answerable: true,
        file: source.file,
        paper: source.paper,
        date: source.date,
        headline: article.headline,
        evidence: q.evidence,
        answer_keywords: [q.answer],
      });
      break;
    }
  }
  return questions;
}

function clozeOf(
  sentence: Filled,
): { question: string; evidence: string; answer: string } | undefined {
  const text = sentence.text;
  for (const { slot, value, start } of sentence.values) {
    const after = text.slice(start + value.length);
    const isNumber =
      slot.kind === "number" && slot.unit === "plain" && NUMBER_QUESTION_UNIT.test(after);
    if (!isNumber && slot.kind !== "person") continue;
    // The clause around the value, widened to the previous clause when it is too short to ask.
    const bounds = /[，,；;。！？!?]/gu;
    let from = 0;
    let to = text.length;
    for (let m = bounds.exec(text); m !== null; m = bounds.exec(text)) {
      if (m.index < start) from = m.index + 1;
      else if (m.index >= start + value.length) {
        to = m.index;
        break;
      }
    }
    if (to - from < 12 && from > 0) {
      const prev = text.slice(0, from - 1).search(/[^，,；;]*$/u);
      from = Math.max(0, prev);
    }
    const evidence = text.slice(from, to).trim();
    if (Array.from(evidence).length < 10 || /[:：“”"]/u.test(evidence)) continue;
    const asked = isNumber ? "多少" : "谁";
    const question =
      `${text.slice(from, start)}${asked}${text.slice(start + value.length, to)}`.trim();
    return { question: `${question}?`, evidence, answer: value };
  }
  return undefined;
}
