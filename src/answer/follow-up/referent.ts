/**
 * What the previous turn was about, by its full name: the name the previous question shares with
 * the article its answer cited ("高裕家居"), written out as that article writes it
 * ("浙江高裕家居科技股份有限公司"); or, when the previous question asked for a name ("哪家公司…")
 * or described its subject by a superlative ("最高的楼"), the name its answer gave.
 */
import { STOPWORDS, cutWords, tagWords, type TaggedWord } from "../../text/words.js";
import { escapeRegExp, toHalfWidth, toSimplified } from "../../text/normalize.js";
import type { Article } from "../../types.js";
import { bareQuestion } from "./dependence.js";

/** The part of the archive a referent is looked up in: the articles the previous answer cited. */
export interface FollowUpArchive {
  getArticle(articleId: string): Article | undefined;
}

/** The previous turn as the referent is read from it. */
export interface ReferentTurn {
  /** The standalone question. */
  question: string;
  /** The answer text, when one was sent. */
  answer?: string;
  /** The articles the answer cited, in citation order. */
  articleIds?: readonly string[];
}

/** Words that end the name of an organisation, a project or an event. */
export const ORG_SUFFIX =
  /(公司|集团|企业|银行|商行|农商行|中心|基地|园区|产业园|学校|学院|大学|中学|小学|幼儿园|医院|项目|工程|协会|研究院|研究所|实验室|工作站|馆|厂|局|委员会|基金|平台)$/u;
/** How a registered name continues after its short form: "高裕家居" + "科技股份有限公司". */
const LEGAL_TAIL =
  /^[^\s\p{P}\p{S}与和及的在等是为将对从向并]{0,8}?(?:股份有限公司|有限责任公司|集团有限公司|有限公司|集团|公司)/u;
/**
 * The previous question asked for a name, which its answer then gave; or it described what it
 * asked about by a superlative ("嘉兴最高的楼有多高?"), and its answer named that.
 */
const ASKED_FOR_NAME =
  /哪家|哪个|哪所|哪位|谁|什么公司|什么企业|什么单位|什么项目|什么名字|叫什么|叫啥|哪些|最\p{Script=Han}{1,3}的/u;
/** Parts of speech of names and nouns. */
const NAME_TAGS = new Set([
  "n",
  "nr",
  "nrt",
  "nrfg",
  "ns",
  "nt",
  "nz",
  "ng",
  "nl",
  "j",
  "l",
  "eng",
  "x",
  "vn",
]);
/** A subject described by a superlative, up to what the question asks of it: "嘉兴最高的楼". */
const DESCRIBED =
  /^(\p{Script=Han}{0,8}?最\p{Script=Han}{1,3}的\p{Script=Han}{1,4}?)(?:叫|是|有|在|多|几|什么|啥|哪)/u;
/** Person names. */
const PERSON_TAGS = new Set(["nr", "nrfg", "nrt"]);
/** Parts of speech that cannot start or end a name. */
const EDGE_TAGS = /^(?:v|vd|p|c|d|r|y|u[a-z]*|t|f|e|o|a|ad)$/u;
/** Cited articles read for the referent, and characters read of each. */
const MAX_ARTICLES = 3;
const MAX_ARTICLE_CHARS = 6000;
/** Question words, which are never part of a name. */
const QUESTION_WORD =
  /^(?:什么|啥|哪|哪个|哪些|哪家|哪里|谁|几|多少|多大|怎么|怎样|如何|为什么|为啥|吗|呢)$/u;

/** Text in the form names are matched in: simplified, half-width. */
function plain(text: string): string {
  return toHalfWidth(toSimplified(text));
}

/** The texts of the cited articles: headline, subtitle and body. */
function citedTexts(turn: ReferentTurn, archive: FollowUpArchive): string[] {
  const texts: string[] = [];
  for (const id of (turn.articleIds ?? []).slice(0, MAX_ARTICLES)) {
    const article = archive.getArticle(id);
    if (!article) continue;
    const text = [article.headline, article.subtitle ?? "", ...article.paragraphs].join("\n");
    texts.push(plain(text).slice(0, MAX_ARTICLE_CHARS));
  }
  return texts;
}

/**
 * The first organisation or project named in the text: a word with an organisation suffix plus
 * the content words right before it ("嘉善" + "农" + "商行" -> "嘉善农商行"), as written.
 */
export function findOrganisation(text: string): string | undefined {
  const words = cutWords(text);
  const written = plain(text);
  const lower = written.toLowerCase();
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? "";
    const pair = words.slice(Math.max(0, i - 1), i + 1).join("");
    if (!ORG_SUFFIX.test(word) && !ORG_SUFFIX.test(pair)) continue;
    let start = i;
    while (start > 0) {
      const prev = words[start - 1] ?? "";
      if (STOPWORDS.has(prev) || /^[\p{P}\p{S}\d]/u.test(prev)) break;
      start--;
    }
    // Word cutting lower-cases and drops punctuation ("昊柏(嘉兴)人工智能…"): find the span as
    // written, allowing punctuation between its words.
    const pattern = words
      .slice(start, i + 1)
      .map(escapeRegExp)
      .join("[\\p{P}\\s]*");
    const match = new RegExp(pattern, "u").exec(lower);
    return match
      ? written.slice(match.index, match.index + match[0].length)
      : words.slice(start, i + 1).join("");
  }
  return undefined;
}

