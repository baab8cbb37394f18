/**
 * Counts asked with a measure word ("几家", "多少名") or sizes asked with 多高, 多长, 多久, 多大,
 * and the numbers that answer them ("13层", "187米"). Hand-written: the measure words and units
 * are closed classes of a few dozen, and which of them count the same things or give which size is
 * this project's reading of its questions.
 */

import { cutWords, wordStarts } from "../text/words.js";
import { ASKING_JI } from "./question-words.js";

const NUMERAL = "[0-9０-９一二两三四五六七八九十百千万亿]";

/** The measure words a count is asked with ("几家", "多少米"), longest first. */
export const MEASURE_WORDS = [
  "平方米",
  "公里",
  ..."个家位名层次支年岁条项件天所户人种批届倍期辆座架艘台只张株棵头间套块米吨亩元分场枚款部本级度",
];
/**
 * "几家", "多少名": a count asked with a measure word (not "好几辆", "那几个"). The measure word
 * must end its word: 台 of "多少台湾同胞", 年 of "多少年轻人" begins another.
 */
const ASKED_MEASURE = new RegExp(`(?:${ASKING_JI}|多少)\\s*(${MEASURE_WORDS.join("|")})`, "gu");
/**
 * The measure words a count is asked with, which "个" may stand for ("100多个" answers "几台"); not
 * the units of a size asked otherwise ("多高", "多少GW").
 */
const COUNTING: ReadonlySet<string> = new Set(MEASURE_WORDS);
/** Measure words that count the same things ("多少人" is answered by "30名"). */
const MEASURE_SYNONYMS: ReadonlyMap<string, readonly string[]> = new Map([
  ["人", ["名", "位", "人次"]],
  ["名", ["人", "位"]],
  ["位", ["人", "名"]],
  ["家", ["户", "个"]],
  ["户", ["家"]],
  ["个", ["家", "座", "所", "人", "名"]],
]);

/**
 * The measure words a count question asks with, and those that count the same things: "几家" →
 * 家, 户, 个; none when it asks with none. `question` is in matching form (normalizeForMatch).
 */
export function askedMeasureWords(question: string): string[] {
  const measures = new Set<string>();
  let words: { word: string; end: number }[] | undefined;
  for (const m of question.matchAll(ASKED_MEASURE)) {
    const word = m[1] ?? "";
    const end = m.index + m[0].length;
    words ??= wordEnds(question);
    // jieba's word that holds the measure word's last character must end with it.
    if (words.some((w) => w.end > end && w.end - w.word.length < end)) continue;
    measures.add(word);
    for (const s of MEASURE_SYNONYMS.get(word) ?? []) measures.add(s);
  }
  return [...measures];
}

/** The units a length, a time, an area and a weight are given in. */
const LENGTH = [
  "米",
  "公里",
  "千米",
  "厘米",
  "毫米",
  "公分",
  "公尺",
  "公厘",
  "英尺",
  "英寸",
  "英里",
  "海里",
  "呎",
  "光年",
  "英吋",
  "吋",
  "km",
  "cm",
  "mm",
];
const TIME = ["年", "个月", "月", "周", "星期", "天", "日", "小时", "分钟", "秒", "季度", "世纪"];
const AREA = ["平方米", "平方公里", "平方千米", "平方英里", "平米", "亩", "英亩", "公顷"];
const WEIGHT = ["吨", "公斤", "千克", "克", "毫克", "微克", "斤", "磅", "kg", "mg"];
/**
 * Units written in Latin letters after the question word ("多少GW", "多少Gbps"): a power, an
 * energy, a rate, a size of data, a frequency. Matched without regard to case.
 */
const LATIN_UNITS = [
  ..."kw mw gw tw kwh mwh gwh twh mah wh".split(" "),
  ..."bps kbps mbps gbps tbps kb mb gb tb pb".split(" "),
  ..."hz khz mhz ghz nm fps ppm tops tflops pflops eflops".split(" "),
];
/** An age: in years, or in months and weeks for the young. */
const AGE = ["岁", "个月", "周"];

