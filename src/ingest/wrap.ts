/**
 * Undoing hard wraps: lines and paragraphs that the extraction broke in the middle of a sentence.
 */
import { cutWords } from "../text/words.js";
import { endsSentence, splitSentences } from "../text/sentences.js";

/** Sentence-final punctuation anywhere in a text (as in src/text/sentences.ts). */
export const SENTENCE_END = /[。！？；!?;…]/u;

/** Characters that cannot begin a sentence: closing punctuation and bound particles. */
const CANNOT_START = /^[，。、；：！？）》」』”’,.;:!?)\]】的了着过们]/u;

/** Sub-heads are short; a "heading" longer than this that runs into body text is a wrapped line. */
export const MAX_SUBHEAD_CHARS = 22;

/** A first sentence this short, with no comma, reads as the tail of a sentence begun above. */
const MAX_TAIL_SENTENCE_CHARS = 20;

const LATIN_OR_DIGIT_END = /[A-Za-z0-9%.]$/u;
const LATIN_OR_DIGIT_START = /^[A-Za-z0-9]/u;

/** Number of non-whitespace characters (code points); never throws. */
export function compactLength(text: string): number {
  return codePointCount(text.replace(/\s+/gu, ""));
}

/** Number of code points, counted without building an array (lines can be megabytes long). */
export function codePointCount(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const prev = i > 0 ? text.charCodeAt(i - 1) : 0;
    // A low surrogate after a high one is the second half of a character already counted.
    if (c >= 0xdc00 && c <= 0xdfff && prev >= 0xd800 && prev <= 0xdbff) n--;
  }
  return n;
}

/**
 * Joins two pieces of one sentence that a hard wrap separated: no space between Chinese
 * characters, one space between two Latin/digit runs ("AI" + "PaaS"). Never throws.
 */
export function joinWrapped(left: string, right: string): string {
  const a = left.trimEnd();
  const b = right.trimStart();
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  return LATIN_OR_DIGIT_END.test(a) && LATIN_OR_DIGIT_START.test(b) ? `${a} ${b}` : a + b;
}

/**
 * Decides whether a short, heading-like paragraph followed by body text is really the start of a
 * sentence cut by a wrap ("算力基础设施是人工智能" + "产业的核心驱动和基础支撑。") rather than a
 * sub-head. Signals, any of which suffices: the piece is longer than any sub-head; the next text
 * starts with a character no sentence starts with; a dictionary word spans the break ("地|理标志");
 * or the next text opens with a short sentence without commas that only makes sense as a tail
 * (enumeration commas are allowed: "拿标、规范用标?"). Never throws.
 */
export function isWrapFragment(piece: string, next: string): boolean {
  const a = piece.trim();
  const b = next.trim();
  if (b.startsWith("本报讯")) return false;
  if (compactLength(a) > MAX_SUBHEAD_CHARS) return true;
  if (CANNOT_START.test(b)) return true;
  if (wordSpansBreak(a, b)) return true;
  const first = splitSentences(b)[0] ?? "";
  return (
    endsSentence(first) &&
    compactLength(first) <= MAX_TAIL_SENTENCE_CHARS &&
    !/[，,：:]/u.test(first)
  );
}

/**
 * True when jieba cuts a word across the break between two texts ("充分肯|定了" -> 充分肯定),
 * looking at up to four Chinese characters on either side. Never throws.
 */
export function wordSpansBreak(left: string, right: string): boolean {
  const tail = /\p{Script=Han}{1,4}$/u.exec(left.trimEnd())?.[0] ?? "";
  const head = /^\p{Script=Han}{1,4}/u.exec(right.trimStart())?.[0] ?? "";
  if (tail.length === 0 || head.length === 0) return false;
  let offset = 0;
  const boundary = tail.length;
  for (const word of cutWords(tail + head)) {
    const end = offset + word.length;
    if (offset < boundary && end > boundary) return true;
    offset = end;
  }
  return false;
}
