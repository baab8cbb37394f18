import type { NewsIndex } from "../store/types.js";
import type { Chunk } from "../types.js";
import { answerUnits } from "../text/sentences.js";
import { tokenize } from "../text/words.js";
import { hanCharSet, normalizeForMatch, toSimplified } from "../text/normalize.js";
import { articleContext } from "./context.js";
import { articleAliases } from "./corpus-aliases.js";
import {
  matchesAnswerType,
  namesOrganisation,
  STATES_SLOT,
  statesList,
  statesPurpose,
} from "./answer-type.js";
import { ASKS_PURPOSE } from "./question-words.js";
import type { AnswerType, QueryAnalysis } from "./query.js";
import { numbersIn, withoutNumbers } from "../text/numerals.js";
import { askedUnits, statesCount } from "./measures.js";
import { groupCoverage, type TermGroup } from "./terms.js";

/** How well one sentence of a chunk answers the question. */
export interface SentenceEvidence {
  sentence: string;
  /** Share of the question the sentence itself covers. */
  own: number;
  /** Share covered by the sentence, or else by its article (headline, other paragraphs). */
  withContext: number;
  /** The sentence holds an expression of the expected answer type. */
  typed: boolean;
  /** A number stands right beside the asked-for word ("25个重点项目"). */
  adjacent: boolean;
  /** The sentence states a reason or a means in so many words, as a why or how question asks. */
  marked: boolean;
  /** Combined support, 0..~1.1. */
  support: number;
}

/**
 * Weight of what the article (not the sentence) covers. A name (the subject) is as good in the
 * headline as in the sentence; other words (the asked-for attribute) should be in the sentence.
 */
const ENTITY_CONTEXT_WEIGHT = 0.9;
const NOMINAL_CONTEXT_WEIGHT = 0.6;
const CONTEXT_WEIGHT = 0.3;
const ATTRIBUTE_CONTEXT_WEIGHT = 0;
/** A number right next to the asked-for word ("25个重点项目", "总投资超120亿元") answers it. */
const ADJACENT_BONUS = 0.1;
const NUMERIC_TYPES: ReadonlySet<AnswerType> = new Set(["number", "money", "date"]);
const COUNTED_TYPES: ReadonlySet<AnswerType> = new Set(["number", "money"]);

/** What the sentence scorer reads of the question: the asked type, and the numbers it gives. */
export interface AskedSlot {
  answerType: AnswerType;
  /** The question's numbers (`numbersIn` of its matching form). */
  numbers: ReadonlySet<string>;
  /**
   * The units the asked number comes in (`askedUnits`): the measure words of a count ("几家" →
   * 家, 户, 个) or the units of a size ("多高" → 米, 公里…), or none.
   */
  measures: readonly string[];
  /** The level of place asked ("哪个镇" → 镇), which the answer names a place of; or none. */
  placeLevel?: string;
  /** The date is asked by its year ("哪一年"): the answer names a year, not only a day. */
  asksYear?: boolean;
  /** The date is asked to the hour ("几点"): the answer names a time of day. */
  asksClock?: boolean;
  /** The ordinals the question itself names ("第一幼儿园" → 第一), which state no number asked. */
  ordinals?: readonly string[];
  /** A why question asks a purpose ("想解决哪些问题"): 旨在/为了 state it, a cause does not. */
  asksPurpose?: boolean;
  /**
   * The question asks for a number of things ("哪两家车企", "哪三个项目"): a sentence that lists
   * them (分别, a series) states the slot; a question that asks "哪些" may be answered by one.
   */
  asksSeveral?: boolean;
  /** Of them, two ("哪两条线路"): "A和B" names them too ("4号线和10号线"). */
  asksPair?: boolean;
  /**
   * "谁主办的", "由谁投资": the one who organised or paid for something, which a body as well as a
   * person may be ("由中国国际经济交流中心主办").
   */
  bodyMayAnswer?: boolean;
  /** "第几大", "排第几": a rank, which a superlative states as well as an ordinal ("最大"). */
  asksRank?: boolean;
}

