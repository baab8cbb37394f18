/**
 * The one text normaliser that edition text (at ingest) and questions (before answering) both go
 * through, so that what a question matches is what the archive holds.
 */

/**
 * Characters that print as nothing but split words apart: zero-width space, joiners, word joiner,
 * soft hyphen, BOM, and the bidi embeddings, overrides and isolates (which can also reorder what a
 * reply shows).
 */
const INVISIBLE = /[\u00AD\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/gu;
/** C0 and C1 controls other than tab and line feed (NUL, backspace, escape, …). */
// eslint-disable-next-line no-control-regex -- removing control characters is the point
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/gu;
/** Separators that other tools use where a line break or a space is meant. */
const LINE_SEPARATOR = /[\u2028\u2029\u0085]/gu;

/**
 * Removes invisible and control characters, turns tabs and no-break spaces into spaces and line
 * separators (and "\r\n", "\r") into "\n", and composes characters (NFC). Full-width punctuation
 * stays as it is: the edition parser reads it. Never throws.
 */
export function cleanText(text: string): string {
  return text
    .replace(/\r\n?/gu, "\n")
    .replace(LINE_SEPARATOR, "\n")
    .replace(INVISIBLE, "")
    .replace(/[\t\u00A0\u2007\u202F]/gu, " ")
    .replace(CONTROL, "")
    .normalize("NFC");
}

/** cleanText for one-line values (paper names, headlines): line breaks become spaces, trimmed. */
export function cleanLine(text: string): string {
  return cleanText(text)
    .replace(/\s*\n\s*/gu, " ")
    .trim();
}
