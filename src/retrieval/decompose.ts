import { toSimplified } from "../text/normalize.js";
import { opensQuote, leavesOpen } from "../text/sentences.js";
import { cutWords, STOPWORDS, tagWords } from "../text/words.js";
import {
  ASKS,
  stripQuestionWords,
  WHICH_OF_TWO_WORD,
  WHICH_OF_TWO_CLASSIFIER,
} from "./question-words.js";
import { looksLikePerson } from "./answer-type.js";
import { isEnglishQuestion } from "./bridge.js";

/** Words that mark a question as asking about several things at once. */
const COMPOUND = new RegExp(
  `各|分别|都|两|哪[一]?${WHICH_OF_TWO_CLASSIFIER}?.{0,6}(更|最)|谁(更|最)|相比|比较`,
  "u",
);
/** Where the shared predicate of "A和B…" begins. */
const PREDICATE_START = /各|分别|都|哪|多少|几|什么|啥|谁|是否|有没有|是不是|更|最/u;
export const CLAUSE_SPLIT = /[,，;；?？]/u;
/** After "和/与" in one clause, words that make it a preposition that relates A to B: "和…有关". */
const RELATES = /^[^,，;；]*?(?:有关|相关|无关|一样|相同|不同|类似|之间|相当)/u;
/** "A和B相比": two subjects where the question asks which of them ("哪个更大"), else A against B. */
const COMPARED = /^[^,，;；]*?(?:相比|比较|比起)/u;
const WHICH_OF_TWO = /哪|谁/u;

const NAME_TAGS = new Set(["ns", "nr", "nt", "nz", "nrt", "nrfg"]);

/**
 * The first place, person or organisation a text names, or undefined when it names none. A person
 * jieba does not know ("陈利众/x") counts when the word looks like a name.
 */
function firstName(text: string): string | undefined {
  return tagWords(text).find(
    (w) => (NAME_TAGS.has(w.tag) && w.word.length >= 2) || looksLikePerson(w.word, w.tag),
  )?.word;
}

/** True when position `at` of the text stands inside 《…》 or quotation marks. */
function insideTitleOrQuote(text: string, at: number): boolean {
  const before = text.slice(0, at);
  return (
    leavesOpen(before, "《", "》") || opensQuote(before) || (before.split('"').length - 1) % 2 === 1
  );
}

/**
 * What B of "A和B…" shares with A, when the clause goes on after B: from the 的 after B on ("嘉善的
 * GDP分别是多少" → "的GDP分别是多少"), or else from the first question-or-predicate word on.
 */
function sharedOf(right: string): string {
  const predicate = PREDICATE_START.exec(right);
  const of = right.indexOf("的");
  if (of > 0 && (predicate === null || of < predicate.index)) return right.slice(of);
  return predicateOf(right);
}

/** A time that opens B of "A和B": a year, a month or a day, and its unit. */
const OPENING_TIME = /^\d{1,4}\s*(年|月|日|号)/u;
/** Units of time coarser than a month's and a day's, as A may name them before B's finer one. */
const COARSER: Readonly<Record<string, RegExp>> = {
  月: /\d{4}\s*年/u,
  日: /(?:\d{4}\s*年)?\d{1,2}\s*月/u,
  号: /(?:\d{4}\s*年)?\d{1,2}\s*月/u,
};

/**
 * Where B of "A和B" opens with a time, what A names before its own time of that unit ("平湖" of
 * "平湖2024年" against "2025年"; "2025年12月" of "2025年12月18号" against "19号"), or the coarser
 * time A names where it names none of that unit ("2025年" of "2025年上半年" against "11月"); and,
 * where A ends with its time, what follows B's time, which A shares. Undefined when B opens with
 * no time or A names nothing before it.
 */
