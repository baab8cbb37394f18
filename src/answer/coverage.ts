import type { NewsIndex } from "../store/types.js";
import type { Answer, Citation, Passage } from "../types.js";
import { parseQuestionTime, stripTimePhrase, type TimeFilter } from "../dates/question-time.js";
import { searchArticles } from "../retrieval/articles.js";
import { articleMatchText } from "../retrieval/context.js";
import { stripQuestionWords } from "../retrieval/question-words.js";
import { MENTION_VERBS } from "../retrieval/query.js";
import { cutWords, STOPWORDS } from "../text/words.js";
import { splitSentences } from "../text/sentences.js";
import { compact, normalizeForMatch, toSimplified } from "../text/normalize.js";
import type { Article } from "../types.js";
import { formatDateZh } from "./render.js";

/** Articles listed in a coverage answer at most. */
const MAX_LISTED = 5;
/** Matching articles a coverage answer looks through for the ones about the topic. */
const EXAMINED = 20;
/**
 * Mentions per character at which a text names a keyword as plainly as a headline does: once
 * every 250 characters. A long survey that names a product now and then stays below it.
 */
const FULL_DENSITY = 1 / 250;
/** An article is listed when it is at least this share as much about the topic as the one most so. */
const ABOUT_SHARE = 0.6;

/** A one-line summary is cut at a clause boundary near this many characters. */
const SUMMARY_CHARS = 120;

/**
 * Words of a coverage question that ask for reports, not the topic's own words: the report words,
 * the words that ask what followed ("后来", "之后都有哪些后续报道"), and a demonstrative that points
 * at the event ("那次", "那天"). A later report rarely repeats them, and every keyword must match.
 */
const COVERAGE_WORDS = new RegExp(
  `最近|近期|近来|新闻|报道|消息|动态|文章|出现在|出现过|报道过|(?:${MENTION_VERBS})过?|关于|有关|相关|哪些|什么|` +
    `后来|之后|此后|以后|后续|进展|怎么样了?|[这那](?:次|场|起|天|年|个|件|回)`,
  "gu",
);
/**
 * A demonstrative with the kind of thing the question names ("尼得科这家企业", "他这个人"): a story
 * names the firm, not its kind. Removed before the question words, which take 这家 and 那个.
 */
const DEMONSTRATED_KIND =
  /[这那](?:家|位|个|部|款|所|座|种)(?:企业|公司|单位|机构|学校|医院|工厂|人|项目|产品|品牌)/gu;
/** A keyword of one Han character ("大" of "大地震", "新" of "新政策"): too common to narrow the topic. */
const ONE_HAN = /^\p{Script=Han}$/u;

/** The reply to a coverage question that names no topic ("后来都有啥新闻?" asked on its own). */
export const ASK_FOR_TOPIC =
  "没看出想了解哪件事的报道。请说出事件或话题,比如“昆明火车站暴恐案后来有哪些报道?”。";

/**
 * A label line above a story's text ("摘要", "导语", "政策核心"): a few characters, no number, no
 * punctuation. It says nothing of what happened; a longer heading ("流量狂欢:超45亿红包大战…")
 * may, and is kept.
 */
const LABEL = /^[^0-9０-９，,。；;！!？?：:]{0,8}$/u;

