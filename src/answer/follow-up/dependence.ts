/**
 * Whether a question leans on the previous turn, read from its own structure: a pronoun or a
 * demonstrative with nothing of its own before it ("它在哪个镇?", "这家公司去年营收多少?"), a
 * missing subject ("谁主持的?"), a new subject for the previous question ("那平湖呢?"), or "还有呢?".
 * An attribute asked alone ("老板是谁?") is asked of the previous turn's subject too.
 * A question with a subject of its own stands alone, whatever words it shares with a follow-up:
 * "阿里巴巴那个基地投了多少钱?" (那个 is modified by 阿里巴巴), "那个做记忆棉床垫的公司叫啥?"
 * (那个 introduces a description).
 */
import { STOPWORDS, tagWords, type TaggedWord } from "../../text/words.js";
import { toHalfWidth, toSimplified } from "../../text/normalize.js";
import { parseChineseNumeral } from "../../text/numerals.js";

/** How a question depends on the previous turn. */
export type Dependence =
  | { kind: "standalone" }
  /** "还有呢?": the previous question again. */
  | { kind: "more" }
  /** "那平湖呢?", "那2024年呢?": the previous question about `subject`. */
  | { kind: "swap"; subject: string }
  /** "它…", "这家公司…": `phrase` stands for what the previous turn was about. */
  | { kind: "anaphor"; phrase: string; person: boolean }
  /** "谁主持的?": the subject is left out, and is the previous turn's. */
  | { kind: "elided" }
  /** "第一个投了多少?", "后者在哪?": `phrase` stands for the `position`-th thing the previous answer listed. */
  | { kind: "ordinal"; phrase: string; position: number };

/** "还有呢?", "还有吗", "其他的呢": the user wants more on the same question. */
const MORE =
  /^(那)?(还有|其他|其它|别的|另外|更多)(的|呢|吗|么|没有|别的|其他的|其它的|什么|哪些)*$/u;
/** "那平湖呢?", "那平湖多少?", "平湖呢": a new subject for the previous question. */
const THAT_ONE = /^(?:那么?|换成|如果是)(.+)$|^(.+?)呢$/u;
/** What may follow the new subject of "那X…" and still ask the previous question. */
const TRAILING_QUESTION =
  /(的)?(呢|怎么样|如何|又如何|多少|有多少|是多少|又是多少|几个|多大|有多大|怎么说|情况|的情况|吗)+$/u;
/** "第一个…", "第2个…", "前者…", "后者…" opening the question: a place in the previous answer's list. */
const ORDINAL =
  /^(?:第([一二两三四五六七八九十]|[1-9])个(?:项目|企业|公司|单位)?|前者|后者)(?=\p{Script=Han})/u;
/** Personal pronouns: they never name anything themselves. */
const PERSONAL = new Set(["它", "它们", "他", "他们", "她", "她们", "其"]);
/** A demonstrative word: 这, 那, 该, 此, alone or with a measure word (这家, 那个, 这次…). */
const DEMONSTRATIVE =
  /^(?:这|那|该|此)(?:个|家|所|项|位|座|笔|次|场|届|条|份|款|件|起|批|名|只|支|种|篇|些|里|儿|边|段|块|栋|套)?$/u;
/** A measure word jieba may leave apart from its demonstrative ("那/家/超市"). */
const MEASURE =
  /^(?:个|家|所|项|位|座|笔|次|场|届|条|份|款|件|起|批|名|只|支|种|篇|些|段|块|栋|套)$/u;
/** Words after a demonstrative that make it a time ("这个月", "那时候"), not a reference. */
const TIME_AFTER = /^(?:个?月|周|个?星期|年|天|几天|两天|阵子|时候|时|会儿|么|样|里的?时候)/u;
/**
 * Parts of speech that name a subject: nouns, names, places, organisations, foreign words, and
 * words jieba does not know (x), which are mostly names ("于乐", "高裕").
 */
const NOUN_TAGS = new Set("n nr nrt nrfg ns nt nz ng nl j l eng s x".split(" "));
/** Proper names: after a demonstrative they name the subject ("这个鲤鱼门天后庙"). */
const PROPER_TAGS = new Set("nr nrt nrfg ns nt nz x eng".split(" "));
/** Question words, cut before a question's own content is weighed. */
const QUESTION_WORDS =
  /什么时候|啥时候|多长时间|多少钱|为什么|为啥|怎么样|怎么|怎样|如何|哪里|哪儿|哪个|哪些|哪家|哪位|哪所|哪年|哪天|哪|什么|多少|多大|多久|多高|多长|几[个家位名层次支年岁条项件天所户人种批届倍期张]?|谁|吗|呢|吧|啥/gu;
/** A question asks something: a question word, or a yes/no ending. */
const ASKS =
  /谁|什么|啥|哪|几|多少|多大|多久|多高|多长|怎么|怎样|如何|为什么|为啥|是否|吗|呢|有没有|是不是/u;
