/**
 * The sentence pool a generated corpus is built from: real sentences of the shared material
 * (sample editions, news distractors, benchmark paragraphs), each turned once into a template
 * whose person names, local places and numbers are slots to vary. Templating happens at load
 * time so that generating 150,000 articles only concatenates strings.
 */
import fs from "node:fs";
import path from "node:path";
import { Jieba } from "@node-rs/jieba";
import { dict } from "@node-rs/jieba/dict.js";
import { isHeadingLike } from "../ingest/heading.js";
import { UNKNOWN_META } from "../ingest/metadata.js";
import { parseEdition } from "../ingest/parse-edition.js";
import { splitSentences } from "../text/sentences.js";

/** A part of a sentence that the generator fills in anew for every article. */
export type Slot =
  | { kind: "person"; original: string }
  | { kind: "place"; original: string; level: "county" | "town" | "village" }
  | { kind: "number"; digits: number; decimals: number; unit: NumberUnit };

/** What a number counts, as far as the character after it tells. */
export type NumberUnit = "year" | "month" | "day" | "hour" | "minute" | "plain";

/** A sentence as literals around slots: `literals.length === slots.length + 1`. */
export interface SentenceTemplate {
  literals: string[];
  slots: Slot[];
}

/** Templates by source document (bodies are runs of one document's sentences) plus headlines. */
export interface SentencePool {
  documents: SentenceTemplate[][];
  /** Titles of the source texts. */
  headlines: SentenceTemplate[];
  /** Everyday county-paper headlines (meetings, projects, festivals). */
  localHeadlines: SentenceTemplate[];
}

/** One source text: a title (headline candidate) and its paragraphs. */
export interface PoolSource {
  title?: string;
  paragraphs: string[];
}

/** Files under the shared folder that feed the pool, in a fixed order. */
const JSONL_SOURCES = [
  "bench/news-distractors/articles.jsonl",
  "bench/cmrc2018-dev/articles.jsonl",
  "bench/xquad-zh/articles.jsonl",
] as const;

/** Benchmark titles are encyclopedia entries, not headlines. */
const TITLES_FROM = new Set(["bench/news-distractors/articles.jsonl"]);

const MIN_SENTENCE_CHARS = 12;
const MAX_SENTENCE_CHARS = 110;
const MIN_HEADLINE_CHARS = 6;
const MAX_HEADLINE_CHARS = 28;

/**
 * Text the parser treats as layout rather than body (ads, weather boxes, column labels, credits,
 * continuation notes) or markup left in the sources: a sentence holding any of it is not used, so
 * that generated bodies parse as the articles they were generated as.
 */
