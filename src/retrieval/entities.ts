import { tagWords, type TaggedWord, wordStarts } from "../text/words.js";
import { normalizeForMatch } from "../text/normalize.js";

/** What a recognised name denotes. */
export type EntityKind = "organization" | "place" | "person";

/** A name found in a text, with its span in the normalised text. */
export interface Entity {
  text: string;
  kind: EntityKind;
  start: number;
  end: number;
  /** The words of the name, as jieba cut them. */
  words: string[];
}

/**
 * Words that end an organisation's name. Checked on the last word of a run, which jieba often
 * cuts with the suffix attached ("景兴纸业 股份 有限公司", "华东师大 附属 平湖 学校").
 */
const ORGANIZATION_SUFFIX =
  /(公司|集团|银行|农商行|学校|小学|中学|大学|学院|医院|卫生院|协会|商会|学会|联合会|委员会|研究院|研究所|研究中心|服务中心|中心|法院|检察院|政协|人大|政府|党委|局|厅|办公室|合作社|基金会|俱乐部|酒店|超市|市场|工厂|厂)$/u;
/** Words that end a place's name ("新仓镇", "独山港", "当湖街道", "东湖"). */
const PLACE_SUFFIX = /(省|市|县|区|镇|乡|村|街道|社区|开发区|园区|新区|港|湖|岛|山|江|河)$/u;
/** Place words that are only a suffix, never a name by themselves. */
const BARE_SUFFIX =
  /^(省|市|县|区|镇|乡|村|街道|社区|港|湖|岛|山|江|河|公司|集团|银行|学校|大学|学院|医院|中心|局|厅|厂|市场|政府|基地)$/u;
/**
 * Places of the local papers that jieba tags as people's names ("嘉善/nr", "嘉兴/nr"): part of
 * the curated dictionary of local names.
 */
const LOCAL_PLACES: ReadonlySet<string> = new Set([
  "嘉兴",
  "嘉善",
  "平湖",
  "海盐",
  "海宁",
  "桐乡",
  "南湖",
  "秀洲",
  "独山港",
  "姚庄",
  "西塘",
  "乍浦",
  "新埭",
  "新仓",
  "当湖",
  "钟埭",
  "曹桥",
  "广陈",
  "林埭",
  "长三角",
]);
/** jieba's tags of a person's name. */
export const PERSON_TAGS: ReadonlySet<string> = new Set(["nr", "nrfg", "nrt"]);
/** Tags of words that may stand inside a name: nouns, names, abbreviations, numbers, letters. */
const NAME_PART_TAGS = /^(n|nr|nrfg|nrt|ns|nt|nz|j|x|eng|b|m|vn|an|l)$/u;
/** Tags that can open a name: a proper noun, a place, an unknown word, letters. */
const NAME_HEAD_TAGS = /^(nr|nrfg|nrt|ns|nt|nz|j|x|eng)$/u;
const HAN = /\p{Script=Han}/u;
/**
 * Words that modify a common noun and never a proper name: "什么东西", "哪一个城市". jieba's
 * dictionary tags a few everyday nouns as places (东西/ns, 城市/ns); after one of these they are
 * nouns, and often what the question asks.
 */
const DETERMINER_BEFORE =
  /(?:什么|甚么|啥|哪一?个|哪一|哪些|哪种|哪样|哪座|哪间|哪所|何|这个|那个|这些|那些|这种|那种|这样|那样|一些|一种)\s*$/u;

/**
 * True when the word at `start` of the normalised `text` follows a determiner ("什么", "这些"),
 * so that it is a common noun whatever jieba's tag says.
 */
export function followsDeterminer(text: string, start: number): boolean {
  return DETERMINER_BEFORE.test(text.slice(Math.max(0, start - 4), start));
}

/** Names made of more words than this are a phrase, not a name. */
const MAX_NAME_WORDS = 6;

/** The kind of one tagged word taken alone, or undefined when it is no name. */
function kindOfWord(word: TaggedWord, next: TaggedWord | undefined): EntityKind | undefined {
  const { word: w, tag } = word;
  if (HAN.test(w) && w.length < 2) return undefined;
  if (BARE_SUFFIX.test(w)) return undefined;
  if (LOCAL_PLACES.has(w) || tag === "ns") return "place";
  if (PERSON_TAGS.has(tag)) {
    // "嘉善县", "平湖市": jieba takes many place names for people's names.
    return next && PLACE_SUFFIX.test(next.word) && next.word.length === 1 ? "place" : "person";
  }
  if (tag === "nt") return "organization";
  return undefined;
}

/**
 * Finds the names in a text: organisations (a run of name words ending in 公司, 集团, 银行,
 * 学校, 医院, 局…, opened by a proper noun or unknown word: "御辰东公司", "华东师大附属平湖学校"),
 * places (jieba's place tags, the local places jieba mistakes for people, 镇/县/街道… names) and
 * people (jieba's person tags). Spans index the normalised text. `tagged`: the text's words as
 * `tagWords` gives them, when the caller has them already. Never throws.
 */
export function recognizeEntities(input: string, tagged?: readonly TaggedWord[]): Entity[] {
  const text = normalizeForMatch(input);
  const words = tagged ?? tagWords(text);
  const starts = wordStarts(text, words);
  const entities: Entity[] = [];
  let i = 0;
  while (i < words.length) {
    // The longest run of name words from here that ends in an organisation suffix.
    let orgEnd = -1;
    const head = words[i];
    if (head && NAME_HEAD_TAGS.test(head.tag) && !BARE_SUFFIX.test(head.word)) {
      for (let j = i; j < words.length && j < i + MAX_NAME_WORDS; j++) {
        const w = words[j];
        if (!w || !NAME_PART_TAGS.test(w.tag)) break;
        // Words must touch: "昊柏 那家 … 公司" is no name.
        if (j > i && starts[j] !== (starts[j - 1] ?? 0) + (words[j - 1]?.word.length ?? 0)) break;
        if (j > i && ORGANIZATION_SUFFIX.test(w.word)) orgEnd = j;
      }
    }
    if (orgEnd > i) {
      const start = starts[i] ?? 0;
      const last = words[orgEnd] as TaggedWord;
      const end = (starts[orgEnd] ?? 0) + last.word.length;
      entities.push({
        text: text.slice(start, end),
        kind: "organization",
        start,
        end,
        words: words.slice(i, orgEnd + 1).map((w) => w.word),
      });
      i = orgEnd + 1;
      continue;
    }
    const word = words[i] as TaggedWord;
    const next = words[i + 1];
    const kind = kindOfWord(word, next);
    const determined =
      kind === "place" && !LOCAL_PLACES.has(word.word) && followsDeterminer(text, starts[i] ?? 0);
    if (kind && !determined) {
      const start = starts[i] ?? 0;
      // "嘉善县", "新仓镇": the one-character suffix belongs to the place.
      const withSuffix =
        kind === "place" &&
        next !== undefined &&
        next.word.length === 1 &&
        PLACE_SUFFIX.test(next.word) &&
        starts[i + 1] === start + word.word.length;
      const end = start + word.word.length + (withSuffix ? 1 : 0);
      entities.push({
        text: text.slice(start, end),
        kind,
        start,
        end,
        words: withSuffix && next ? [word.word, next.word] : [word.word],
      });
      i += withSuffix ? 2 : 1;
      continue;
    }
    i++;
  }
  return entities;
}