function parallelTime(left: string, right: string): { before: string; after?: string } | undefined {
  const opening = OPENING_TIME.exec(right);
  const unit = opening?.[1];
  if (!opening || unit === undefined) return undefined;
  const same = [...left.matchAll(new RegExp(`\\d{1,4}\\s*${unit}`, "gu"))].at(-1);
  if (same) {
    const before = left.slice(0, same.index);
    const endsWithIt = same.index + same[0].length === left.length;
    const after = right.slice(opening[0].length);
    if (before.trim() === "" && !endsWithIt) return undefined;
    return endsWithIt && after !== "" ? { before, after } : { before };
  }
  const coarser = COARSER[unit]?.exec(left);
  return coarser ? { before: left.slice(0, coarser.index + coarser[0].length) } : undefined;
}

/** The text of a clause from its first question-or-predicate word on, or "" when it has none. */
function predicateOf(clause: string): string {
  const m = PREDICATE_START.exec(clause);
  return m ? clause.slice(m.index) : "";
}

/**
 * The words that join A and B, by jieba's tag: conjunctions, and 和, 与, 跟 and 同 where jieba tags
 * them as prepositions, as often as not in a question that asks about several things at once
 * ("经适房跟限价房各卖出去多少套").
 */
const JOINS: Readonly<Record<string, RegExp>> = {
  c: /^(和|与|跟|及|以及|同)$/u,
  p: /^(和|与|跟|同)$/u,
};

/** "A的X和B的Y": two noun phrases, each with its own 的, joined by 和 or 与. */
const TWO_PHRASES = /^(.+的[^的]+?)(和|与)(?=[^的]+的)/u;

/**
 * Where the conjunction of "A和B" stands in a clause (0 where the clause opens with it: "和B…"),
 * and its length; undefined when there is none. jieba may glue 和 to the next character
 * ("产值和平湖经开的产值" → 和平): then two phrases that each hold a 的 tell where it is.
 */
function conjunctionIn(clause: string): { at: number; length: number } | undefined {
  const words = tagWords(clause);
  // A clause that opens with the conjunction ("和B那次爆炸") joins the clause before it.
  const first = words[0];
  if (first && (JOINS[first.tag]?.test(first.word) ?? false) && clause.startsWith(first.word)) {
    return { at: 0, length: first.word.length };
  }
  const conj = words.findIndex((w, i) => i > 0 && (JOINS[w.tag]?.test(w.word) ?? false));
  if (conj > 0) {
    const word = words[conj]?.word ?? "";
    const at = clause.indexOf(word, clause.indexOf(words[conj - 1]?.word ?? "") + 1);
    return at > 0 ? { at, length: word.length } : undefined;
  }
  // "…目标和平湖经开…": jieba reads 和平 (peace) where 和 joins a name ("平湖") that follows.
  let at = 0;
  for (const [i, w] of words.entries()) {
    at = clause.indexOf(w.word, at);
    if (i > 0 && at > 0 && w.word.length === 2 && /^[和与跟同]/u.test(w.word)) {
      const next = tagWords(clause.slice(at + 1))[0];
      if (next && NAME_TAGS.has(next.tag) && next.word.length >= 2) return { at, length: 1 };
    }
    at += w.word.length;
  }
  const glued = TWO_PHRASES.exec(clause);
  return glued ? { at: glued[1]?.length ?? 0, length: 1 } : undefined;
}

/**
 * Splits a compound question into standalone sub-questions: "A和B,哪个总投资更大?" ->
 * ["A哪个总投资更大", "B哪个总投资更大"]; "X总投资多少,啥时候能用上?" -> ["X总投资多少",
 * "X总投资 啥时候能用上"]. A simple question comes back as the only element.
 */
