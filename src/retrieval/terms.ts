import type { NewsIndex } from "../store/types.js";
import { STOPWORDS, tagWords, tokenize } from "../text/words.js";
import { toSimplified, normalizeForMatch } from "../text/normalize.js";
import { aliasSpellings, wordPattern } from "./aliases.js";
import { corpusAliases } from "./corpus-aliases.js";
import { followsDeterminer, PERSON_TAGS, recognizeEntities, type Entity } from "./entities.js";
import type { Lexicon } from "../text/lexicon.js";
import { questionWordSpans, stripQuestionWords } from "./question-words.js";

/**
 * One thing the question names, with the spellings that count as a match. A group is covered
 * fully when one spelling's terms all occur, and partly when only some sub-terms do (jieba
 * often glues a name to its neighbour: "给昊柏", "港建远辰").
 */
export interface TermGroup {
  /** The word as the question has it. */
  surface: string;
  /** Each spelling as the lexical terms it must contain. */
  spellings: string[][];
  /** Sub-terms that earn partial credit when no spelling matches. */
  parts: string[];
  /** Weight: inverse document frequency in the index. */
  idf: number;
  /** A name (place, person, organisation): the answer must be about it. */
  entity: boolean;
  /** A noun or unknown word: names what the question is about rather than what it asks. */
  nominal: boolean;
  /** Next to the question word ("一等奖是谁", "多高"): what is asked, so the answer sentence must hold it. */
  attribute: boolean;
  /**
   * Next to the question word, whether or not the archive uses it as a word of its own ("伤" of
   * "伤了几个", written "受伤"): the answer's characters are matched against it.
   */
  asked: boolean;
  /** No spelling or part occurs anywhere in the index. */
  unseen: boolean;
}

const ENTITY_TAGS = new Set(["ns", "nr", "nt", "nz", "nrt", "nrfg"]);
const HAN = /\p{Script=Han}/u;
const ATTRIBUTE_BOOST = 2;
const NOMINAL_TAGS = /^(n|j|x|eng|vn)/u;
const PLACE_TAGS = new Set(["ns"]);
/** Counting people or things, Chinese uses several measure words: "多少人" is answered by "30名". */
const MEASURE_SYNONYMS: ReadonlyMap<string, readonly string[]> = new Map([
  ["人", ["名", "位"]],
  ["名", ["人", "位"]],
  ["位", ["人", "名"]],
  ["家", ["户"]],
  ["户", ["家"]],
]);
const UNSEEN_WORD_FACTOR = 0.5;

function idfOf(index: NewsIndex, term: string): number {
  const n = index.chunkCount;
  const df = index.documentFrequency(term);
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}

/** Builds the weighted term groups of a question against an index. */
export function buildTermGroups(index: NewsIndex, question: string): TermGroup[] {
  return analyzeTerms(index, question).groups;
}

/** The question's term groups and its phrases: adjacent content words as written ("设计城"). */
export interface TermAnalysis {
  groups: TermGroup[];
  phrases: string[];
  /** The names the question mentions (organisations, places, people). */
  entities: Entity[];
}

/**
 * True when the dictionary reads a word the question uses as a name as a common word: listed only
 * with lower-case readings (籍贯, 长度), or, for a person's name, with one lower-case reading among
 * others ("孙子": Sunzi, and a grandson, which names no person).
 */
function readAsCommonWord(lexicon: Lexicon | undefined, word: string, person: boolean): boolean {
  if (lexicon === undefined) return false;
  return (
    lexicon.isCommonWord(word) ||
    (person && lexicon.sensesOf(word).length > 0 && !lexicon.isNameOnly(word))
  );
}

/** Tags of words that are part of a name without being one ("附属", "有限", "2"). */
const NAME_FILLER_TAGS = /^(n|vn|b|m|an|l|a|v)$/u;

/**
 * Builds the weighted term groups and adjacent-word phrases of a question against an index. With
 * `lexicon`, a word jieba tags as a name that the dictionary lists only as a common word (籍贯,
 * 长度, 城市) is not a name the answer's article must hold.
 */
