import type { NewsIndex } from "../store/types.js";
import type { Chunk } from "../types.js";
import { dateInFilter } from "../dates/date-in-filter.js";
import { resolveRelativeDates } from "../dates/resolve-relative.js";
import type { TimeFilter } from "../dates/question-time.js";

/** Boost of a chunk whose own text dates something in the range ("2月7日上午…" in a March edition). */
const TEXT_DATE_BOOST = 0.6;

/**
 * A boost for the chunks that belong to the time a question names: 1 when the article's edition
 * date falls in the range, TEXT_DATE_BOOST when a date written in the chunk (resolved against the
 * edition date) does, else 0. A boost, never a filter: a resident's "今年" often means the year of
 * the report, not the calendar year of asking. Never throws.
 */
export function timeBoost(
  index: NewsIndex,
  time: Pick<TimeFilter, "from" | "to">,
): (chunk: Chunk) => number {
  const range = { from: time.from, to: time.to };
  return (chunk) => {
    if (dateInFilter(chunk.date, range)) return 1;
    const article = index.getArticle(chunk.articleId);
    const resolved = resolveRelativeDates(
      chunk.text,
      chunk.date,
      article?.datePrecision ?? (chunk.date === null ? "unknown" : "day"),
    );
    return resolved.some((r) => r.from <= range.to && r.to >= range.from) ? TEXT_DATE_BOOST : 0;
  };
}
