import type { AnswerType } from "./query.js";
import { LruMap } from "../lru.js";
import { tagWords, type TaggedWord } from "../text/words.js";
import { normalizeForMatch, toSimplified } from "../text/normalize.js";
import { PERSON_TAGS, recognizeEntities } from "./entities.js";
import { MEASURE_WORDS } from "./measures.js";

/**
 * Common surnames: jieba leaves most local people's names unknown ("郭梦娜/x"), so an unknown
 * two- or three-character word that starts with one is taken as a person's name.
 */
const SURNAMES = new Set(
  Array.from(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤钮帅仲荣屠俞倪鲍褚费柴应祝盛葛翁施单",
  ),
);

/**
 * True when a tagged word names a person: jieba's name tags, or an unknown word of two or three
 * characters that opens with a common surname ("陈利众/x").
 */
export function looksLikePerson(word: string, tag: string): boolean {
  return (
    (PERSON_TAGS.has(tag) && !OFFICE_SUFFIX.test(word)) ||
    (tag === "x" && word.length >= 2 && word.length <= 3 && SURNAMES.has(word[0] ?? ""))
  );
}

/** Ends of an office's name, which jieba sometimes tags as a person's ("宣传部/nr"). */
const OFFICE_SUFFIX = /[部局委厅办司]$/u;

/** What a sentence names, by jieba's tags: a person, a place. */
interface Names {
  person: boolean;
  place: boolean;
}

/**
 * Sentences whose names are remembered: the same candidates come back question after question,
 * and tagging (jieba's POS tagger) is the dearest test a sentence gets.
 */
const namesCache = new LruMap<string, Names>(10_000);

/** The names a sentence holds, tagged once and cached. */
function namesIn(sentence: string): Names {
  const cached = namesCache.get(sentence);
  if (cached !== undefined) return cached;
  const tagged = tagWords(sentence);
  const words = tagged.filter((w) => w.word.length >= 2);
  const found = {
    // jieba's name tags, or an unknown word that looks like a name, outside the organisations.
    person: standsForPerson(
      sentence,
      tagged,
      words.filter((w) => looksLikePerson(w.word, w.tag)).map((w) => w.word),
    ),
    place: words.some((w) => w.tag === "ns"),
  };
  namesCache.set(sentence, found);
  return found;
}

/**
 * True when one of the names stands outside every organisation the sentence names: the 高裕 of
 * "浙江高裕家居科技股份有限公司" (an unknown word opening with the surname 高) names the company.
 */
function standsForPerson(
  sentence: string,
  tagged: readonly TaggedWord[],
  names: readonly string[],
): boolean {
  if (names.length === 0) return false;
  const organisations = recognizeEntities(sentence, tagged).filter(
    (e) => e.kind === "organization",
  );
  if (organisations.length === 0) return true;
  const text = normalizeForMatch(sentence);
  return names.some((name) => {
    for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + 1)) {
      if (!organisations.some((o) => at >= o.start && at + name.length <= o.end)) return true;
    }
    return false;
  });
}

/**
 * A reporter's or photographer's credit ("(记者杨大勇)", "通讯员 王敏、李强"): the name in it
 * wrote the story, and answers no question about the people in it.
 */
const CREDIT =
  /(?:特约记者|记者|通讯员|实习生|摄影|编辑)[\s:：]*\p{Script=Han}{2,3}(?:[\s、，,和]+\p{Script=Han}{2,3})*/gu;

/**
 * True when the sentence names a person: a word jieba tags as a name, or an unknown word that
 * looks like one, outside the reporters' credits.
 */
function namesPerson(sentence: string): boolean {
  const text = sentence.replace(CREDIT, " ");
  return (
    namesIn(text).person ||
    REFERRED_PERSON.test(text) ||
    PERSON_BY_OFFICE.test(text) ||
    SPEAKER_BY_TITLE.test(text) ||
    TRANSLITERATED_NAME.test(text)
  );
}

/**
 * A foreign person's name as Chinese writes it, given name and surname joined by a middle dot
 * ("特雷·帕克", "马丁•利顿"): jieba knows few of them.
 */
const TRANSLITERATED_NAME = /\p{Script=Han}{1,6}[·•‧・]\p{Script=Han}{1,6}/u;