export function decomposeQuestion(question: string): string[] {
  if (isEnglishQuestion(question)) return englishParts(question.trim());
  // "…吃了谁家送的饭?清远宝树制衣厂那回…是什么性质的中毒?": questions asked one after another,
  // each about a story it names, are answered one by one, and each may be compound itself.
  const questions = separateQuestions(question);
  if (questions.length >= 2) return questions.flatMap((one) => decomposeQuestion(one));
  const q = toSimplified(question.trim()).replace(/[?？!！。]+$/u, "");
  const clauses = q.split(CLAUSE_SPLIT).filter((c) => c.trim() !== "");

  // "A和B…": a conjunction joining two subjects that share one predicate. Clauses before the one
  // that joins them ("昆明火车站暴恐案,3月2日零时和2日早上6点…") say what both parts are about.
  if (COMPOUND.test(q)) {
    for (const [k, clause] of clauses.entries()) {
      const join = conjunctionIn(clause);
      if (join === undefined) continue;
      const { length } = join;
      // A clause that opens with the conjunction ("A那次爆炸,和B那次爆炸,各死了多少人") joins
      // the clause before it: that clause is A.
      const opens = join.at === 0 && k > 0;
      const at = opens ? (clauses[k - 1]?.length ?? 0) + 1 : join.at;
      const joined = opens ? `${clauses[k - 1] ?? ""},${clause}` : clause;
      // A title or a quotation joins nothing ("《关于托勒密和哥白尼两大世界体系的对话》").
      if (join.at < 0 || (join.at === 0 && !opens) || insideTitleOrQuote(clause, join.at)) break;
      // "和…有关", and "和…相比" where nothing asks which of the two: a preposition that relates
      // A to B ("杰米·海纳曼和他的搭档相比以什么特点著称"), not two subjects.
      const after = joined.slice(at);
      if (RELATES.test(after) || (COMPARED.test(after) && !WHICH_OF_TWO.test(q))) continue;
      const context = clauses.slice(0, opens ? k - 1 : k).join(",");
      const lead = context === "" ? "" : `${context} `;
      const left = opens ? (clauses[k - 1] ?? "") : joined.slice(0, at);
      const written = joined.slice(at + length);
      const rest = clauses.slice(k + 1).join(",");
      // "平湖2024年和2025年…", "12月18号和19号…": B names a time as A does, and what A names
      // before its time (平湖, 12月) is B's too, but for a name where B names its own
      // ("新疆哈密2014年那次…和2009年察布查尔那次…").
      const time = parallelTime(left, written);
      const right =
        time &&
        !written.includes(time.before) &&
        (firstName(time.before) === undefined || firstName(written) === undefined)
          ? `${time.before}${written}`
          : written;
      // A that names its own head ("昊柏的贷款和融担给大圭电子的担保贷款各多少") shares only the
      // question word with B; a bare A ("平湖和嘉善的GDP…") shares B's head too, and a time
      // ("18号和19号两天A股开盘时…") what follows B's time.
      const shared = left.includes("的")
        ? predicateOf(written)
        : (time?.after ?? sharedOf(written));
      // Clauses after the one that joins them ask of both. Where the joining clause asks too
      // ("…和智谱2024年的收入各是多少?谁更高?"), or B's time parallels A's ("平湖2024年和2025年的
      // 固定资产投资增速,哪一年更快?"), A shares B's head as well.
      const headShared = time?.after !== undefined || predicateOf(written) !== "";
      const predicate =
        rest === "" ? shared : headShared && shared !== "" ? `${shared},${rest}` : rest;
      const parts = [
        `${lead}${left}${predicate}`,
        rest !== "" ? `${lead}${right}${rest}` : `${lead}${right}`,
      ];
      if (parts.every((p) => p.trim().length >= 2)) return parts;
      break;
    }
  }

  // "X…多少,啥时候…": several clauses that each ask something; later ones inherit X. Clauses
  // before the first that asks ("瑞安那个停车场着火,烧了多少辆摩托?那停车场一共多大?") say what
  // every part is about, and each part gets them.
  const opening = clauses.findIndex((c) => ASKS.test(c));
  const context = opening > 0 ? clauses.slice(0, opening).join(",") : "";
  const asked = clauses.slice(Math.max(0, opening));
  if (asked.length >= 2 && asked.every((c) => ASKS.test(c))) {
    const first = asked[0] ?? "";
    const m = ASKS.exec(first);
    const subject = context !== "" ? context : m ? first.slice(0, m.index) : first;
    // A later clause that names its own place, person or organisation ("桐乡…有多少…") asks
    // about that, not about the first clause's subject.
    // "…他在新埭首先去的…": a later clause that opens with a pronoun asks about the first
    // clause's person, though it names a place of its own.
    const personOf = () => tagWords(subject).find((w) => looksLikePerson(w.word, w.tag))?.word;
    return asked.map((clause, i) => {
      if (i === 0) return context === "" ? clause : `${context},${clause}`;
      // "…那家企业又叫什么": the 又 of a later clause goes on to the next question; it does not ask
      // for another name (又叫).
      const c = clause.replace(/又(?=叫)/u, "");
      const pronoun = PERSONAL_PRONOUN.exec(c)?.[0];
      const person = pronoun === undefined ? undefined : personOf();
      if (pronoun !== undefined && person !== undefined) return person + c.slice(pronoun.length);
      return firstName(c) !== undefined ? c : `${inherited(subject, c)} ${c}`;
    });
  }
  return [question];
}

