import type { NewsIndex } from "../store/types.js";
import { lexicon } from "../text/lexicon.js";
import type { AbstainReason, Answer, Citation, Passage } from "../types.js";
import type { AnswerType, QueryAnalysis } from "../retrieval/query.js";
import { articleContext, articleMatchText } from "../retrieval/context.js";
import {
  buildTermGroups,
  groupCoverage,
  weightedCoverage,
  type TermGroup,
} from "../retrieval/terms.js";
import { introducesCause, statesReason, STATES_SLOT } from "../retrieval/answer-type.js";
import {
  buildCandidates,
  questionFacts,
  featureOf,
  type Candidate,
  type QuestionFacts,
} from "./candidates.js";
import { formatDateZh } from "./render.js";
import { holdsSoundAlike } from "../text/sound-alike.js";
import { holdsAbbreviated } from "../text/abbreviation.js";
import { cutWords, tagWords } from "../text/words.js";
import { compact, hanCharSet, normalizeForMatch, toSimplified } from "../text/normalize.js";
import {
  ANSWER_MODEL,
  answerProbability,
  declineFeatures,
  scoreSentence,
  type AnswerModel,
  type DeclineEvidence,
} from "./answer-model.js";

/**
 * How far the best sentence's article may trail the article the question is most plainly about
 * (share of the question's phrases it contains) before we say the archive lacks the answer.
 */
export const FOCUS_MARGIN = 0.3;
/** A further sentence of the answer must cover this much of the question with its article. */
const FURTHER_MIN_SUPPORT = 0.4;
/**
 * A runner-up sentence joins the answer when the sentence model gives it at least this chance of
 * being the one that answers. The chance is the softmax of the fitted scores over the candidates,
 * the quantity the ranking fit maximises, so it is calibrated on data (`npm run fit` prints how
 * often the sentences it joins do answer). The value itself is a choice of how much reading a
 * better chance of the answer is worth: a second sentence with one chance in seven or more.
 */
export const JOIN_PROBABILITY = 0.15;

/** A sentence that opens with a consequence of what the one before it says. */
const CONSEQUENCE = /^(?:于是|因此|所以|因而|为此|从而|由此|故而)/u;
/**
 * A sentence that points back at what the sentence before it names, at its start or at the start
 * of a clause: "该公司是一家…", "起火建筑为村民自建的住宅,该家庭作坊主要生产…" (該 in traditional
 * script), or one that opens with 这/此 and a measure word ("这项权限允许它…"). It goes on about
 * that thing without naming it; the modal 该 ("该怎么办") is not it.
 */
const POINTS_BACK =
  /(?:^\s*|[,，;；])[该該](?!怎|如何|是时候|是時候)\p{Script=Han}|^\s*(?:这|這|此)(?:项|項|个|個|种|種|一|些|款|家|次|位|名|条|條|起|场|場)/u;

/** The words for a laboratory's test, as a pattern's source: asked for, pending, or reported. */
const LAB_TESTS = "检测|检验|化验|鉴定";

/**
 * A story's own word that a fact is not known yet: "起火原因正在调查之中", "死者身份尚不清楚",
 * "具体损失有待进一步核实", "将对火灾原因进行调查", "检验结果还没有出来", "截至发稿时,…尚未脱离
 * 危险".
 */
const NOT_KNOWN_YET = new RegExp(
  [
    `(?:正在|仍在|尚在|还在|正进一步|进一步)(?:调查|侦查|核实|核查|${LAB_TESTS}|审理|统计|确认)`,
    "调查(?:之)?中",
    "结果(?:尚|还|暂)?(?:未|没有?)(?:出来|出炉|公布)",
    "尚不清楚|尚不明确|尚未查明|尚未确定|尚无定论|还不清楚|目前不清楚|原因不明|待查|不详",
    "有待.{0,4}(?:调查|查明|核实|确认)",
    "(?:原因|起因)[^,，。]{0,8}(?:进行|展开|开展)(?:调查|侦查)",
    // "截至发稿时,仍有一名伤者尚未脱离危险": what came after the report is not in it.
    "(?:截至|截止)(?:记者)?发稿(?:时|前)?[^。]{0,30}(?:仍|尚未|还未|还没)",
  ].join("|"),
  "u",
);
/** Words that name a cause, which a why question asks for without naming it. */
const CAUSE_WORD = /原因|起因|诱因|缘由/u;
/**
 * A question that asks the cause itself ("起火原因是啥", "什么原因", "原因查清楚了吗"), not one that
 * names a cause to ask something else ("主要原因是当时奉行哪一种政策").
 */