/**
 * A speaker news names by a nickname in quotes or by an office ("“馆长”在直播中回应", "该公司负责
 * 人表示", "校长说"): the one who said what a who-said question quotes, though no name is given.
 */
const SPEAKER_BY_TITLE = new RegExp(
  `(?:["“'‘「]\\p{Script=Han}{1,6}["”'’」]|(?:[局院校馆厂社所处科部行市县镇村区]长|发言人|负责人|主任|书记|董事长|总经理|总裁))` +
    `(?:在[^,，。;；]{0,20})?(?:明确|公开|当场|随即|再次|也)?(?:说|表示|称|回应|介绍|指出|坦言|透露|强调|解释|写道)`,
  "u",
);

/** The common surnames as a character class. */
const SURNAME = `[${[...SURNAMES].join("")}]`;

/**
 * A person as news refers to one it does not name in full: a surname with a title or 某
 * ("张先生", "李女士", "王某", "刘师傅"), or with 老/小 ("老陈").
 */
const REFERRED_PERSON = new RegExp(
  `${SURNAME}(?:先生|女士|小姐|某某?|师傅|大爷|大妈|阿姨|老人)|[老小]${SURNAME}(?![\\p{Script=Han}]{2})`,
  "u",
);

/**
 * A person named after an office ("副市长潘加林参加会议", "董事长王敏表示"): jieba cuts many such
 * names into a surname and a place ("潘/nr 加林/ns"), but an office is followed by its holder.
 */
const PERSON_BY_OFFICE = new RegExp(
  `(?:[市县镇区省局部厅院校行社所处科村]长|书记|主任|主席|秘书长|董事长|总经理|总裁|会长|理事长)${SURNAME}\\p{Script=Han}{1,2}(?=参加|出席|主持|表示|说|指出|强调|介绍|陪同|带队|率队|[,，、。;；])`,
  "u",
);

const NUMBER = new RegExp(
  "[0-9０-９]|第[一二三四五六七八九十百千]+|[一二两三四五六七八九十百千万亿]+" +
    "(?:个|家|位|名|层|次|支|年|岁|条|项|件|天|所|户|人|种|批|届|倍|期|连冠|" +
    "亩|米|吨|元|场|张|代|辆|架|艘|台|枚|只|块|座|部|集|季|首|篇|本|轮|周|小时|分钟|公里|成)",
  "u",
);
/**
 * A number that dates or times something ("2025年", "1月", "16日", "9时30分", "21:30"): it fills
 * no count or amount.
 */
const DATE_NUMBER =
  /[0-9０-９]{4}\s*年|[0-9０-９]{1,2}\s*月(?:\s*[0-9０-９]{1,2}\s*[日号號])?|[0-9０-９]{1,2}\s*[日号號](?![0-9０-９])|[0-9０-９]{1,2}\s*[时時点點](?:\s*[0-9０-９]{1,2}\s*分)?|[0-9０-９]{1,2}:[0-9０-９]{2}/gu;
// "140余万元", "十多万元": news rounds amounts with 余 or 多 before the unit.
/**
 * A sum: a number of 元 or 美元, or of 亿 alone ("投资12亿"), but not 亿 of a counted thing ("下载突破
 * 1亿次", "1.2亿人").
 */
const MONEY = new RegExp(
  `[0-9０-９][0-9０-９.,]*\\s*[余多]?\\s*(万|亿|千万)?\\s*(元|美元)|[0-9０-９][0-9０-９.]*\\s*[余多]?\\s*亿(?!\\s*(?:${MEASURE_WORDS.filter((w) => w !== "元").join("|")})(?!民币))|[一二两三四五六七八九十百千]+[余多]?(万|亿)?元`,
  "u",
);
// 号 dates a day only where no noun follows: "10号线", "3号楼" and "5号台风" are names.
// A time of day ("9点", "21时", "21:30") and a day of the week ("周一") answer a when as well;
// "54.05点" is an index's points.
const DATE =
  /[0-9０-９一二三四五六七八九十]+\s*(年|月|日|世纪|号(?![线楼院船门机台车库口位房码桥]))|(?<![0-9０-９.])[0-9０-９]{1,2}\s*[点时]|[0-9０-９]{1,2}:[0-9０-９]{2}|(?:星期|礼拜)[一二三四五六日天]|周[一二三四五六日](?!次)|昨天|今天|前天|近日|去年|今年|明年|上午|下午|晚上|凌晨|春节|季度|月底|月初|秋季|春季|夏季|冬季/u;
