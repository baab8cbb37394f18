/**
 * Questions about now: "平湖明天天气怎么样?", "今天有什么新闻?", "陈伟今天去了哪里?". The archive
 * holds past editions, so such a question is answered from the newest edition, and the answer
 * says that edition's date: an old forecast is never passed off as tomorrow's.
 */
import { formatDateZh } from "./render.js";
import { addDays, isoDayInTimeZone } from "../dates/calendar.js";
import { parseQuestionTime } from "../dates/question-time.js";
import { articlesOfEdition, latestEdition } from "../retrieval/articles.js";
import { STOPWORDS, cutWords } from "../text/words.js";
import { toHalfWidth, toSimplified } from "../text/normalize.js";
import { withoutQuotes } from "../text/sentences.js";
import type { ManifestEdition, NewsIndex } from "../store/types.js";
import type { Answer, Article, Chunk, Passage } from "../types.js";

/** What a question about now asks for. */
export type NowQuestionKind = "weather" | "news" | "question";

/** Today, tomorrow and tonight, as a reader says them. */
const TODAY =
  /今天|今日|今儿|今晚|今早|今夜|明天|明日|明儿|明早|明晚|后天|\btoday\b|\btomorrow\b|\btonight\b/giu;
/** The present without a day: with weather words only ("现在多少度?"). */
const NOW = /现在|目前|当前|眼下|这几天|这两天|最近|近期|本周|这周|周末|\bnow\b/giu;
/** Asking for the weather itself. */
const WEATHER =
  /天气预报|天气|气温|温度|下雨|下雪|降雨|降雪|带伞|几度|多少度|冷不冷|热不热|刮风|风力|\bweather\b|\bforecast\b|\brain\b|\btemperature\b/giu;