export function analyzeTerms(index: NewsIndex, question: string, lexicon?: Lexicon): TermAnalysis {
  const normalized = normalizeForMatch(toSimplified(question));
  const spans = questionWordSpans(normalized);
  let text = stripQuestionWords(normalized);
  const pairs = nounPhrases(text);
  // A lone word the recogniser took by its tag ("籍贯/nr", "孙子/nr") is no name when the
  // dictionary reads it as a common word (`readAsCommonWord`).
  const entities = recognizeEntities(normalized).filter(
    (e) => !(e.words.length === 1 && readAsCommonWord(lexicon, e.text, e.kind === "person")),
  );
  const quoted = quotedSpans(normalized);
  const groups: TermGroup[] = [];
  // Alias spellings first, so "农商行" is one group with "农商银行" rather than 农 + 商行; the
  // archive's own company names next ("景兴纸业" with 浙江景兴纸业股份有限公司 and 景兴).
  const curated = aliasSpellings(text);
  const named = corpusAliases(index)
    .find(text)
    .filter((spellings) => !curated.some((c) => c.some((s) => spellings[0]?.includes(s))));
  for (const spellings of [...curated, ...named]) {
    const tokenized = spellings.map((s) => tokenize(s)).filter((t) => t.length > 0);
    const seen = tokenized.filter((t) => t.some((x) => index.documentFrequency(x) > 0));
    const weights = tokenized.flat().map((t) => idfOf(index, t));
    groups.push({
      surface: spellings[0] ?? "",
      spellings: tokenized,
      parts: [],
      idf: weights.length > 0 ? Math.min(...weights) + 1 : 1,
      entity: named.includes(spellings),
      nominal: true,
      attribute: false,
      asked: false,
      unseen: seen.length === 0,
    });
    const used = spellings[0] ?? "";
    text = text.replace(wordPattern(used), " ".repeat(used.length));
  }
  let cursor = 0;
  /** Where the last word asked for ends, or -1 when the last word was not asked for. */
  let askedEnd = -1;
  for (const { word, tag } of tagWords(text)) {
    const start = text.indexOf(word, cursor);
    const end = start < 0 ? -1 : start + word.length;
    if (start >= 0) cursor = end;
    if (STOPWORDS.has(word) || SPREADS_QUESTION.has(word) || word.trim() === "") continue;
    // "哪位副市长": the noun that goes on right after an asked word is asked too (市长 of 副市长).
    const continuesAsked = start >= 0 && start === askedEnd && NOMINAL_TAGS.test(tag);
    const asked =
      !ENTITY_TAGS.has(tag) &&
      !CHANGE_COMPLEMENT.test(word) &&
      start >= 0 &&
      (continuesAsked ||
        spans.some(
          (span) =>
            (span.asksPreceding &&
              (near(normalized, end, span.start) || changedTo(normalized, end, span.start))) ||
            near(normalized, span.end, start) ||
            doneBy(normalized, span.end, start),
        ));
    askedEnd = asked ? end : -1;
    const repeated = groups.find((g) => g.surface === word);
    if (repeated) {
      // "创新药目录收了几种药": the word asked for may stand earlier as part of the subject.
      if (!repeated.entity && asked) {
        repeated.asked = true;
        if (!repeated.attribute && !repeated.unseen) {
          repeated.attribute = true;
          repeated.idf *= ATTRIBUTE_BOOST;
        }
      }
      continue;
    }
    // A two-character word also earns partial credit through its characters: Chinese compounds
    // share a morpheme where the wording differs (造纸 / 纸业, 下雨 / 小雨).
    const subTerms =
      word.length === 2 && HAN.test(word) && !ENTITY_TAGS.has(tag)
        ? Array.from(word)
        : tokenize(word).filter((t) => t !== word);
    const df = index.documentFrequency(word);
    const partsSeen = subTerms.filter((t) => index.documentFrequency(t) > 0);
    let idf: number;
    if (df > 0) idf = idfOf(index, word);
    else if (partsSeen.length > 0) idf = Math.max(...partsSeen.map((t) => idfOf(index, t)));
    else idf = idfOf(index, word);
    const isHanWord = HAN.test(word);
    const unseen = df === 0 && partsSeen.length === 0;
    // Inside a recognised name, the name's own words count as the entity ("御辰东" of
    // "御辰东公司"); its suffix and generic words ("公司", "附属") do not.
    const inQuote = start >= 0 && quoted.some((q) => q.start <= start && end <= q.end);
    const inName =
      start >= 0 &&
      ((!NAME_FILLER_TAGS.test(tag) && entities.some((e) => e.start <= start && end <= e.end)) ||
        inQuote);
    groups.push({
      surface: word,
      spellings: [[word], ...(MEASURE_SYNONYMS.get(word) ?? []).map((w) => [w])],
      // A glued word's parts that the archive never uses ("楼北" of "楼北塔") can match nothing:
      // counting them would only dilute the part that does ("北塔").
      parts: df === 0 && partsSeen.length > 0 ? partsSeen : subTerms,
      // What is asked weighs more than what it is asked about: the subject is usually covered
      // by the headline, the attribute only by the sentence that answers. A word the archive
      // never uses as such ("家店", "给昊柏") is a colloquialism or a word-cutting slip: it can
      // only match in parts, so it weighs less and is never the attribute. An unseen name keeps
      // its weight: it is why we may abstain.
      idf:
        (isHanWord && word.length === 1 ? idf * 0.5 : idf) *
        (df > 0 && asked ? ATTRIBUTE_BOOST : 1) *
        (df === 0 && !ENTITY_TAGS.has(tag) ? UNSEEN_WORD_FACTOR : 1),
      entity:
        ((ENTITY_TAGS.has(tag) &&
          !(tag === "ns" && start >= 0 && followsDeterminer(normalized, start)) &&
          !readAsCommonWord(lexicon, word, PERSON_TAGS.has(tag))) ||
          inName) &&
        // A quoted name cut into single characters ("摩羯" → 摩, 羯) is still the name.
        (!isHanWord || word.length >= 2 || inQuote),
      nominal: NOMINAL_TAGS.test(tag),
      attribute: asked && df > 0,
      asked,
      unseen,
    });
  }
  // A phrase names what the question is about; a pair with the asked word in it ("多少人中毒" →
  // 人中毒) names the slot, which any story of the kind fills.
  const askedWords = new Set(groups.filter((g) => g.asked).map((g) => g.surface));
  const phrases = pairs
    .filter(([first, second]) => !askedWords.has(first) && !askedWords.has(second))
    .map(([first, second]) => `${first}${second}`);
  return { groups, phrases, entities };
}

