import type { NewsIndex } from "../store/types.js";
import type { Passage } from "../types.js";
import type { QueryAnalysis } from "../retrieval/query.js";
import {
  askedSlot,
  scoreSentences,
  type AskedSlot,
  type SentenceEvidence,
} from "../retrieval/evidence.js";
import { articleLeadTimes, articleMatchText, articleTerms } from "../retrieval/context.js";
import {
  groupCoverage,
  subjectGroups,
  weightedCoverage,
  type TermGroup,
} from "../retrieval/terms.js";
import { ASKS, stripQuestionWords } from "../retrieval/question-words.js";
import { CLAUSE_SPLIT } from "../retrieval/decompose.js";
import { fillsSlotExactly } from "../retrieval/answer-type.js";
import { headlineMatch } from "../retrieval/hybrid.js";
import { tokenize } from "../text/words.js";
import { compact, hanCharSet, normalizeForMatch } from "../text/normalize.js";
import { contradictsTimes, NUMBER_TOKEN, pinnedTimes } from "../text/numerals.js";
import { quantityPattern } from "../retrieval/measures.js";

/**
 * The names of a candidate sentence's features, in the order of `Candidate.features`. The fitted
 * model (fitted-weights.ts, written by `npm run fit`) holds one weight per name; a model fitted on
 * another list is refused at start, so the two cannot drift apart.
 */
export const SENTENCE_FEATURES = [
  "support",
  "own",
  "withContext",
  "typed",
  "askedInSentence",
  "subjectInSentence",
  "subjectInArticle",
  "phrases",
  "headline",
  "passageScore",
  "passageRank",
  "lead",
  "adjacent",
  "marked",
  "measure",
  "bigrams",
  "length",
  "markup",
  "typedAsked",
  "askedInNeighbour",
  "newNumber",
  "newNumberAsked",
  "exactSlot",
  "localChars",
  "localBigrams",
  "numberNearMatch",
  "askedChars",
  "timeConflict",
] as const;

/** One sentence of the retrieved passages that may answer the question, with its features. */
export interface Candidate extends SentenceEvidence {
  passage: Passage;
  /** 0-based position of the sentence in its chunk. */
  position: number;
  terms: Set<string>;
  /** One value per name of SENTENCE_FEATURES. */
  features: number[];
  /** The fitted model's score; set by the caller that ranks. */
  score: number;
  /**
   * The share of what only the question's asking clause says that the sentence holds (`clauseChars`,
   * each character weighted by its rarity among the candidates); 0 when the question is one clause.
   */
  clause: number;
}

/** A candidate's value of one of the sentence model's features. */
export function featureOf(c: Candidate, name: (typeof SENTENCE_FEATURES)[number]): number {
  return c.features[SENTENCE_FEATURES.indexOf(name)] ?? 0;
}

/** The question's words as the sentence features match them. */
export interface QuestionWords {
  groups: readonly TermGroup[];
  /** What is asked (the words beside the question word). */
  asked: readonly TermGroup[];
  /** What the question is about (names and nouns that are not asked). */
  subject: readonly TermGroup[];
  /** Content character bigrams of the question (question words removed). */
  bigrams: ReadonlySet<string>;
}

/** What a question asks and is about, computed once for all its candidates. */
export interface QuestionFacts {
  groups: readonly TermGroup[];
  /** What is asked (the words beside the question word). */
  asked: readonly TermGroup[];
  /** What the question is about (names and nouns that are not asked). */
  subject: readonly TermGroup[];
  phrases: readonly string[];
  /** The question compacted, for headline matching. */
  compacted: string;
  /** Content character bigrams of the question (question words removed). */
  bigrams: ReadonlySet<string>;
  /** Content characters of the question (question words removed): Han characters and ASCII words. */
  chars: readonly string[];
  /** The Han characters of what is asked ("死" of "死了几个"), or none when nothing is named. */
  askedChars: readonly string[];
  /**
   * The characters of the words only the asking clause says ("发病前都吃过啥" of "…小学生上吐下泻，
   * 发病前都吃过啥": 发, 病, 前, 吃), or none when the question is one clause.
   */
  clauseChars: readonly string[];
  /**
   * What the sentence scorer reads of the question (`askedSlot`): the asked type, the numbers the
   * question itself holds ("20个矿工"), which do not answer it, and the units the asked number
   * comes in ("几家" → 家, 户; "多高" → 米, 公里…).
   */
  slot: AskedSlot;
  /** The question asks for a number, an amount or a date. */
  numeric: boolean;
  /**
   * The times the question pins its subject to ("2025年12月", "60周年"), when it does not ask
   * for a date; a sentence that names other ones speaks of another month or edition.
   */
  times: ReadonlyMap<string, ReadonlySet<number>>;
  /**
   * The question's words without the year, month and day it pins ("2025年11月"), for the
   * sentences of a story that states that time in its date or lead: a story states it once, and
   * the sentence with the figure need not repeat it.
   */
  untimed: QuestionWords;
  /** The characters and bigrams of the pinned time, which `untimed` leaves out. */
  timeUnits: ReadonlySet<string>;
}