const ASKS_CAUSE =
  /(?:原因|起因|诱因|缘由)[^,，。;；?？]{0,4}(?:啥|什么|何|吗|没有?|清楚|查明|找到)|(?:什么|啥|何)(?:原因|起因|诱因|缘由)/u;

/**
 * Words with which a sentence may give a cause, more loosely than `statesReason`: 因 anywhere
 * ("宣布因难忍…而挂靴", "又因空难死亡"), and what a good turn is owed to ("受惠于…所带动").
 */
const MAY_GIVE_CAUSE = /因(?![此素])|得益于|受惠于|归功于|源于|出于|带动/u;

/** True when the sentence states a reason, or may give a cause in looser words. */
function mayGiveCause(sentence: string): boolean {
  return statesReason(sentence) || MAY_GIVE_CAUSE.test(toSimplified(sentence));
}

/**
 * A question that asks what an investigation or a test found ("最后查明", "血检出来", "检测结果"),
 * or how things turned out later ("后来抢救过来没有", "最终判了几年"; not "最后一位").
 */
const ASKS_FINDING = new RegExp(
  `查明|查出|查清|检出|${LAB_TESTS}|调查结果|后来|最终|最后(?!一)`,
  "u",
);
/** A sentence that reports a finding: "经调查,…", "经检测系…", "确认…". */
const STATES_FINDING = new RegExp(
  `经.{0,10}(?:调查|${LAB_TESTS}|查明|核实|勘查)|查明|确认|证实|结果显示|结果表明|系.{1,15}(?:所致|引起|导致)`,
  "u",
);

/**
 * The sentence of the answer's story that says the asked fact is not known yet, where the
 * question asks for a cause in so many words ("起火原因是啥") or for what an investigation or a
 * test found ("最后查明", "血检出来"), and none of the story's best sentences gives one: the story
 * then does not hold the answer, whatever its lead restates, and says so itself.
 */
function notKnownYet(
  query: QueryAnalysis,
  best: Candidate,
  candidates: readonly Candidate[],
): Candidate | undefined {
  const cause = query.answerType === "reason" && CAUSE_WORD.test(query.question);
  const finding = ASKS_FINDING.test(query.question);
  if (!cause && !finding) return undefined;
  // The patterns are written in simplified characters; a traditional story is read so too.
  const story = candidates
    .filter((c) => c.passage.chunk.articleId === best.passage.chunk.articleId)
    .map((c) => ({ c, plain: toSimplified(c.sentence) }));
  const unknown = story.find(
    ({ plain }) => NOT_KNOWN_YET.test(plain) && (CAUSE_WORD.test(plain) || finding),
  );
  if (!unknown) return undefined;
  const told = story.filter(({ plain }) => !NOT_KNOWN_YET.test(plain)).slice(0, 3);
  // A cause the story states answers a why question; a finding question ("化验最后查出是什么")
  // wants a finding, and a reason given for something else ("由于…,医生初步诊断为…") is none.
  if (told.some(({ plain }) => (cause && statesReason(plain)) || STATES_FINDING.test(plain))) {
    return undefined;
  }
  return unknown.c;
}

/**
 * A question that asks for a kind of thing by its noun at the end of a clause: "拉的是啥油",
 * "吃的什么菜", "用的哪种豆子".
 */
const KIND_ASKED = /(?:啥|什么|哪种|哪一种|哪类|哪样)(\p{Script=Han}{1,3})(?=[?？。,，!！\s]|$)/u;

/** The opening of a decline that shows the closest sentence the archive holds. */
export const NEAR_MISS_TEXT = "已收录的报道里没有找到这个问题的确切答案。";

/**
 * True when the best sentence's article holds most of what the question is about (its names and
 * nouns): then it is the same story, and the closest sentence is worth showing.
 */
function aboutSubject(best: Candidate): boolean {
  return featureOf(best, "subjectInArticle") >= 0.75;
}

/** The reply when the archive does not hold the answer. */
export const ABSTAIN_TEXT =
  "抱歉,已收录的报道里没有找到能回答这个问题的内容。可以换个说法,或问问其他本地新闻。";