/**
 * What the question is about: its names and nouns that are not what it asks. The second stage
 * and the answer's sentence choice both weigh an article's coverage of these, by this one rule.
 */
export function subjectGroups(groups: readonly TermGroup[]): TermGroup[] {
  return groups.filter((g) => !g.attribute && (g.entity || g.nominal));
}

/** What coverage needs of a set of terms: membership. */
export interface TermLookup {
  has(term: string): boolean;
}

/** How much of one group a term set (and, for one-character words, a character set) covers, 0..1. */
export function groupCoverage(
  group: TermGroup,
  terms: TermLookup,
  chars?: ReadonlySet<string>,
): number {
  if (group.spellings.some((s) => s.length > 0 && s.every((t) => terms.has(t)))) return 1;
  // A one-character word ("高", "层") also meets the words that contain it ("高度", "13层").
  if (
    chars &&
    group.spellings.some((s) => s.length === 1 && s[0]?.length === 1 && chars.has(s[0]))
  ) {
    return 1;
  }
  if (group.parts.length === 0) return 0;
  const hit = group.parts.filter((t) => terms.has(t)).length;
  if (hit > 0) return (0.8 * hit) / group.parts.length;
  // Characters alone earn less: one shared morpheme (下雨 / 小雨), never the whole word.
  return chars && group.parts.some((t) => t.length === 1 && chars.has(t)) ? 0.4 : 0;
}