/**
 * What a size is given in: "多高" by a length, "多长" by a length or a time, "多久" by a time,
 * "多大" by an area, a length, a weight, an age or a grade (级), an area's "多大" by an area.
 */
const ASKED_SIZES: readonly (readonly [RegExp, readonly string[]])[] = [
  [/^多久|^多长时间/u, TIME],
  [/^多长/u, [...LENGTH, ...TIME]],
  [/^多[高远宽深]/u, LENGTH],
  [/^多重/u, WEIGHT],
  [/^多大(?=年纪|岁数)/u, AGE],
  [/^多大/u, [...AREA, ...LENGTH, ...WEIGHT, ...AGE, "级"]],
];
/** A temperature. */
const TEMPERATURE = ["度", "摄氏度", "℃"];
/** A speed, as news gives it: "时速350公里", "航速20节". */
const SPEED = ["公里", "千米", "米", "节", "km"];
/** An amount of money: "3亿元", "200万美元". */
const MONEY = ["元", "美元", "欧元", "英镑", "日元", "港元", "港币", "新台币", "台币", "亿", "万"];
/** Nouns that name an amount of money ("总投资", "基金"), as a pattern's source. */
export const MONEY_NOUNS = "投资|资金|贷款|金额|奖金|融资|营收|产值|补贴|基金|担保|预算|造价";
/** "基金有多大", "投资规模多大": the size of an amount of money, not an area or a weight. */
const ASKED_MONEY_SIZE = new RegExp(`(?:${MONEY_NOUNS})[^,，;；。?？]{0,4}多大`, "u");
/** A share: "30%", "三成", "三分之一". */
const RATIO = ["%", "‰", "成", "分之"];

/**
 * Nouns that name a quantity and the units it is given in: "体重多少", "多少剂量", "面积有多大".
 * Asked with one of them, a number question asks for that quantity whatever its question word.
 */
const QUANTITY_NOUNS: readonly (readonly [string, readonly string[]])[] = [
  // First: "面积约占多少比例" asks a share of an area, not an area.
  ["比例|比重|占比|比率|份额|百分比", RATIO],
  ["面积|占地", AREA],
  ["长度|高度|身高|距离|深度|宽度|厚度|海拔|里程|半径|直径|跨度|全长|总长|航程|射程", LENGTH],
  ["重量|体重|剂量|载重|净重|毛重", WEIGHT],
  ["时长|工期|刑期|期限|寿命|年限|有效期", TIME],
  ["年龄|岁数|年纪", AGE],
  ["温度|气温|体温|水温", TEMPERATURE],
  ["速度|时速|车速|航速|风速", SPEED],
];
/** A unit written after the question word: "几英亩", "多少毫克", "多少km". */
const EXPLICIT_UNIT = new RegExp(
  `(?:${ASKING_JI}|多少)\\s*(${[
    ...new Set([...AREA, ...LENGTH, ...WEIGHT, ...TEMPERATURE, ...SPEED, ...LATIN_UNITS]),
  ]
    .sort((a, b) => b.length - a.length)
    .join("|")})(?![a-z])`,
  "u",
);
/** The question words that ask a quantity's size. */
const ASKS_SIZE = "多少|多大|多长|多高|多重|多深|多远|多宽|几";
/** A quantity noun asked about: "体重(有)多少", "多少(的)剂量". */
const ASKED_QUANTITIES = QUANTITY_NOUNS.map(
  ([nouns, units]) =>
    [
      new RegExp(
        `(?:${nouns})[^,，;；。?？]{0,4}(?:${ASKS_SIZE})|(?:${ASKS_SIZE})的?(?:${nouns})`,
        "u",
      ),
      units,
    ] as const,
);

/**
 * The units a number question asks in: its measure words ("几层" → 层), or else a unit written
 * after the question word ("几英亩"), or else the units of the quantity it names ("体重多少" →
 * 公斤, 克…; "基金有多大" → 元, 亿…), or else of the size it asks ("多高" → 米, 公里…, "多久" →
 * 年, 天…); none for any other question. A 多 that ends a word asks nothing: 多 of "梅多长子" and
 * "多伦多大学" is part of a name. `question` is in matching form (normalizeForMatch).
 */
