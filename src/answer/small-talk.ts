/**
 * Small talk: a greeting, thanks, a goodbye or "你是谁 / 你能做什么" gets a short reply that says
 * what the bot can do, without searching the archive (a cited sentence would answer nothing).
 *
 * A message is small talk only when, once its social phrases are taken out, nothing is left that
 * the archive knows: "你好,平湖的人工智能基金多大?" is a question that starts with a greeting.
 * The phrases below are the everyday ways of greeting, thanking and asking who someone is; they
 * say what a message does, never what a question is about.
 */
import { formatDateZh } from "./render.js";
import { STOPWORDS, tokenize } from "../text/words.js";
import { toHalfWidth, toSimplified } from "../text/normalize.js";
import type { IndexManifest } from "../store/types.js";
import type { Answer } from "../types.js";

/** What a small-talk message does. */
export type SmallTalkIntent = "greeting" | "thanks" | "farewell" | "identity";

/** The parts of an archive small talk looks at: which terms it knows, and what it holds. */
export interface SmallTalkArchive {
  readonly manifest: IndexManifest;
  /** Number of chunks whose lexical terms include `term`. */
  documentFrequency(term: string): number;
}

const INTENTS: readonly { intent: SmallTalkIntent; pattern: RegExp }[] = [
  {
    intent: "identity",
    pattern:
      /^(?:你|您)(?:是|叫)(?:谁|什么|啥|哪位|干什么的|做什么的|干嘛的)(?:名字|东西)?|^(?:你|您)(?:能|会|可以)(?:做|干|帮我?(?:做|干)?)?(?:什么|啥|些什么|嘛)|^(?:你|您)有(?:什么|啥)(?:用|功能)|^(?:怎么|如何)(?:用|使用)(?:你|您)|^(?:使用)?(?:帮助|说明)$|^help\b|^who are you|^what can you do|^what are you/u,
  },
  {
    intent: "thanks",
    pattern: /^(?:谢谢|多谢|感谢|谢啦|谢了|辛苦了?|thanks?(?: you)?\b|thx\b)/u,
  },
  {
    intent: "farewell",
    pattern: /^(?:再见|拜拜|回见|晚安|bye(?:-?bye)?\b|good ?bye\b|see you\b)/u,
  },
  {
    intent: "greeting",
    pattern:
      /^(?:你好|您好|哈喽|哈啰|嗨|嘿|喂|在吗|在不在|在么|早上好|早安|早啊|上午好|中午好|下午好|晚上好|大家好|hello\b|hi\b|hey\b|good (?:morning|afternoon|evening)\b)/u,
  },
];

/** Words that address the bot or fill a message out: "你好啊,机器人!". */
const FILLER =
  /^(?:[\s\p{P}\p{S}]+|我?想?(?:问|请教|咨询)(?:一?下|个问题|一个问题)?|请问|机器人|小助手|助手|小编|bot\b|朋友们?|各位|大家|呀|啊|哦|喔|哈+|嗯+|呢|吗|吧|啦|嘛|哟|好的|好|ok\b|okay\b|的|你|您|了|非常)/u;

/** A remainder that asks something ("感谢信是谁写的?") makes the message a question. */
const ASKS =
  /谁|什么|啥|哪|几|多少|多大|多久|怎么|怎样|如何|为什么|为何|是否|有没有|是不是|\b(?:who|what|when|where|which|how|why)\b/u;

/** Remainders longer than this are a message of their own, not the tail of a greeting. */
const MAX_REMAINDER_CHARS = 8;

/** The message in the form the phrases compare: simplified, half-width, lower case, trimmed. */
function normalize(text: string): string {
  return toHalfWidth(toSimplified(text)).toLowerCase().trim();
}

/**
 * Takes social phrases and fillers off the front of the message, repeatedly; returns the intents
 * found, in order, and what is left.
 */
function peel(message: string): { intents: SmallTalkIntent[]; rest: string } {
  const intents: SmallTalkIntent[] = [];
  let rest = normalize(message);
  for (let guard = 0; guard < 20 && rest !== ""; guard++) {
    // Social phrases first: a filler such as 你 must not eat the 你 of "你是谁".
    const found = INTENTS.find(({ pattern }) => pattern.test(rest));
    if (found) {
      intents.push(found.intent);
      rest = rest.replace(found.pattern, "");
      continue;
    }
    const filler = FILLER.exec(rest);
    if (!filler) break;
    rest = rest.slice(filler[0].length);
  }
  return { intents, rest: rest.trim() };
}