/** Options of the extractive composer. */
export interface ExtractiveOptions {
  /** Passages whose sentences are considered. Defaults to 5. */
  passagesConsidered?: number;
  /** Sentences in the answer at most. Defaults to 3. */
  maxSentences?: number;
  /** Term groups of the question, when the caller already built them. */
  groups?: readonly TermGroup[];
  /** Adjacent-word phrases of the question ("设计城"), to find the article it is about. */
  phrases?: readonly string[];
  /**
   * Sentences (compacted, dateline removed) that may not answer: another part of the same
   * question quotes them already.
   */
  exclude?: ReadonlySet<string>;
}

/**
 * True when a name the question is about occurs nowhere in the index, or not in the article of
 * the best sentence. A name jieba does not know ("新降") that the article holds with one
 * character that sounds alike ("新绛") is a typing slip, and is there; a known name ("山西") is
 * never read as another ("陕西").
 */
function missingEntity(index: NewsIndex, groups: readonly TermGroup[], best: Candidate): boolean {
  const { articleId } = best.passage.chunk;
  const context = articleContext(index, articleId);
  // The article's words may be cut otherwise than the question's ("莱昂德罗" against 莱昂 +
  // 德罗): a name the article's text holds as written is there. The text is read only for a name
  // its words lack.
  let text: string | undefined;
  const articleText = () => (text ??= articleMatchText(index, articleId));
  return groups.some((g) => {
    if (
      !g.entity ||
      ambient(index, g) ||
      (!g.unseen && groupCoverage(g, context) >= 0.5) ||
      articleText().includes(g.surface) ||
      articleText().includes(g.surface.replace(GENERIC_SUFFIX, "")) ||
      articleText().includes(withoutGluedWord(g.surface))
    ) {
      return false;
    }
    const tag = soleTag(g.surface);
    // A name the archive never uses as a word ("罗店" for 罗甸), or uses only in a passage or
    // two of other stories ("广林" of 广林村, for 广邻高速), is as likely a slip as one jieba does
    // not know.
    const unknown = tag === "x" || index.documentFrequency(g.surface) <= RARE_NAME_PASSAGES;
    return (
      !(unknown && holdsSoundAlike(articleText(), g.surface)) &&
      !(tag !== "ns" && holdsAbbreviated(articleText(), g.surface)) &&
      !holdsPlaceWithin(articleText(), g.surface)
    );
  });
}

/**
 * Passages of the archive, at most, that use a name the question may have typed by sound: a name
 * this rare in the archive is read as the sound-alike name of the answer's story, if it holds one.
 */
const RARE_NAME_PASSAGES = 2;

/**
 * True when the text names a place that CC-CEDICT locates inside `place`: a story about 巍山县
 * is a story in 云南, one about 平湖 a story in 嘉兴, though it never names them. False until the
 * lexicon is loaded (the engine loads it with the first question).
 */
function holdsPlaceWithin(text: string, place: string): boolean {
  const inside = lexicon()?.placesWithin(place) ?? [];
  return inside.some((name) => text.includes(name));
}

/**
 * True when the best sentence holds one of `groups`, or a part of one ("陈伟" of a question cut
 * as "陈伟去", "死" in "处死"), or its article holds one whole, leaving out the background names
 * (`ambient`); true when the question has no other words but words of one character.
 */
function holdsAnyWord(index: NewsIndex, groups: readonly TermGroup[], best: Candidate): boolean {
  const own = groups.filter((g) => !ambient(index, g));
  // One character ("号" of "几号") names no topic to miss, though it may be held ("死" in "处死").
  if (!own.some((g) => Array.from(g.surface).length > 1)) return true;
  const chars = hanCharSet(normalizeForMatch(best.sentence));
  if (own.some((g) => groupCoverage(g, best.terms, chars) > 0)) return true;
  const { articleId } = best.passage.chunk;
  const context = articleContext(index, articleId);
  const text = articleMatchText(index, articleId);
  return own.some((g) => groupCoverage(g, context) >= 1 || text.includes(g.surface));
}

/**
 * Share of the archive's passages above which a name is part of the background ("中国" in a
 * national paper, "美国" in an encyclopedia): an article about a province or a war may never
 * write it, so its absence says nothing about whether the article answers.
 */
const AMBIENT_SHARE = 0.05;

/** True when one of the group's spellings stands in more than AMBIENT_SHARE of the passages. */
function ambient(index: NewsIndex, group: TermGroup): boolean {
  const limit = AMBIENT_SHARE * index.chunkCount;
  return group.spellings.some((s) => s.length === 1 && index.documentFrequency(s[0] ?? "") > limit);
}