const PLACE =
  /镇|县|区|市|省|村|乡|州|岛|国|街道|路|湖|园|港|中心|广场|基地|公园|大厦|学校|大学|北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|海南|四川|贵州|云南|陕西|甘肃|青海|台湾|内蒙古|广西|西藏|宁夏|新疆|香港|澳门/u;
const ALIAS =
  /又称|又名|别称|别名|也叫|又叫|原名|本名|笔名|俗名|小名|绰号|艺名|简称|俗称|亦称|学名|旧称|前称|原称|改名|更名|称为|叫做|名为|名叫|英文名|英语/u;
// "死者来自四川", "一名四川籍男子": where a person comes from, as papers write it.
const ORIGIN =
  /\p{Script=Han}{2,4}人(?=[，,。、）)\s]|$)|籍贯|祖籍|出生于|生于|出身|来自|\p{Script=Han}{2}籍/u;
// "企业" is left out: a sentence that says "企业" names none (the registered names the archive
// knows are matched by the caller, see scoreSentences).
const BODY_KINDS = "公司|集团|银行|大学|学院|学校|医院|中心|协会|局|委|院|所|馆|厂|园|村|镇";
const NAME = new RegExp(BODY_KINDS, "u");
/**
 * A body spoken of without its name: "一所著名的国际学校", "该公司", "这家医院" say which kind of
 * body, not which one.
 */
const UNNAMED_BODY = new RegExp(
  `(?:[一本某每各][所家个座间]|[该这此][所家个座间]?)(?:[^，。,；;、“”"]{0,8}?)(?:${BODY_KINDS})`,
  "gu",
);

/** True when the sentence names an organisation by the kind of body its name ends in (公司, 中心…). */
export function namesOrganisation(sentence: string): boolean {
  return namesBody(toSimplified(sentence));
}

/** namesOrganisation of a sentence already in simplified characters. */
function namesBody(simplified: string): boolean {
  return NAME.test(simplified.replace(UNNAMED_BODY, " "));
}

/**
 * Words that introduce a cause, as opposed to the verbs that name a consequence (导致, 引发), and
 * those that credit one ("得益于", "有赖于": thanks to, rests on). A lone 因 counts after a comma or
 * 但/却/也 ("但因…陷入融资困境"), not in 因素; "受…影响" names what a change came from ("受国际金融危
 * 机的影响,…案件数量大幅上升").
 */
const INTRODUCES_CAUSE =
  /因为|由于|原因|之所以|起因|得益于|有赖于|归功于|源于|缘于|(?:^|[,，;；但却也])因(?![此素地而])|受[^,，。;；]{1,12}影响/u;

/** Words that state what something is for, as a pattern's source: 为了, 旨在. */
const PURPOSE_WORDS = "为了|旨在|力求|以便|为确保|是为";

/**
 * Words that state a cause or a purpose outright, and the verbs that name one (引发, 引起, 所致).
 * "为…提供" is left out: it says whom something serves, not why.
 */
const STATED_REASON = new RegExp(
  `${INTRODUCES_CAUSE.source}|${PURPOSE_WORDS}|导致|引发|引起|所致`,
  "u",
);

/** True when the sentence introduces a cause in so many words (由于, 因为, 原因是). */
export function introducesCause(sentence: string): boolean {
  return INTRODUCES_CAUSE.test(toSimplified(sentence));
}

/** Words that state a purpose outright: what something is for, not what caused it. */
const STATED_PURPOSE = new RegExp(`${PURPOSE_WORDS}|目的是|目标是`, "u");

/** True when the sentence states a purpose in so many words (旨在, 为了…). */
export function statesPurpose(sentence: string): boolean {
  return STATED_PURPOSE.test(toSimplified(sentence));
}

/** True when the sentence gives a reason or purpose in so many words (因为, 旨在, 为了…). */
export function statesReason(sentence: string): boolean {
  return STATED_REASON.test(toSimplified(sentence));
}

/**
 * Words that state a means or a procedure: 通过/采用/依托…, or a rule of handling ("对简单的涉企问
 * 题,30分钟内直接办结"), which opens with 对(于)… and a comma.
 */
