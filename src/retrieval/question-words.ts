import { cutDictionaryWords } from "../text/words.js";

/**
 * A question that asks a purpose ("想解决哪些问题", "是想打造什么", "目的是什么"): a why question
 * answered by 旨在/为了, not by a cause.
 */
export const ASKS_PURPOSE = /(想|要|为了|旨在)(解决|破解|打造|实现|达到)|目的|用意(?!念)|意图/u;

/**
 * Classifiers that follow 哪 where it asks which of two things compared ("哪个更大", "哪笔钱更
 * 多", "哪次更浅"), as a pattern's source.
 */
export const WHICH_OF_TWO_CLASSIFIER = "[个家项次回场起批边方位所款部座条种年笔]";

/** 哪 and its classifier where it asks which of two things ("哪个", "哪一次"), as a pattern's source. */
export const WHICH_OF_TWO_WORD = `哪一?${WHICH_OF_TWO_CLASSIFIER}`;

/** Classifiers that follow 哪 ("哪种", "哪部", "哪一家"). */
const WHICH_CLASSIFIER = "[个种类款条部座次场项只支辆架艘本首批届期名位家所间样]";

/**
 * Question words and colloquial fillers that carry no retrieval signal. They are cut from the
 * question before word cutting, because jieba glues them to content ("哪天开", "几连冠", "那家").
 */
const QUESTION_WORDS = new RegExp(
  [
    "什么时候",
    "啥时候",
    "多长时间",
    "多少钱",
    "为什么",
    "为啥",
    "怎么样",
    "怎么",
    "怎样",
    "如何",
    "是不是",
    "有没有",
    "是多少",
    "多少",
    // "哪种菜", "哪一部电影": the classifier goes with 哪, or jieba reads "种菜"; the noun after
    // it is what is asked. "哪样子的" is one question word.
    "哪样子",
    `哪[一二两三四五六七八九十几]?${WHICH_CLASSIFIER}`,
    "哪一天",
    "哪一",
    "哪天",
    "哪年",
    "何(?=原因|种|时|地|处)",
    "哪些",
    // "吃了些啥", "吃过些什么": 些 makes the question word plural.
    "些(?=啥|什么)",
    "哪里",
    "哪儿",
    // "那顿饭", "那场火", "这起车祸": a demonstrative and its classifier point back at what the
    // question names; jieba glues them into words no story writes ("那场", "顿饭", "那辆车").
    "(?<![刹支])[那这]一?[个家次顿场起位名所条件种批辆部只张座间栋回项届期](?=\\p{Script=Han})",
    "叫啥",
    "叫什么",
    "是谁",
    "什么",
    "是啥",
    "干啥",
    "怎么回事",
    "咋回事",
    "咋样",
    "咋",
    "啥",
    "大概",
    "大约",
    "当初",
    "这次",
    "一共",
    "总共",
    "具体",
    "请问",
    // "几支队参加": the classifier goes too, or jieba reads "支队"; "几层" keeps 层 (the unit asked).
    "几[个家位名层次支年岁条项件天所户人种批届倍期张点样](?=\\p{Script=Han})",
    "几",
    "多(?=[高大长远重久宽深])",
    "[吗呢吧啊呀嘛]",
    // "哪个更大" asks; "今天最高才12度" states a value, and 最高 stays a content word there.
    "(更|最|较)(大|多|高|少|低|长|远|快|早|晚|重)(?![才仅只]|气温|温度|\\d)",
  ].join("|"),
  "gu",
);

/**
 * Replaces question words and fillers with spaces of the same length, keeping the content words
 * around them where they were (offsets stay valid).
 */
export function stripQuestionWords(text: string): string {
  let words: readonly string[] | undefined;
  return text.replace(QUESTION_WORDS, (m: string, ...rest: unknown[]) => {
    // The match's offset comes after its groups, before the whole text.
    const at = rest[rest.length - 2] as number;
    // "最低工资标准", "最高法院": a word that opens with a comparative names a thing, and stays.
    if (COMPARATIVE.test(m)) {
      words ??= cutDictionaryWords(text);
      if (words.some((w) => w.length > m.length && w.startsWith(m) && text.startsWith(w, at))) {
        return m;
      }
    }
    return " ".repeat(m.length);
  });
}

/** A comparative that asks which of several things ("哪个最大", "谁更多"). */
const COMPARATIVE = /^[更最较]/u;

/**
 * 几 where it asks ("几个", "几家"), as a pattern's source: not where it means "a few" ("那几个小孩",
 * "没几天", "好几次", "近几天", "前几天", "过几天") or a round number ("几十个", "二十几所",
 * "20几所"), nor inside a word (几乎, 几何, 几内亚, 茶几). The patterns here and the count question
 * of query.ts share it.
 */
export const ASKING_JI = "(?<![那这没好茶十近前过0-9０-９])几(?![十百千万乎何]|内亚)";

/** A word that makes a text ask something ("哪", "多少", "几个", "叫啥", "是否", "吗"…). */
export const ASKS = new RegExp(
  `哪|多少|${ASKING_JI}|什么|啥|谁|吗|怎么|怎样|如何|咋|为什么|为啥|为何|是否|多高|多大|多长|多久`,
  "u",
);

/** Interrogatives proper (not fillers): the asked-for thing sits next to them. */
const INTERROGATIVES = new RegExp(
  `什么时候|啥时候|多长时间|多少钱|为什么|为啥|怎么样|怎么|怎样|如何|是多少|多少|哪样子|哪[一二两三四五六七八九十几]?${WHICH_CLASSIFIER}|哪一天|哪天|哪年|哪些|哪里|哪儿|叫啥|叫什么|是谁|什么|是啥|啥|${ASKING_JI}[个家位名层次支年岁条项件天所户人种批届倍期张样]?|多(?=[高大长远重久宽深])`,
  "gu",
);

/** Interrogatives that ask for the thing named just before them: "一等奖是谁", "总投资多少". */
const ASKS_PRECEDING = /^(是谁|是多少|多少|是什么|是啥|叫什么|叫啥)$/u;

/** An interrogative's place in the text, and whether the word before it is what is asked. */
export interface QuestionWordSpan {
  start: number;
  end: number;
  asksPreceding: boolean;
}

/**
 * "为什么会冲进人群": the words after a why are the event the question starts from, which the
 * lead restates; the cause, what is asked, has no word of the question.
 */
const ASKS_WHY = /^(为什么|为啥)$/u;

/** Where the interrogatives are in the text (a why is left out: it names nothing next to it). */
export function questionWordSpans(text: string): QuestionWordSpan[] {
  return [...text.matchAll(INTERROGATIVES)]
    .filter((m) => !ASKS_WHY.test(m[0]))
    .map((m) => {
      const end = m.index + m[0].length;
      return {
        start: m.index,
        end,
        asksPreceding:
          ASKS_PRECEDING.test(m[0]) || (COUNTS.test(m[0]) && ENDS_QUESTION.test(text.slice(end))),
      };
    });
}

/** A count that closes the question asks about the word before it: "死了几个?", "园区有几个". */
const COUNTS = /^(几|多少)/u;
/** What may follow the last interrogative: particles and punctuation. */
const ENDS_QUESTION = /^[\s吗呢呀啊啦了?？!！。,，]*$/u;
