import type { NewsIndex } from "../store/types.js";
import type { Answer, Article, Citation, Passage } from "../types.js";
import { toSimplified } from "../text/normalize.js";
import { splitSentences } from "../text/sentences.js";
import { tagWords } from "../text/words.js";
import { formatDateZh } from "./render.js";
import { looksLikePerson } from "../retrieval/answer-type.js";

/** "陈明远拍的照片", "记者荣怡婷写了哪些报道": the question asks what someone photographed or wrote. */
const ASKS_WORK = /拍|摄|照片|图片|写|采写|报道|稿/u;
/**
 * The name is credited in the question itself: "摄影陈明远", "记者 荣怡婷", or, when the word looks
 * like a person's name, "陈明远拍的", "荣怡婷写了" ("行情报道" credits nobody, and looking 行情
 * up among the bylines would read 200 chunks for nothing).
 */
const creditedIn = (text: string, name: string, tag: string): boolean =>
  new RegExp(`(摄影|记者|通讯员|编辑)\\s*${name}`, "u").test(text) ||
  (looksLikePerson(name, tag) && new RegExp(`${name}.{0,4}(拍|摄|写|采写|报道)`, "u").test(text));
const PHOTO = /拍|摄|照片|图片/u;
/** Articles listed at most. */
const MAX_LISTED = 5;
/** Chunks searched for the name: bylines are indexed with every chunk of their article. */
const SEARCHED_CHUNKS = 200;

/** The words of a question that could be a person's name: two to four Han characters. */
function nameCandidates(question: string): string[] {
  return tagWords(question)
    .filter((w) => /^\p{Script=Han}{2,4}$/u.test(w.word) && creditedIn(question, w.word, w.tag))
    .map((w) => w.word);
}

/**
 * Answers "X拍的照片拍的是啥" / "记者X写了哪些报道" from the bylines: each article credited to the
 * named reporter or photographer (photos only, when the question asks about photos), with its
 * first sentence, cited, newest first. Undefined when the question names nobody the archive
 * credits, so the caller answers the usual way. Found through the lexical index, never a scan.
 * Never throws.
 */
export function composeBylineAnswer(index: NewsIndex, question: string): Answer | undefined {
  const simplified = toSimplified(question);
  if (!ASKS_WORK.test(simplified)) return undefined;
  const photos = PHOTO.test(simplified);
  for (const name of nameCandidates(simplified)) {
    const articles = new Map<string, Article>();
    for (const hit of index.searchLexical([name], SEARCHED_CHUNKS)) {
      const chunk = index.chunkAt(hit.chunkIndex);
      if (!chunk.byline.includes(name) || articles.has(chunk.articleId)) continue;
      const article = index.getArticle(chunk.articleId);
      if (!article || (photos && !isPhoto(article))) continue;
      articles.set(article.id, article);
    }
    if (articles.size === 0) continue;
    const listed = [...articles.values()]
      .sort((a, b) => (b.date ?? "").localeCompare(a.date ?? "") || a.position - b.position)
      .slice(0, MAX_LISTED);
    const citations: Citation[] = [];
    const passages: Passage[] = [];
    const lines = listed.flatMap((article) => {
      const chunk = index.chunksOfArticle(article.id)[0];
      const first = chunk ? splitSentences(chunk.text)[0]?.trim() : undefined;
      if (!chunk || !first) return [];
      const n = citations.length + 1;
      citations.push({ n, chunk });
      passages.push({ chunk, rank: n, score: 1 / n });
      return [`${formatDateZh(article.date)}《${article.headline}》:${first}[${n}]`];
    });
    if (lines.length === 0) continue;
    return { question, text: lines.join("\n"), abstained: false, citations, passages };
  }
  return undefined;
}

/** A photo: its layout kind says so, or its credits name a photographer. */
function isPhoto(article: Article): boolean {
  return article.kind === "photo" || article.credits.some((c) => /摄影|摄/u.test(c));
}