const STATED_MEANS =
  /通过|采用|采取|利用|依托|借助|运用|实行|推行|依照|按照|(?:^|[,，;；“"])对于?[^,，。;；]{1,15}[,，]/u;

/** True when the sentence says how something is done (通过, 采用, "对…,…"). */
export function statesMeans(sentence: string): boolean {
  return STATED_MEANS.test(toSimplified(sentence));
}

/** Words that state where something is: 位于, 地处, 坐落, its address, its seat. */
const STATED_LOCATION = /位于|地处|坐落|座落|地址|所在地|境内|驻地/u;

/** True when the sentence says where something is in so many words, as a where question asks. */
export function statesLocation(sentence: string): boolean {
  return STATED_LOCATION.test(toSimplified(sentence));
}

/**
 * Words that enumerate what a list question asks for: a series ("长安、北汽"), 分别 ("分别来自长安
 * 汽车和北汽极狐"), 包括, 以及, or a count closing the list ("…等三家").
 */
const STATED_LIST =
  /\p{Script=Han}、\p{Script=Han}|分别|包括|以及|等[一二两三四五六七八九十几多0-9]+[个家位名项所条种款座支部]/u;

/** Two things joined: "4号线和10号线", "长安与北汽". */
const STATED_PAIR = /[\p{Script=Han}0-9A-Za-z](?:和|与|及)[\p{Script=Han}0-9A-Za-z]/u;

/**
 * True when the sentence enumerates things, as a question that asks "哪三家" wants; for one that
 * asks for two ("哪两条线路"), "A和B" names them too.
 */
export function statesList(sentence: string, two = false): boolean {
  return STATED_LIST.test(toSimplified(sentence)) || (two && STATED_PAIR.test(sentence));
}

/**
 * For the types whose answer a sentence may state in so many words, the test that it does: 因为
 * for why, 通过 for how, 位于 for where. A sentence that passes is `marked`.
 */
export const STATES_SLOT: Partial<Record<AnswerType, (sentence: string) => boolean>> = {
  reason: statesReason,
  method: statesMeans,
  place: statesLocation,
};

/** A date down to the month or day, as written: "3月7日", "2025年12月", "十一月". */
const EXACT_DATE = /[0-9０-９]+\s*(月|日|号)|[一二三四五六七八九十]+月|[0-9０-９]{4}\s*年/u;

/**
 * True when the sentence fills the asked slot with a specific expression, beyond what
 * `matchesAnswerType` accepts: a place by a place name ("嘉善县", not "区域" or "在…"), a date by a
 * month or a day ("3月7日", not "近日"). Other slots have no stronger form and give false.
 */
export function fillsSlotExactly(text: string, type: AnswerType): boolean {
  const sentence = toSimplified(text);
  switch (type) {
    case "place":
      return namesIn(sentence).place;
    case "date":
      return EXACT_DATE.test(sentence);
    default:
      return false;
  }
}

const LINK = /(?:https?:\/\/|www\.)[!-~]+/gu;

/**
 * True when the sentence holds an expression of the type the question asks for. The patterns are
 * written in simplified characters; a traditional sentence (Taiwan's and Hong Kong's news) is read
 * in simplified ones.
 */
export function matchesAnswerType(text: string, type: AnswerType): boolean {
  // A link's digits and words ("…/2025/12/15/trump-…") state nothing the question asks.
  const sentence = toSimplified(text).replace(LINK, " ");
  switch (type) {
    case "number":
      // "今年1月底,…发放了首笔贷款" dates the loan; it does not say how much it was.
      return NUMBER.test(sentence.replace(DATE_NUMBER, " "));
    case "money":
      return MONEY.test(sentence);
    case "date":
      return DATE.test(sentence);
    case "place":
      // "Where" is also a magazine, a match or a programme: a title or an 在+noun phrase will do.
      return PLACE.test(sentence) || /《[^》]+》|在\p{Script=Han}{2,}/u.test(sentence);
    case "alias":
      return ALIAS.test(sentence);
    case "origin":
      return ORIGIN.test(sentence);
    case "name":
      return namesBody(sentence);
    case "person":
      // "是谁" is answered by a name, not by "共19名讲解员参加比赛".
      return namesPerson(sentence);
    default:
      // A cause or a means is told in too many ways to test ("主要原料为豇豆", "来京看望在京养蜂的
      // 父母"): every sentence may answer why or how, and the sentences that say 因为/通过 in so
      // many words rank higher (`marked`, evidence.ts).
      return true;
  }
}
