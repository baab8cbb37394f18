import type { NewsIndex } from "../store/types.js";
import { normalizeForMatch } from "../text/normalize.js";
import { STOPWORDS, tagWords, wordStarts } from "../text/words.js";
import { LruMap } from "../lru.js";

/**
 * Names the archive spells in several ways, learnt from the articles themselves: a company's
 * registered name and its short forms (浙江百康光学股份有限公司 → 百康光学 → 百康), and the
 * abbreviations an article defines ("长三角(嘉善)金融创新中心(以下简称“金融中心”)").
 */
export interface CorpusAliasIndex {
  /** Every group one of whose spellings occurs in `text` (normalised), the spelling found first. */
  find(text: string): string[][];
}

/** Legal-form suffixes of a registered company name, longest first. */
const LEGAL_SUFFIX =
  /(股份有限公司|有限责任公司|集团有限公司|集团股份有限公司|有限公司|集团公司)$/u;
/** The name characters (Han, Latin, digits, parentheses) that end a text: a name before its suffix. */
const NAME_RUN = /[\p{Script=Han}A-Za-z0-9()（）]{2,22}$/u;
/** "X(以下简称“Y”)", "X(简称Y)": an abbreviation the article defines. */
const DEFINED =
  /([\p{Script=Han}A-Za-z0-9()（）·]{3,24})[(（](?:以下)?(?:简称|下称)[“"‘「]?([\p{Script=Han}A-Za-z0-9]{2,10})[”"’」]?[)）]/gu;
/**
 * Tags of the words that end the text before a name (verbs, prepositions, particles, pronouns,
 * adverbs, conjunctions: "在浙江…", "走访了…", "据悉该公司拟邀请…"): a name starts after the last.
 */
const BEFORE_NAME_TAG = /^(v|vd|vg|p|u|uj|ul|uz|ug|uv|ud|r|d|c|y|e|o|ad|q|zg|df|t)$/u;
/** Tags of words that may be cut from the front of a name: places and province-like prefixes. */
const PLACE_TAG = "ns";
/** The trade a company names after its brand (纸业, 光学, 新材料): cut to reach the brand. */
const TRADE_TAGS = /^(n|nz|vn|an|a|b|l)$/u;
/** Tags of ordinary words: a short form made only of them would match unrelated text. */
const GENERIC_TAG = /^(n|vn|v|a|an|ad|d|m|mq|q|b|l|f|s|t|r|p|c|j|u\w*)$/u;
const MIN_CORE_CHARS = 2;
/** Registered names kept at most, so a huge archive cannot blow up memory. */
const MAX_NAMES = 200_000;

/** Where a registered name starts inside a run of name characters: after its last non-name word. */
function trimLeft(run: string, suffixLength: number): string {
  const head = run.slice(0, run.length - suffixLength);
  const words = tagWords(head);
  // Offsets of the words in `head` (tagWords drops punctuation such as the parentheses).
  const starts = wordStarts(head, words);
  let start = words.length;
  while (start > 0) {
    const previous = words[start - 1];
    if (!previous || BEFORE_NAME_TAG.test(previous.tag)) break;
    start--;
    // A place opens a registered name ("浙江…", "北京…"): whatever stands before it is not part.
    // A place in parentheses ("凯鑫森(浙江)新材料") is inside the name.
    const opens = /[(（]$/u.test(head.slice(0, starts[start] ?? 0));
    if (previous.tag === PLACE_TAG && words[start - 1]?.tag !== PLACE_TAG && !opens) break;
  }
  const from = start < words.length ? (starts[start] ?? 0) : head.length;
  return run.slice(from).replace(/^[()（）]+/u, "");
}

/** True when a word is an ordinary word of the language rather than a brand ("网络", "房地产", "卫星"). */
function isCommonWord(text: string): boolean {
  const words = tagWords(text);
  return words.every((w) => GENERIC_TAG.test(w.tag));
}

/**
 * The short forms of a registered company name: without the legal suffix, without a leading
 * place or a place in parentheses, and without the trade ("浙江百康光学股份有限公司" -> 浙江百康光学,
 * 百康光学, 百康). Forms shorter than two characters are dropped.
 */
export function companyShortForms(name: string): string[] {
  const forms = new Set<string>([name]);
  const bare = name.replace(LEGAL_SUFFIX, "");
  if (bare === name || bare.length < MIN_CORE_CHARS) return [name];
  forms.add(bare);
  // "凯鑫森(浙江)新材料产业": the place in parentheses goes.
  let core = bare.replace(/[(（][^)）]*[)）]/gu, "");
  forms.add(core);
  const words = tagWords(core);
  // One leading place goes ("浙江天极…" -> 天极…; 天极 is tagged as a place too, so only one).
  if (words.length > 1 && words[0]?.tag === PLACE_TAG) {
    core = core.slice(words[0].word.length);
    words.shift();
  }
  if (isCommonWord(core)) return [name];
  forms.add(core);
  // The brand is what is left once trailing trade words go ("百康光学" -> 百康), when the brand
  // itself is at least two characters (else "新光学" would become "新").
  while (words.length > 1) {
    const last = words[words.length - 1];
    if (!last || !TRADE_TAGS.test(last.tag)) break;
    const shorter = core.slice(0, core.length - last.word.length);
    if (shorter.length < MIN_CORE_CHARS || isCommonWord(shorter)) break;
    core = shorter;
    words.pop();
    forms.add(core);
  }
  return [...forms].filter((f) => f.length >= MIN_CORE_CHARS).sort((a, b) => b.length - a.length);
}

