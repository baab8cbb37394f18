/** Sentence-final punctuation in Chinese text (full- and half-width). */
const SENTENCE_END = new Set(["。", "！", "？", "；", "!", "?", ";", "…"]);
/** Closing marks that stay with the sentence they end. */
const CLOSERS = new Set(["”", "’", "」", "』", "）", ")", '"', "'", "》", "】", "…"]);

/**
 * Splits text into sentences on 。！？；… (and half-width !?;), keeping closing quotes and brackets
 * with the sentence they end. Concatenating the result gives back the input.
 */
export function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  const chars = Array.from(text);
  let start = 0;
  let i = 0;
  while (i < chars.length) {
    const ch = chars[i] ?? "";
    if (SENTENCE_END.has(ch)) {
      let end = i + 1;
      while (
        end < chars.length &&
        (SENTENCE_END.has(chars[end] ?? "") || CLOSERS.has(chars[end] ?? ""))
      ) {
        end++;
      }
      sentences.push(chars.slice(start, end).join(""));
      start = end;
      i = end;
    } else {
      i++;
    }
  }
  if (start < chars.length) sentences.push(chars.slice(start).join(""));
  return sentences.filter((s) => s.trim().length > 0);
}

/** True when the text ends a sentence (after trailing closers and whitespace). */
export function endsSentence(text: string): boolean {
  const chars = Array.from(text.trimEnd());
  let i = chars.length - 1;
  while (i >= 0 && CLOSERS.has(chars[i] ?? "") && !SENTENCE_END.has(chars[i] ?? "")) i--;
  return i >= 0 && SENTENCE_END.has(chars[i] ?? "");
}