/** "什么是X?", "X是什么?": a question about what its subject is. */
const DEFINES = /^(?:什么|啥)(?:是|叫)|是(?:什么|啥)$|^何为/u;
/** Parts of speech a question without a subject opens with: verbs and prepositions. */
const PREDICATE_TAGS = new Set(["v", "vd", "vi", "vn", "p"]);
/** Content of at most this many characters, with no noun of its own, leaves the subject out. */
const MAX_ELIDED_CONTENT_CHARS = 4;
/** A follow-up is short; a longer question carries its own subject. */
const MAX_FOLLOW_UP_CHARS = 40;

/** The question in the form the rules compare: simplified, half-width, trimmed, final ?!。 dropped. */
export function bareQuestion(question: string): string {
  return toHalfWidth(toSimplified(question))
    .trim()
    .replace(/[\s?!。.,，、~]+$/u, "")
    .trim();
}

/** True when the word carries nothing of a subject: a stopword, a time word, a particle. */
function isFunctionWord(w: TaggedWord): boolean {
  return STOPWORDS.has(w.word) || w.word === "那" || /^(?:t|y|u[a-z]*|p|c|d|e|o)$/u.test(w.tag);
}

/** The word without a trailing aspect particle ("投了" -> "投"), as jieba glues them. */
function stem(word: string): string {
  return word.length > 1 ? word.replace(/[了过着]$/u, "") : word;
}

/**
 * True when the words from `from` on, up to the next 的, describe a subject on their own:
 * "那个[做记忆棉床垫]的公司", two content words at least, no question word, and a head after 的
 * ("这次会议谁主持的" ends on its 的).
 */
function describes(words: readonly TaggedWord[], from: number): boolean {
  let content = 0;
  for (let i = from; i < words.length; i++) {
    const w = words[i] as TaggedWord;
    if (w.word === "的") return content >= 2 && i + 1 < words.length;
    if (QUESTION_ONLY.test(w.word)) return false;
    if (!isFunctionWord(w)) content++;
  }
  return false;
}

/** True when the nouns right after `from` include a proper name: "这个鲤鱼门天后庙". */
function namesAfter(words: readonly TaggedWord[], from: number): boolean {
  for (let i = from; i < words.length && NOUN_TAGS.has((words[i] as TaggedWord).tag); i++) {
    if (PROPER_TAGS.has((words[i] as TaggedWord).tag)) return true;
  }
  return false;
}
const QUESTION_ONLY = new RegExp(`^(?:${QUESTION_WORDS.source})+$`, "u");

/** The reference at the front of the question ("它", "这家公司"), if nothing of its own is before it. */
function findAnaphor(
  words: readonly TaggedWord[],
  q: string,
): { phrase: string; person: boolean } | undefined {
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as TaggedWord;
    const personal = PERSONAL.has(w.word);
    // 该 is also "should" (该怎么办): only a pronoun-tagged word refers.
    const demonstrative = DEMONSTRATIVE.test(w.word) && w.word !== "那" && w.tag === "r";
    // "那" alone starts "那平湖呢" (then) unless a measure word follows ("那/家/超市").
    const split = (w.word === "那" || w.word === "这") && MEASURE.test(words[i + 1]?.word ?? "");
    // A bare 该 or 此 refers only with a noun after it ("该公司"; "该怎么办" is "should").
    const next = words[i + 1];
    if ((w.word === "该" || w.word === "此") && !(next && NOUN_TAGS.has(next.tag))) continue;
    if (personal || demonstrative || split || (w.word === "这" && i === 0)) {
      let end = split ? i + 2 : i + 1;
      const rest = words
        .slice(end)
        .map((x) => x.word)
        .join("");
      if (!personal && TIME_AFTER.test(rest)) return undefined;
      if (!personal && describes(words, end)) return undefined;
      if (!personal && namesAfter(words, end)) return undefined;
      // The head noun goes with the demonstrative: "这家公司", "这次会议".
      const head = words[end];
      if (
        !personal &&
        head &&
        (NOUN_TAGS.has(head.tag) || head.tag === "vn") &&
        !isFunctionWord(head)
      ) {
        end++;
      }
      const phrase = words
        .slice(i, end)
        .map((x) => x.word)
        .join("");
      return q.includes(phrase) ? { phrase, person: /^[他她]/u.test(w.word) } : undefined;
    }
    // Something of the question's own comes first: any reference after it points back to it.
    if (!isFunctionWord(w) && !QUESTION_ONLY.test(w.word)) return undefined;
  }
  return undefined;
}

/**
 * True when the question asks something but names no subject: it opens with its predicate (a
 * question word, a preposition or a verb: "谁主持的?", "在哪个镇?", "投了多少钱?") and holds no
 * noun of two characters or more. "梁修身出生在哪里?" opens with its subject; "什么是窃听?" asks
 * what its subject is.
 */
