import { createRequire } from "node:module";
import { pinyin } from "pinyin-pro";
import { archiveSpelling, spellingTerms } from "./pinyin-names.js";
import type { NewsIndex } from "../store/types.js";
import type { Lexicon } from "../text/lexicon.js";
import { tokenize } from "../text/words.js";
import type { TermGroup } from "./terms.js";

/**
 * Words the question uses and the archive does not, bridged through the lexicon (CC-CEDICT):
 * an English question is put into the archive's Chinese words, and a Chinese word the archive
 * never uses gains the spellings of its synonyms that it does use.
 */

/** English words of grammar, which name nothing to look for. */
const ENGLISH_STOPWORDS = new Set(
  "a an the of in on at to for from by with about as and or but is are was were be been being do does did has have had it its this that these those there their his her they he she we you i me my our your what which who whom whose when where why how many much according after before since during into than then vs versus per up down out over under again did got get will would shall should can could may might must".split(
    " ",
  ),
);

/** English question words, as the Chinese question words the analysis knows. */
const ENGLISH_ASKS: readonly (readonly [RegExp, string])[] = [
  [/\bhow (many|much)\b/iu, "多少"],
  // "How long have they been…", "how long did it take": a duration; "how long is it": a length.
  [/\bhow long (?=(do|does|did|have|has|had|will|would|can|could|ago|since)\b)/iu, "多久"],
  [/\bhow (tall|high)\b/iu, "多高"],
  [/\bhow deep\b/iu, "多深"],
  [/\bhow (long|far)\b/iu, "多长"],
  [/\bhow (big|large|old)\b/iu, "多大"],
  [/\b(when|what (year|date|day|time))\b/iu, "什么时候"],
  [/\bwho\b/iu, "谁"],
  [/\bwhere\b/iu, "在哪里"],
  [/\bwhy\b/iu, "为什么"],
  [/\bhow\b/iu, "怎么"],
  [/\bwhich\b/iu, "哪个"],
  [/\bwhat\b/iu, "什么"],
];

/**
 * The Chinese question word of the English one that comes first: "Which organization hosted the
 * seminar on how computing power…" asks which, not how. Where two patterns match at one place,
 * the longer reading listed first wins ("how many" over "how").
 */
function englishAsk(question: string): string {
  let best: { at: number; word: string } | undefined;
  for (const [pattern, word] of ENGLISH_ASKS) {
    const at = pattern.exec(question)?.index;
    if (at !== undefined && (best === undefined || at < best.at)) best = { at, word };
  }
  return best?.word ?? "";
}

/** "how tall", "how deep": the adjective that a Chinese question word (多高, 多长) already asks. */
const HOW_ADJECTIVE = /\bhow\s+(?:tall|high|deep|long|far|big|large|old)\b/giu;

/** The English months, as the archive writes them ("11月"). */
const MONTHS = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
];

