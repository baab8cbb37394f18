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
