import { pinyin } from "pinyin-pro";
import type { NewsIndex } from "../store/types.js";
import type { Lexicon } from "../text/lexicon.js";

/**
 * Names an English question spells in pinyin ("Yaozhuang", "Dushangang", "Kechuangbao"): a town,
 * a firm or a product of local news that no dictionary glosses. The archive's own words tell the
 * characters: the words of two syllables it holds, read by the common characters of each syllable
 * (lexicon.charsSpelled), and a third syllable's character where the three make one word of it.
 * Hand-written: what is looked up is this archive's vocabulary, which no package holds.
 */

/** Syllables in a name at most (a four-character name is two words). */
const MAX_SYLLABLES = 4;
/** Ways to cut a name into syllables that are tried ("xian": xian, xi-an). */
const MAX_CUTS = 8;
/** The ways to cut a lowercase word into pinyin syllables, fewest syllables first. */
function syllableCuts(word: string, lexicon: Lexicon): string[][] {
  const out: string[][] = [];
  const walk = (from: number, cut: string[]): void => {
    if (out.length >= MAX_CUTS * 4 || cut.length > MAX_SYLLABLES) return;
    if (from === word.length) {
      out.push(cut);
      return;
    }
    for (let to = Math.min(word.length, from + 6); to > from; to--) {
      const syllable = word.slice(from, to);
      if (lexicon.charsSpelled(syllable).length > 0) walk(to, [...cut, syllable]);
    }
  };
  walk(0, []);
  return out.sort((a, b) => a.length - b.length).slice(0, MAX_CUTS);
}

/** Every string of one character per syllable ("yao", "zhuang" → 姚庄, 要装…). */
function spellings(syllables: readonly string[], lexicon: Lexicon): string[] {
  let out = [""];
  for (const s of syllables) {
    const chars = lexicon.charsSpelled(s);
    out = out.flatMap((prefix) => chars.map((c) => prefix + c));
  }
  return out;
}

/**
 * The terms a reading of `word` looks up in the archive: every two-syllable spelling of its
 * syllables taken in pairs. A store that fetches terms from a server (PostgreSQL) fetches these at
 * once, before `archiveSpelling` asks for each.
 */
export function spellingTerms(word: string, lexicon: Lexicon): string[] {
  if (!PINYIN_NAME.test(word)) return [];
  const terms = new Set<string>();
  for (const cut of syllableCuts(word.toLowerCase(), lexicon)) {
    if (cut.length < 2) continue;
    for (let i = 0; i + 1 < cut.length; i++) {
      for (const t of spellings(cut.slice(i, i + 2), lexicon)) terms.add(t);
    }
  }
  return [...terms];
}

/** Pairs of words a four-syllable name may be, checked against the archive's text at most. */
const MAX_JOINED_CHECKED = 8;
/** Passages holding both words that are read to find them side by side. */
const JOINED_HITS = 5;

/** True when a passage of the archive writes `a` and `b` side by side. */
function writtenTogether(index: NewsIndex, a: string, b: string): boolean {
  return index
    .searchLexical([a, b], JOINED_HITS)
    .some((hit) => index.chunkAt(hit.chunkIndex).text.includes(a + b));
}

/** A word as it is read in context, in toneless pinyin ("恒聚" → "hengju"; ü written v). */
function readingOf(word: string): string {
  return pinyin(word, { toneType: "none", type: "array", v: true }).join("");
}

/** A capitalised word of letters only, as English prints a Chinese name in pinyin. */
const PINYIN_NAME = /^[A-Z][a-z]{3,}$/u;

/**
 * The archive's spelling of a name written in pinyin, the commonest where it writes several (a
 * rarer one is mostly a misreading: 摇撞 for "Yaozhuang"): "Yaozhuang" → 姚庄,
 * "Kechuangbao" → 科创保, "Hadayingge" → 哈达英格, "Dushangang" → 独山 (the archive holds no word
 * 独山港, and the last syllable alone could be any of a dozen characters). Undefined for a word
 * that is no pinyin, or whose characters the archive does not write together.
 */
export function archiveSpelling(
  word: string,
  lexicon: Lexicon,
  index: NewsIndex,
): string | undefined {
  if (!PINYIN_NAME.test(word)) return undefined;
  const df = (term: string) => index.documentFrequency(term);
  // A word the dictionary glosses as a common word ("信贷", credit) is written in English by its
  // gloss: a question that spells it in pinyin ("Xindai") means a name (新埭).
  const glossed = (term: string) => lexicon.isCommonWord(term);
  const found = new Map<string, number>();
  for (const cut of syllableCuts(word.toLowerCase(), lexicon)) {
    if (cut.length < 2) continue;
    const pairs = (from: number) =>
      spellings(cut.slice(from, from + 2), lexicon).filter((t) => df(t) > 0);
    if (cut.length === 2 || cut.length === 3) {
      const held = pairs(0);
      // The third syllable joins the first two where the three are one word of the archive.
      const whole =
        cut.length === 3
          ? held.flatMap((t) => lexicon.charsSpelled(cut[2] ?? "").map((c) => t + c))
          : [];
      const words = whole.filter((t) => df(t) > 0 && !glossed(t));
      for (const t of words.length > 0 ? words : held.filter((t) => !glossed(t))) {
        found.set(t, df(t));
      }
    } else {
      // Four syllables: two words of two, where the archive writes them together ("哈达英格",
      // not "哈大英格", whose two words it holds apart); either may be a common word (哈达, a
      // ceremonial scarf).
      const joined = pairs(0)
        .flatMap((a) => pairs(2).map((b) => ({ a, b, df: Math.min(df(a), df(b)) })))
        .sort((x, y) => y.df - x.df)
        .slice(0, MAX_JOINED_CHECKED);
      for (const { a, b, df: n } of joined) {
        if (writtenTogether(index, a, b)) found.set(a + b, n);
      }
    }
    if (found.size > 0) {
      // A word read so only by a rare reading of its characters ("行车" read heng-ju, as 道行
      // reads 行) is another word: the archive's words read as the name is spelled are the name.
      const spelledSo = [...found.keys()].filter((t) => readingOf(t) === cut.join(""));
      if (spelledSo.length > 0) {
        for (const t of found.keys()) if (!spelledSo.includes(t)) found.delete(t);
      }
      break;
    }
  }
  return [...found].sort((a, b) => b[1] - a[1])[0]?.[0];
}
