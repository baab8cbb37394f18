/** One stretch of answer text and the citation numbers written right after it. */
export interface CitedSentence {
  sentence: string;
  numbers: number[];
}

/**
 * Splits an answer written as "句子[1]句子[2][3]…" into its cited sentences, in order. Text after
 * the last marker (a note such as "(日期:…)") is not a cited sentence and is left out.
 */
export function parseCitedSentences(text: string): CitedSentence[] {
  return [...text.matchAll(/([^[\]]+?)((?:\[\d+\])+)/gu)].map((m) => ({
    sentence: m[1] ?? "",
    numbers: [...(m[2] ?? "").matchAll(/\[(\d+)\]/gu)].map((n) => Number(n[1])),
  }));
}