export function askedUnits(question: string): string[] {
  const counted = askedMeasureWords(question);
  if (counted.length > 0) return counted;
  const unit = EXPLICIT_UNIT.exec(question)?.[1];
  if (unit !== undefined) return [unit];
  if (ASKED_MONEY_SIZE.test(question)) return [...MONEY];
  const quantity = ASKED_QUANTITIES.find(([asks]) => asks.test(question))?.[1];
  if (quantity !== undefined) return [...quantity];
  let words: { word: string; end: number }[] | undefined;
  for (let at = question.indexOf("多"); at >= 0; at = question.indexOf("多", at + 1)) {
    const rest = question.slice(at);
    const units = ASKED_SIZES.find(([asks]) => asks.test(rest))?.[1];
    if (units === undefined) continue;
    words ??= wordEnds(question);
    if (words.some((w) => w.end - w.word.length < at && w.end === at + 1)) continue;
    return [...units];
  }
  return [];
}

/** The jieba words of `text` with where each ends. */
function wordEnds(text: string): { word: string; end: number }[] {
  const words = cutWords(text).map((word) => ({ word }));
  const starts = wordStarts(text, words);
  return words.map((w, i) => ({ word: w.word, end: (starts[i] ?? 0) + w.word.length }));
}

/** A number with one of `units` after it ("13层", "200多辆"), as a pattern. */
export function quantityPattern(units: readonly string[]): RegExp {
  return new RegExp(`${NUMERAL}+\\s*(?:余|多)?\\s*(?:${units.join("|")})`, "iu");
}

/** A number, with the 万 or 亿 that scales it and the 余 or 多 that rounds it ("1,200多", "40万"). */
const COUNT =
  /(?:[0-9０-９]+(?:[.,][0-9０-９]+)*|[一二两三四五六七八九十百千万亿]+)[万亿]?\s*(?:余|多)?\s*/gu;
/** A number inside a code, a date or a clock time ("V3.2", "2011-11-8", "9:14") counts nothing. */
const CODE_BEFORE = /[A-Za-z.\-:/]/u;
const CODE_AFTER = /[-:/：.]/u;
const HAN = /\p{Script=Han}/u;
const LETTERS = /^[a-z]+/u;
/** Units in Latin letters: a number they follow is a quantity, not part of a code. */
const KNOWN_LATIN_UNITS: ReadonlySet<string> = new Set([
  ...LATIN_UNITS,
  ...[...LENGTH, ...WEIGHT].filter((u) => LETTERS.test(u)),
  ..."m g t w v".split(" "),
]);

/**
 * True when `text` (in simplified characters) may state a count asked with `units`: a number
 * counted with one of them ("13层", "50GW"), or one counted by no measure word ("约40万。"), which
 * may count anything. "个", the general measure word, stands for any other that counts things:
 * "100多个" states a count asked with 台, and any number states one asked with 个, but not a size
 * asked in GW. A text whose numbers all count other things ("2003年", "4人" for 几年, "5G" and
 * "309B" for 几张) states none.
 */
export function statesCount(text: string, units: readonly string[]): boolean {
  const any = units.includes("个");
  const counting = units.some((u) => COUNTING.has(u));
  const latinAsked = units.length > 0 && units.every((u) => LETTERS.test(u));
  const lower = text.toLowerCase();
  for (const m of lower.matchAll(COUNT)) {
    const at = m.index + m[0].length;
    if (CODE_AFTER.test(lower.charAt(at))) continue;
    // A number counted with the unit states it, the end of a range too ("65-70厘米").
    if (units.some((u) => lower.startsWith(u, at))) return true;
    if (CODE_BEFORE.test(lower.charAt(m.index - 1))) continue;
    // Letters after a number give a unit ("40km") or make it a code ("5G", "309B"); a size asked
    // in Latin letters is stated in its own unit only.
    const letters = LETTERS.exec(lower.slice(at))?.[0];
    if (letters !== undefined && (latinAsked || !KNOWN_LATIN_UNITS.has(letters))) continue;
    if (any || !HAN.test(lower.charAt(at)) || (counting && lower.startsWith("个", at))) return true;
  }
  return false;
}