/**
 * "哪个更高", "哪个占地更大", "哪次更深": a comparison's question word, with what it compares
 * (占地) and the sense of the comparison (深): one part names one thing, and asks how much it is,
 * or how deep, long, far, heavy or wide, for a size the units of which the answer gives. 更早 and
 * 更晚 ask a date, and stay as written.
 */
const WHICH_IS_MORE = new RegExp(
  `(?:${WHICH_OF_TWO_WORD}|谁)(\\p{Script=Han}{0,3}?)(?:更|比较|最)([多少低小短慢近轻浅高大长远深重快宽贵])`,
  "u",
);
/**
 * A part of a comparison as asked on its own: "…产值目标哪个更高" asks "…产值目标是多少". The
 * whole question's comparing words ask which of two things; a part that keeps them reads as a
 * question about something else. 各 and 分别 ("各是多少") stay: they still ask for a figure. The
 * comparison itself reads the parts as written (src/answer/comparison.ts), whose comparing words
 * end each side's name.
 */
export function askedAlone(part: string): string {
  const which = WHICH_IS_MORE.exec(part);
  if (!which) return part;
  const before = part.slice(0, which.index);
  const after = part.slice(which.index + which[0].length);
  // "…的收入是多少,谁更高": comparing words alone go where the part asks already.
  if (which[1] === "" && ASKS.test(before)) return `${before.replace(/[,，]\s*$/u, "")}${after}`;
  const sense = which[2] ?? "";
  const asked = /[深远长重宽]/u.test(sense)
    ? `${which[1]}多${sense}`
    : sense === "贵"
      ? `${which[1]}多少钱`
      : `${which[1]}是多少`;
  return `${before}${asked}${after}`;
}

/**
 * A word that opens a question and points back at what an earlier one named ("它在哪个镇",
 * "那停车场一共多大", "该项目…"): the question depends on the one before it.
 */
const REFERS_BACK = /^(?:[它他她其该这那此]|还有它|另外它)/u;

/** A Latin name ("OpenAI", "MiniMax") or a title in 《》: a question names its own subject by it. */
const OWN_NAME = /[A-Za-z]{2,}|《[^》]+》/u;

/**
 * The questions of a text that asks several one after another, each ending in a question mark
 * ("A…多少?B…几个人?"), when each asks something and every later one names a place, a person, an
 * organisation or a title of its own: then each stands alone. One element or none otherwise: a
 * later question that names nothing ("那停车场一共多大?") or points back ("它…") inherits the
 * first one's subject, clause by clause, in `decomposeQuestion`.
 */
function separateQuestions(question: string): string[] {
  const questions = question
    .split(/[?？]/u)
    .map((one) => one.trim())
    .filter((one) => one !== "");
  const simplified = questions.map((one) => toSimplified(one));
  if (questions.length < 2 || !simplified.every((one) => ASKS.test(one))) return [];
  const standsAlone = (one: string) =>
    !REFERS_BACK.test(one) && (firstName(one) !== undefined || OWN_NAME.test(one));
  return simplified.slice(1).every(standsAlone) ? questions : [];
}

/** A pronoun that opens a clause and stands for a person named before it. */
const PERSONAL_PRONOUN = /^(?:他们|她们|他|她)/u;

/** English question words, as a pattern's source ("what's" is "what" before a boundary). */
const ENGLISH_QUESTION_WORDS = "how|what|which|who|whom|whose|when|where|why";