/**
 * "哪个镇", "哪一个省", "哪个县城": a place asked by its level; not "哪个村民", "哪个市长",
 * "哪个市场", "哪个区域".
 */
const ASKED_PLACE_LEVEL = /哪一?个?(镇|县|区|市|省|村|乡|街道)(?![民长场域委级])/u;

/** "哪一年", "哪年", "何年", "几几年", "什么年份", "公元几年": a date asked by its year (not "哪个年级"). */
const ASKED_YEAR = /哪一?年(?!级)|何年|几几年|(?:什么|哪个|哪一)年份|(?:公元|西元)几年/u;
/**
 * A year as a text writes it: "2003年", "公元571年", "二〇〇三年", "光海君七年", "天康元年", "庚申年",
 * "去年", "2003".
 */
const YEAR =
  /[0-9]{4}|[0-9]{1,4}\s*年|[〇零一二三四五六七八九十百元]+年|[甲乙丙丁戊己庚辛壬癸][子丑寅卯辰巳午未申酉戌亥]年|[去今前明]年/u;

/** "几点", "什么时间点": a date asked to the hour. */
const ASKED_CLOCK = /几点|(?:什么|哪个)时间点/u;
/** A time of day as a text writes it: "下午4时", "12时20分", "9点", "21:30". */
const CLOCK =
  /(?<![0-9０-９.])[0-9０-９]{1,2}\s*[点时](?![候期代])|[一二三四五六七八九十]{1,3}\s*点|[0-9０-９]{1,2}[:：][0-9０-９]{2}/u;

/** A question's asked slot, read once per question. */
export function askedSlot(query: QueryAnalysis): AskedSlot {
  const question = normalizeForMatch(query.simplified);
  const placeLevel =
    query.answerType === "place" ? ASKED_PLACE_LEVEL.exec(question)?.[1] : undefined;
  const asksYear = query.answerType === "date" && ASKED_YEAR.test(question);
  const asksClock = query.answerType === "date" && !asksYear && ASKED_CLOCK.test(question);
  const ordinals = [...new Set(question.match(ORDINAL) ?? [])];
  const asksPurpose = query.answerType === "reason" && ASKS_PURPOSE.test(question);
  const asksSeveral = query.answerType === "list" && ASKS_SEVERAL.test(question);
  const asksPair = asksSeveral && ASKS_PAIR.test(question);
  const bodyMayAnswer = query.answerType === "person" && ASKS_ORGANISER.test(question);
  const asksRank = query.answerType === "number" && ASKS_RANK.test(question);
  return {
    answerType: query.answerType,
    numbers: numbersIn(question),
    measures: askedUnits(question),
    ...(placeLevel === undefined ? {} : { placeLevel }),
    ...(asksYear ? { asksYear } : {}),
    ...(asksClock ? { asksClock } : {}),
    ...(ordinals.length > 0 ? { ordinals } : {}),
    ...(asksPurpose ? { asksPurpose } : {}),
    ...(asksSeveral ? { asksSeveral } : {}),
    ...(asksPair ? { asksPair } : {}),
    ...(bodyMayAnswer ? { bodyMayAnswer } : {}),
    ...(asksRank ? { asksRank } : {}),
  };
}

/** "第几大贸易伙伴", "在嘉兴排第几": a rank asked. */
const ASKS_RANK = /第几/u;
/** A rank as a superlative states it: "最大的贸易伙伴", "居全省首位", "排名榜首". */
const RANKED = /最(?:大|高|多|强|早|先|快)|首位|榜首|居首|之首|冠军/u;

/** "哪两家", "哪三个": a number of things asked for, each to be named. */
const ASKS_SEVERAL = /哪[两二三四五六七八九十]/u;
const ASKS_PAIR = /哪[两二](?![十百])/u;
/** "谁主办的", "由谁投资", "是谁开发的": a who-question whose answer may be a body. */
const ASKS_ORGANISER =
  /谁.{0,2}(?:主办|承办|举办|发起|牵头|出资|投资|开发|研发|生产|出品|运营|收购|资助|赞助|承建|颁发|评选)/u;