/** Markdown emphasis and heading anchors of a story exported from a web page. */
const MARKUP = /\*\*|\s*\{#[^}]*\}/gu;
/** Sentences from the top of a story that a summary is chosen from. */
const SUMMARY_SENTENCES = 6;
/** A sentence shorter than this is a heading or a dateline, not a summary. */
const SUMMARY_MIN_CHARS = 12;

/** The stop that ends a sentence, before any closing quote or bracket. */
const SENTENCE_END = /[。！？!?…][”"’'）)\]]*$/u;

/** A sentence in which a report speaks of itself ("本文将…", "本篇报告…"). */
const ABOUT_ITSELF = /^(?:本文|本篇|本报告|笔者)/u;

/**
 * The sentence near the top of a story that best states what its headline says, shortened at a
 * clause boundary when long. A story may open with its writer's preamble ("作为一名长期追踪…的
 * 内容专家") or a scene; the sentence that shares most of the headline's words carries the news
 * the headline announces. The earliest of equals is taken: the lead, where it does.
 */
function summaryOf(index: NewsIndex, text: string, headline: string): string {
  const lines = text.trim().split("\n");
  let from = 0;
  while (from < lines.length - 1 && LABEL.test(lines[from] ?? "")) from++;
  const body = lines.slice(from).join("\n");
  const sentences = splitSentences(body.replace(MARKUP, ""))
    .map((s) => s.trim())
    .slice(0, SUMMARY_SENTENCES);
  // The headline's words, each weighed by its rarity: "豆包" and "DAU" tell the news, "深度分析"
  // is in every survey's headline.
  const told = [...new Set(cutWords(headline).map((w) => compact(normalizeForMatch(w))))]
    .filter((w) => w !== "" && !STOPWORDS.has(w))
    .map((w) => ({ w, idf: Math.log(1 + index.chunkCount / (1 + index.documentFrequency(w))) }));
  let first = sentences[0] ?? body.trim();
  let most = -1;
  for (const sentence of sentences) {
    if (Array.from(compact(sentence)).length < SUMMARY_MIN_CHARS) continue;
    // A heading ("一、政策定调:…时代") states no news: it ends without a sentence's stop. Nor
    // does a survey's word on itself ("本文将深度拆解…").
    if (!SENTENCE_END.test(sentence) || ABOUT_ITSELF.test(sentence)) continue;
    const own = compact(normalizeForMatch(sentence));
    const shared = told.reduce((a, { w, idf }) => a + (own.includes(w) ? idf : 0), 0);
    if (shared > most) {
      most = shared;
      first = sentence;
    }
  }
  return shortened(first);
}

/** A sentence cut at a clause boundary near SUMMARY_CHARS when it is longer. */
function shortened(sentence: string): string {
  if (Array.from(sentence).length <= SUMMARY_CHARS) return sentence;
  const cut = sentence.slice(0, SUMMARY_CHARS);
  const comma = Math.max(cut.lastIndexOf(","), cut.lastIndexOf("，"));
  return `${comma > 20 ? cut.slice(0, comma) : cut}…`;
}

/**
 * The story's first sentence that names `keyword`, with the passage it is in, or undefined when
 * none does: a story that only mentions the topic ("新能源汽车产业已拥有尼得科、伊控动力…") is
 * listed with the sentence that does, not with a lead that never names it.
 */
function mentionOf(
  index: NewsIndex,
  articleId: string,
  keyword: string,
): { chunk: Passage["chunk"]; sentence: string } | undefined {
  for (const chunk of index.chunksOfArticle(articleId)) {
    const sentence = splitSentences(chunk.text.replace(MARKUP, "")).find((s) =>
      compact(normalizeForMatch(s)).includes(keyword),
    );
    if (sentence !== undefined) return { chunk, sentence: sentence.trim() };
  }
  return undefined;
}

/** How often `word` occurs in `text`. */
function occurrences(text: string, word: string): number {
  let n = 0;
  for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + word.length)) n++;
  return n;
}

/**
 * How much the article is about the topic (0..1): each keyword, weighted by its rarity, counts
 * fully when the headline names it, and otherwise by how densely the text names it. A survey that
 * names a product in passing is not coverage of that product.
 */
function aboutness(
  index: NewsIndex,
  article: Article,
  weights: ReadonlyMap<string, number>,
): number {
  const headline = compact(normalizeForMatch(article.headline));
  // The text the search has just matched the keywords in, cached: no article is read twice.
  const text = articleMatchText(index, article.id);
  let held = 0;
  let total = 0;
  for (const [k, idf] of weights) {
    total += idf;
    const density = occurrences(text, k) / Math.max(1, text.length);
    held += idf * (headline.includes(k) ? 1 : Math.min(1, density / FULL_DENSITY));
  }
  return total > 0 ? held / total : 0;
}

/**
 * Answers "哪些报道/最近…有什么新闻" with a dated list of the articles about the topic, newest
 * first, one line each, cited to the passage the line quotes. A time in the question ("2025年",
 * "最近") narrows the list; when "最近" finds nothing, the newest coverage is listed and the reply
 * says so. A question that names no topic gets a decline that asks for one. Returns undefined
 * when no article matches, so the caller can answer (or abstain) the usual way.
 */
