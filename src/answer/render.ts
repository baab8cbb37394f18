import type { Answer, Citation } from "../types.js";

/** Formats an ISO date ("2026-03-07" or "2026-03") in Chinese; "日期不详" when unknown. */
export function formatDateZh(date: string | null): string {
  if (!date) return "日期不详";
  const [y, m, d] = date.split("-");
  if (y && m && d) return `${Number(y)}年${Number(m)}月${Number(d)}日`;
  if (y && m) return `${Number(y)}年${Number(m)}月`;
  return y ? `${Number(y)}年` : "日期不详";
}

/** One source line: "[1] 嘉兴日报 2026年3月7日《headline》", with the page when known ("A1版"). */
export function formatSourceLine(citation: Citation): string {
  const { chunk } = citation;
  const paper = chunk.paper === "unknown" ? "报纸不详" : chunk.paper;
  const page = chunk.page === undefined ? "" : ` ${chunk.page}版`;
  return `[${citation.n}] ${paper} ${formatDateZh(chunk.date)}${page}《${chunk.headline}》`;
}

/** The answer as plain text: the answer, then its source list. */
export function renderAnswerText(answer: Answer): string {
  if (answer.citations.length === 0) return answer.text;
  return `${answer.text}\n\n来源:\n${answer.citations.map(formatSourceLine).join("\n")}`;
}
