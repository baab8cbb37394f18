import type { NewsIndex } from "../store/types.js";
import type { AbstainReason, Answer, Citation, Passage } from "../types.js";
import type { QueryAnalysis } from "../retrieval/query.js";
import { scoreSentences, type SentenceEvidence } from "../retrieval/evidence.js";
import { articleContext, articleMatchText, articleTerms } from "../retrieval/context.js";
import {
  buildTermGroups,
  groupCoverage,
  weightedCoverage,
  type TermGroup,
} from "../retrieval/terms.js";
import { tokenize } from "../text/segment.js";
import { compact, normalizeForMatch } from "../text/normalize.js";
import { headlineMatch } from "../retrieval/hybrid.js";
import { statesReason } from "../retrieval/answer-type.js";

/** The first sentence of an article (lead, or an encyclopedia definition) says what it is about. */
const LEAD_PRIOR = 0.06;
/**
 * How far the best sentence of the asked type may trail the best-covering sentence: further
 * behind, the archive has the topic but not the fact ("什么时候全部建成" where only 部分竣工 is said).
 */
const UNTYPED_MARGIN = 0.25;
const MIN_OWN_COVERAGE = 0.2;
/**
 * Weight of how much of what the question is about (its names and nouns, not what it asks) the
 * sentence's article covers: a sentence that shares "想解决…问题" with the question but comes from
 * another story must not beat the story the question names.
 */
const SUBJECT_WEIGHT = 0.15;
/** Weight of the share of the question's noun phrases ("算力经济") the sentence's article holds as written. */
const PHRASE_WEIGHT = 0.15;
/** Weight of how much of the article's headline the question repeats ("嘉兴南站…" of 《嘉兴南站》). */
const HEADLINE_WEIGHT = 0.2;

/** The reply when the archive does not hold the answer. */
export const ABSTAIN_TEXT =
  "抱歉,已收录的报道里没有找到能回答这个问题的内容。可以换个说法,或问问其他本地新闻。";

/** Options of the extractive composer. */
export interface ExtractiveOptions {
  /** Passages whose sentences are considered. Defaults to 5. */
  passagesConsidered?: number;
  /** Sentences in the answer at most. Defaults to 3. */
  maxSentences?: number;
  /** Below this support the composer abstains. Defaults to 0.5. */
  minSupport?: number;
  /** Term groups of the question, when the caller already built them. */
  groups?: readonly TermGroup[];
  /** Adjacent-word phrases of the question ("设计城"), to find the article it is about. */
  phrases?: readonly string[];
}

/**
 * How far the best sentence's article may trail the article the question is most plainly about
 * (share of the question's phrases it contains) before we say the archive lacks the answer.
 */
const FOCUS_MARGIN = 0.3;

interface Candidate extends SentenceEvidence {
  passage: Passage;
  /** 0-based position of the sentence in its chunk. */
  position: number;
  terms: Set<string>;
  score: number;
}

/**
 * Why the archive cannot answer, or undefined when it may: a name the question is about occurs
 * nowhere in the index, or not in the article of the best sentence.
 */
function missingEntity(
  index: NewsIndex,
  groups: readonly TermGroup[],
  best: Candidate,
): TermGroup | undefined {
  const context = articleContext(index, best.passage.chunk.articleId);
  return groups.find((g) => g.entity && (g.unseen || groupCoverage(g, context) < 0.5));
}

/**
 * True when the question plainly names something (its phrases occur together in one retrieved
 * article) but the best sentence comes from an article that lacks them: "平湖设计城项目总投资"
 * answered with another project's investment.
 */
