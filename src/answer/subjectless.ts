/**
 * Questions that name nothing to look up: a question word alone ("多高?", "星期几", "是谁?"), or
 * the date or the time of day asked of now ("今天几号?", "现在几点了?"). The archive cannot
 * answer the first kind, and any sentence it cited would support nothing; the clock answers the
 * second. A follow-up in a chat ("多高?" after a question about a building) is rewritten with
 * its subject before it gets here (src/answer/follow-up/).
 */
import { formatDateZh } from "./render.js";
import { localDateTime } from "../dates/calendar.js";
import { stripQuestionWords } from "../retrieval/question-words.js";
import { STOPWORDS, tokenize } from "../text/words.js";
import { toHalfWidth, toSimplified } from "../text/normalize.js";
import type { Answer } from "../types.js";

/** The time zone the newsroom's readers live in. */
const TIME_ZONE = "Asia/Shanghai";

/**
 * What a question word leaves behind once stripped: the size of 多高, 多久 ("高", "久"), the
 * day of 星期几 and 几号, the hour of 几点, and "now" itself. They ask; they name nothing.
 */
const ASKING_REMAINS = new Set([
  ..."高远重久大长深宽点号时",
  "星期",
  "礼拜",
  "周",
  "点钟",
  "几点",
  "年纪",
  "岁数",
  "日子",
  "日期",
  "时间",
  "现在",
  "目前",
  "今天",
  "今日",
  "此刻",
]);

/** The date or the time of day asked of now, the whole question. */
const CLOCK =
  /^(?:请问)?(?:今天|今日|现在|此刻|眼下)?(?:是)?(?<what>几月几[号日]|几号|几日|多少号|星期几|礼拜几|周几|几点钟?|几点几分|什么时间|什么日子)(?:了)?(?:呢|啊|呀)?$/u;

const WEEKDAYS = ["日", "一", "二", "三", "四", "五", "六"];

/** The question in the form the patterns read: simplified, half-width, without spaces or punctuation. */
function plain(question: string): string {
  return toHalfWidth(toSimplified(question)).replace(/[\s\p{P}\p{S}]+/gu, "");
}

/** True when the question names nothing to look up: its words all ask, none says about what. */
export function namesNothing(question: string): boolean {
  const words = tokenize(stripQuestionWords(plain(question))).filter(
    (w) => !STOPWORDS.has(w) && !/^\d+$/u.test(w),
  );
  return words.every((w) => ASKING_REMAINS.has(w));
}

/** The reply to a question that names nothing, asking what it is about. */
export const ASK_FOR_SUBJECT =
  "没看出问的是哪件事。请说出要问的人、地方、单位或事件,比如“嘉兴最高的楼有多高?”。";

/**
 * The answer to a question that names nothing: the date or the time from the clock when it asks
 * that of now, else a decline that asks what it is about. Undefined for any other question.
 * Never throws.
 */
export function answerSubjectless(question: string, now: Date): Answer | undefined {
  const text = plain(question);
  if (text === "" || !namesNothing(question)) return undefined;
  const clock = CLOCK.exec(text)?.groups?.what;
  if (clock !== undefined) {
    const { date: day, time: clockTime } = localDateTime(now, TIME_ZONE);
    const weekday = WEEKDAYS[new Date(`${day}T00:00:00Z`).getUTCDay()] ?? "";
    // "8:36", as the hour is said, not "08:36".
    const time = clockTime.replace(/^0(?=\d)/u, "");
    const asksTime = /点|时间/u.test(clock);
    return {
      question,
      text: `${asksTime ? `现在是北京时间${time},` : "今天是"}${formatDateZh(day)},星期${weekday}。这是本机时钟的时间,不是新闻库里的内容。`,
      abstained: false,
      citations: [],
      passages: [],
    };
  }
  return {
    question,
    text: ASK_FOR_SUBJECT,
    abstained: true,
    abstainReason: "no-evidence",
    citations: [],
    passages: [],
  };
}
