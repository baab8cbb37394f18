import type { NewsIndex } from "../store/types.js";
import type { Answer, Citation, Passage } from "../types.js";
import type { AnswerType, QueryAnalysis } from "../retrieval/query.js";
import { termIdf } from "../retrieval/hybrid.js";
import { splitSentences } from "../text/sentences.js";
import { tokenize } from "../text/segment.js";
import { compact } from "../text/normalize.js";

/** The reply when the archive does not hold the answer. */
export const ABSTAIN_TEXT =
  "抱歉,已收录的报道里没有找到能回答这个问题的内容。可以换个说法,或问问其他本地新闻。";

/** Options of the extractive composer. */
export interface ExtractiveOptions {
  /** Passages whose sentences are considered. Defaults to 5. */
  passagesConsidered?: number;
  /** Sentences in the answer at most. Defaults to 3. */
  maxSentences?: number;
  /** Below this support score the composer abstains. Defaults to 0.55. */
  minSupport?: number;
}

const NUMBER =
  /[0-9０-９]|[一二两三四五六七八九十百千万亿]+(个|家|位|名|层|次|支|年|岁|条|项|件|天|所|户|人|种|批|届|倍|期|连冠|亩|米|吨|元)/u;
const MONEY = /[0-9０-９一二两三四五六七八九十百千万亿.]+\s*(亿|万)?\s*(元|美元)/u;
const DATE =
  /[0-9０-９一二三四五六七八九十]+\s*(年|月|日|号)|昨天|今天|前天|近日|去年|今年|明年|上午|下午|晚上|春节|季度|月底|月初|秋季|春季|夏季|冬季/u;
const PLACE = /镇|县|区|市|省|村|街道|路|湖|园|港|中心|广场|基地|公园|大厦|学校|大学/u;
const REASON =
  /因为|由于|为了|为确保|旨在|因此|所以|是为|以便|为.{1,20}(保驾护航|提供|助力)|因.{1,20}(困境|问题)/u;
const NAME = /公司|集团|企业|银行|大学|学院|学校|医院|中心|协会|局|委|院|所|馆|厂|园|村|镇/u;

/** True when the sentence holds an expression of the type the question asks for. */
export function matchesAnswerType(sentence: string, type: AnswerType): boolean {
  switch (type) {
    case "number":
      return NUMBER.test(sentence);
    case "money":
      return MONEY.test(sentence) || NUMBER.test(sentence);
    case "date":
      return DATE.test(sentence);
    case "place":
      return PLACE.test(sentence);
    case "reason":
      return REASON.test(sentence) || sentence.length > 30;
    case "name":
      return NAME.test(sentence);
    default:
      return true;
  }
}

interface Candidate {
  sentence: string;
  passage: Passage;
  terms: Set<string>;
  contextTerms: Set<string>;
  score: number;
  support: number;
}

/**
 * Composes an extractive answer: the 1–3 sentences of the top passages that best cover the
 * question, each marked [n] with the passage it came from, or an abstention when support is weak.
 */
export function composeExtractiveAnswer(
  index: NewsIndex,
  query: QueryAnalysis,
  passages: readonly Passage[],
  options: ExtractiveOptions = {},
): Answer {
  const considered = passages.slice(0, options.passagesConsidered ?? 5);
  const maxSentences = options.maxSentences ?? 3;
  const minSupport = options.minSupport ?? 0.55;
  const abstain: Answer = {
    question: query.question,
    text: ABSTAIN_TEXT,
    abstained: true,
    citations: [],
    passages: [...passages],
  };
  const qTerms = [...new Set(query.terms)];
  if (qTerms.length === 0 || considered.length === 0) return abstain;
  const idf = new Map(qTerms.map((t) => [t, termIdf(index, t)]));
  const idfTotal = [...idf.values()].reduce((a, b) => a + b, 0) || 1;

  const seen = new Set<string>();
  const candidates: Candidate[] = [];
  for (const passage of considered) {
    const contextTerms = new Set([
      ...tokenize(passage.chunk.headline),
      ...tokenize(passage.chunk.text),
    ]);
    for (const sentence of splitSentences(passage.chunk.text)) {
      const key = compact(sentence);
      if (key.length < 4 || seen.has(key)) continue;
      seen.add(key);
      const terms = new Set(tokenize(sentence));
      let own = 0;
      let context = 0;
      for (const t of qTerms) {
        const w = idf.get(t) ?? 0;
        if (terms.has(t)) own += w;
        else if (contextTerms.has(t)) context += w;
      }
      const support = (own + 0.6 * context) / idfTotal;
      const typed = matchesAnswerType(sentence, query.answerType);
      const score = support + (typed ? 0.1 : -0.25) + 0.05 * passage.score - 0.01 * passage.rank;
      candidates.push({ sentence: sentence.trim(), passage, terms, contextTerms, score, support });
    }
  }
  candidates.sort((a, b) => b.score - a.score);
  const best = candidates[0];
  if (!best || best.support < minSupport || !matchesAnswerType(best.sentence, query.answerType)) {
    return abstain;
  }

  const chosen: Candidate[] = [best];
  const covered = new Set(qTerms.filter((t) => best.terms.has(t)));
  while (chosen.length < maxSentences) {
    let next: Candidate | undefined;
    let nextGain = 0;
    for (const c of candidates) {
      if (chosen.includes(c)) continue;
      let gain = 0;
      for (const t of qTerms) if (!covered.has(t) && c.terms.has(t)) gain += idf.get(t) ?? 0;
      gain /= idfTotal;
      if (gain > nextGain && c.support >= minSupport * 0.6) {
        next = c;
        nextGain = gain;
      }
    }
    if (!next || nextGain < 0.12) break;
    chosen.push(next);
    for (const t of qTerms) if (next.terms.has(t)) covered.add(t);
  }

  const citations: Citation[] = [];
  const numberOf = new Map<string, number>();
  const parts = chosen.map((c) => {
    let n = numberOf.get(c.passage.chunk.id);
    if (n === undefined) {
      n = citations.length + 1;
      numberOf.set(c.passage.chunk.id, n);
      citations.push({ n, chunk: c.passage.chunk });
    }
    return `${c.sentence}[${n}]`;
  });
  return {
    question: query.question,
    text: parts.join(""),
    abstained: false,
    citations,
    passages: [...passages],
  };
}