const LATIN_WORD = /[A-Za-z][A-Za-z0-9'.-]*[A-Za-z0-9]|[A-Za-z]|\d+(?:[.,]\d+)*%?/gu;

/**
 * Question words that head the noun phrase they ask about, as 多少 and 哪个 do in Chinese: "how
 * many companies" asks for companies, "which company" for a company, "what was the unemployment
 * rate" for the rate. The Chinese question word goes after that phrase, where Chinese puts it
 * ("公司多少", "失业率什么"), so that the phrase, not the question's last word, is what is asked.
 */
const HEADS_PHRASE = /^(?:how (?:many|much)|which|what)$/iu;

/** Words between "what" and the phrase it asks about: "what was the rate", "what is its share". */
const COPULA_OR_ARTICLE = new Set("is are was were the a an its their his her".split(" "));
/** The words of `COPULA_OR_ARTICLE` that open a noun phrase. */
const DETERMINERS = new Set("the a an its their his her".split(" "));

/**
 * Nouns that name a measured quantity: "what was the unemployment rate" asks for a figure, as
 * "失业率是多少" does, not for a thing.
 */
const QUANTITY_NOUNS = new Set(
  "rate number amount price cost total population percentage proportion share value size area height length depth width speed temperature salary wage income revenue budget investment magnitude figure count sum fee fare capacity output volume weight distance score".split(
    " ",
  ),
);

/**
 * Quantity nouns that name no topic ("what share of…", "the number of…"): asked alone, the question
 * word (多少) asks for them, and their glosses (分, 股; 数字) are words of every story.
 */
const GENERIC_QUANTITIES = new Set(
  "share percentage proportion number amount figure count sum total".split(" "),
);

/**
 * "AI-related", "state-owned": an English derivation of a word and a participle, which the
 * lexicon knows as two words; a name's hyphen ("SWE-bench", "MiMo-V2-Flash") joins no participle.
 */
const PARTICIPLE_COMPOUND = /^[A-Za-z]+-(?:related|based|owned|led|funded|backed|made|linked)$/u;

/** A word in capitals ("AI", "GPU"): an abbreviation the archive prints as written. */
const ACRONYM = /^[A-Z]{2,6}s?$/u;

/**
 * The archive terms that reading the names of an English question in pinyin looks up
 * (`archiveSpelling`): its capitalised words the lexicon does not gloss. A store that asks a
 * server for each term fetches them all at once first.
 */
export function pinyinNameTerms(question: string, lexicon: Lexicon): string[] {
  // spellingTerms takes only a capitalised word of letters.
  const names = (question.match(/[A-Za-z]+/gu) ?? []).filter(
    (w) => wordsForPhrase(lexicon, w.toLowerCase()).length === 0,
  );
  return [...new Set(names.flatMap((w) => spellingTerms(w, lexicon)))];
}

/** True when a question is asked in English: more Latin words than Chinese characters. */
export function isEnglishQuestion(question: string): boolean {
  const latin = (question.match(/[A-Za-z]{2,}/gu) ?? []).length;
  const han = (question.match(/\p{Script=Han}/gu) ?? []).length;
  return latin >= 3 && latin > han;
}

/** True when every jieba term of a word occurs in the archive. */
function inArchive(index: NewsIndex, word: string): boolean {
  const terms = tokenize(word);
  return terms.length > 0 && terms.every((t) => index.documentFrequency(t) > 0);
}

/** The archive's most used words among a sense's Chinese words, at most `max`. */
function archiveWords(index: NewsIndex, words: readonly string[], max: number): string[] {
  return words
    .filter((w) => inArchive(index, w))
    .map((w) => ({ w, df: Math.min(...tokenize(w).map((t) => index.documentFrequency(t))) }))
    .sort((a, b) => b.df - a.df)
    .slice(0, max)
    .map((x) => x.w);
}

/**
 * The words of the first gloss (of up to three) that the archive writes each of, or none: "日本银行"
 * → 日本, 银行.
 */
function wordsOfGloss(index: NewsIndex, glosses: readonly string[]): string[] {
  for (const gloss of glosses.slice(0, 3)) {
    // The gloss read left to right by the longest of its search-mode terms that the archive
    // writes, the gloss itself left out: 日本银行 → 日本, 银行; 德意志银行 → 德意志, 银行.
    const terms = tokenize(gloss).filter((w) => w !== gloss && index.documentFrequency(w) > 0);
    const words: string[] = [];
    for (let at = 0; at < gloss.length;) {
      const next = terms
        .filter((t) => gloss.startsWith(t, at))
        .sort((a, b) => b.length - a.length)[0];
      if (next === undefined) break;
      words.push(next);
      at += next.length;
    }
    if (words.length > 1 && words.join("") === gloss) return words;
  }
  return [];
}

/**
 * wink-lemmatizer (MIT), loaded by the first English question: CC-CEDICT glosses the lemma
 * ("grow", "company"), not the inflected word ("growing", "companies": the rare 公司行号).
 */
let lemmatizer: WinkLemmatizer | undefined;

interface WinkLemmatizer {
  lemmatizeNoun(word: string): string;
  lemmatizeVerb(word: string): string;
  lemmatizeAdjective(word: string): string;
}

/** wink-lemmatizer, loaded on first use. */
function lemmatizerOf(): WinkLemmatizer {
  lemmatizer ??= createRequire(import.meta.url)("wink-lemmatizer") as WinkLemmatizer;
  return lemmatizer;
}

/**
 * The Chinese words of an English phrase and of its lemmas: of each lemma of a single word
 * ("growing" → grow), and of a phrase with its last word as a noun's lemma ("geographical
 * indications" → … indication).
 */
function wordsForPhrase(lexicon: Lexicon, phrase: string): readonly string[] {
  const words = phrase.split(" ");
  const last = words.pop() ?? "";
  const lemmas = lemmatizerOf();
  const lasts =
    words.length > 0
      ? [last, lemmas.lemmatizeNoun(last)]
      : [
          last,
          lemmas.lemmatizeNoun(last),
          lemmas.lemmatizeVerb(last),
          lemmas.lemmatizeAdjective(last),
        ];
  const forms = [...new Set(lasts)].map((lemma) => [...words, lemma].join(" "));
  const found = [...new Set(forms.flatMap((form) => lexicon.wordsFor(form)))];
  if (found.length > 0 || words.length > 0) return found;
  // An adjective or adverb the lexicon glosses only through the word it is made from
  // ("geographical": geography, 地理; "southern": south; "wrongly": wrong).
  const derived = DERIVATIONS.map(([ending, base]) => last.replace(ending, base)).filter(
    (form) => form !== last && form.length >= 4,
  );
  return [...new Set(derived.flatMap((form) => lexicon.wordsFor(form)))];
}

/** English endings that make an adjective or adverb of a word, and the word's own ending. */
const DERIVATIONS: readonly (readonly [RegExp, string])[] = [
  [/ical$/u, "y"],
  [/ical$/u, "ics"],
  [/ial$/u, "y"],
  [/al$/u, ""],
  [/al$/u, "e"],
  [/ic$/u, "y"],
  [/ern$/u, ""],
  [/ly$/u, ""],
];

/**
 * Puts an English question into Chinese words the archive uses, longest phrase first ("unemployment
 * rate" → 失业率, "Penang" → 槟城), keeping what the lexicon does not know as written (names such as
 * "MiMo-V2-Flash", numbers), and a capitalised word the archive also prints in Latin letters beside
 * its gloss, with the question word as a Chinese one. The result is a list of
 * words, not a sentence: it is what retrieval and the answer's term groups need.
 */
export function translateEnglishQuestion(
  question: string,
  lexicon: Lexicon,
  index: NewsIndex,
): string {
  return readEnglishQuestion(question, lexicon, index).text;
}

/** An English question in the archive's Chinese words. */
export interface EnglishQuestion {
  /** The words, as `translateEnglishQuestion` gives them. */
  text: string;
  /**
   * The glosses of one English word or phrase, where it has more than one ("Jiashan" → 嘉善,
   * 嘉善县): they are spellings of one thing, which an article holds when it holds any of them.
   */
  alternatives: string[][];
}

/** A word of an English question as it is read. */
interface EnglishToken {
  text: string;
  /** A comma, a bracket or a full stop follows: the phrase it belongs to ends there. */
  closes: boolean;
  /** Written with 's ("Bing's share"): the noun phrase goes on after it. */
  possessive: boolean;
  /**
   * The parts of a compound left to read after this one: "related" of "AI-related" is not
   * glossed with the next word ("related companies" → 关联公司).
   */
  within: number;
}

/** `translateEnglishQuestion`, with the glosses that stand for one English word told apart. */
export function readEnglishQuestion(
  question: string,
  lexicon: Lexicon,
  index: NewsIndex,
): EnglishQuestion {
  // A name spelled in pinyin is read once for both readings below.
  const spellings = new Map<string, string | undefined>();
  const spell = (word: string): string | undefined => {
    if (!spellings.has(word)) spellings.set(word, archiveSpelling(word, lexicon, index));
    return spellings.get(word);
  };
  // A word's glosses are senses of it ("interest": 兴趣, 关注, 利息): the stories the first reading
  // finds show which sense the question means. Each word is then read by its glosses those
  // stories use, where they use any: pseudo-relevance feedback, as translated queries are
  // disambiguated by the documents they retrieve.
  const first = readWith(question, lexicon, index, spell);
  const context = new Set<string>();
  // The rarest words name the topic, and search cheaply: a common word's postings are long.
  const rarest = [...new Set(tokenize(first.text))]
    .map((t) => ({ t, df: index.documentFrequency(t) }))
    .filter(({ df }) => df > 0)
    .sort((a, b) => a.df - b.df)
    .slice(0, CONTEXT_TERMS)
    .map(({ t }) => t);
  for (const hit of index.searchLexical(rarest, CONTEXT_HITS)) {
    for (const term of index.articleTerms(index.articleIdOfChunk(hit.chunkIndex)) ?? []) {
      context.add(term);
    }
  }
  return context.size > 0 ? readWith(question, lexicon, index, spell, context) : first;
}

/** The passages whose stories tell which sense of an English word the question means. */
const CONTEXT_HITS = 10;
/** The first reading's words those passages are searched by. */
const CONTEXT_TERMS = 6;

/**
 * Two of a word's glosses the archive uses (`ranked`, the commonest first): the commonest, and
 * the commonest of those the stories in `context` use; the first two where that is the same one or
 * none.
 */
function glossesInContext(
  ranked: readonly string[],
  context: ReadonlySet<string> | undefined,
): string[] {
  const used = context && ranked.find((w) => tokenize(w).every((t) => context.has(t)));
  if (used === undefined || ranked.slice(0, 2).includes(used)) return ranked.slice(0, 2);
  return [ranked[0] ?? used, used];
}

/**
 * `readEnglishQuestion`, choosing glosses by the stories in `context` where it is given, and
 * reading a name in pinyin by `spell` (`archiveSpelling`).
 */
function readWith(
  question: string,
  lexicon: Lexicon,
  index: NewsIndex,
  spell: (word: string) => string | undefined,
  context?: ReadonlySet<string>,
): EnglishQuestion {
  let ask = englishAsk(question);
  // "mid-December", "magnitude-7.6": a hyphen that joins a month or a number to a word the
  // lexicon does not know is read as its parts; a name ("MiMo-V2-Flash") stays whole.
  // "Jiaxing's" is Jiaxing: the possessive names nothing to look for.
  // The adjective of "how tall" is part of the question word (多高), not a word to look for.
  const body = question.replace(HOW_ADJECTIVE, " ");
  const words = Array.from(body.matchAll(LATIN_WORD), (m) => ({
    text: m[0].replace(/['’]s$/u, ""),
    // A comma, a bracket or a full stop after the word ends the phrase it belongs to.
    closes: /^['’]?s?\s*[,;:()?.!]/u.test(body.slice(m.index + m[0].length)),
    possessive: /['’]s$/u.test(m[0]),
  }));
  const tokens = words.flatMap(({ text: t, closes, possessive }): EnglishToken[] => {
    const parts = t.split("-").filter((part) => part !== "");
    const joinsTime = parts.some(
      (part) => /^\d[\d.,]*%?$/u.test(part) || MONTHS.includes(part.toLowerCase()),
    );
    // "computing-power", "big-head": a compound of plain words is read as its words when the
    // lexicon lacks it; a capitalised one ("SWE-bench") is a name, unless the lexicon knows each
    // of its words ("Beijing-to-Zhangjiajie").
    const plain = parts.every((part) => /^[a-z]+$/u.test(part));
    const known = parts.every(
      (part) =>
        /^[A-Za-z]+$/u.test(part) &&
        (ENGLISH_STOPWORDS.has(part.toLowerCase()) ||
          wordsForPhrase(lexicon, part.toLowerCase()).length > 0),
    );
    const split =
      parts.length > 1 &&
      (((joinsTime || plain || known) && wordsForPhrase(lexicon, t.toLowerCase()).length === 0) ||
        PARTICIPLE_COMPOUND.test(t));
    return (split ? parts : [t]).map((text, k, all) => ({
      text,
      closes: closes && k === all.length - 1,
      possessive: possessive && k === all.length - 1,
      within: k > 0 ? all.length - k : 0,
    }));
  });
  const [askedStart, askedEnd] = askedPhrase(tokens);
  if (askedEnd > 0 && ask === "什么" && QUANTITY_NOUNS.has(lemmaOf(tokens[askedEnd - 1]?.text))) {
    ask = "多少";
  }
  const out: string[] = [];
  const alternatives: string[][] = [];
  // "What share of…": an asked phrase that is one generic quantity is what the question word asks.
  const generic =
    ask === "多少" &&
    askedStart === askedEnd - 1 &&
    GENERIC_QUANTITIES.has(lemmaOf(tokens[askedStart]?.text));
  for (let i = 0; i < tokens.length;) {
    // The comma ends what is asked: the word after it is not asked too, as in "多少人员".
    if (i === askedEnd) out.push(ask, "，");
    if (generic && i === askedStart) {
      i++;
      continue;
    }
    let matched = 0;
    // A phrase is looked up whole only within the asked phrase or outside it, not across its end.
    const inner = tokens[i]?.within ?? 0;
    const limit = inner > 0 ? inner : i < askedEnd ? askedEnd - i : tokens.length - i;
    for (let n = Math.min(4, limit); n >= 1 && matched === 0; n--) {
      const phrase = tokens
        .slice(i, i + n)
        .map((t) => t.text)
        .join(" ")
        .toLowerCase();
      // Words of grammar, alone or together ("how many", whose gloss 若干 the question word
      // already asks), are not looked up.
      if (phrase.split(" ").every((w) => ENGLISH_STOPWORDS.has(w))) {
        matched = n;
        break;
      }
      const month = MONTHS.indexOf(phrase);
      if (month >= 0) {
        // "December 16" is 12月16日, as the archive writes a day.
        const day = tokens[i + 1]?.text ?? "";
        const dated = /^(?:[1-9]|[12]\d|3[01])$/u.test(day);
        out.push(dated ? `${month + 1}月${day}日` : `${month + 1}月`);
        matched = dated ? 2 : 1;
        break;
      }
      const written = tokens
        .slice(i, i + n)
        .map((t) => t.text)
        .join(" ");
      const glosses =
        (n === 1 && i > 0 ? countryOf(lexicon, written) : undefined) ??
        wordsForPhrase(lexicon, phrase);
      // "related" is 相关, "center" 中心: words too common for the search to weigh, and more
      // common than any other gloss ("related" is also 亲). The English word is written so, and
      // weighs nothing either. An abbreviation's lowercase gloss is another word ("US", "us").
      const acronym = ACRONYM.test(written) ? written.replace(/s$/u, "") : undefined;
      const common =
        acronym === undefined
          ? glosses.find((g) => /^\p{Script=Han}+$/u.test(g) && tokenize(g).length === 0)
          : undefined;
      if (common !== undefined) {
        out.push(common);
        matched = n;
        break;
      }
      // A name of several English words whose gloss the archive does not write ("Bank of Japan",
      // 日本银行, where the archive writes 日本央行) is read by the gloss's own words, where the
      // archive writes each: closer than the glosses of "Bank" and "Japan" one by one.
      const parts = n > 1 && glosses.length > 0 ? wordsOfGloss(index, glosses) : [];
      // A noun in -ing the dictionary glosses as written ("rowing": 划船, 赛艇; "housing": 住房)
      // names the activity or the trade; its verb's glosses ("row": 排, 列) stand in only where
      // the archive writes none of those. A plural's own glosses are another sense ("minutes":
      // 纪要), and its lemma is read as before.
      const own =
        n === 1 && /ing$/u.test(phrase) ? archiveWords(index, lexicon.wordsFor(phrase), 2) : [];
      // A lowercase word names a thing, not a name: "industrial" is 产业, not 工商银行 (the
      // Industrial and Commercial Bank), where the dictionary gives a common word as well.
      const things = /[A-Z]/u.test(written) ? glosses : commonWordsOf(lexicon, glosses);
      const words =
        own.length > 0 ? own : glossesInContext(archiveWords(index, things, 8), context);
      if (words.length === 0 && parts.length > 1) {
        out.push(parts.join(" "));
        matched = n;
        break;
      }
      // "AI" is glossed 哀 (the lowercase word): an abbreviation the archive prints more often
      // than any of its glosses is read as written.
      if (acronym !== undefined && printedMoreThan(index, acronym, words)) {
        out.push(acronym);
        matched = n;
        break;
      }
      if (words.length > 0) {
        // A capitalised word inside the question, or one with digits or a hyphen, may be a name
        // the archive prints in Latin letters ("SWE-bench Verified"): it stays beside its gloss.
        const named = /[A-Z0-9-]/u.test(i === 0 ? written.slice(1) : written);
        // The name as printed and its glosses are spellings of one thing ("David": 大伟, 戴维).
        const printed = named && inArchive(index, written) ? [written] : [];
        out.push(...printed, words.join(" "));
        if (printed.length + words.length > 1) alternatives.push([...printed, ...words]);
        matched = n;
      }
    }
    if (matched === 0) {
      // A plain lowercase word the lexicon cannot gloss ("tech", "inmates") names nothing the
      // Chinese archive writes; a name spelled in pinyin ("Yaozhuang") is read as the archive
      // writes it (姚庄); another name, a number or an abbreviation stays as written.
      const written = tokens[i]?.text ?? "";
      const spelled = spell(written);
      if (spelled !== undefined) out.push(spelled);
      else if (!/^[a-z]+$/u.test(written)) out.push(written);
      matched = 1;
    }
    i += matched;
  }
  if (askedEnd < 0 || askedEnd >= tokens.length) out.push(ask);
  return { text: out.join(" ").trim(), alternatives };
}

/**
 * The endings of a people's or a language's name and those of its country's: "Moroccan" of
 * Morocco, "Australian" of Australia, "Canadian" of Canada, "Belgian" of Belgium, "Japanese" of
 * Japan, "Iraqi" of Iraq, "British" of Britain, "Turkish" of Turkey, "Polish" of Poland.
 */
const DEMONYM_ENDINGS: readonly (readonly [RegExp, readonly string[]])[] = [
  [/ian$/u, ["ia", "y", "a", "", "ium"]],
  [/an$/u, ["a", "o", "any", "e"]],
  [/ese$/u, ["a", ""]],
  [/i$/u, [""]],
  [/ish$/u, ["ain", "ey", "and", "en", "land", "eland"]],
];

/**
 * The glosses of the country a capitalised demonym names ("Moroccan" → 摩洛哥), or undefined when
 * the word is none. CC-CEDICT glosses a demonym by the rare words that mention it ("Australian":
 * 澳元, "Japanese": 乗…) or not at all; news means the country. A country is a proper noun
 * ("Median" is no people of 媒体) whose name is no pinyin of its gloss (see below).
 */
function countryOf(lexicon: Lexicon, written: string): readonly string[] | undefined {
  if (!/^[A-Z][a-z]{3,}$/u.test(written)) return undefined;
  const word = written.toLowerCase();
  // "American": 美国人, the people of 美国, a name the dictionary capitalises.
  const peoples = lexicon
    .wordsFor(word)
    .filter((g) => /^\p{Script=Han}{2,}人$/u.test(g))
    .map((g) => g.slice(0, -1))
    .filter((country) => lexicon.sensesOf(country).length > 0 && !lexicon.isCommonWord(country));
  if (peoples.length > 0) return peoples;
  for (const [ending, replacements] of DEMONYM_ENDINGS) {
    if (!ending.test(word)) continue;
    for (const replacement of replacements) {
      const country = word.replace(ending, replacement);
      const glosses = lexicon.wordsFor(country);
      if (
        country.length >= 4 &&
        glosses.some((g) => !lexicon.isCommonWord(g)) &&
        // "Zhonghuan" is 中环 spelled in pinyin, not a people of 中华 ("zhonghua").
        !glosses.some((g) => spelledInPinyin(g) === country)
      ) {
        return glosses;
      }
    }
  }
  return undefined;
}

/** A Chinese word in toneless pinyin, its syllables joined ("中华" → "zhonghua"). */
function spelledInPinyin(word: string): string {
  return pinyin(word, { toneType: "none", type: "array" }).join("");
}

/** The glosses the dictionary lists as common words too, or all of them where it lists none so. */
function commonWordsOf(lexicon: Lexicon, glosses: readonly string[]): readonly string[] {
  const common = glosses.filter((g) => !lexicon.isNameOnly(g));
  return common.length > 0 ? common : glosses;
}

/** True when the archive holds `written` in more articles than any of `glosses`. */
function printedMoreThan(index: NewsIndex, written: string, glosses: readonly string[]): boolean {
  const df = (w: string) => Math.min(...tokenize(w).map((t) => index.documentFrequency(t)));
  const own = inArchive(index, written) ? df(written) : 0;
  return own > 0 && glosses.every((g) => df(g) < own);
}

/** The lemma of a noun, lowercased ("rates" → rate). */
function lemmaOf(word: string | undefined): string {
  return word === undefined ? "" : lemmatizerOf().lemmatizeNoun(word.toLowerCase());
}

/**
 * Where the noun phrase a heading question word asks about starts and ends (the index of its
 * first token and of the token after it), or -1 and -1 when the question word heads none ("what
 * did … score", "how many were killed"): the words after "how many", "which" or "what" (and a
 * copula or article) up to a word of grammar or a comma.
 */
function askedPhrase(tokens: readonly EnglishToken[]): readonly [number, number] {
  const lower = tokens.map((t) => t.text.toLowerCase());
  for (let i = 0; i < lower.length; i++) {
    const two = `${lower[i]} ${lower[i + 1] ?? ""}`;
    const width = HEADS_PHRASE.test(two) ? 2 : HEADS_PHRASE.test(lower[i] ?? "") ? 1 : 0;
    if (width === 0) continue;
    let start = i + width;
    if (lower[i] === "what") {
      // "what is the rate", "what was Bing's share": the phrase is asked; "what is Yaozhuang
      // aiming for": the phrase is the subject, and what is asked comes after its verb.
      const copula = COPULA_OR_ARTICLE.has(lower[start] ?? "");
      let determiner = false;
      while (COPULA_OR_ARTICLE.has(lower[start] ?? "")) {
        determiner ||= DETERMINERS.has(lower[start] ?? "");
        start++;
      }
      if (copula && !determiner && !(tokens[start]?.possessive ?? false)) return [-1, -1];
    }
    let end = start;
    while (end < lower.length && !ENGLISH_STOPWORDS.has(lower[end] ?? "")) {
      end++;
      if (tokens[end - 1]?.closes) break;
    }
    return end > start ? [start, end] : [-1, -1];
  }
  return [-1, -1];
}

/**
 * The question's term groups with each set of alternative glosses made one group, whose
 * spellings are theirs: "Jiashan" asks for one name, held by an article that writes 嘉善 or
 * 嘉善县, not for two names each of which the article must hold. A gloss cut into several words
 * stays as it was.
 */
export function mergeAlternatives(
  groups: readonly TermGroup[],
  alternatives: readonly (readonly string[])[],
): TermGroup[] {
  let out = [...groups];
  for (const glosses of alternatives) {
    // Group surfaces are lowercased; a name kept in Latin letters ("David") is one of them.
    const spelled = glosses.map((w) => w.toLowerCase());
    const members = out.filter((g) => spelled.includes(g.surface));
    const [first] = members;
    if (!first || members.length < 2) continue;
    const merged: TermGroup = {
      ...first,
      spellings: members.flatMap((g) => g.spellings),
      parts: [...new Set(members.flatMap((g) => g.parts))],
      // The commonest gloss weighs: a word with several renderings is no more specific than it.
      idf: Math.min(...members.map((g) => g.idf)),
      entity: members.some((g) => g.entity),
      nominal: members.some((g) => g.nominal),
      attribute: members.some((g) => g.attribute),
      asked: members.some((g) => g.asked),
      unseen: members.every((g) => g.unseen),
    };
    out = out.flatMap((g) => (g === first ? [merged] : members.includes(g) ? [] : [g]));
  }
  return out;
}

/**
 * Gives the groups of words the archive never uses the spellings of their synonyms that it does
 * (two words sharing an English sense): "真大夫" finds "真人医生". A sense shared by many words
 * ("house") says too little and is not followed. Returns the added words, for lexical search.
 */
export function bridgeUnseenWords(
  groups: TermGroup[],
  lexicon: Lexicon,
  index: NewsIndex,
): string[] {
  const added: string[] = [];
  for (const g of groups) {
    if (g.entity || !/^\p{Script=Han}{2,}$/u.test(g.surface)) continue;
    if (index.documentFrequency(g.surface) > 0) continue;
    const synonyms = new Set<string>();
    for (const words of sharedSenses(lexicon, g.surface, 8)) {
      for (const w of archiveWords(index, words, 3)) if (w !== g.surface) synonyms.add(w);
    }
    const spellings = [...synonyms].map((w) => tokenize(w)).filter((t) => t.length > 0);
    addSpellings(g, spellings, added);
  }
  return added;
}

/** The words of each sense of `word` that at most `maxWords` words share. */
function sharedSenses(lexicon: Lexicon, word: string, maxWords: number): string[][] {
  return lexicon
    .sensesOf(word)
    .map((sense) => [...lexicon.wordsFor(sense)])
    .filter((words) => words.length <= maxWords);
}

/** Adds spellings to a group, which the archive then holds, and their words to `added`. */
function addSpellings(group: TermGroup, spellings: readonly string[][], added: string[]): void {
  if (spellings.length === 0) return;
  group.spellings.push(...spellings);
  group.unseen = false;
  added.push(...spellings.flat());
}

/** Words sharing a sense above which the sense is a common one ("china"), not one thing's name. */
const MAX_NAME_SPELLINGS = 3;

/**
 * Gives the names the question writes the other spellings of them that the archive uses: CC-CEDICT
 * gives 迪斯尼 as a variant of 迪士尼, and 欧巴马 as Taiwan's 奥巴马, so a question about "香港迪士尼"
 * finds the report that writes 迪斯尼. Only a sense that few words share is followed: it names one
 * thing. Returns the added words, for lexical search.
 */
export function bridgeNameVariants(
  groups: TermGroup[],
  lexicon: Lexicon,
  index: NewsIndex,
): string[] {
  const added: string[] = [];
  for (const g of groups) {
    if (!g.entity || !/^\p{Script=Han}{2,}$/u.test(g.surface)) continue;
    const variants = new Set<string>();
    for (const words of sharedSenses(lexicon, g.surface, MAX_NAME_SPELLINGS)) {
      for (const w of words) {
        // "平湖市" for 平湖 is the same name written longer: the name's own spelling finds it.
        if (w.includes(g.surface) || g.surface.includes(w)) continue;
        if (inArchive(index, w)) variants.add(w);
      }
    }
    // A variant the index holds as one word is searched as that word, not as the pieces the
    // search-mode cut also gives ("第二次世界大战" → 世界, 大战…), which other stories share.
    const known = new Set(g.spellings.map((s) => s.join(" ")));
    const spellings = [...variants]
      .map((w) => (index.documentFrequency(w) > 0 ? [w] : tokenize(w)))
      .filter((t) => t.length > 0 && !known.has(t.join(" ")));
    addSpellings(g, spellings, added);
  }
  return added;
}