/** An ordinal as a name holds it: "第一幼儿园", "第3中学". */
const ORDINAL = /第[一二三四五六七八九十百0-9]+/gu;
// "一" alone is left out: it is part of too many words (一大批, 一季度, 统一) to mark a number.
const NUMBER_RUN =
  /[0-9][0-9.]*|[二两三四五六七八九十百千万亿][一二两三四五六七八九十百千万亿]*|一[二两三四五六七八九十百千万亿]+/gu;
const TYPED_BONUS = 0.08;
/**
 * A why-question is best answered by a sentence that says 因为/为了/旨在, not only a long one; a
 * how-question by one that says 通过/采用 or states the rule; a where-question by one that says
 * 位于 or 地处.
 */
const REASON_MARKER_BONUS = 0.1;
const UNTYPED_PENALTY = 0.15;

/** Scores every sentence of a chunk against the question's term groups. */
export function scoreSentences(
  index: NewsIndex,
  groups: readonly TermGroup[],
  query: AskedSlot,
  chunk: Chunk,
): SentenceEvidence[] {
  const scorer = sentenceScorer(index, groups, query, chunk);
  return answerUnits(chunk.text).map((raw) => scorer.finish(scorer.cover(raw.trim())));
}

/**
 * The best `support` among a chunk's sentences: what `scoreSentences` gives, without testing the
 * answer type of sentences whose coverage leaves them no chance (the person test runs jieba's
 * tagger). Sentences are taken by coverage, best first, until the bonuses could no longer lift
 * one above the best so far. Returns 0 for a chunk without sentences, like the caller's max(0, …).
 */
export function bestSupport(
  index: NewsIndex,
  groups: readonly TermGroup[],
  query: AskedSlot,
  chunk: Chunk,
): number {
  const scorer = sentenceScorer(index, groups, query, chunk);
  const covered = answerUnits(chunk.text)
    .map((raw) => scorer.cover(raw.trim()))
    .sort((a, b) => b.withContext - a.withContext);
  const bonus = maxSupport(query.answerType) - 1;
  let best = 0;
  for (const c of covered) {
    if (c.withContext + bonus <= best) break;
    best = Math.max(best, scorer.finish(c).support);
  }
  return best;
}

/**
 * The most `bestSupport` can return for a question of `answerType`: full coverage with every
 * bonus that type can earn. Coverage is a share of the question's IDF (at most 1), so a caller
 * can bound a chunk's support before computing it.
 */
export function maxSupport(answerType: AnswerType): number {
  return (
    1 +
    TYPED_BONUS +
    (NUMERIC_TYPES.has(answerType) ? ADJACENT_BONUS : 0) +
    // A list question that asks a number of things marks the sentences that list them.
    (STATES_SLOT[answerType] || answerType === "list" ? REASON_MARKER_BONUS : 0)
  );
}

/** A sentence's coverage of the question, before its answer type is tested. */
type Coverage = Omit<SentenceEvidence, "typed" | "adjacent" | "marked" | "support">;