/**
 * A one-character generic ending of a name, which the article may leave off: "湖人队" is written
 * "湖人", "平湖市" "平湖". The name without it must keep two characters.
 */
const GENERIC_SUFFIX = /(?<=\p{Script=Han}{2})[队市省县区镇乡村厂店局馆院]$/u;
/**
 * A function word jieba glues to a name ("由约翰", "于北魏", "和澳洲", "大大的"): the name is the
 * rest, which must keep two characters.
 */
const GLUED_FUNCTION_WORD =
  /^[由于和与在从向被把给对跟同及将](?=\p{Script=Han}{2})|(?<=\p{Script=Han}{2})的$/u;

/** A name without the function word jieba glued to it: "由约翰" → 约翰, "大大的" → 大大. */
export function withoutGluedWord(name: string): string {
  return name.replace(GLUED_FUNCTION_WORD, "");
}

/**
 * jieba's tag of a word it cuts as one word, or undefined when it cuts it into several: "x" when
 * its dictionary lacks the word, "ns" for a place (山西 is no short form of a name that holds 山…西).
 */
function soleTag(word: string): string | undefined {
  const words = tagWords(word);
  return words.length === 1 ? words[0]?.tag : undefined;
}

/**
 * How far the best sentence's article trails the retrieved article that holds most of the
 * question's phrases, 0..1: "平湖设计城项目总投资" answered with another project's investment
 * trails the article about 设计城. An article that lacks a name of the question which the best
 * sentence's article holds is no better focus, whatever phrases it shares: "深圳比亚迪那回员工集体
 * 食物中毒" is about 比亚迪, not about another factory's "员工集体食物中毒".
 */
function offFocus(
  index: NewsIndex,
  groups: readonly TermGroup[],
  phrases: readonly string[],
  retrieved: readonly Passage[],
  best: Candidate,
): number {
  if (phrases.length === 0) return 0;
  const share = (text: string): number =>
    phrases.filter((p) => text.includes(p)).length / phrases.length;
  const { articleId } = best.passage.chunk;
  const names = groups.filter(
    (g) => g.entity && groupCoverage(g, articleContext(index, articleId)) === 1,
  );
  // So is one that lacks a figure of the question which the best sentence's article holds: "智利
  // 那次6.2级地震" is the story of the 6.2级 quake, whatever another quake's story shares.
  const text = articleMatchText(index, articleId);
  const figures = groups.map((g) => g.surface).filter((w) => FIGURE.test(w) && text.includes(w));
  let focus = 0;
  for (const { chunk } of retrieved) {
    if (!names.every((g) => groupCoverage(g, articleContext(index, chunk.articleId)) === 1)) {
      continue;
    }
    const other = articleMatchText(index, chunk.articleId);
    if (figures.every((w) => other.includes(w))) focus = Math.max(focus, share(other));
  }
  return Math.max(0, focus - share(text));
}

/** A figure as the question writes it: "6.2", "38.9", "2014". */
const FIGURE = /^[0-9]+(?:\.[0-9]+)?$/u;

/**
 * True when `answer` stands within two sentences of `topic` in the same passage: the statement the
 * question matches best continues there ("…举行第134期创新学堂。…陈王进主持。"), so the answer does
 * not trail it.
 */
function continues(topic: Candidate, answer: Candidate): boolean {
  return (
    topic.passage.chunk.id === answer.passage.chunk.id &&
    Math.abs(topic.position - answer.position) <= 2
  );
}

/** IDF share of the question's words that occur nowhere in the archive. */
function unseenShare(groups: readonly TermGroup[]): number {
  const total = groups.reduce((a, g) => a + g.idf, 0);
  return total > 0 ? groups.filter((g) => g.unseen).reduce((a, g) => a + g.idf, 0) / total : 0;
}

/** A question's candidate sentences, best first under the model, with what they were built from. */
export interface RankedCandidates {
  facts: QuestionFacts;
  candidates: Candidate[];
}

/** Builds the candidate sentences of the passages and ranks them by the model's score. */
export function rankCandidates(
  index: NewsIndex,
  query: QueryAnalysis,
  groups: readonly TermGroup[],
  phrases: readonly string[],
  passages: readonly Passage[],
  model: AnswerModel = ANSWER_MODEL,
): RankedCandidates {
  const facts = questionFacts(query, groups, phrases);
  const candidates = buildCandidates(index, query, facts, passages);
  for (const c of candidates) c.score = scoreSentence(c.features, model);
  candidates.sort((a, b) => b.score - a.score);
  return { facts, candidates };
}

