import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type * as JiebaModule from "@node-rs/jieba";
import { normalizeForMatch } from "./normalize.js";
import { LruMap } from "../lru.js";
import { JIEBA_DICTIONARY_STATS } from "./jieba-dictionary.js";
import { SortedDictionary } from "./sub-dictionary.js";

const require = createRequire(import.meta.url);
/**
 * Required, not imported: @node-rs/jieba is a CommonJS package, and an ES import of one first
 * scans its source for the names it exports (6-8 ms of every start, docs/performance.md item 21).
 */
const { Jieba } = require("@node-rs/jieba") as typeof JiebaModule;
type Jieba = JiebaModule.Jieba;

let jieba: Jieba | undefined;
/** jieba's dictionary, read but not built: it cuts words until jieba is (`readWordCutter`). */
let dictionary: SortedDictionary | undefined;

/** jieba's shipped dictionary file. */
function dictionaryBytes(): Buffer {
  return readFileSync(require.resolve("@node-rs/jieba/dict.txt"));
}

/**
 * The shared jieba instance, built with its shipped dictionary on first use (about 0.1 s). The
 * dictionary is read here rather than through `@node-rs/jieba/dict`, which also reads the 6 MB idf
 * table (not used here) and keeps both files in memory for the life of the process: 11 MB of
 * serving RSS.
 */
function getJieba(): Jieba {
  if (jieba === undefined) {
    jieba = Jieba.withDict(dictionary?.bytes ?? dictionaryBytes());
    dictionary = undefined;
  }
  return jieba;
}

/**
 * The word cutter for `text`: jieba once built; before that, after `readWordCutter`, a jieba of the
 * few dictionary words that occur in `text`, which cuts it exactly as the whole dictionary does
 * (see SortedDictionary).
 */
function wordCutterFor(text: string): Jieba {
  if (jieba === undefined && dictionary !== undefined && quickCuts++ < MAX_QUICK_CUTS) {
    return Jieba.withDict(dictionary.subDictionary(text));
  }
  return getJieba();
}

/**
 * Texts cut with a dictionary of their own words before jieba is built whatever the caller does:
 * each costs about 0.2 ms more than a cut by the built jieba, and a first answer makes about 100.
 */
const MAX_QUICK_CUTS = 500;
let quickCuts = 0;

/**
 * Reads jieba's dictionary (a few milliseconds) without building jieba: texts cut until
 * `buildWordCutter` get the same words from the dictionary's lines for their own words. A start
 * answers its first question without waiting for the build. Never throws: a dictionary that
 * cannot be read this way is left for jieba to build.
 */
export function readWordCutter(): void {
  if (jieba !== undefined || dictionary !== undefined) return;
  try {
    dictionary = SortedDictionary.read(dictionaryBytes(), JIEBA_DICTIONARY_STATS);
  } catch {
    dictionary = undefined;
  }
}

/** Whether jieba is built; before, texts are cut with dictionaries of their own words. */
export function wordCutterBuilt(): boolean {
  return jieba !== undefined;
}

/** Builds jieba's dictionary now (about 0.1 s) rather than on the next text. Never throws. */
export function buildWordCutter(): void {
  getJieba();
}

/** Words that carry no retrieval signal: particles, pronouns, question words. */
export const STOPWORDS: ReadonlySet<string> = new Set(
  (
    "的 了 着 过 是 在 和 与 及 或 也 都 就 还 又 而 并 对 从 向 把 被 让 给 为 以 于 其 之 这 那 这个 那个 " +
    "这些 那些 哪 哪个 哪些 哪家 哪里 哪儿 哪位 哪年 哪天 什么 啥 谁 几 几个 多少 多大 多高 多长 多久 怎么 怎么样 怎样 " +
    "如何 为什么 为啥 干嘛 吗 呢 吧 啊 呀 嘛 么 哦 呗 个 一 有 没有 没 是不是 是否 能 会 要 可以 叫 叫啥 " +
    "我 你 他 她 它 我们 你们 他们 她们 它们 大家 自己 一下 一共 总共 分别 各 每 一起 一些 有些 所 等 " +
    "上 下 中 里 内 家 请问 知道 告诉 一下子 现在 当时 时候 具体 主要 到底 究竟 其中 相关 方面 情况"
  ).split(/\s+/u),
);

