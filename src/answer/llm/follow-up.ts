import { segmentWords, STOPWORDS } from "../../text/segment.js";
import { toHalfWidth, toSimplified } from "../../text/normalize.js";
import { ASKS } from "../../retrieval/question-words.js";
import type { ConversationTurn } from "./memory.js";

/**
 * Place names of the Jiaxing area that a follow-up such as "那平湖呢?" may switch to. Other places
 * are recognised by their suffix (市, 县, 区, 镇, …).
 */
const LOCAL_PLACES: readonly string[] = [
  "嘉兴",
  "南湖",
  "秀洲",
  "嘉善",
  "平湖",
  "海盐",
  "海宁",
  "桐乡",
  "独山港",
  "乍浦",
  "当湖",
  "钟埭",
  "新埭",
  "新仓",
  "广陈",
  "林埭",
  "曹桥",
  "黄姑",
  "全塘",
  "西塘",
  "姚庄",
  "大云",
  "魏塘",
  "罗星",
  "惠民",
  "干窑",
  "天凝",
  "陶庄",
  "濮院",
  "乌镇",
  "盐官",
  "许村",
  "长安",
  "武原",
  "澉浦",
  "王江泾",
  "新塍",
  "油车港",
  "凤桥",
  "余新",
  "七星",
  "杭州",
  "上海",
  "宁波",
  "苏州",
  "湖州",
  "绍兴",
  "浙江",
  "长三角",
].sort((a, b) => b.length - a.length);

const PLACE_SUFFIX = /^[\p{Script=Han}]{1,8}(省|市|县|区|镇|乡|村|街道|社区|开发区|新区|港区)$/u;
const ORG_SUFFIX =
  /(公司|集团|企业|银行|商行|农商行|中心|基地|园区|产业园|学校|学院|大学|中学|小学|幼儿园|医院|项目|工程|协会|研究院|研究所|实验室|工作站|馆|厂|局|委员会|基金|平台)$/u;
const TIME =
  /(\d{4}|[二〇零一两三四五六七八九]{4})年|去年|今年|前年|明年|上半年|下半年|[一二三四1-4]季度|\d{1,2}月份?|[一二三四五六七八九十]{1,2}月份?|春节|国庆|五一|元旦/u;
const TIME_ONLY = new RegExp(`^(${TIME.source})+的?$`, "u");

/** "还有呢?", "还有吗", "其他的呢": the user wants more on the same question. */
const MORE =
  /^(那)?(还有|其他|其它|别的|另外|更多)(的|呢|吗|么|没有|别的|其他的|其它的|什么|哪些)*$/u;
/** "那平湖呢?", "那平湖多少?", "平湖呢": a new subject for the previous question. */
const THAT_ONE = /^(?:那么?|那个|那在|那对于|换成|如果是)(.+)$|^(.+?)呢$/u;
const TRAILING_QUESTION =
  /(的)?(呢|怎么样|如何|又如何|多少|有多少|是多少|又是多少|几个|多大|有多大|怎么说|情况|的情况|吗)+$/u;
/** Pronouns and demonstratives that point back to something named before. */
const PRONOUN =
  /(它们|它|他们|她们|他|她|(?:这|那|该|此)(?:家|所|个|项|位|座|笔)?(?:公司|企业|项目|学校|大学|单位|银行|医院|基地|中心|工程|活动|基金|政策|园区|机构)|(?:这|那)(?:家|所|项|位|座|笔)|该)/u;
/** A short question can lean on the previous one; a long one stands alone. */
const MAX_FOLLOW_UP_CHARS = 24;

/** The question in the form the rules compare: simplified, half-width, trimmed, final ?!。 dropped. */
function bare(question: string): string {
  return toHalfWidth(toSimplified(question))
    .trim()
    .replace(/[\s?!。.,，、~]+$/u, "")
    .trim();
}

/** True when the text names a place: a local place name or a word with a place suffix. */
function isPlace(text: string): boolean {
  return LOCAL_PLACES.includes(text) || PLACE_SUFFIX.test(text);
}

/** The first place named in the text, as written there. */
function findPlace(text: string): string | undefined {
  let best: { at: number; name: string } | undefined;
  for (const name of LOCAL_PLACES) {
    const at = text.indexOf(name);
    if (at >= 0 && (!best || at < best.at)) best = { at, name };
  }
  for (const word of segmentWords(text)) {
    if (PLACE_SUFFIX.test(word) && !LOCAL_PLACES.includes(word)) {
      const at = text.indexOf(word);
      if (at >= 0 && (!best || at < best.at)) best = { at, name: word };
    }
  }
  return best?.name;
}

/**
 * The first organisation or project named in the text: a word with an organisation suffix plus
 * the content words right before it ("嘉善" + "农" + "商行" -> "嘉善农商行").
 */
