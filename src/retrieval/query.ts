import { tokenize } from "../text/words.js";
import { toSimplified } from "../text/normalize.js";
import { expandAliases } from "./aliases.js";
import { ASKING_JI, ASKS_PURPOSE, stripQuestionWords } from "./question-words.js";
import { MONEY_NOUNS } from "./measures.js";

/** What kind of expression would answer the question. */
export type AnswerType =
  | "number"
  | "money"
  | "date"
  | "person"
  | "place"
  | "name"
  | "alias"
  | "origin"
  | "reason"
  | "method"
  | "list"
  | "yesno"
  | "other";

/** How the answer should be shaped. */
export type QuestionKind = "fact" | "why_how" | "coverage" | "comparison";

/** A question, analysed for retrieval and answer composition. */
export interface QueryAnalysis {
  question: string;
  /** The question in simplified characters. */
  simplified: string;
  /** Lexical terms of the question (stopwords and question words removed). */
  terms: string[];
  /** Terms added by alias expansion (not in the question itself). */
  expansions: string[];
  answerType: AnswerType;
  kind: QuestionKind;
}

/**
 * Words that ask a rate, a share or a rank of an amount, not the amount: "投资增长了多少" (10.1%),
 * "投资的比重不低于多少" (65%), "投资在嘉兴排第几" (第一). A pattern's source.
 */
const NOT_AN_AMOUNT = "增长|增速|增幅|下降|下滑|比重|比例|占比|份额|排|第";

const TYPE_PATTERNS: ReadonlyArray<readonly [AnswerType, RegExp]> = [
  [
    "alias",
    /又.{0,3}叫|还.{0,3}叫|也.{0,3}叫|被叫|又称|别称|别名|简称|俗称|又名|旧称|前称|(之前|以前|原来|曾经|过去|早先|起初).{0,2}叫|曾用名|(本|笔|俗|学|原|别|小|英文|中文|艺)名/u,
  ],
  ["origin", /哪里人|哪儿人|什么地方人|籍贯|祖籍/u],
  // "称为什么", "成为什么", "作为什么用途" ask what something is called or serves as, and "为什么样
  // 的" what kind it is, not why ("名称为什么又叫…" still asks why).
  [
    "reason",
    /(?<![成作视认改变列选评定命誉]|(?<!名)称)为什么(?!样)|为啥|为何|什么原因|啥原因|原因是|怎么会|咋会|怎么回事|咋回事|干嘛/u,
  ],
  // Purpose: "想解决哪些问题", "是想打造什么", "目的是什么" are answered by 旨在/为了 sentences.
  ["reason", ASKS_PURPOSE],
  // "西元幾年", "几几年" ask for a calendar year, "几点" for a time of day, "星期几" for a day of
  // the week; "成立几年了" for a length of time.
  [
    "date",
    /什么时候|啥时候|何时|哪天|哪一天|哪一?年|(公元|西元)几年|几几年|几月|几号|几日|几点|几时|(?:星期|礼拜|周)几|什么日子|日期|哪个月|多会儿/u,
  ],
  [
    "money",
    new RegExp(
      `(${MONEY_NOUNS}|花了|多少钱)(?:(?!${NOT_AN_AMOUNT}).){0,6}(多少|几|多大)|(多少|几)(钱|元|万元|亿元|亿)`,
      "u",
    ),
  ],
  ["money", /(投资|资金|贷款|金额|奖金|营收|产值|融资|补贴).{0,4}(更|最|较)(大|多|高|少|低)/u],
  [
    "number",
    new RegExp(
      `(哪个|哪家|哪项|谁).{0,8}(更|最|较)(大|多|高|长|少|低|远|重)|多少|(?<!哪)${ASKING_JI}[个家位名层次支年岁条项件天所户人种批届倍期]?|多高|多长|多大|多远|多重|多深|多宽|多久|第几|几连冠|比例|百分之`,
      "u",
    ),
  ],
  // "哪个村民", "哪名队员": a person, though 哪个村 would ask a place.
  [
    "person",
    /谁|哪[一两二三四五六七八九十几]?位|什么人|哪一?[个名]\p{Script=Han}{0,2}[民员人](?![口数])|何人|哪些人|叫什么名字/u,
  ],
  // "在哪一个世纪", "在哪场比赛" ask which time or event: 在哪 asks a place only without a classifier.
  [
    "place",
    /哪里|哪儿|在哪(?![一个场次位些届部本首条所天年])|什么地方|啥地方|何地|哪个(镇|县|区|市|省|村|街道|地方)|去了哪/u,
  ],
  ["method", /怎么|怎样|如何|咋|什么办法|啥办法|什么方式|具体是/u],
  ["name", /叫啥|叫什么|什么公司|哪家|哪所|哪个(公司|企业|单位|学校|大学|银行|项目)|什么名/u],
  // "哪两家车企", "哪三个项目": two or more things, each named.
  ["list", /哪些|有什么|有啥|哪几|哪[两二三四五六七八九十]/u],
  // "是什么?" asks what, not whether: 么 of 什么, 怎么 and 那么 ends no yes-or-no question.
  ["yesno", /(?<![什怎那这多])[吗么]\s*[?？]?$|会不会|是不是|能不能|有没有|要不要/u],
];

/** Verbs that ask whether a report mentions something, as a pattern's source. */
export const MENTION_VERBS = "提到|提及|说到|讲到";
const COVERAGE = new RegExp(
  `(哪些|什么|啥).{0,12}(新闻|报道|文章|消息)|(新闻|报道)有哪些|出现在哪些|报道过|相关报道|后续报道|最近.*(新闻|消息|动态)|(报道|新闻|文章)(里|中|当中)?[,，]?.{0,3}哪些.{0,6}(${MENTION_VERBS})|哪些.{0,8}(${MENTION_VERBS})`,
  "u",
);
const COMPARISON =
  /哪个.{0,6}(更|最|比较)|谁(更|最)|相比|比(?![重例率值])[^,，;；?？]{1,10}(多|少|大|小|高|低)|分别|各(是)?多少|和.{1,20}(各|分别)/u;

/** Classifies the answer type a question expects from its question words. */
export function detectAnswerType(question: string): AnswerType {
  for (const [type, pattern] of TYPE_PATTERNS) {
    if (pattern.test(question)) return type;
  }
  return "other";
}

/** Analyses a question: simplified form, lexical terms with aliases, answer type and kind. */
export function analyzeQuery(question: string): QueryAnalysis {
  const simplified = toSimplified(question.trim());
  const terms = tokenize(stripQuestionWords(simplified));
  const expansions = expandAliases(terms).filter((t) => !terms.includes(t));
  const answerType = detectAnswerType(simplified);
  let kind: QuestionKind = "fact";
  if (COVERAGE.test(simplified)) kind = "coverage";
  else if (COMPARISON.test(simplified)) kind = "comparison";
  else if (answerType === "reason" || answerType === "method") kind = "why_how";
  return { question, simplified, terms, expansions, answerType, kind };
}
