import type { AnswerType } from "./query.js";

const NUMBER =
  /[0-9０-９]|[一二两三四五六七八九十百千万亿]+(个|家|位|名|层|次|支|年|岁|条|项|件|天|所|户|人|种|批|届|倍|期|连冠|亩|米|吨|元)/u;
const MONEY =
  /[0-9０-９][0-9０-９.,]*\s*(万|亿|千万)?\s*(元|美元)|[0-9０-９][0-9０-９.]*\s*亿|[一二两三四五六七八九十百千]+(万|亿)?元/u;
const DATE =
  /[0-9０-９一二三四五六七八九十]+\s*(年|月|日|号)|昨天|今天|前天|近日|去年|今年|明年|上午|下午|晚上|春节|季度|月底|月初|秋季|春季|夏季|冬季/u;
const PLACE =
  /镇|县|区|市|省|村|乡|州|岛|国|街道|路|湖|园|港|中心|广场|基地|公园|大厦|学校|大学|北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|海南|四川|贵州|云南|陕西|甘肃|青海|台湾|内蒙古|广西|西藏|宁夏|新疆|香港|澳门/u;
const REASON =
  /因为|由于|为了|为确保|旨在|因此|所以|是为|以便|为.{1,20}(保驾护航|提供|助力)|因.{1,20}(困境|问题)/u;
const ALIAS =
  /又称|又名|别称|别名|也叫|又叫|原名|本名|笔名|俗名|小名|绰号|艺名|简称|俗称|亦称|学名|旧称|前称|原称|改名|更名|称为|叫做|名为|名叫|英文名|英语/u;
const ORIGIN = /\p{Script=Han}{2,4}人(?=[，,。、）)\s]|$)|籍贯|祖籍|出生于|生于|出身/u;
const NAME = /公司|集团|企业|银行|大学|学院|学校|医院|中心|协会|局|委|院|所|馆|厂|园|村|镇/u;

/** True when the sentence holds an expression of the type the question asks for. */
export function matchesAnswerType(sentence: string, type: AnswerType): boolean {
  switch (type) {
    case "number":
      return NUMBER.test(sentence);
    case "money":
      return MONEY.test(sentence);
    case "date":
      return DATE.test(sentence);
    case "place":
      // "Where" is also a magazine, a match or a programme: a title or an 在+noun phrase will do.
      return PLACE.test(sentence) || /《[^》]+》|在\p{Script=Han}{2,}/u.test(sentence);
    case "reason":
      return REASON.test(sentence) || sentence.length > 30;
    case "alias":
      return ALIAS.test(sentence);
    case "origin":
      return ORIGIN.test(sentence);
    case "name":
      return NAME.test(sentence);
    default:
      return true;
  }
}