const UNUSABLE =
  /[■□◆【】#*|{}<>\n\r\t]|本报讯|气温|地址|电话|热线|联系人|网址|微信|[上下][转接]|记者|通讯员|评论员|摄影|http|www|-{2,}|={2,}/u;

/** Common surnames: a jieba "nr" word starting with one of these is taken as a person's name. */
export const SURNAMES = Array.from(
  "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤",
);
const SURNAME_SET = new Set(SURNAMES);

/** Places of the sample papers' region: replaced by the generated paper's own county. */
const LOCAL_COUNTIES = /^(?:嘉兴|平湖|嘉善|海宁|海盐|桐乡|南湖|秀洲)(?:市|县|区)?$/u;

/**
 * Builds the pool from source texts: splits paragraphs into sentences, keeps the usable ones and
 * templates them with jieba's part-of-speech tags. Deterministic for the same sources; never
 * throws for odd text (unusable sentences are dropped).
 */
export function buildSentencePool(sources: readonly PoolSource[]): SentencePool {
  const jieba = Jieba.withDict(dict);
  const documents: SentenceTemplate[][] = [];
  const headlines: SentenceTemplate[] = [];
  for (const source of sources) {
    const templates: SentenceTemplate[] = [];
    for (const paragraph of source.paragraphs) {
      for (const raw of splitSentences(paragraph.replace(/\*\*/gu, ""))) {
        const sentence = raw.trim();
        if (isUsableSentence(sentence)) templates.push(templateOf(jieba, sentence));
      }
    }
    if (templates.length >= 3) documents.push(templates);
    const title = source.title?.trim();
    if (title !== undefined && isUsableHeadline(title)) headlines.push(templateOf(jieba, title));
  }
  return { documents, headlines, localHeadlines: localHeadlineTemplates() };
}

/**
 * Reads the shared material under `sharedDir` (sample editions and the benchmark article
 * exports) into a pool. Throws an Error naming the missing path and the fix when the shared
 * folder or one of its files is missing.
 */
export function loadSentencePool(sharedDir: string): SentencePool {
  const editionsDir = path.join(sharedDir, "editions");
  const missing = [editionsDir, ...JSONL_SOURCES.map((f) => path.join(sharedDir, f))].filter(
    (p) => !fs.existsSync(p),
  );
  if (missing.length > 0) {
    throw new Error(
      `The corpus generator needs the shared material, but ${missing.join(", ")} is missing. ` +
        "Clone the project beside ../shared, or point --shared (or SHARED_DIR) at it.",
    );
  }
  const sources: PoolSource[] = [];
  const editionFiles = fs
    .readdirSync(editionsDir)
    .filter((f) => f.endsWith(".txt"))
    .sort();
  for (const file of editionFiles) {
    const text = fs.readFileSync(path.join(editionsDir, file), "utf8");
    for (const article of parseEdition(text, UNKNOWN_META, file)) {
      sources.push({ title: article.headline, paragraphs: article.paragraphs });
    }
  }
  for (const file of JSONL_SOURCES) {
    const lines = fs.readFileSync(path.join(sharedDir, file), "utf8").split("\n");
    for (const line of lines) {
      if (line.trim() === "") continue;
      const record = JSON.parse(line) as { title?: unknown; text?: unknown };
      if (typeof record.text !== "string") continue;
      const source: PoolSource = { paragraphs: record.text.split(/\n+/u) };
      if (TITLES_FROM.has(file) && typeof record.title === "string") source.title = record.title;
      sources.push(source);
    }
  }
  const pool = buildSentencePool(sources);
  if (pool.documents.length === 0 || pool.headlines.length === 0) {
    throw new Error(
      `No usable sentences or headlines found under ${sharedDir}; check that the shared material is intact.`,
    );
  }
  return pool;
}

/** True for a sentence that reads as news body text and cannot be mistaken for layout. */
function isUsableSentence(sentence: string): boolean {
  const chars = Array.from(sentence);
  if (chars.length < MIN_SENTENCE_CHARS || chars.length > MAX_SENTENCE_CHARS) return false;
  if (UNUSABLE.test(sentence)) return false;
  if (!/[。！？]["”’」』)）]*$/u.test(sentence)) return false;
  if (/^[，,。、；;：:！？!?）)》」』”’]/u.test(sentence)) return false;
  const han = chars.filter((c) => /\p{Script=Han}/u.test(c)).length;
  return han / chars.length >= 0.6 && balanced(sentence);
}

/** True for a title that every layout parses as a headline (no commas, no sentence end). */
function isUsableHeadline(title: string): boolean {
  const length = Array.from(title).length;
  if (length < MIN_HEADLINE_CHARS || length > MAX_HEADLINE_CHARS) return false;
  if (UNUSABLE.test(title) || /\s|[:：]/u.test(title)) return false;
  return isHeadingLike(title, true) && /^\p{Script=Han}/u.test(title);
}

function balanced(text: string): boolean {
  const pairs: [string, string][] = [
    ["“", "”"],
    ["《", "》"],
    ["（", "）"],
    ["(", ")"],
    ["「", "」"],
  ];
  return pairs.every(([open, close]) => text.split(open).length === text.split(close).length);
}

/**
 * Headlines of the kind a county paper prints every day, with "{town}", "{village}", "{county}",
 * "{person}" and "{n}" slots: the benchmark titles alone are mostly accidents and disasters.
 */
const LOCAL_HEADLINES = [
  "{county}{n}个重点项目集中开工",
  "{town}举办第{n}届农民丰收节",
  "{person}在{town}调研时强调 抓项目促发展",
  "{town}{village}建成共富工坊",
  "{county}召开经济工作会议",
  "{county}新增{n}家规上工业企业",
  "{town}开展防汛防台应急演练",
  "{county}第{n}期创新学堂举行",
  "{village}美丽乡村建设见成效",
  "{town}{n}个项目现场签约",
  "{county}启动全民健身月活动",
  "{town}文化礼堂迎来新春联欢",
  "{person}带队检查安全生产工作",
  "{county}医共体改革再提速",
  "{town}老旧小区改造惠及{n}户居民",
  "{county}人大常委会举行第{n}次会议",
  "{village}村民喜领分红",
  "{town}打造精品农业示范区",
  "{county}中小学开学第一课",
  "{county}外贸出口同比增长{n}%",
  "{town}垃圾分类实现全覆盖",
  "{person}会见长三角客商代表团",
  "{county}举行退役军人就业招聘会",
  "{town}消防站正式投用",
];

/** The local headline templates as slotted templates; never throws. */
export function localHeadlineTemplates(): SentenceTemplate[] {
  return LOCAL_HEADLINES.map((text) => {
    const literals: string[] = [""];
    const slots: Slot[] = [];
    for (const part of text.split(/(\{[a-z]+\})/u)) {
      const slot = namedSlot(part);
      if (slot) {
        slots.push(slot);
        literals.push("");
      } else literals[literals.length - 1] += part;
    }
    return { literals, slots };
  });
}

function namedSlot(part: string): Slot | undefined {
  switch (part) {
    case "{town}":
      return { kind: "place", original: "town", level: "town" };
    case "{village}":
      return { kind: "place", original: "village", level: "village" };
    case "{county}":
      // A suffixed original gets the suffixed county ("澄湖市").
      return { kind: "place", original: "县", level: "county" };
    case "{person}":
      return { kind: "person", original: "person" };
    case "{n}":
      return { kind: "number", digits: 2, decimals: 0, unit: "plain" };
    default:
      return undefined;
  }
}

/** Turns a sentence into literals and slots (names, local places, numbers). */
function templateOf(jieba: Jieba, sentence: string): SentenceTemplate {
  const words: SentenceTemplate = { literals: [""], slots: [] };
  for (const { word, tag } of jieba.tag(sentence, true)) {
    const slot = wordSlot(word, tag);
    if (slot) {
      words.slots.push(slot);
      words.literals.push("");
    } else words.literals[words.literals.length - 1] += word;
  }
  // Numbers are found in the joined literals: jieba splits "3.5" and "2023年" unevenly.
  const literals: string[] = [""];
  const slots: Slot[] = [];
  for (const [i, text] of words.literals.entries()) {
    const re = /\d+(?:\.\d+)?/gu;
    let last = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      literals[literals.length - 1] += text.slice(last, m.index);
      last = m.index + m[0].length;
      const [int = "", frac] = m[0].split(".");
      const after = text[last] ?? "";
      const before = text[m.index - 1] ?? "";
      // Digits glued to Latin letters are model numbers ("L3", "A股"): leave them.
      if (/[A-Za-z]/u.test(before) || /[A-Za-z]/u.test(after)) {
        literals[literals.length - 1] += m[0];
        continue;
      }
      slots.push({
        kind: "number",
        digits: int.length,
        decimals: frac?.length ?? 0,
        unit: numberUnit(int, before, after),
      });
      literals.push("");
    }
    literals[literals.length - 1] += text.slice(last);
    const slot = words.slots[i];
    if (slot) {
      slots.push(slot);
      literals.push("");
    }
  }
  return { literals, slots };
}

function wordSlot(word: string, tag: string): Slot | undefined {
  if (
    tag.startsWith("nr") &&
    /^\p{Script=Han}{2,3}$/u.test(word) &&
    SURNAME_SET.has(word[0] ?? "")
  ) {
    return { kind: "person", original: word };
  }
  if (LOCAL_COUNTIES.test(word)) return { kind: "place", original: word, level: "county" };
  if (tag === "ns" && /^\p{Script=Han}{1,4}(?:镇|乡|街道)$/u.test(word)) {
    return { kind: "place", original: word, level: "town" };
  }
  if (tag === "ns" && /^\p{Script=Han}{1,4}村$/u.test(word)) {
    return { kind: "place", original: word, level: "village" };
  }
  return undefined;
}

function numberUnit(int: string, before: string, after: string): NumberUnit {
  if (after === "年" && int.length === 4) return "year";
  if ((after === "时" || after === "点" || after === ":" || after === "：") && int.length <= 2) {
    return "hour";
  }
  if ((after === "分" || before === ":" || before === "：") && int.length <= 2) return "minute";
  if (after === "月" && int.length <= 2) return "month";
  if ((after === "日" || after === "号") && int.length <= 2) return "day";
  return "plain";
}