/** Sentences an answer holds at most: a fact wants the one that holds it; explanations may need more. */
export function maxSentencesFor(query: QueryAnalysis): number {
  return query.kind === "fact" && !asksWhatWasSaid(query) ? 2 : 3;
}

/**
 * What someone said, asked for by its content ("说了什么心愿", "提了什么要求", "作了啥指示"): a
 * statement runs over several sentences, as a why does.
 */
const WHAT_WAS_SAID =
  /(?:说|讲|提|提出|作|做|表示|强调|要求|指示|回答|回应|表态|透露|介绍)了?(?:些|一些)?(?:什么|啥|哪些|哪几)/u;

/** True when the question asks what someone said, by its content. */
function asksWhatWasSaid(query: QueryAnalysis): boolean {
  return WHAT_WAS_SAID.test(query.simplified);
}

/**
 * Two passages tell one story when they come from one article, or from articles under one
 * headline (an encyclopedia page split into sections, a story printed in two editions).
 */
function sameStory(a: Passage["chunk"], b: Passage["chunk"]): boolean {
  return a.articleId === b.articleId || (a.headline !== "" && a.headline === b.headline);
}

/**
 * The candidates after the first (ranked best first by model score) that the model gives at least
 * JOIN_PROBABILITY of answering and that tell the first's story, so that the answer holds at most
 * `maxSentences` sentences. Another story's sentence is not the rest of the answer.
 */
export function likelyRunnersUp(ranked: readonly Candidate[], maxSentences: number): Candidate[] {
  const [best] = ranked;
  if (!best) return [];
  let total = 0;
  for (const c of ranked) total += Math.exp(c.score - best.score);
  const out: Candidate[] = [];
  for (const c of ranked.slice(1, maxSentences)) {
    if (Math.exp(c.score - best.score) / total < JOIN_PROBABILITY) break;
    if (sameStory(c.passage.chunk, best.passage.chunk)) out.push(c);
  }
  return out;
}

/**
 * The sentences an answer shows first, best first: the best candidate (the first of `ranked`),
 * the runners-up the model is unsure between (`likelyRunnersUp`), and, for a why question whose
 * sentences so far state no cause, the story's best sentence that states one: the lead that
 * retells the event often ranks first, and the cause stands further on.
 */
export function shownSentences(
  ranked: readonly Candidate[],
  maxSentences: number,
  answerType: AnswerType,
): Candidate[] {
  const [best] = ranked;
  if (!best) return [];
  const shown = [best, ...likelyRunnersUp(ranked, maxSentences)];
  if (answerType !== "reason" || shown.length >= maxSentences) return shown;
  // For a why question a candidate is `marked` when it states a reason (evidence.ts). A shown
  // sentence whose only cue is what followed ("…并导致四人死亡") retells the event: the story's
  // sentence that gives a cause outright ("由于…") joins it.
  const givesCause = (c: Candidate) => c.marked && introducesCause(c.sentence);
  if (shown.some(givesCause)) return shown;
  const sameArticle = ranked.filter(
    (c) => c.passage.chunk.articleId === best.passage.chunk.articleId && !shown.includes(c),
  );
  const cause = shown.some((c) => c.marked)
    ? sameArticle.find(givesCause)
    : sameArticle.find((c) => c.marked);
  if (cause) shown.push(cause);
  return shown;
}

/**
 * What the decline model weighs about the best candidate (the first of `ranked`, which must not
 * be empty): names the archive or its article lacks, focus, words the archive has never seen, and
 * how far it trails `top`, the best candidate of any type (a sentence that covers the question
 * far better but states no answer says the archive has the topic, not the fact).
 */