/** What a forecast states: with a weather word, these say nothing else about the topic. */
const WEATHER_DETAIL = /最高|最低|\d+\s*(?:度|℃)|℃|出门|晴|阴|雨|雪|风|冷|热/gu;
/** Asking what the news is: "有什么新闻", "头条是什么". */
const NEWS = /新闻|报道|消息|头条|大事/gu;
/** Question words and fillers that say nothing about the topic. */
const ASKING =
  /怎么样|怎样|如何|什么|有啥|啥|哪些|多少|吗|呢|吧|啊|呀|会不会|是不是|有没有|要不要|请问|告诉我|一下|的|了|有|是|会|要|不|\b(?:what's|what|how|is|the|will|it|be|s|in|like)\b|\p{P}|\s/gu;
/** Content left beside the weather words, up to which a question asks for the forecast. */
const MAX_WEATHER_TOPIC_CHARS = 4;
/** Editions looked through, newest first, for the newest forecast when the newest edition has none. */
const MAX_EDITIONS_FOR_FORECAST = 30;

/** The question in the form the patterns compare: simplified, half-width, lower case. */
function normalize(question: string): string {
  return toHalfWidth(toSimplified(question)).toLowerCase();
}

/** Content words (not stopwords) of the text, joined. */
function contentOf(text: string): string {
  return cutWords(text)
    .filter((w) => !STOPWORDS.has(w))
    .join("");
}

/**
 * What a question about today, tomorrow or the present weather, or about the news without a
 * topic ("最近有什么新闻?"), asks for, or undefined for any other question (one that names another
 * time, "2024年7月3日天气怎么样?", included). Never throws.
 */
export function detectNowQuestion(question: string, today: Date): NowQuestionKind | undefined {
  // "“正是他让我们有了今天的成绩”是谁说的?": a quote's 今天 is the speaker's, not the asker's.
  const q = withoutQuotes(normalize(question));
  const saysToday = q.search(TODAY) >= 0;
  const weather = q.search(WEATHER) >= 0;
  const news = q.search(NEWS) >= 0;
  if (!saysToday && !weather && !news) return undefined;
  const withoutNow = q.replace(TODAY, " ").replace(NOW, " ");
  // Another time named as well ("去年今天", "2024年7月3日") is the ordinary path's to read.
  if (parseQuestionTime(withoutNow, today) !== undefined) return undefined;
  const rest = withoutNow.replace(WEATHER, " ").replace(ASKING, " ");
  const topic = weather ? contentOf(rest.replace(WEATHER_DETAIL, " ")) : "";
  if (weather && Array.from(topic).length <= MAX_WEATHER_TOPIC_CHARS) return "weather";
  // "最近有什么新闻?", "有哪些报道?": the news without a topic is the newest edition's, today or not.
  const topicless = news && contentOf(rest.replace(NEWS, " ")) === "";
  if (!saysToday) return topicless ? "news" : undefined;
  return topicless ? "news" : "question";
}

/** "最新一期(2026年3月7日,嘉兴日报)": the edition named by date and paper. */
function editionLabel(edition: ManifestEdition, newest: boolean): string {
  const paper = edition.paper === "unknown" ? "" : `,${edition.paper}`;
  return `${newest ? "最新一期" : ""}(${formatDateZh(edition.date)}${paper})`;
}

/** A passage list of one chunk per article, in the given order. */
function passagesOf(chunks: readonly Chunk[]): Passage[] {
  return chunks.map((chunk, i) => ({ chunk, rank: i + 1, score: 1 / (i + 1) }));
}

/** The article's text on one line, at most `maxChars` characters. */
function bodyOf(article: Article, maxChars = 200): string {
  const text = article.paragraphs.join("").replace(/\s+/gu, "");
  const chars = Array.from(text);
  return chars.length <= maxChars ? text : `${chars.slice(0, maxChars).join("")}…`;
}

/**
 * A note when the edition is older than yesterday: its "今天" and "明天" are not the reader's.
 * Undefined when the edition is recent or undated.
 */
function staleNote(edition: ManifestEdition, today: Date): string | undefined {
  if (edition.date === null) return undefined;
  const todayIso = isoDayInTimeZone(today, "Asia/Shanghai");
  const last = edition.date.length === 7 ? `${edition.date}-31` : edition.date;
  if (last >= addDays(todayIso, -1)) return undefined;
  return `注意:这是${formatDateZh(edition.date)}报纸上的预报,不是今天的;新闻库里没有更新的天气预报。`;
}

/** The weather article of an edition, if it carries one. */
function weatherOf(articles: readonly Article[]): Article | undefined {
  return articles.find((a) => a.kind === "weather");
}

/** The newest forecast of the editions after the newest one, newest first; undefined if none. */
function newestForecast(
  index: NewsIndex,
  skip: string,
): { edition: ManifestEdition; article: Article } | undefined {
  const editions = [...index.manifest.editions]
    .filter((e) => e.editionId !== skip && e.date !== null)
    .sort((a, b) => (b.date ?? "").localeCompare(a.date ?? ""))
    .slice(0, MAX_EDITIONS_FOR_FORECAST);
  for (const edition of editions) {
    const article = weatherOf(articlesOfEdition(index, edition.editionId).articles);
    if (article) return { edition, article };
  }
  return undefined;
}

/** An answer citing one article per line of `lines`, in order. */
function citedAnswer(question: string, text: string, chunks: readonly Chunk[]): Answer {
  return {
    question,
    text,
    abstained: false,
    citations: chunks.map((chunk, i) => ({ n: i + 1, chunk })),
    passages: passagesOf(chunks),
  };
}

/** The first chunk of an article; undefined for an article without chunks. */
function firstChunk(index: NewsIndex, article: Article): Chunk | undefined {
  return index.chunksOfArticle(article.id)[0];
}

/** Answers a weather question from the newest edition's forecast, or says it has none. */
function answerWeather(
  index: NewsIndex,
  question: string,
  edition: ManifestEdition,
  articles: readonly Article[],
  today: Date,
): Answer {
  const label = editionLabel(edition, true);
  const article = weatherOf(articles);
  const chunk = article && firstChunk(index, article);
  if (article && chunk) {
    const note = staleNote(edition, today);
    const text = `${label}的天气预报:${bodyOf(article)}[1]${note ? `\n${note}` : ""}`;
    return citedAnswer(question, text, [chunk]);
  }
  const none = `${label}没有刊登天气预报。`;
  const older = newestForecast(index, edition.editionId);
  const olderChunk = older && firstChunk(index, older.article);
  if (older && olderChunk) {
    const text = `${none}新闻库里最近的一份天气预报刊登在${editionLabel(older.edition, false)}:${bodyOf(older.article)}[1]\n那是当天的预报,不是今天的。`;
    return citedAnswer(question, text, [olderChunk]);
  }
  return {
    question,
    text: none,
    abstained: true,
    abstainReason: "no-evidence",
    citations: [],
    passages: [],
  };
}

/** Lists the newest edition's reports, one cited line each. */
function answerNews(
  index: NewsIndex,
  question: string,
  edition: ManifestEdition,
  articles: readonly Article[],
): Answer {
  const listed = articles
    .filter((a) => a.kind !== "ad" && a.kind !== "weather")
    .flatMap((a) => {
      const chunk = firstChunk(index, a);
      return chunk ? [{ article: a, chunk }] : [];
    })
    .slice(0, 8);
  const label = editionLabel(edition, true);
  if (listed.length === 0) {
    return {
      question,
      text: `${label}没有新闻报道。`,
      abstained: true,
      abstainReason: "no-evidence",
      citations: [],
      passages: [],
    };
  }
  const lines = listed.map(({ article }, i) => `${i + 1}.《${article.headline}》[${i + 1}]`);
  return citedAnswer(
    question,
    [`${label}的报道有:`, ...lines].join("\n"),
    listed.map((l) => l.chunk),
  );
}

/**
 * Answers a question about now from the newest edition: its forecast, its reports, or the
 * ordinary answer searched in that edition only (`askInEdition`), each saying the edition's date.
 * Undefined when the question is not about now or the archive has no edition. Throws what
 * `askInEdition` throws.
 */
export async function answerNowQuestion(
  index: NewsIndex,
  question: string,
  today: Date,
  askInEdition: (question: string, filter: (chunkIndex: number) => boolean) => Promise<Answer>,
): Promise<Answer | undefined> {
  const kind = detectNowQuestion(question, today);
  if (kind === undefined) return undefined;
  const latest = latestEdition(index);
  if (!latest) return undefined;
  const { edition, articles } = latest;
  if (kind === "weather") return answerWeather(index, question, edition, articles, today);
  if (kind === "news") return answerNews(index, question, edition, articles);
  const found = await askInEdition(
    question,
    (chunkIndex) => index.editionOfChunk(chunkIndex) === edition.editionId,
  );
  const label = editionLabel(edition, true);
  if (found.abstained) {
    return { ...found, text: `${label}没有找到相关的报道。新闻库里没有比这一期更新的报纸。` };
  }
  return { ...found, text: `${label}:${found.text}` };
}
