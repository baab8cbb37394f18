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

/**
 * The share of a question's subject (by rarity) a story must hold to be the one a reporter's
 * question describes when no sentence of it states an asked slot: more than it lacks.
 */
const STORY_SUBJECT = 0.5;

/**
 * A credit a story prints in its dateline rather than on a line of its own: "每经记者 翟敏 发自深圳",
 * "本报记者 柯文远 报道". The names run up to where the dateline goes on.
 */
const DATELINE_CREDIT =
  /(?:本报|每经|新华社|中新社|中新网|人民网|特约|实习|见习|首席)?记者[\s:：]*\p{Script=Han}{2,3}(?:[\s、,，]+\p{Script=Han}{2,3})*(?=\s*(?:发自|报道|摄))/u;

/** The credit in the dateline of a story's first passage, or "" where it prints none. */
function creditInLead(index: NewsIndex, articleId: string): string {
  const first = index.chunksOfArticle(articleId)[0];
  return first ? (DATELINE_CREDIT.exec(first.text.slice(0, 200))?.[0] ?? "") : "";
}

/** A title in book-title marks ("《新闻联播》"), whose words are no ask words. */
const TITLE = /《[^《》]*》/gu;
/** A paper's or a magazine's name in book-title marks: "《每日经济新闻》", "《南方周末》", "《求是》杂志". */
const PAPER_TITLE = /(?:报|新闻|周刊|周末|杂志|晚刊)》$/u;

/** What the story asked about is: the question without its provenance words. */
export function provenanceTopic(question: string): string {
  const simplified = toSimplified(question);
  // A paper's own name ("那篇《每日经济新闻》稿子") says where the story ran, which the question
  // asks or the answer tells; the story need not name it.
  const titles = (simplified.match(TITLE) ?? []).map((t) => (PAPER_TITLE.test(t) ? " " : t));
  // Each title stands aside (as a mark the ask words hold nothing of) while they are removed.
  const held = simplified.split(TITLE).map((part) => part.replace(ASK_WORDS, " "));
  return held
    .flatMap((part, i) => (i < titles.length ? [part, titles[i]] : [part]))
    .join("")
    .replace(/\s+/gu, " ")
    .trim();
}

/**
 * Answers a reporter's question from the archive's own structure: the story that answers the
 * topic (`found`, the answer to the question's topic) and the paper, date and byline of its
 * article, said in the text and cited to the passage, followed by the passage's own sentence.
 * Returns `found` unchanged when it declined, unless only for want of a sentence that states an
 * asked slot (`nearest`).
 */
export function composeProvenanceAnswer(
  index: NewsIndex,
  ask: ProvenanceAsk,
  found: Answer,
): Answer {
  // The topic's story is found though no sentence of it states an asked slot (a reporter asks
  // which story it is, not a fact in it): its nearest sentence stands for it, where the story
  // holds most of what the question says it is about. Other declines (a name the archive lacks,
  // another story) stand.
  const { nearest } = found;
  const story =
    found.abstained &&
    found.abstainReason === "weak-support" &&
    nearest !== undefined &&
    nearest.subject >= STORY_SUBJECT
      ? nearest
      : undefined;
  const cited = story ? { n: 1, chunk: story.chunk } : found.citations[0];
  if (!cited || (found.abstained && story === undefined)) return found;
  const { chunk } = cited;
  const article = index.getArticle(chunk.articleId);
  const paper = chunk.paper === "unknown" ? "报纸不详" : chunk.paper;
  const where = `${paper} ${formatDateZh(chunk.date)}`;
  const byline = article?.byline ?? chunk.byline;
  // An exported story's credit, read from its text, comes without a byline
  // (src/ingest/parse-jsonl.ts); a page's credit line may open with a mark ("■摄影 记者…"), which
  // says nothing.
  const signed = (
    article?.credits.join(" ") ||
    byline.join("、") ||
    (ask === "writer" ? creditInLead(index, chunk.articleId) : "")
  )
    .replace(MARKS, "")
    .trim();
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
  return {
    question: found.question,
    text: `${line}[${cited.n}]\n${story ? `${story.sentence}[${cited.n}]` : found.text}`,
    abstained: false,
    citations: story ? [cited] : found.citations,
    passages: found.passages,
  };
}