function findOrganisation(text: string): string | undefined {
  const words = segmentWords(text);
  const simplified = toHalfWidth(toSimplified(text)).toLowerCase();
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? "";
    if (
      !ORG_SUFFIX.test(word) &&
      !ORG_SUFFIX.test(words.slice(Math.max(0, i - 1), i + 1).join(""))
    ) {
      continue;
    }
    let start = i;
    while (start > 0) {
      const prev = words[start - 1] ?? "";
      if (STOPWORDS.has(prev) || /^[\p{P}\p{S}\d]/u.test(prev)) break;
      start--;
    }
    // Segmentation lower-cases and drops punctuation ("昊柏(嘉兴)人工智能…"): find the span as
    // written, allowing punctuation between its words.
    const pattern = words
      .slice(start, i + 1)
      .map((w) => w.replace(/[.*+?^${}()|[\]\\]/gu, "\\$&"))
      .join("[\\p{P}\\s]*");
    const match = new RegExp(pattern, "u").exec(simplified);
    const written = toHalfWidth(toSimplified(text));
    return match
      ? written.slice(match.index, match.index + match[0].length)
      : words.slice(start, i + 1).join("");
  }
  return undefined;
}

/** The content words of a question, in order, without stopwords and question words. */
function contentWords(text: string): string[] {
  return segmentWords(text).filter((w) => !STOPWORDS.has(w) && !/^[多大几]$/u.test(w));
}

/** Replaces the first occurrence of `from` in the question with `to`. */
function substitute(question: string, from: string, to: string): string {
  const q = toHalfWidth(toSimplified(question)).trim();
  const at = q.indexOf(from);
  return at < 0 ? q : q.slice(0, at) + to + q.slice(at + from.length);
}

/** A demonstrative, then a description of the subject ending in 的: "那个做记忆棉床垫的公司". */
const DESCRIBED = /^(?:那|这)(?:么|个|家|所|项|位|座|笔)?([^的]+)的./u;

/**
 * True for a question that describes its own subject and asks about it: "那个做记忆棉床垫的公司
 * 叫啥?" (那个 is "that", not "and what about"). "那平湖的呢?", "那平湖有多少家企业?" and
 * "这家公司去年营收多少?" lean on the previous question, and stay follow-ups.
 */
function asksItsOwnQuestion(q: string): boolean {
  if (!ASKS.test(q)) return false;
  const description = DESCRIBED.exec(q)?.[1];
  return description !== undefined && contentWords(description).length >= 2;
}

/** True when the question looks like an elliptical follow-up that needs the previous turn. */
export function isFollowUp(question: string): boolean {
  const q = bare(question);
  if (q === "" || Array.from(q).length > MAX_FOLLOW_UP_CHARS) return false;
  if (MORE.test(q)) return true;
  return (THAT_ONE.test(q) || PRONOUN.test(q)) && !asksItsOwnQuestion(q);
}

/**
 * Rewrites a short elliptical follow-up into a standalone question from the previous turn, by
 * rules (no LLM): "那平湖呢?" after "嘉兴的人工智能专项基金有多大?" gives
 * "平湖的人工智能专项基金有多大?"; a pronoun is replaced by what the previous turn named; when
 * no rule fits, the previous question's content words are put before the new question. Returns
 * the question unchanged when it stands alone or there is no history. Never throws.
 */
export function rewriteFollowUp(question: string, history: readonly ConversationTurn[]): string {
  const previous = history.at(-1);
  if (!previous || !isFollowUp(question)) return question;
  const q = bare(question);
  const prev = previous.question.trim();

  if (MORE.test(q)) return prev;

  const that = THAT_ONE.exec(q);
  if (that && !PRONOUN.test(q)) {
    const subject = (that[1] ?? that[2] ?? "").replace(TRAILING_QUESTION, "").trim();
    if (subject !== "") {
      if (isPlace(subject)) {
        const place = findPlace(prev);
        if (place && place !== subject) return substitute(prev, place, subject);
      }
      if (TIME_ONLY.test(subject)) {
        const time = TIME.exec(toHalfWidth(toSimplified(prev)));
        if (time) return substitute(prev, time[0], subject.replace(/的$/u, ""));
        return `${subject}${prev}`;
      }
      if (ORG_SUFFIX.test(subject)) {
        const org = findOrganisation(prev);
        if (org && org !== subject) return substitute(prev, org, subject);
      }
      // No entity of the same kind to swap: keep the previous question and name the new subject.
      return `${subject}:${prev}`;
    }
  }

  const pronoun = PRONOUN.exec(q);
  if (pronoun) {
    // When the previous question asked "which company", the company is named in the answer.
    const askedForName = /哪家|哪个|哪所|哪位|谁|什么公司|什么企业|什么项目|哪些/u.test(prev);
    const referent =
      (askedForName && previous.answer !== undefined
        ? findOrganisation(previous.answer)
        : undefined) ??
      findOrganisation(prev) ??
      findPlace(prev) ??
      (contentWords(prev).join("") || undefined);
    if (referent) return q.replace(pronoun[0], referent) + "?";
  }
  const context = contentWords(prev).join(" ");
  return context === "" ? question : `${context} ${q}?`;
}