function offFocus(
  index: NewsIndex,
  phrases: readonly string[],
  retrieved: readonly Passage[],
  best: Candidate,
): boolean {
  if (phrases.length === 0) return false;
  const share = (articleId: string): number => {
    const text = articleMatchText(index, articleId);
    return phrases.filter((p) => text.includes(p)).length / phrases.length;
  };
  const focus = Math.max(...retrieved.map((p) => share(p.chunk.articleId)));
  return focus - share(best.passage.chunk.articleId) >= FOCUS_MARGIN;
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
  // A fact wants the one sentence that holds it; explanations and comparisons may need more.
  const maxSentences = options.maxSentences ?? (query.kind === "fact" ? 2 : 3);
  const minSupport = options.minSupport ?? 0.5;
  const abstain = (reason: AbstainReason): Answer => ({
    question: query.question,
    text: ABSTAIN_TEXT,
    abstained: true,
    abstainReason: reason,
    citations: [],
    passages: [...passages],
  });
  const groups = options.groups ?? buildTermGroups(index, query.simplified);
  if (groups.length === 0 || considered.length === 0) return abstain("no-evidence");

  const seen = new Set<string>();
  const candidates: Candidate[] = [];
  const subjectGroups = groups.filter((g) => !g.attribute && (g.entity || g.nominal));
  const phrases = options.phrases ?? [];
  const question = compact(normalizeForMatch(query.simplified));
  for (const passage of considered) {
    const headline = headlineMatch(question, passage.chunk.headline);
    const subject = weightedCoverage(subjectGroups, articleTerms(index, passage.chunk.articleId));
    const text = phrases.length === 0 ? "" : articleMatchText(index, passage.chunk.articleId);
    const phraseShare =
      phrases.length === 0 ? 0 : phrases.filter((p) => text.includes(p)).length / phrases.length;
    const scored = scoreSentences(index, groups, query.answerType, passage.chunk);
    for (const [i, evidence] of scored.entries()) {
      const lead = passage.chunk.ordinal === 0 && i === 0 ? LEAD_PRIOR : 0;
      const key = compact(evidence.sentence);
      if (key.length < 4 || seen.has(key)) continue;
      seen.add(key);
      candidates.push({
        ...evidence,
        passage,
        position: i,
        terms: new Set(tokenize(evidence.sentence)),
        score:
          evidence.support +
          0.1 * passage.score -
          0.01 * passage.rank +
          lead +
          SUBJECT_WEIGHT * subject +
          PHRASE_WEIGHT * phraseShare +
          HEADLINE_WEIGHT * headline,
      });
    }
  }
  candidates.sort((a, b) => b.score - a.score);
  // The answer must hold an expression of the asked type; a better-covering sentence without
  // one only says the topic is right.
  const best = candidates.find((c) => c.typed);
  const top = candidates[0];
  if (top && (!best || best.support < top.support - UNTYPED_MARGIN)) return abstain("untyped");

  if (!best) return abstain("no-evidence");
  // The sentence itself must share some of the question's words: context alone (the right
  // article) does not make a sentence an answer.
  if (best.support < minSupport || best.own < MIN_OWN_COVERAGE) return abstain("weak-support");
  if (missingEntity(index, groups, best)) return abstain("missing-entity");
  if (offFocus(index, options.phrases ?? [], passages, best)) return abstain("off-focus");

  const chosen: Candidate[] = [best];
  const covered = (g: TermGroup): number =>
    Math.max(...chosen.map((c) => groupCoverage(g, c.terms)));
  while (chosen.length < maxSentences) {
    let next: Candidate | undefined;
    let nextGain = 0;
    const idfTotal = groups.reduce((a, g) => a + g.idf, 0) || 1;
    for (const c of candidates) {
      // Further sentences come from the best sentence's article: another article's sentence that
      // shares some words is a different story, not more of the answer.
      if (chosen.includes(c) || !c.typed || c.support < minSupport * 0.8) continue;
      if (c.passage.chunk.articleId !== best.passage.chunk.articleId) continue;
      let gain = 0;
      for (const g of groups) gain += g.idf * Math.max(0, groupCoverage(g, c.terms) - covered(g));
      gain /= idfTotal;
      if (gain > nextGain) {
        next = c;
        nextGain = gain;
      }
    }
    if (!next || nextGain < (query.kind === "fact" ? 0.2 : 0.12)) break;
    chosen.push(next);
  }
  // An explanation often spans two sentences: "…秉承…理念,力求打造…" follows "旨在打造…城市综合
  // 体". The neighbour of the best sentence that states a reason joins it, in reading order.
  if (query.kind === "why_how" && chosen.length < maxSentences) {
    const neighbour = candidates.find(
      (c) =>
        !chosen.includes(c) &&
        c.passage.chunk.id === best.passage.chunk.id &&
        Math.abs(c.position - best.position) === 1 &&
        statesReason(c.sentence),
    );
    if (neighbour) chosen.splice(neighbour.position < best.position ? 0 : 1, 0, neighbour);
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
    return `${withoutDateline(c.sentence)}[${n}]`;
  });
  return {
    question: query.question,
    text: parts.join(""),
    abstained: false,
    citations,
    passages: [...passages],
  };
}

/**
 * "本报讯 昨天下午,…" / "本报讯(记者 张敏)…": the dateline opens a lead sentence in print, but
 * quoted as an answer it is noise. The citation still points at the passage as printed.
 */
const DATELINE = /^本报讯\s*(?:[(（][^()（）]{0,30}[)）])?\s*/u;

function withoutDateline(sentence: string): string {
  const stripped = sentence.replace(DATELINE, "");
  return stripped === "" ? sentence : stripped;
}
