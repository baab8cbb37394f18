import type { Answer, Article, Chunk } from "../../types.js";
import { formatDateZh, formatSourceLine } from "../../answer/render.js";

/**
 * Escapes text for Telegram's HTML parse mode. Everything that comes from users or articles goes
 * through here: Telegram rejects a message whose tags do not parse, so an unescaped "<" in a
 * question would turn a reply into an API error.
 */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/gu, "&amp;")
    .replace(/</gu, "&lt;")
    .replace(/>/gu, "&gt;")
    .replace(/"/gu, "&quot;");
}

/** Paper name for display; "报纸不详" when the ingester could not tell. */
export function displayPaper(paper: string): string {
  return paper === "unknown" || paper.trim() === "" ? "报纸不详" : paper;
}

/** Shortens text to at most `maxChars` code points, ending with "…" when cut. */
export function truncate(text: string, maxChars: number): string {
  const chars = Array.from(text);
  if (chars.length <= maxChars) return text;
  return `${chars.slice(0, Math.max(0, maxChars - 1)).join("")}…`;
}

/**
 * Longest headline shown in a list, card or passage, in characters: an export may carry a
 * "headline" of any length, and lists are edited in place, where a message cannot be split.
 */
export const MAX_HEADLINE_CHARS = 80;
/** Longest byline shown in a list or card, in characters. */
const MAX_BYLINE_CHARS = 60;

/** A headline shortened for display. */
export function shortHeadline(headline: string): string {
  return truncate(headline, MAX_HEADLINE_CHARS);
}

/**
 * The answer as Telegram HTML: the short cited answer, then a compact source list (paper, date,
 * headline). An abstention is sent as it is, without a source list.
 */
export function renderAnswerHtml(answer: Answer): string {
  const body = escapeHtml(answer.text);
  if (answer.citations.length === 0) return body;
  const sources = answer.citations
    .map((c) =>
      escapeHtml(
        formatSourceLine({
          ...c,
          chunk: { ...c.chunk, headline: shortHeadline(c.chunk.headline) },
        }),
      ),
    )
    .join("\n");
  return `${body}\n\n<b>来源</b>\n${sources}`;
}

/** One cited passage in full, with its headline, paper and date (the "来源 n" button). */
export function renderPassageHtml(n: number, chunk: Chunk): string {
  return [
    `<b>来源 ${n}</b>`,
    `<b>《${escapeHtml(shortHeadline(chunk.headline))}》</b>`,
    `${escapeHtml(displayPaper(chunk.paper))} · ${escapeHtml(formatDateZh(chunk.date))}`,
    "",
    `<blockquote>${escapeHtml(chunk.text)}</blockquote>`,
  ].join("\n");
}

/** "嘉兴日报 · 2026年3月7日 · 《headline》" plus the byline when there is one. */
export function renderArticleLine(article: Article, options: { byline?: boolean } = {}): string {
  const head = `${escapeHtml(displayPaper(article.paper))} · ${escapeHtml(formatDateZh(article.date))} · <b>《${escapeHtml(shortHeadline(article.headline))}》</b>`;
  if (options.byline === false || article.byline.length === 0) return head;
  return `${head}\n   <i>${escapeHtml(truncate(article.byline.join("、"), MAX_BYLINE_CHARS))}</i>`;
}

/**
 * A shareable card for one article (inline mode): headline, paper, date, byline and the lead,
 * each shortened, so that the card fits one message (an inline result cannot be split).
 */
export function renderArticleCardHtml(article: Article, maxLeadChars = 600): string {
  const lines = [
    `<b>《${escapeHtml(shortHeadline(article.headline))}》</b>`,
    `${escapeHtml(displayPaper(article.paper))} · ${escapeHtml(formatDateZh(article.date))}`,
  ];
  if (article.byline.length > 0) {
    lines.push(`<i>${escapeHtml(truncate(article.byline.join("、"), MAX_BYLINE_CHARS))}</i>`);
  }
  const lead = article.paragraphs.join("\n");
  if (lead.trim() !== "") lines.push("", escapeHtml(truncate(lead, maxLeadChars)));
  return lines.join("\n");
}

/** A whole article: headline, subtitle, paper, date, byline and every paragraph. */
export function renderArticleFullHtml(article: Article): string {
  const lines = [`<b>《${escapeHtml(truncate(article.headline, 4 * MAX_HEADLINE_CHARS))}》</b>`];
  if (article.subtitle) lines.push(escapeHtml(truncate(article.subtitle, 4 * MAX_HEADLINE_CHARS)));
  lines.push(
    `${escapeHtml(displayPaper(article.paper))} · ${escapeHtml(formatDateZh(article.date))}`,
  );
  if (article.credits.length > 0) lines.push(`<i>${escapeHtml(article.credits.join(" "))}</i>`);
  lines.push("", ...article.paragraphs.map((p) => `${escapeHtml(p)}\n`));
  return lines.join("\n").trimEnd();
}