/** IDF-weighted share of the groups that a term set covers, 0..1. */
export function weightedCoverage(groups: readonly TermGroup[], terms: TermLookup): number {
  let total = 0;
  let covered = 0;
  for (const g of groups) {
    total += g.idf;
    covered += g.idf * groupCoverage(g, terms);
  }
  return total > 0 ? covered / total : 0;
}

/** True when only spaces and light particles lie between two offsets (from <= to). */
function near(text: string, from: number, to: number): boolean {
  if (from > to) return false;
  const gap = text.slice(from, to).replace(/\s/gu, "");
  // "一等奖是谁", "总投资是多少": the asked thing; but "北塔有多高", "比赛在哪儿": the subject.
  // Measure words may stand between too: "多少个重点项目"; and a time that only says when the
  // value holds: "最低工资标准现在是多少".
  return /^(?:现在|目前|如今|眼下|当时)?[的了是个家位名层次支年岁条项件天所户人种批届倍期张]{0,2}$/u.test(
    gap,
  );
}

/**
 * Words that spread a question over the things it names ("各有多少人", "各是多少"): jieba cuts them
 * as words of their own, and no answer sentence writes them.
 */
const SPREADS_QUESTION: ReadonlySet<string> = new Set(["各有", "各是", "各为", "各自"]);

/** The complements of a verb of change ("压到", "降至", "定为"), as a character class's source. */
const COMPLEMENTS = "到至为";
/** A complement on its own: it names no quantity. */
const CHANGE_COMPLEMENT = new RegExp(`^[${COMPLEMENTS}]$`, "u");
/** A verb of change and its complement: "压到", "提高到", "降至了". */
const CHANGE = new RegExp(`^\\p{Script=Han}{1,2}[${COMPLEMENTS}]了?$`, "u");

/**
 * True when a verb of change and its complement lie between a word and the question word that
 * follows: "延迟压到多少", "票价涨到多少", "产值达到多少" ask the word before the verb.
 */
function changedTo(text: string, from: number, to: number): boolean {
  if (from > to) return false;
  return CHANGE.test(text.slice(from, to).replace(/\s/gu, ""));
}

/**
 * True when a generic noun and 在 lie between an interrogative and a verb: "啥东西在烧", "谁在负
 * 责" ask for the one who does the verb, which the answer sentence states with it.
 */
function doneBy(text: string, from: number, to: number): boolean {
  if (from > to) return false;
  return /^(?:东西|人|事情?)?在$/u.test(text.slice(from, to).replace(/\s/gu, ""));
}

/** Adjacent noun pairs as written ("设计城", "创新中心"): they name a thing; verbs are paraphrased freely. */
function nounPhrases(text: string): [string, string][] {
  const phrases: [string, string][] = [];
  let cursor = 0;
  let previous: { word: string; end: number } | undefined;
  for (const { word, tag } of tagWords(text)) {
    const start = text.indexOf(word, cursor);
    if (start < 0) continue;
    cursor = start + word.length;
    // Place names are left out: a local paper's "市政协" is "平湖市政协" without saying so.
    const isNominal =
      NOMINAL_TAGS.test(tag) && !PLACE_TAGS.has(tag) && HAN.test(word) && !STOPWORDS.has(word);
    if (previous && isNominal && start === previous.end) phrases.push([previous.word, word]);
    previous = isNominal ? { word, end: cursor } : undefined;
  }
  return phrases;
}

/**
 * The spans a question puts in quotation marks: the name of a scheme, a slogan or a title
 * ("“30分钟我来办”是怎么办的"). Quoted words name what the question is about, like a name.
 */
function quotedSpans(text: string): { start: number; end: number }[] {
  const spans: { start: number; end: number }[] = [];
  for (const m of text.matchAll(/[“"「『‘《]([^“”"「」『』‘’《》]{2,30})[”"」』’》]/gu)) {
    spans.push({ start: m.index + 1, end: m.index + 1 + (m[1]?.length ?? 0) });
  }
  return spans;
}
