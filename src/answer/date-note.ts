import type { NewsIndex } from "../store/types.js";
import type { Answer } from "../types.js";
import { resolveRelativeDates } from "../dates/resolve-relative.js";
import { annotateRelative } from "../dates/format.js";
import { parseCitedSentences } from "./cited-sentences.js";

/**
 * Appends the absolute dates behind the relative ones in the answer ("昨天" in a 2026-03-07
 * edition -> "2026年3月6日(报道称“昨天”)"), as a note after the cited sentences, which stay
 * verbatim. Only day-precise resolutions are shown; an answer without any comes back as it is.
 */
export function addDateNote(index: NewsIndex, answer: Answer): Answer {
  if (answer.abstained) return answer;
  const byN = new Map(answer.citations.map((c) => [c.n, c.chunk]));
  const notes: string[] = [];
  for (const { sentence, numbers } of parseCitedSentences(answer.text)) {
    const chunk = byN.get(numbers[0] ?? 0);
    const article = chunk ? index.getArticle(chunk.articleId) : undefined;
    if (!chunk || !article) continue;
    for (const r of resolveRelativeDates(sentence, article.date, article.datePrecision)) {
      if (!r.relative || r.precision !== "day") continue;
      const note = annotateRelative(r);
      if (!notes.includes(note)) notes.push(note);
    }
  }
  return notes.length === 0
    ? answer
    : { ...answer, text: `${answer.text}\n(日期:${notes.join(";")})` };
}