/** The words of a span without the function words, verbs and question words at its edges. */
function trimEdges(words: readonly TaggedWord[]): TaggedWord[] {
  let start = 0;
  let end = words.length;
  const edge = (w: TaggedWord): boolean =>
    EDGE_TAGS.test(w.tag) || STOPWORDS.has(w.word) || QUESTION_WORD.test(w.word);
  while (start < end && edge(words[start] as TaggedWord)) start++;
  while (end > start && edge(words[end - 1] as TaggedWord)) end--;
  return words.slice(start, end);
}

/**
 * The names the question shares with the cited texts: maximal common substrings of two
 * characters or more, trimmed to whole words, holding a noun or a name. Longest first.
 */
function sharedNames(question: string, texts: readonly string[]): string[] {
  const found: string[] = [];
  const chars = Array.from(question);
  let i = 0;
  while (i < chars.length) {
    let length = 0;
    while (
      i + length < chars.length &&
      texts.some((t) => t.includes(chars.slice(i, i + length + 1).join("")))
    ) {
      length++;
    }
    if (length >= 2) {
      const words = trimEdges(tagWords(chars.slice(i, i + length).join("")));
      const name = words.map((w) => w.word).join("");
      if (words.some((w) => NAME_TAGS.has(w.tag) && w.word.length >= 2) && name.length >= 2) {
        // tagWords normalises; keep the span as the question writes it.
        const at = question.toLowerCase().indexOf(name);
        found.push(at >= 0 ? question.slice(at, at + name.length) : name);
      }
      i += length;
    } else {
      i++;
    }
  }
  return found.sort((a, b) => b.length - a.length);
}

/**
 * The name as the cited texts write it in full: a short company name gains its legal tail
 * ("科技股份有限公司") and the places right before it ("浙江"). The name itself when the texts
 * hold nothing longer.
 */
export function fullName(name: string, texts: readonly string[]): string {
  let best = name;
  for (const text of texts) {
    for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + 1)) {
      const tail = /(?:公司|集团)$/u.test(name)
        ? ""
        : (LEGAL_TAIL.exec(text.slice(at + name.length))?.[0] ?? "");
      if (tail === "") continue;
      const before = tagWords(text.slice(Math.max(0, at - 8), at));
      let place = "";
      for (let k = before.length - 1; k >= 0 && before[k]?.tag === "ns"; k--) {
        place = `${before[k]?.word ?? ""}${place}`;
      }
      if (!text.slice(0, at).endsWith(place)) place = "";
      const candidate = `${place}${name}${tail}`;
      if (candidate.length > best.length) best = candidate;
    }
  }
  return best;
}

/**
 * The first person named in the text, if any: a word jieba takes for a person's name, or an
 * unknown word of two or three characters right after a title ("政法委书记陈王进"), which is how
 * news introduces people whose names jieba does not know.
 */
function firstPerson(text: string, except: string): string | undefined {
  const words = tagWords(text);
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as TaggedWord;
    if (w.word.length < 2 || except.includes(w.word)) continue;
    if (PERSON_TAGS.has(w.tag) && w.word.length <= 4) return w.word;
    const titled = TITLE.test(words[i - 1]?.word ?? "");
    if (w.tag === "x" && w.word.length <= 3 && titled) return w.word;
  }
  return undefined;
}
/** A title before a person's name. */
const TITLE =
  /(?:书记|长|主任|委员|常委|领导|记者|经理|董事|院士|教授|主席|代表|专家|总监|老师|医生|负责人)$/u;

/**
 * What the previous turn was about, by its fullest name, or undefined when it names nothing.
 * `person` prefers a person (for 他/她). Never throws.
 */
export function findReferent(
  turn: ReferentTurn,
  archive: FollowUpArchive,
  options: { person: boolean },
): string | undefined {
  const question = bareQuestion(turn.question);
  const texts = citedTexts(turn, archive);
  if (turn.answer !== undefined && ASKED_FOR_NAME.test(question)) {
    const answer = plain(turn.answer);
    const named = options.person
      ? (firstPerson(answer, question) ?? findOrganisation(answer))
      : (findOrganisation(answer) ?? firstPerson(answer, question));
    if (named !== undefined && !question.includes(named))
      return fullName(named, [answer, ...texts]);
  }
  if (options.person) {
    // 他 and 她 stand for a person, never for a company or an action ("调研" of "谁去调研了…"):
    // with none named, the caller keeps the previous question's words instead.
    return firstPerson(question, "");
  }
  // "嘉兴最高的楼叫什么?" that got no name: the description is the fullest name there is.
  const described = DESCRIBED.exec(question)?.[1];
  if (described !== undefined) return described;
  const shared = sharedNames(question, texts)[0];
  if (shared !== undefined) return fullName(shared, texts);
  const organisation = findOrganisation(question);
  if (organisation !== undefined) return fullName(organisation, texts);
  const words = trimEdges(tagWords(question));
  const firstNoun = words.findIndex((w) => NAME_TAGS.has(w.tag));
  if (firstNoun < 0) return undefined;
  let end = firstNoun;
  while (end < words.length && NAME_TAGS.has((words[end] as TaggedWord).tag)) end++;
  return words
    .slice(firstNoun, end)
    .map((w) => w.word)
    .join("");
}