/** True when the text holds a term (not a stopword) that the archive's chunks contain. */
function mentionsArchive(text: string, archive: SmallTalkArchive): boolean {
  return tokenize(text).some((term) => !STOPWORDS.has(term) && archive.documentFrequency(term) > 0);
}

/**
 * The intent of a small-talk message, or undefined for anything else: a message with no social
 * phrase, or one that also asks about something the archive knows. Never throws.
 */
export function detectSmallTalk(
  message: string,
  archive: SmallTalkArchive,
): SmallTalkIntent | undefined {
  const { intents, rest } = peel(message);
  const intent = intents.find((i) => i === "identity") ?? intents[0];
  if (intent === undefined) return undefined;
  if (rest === "") return intent;
  if (Array.from(rest).length > MAX_REMAINDER_CHARS || ASKS.test(rest)) return undefined;
  return mentionsArchive(rest, archive) ? undefined : intent;
}

/**
 * The question without a greeting in front of it: "你好,平湖的人工智能基金多大?" gives
 * "平湖的人工智能基金多大?", so that the greeting does not take part in the search. The question
 * is returned unchanged when it does not start with a greeting or thanks. Never throws.
 */
export function stripGreeting(question: string): string {
  const trimmed = question.trim();
  const { intents, rest } = peel(trimmed);
  if (intents.length === 0 || intents.includes("identity") || rest === "") return question;
  // Cut the same number of characters from the original, which keeps its own script and width.
  const chars = Array.from(trimmed);
  const restLength = Array.from(rest).length;
  const kept = chars.slice(-restLength).join("");
  // Only a greeting set apart ("你好,…", "你好 请问…") is taken off: "感谢信是谁写的?" keeps 感谢.
  const prefix = chars.slice(0, chars.length - restLength).join("");
  if (!/[\s\p{P}\p{S}]$|请问$|问一?下$/u.test(prefix)) return question;
  return normalize(kept) === rest ? kept : rest;
}

/** Papers named in the archive (not "unknown"), most editions first, at most `max`. */
function paperNames(manifest: IndexManifest, max: number): { names: string[]; more: boolean } {
  const counts = new Map<string, number>();
  for (const e of manifest.editions) {
    if (e.paper !== "unknown") counts.set(e.paper, (counts.get(e.paper) ?? 0) + 1);
  }
  const names = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([name]) => name);
  return { names: names.slice(0, max), more: names.length > max };
}

/** One sentence on what the archive holds: papers, editions and the newest date. */
function describeHoldings(manifest: IndexManifest): string {
  const { names, more } = paperNames(manifest, 3);
  const papers = names.length === 0 ? "" : `(${names.join("、")}${more ? "等" : ""})`;
  const newest = manifest.editions
    .map((e) => e.date)
    .filter((d): d is string => d !== null)
    .sort()
    .at(-1);
  const latest = newest === undefined ? "" : `,最新一期是${formatDateZh(newest)}`;
  return `目前收录了 ${manifest.counts.editions} 期报纸${papers}、${manifest.counts.articles} 篇报道${latest}。`;
}

/** What the bot does, in one sentence. */
const ABOUT =
  "我是本地新闻问答机器人,能回答已收录报纸报道过的本地新闻问题,每个回答都注明出处(报纸、日期、标题)。";

/** The reply to a small-talk message: short, in Chinese, saying what the bot can do. */
export function smallTalkReply(intent: SmallTalkIntent, manifest: IndexManifest): string {
  const holdings = describeHoldings(manifest);
  switch (intent) {
    case "thanks":
      return `不客气!还想了解哪条本地新闻,直接问我就行。${holdings}`;
    case "farewell":
      return "再见!有本地新闻的问题随时来问。";
    case "identity":
      return `${ABOUT}${holdings}直接发问题就行,例如某个项目投资多少、某件事什么时候发生、谁说了什么。`;
    case "greeting":
      return `你好!${ABOUT}${holdings}请直接发问题。`;
  }
}

/**
 * The answer to a small-talk message (no citation, nothing retrieved), or undefined when the
 * message is not small talk. Never throws.
 */
export function answerSmallTalk(question: string, archive: SmallTalkArchive): Answer | undefined {
  const intent = detectSmallTalk(question, archive);
  if (intent === undefined) return undefined;
  return {
    question,
    text: smallTalkReply(intent, archive.manifest),
    abstained: false,
    citations: [],
    passages: [],
  };
}
