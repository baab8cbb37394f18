import { toSimplified } from "./normalize.js";

/** Sentence-final punctuation in Chinese text (full- and half-width). */
const SENTENCE_END = new Set(["。", "！", "？", "；", "!", "?", ";", "…"]);
/** Closing marks that stay with the sentence they end. */
const CLOSERS = new Set(["”", "’", "」", "』", "）", ")", '"', "'", "》", "】", "…"]);

// Every mark above is one UTF-16 code unit outside the surrogate range, so the functions below
// walk code units: a surrogate half never equals a mark, and no array of characters is built
// (a 10 MB line would otherwise allocate tens of millions of one-character strings).

/**
 * Splits text into sentences on 。！？；… (and half-width !?;), keeping closing quotes and brackets
 * with the sentence they end. Concatenating the result gives back the input.
 */
export function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  const n = text.length;
  let start = 0;
  let i = 0;
  while (i < n) {
    if (SENTENCE_END.has(text.charAt(i))) {
      let end = i + 1;
      while (end < n && (SENTENCE_END.has(text.charAt(end)) || CLOSERS.has(text.charAt(end)))) {
        end++;
      }
      sentences.push(text.slice(start, end));
      start = end;
      i = end;
    } else {
      i++;
    }
  }
  if (start < n) sentences.push(text.slice(start));
  return sentences.filter((s) => s.trim().length > 0);
}

/** True when the text ends a sentence (after trailing closers and whitespace). */
export function endsSentence(text: string): boolean {
  const t = text.trimEnd();
  let i = t.length - 1;
  while (i >= 0 && CLOSERS.has(t.charAt(i)) && !SENTENCE_END.has(t.charAt(i))) i--;
  return i >= 0 && SENTENCE_END.has(t.charAt(i));
}

/** A sentence that hands over to the next one: a caption's "图为:", "他表示:" before a quote. */
const HANDS_OVER = /[:：]\s*$/u;
/** Verbs that say someone spoke, as a pattern's source. */
const SPEECH_VERBS = "表示|说|指出|介绍|强调|认为|称|坦言|透露|感慨";
/** A short sentence that only says who spoke: "市园林局局长周建国表示。", "他说。" */
const SPEAKER_ONLY = new RegExp(`^[^。！？!?,，“”"]{1,24}(${SPEECH_VERBS})[。！.!]?\\s*$`, "u");

/** A sentence that is all quote: "“党建赋能‘小个专’,关键在精准…。”" */
const QUOTE_ONLY = /^[“「"][^“”「」"]*[”」"]$/u;
/**
 * A sentence that says who spoke, in its first clauses: "座谈会上,局长许铨一语道破…",
 * "市园林局局长周建国表示,…". Only its opening is read, so a long report that quotes someone
 * later on is not taken for the speaker of the quote before it.
 */
const NAMES_SPEAKER = new RegExp(
  `^[^。！？!?“”"]{0,40}?(${SPEECH_VERBS}|道破|说道|谈到|告诉)`,
  "u",
);

/** A quote still open at a unit's end joins the next sentence while the unit is shorter than this. */
const QUOTE_JOIN_LIMIT = 160;

/** True when the text holds more of the opening mark than of the closing one ("《…", "“…"). */
export function leavesOpen(text: string, open: string, close: string): boolean {
  return text.split(open).length > text.split(close).length;
}

/** True when the text opens a quote that it does not close ("“2#楼塔楼区域是…。", "「…。"). */
export function opensQuote(text: string): boolean {
  return leavesOpen(text, "“", "”") || leavesOpen(text, "「", "」");
}

/**
 * The text with what stands in quotation marks (“…”, 「…」, "…") blanked out, offsets kept: the
 * words someone said, which say nothing about when or what the asker means.
 */
export function withoutQuotes(text: string): string {
  return text.replace(/“[^”]*”|「[^」]*」|"[^"]*"/gu, (m) => " ".repeat(m.length));
}

/**
 * The sentences of a text as answers are quoted: a sentence joined with the next where the
 * statement continues there (after a colon), and a quote joined with the sentence that names its
 * speaker ("“…。”局长周建国表示。", "“…。”座谈会上,局长许铨一语道破…"), so that the speaker stays
 * with what was said.
 */
export function answerUnits(text: string): string[] {
  const units: string[] = [];
  // The last unit ends with its speaker ("…。”局长周建国表示。"): what was said is over, even where
  // the paper left a quotation mark open ("“我们以…开展“特需增值服务”。…负责人表示。").
  let spoken = false;
  for (const sentence of splitSentences(text)) {
    const last = units[units.length - 1];
    // The speech verbs are written in simplified characters: 說, 稱, 表示 of a traditional text too.
    const plain = toSimplified(sentence.trim());
    const quoteThenSpeaker =
      last !== undefined && QUOTE_ONLY.test(last.trim()) && NAMES_SPEAKER.test(plain);
    const speaker = SPEAKER_ONLY.test(plain) || quoteThenSpeaker;
    if (
      last !== undefined &&
      (HANDS_OVER.test(last) ||
        speaker ||
        (!spoken && opensQuote(last) && Array.from(last).length < QUOTE_JOIN_LIMIT))
    ) {
      units[units.length - 1] = last + sentence;
      spoken = speaker;
    } else {
      units.push(sentence);
      spoken = false;
    }
  }
  return units;
}