export function declineEvidence(
  index: NewsIndex,
  ranked: RankedCandidates,
  retrieved: readonly Passage[],
  top: Candidate | undefined = ranked.candidates[0],
): DeclineEvidence {
  const [best, second] = ranked.candidates;
  if (!best) throw new Error("declineEvidence needs at least one candidate");
  const { groups, phrases, asked } = ranked.facts;
  const context = articleContext(index, best.passage.chunk.articleId);
  const total = groups.reduce((a, g) => a + g.idf, 0);
  const absent = groups
    .filter((g) => groupCoverage(g, context) === 0)
    .reduce((a, g) => a + g.idf, 0);
  const goesOn = top !== undefined && continues(top, best);
  return {
    best,
    second,
    missingEntity: missingEntity(index, groups, best),
    offFocus: offFocus(index, groups, phrases, retrieved, best),
    unseen: unseenShare(groups),
    askedInQuestion: asked.length > 0,
    absentFromArticle: total > 0 ? absent / total : 0,
    askedInArticle: asked.length === 0 ? 0 : weightedCoverage(asked, context),
    typedGap: top === undefined || goesOn ? 0 : Math.max(0, top.score - best.score),
    continued: goesOn && top !== best ? top : undefined,
  };
}

/**
 * Composes an extractive answer: the 1–3 sentences of the top passages that best cover the
 * question, each marked [n] with the passage it came from, or an abstention when support is weak.
 */