export function composeCoverageAnswer(
  index: NewsIndex,
  question: string,
  today: Date,
): Answer | undefined {
  const simplified = toSimplified(question);
  const time: TimeFilter | undefined = parseQuestionTime(simplified, today);
  const topicText = stripQuestionWords(
    (time ? stripTimePhrase(simplified, time) : simplified).replace(DEMONSTRATED_KIND, " "),
  );
  const words = cutWords(topicText.replace(COVERAGE_WORDS, " ")).filter(
    (w) => !STOPWORDS.has(w) && w.trim() !== "",
  );
  const longer = words.filter((w) => !ONE_HAN.test(w));
  const keywords = (longer.length > 0 ? longer : words).join(" ");
  // "后来都有啥新闻?" alone names no topic: what it follows is the previous turn's, which a chat
  // rewrites it with (src/answer/follow-up/); asked on its own, the reply asks for the topic.
  if (keywords === "") {
    return {
      question,
      text: ASK_FOR_TOPIC,
      abstained: true,
      abstainReason: "no-evidence",
      citations: [],
      passages: [],
    };
  }
  // Each keyword weighs by its rarity: "豆包" says more about the topic than "新".
  const weights = new Map<string, number>();
  let seen = false;
  for (const k of keywords.split(" ")) {
    const key = compact(normalizeForMatch(k));
    const df = index.documentFrequency(key);
    if (df > 0) seen = true;
    weights.set(key, Math.log(1 + index.chunkCount / (1 + df)));
  }
  // A topic no story of the archive names ("五月天" in an archive of local pages) has no
  // coverage: the reply says so, rather than quoting the sentence nearest to its other words.
  if (!seen) {
    return {
      question,
      text: `抱歉,已收录的报道里没有提到“${keywords.replace(/ /gu, "")}”的报道。`,
      abstained: true,
      abstainReason: "missing-entity",
      citations: [],
      passages: [],
    };
  }
  // The matching articles nearly as much about the topic as the one most about it, newest first.
  const find = (range?: TimeFilter) => {
    const found = searchArticles(index, keywords, {
      order: "newest",
      limit: EXAMINED,
      ...(range ? { range: { from: range.from, to: range.to } } : {}),
    }).hits;
    const about = found.map((h) => ({ ...h, about: aboutness(index, h.article, weights) }));
    const most = Math.max(0, ...about.map((h) => h.about));
    return about.filter((h) => h.about >= ABOUT_SHARE * most).slice(0, MAX_LISTED);
  };
  let note = "";
  let hits = find(time);
  if (hits.length === 0 && time?.kind === "recent") {
    hits = find();
    if (hits.length > 0) note = `“${time.phrase}”范围内没有相关报道;以下是已收录的最新相关报道:\n`;
  }
  if (hits.length === 0) return undefined;

  const citations: Citation[] = [];
  const passages: Passage[] = [];
  // The rarest keyword names the topic most plainly, unless the topic has a head: then its rarest
  // word. A story whose headline and summary name no keyword at all only mentions the topic, and
  // is listed with the sentence that names it; so is one whose headline and summary do not name
  // the head ("嘉善" but not "大云镇" of "嘉善的大云镇"). Without a head, a story that names some
  // keywords tells the topic in its lead, in other words ("房企扎堆香港上市": "…扎堆香港").
  const rarest = (keys: Iterable<string>): string | undefined =>
    [...keys].sort((a, b) => (weights.get(b) ?? 0) - (weights.get(a) ?? 0))[0];
  const topic = rarest(weights.keys()) ?? "";
  // "嘉善的大云镇" asks about 大云镇: the words after the last 的 head the topic.
  const headText = topicText.replace(COVERAGE_WORDS, " ");
  const head = new Set(
    headText.includes("的") ? cutWords(headText.slice(headText.lastIndexOf("的") + 1)) : [],
  );
  const named = rarest([...weights.keys()].filter((k) => head.has(k)));
  const lines = hits.flatMap(({ article, score }) => {
    const first = index.chunksOfArticle(article.id)[0];
    if (!first) return [];
    let chunk = first;
    let summary = summaryOf(index, first.text, article.headline);
    const told = compact(normalizeForMatch(`${article.headline}${summary}`));
    const mentioned =
      named !== undefined
        ? !told.includes(named)
        : topic !== "" && ![...weights.keys()].some((k) => told.includes(k));
    if (mentioned) {
      const mention = mentionOf(index, article.id, named ?? topic);
      if (mention) {
        chunk = mention.chunk;
        summary = shortened(mention.sentence);
      }
    }
    const n = citations.length + 1;
    citations.push({ n, chunk });
    passages.push({ chunk, rank: n, score });
    const paper = article.paper === "unknown" ? "" : `${article.paper}`;
    return [`${formatDateZh(article.date)} ${paper}《${article.headline}》:${summary}[${n}]`];
  });
  if (lines.length === 0) return undefined;
  return { question, text: `${note}${lines.join("\n")}`, abstained: false, citations, passages };
}