const NUMERIC_TYPES = new Set(["number", "money", "date"]);
/** What the local match counts: one Han character, or one run of Latin letters and digits. */
const CONTENT_UNIT = /\p{Script=Han}|[a-z0-9]+/gu;
/** How near (in characters) a number must stand to a matched question character to count as its value. */
const NUMBER_NEAR = 4;

/**
 * Markup left by CMS exports ("{#anchor}", rules, table pipes) and links (a story's list of
 * sources): such a line is rarely an answer.
 */
const MARKUP = /\{#|-{5,}|\|\s|^#{1,6}\s|https?:\/\/|www\./u;

/** A calendar year, month or day as a question writes it ("2025年", "11月"). */
const PINNED_TIME = /([0-9]{4}|[0-9]{1,2})\s*(年|月|日)/gu;

/** Analyses what a question asks and is about, for `buildCandidates`. */
export function questionFacts(
  query: QueryAnalysis,
  groups: readonly TermGroup[],
  phrases: readonly string[],
): QuestionFacts {
  const normalized = normalizeForMatch(query.simplified);
  const times = query.answerType === "date" ? new Map() : pinnedTimes(normalized);
  const timeWords = new Set<string>();
  /** The unit each number of the pinned time comes with ("11" → 月). */
  const unitOf = new Map<string, string>();
  const untimedText =
    times.size === 0
      ? normalized
      : normalized.replace(PINNED_TIME, (_time, n: string, unit: string) => {
          timeWords.add(n);
          timeWords.add(unit);
          unitOf.set(n, unit);
          return " ";
        });
  const words = (text: string, of: readonly TermGroup[]) => {
    const content = compact(stripQuestionWords(text));
    const bigrams = new Set<string>();
    for (let i = 0; i + 2 <= content.length; i++) bigrams.add(content.slice(i, i + 2));
    const chars = new Set<string>(content.match(CONTENT_UNIT) ?? []);
    return {
      groups: of,
      asked: of.filter((g) => g.attribute),
      subject: subjectGroups(of),
      bigrams,
      chars,
    };
  };
  // A number of the pinned time matches a sentence only with its unit ("11" of "11月" is not the
  // "11" of "优胜奖11名"), and the unit alone ("月") matches any month: it is left to the number.
  const timed = words(
    normalized,
    groups.flatMap((g) => {
      const unit = unitOf.get(g.surface);
      if (unit !== undefined) return [{ ...g, spellings: [[g.surface, unit]], parts: [] }];
      return timeWords.has(g.surface) ? [] : [g];
    }),
  );
  const untimed = words(
    untimedText,
    groups.filter((g) => !timeWords.has(g.surface)),
  );
  const timeUnits = new Set(
    [...timed.chars, ...timed.bigrams].filter(
      (u) => !untimed.chars.has(u) && !untimed.bigrams.has(u),
    ),
  );
  return {
    ...timed,
    phrases,
    compacted: compact(normalized),
    chars: [...timed.chars],
    askedChars: [
      ...new Set(groups.filter((g) => g.asked).flatMap((g) => [...hanCharSet(g.surface)])),
    ],
    clauseChars: askedClauseChars(normalized, groups),
    slot: askedSlot(query),
    numeric: NUMERIC_TYPES.has(query.answerType),
    times,
    untimed,
    timeUnits,
  };
}

/**
 * The characters of the question's words in the last clause that asks, less those the other
 * clauses hold. "顺义那个工地工人午饭后上吐下泻，那顿饭都吃了些啥": the first clause retells the
 * event, which the story's lead retells too; the sentence that answers holds what only the asking
 * clause says (饭, 吃).
 */
function askedClauseChars(question: string, groups: readonly TermGroup[]): string[] {
  const clauses = question.split(CLAUSE_SPLIT).filter((c) => c.trim() !== "");
  let at = -1;
  for (const [i, clause] of clauses.entries()) if (ASKS.test(clause)) at = i;
  if (at < 0 || clauses.length < 2) return [];
  const asking = clauses[at] ?? "";
  const others = clauses.filter((_, i) => i !== at).join(" ");
  const units = new Set<string>();
  for (const g of groups) {
    const word = normalizeForMatch(g.surface);
    if (!asking.includes(word)) continue;
    for (const unit of word.match(CONTENT_UNIT) ?? []) if (!others.includes(unit)) units.add(unit);
  }
  return [...units];
}

/**
 * True when a story states the year, month and day a question pins in its date, headline or
 * first sentence ("2025-12-17", "11月中国汽车出口…"): its sentences need not repeat them.
 */
function statesTimes(
  index: NewsIndex,
  chunk: Passage["chunk"],
  times: ReadonlyMap<string, ReadonlySet<number>>,
): boolean {
  const calendar = ["年", "月", "日"].filter((u) => times.has(u));
  if (calendar.length === 0) return false;
  const stated = articleLeadTimes(index, chunk.articleId);
  const dated = dateParts(chunk.date);
  return calendar.every((unit) =>
    [...(times.get(unit) ?? [])].some(
      (v) => dated[unit] === v || (stated.get(unit)?.has(v) ?? false),
    ),
  );
}

/**
 * Every sentence of the first `considered` passages, once, with its features. Sentences shorter
 * than four characters and repeats (the same sentence in two passages) are left out.
 */
export function buildCandidates(
  index: NewsIndex,
  query: QueryAnalysis,
  facts: QuestionFacts,
  passages: readonly Passage[],
): Candidate[] {
  const seen = new Set<string>();
  const out: Candidate[] = [];
  /** Each candidate's sentence in matching form (simplified, half-width, lower case), compacted. */
  const keys: string[] = [];
  const { slot } = facts;
  const measure = slot.measures.length === 0 ? undefined : quantityPattern(slot.measures);
  /** Per candidate: its story states the question's time, which then counts as matched. */
  const datedOf: boolean[] = [];
  for (const passage of passages) {
    const { chunk } = passage;
    const dated = facts.timeUnits.size > 0 && statesTimes(index, chunk, facts.times);
    const words: QuestionWords = dated ? facts.untimed : facts;
    const headline = headlineMatch(facts.compacted, chunk.headline);
    const subjectInArticle = weightedCoverage(words.subject, articleTerms(index, chunk.articleId));
    const text = facts.phrases.length === 0 ? "" : articleMatchText(index, chunk.articleId);
    const phrases =
      facts.phrases.length === 0
        ? 0
        : facts.phrases.filter((p) => text.includes(p)).length / facts.phrases.length;
    const scored = scoreSentences(index, words.groups, slot, chunk);
    const normalized = scored.map((e) => normalizeForMatch(e.sentence));
    const termsOf = scored.map((e) => new Set(tokenize(e.sentence)));
    const askedOf = scored.map((_, i) =>
      askedCoverage(words.asked, termsOf[i] ?? new Set(), normalized[i] ?? ""),
    );
    for (const [i, evidence] of scored.entries()) {
      const key = compact(evidence.sentence);
      if (key.length < 4 || seen.has(key)) continue;
      seen.add(key);
      const matchKey = compact(normalized[i] ?? "");
      const terms = termsOf[i] ?? new Set<string>();
      const asked = askedOf[i] ?? 0;
      const neighbour = Math.max(askedOf[i - 1] ?? 0, askedOf[i + 1] ?? 0);
      let shared = 0;
      for (const g of words.bigrams) if (matchKey.includes(g)) shared++;
      // A number the question does not hold: what a count or amount question wants to learn.
      const newNumber = Array.from(matchKey.matchAll(NUMBER_TOKEN), (m) => m[0]).some(
        (n) => !slot.numbers.has(n),
      );
      const features = [
        evidence.support,
        evidence.own,
        evidence.withContext,
        evidence.typed ? 1 : 0,
        asked,
        weightedCoverage(words.subject, terms),
        subjectInArticle,
        phrases,
        headline,
        passage.score,
        1 / passage.rank,
        chunk.ordinal === 0 && i === 0 ? 1 : 0,
        evidence.adjacent ? 1 : 0,
        evidence.marked ? 1 : 0,
        measure?.test(matchKey) ? 1 : 0,
        words.bigrams.size === 0 ? 0 : shared / words.bigrams.size,
        Math.min(1, key.length / 120),
        MARKUP.test(evidence.sentence) ? 1 : 0,
        evidence.typed ? asked : 0,
        neighbour,
        newNumber ? 1 : 0,
        newNumber && facts.numeric ? 1 : 0,
        fillsSlotExactly(evidence.sentence, query.answerType) ? 1 : 0,
      ];
      keys.push(matchKey);
      datedOf.push(dated);
      out.push({ ...evidence, passage, position: i, terms, features, score: 0, clause: 0 });
    }
  }
  addLocalMatch(out, keys, facts, datedOf);
  return out;
}

/**
 * Appends the local-match features: the question's characters and bigrams a sentence holds,
 * each weighted by how rare it is among the candidates themselves. Within the retrieved articles
 * the words of the subject stand in most sentences and weigh little; the asked words ("死" of
 * "死了几个", met as "12人死亡") stand in few and decide. Characters rather than words, so a
 * sentence that words the asked thing differently ("病重" / "病情比较严重") still matches. Then
 * the numbers that stand next to an asked character, and the share of the asked characters held.
 */
function addLocalMatch(
  out: Candidate[],
  keys: readonly string[],
  facts: QuestionFacts,
  dated: readonly boolean[],
): void {
  const n = keys.length;
  // A sentence of a story that states the question's time (statesTimes) holds its characters.
  const holds = (i: number, unit: string): boolean =>
    (keys[i] ?? "").includes(unit) || ((dated[i] ?? false) && facts.timeUnits.has(unit));
  const weigh = (units: Iterable<string>): Map<string, number> => {
    const weights = new Map<string, number>();
    for (const unit of units) {
      let df = 0;
      for (let i = 0; i < n; i++) if (holds(i, unit)) df++;
      if (df > 0) weights.set(unit, Math.log((n + 1) / df));
    }
    return weights;
  };
  const charWeights = weigh(facts.chars);
  const bigramWeights = weigh(facts.bigrams);
  const sum = (weights: Map<string, number>): number => {
    let s = 0;
    for (const w of weights.values()) s += w;
    return s;
  };
  const charTotal = sum(charWeights);
  const bigramTotal = sum(bigramWeights);
  // A number stands for the asked thing when it stands next to it: "12人死亡" for "死了几个".
  const nearWeights =
    facts.askedChars.length === 0
      ? charWeights
      : new Map(facts.askedChars.map((c) => [c, charWeights.get(c) ?? 0] as const));
  const heaviest = Math.max(0, ...nearWeights.values());
  const askedTotal = facts.askedChars.length;
  const clauseWeights = new Map(
    facts.clauseChars.map((c) => [c, charWeights.get(c) ?? 0] as const),
  );
  const clauseTotal = sum(clauseWeights);
  for (const [i, candidate] of out.entries()) {
    const key = keys[i] ?? "";
    let asked = 0;
    for (const c of facts.askedChars) if (key.includes(c)) asked++;
    let chars = 0;
    for (const [unit, w] of charWeights) if (holds(i, unit)) chars += w;
    let bigrams = 0;
    for (const [unit, w] of bigramWeights) if (holds(i, unit)) bigrams += w;
    let clause = 0;
    for (const [unit, w] of clauseWeights) if (holds(i, unit)) clause += w;
    candidate.features.push(
      charTotal > 0 ? chars / charTotal : 0,
      bigramTotal > 0 ? bigrams / bigramTotal : 0,
      facts.numeric && heaviest > 0
        ? numberNearMatch(key, nearWeights, facts.slot.numbers) / heaviest
        : 0,
      askedTotal > 0 ? asked / askedTotal : 0,
      contradictsTimes(facts.times, key, dateParts(candidate.passage.chunk.date).年) ? 1 : 0,
    );
    candidate.clause = clauseTotal > 0 ? clause / clauseTotal : 0;
  }
}

/**
 * The year, month and day of a passage's date ("2026-01-05", "2026-01", "2026"), by the units the
 * questions pin; a part the date lacks, or an undated passage, has none.
 */
function dateParts(date: string | null): Record<string, number | undefined> {
  const [year, month, day] = (date ?? "").split("-").map((part) => {
    const n = Number(part);
    return Number.isInteger(n) && n > 0 ? n : undefined;
  });
  return { 年: year, 月: month, 日: day };
}

/**
 * The heaviest local weight of a question character that stands within NUMBER_NEAR characters
 * of a number the question does not hold: the number is then likely the value of the asked thing.
 */
function numberNearMatch(
  key: string,
  charWeights: ReadonlyMap<string, number>,
  questionNumbers: ReadonlySet<string>,
): number {
  let best = 0;
  for (const m of key.matchAll(NUMBER_TOKEN)) {
    if (questionNumbers.has(m[0])) continue;
    const from = Math.max(0, m.index - NUMBER_NEAR);
    const to = Math.min(key.length, m.index + m[0].length + NUMBER_NEAR);
    for (const ch of key.slice(from, to)) best = Math.max(best, charWeights.get(ch) ?? 0);
  }
  return best;
}

/** IDF-weighted share of the asked words the sentence holds; 0 when the question names none. */
function askedCoverage(
  asked: readonly TermGroup[],
  terms: ReadonlySet<string>,
  normalizedSentence: string,
): number {
  if (asked.length === 0) return 0;
  const chars = hanCharSet(normalizedSentence);
  let total = 0;
  let covered = 0;
  for (const g of asked) {
    total += g.idf;
    covered += g.idf * groupCoverage(g, terms, chars);
  }
  return total > 0 ? covered / total : 0;
}