export function composeExtractiveAnswer(
  index: NewsIndex,
  query: QueryAnalysis,
  passages: readonly Passage[],
  options: ExtractiveOptions = {},
): Answer {
  const considered = passages.slice(0, options.passagesConsidered ?? 5);
  const maxSentences = options.maxSentences ?? maxSentencesFor(query);
  const abstain = (reason: AbstainReason): Answer => ({
    question: query.question,
    text: ABSTAIN_TEXT,
    abstained: true,
    abstainReason: reason,
    citations: [],
    passages: [...passages],
  });
  // A decline that quotes one sentence of a story, cited, introduced by `says` ("说:").
  const quoting = (reason: AbstainReason, quoted: Candidate, says: string): Answer => {
    const { chunk } = quoted.passage;
    return {
      ...abstain(reason),
      text: `${NEAR_MISS_TEXT}${formatDateZh(chunk.date)}《${chunk.headline}》${says}${withoutDateline(quoted.sentence)}[1]`,
      citations: [{ n: 1, chunk }],
    };
  };
  // A near miss: the archive has a story about what is asked, but not the asked fact. Saying
  // what it does hold, cited, lets the reader judge; the answer still counts as declined.
  const nearMiss = (reason: AbstainReason, closest: Candidate): Answer => ({
    ...(aboutSubject(closest) ? quoting(reason, closest, "里最接近的一句是:") : abstain(reason)),
    nearest: {
      sentence: withoutDateline(closest.sentence),
      chunk: closest.passage.chunk,
      subject: featureOf(closest, "subjectInArticle"),
    },
  });
  const groups = options.groups ?? buildTermGroups(index, query.simplified);
  if (groups.length === 0 || considered.length === 0) return abstain("no-evidence");

  const phrases = options.phrases ?? [];
  const ranked = rankCandidates(index, query, groups, phrases, considered);
  const { exclude } = options;
  if (exclude) {
    ranked.candidates = ranked.candidates.filter(
      (c) => !exclude.has(compact(withoutDateline(c.sentence))),
    );
  }
  const top = ranked.candidates[0];
  if (!top) return abstain("no-evidence");
  // The answer must state the asked slot: a sentence without an expression of the asked type
  // (a number, a date, a person…) only says that the topic is right.
  const typed = ranked.candidates.filter((c) => c.typed);
  const best = typed[0];
  if (!best) return nearMiss("untyped", top);
  const decline = declineEvidence(index, { facts: ranked.facts, candidates: typed }, passages, top);
  // A name the question is about that the archive or the answer's article lacks, or an answer
  // from another story than the one the question plainly names, is declined outright.
  if (decline.missingEntity) return abstain("missing-entity");
  // A sentence that holds nothing of the question but its time and background names, from a
  // story that holds none of its words whole ("平湖经开将在2025年迎来产值突破700亿元" asked
  // "2025年12月中国汽车出口了多少万辆"), is about something else, whatever its number.
  if (!holdsAnyWord(index, ranked.facts.untimed.groups, best)) return abstain("unrelated");
  if (decline.offFocus >= FOCUS_MARGIN) return abstain("off-focus");
  // The best sentence speaks of another month than the one asked ("11月份" for a question about
  // 2025年12月): the archive has the topic, not that month's figure. Only a month of a year
  // declines: a year alone is named by a history around the one an event belongs to, and a
  // month alone ("每年8月举办") may recur.
  const { times } = ranked.facts;
  if (times.has("年") && times.has("月") && featureOf(best, "timeConflict") > 0) {
    return aboutSubject(best)
      ? quoting("other-time", best, "说的是另一个时间:")
      : abstain("other-time");
  }
  if (answerProbability(declineFeatures(decline)) < ANSWER_MODEL.decline.threshold) {
    return nearMiss("weak-support", top);
  }
  const unknown = notKnownYet(query, best, ranked.candidates);
  if (unknown) return quoting("still-unknown", unknown, "说:");
  // A cause asked for by name ("起火原因是啥", "原因查清了吗") answered by the story's lead, which
  // retells the event, where no sentence of the story gives a cause in so many words (由于,
  // 导致, 因…): the story tells what happened, not why. Further into a story, a cause is given
  // in too many ways ("…事变后,两国进入全面战争", "以免线路繁忙") to ask for its words.
  if (
    (query.answerType === "reason" || query.answerType === "yesno") &&
    ASKS_CAUSE.test(toSimplified(query.question)) &&
    featureOf(best, "lead") === 1 &&
    !ranked.candidates.some(
      (c) => sameStory(c.passage.chunk, best.passage.chunk) && mayGiveCause(c.sentence),
    )
  ) {
    return nearMiss("untyped", best);
  }
  const candidates = typed;

  // The sentences the model is unsure between are all shown: the runners-up of the best
  // sentence's story that may well be the answer join it, best first, and a cause where a why
  // question's sentences state none.
  const chosen = shownSentences(candidates, maxSentences, query.answerType);
  // The best sentence goes on from the one the question matches best ("…举行第134期创新学堂。
  // …陈王进主持。"): that one is shown before it, for the answer is read in the two together.
  const { continued } = decline;
  if (continued && !chosen.includes(continued)) {
    chosen.splice(Math.max(0, chosen.indexOf(best)), 0, continued);
  }
  const covered = (g: TermGroup): number =>
    Math.max(...chosen.map((c) => groupCoverage(g, c.terms)));
  while (chosen.length < maxSentences) {
    let next: Candidate | undefined;
    let nextGain = 0;
    const idfTotal = groups.reduce((a, g) => a + g.idf, 0) || 1;
    for (const c of candidates) {
      // Further sentences come from the best sentence's article: another article's sentence that
      // shares some words is a different story, not more of the answer.
      if (chosen.includes(c) || !c.typed || c.support < FURTHER_MIN_SUPPORT) continue;
      if (c.passage.chunk.articleId !== best.passage.chunk.articleId) continue;
      let gain = 0;
      for (const g of groups) gain += g.idf * Math.max(0, groupCoverage(g, c.terms) - covered(g));
      gain /= idfTotal;
      if (gain > nextGain) {
        next = c;
        nextGain = gain;
      }
    }
    if (!next || nextGain < (query.kind === "fact" ? 0.2 : 0.12)) break;
    chosen.push(next);
  }
  // Where no shown sentence `holds` something the question asks, the story's best sentence that
  // does joins them, one beyond `maxSentences` if need be: the runners-up shown are the model's,
  // and often right where the question's words are not theirs ("车上所载的电工专用配电柜" for
  // "车上拉的是啥货").
  const joinHolderOf = (holds: (c: Candidate) => boolean) => {
    if (chosen.length > maxSentences || chosen.some(holds)) return;
    const holder = candidates.find(
      (c) =>
        !chosen.includes(c) &&
        c.passage.chunk.articleId === best.passage.chunk.articleId &&
        holds(c),
    );
    if (holder) chosen.push(holder);
  };
  // Answers that hold nothing of what is asked ("被怎么罚的" answered by the lead that restates
  // the story) are joined by the story's best sentence that does ("…罚款500元").
  if (ranked.facts.askedChars.length > 0) {
    joinHolderOf((c) => Math.max(featureOf(c, "askedInSentence"), featureOf(c, "askedChars")) > 0);
  }
  // "…小学生上吐下泻,发病前都吃过啥": an answer that retells the event of the first clause, as a
  // story's lead does, is joined by the story's best sentence that holds most of what only the
  // asking clause says ("这些学生发病前食用过豆角").
  joinHolderOf((c) => c.clause > 0.5);
  // "拉的是啥油" asks a kind of 油: a sentence that holds 油 only as part of another thing
  // ("油罐车") names none, one with a word that ends in it ("97号汽油") does.
  const kind = KIND_ASKED.exec(toSimplified(query.question))?.[1];
  if (kind !== undefined) {
    const asked = compact(normalizeForMatch(query.simplified));
    joinHolderOf((c) =>
      cutWords(c.sentence).some(
        (w) => w.length > kind.length && w.endsWith(kind) && !asked.includes(w),
      ),
    );
  }
  // An explanation often spans two sentences: "…秉承…理念,力求打造…" follows "旨在打造…城市综合
  // 体". The sentence before a shown one that opens with a consequence ("于是,他找到了…") joins
  // it, in reading order, for it states the cause whatever its words; failing that, the
  // neighbour of the best sentence that states a reason.
  if (query.kind === "why_how" && chosen.length < maxSentences) {
    const sameChunk = (a: Candidate, b: Candidate) => a.passage.chunk.id === b.passage.chunk.id;
    const consequent = chosen.find((c) => CONSEQUENCE.test(toSimplified(c.sentence.trim())));
    const cause =
      consequent &&
      candidates.find(
        (c) =>
          !chosen.includes(c) && sameChunk(c, consequent) && c.position === consequent.position - 1,
      );
    const neighbour =
      cause ??
      candidates.find(
        (c) =>
          !chosen.includes(c) &&
          sameChunk(c, best) &&
          Math.abs(c.position - best.position) === 1 &&
          statesReason(c.sentence),
      );
    if (neighbour) {
      const after = chosen.findIndex(
        (c) => sameChunk(c, neighbour) && c.position > neighbour.position,
      );
      const last = chosen.reduce((at, c, i) => (sameChunk(c, neighbour) ? i : at), -1);
      chosen.splice(after < 0 ? last + 1 : after, 0, neighbour);
    }
  }
  // A why or how still answered by the story's lead alone, which retells the event, is joined by
  // the story's best sentence that states a cause or a means in so many words (由于…, 通过…).
  const statesSlot = STATES_SLOT[query.answerType];
  if (query.kind === "why_how" && statesSlot && featureOf(best, "lead") === 1) {
    joinHolderOf((c) => statesSlot(c.sentence));
  }
  // A sentence that opens with 该 ("该公司是一家…") goes on about what the sentence before it
  // names, and is not read without it: the best sentence keeps it, whichever of the two it is.
  if (chosen.length < maxSentences) {
    const beside = (offset: number) =>
      ranked.candidates.find(
        (c) =>
          !chosen.includes(c) &&
          c.passage.chunk.id === best.passage.chunk.id &&
          c.position === best.position + offset,
      );
    const next = beside(1);
    const previous = beside(-1);
    const at = chosen.indexOf(best);
    if (next && POINTS_BACK.test(next.sentence)) chosen.splice(at + 1, 0, next);
    else if (previous && POINTS_BACK.test(best.sentence)) chosen.splice(at, 0, previous);
  }
  // A why, a how or a statement is told over several sentences of a story, and a cause or a
  // manner in too many ways to test for ("几名顾客在包厢内燃放冷焰火,火星落到吊顶上"): the answer
  // shows the story's best sentences up to the limit, not only those the model is sure of.
  if (query.kind === "why_how" || asksWhatWasSaid(query)) {
    for (const c of candidates) {
      if (chosen.length >= maxSentences) break;
      if (!chosen.includes(c) && sameStory(c.passage.chunk, best.passage.chunk)) chosen.push(c);
    }
  }
  const citations: Citation[] = [];
  const numberOf = new Map<string, number>();
  const parts = chosen.map((c) => {
    let n = numberOf.get(c.passage.chunk.id);
    if (n === undefined) {
      n = citations.length + 1;
      numberOf.set(c.passage.chunk.id, n);
      citations.push({ n, chunk: c.passage.chunk });
    }
    return `${withoutDateline(c.sentence)}[${n}]`;
  });
  return {
    question: query.question,
    text: parts.join(""),
    abstained: false,
    citations,
    passages: [...passages],
  };
}

/**
 * "本报讯 昨天下午,…" / "本报讯(记者 张敏)…": the dateline opens a lead sentence in print, but
 * quoted as an answer it is noise. The citation still points at the passage as printed.
 */
const DATELINE = /^本报讯\s*(?:[(（][^()（）]{0,30}[)）])?\s*/u;

function withoutDateline(sentence: string): string {
  const stripped = sentence.replace(DATELINE, "");
  return stripped === "" ? sentence : stripped;
}