/** An alias index built from given texts, with its groups. */
export interface BuiltAliases extends CorpusAliasIndex {
  /** Alias groups: each is the spellings of one name, longest first. */
  readonly groups: readonly (readonly string[])[];
}

/** Builds the alias index of some texts (see CorpusAliasIndex). Never throws. */
export function buildCorpusAliases(texts: Iterable<string>): BuiltAliases {
  const names = new Set<string>();
  const defined = new Map<string, Set<string>>();
  // A company is named again and again: each distinct run is cut into words once.
  const seenRuns = new Set<string>();
  for (const raw of texts) {
    if (names.size >= MAX_NAMES) break;
    // Most paragraphs name no company and define nothing: they are skipped unread.
    const company = raw.includes("公司");
    const defines = raw.includes("简称") || raw.includes("下称");
    if (!company && !defines) continue;
    if (company) {
      // Found by the suffix and read backwards: a forward regex would try every character.
      for (let at = raw.indexOf("公司"); at >= 0; at = raw.indexOf("公司", at + 2)) {
        const run = NAME_RUN.exec(raw.slice(Math.max(0, at - 22), at + 2))?.[0];
        if (run === undefined || seenRuns.has(run)) continue;
        seenRuns.add(run);
        const normalized = normalizeForMatch(run);
        const suffix = LEGAL_SUFFIX.exec(normalized)?.[0];
        if (suffix === undefined) continue;
        const name = trimLeft(normalized, suffix.length);
        if (name.length >= suffix.length + MIN_CORE_CHARS) names.add(name);
      }
    }
    if (defines) {
      for (const m of normalizeForMatch(raw).replace(/\s+/gu, "").matchAll(DEFINED)) {
        // The defined name runs back to the punctuation before it, less a leading preposition.
        const full = (m[1] ?? "").replace(/^[在由与和对将从向据]/u, "");
        const short = m[2] ?? "";
        if (full.length > short.length && short.length >= MIN_CORE_CHARS) {
          const set = defined.get(full) ?? new Set<string>();
          set.add(short);
          defined.set(full, set);
        }
      }
    }
  }
  // Groups are merged through shared spellings: two registered names with one brand ("浙江百康
  // 光学股份有限公司", "百康光学(平湖)有限公司") are one company to a reader.
  const groupOf = new Map<string, Set<string>>();
  const join = (spellings: Iterable<string>): void => {
    const merged = new Set<string>();
    for (const s of spellings) {
      for (const x of groupOf.get(s) ?? [s]) merged.add(x);
    }
    for (const s of merged) groupOf.set(s, merged);
  };
  for (const name of names) join(companyShortForms(name));
  for (const [full, shorts] of defined) join([full, ...shorts]);
  const groups = [...new Set(groupOf.values())]
    .filter((g) => g.size > 1)
    .map((g) => [...g].sort((a, b) => b.length - a.length));

  return buildGroupsMatcher(groups);
}

const LATIN_OR_DIGIT = /[A-Za-z0-9]/u;

