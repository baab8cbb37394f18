import type { NewsIndex } from "../store/types.js";
import type { Answer, Citation, Passage } from "../types.js";
import { parseQuestionTime, stripTimePhrase, type TimeFilter } from "../dates/question-time.js";
import { searchArticles } from "../retrieval/articles.js";
import { stripQuestionWords } from "../retrieval/question-words.js";
import { cutWords, STOPWORDS } from "../text/words.js";
import { splitSentences } from "../text/sentences.js";
import { toSimplified } from "../text/normalize.js";
import { formatDateZh } from "./render.js";

/** Articles listed in a coverage answer at most. */
const MAX_LISTED = 5;
/** A one-line summary is cut at a clause boundary near this many characters. */
const SUMMARY_CHARS = 60;

const COVERAGE_WORDS =
  /最近|近期|近来|新闻|报道|消息|动态|文章|出现在|出现过|报道过|关于|有关|相关|哪些|什么/gu;

/** The first sentence of a text, shortened at a clause boundary when long. */
function summaryOf(text: string): string {
  const first = (splitSentences(text)[0] ?? text).trim();
  if (Array.from(first).length <= SUMMARY_CHARS) return first;
  const cut = first.slice(0, SUMMARY_CHARS);
  const comma = Math.max(cut.lastIndexOf(","), cut.lastIndexOf("，"));
  return `${comma > 20 ? cut.slice(0, comma) : cut}…`;
}

/**
 * Answers "哪些报道/最近…有什么新闻" with a dated list of matching articles, newest first, one line
 * each, cited to the passage the line quotes. A time in the question ("2025年", "最近") narrows the
 * list; when "最近" finds nothing, the newest coverage is listed and the reply says so. Returns
 * undefined when no article matches, so the caller can answer (or abstain) the usual way.
 */
export function composeCoverageAnswer(
  index: NewsIndex,
  question: string,
  today: Date,
): Answer | undefined {
  const simplified = toSimplified(question);
  const time: TimeFilter | undefined = parseQuestionTime(simplified, today);
  const topicText = stripQuestionWords(time ? stripTimePhrase(simplified, time) : simplified);
  const keywords = cutWords(topicText.replace(COVERAGE_WORDS, " "))
    .filter((w) => !STOPWORDS.has(w) && w.trim() !== "")
    .join(" ");
  if (keywords === "") return undefined;
  let note = "";
  let hits = searchArticles(index, keywords, {
    order: "newest",
    limit: MAX_LISTED,
    ...(time ? { range: { from: time.from, to: time.to } } : {}),
  }).hits;
  if (hits.length === 0 && time?.kind === "recent") {
    hits = searchArticles(index, keywords, { order: "newest", limit: MAX_LISTED }).hits;
    if (hits.length > 0) note = `“${time.phrase}”范围内没有相关报道;以下是已收录的最新相关报道:\n`;
  }
  if (hits.length === 0) return undefined;

  const citations: Citation[] = [];
  const passages: Passage[] = [];
  const lines = hits.flatMap(({ article, score }) => {
    const chunk = index.chunksOfArticle(article.id)[0];
    if (!chunk) return [];
    const n = citations.length + 1;
    citations.push({ n, chunk });
    passages.push({ chunk, rank: n, score });
    const paper = article.paper === "unknown" ? "" : `${article.paper}`;
    return [
      `${formatDateZh(article.date)} ${paper}《${article.headline}》:${summaryOf(chunk.text)}[${n}]`,
    ];
  });
  if (lines.length === 0) return undefined;
  return { question, text: `${note}${lines.join("\n")}`, abstained: false, citations, passages };
}
