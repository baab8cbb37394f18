import type { NewsIndex } from "../store/types.js";
import type { Answer } from "../types.js";
import { toSimplified } from "../text/normalize.js";
import { formatDateZh } from "./render.js";

/** What a reporter's question asks about a story rather than in it. */
export type ProvenanceAsk = "paper-date" | "writer";

/** "哪家报纸哪天报道的", "登在什么报上", "什么时候刊发的": where and when the story ran. */
const PAPER_DATE =
  /(哪家|哪个|哪份|什么|啥)(报纸|报社|媒体)|(哪家|哪份|什么|啥)报(?!道|告)|(哪(一)?天|什么时候|何时|几号).{0,4}(报道|刊登|刊发|登出|见报|登报)|(报道|刊登|刊发|登|发表)(在|于)(哪|什么|啥)|出自(哪|什么)/u;
/**
 * "谁写的", "记者是谁", "哪位记者报道的": who wrote the story; "那张照片是谁拍的": who took its
 * picture (a film "是谁拍的" asks for its director, which the story tells).
 */
const WRITER =
  /(谁|哪位|哪个|什么人).{0,3}(写|采写|撰写)的|(记者|作者|撰稿人)是谁|(哪位|哪个|哪些)记者|谁(报道|采写)的|署名|(照片|图片|相片|图).{0,6}(谁|哪位).{0,3}(拍|摄)的|(谁|哪位).{0,3}(拍|摄)的(照片|图片|相片|图)|摄影(记者)?是谁/u;
/** Marks a page sets before a credit line. */
const MARKS = /[■□◆◇●○▲△★☆]/gu;

/** The words of the provenance ask, removed to leave what the story is about. */
const ASK_WORDS = new RegExp(
  `${PAPER_DATE.source}|${WRITER.source}|哪(一)?(天|年)|哪个月|什么时候|何时|几号|登|刊|是|的|这篇|那篇|这条|报道|新闻|文章|消息|稿子|[?？。!！,，]`,
  "gu",
);

/** Which provenance a question asks for, or undefined for a question about a story's content. */
export function asksProvenance(question: string): ProvenanceAsk | undefined {
  const q = toSimplified(question);
  if (WRITER.test(q)) return "writer";
  if (PAPER_DATE.test(q)) return "paper-date";
  return undefined;
}

/** What the story asked about is: the question without its provenance words. */
export function provenanceTopic(question: string): string {
  return toSimplified(question).replace(ASK_WORDS, " ").replace(/\s+/gu, " ").trim();
}

/**
 * Answers a reporter's question from the archive's own structure: the story that answers the
 * topic (`found`, the answer to the question's topic) and the paper, date and byline of its
 * article, said in the text and cited to the passage, followed by the passage's own sentence.
 * Returns `found` unchanged when it declined.
 */
export function composeProvenanceAnswer(
  index: NewsIndex,
  ask: ProvenanceAsk,
  found: Answer,
): Answer {
  const cited = found.citations[0];
  if (found.abstained || !cited) return found;
  const { chunk } = cited;
  const article = index.getArticle(chunk.articleId);
  const paper = chunk.paper === "unknown" ? "报纸不详" : chunk.paper;
  const where = `${paper} ${formatDateZh(chunk.date)}`;
  const byline = article?.byline ?? chunk.byline;
  // An exported story's credit, read from its text, comes without a byline
  // (src/ingest/parse-jsonl.ts); a page's credit line may open with a mark ("■摄影 记者…"), which
  // says nothing.
  const signed = (article?.credits.join(" ") || byline.join("、")).replace(MARKS, "").trim();
  let line: string;
  if (ask === "writer") {
    line =
      signed !== ""
        ? `《${chunk.headline}》(${where})的署名是:${signed}。`
        : `《${chunk.headline}》(${where})没有署名记者。`;
  } else {
    line = `这篇报道是${where}刊发的《${chunk.headline}》${signed !== "" ? `,署名${signed}` : ""}。`;
  }
  // The metadata line cites the passage whose article it describes; the passage's own sentence
  // follows, so the reader sees which story it is.
  return { ...found, text: `${line}[${cited.n}]\n${found.text}` };
}