/**
 * Where an English question asks a second thing: ", and how many…", "; what…", "? Who…" — "and",
 * a comma or a question mark before a question word.
 */
const ENGLISH_NEXT_PART = new RegExp(
  String.raw`\s*(?:,?\s+and\s+|[,;?]\s+)(?=(?:${ENGLISH_QUESTION_WORDS})\b)`,
  "iu",
);

/** An English question word. */
const ENGLISH_ASKS = new RegExp(String.raw`\b(?:${ENGLISH_QUESTION_WORDS})\b`, "iu");

/** A capitalised word after a part's first word: a name the part gives its own subject by. */
const NAMES_ITS_OWN = /\s[A-Z]/u;

/**
 * The parts of an English question that asks several things ("How many AI companies does Pinghu
 * have, and how much did their revenue grow?"), or the question alone. A later part that names
 * nothing of its own ("…and what is their output?") asks about the first part's subject, and is
 * read with the first part's words, as a Chinese clause inherits its subject.
 */
function englishParts(question: string): string[] {
  const [first = question, ...rest] = question.split(ENGLISH_NEXT_PART).filter((p) => p !== "");
  // "In the Qwen app's campaign, how much…" asks one thing: what comes first must ask too.
  if (rest.length === 0 || !ENGLISH_ASKS.test(first)) return [question];
  const head = first.replace(/\?\s*$/u, "");
  return [
    `${head}?`,
    ...rest.map((part) => {
      const asked = part.replace(/\?\s*$/u, "");
      return NAMES_ITS_OWN.test(asked) ? `${asked}?` : `${asked}, ${head}?`;
    }),
  ];
}

/** A year, a month or a quarter, as a question names the time it asks about. */
const TIME =
  /\d{4}\s*年|\d{1,2}\s*月(?:\s*\d{1,2}\s*[日号])?|[今去明前]年|[上下]半年|[一二三四1-4]季度/u;
const TIMES = new RegExp(TIME.source, "gu");

/**
 * What a later clause inherits of the first one's subject: not the first clause's comparison
 * ("2026年考研报名人数比2023年峰值少了" → "2026年考研报名人数"), which is its own question, and not
 * its time where the later clause names another ("2023年当时有多少人" asks about 2023).
 */
function inherited(subject: string, clause: string): string {
  const compared = subject.search(/比/u);
  let kept = compared >= 2 ? subject.slice(0, compared) : subject;
  if (TIME.test(clause)) {
    const timeless = kept.replace(TIMES, "").trim();
    if (Array.from(timeless).length >= 2) kept = timeless;
  }
  return kept;
}

/**
 * The words each part asks with that no other part holds: "逃税" and "金额" of "…后来被传逃税的
 * 金额又是多少" beside "…黄金地花了多少". A sentence that holds few of a part's own words was
 * found for the words it shares with another part, and does not answer this one. A part that
 * adds no word of its own ("…总投资多少" where the other part names 总投资 too) gets none.
 */
export function ownWordsOfParts(parts: readonly string[]): string[][] {
  const words = parts.map((p) =>
    cutWords(stripQuestionWords(toSimplified(p))).filter(
      (w) => Array.from(w).length >= 2 && !STOPWORDS.has(w) && /[\p{Script=Han}a-z0-9]/u.test(w),
    ),
  );
  return words.map((mine, i) =>
    [...new Set(mine)].filter((w) => !words.some((other, j) => j !== i && other.includes(w))),
  );
}

/**
 * A later part that inherited the first clause ("郭台铭在重庆拿那块黄金地花了 后来被传逃税的金额又是
 * 多少"), narrowed to its own clause and the first name of what it inherited ("郭台铭 后来被传逃税的
 * 金额又是多少"): the inherited predicate belongs to the first part, and pulls its story back.
 * Undefined when the part inherited nothing, or nothing that jieba tags as a name.
 */
export function narrowPart(part: string): string | undefined {
  const gap = part.indexOf(" ");
  if (gap <= 0) return undefined;
  const topic = firstName(part.slice(0, gap));
  return topic === undefined ? undefined : `${topic} ${part.slice(gap + 1)}`;
}