/** An alias index over given groups, matching texts position by position, longest spelling first. */
function buildGroupsMatcher(groups: readonly (readonly string[])[]): BuiltAliases {
  const byPrefix = new Map<string, { spelling: string; group: number }[]>();
  groups.forEach((group, i) => {
    for (const spelling of group) {
      const key = spelling.slice(0, 2);
      const list = byPrefix.get(key) ?? [];
      list.push({ spelling, group: i });
      byPrefix.set(key, list);
    }
  });
  for (const list of byPrefix.values()) list.sort((a, b) => b.spelling.length - a.spelling.length);
  return {
    groups,
    find(input) {
      const spaced = normalizeForMatch(input);
      const text = spaced.replace(/\s+/gu, "");
      // Where a word of Latin letters or digits may start or end: "AI" is no name inside
      // "Kitadaito", though it is in "AI芯片".
      const latinJoin: boolean[] = [];
      for (let i = 0, j = 0; i < spaced.length; i++) {
        if (/\s/u.test(spaced[i] ?? "")) continue;
        latinJoin[j] =
          j > 0 &&
          LATIN_OR_DIGIT.test(text[j - 1] ?? "") &&
          LATIN_OR_DIGIT.test(spaced[i] ?? "") &&
          !/\s/u.test(spaced[i - 1] ?? "");
        j++;
      }
      const bounded = (spelling: string, at: number): boolean =>
        !latinJoin[at] && !latinJoin[at + spelling.length];
      const found: string[][] = [];
      const seen = new Set<number>();
      for (let at = 0; at + MIN_CORE_CHARS <= text.length;) {
        const hit = byPrefix
          .get(text.slice(at, at + 2))
          ?.find((c) => text.startsWith(c.spelling, at) && bounded(c.spelling, at));
        if (!hit) {
          at++;
          continue;
        }
        if (!seen.has(hit.group)) {
          seen.add(hit.group);
          const group = groups[hit.group] ?? [];
          found.push([hit.spelling, ...group.filter((s) => s !== hit.spelling)]);
        }
        at += hit.spelling.length;
      }
      return found;
    },
  };
}

/** Chunks read per question word to learn its spellings: enough to meet the registered name. */
const CHUNKS_PER_WORD = 12;
/** Question words whose spellings are kept per snapshot. */
const MAX_CACHED_WORDS = 500;
/** Tags of question words that may be a company's short name: unknown words, names, nouns. */
const CANDIDATE_TAG = /^(x|nz|nt|nr|nrt|nrfg|ns|j|eng|n|vn)$/u;

interface SnapshotAliases {
  index: CorpusAliasIndex;
  words: LruMap<string, readonly (readonly string[])[]>;
}

const snapshots = new WeakMap<NewsIndex, SnapshotAliases>();

/**
 * The archive's alias index for an opened snapshot, learnt from the postings rather than by
 * reading every article (which would not scale): for each name-like word of a question it reads
 * the few chunks that hold the word and keeps the registered names and defined abbreviations
 * they spell it in ("景兴" -> 浙江景兴纸业股份有限公司, 景兴纸业). Learnt spellings are cached per
 * word and snapshot (a reloaded snapshot learns afresh). Never throws.
 */
export function corpusAliases(index: NewsIndex): CorpusAliasIndex {
  let snapshot = snapshots.get(index);
  if (!snapshot) {
    const words = new LruMap<string, readonly (readonly string[])[]>(MAX_CACHED_WORDS);
    const spellingsOf = (word: string): readonly (readonly string[])[] => {
      const cached = words.get(word);
      if (cached) return cached;
      const texts = index
        .searchLexical([word], CHUNKS_PER_WORD)
        .map((hit) => index.chunkAt(hit.chunkIndex).text);
      const learnt = buildCorpusAliases(texts).groups.filter((g) =>
        g.some((spelling) => spelling.includes(word)),
      );
      words.set(word, learnt);
      return learnt;
    };
    snapshot = {
      words,
      index: {
        find(input) {
          const text = normalizeForMatch(input).replace(/\s+/gu, "");
          const candidates = tagWords(text).filter(
            (w) =>
              w.word.length >= MIN_CORE_CHARS &&
              CANDIDATE_TAG.test(w.tag) &&
              !STOPWORDS.has(w.word) &&
              !isCommonWord(w.word),
          );
          const groups = new Map<string, readonly string[]>();
          for (const { word } of candidates) {
            for (const g of spellingsOf(word)) groups.set(g[0] ?? "", g);
          }
          return buildGroupsMatcher([...groups.values()]).find(text);
        },
      },
    };
    snapshots.set(index, snapshot);
  }
  return snapshot.index;
}

const articleAliasCache = new WeakMap<NewsIndex, LruMap<string, CorpusAliasIndex>>();
const MAX_CACHED_ARTICLES = 125;

/**
 * The registered names and abbreviations one article spells out, cached per snapshot: a
 * sentence that says "天极集成电路" names a company that its article calls 浙江天极集成电路技术
 * 有限公司. Never throws.
 */
export function articleAliases(index: NewsIndex, articleId: string): CorpusAliasIndex {
  let cache = articleAliasCache.get(index);
  if (!cache) {
    cache = new LruMap(MAX_CACHED_ARTICLES);
    articleAliasCache.set(index, cache);
  }
  let aliases = cache.get(articleId);
  if (!aliases) {
    const article = index.getArticle(articleId);
    aliases = buildCorpusAliases(
      article
        ? [article.headline, ...article.paragraphs]
        : index.chunksOfArticle(articleId).map((c) => c.text),
    );
    cache.set(articleId, aliases);
  }
  return aliases;
}