const PUNCT = /^[\p{P}\p{S}\s]+$/u;

/** Cuts text into jieba words, normalised for matching; punctuation dropped. */
function cut(text: string, hmm: boolean): string[] {
  const normalized = normalizeForMatch(text);
  return wordCutterFor(normalized)
    .cut(normalized, hmm)
    .filter((w) => !PUNCT.test(w));
}

/** Cuts text into jieba words (HMM on), normalised for matching; punctuation dropped. */
export function cutWords(text: string): string[] {
  return cut(text, true);
}

/**
 * Cuts text into jieba's dictionary words, HMM off: a run of characters the dictionary does not
 * know stays single characters instead of being guessed into a word ("想学车" → 想/学车).
 */
export function cutDictionaryWords(text: string): string[] {
  return cut(text, false);
}

/**
 * Terms for a lexical index or query: jieba's search-mode cut (which adds the sub-words of
 * long compounds, 百康光学 -> 百康, 光学), normalised, with stopwords and punctuation removed.
 */
export function tokenize(text: string): string[] {
  const cached = tokenCache.get(text);
  if (cached) return [...cached];
  const terms = tokenizeUncached(text);
  if (text.length <= MAX_CACHED_TEXT) tokenCache.set(text, terms);
  return [...terms];
}

/**
 * Query-time scoring tokenizes the same passages' sentences again and again (re-ranking, then the
 * answer): a bounded cache of recent texts saves most of that work.
 */
const MAX_CACHED_TEXTS = 2_000;
const MAX_CACHED_TEXT = 300;
const tokenCache = new LruMap<string, readonly string[]>(MAX_CACHED_TEXTS);

/**
 * Hands the cache the terms of a text computed earlier (at index time, by `tokenize` itself), so
 * that scoring a passage read from the index does not cut it again. Texts of any length are
 * kept. The caller guarantees `terms` holds what `tokenize(text)` returns, up to order and
 * repeats: every caller treats a text's terms as a set.
 */
export function primeTokens(text: string, terms: readonly string[]): void {
  tokenCache.set(text, terms);
}

function tokenizeUncached(text: string): string[] {
  const normalized = normalizeForMatch(text);
  const words = wordCutterFor(normalized)
    .cutForSearch(normalized, true)
    .filter((w) => !PUNCT.test(w) && !STOPWORDS.has(w));
  // jieba glues unknown names to their neighbours ("给昊柏", "港建远辰"); the character
  // bigrams of long CJK words let such a term still meet its other spelling.
  const terms = [...words];
  const seen = new Set(words);
  for (const w of words) {
    if (w.length >= 3 && CJK_RUN.test(w)) {
      for (let i = 0; i + 2 <= w.length; i++) {
        const bigram = w.slice(i, i + 2);
        if (!seen.has(bigram) && !STOPWORDS.has(bigram)) {
          seen.add(bigram);
          terms.push(bigram);
        }
      }
    }
  }
  return terms;
}

const CJK_RUN = /^\p{Script=Han}+$/u;

/** A word with its jieba part-of-speech tag ("ns" place, "nr" person, "nt" organisation, "x" unknown…). */
export interface TaggedWord {
  word: string;
  tag: string;
}

/** Cuts normalised text into words with part-of-speech tags (HMM on); punctuation dropped. */
export function tagWords(text: string): TaggedWord[] {
  const normalized = normalizeForMatch(text);
  return wordCutterFor(normalized)
    .tag(normalized, true)
    .filter((t) => !PUNCT.test(t.word));
}

/**
 * Where each word starts in `text` (tagWords drops punctuation, so offsets cannot be summed).
 * A word not found (normalisation changed it) gets the position after the previous one.
 */
export function wordStarts(text: string, words: readonly { word: string }[]): number[] {
  const starts: number[] = [];
  let cursor = 0;
  for (const w of words) {
    const at = text.indexOf(w.word, cursor);
    starts.push(at < 0 ? cursor : at);
    cursor = at < 0 ? cursor : at + w.word.length;
  }
  return starts;
}