function leavesSubjectOut(q: string): boolean {
  if (!ASKS.test(q) || /[“”"「」『』《》\p{Script=Latin}\d]/u.test(q)) return false;
  if (DEFINES.test(q)) return false;
  const opening = tagWords(q.replace(QUESTION_WORDS, " ")).find((w) => w.tag !== "d");
  if (opening === undefined) return false;
  const openingTag =
    opening.tag === "x" ? (tagWords(stem(opening.word))[0]?.tag ?? "x") : opening.tag;
  if (!PREDICATE_TAGS.has(openingTag)) return false;
  const words = tagWords(q.replace(QUESTION_WORDS, " ")).filter((w) => !isFunctionWord(w));
  let chars = 0;
  for (const w of words) {
    const word = stem(w.word);
    if (Array.from(word).length < 2) continue;
    if (NOUN_TAGS.has(w.tag)) return false;
    chars += Array.from(word).length;
  }
  return chars <= MAX_ELIDED_CONTENT_CHARS;
}

/**
 * Nouns that name an attribute of something ("老板是谁?", "地址在哪?", "总投资多少?"): asked
 * with nothing else, they ask it of what the previous turn was about. A closed class, written here:
 * jieba tags them as any other noun.
 */
const ATTRIBUTE_NOUNS = new Set(
  (
    "老板 老总 董事长 总经理 总裁 负责人 创始人 创办人 法人 法定代表人 厂长 校长 院长 " +
    "地址 位置 电话 官网 网址 规模 营收 产值 利润 销售额 员工 职工 总投资 投资 投资额 面积 " +
    "占地 人口 产品 主营 前身 历史 年龄 职务 身份 学历 老家 籍贯 工期 造价 票价 门票 价格"
  ).split(" "),
);

/** True when the question asks only for an attribute ("老板是谁?"), naming no owner of it. */
function asksAttributeAlone(q: string): boolean {
  if (!ASKS.test(q)) return false;
  const words = tagWords(q.replace(QUESTION_WORDS, " ")).filter(
    (w) => !isFunctionWord(w) && w.word.trim() !== "",
  );
  // jieba may cut one attribute in two ("总/投资").
  const joined = words.map((w) => w.word).join("");
  return (
    words.length > 0 &&
    (ATTRIBUTE_NOUNS.has(joined) || words.every((w) => ATTRIBUTE_NOUNS.has(w.word)))
  );
}

/** The new subject of "那X呢?" when X is a bare noun phrase, else undefined. */
function swappedSubject(q: string): string | undefined {
  const that = THAT_ONE.exec(q);
  if (!that) return undefined;
  const subject = (that[1] ?? that[2] ?? "").replace(TRAILING_QUESTION, "").trim();
  if (subject === "" || Array.from(subject).length > 12 || MEASURE.test(subject[0] ?? "")) {
    return undefined;
  }
  const words = tagWords(subject);
  const bareNoun = words.every(
    (w) =>
      !PERSONAL.has(w.word) &&
      !DEMONSTRATIVE.test(w.word) &&
      !QUESTION_ONLY.test(w.word) &&
      (w.word === "的" || !/^(?:v|vd|p|c|d|r|y)$/u.test(w.tag)),
  );
  return bareNoun ? subject.replace(/的$/u, "") : undefined;
}

/**
 * How the question depends on the previous turn, from its own structure. A question that names
 * its own subject is "standalone". Never throws.
 */
export function analyzeDependence(question: string): Dependence {
  const q = bareQuestion(question);
  if (q === "" || !/\p{Script=Han}/u.test(q) || Array.from(q).length > MAX_FOLLOW_UP_CHARS) {
    return { kind: "standalone" };
  }
  if (MORE.test(q)) return { kind: "more" };
  const subject = swappedSubject(q);
  if (subject !== undefined) return { kind: "swap", subject };
  const ordinal = ORDINAL.exec(q);
  // "第一个登上月球的人是谁?": an ordinal that a description follows names its own subject.
  if (ordinal && !describes(tagWords(q.slice(ordinal[0].length)), 0)) {
    const phrase = ordinal[0];
    const written = ordinal[1] ?? "";
    const position =
      phrase === "前者"
        ? 1
        : phrase === "后者"
          ? 2
          : /^[1-9]$/u.test(written)
            ? Number(written)
            : (parseChineseNumeral(written) ?? 0);
    if (position >= 1) return { kind: "ordinal", phrase, position };
  }
  const anaphor = findAnaphor(tagWords(q), q);
  if (anaphor) return { kind: "anaphor", ...anaphor };
  if (leavesSubjectOut(q) || asksAttributeAlone(q)) return { kind: "elided" };
  return { kind: "standalone" };
}