/** Scores sentences of one chunk in two steps: coverage, then answer type and bonuses. */
function sentenceScorer(
  index: NewsIndex,
  groups: readonly TermGroup[],
  {
    answerType,
    numbers,
    measures,
    placeLevel,
    asksYear,
    asksClock,
    ordinals = [],
    asksPurpose = false,
    asksSeveral = false,
    asksPair = false,
    bodyMayAnswer = false,
    asksRank = false,
  }: AskedSlot,
  chunk: Chunk,
): { cover(sentence: string): Coverage; finish(coverage: Coverage): SentenceEvidence } {
  // "在哪个镇": a place of that level ("新埭镇"), not any place ("浙江"); "哪一年": a year, not
  // "昨天下午"; "哪天几点": a time of day ("下午4时"), not the day alone.
  const levelled =
    placeLevel !== undefined
      ? new RegExp(`\\p{Script=Han}${placeLevel}`, "u")
      : asksYear
        ? YEAR
        : asksClock
          ? CLOCK
          : undefined;
  const context = articleContext(index, chunk.articleId);
  // A count or an amount the question itself gives ("前11个月") is not the one it asks for.
  const given = COUNTED_TYPES.has(answerType) ? numbers : new Set<string>();
  const total = groups.reduce((a, g) => a + g.idf, 0) || 1;
  const attributes = groups.filter((g) => g.attribute).flatMap((g) => g.spellings.flat());
  const inContext = groups.map((g) => groupCoverage(g, context));
  // A place the question names ("嘉兴银行平湖支行…在哪里") is not the place it asks for; one that
  // another spelling of its subject holds ("浙江高裕家居科技股份有限公司") may be.
  const namedPlaces =
    answerType === "place"
      ? [...new Set(groups.map((g) => g.surface))]
          .filter((w) => Array.from(w).length >= 2)
          .sort((a, b) => b.length - a.length)
      : [];
  return {
    cover(sentence) {
      const terms = new Set(tokenize(sentence));
      const chars = hanCharSet(normalizeForMatch(sentence));
      let own = 0;
      let withContext = 0;
      groups.forEach((g, i) => {
        const mine = groupCoverage(g, terms, chars);
        const extra = Math.max(0, (inContext[i] ?? 0) - mine);
        own += g.idf * mine;
        const weight = g.attribute
          ? ATTRIBUTE_CONTEXT_WEIGHT
          : g.entity
            ? ENTITY_CONTEXT_WEIGHT
            : g.nominal
              ? NOMINAL_CONTEXT_WEIGHT
              : CONTEXT_WEIGHT;
        withContext += g.idf * (mine + weight * extra);
      });
      return { sentence, own: own / total, withContext: withContext / total };
    },
    finish({ sentence, own, withContext }) {
      // Nor is an ordinal the question names ("第一幼儿园" asked how many children fell ill).
      const plain = ordinals.reduce((t, o) => t.split(o).join(" "), sentence);
      const counted = given.size === 0 ? plain : withoutNumbers(normalizeForMatch(plain), given);
      const stated = namedPlaces.reduce((t, w) => t.split(w).join(" "), counted);
      // A count asked with its measure word ("几家") is stated by a number that counts with it
      // ("13家") or with none ("约40万"); a sentence whose numbers all count other things says
      // nothing of it. A company the archive knows by name ("天极集成电路") names one without a
      // 公司 suffix.
      const typed =
        ((matchesAnswerType(stated, answerType) || (bodyMayAnswer && namesOrganisation(stated))) &&
          (levelled === undefined || levelled.test(toSimplified(sentence))) &&
          (measures.length === 0 ||
            !COUNTED_TYPES.has(answerType) ||
            statesCount(toSimplified(sentence), measures))) ||
        (answerType === "name" &&
          articleAliases(index, chunk.articleId).find(sentence).length > 0) ||
        (asksRank && RANKED.test(toSimplified(stated)));
      const adjacent = NUMERIC_TYPES.has(answerType) && numberBesideAttribute(sentence, attributes);
      const marked = asksPurpose
        ? statesPurpose(sentence)
        : asksSeveral
          ? statesList(sentence, asksPair)
          : (STATES_SLOT[answerType]?.(sentence) ?? false);
      const support =
        withContext +
        (typed ? TYPED_BONUS : -UNTYPED_PENALTY) +
        (adjacent ? ADJACENT_BONUS : 0) +
        (marked ? REASON_MARKER_BONUS : 0);
      return { sentence, own, withContext, typed, adjacent, marked, support };
    },
  };
}

/** True when a number stands within three characters of one of the attribute words. */
function numberBesideAttribute(sentence: string, attributes: readonly string[]): boolean {
  if (attributes.length === 0) return false;
  const text = normalizeForMatch(sentence).replace(/\s+/gu, "");
  for (const m of text.matchAll(NUMBER_RUN)) {
    const from = m.index;
    const to = from + m[0].length;
    for (const word of attributes) {
      const before = text.slice(Math.max(0, from - 3 - word.length), from);
      const after = text.slice(to, to + 3 + word.length);
      if (before.includes(word) || after.includes(word)) return true;
    }
  }
  return false;
}
