/**
 * The form every structured format (PDF pages, e-paper HTML, Word, Markdown) is brought into
 * before the edition parser reads it: headings with a level, and paragraphs. The parser then finds
 * headlines, bylines, captions, ads and notes the same way for every format.
 */
import type { Article, EditionMeta } from "../types.js";
import { uniqueId } from "./article-id.js";
import type { MastheadMeta } from "./masthead.js";
import { parseEdition } from "./parse-edition.js";

/** One heading or paragraph, in reading order. */
export type Block =
  { kind: "heading"; level: number; text: string } | { kind: "paragraph"; text: string };

/**
 * Edition text for blocks: headings as "#"-marked lines (the parser's heading syntax, whose level
 * tells headline from kicker and subtitle), paragraphs separated by blank lines. Never throws.
 */
export function blocksToText(blocks: readonly Block[]): string {
  return blocks
    .map((b) => {
      const text = b.text.trim();
      if (text === "") return "";
      if (b.kind === "heading")
        return `${"#".repeat(Math.min(6, Math.max(1, b.level)))} ${oneLine(text)}`;
      // A paragraph that itself starts with "#" must not read as a heading.
      return text.replace(/^#+(?=\s)/u, (m) => "＃".repeat(m.length));
    })
    .filter((t) => t !== "")
    .join("\n\n");
}

/**
 * Splits blocks into one section per article: a new section starts at each run of headings that
 * holds a heading of the top level (kicker, headline and subtitle stay together); deeper headings
 * between paragraphs are sub-heads and stay in their section. Never throws.
 */
export function splitSections(blocks: readonly Block[]): Block[][] {
  const levels = blocks.flatMap((b) => (b.kind === "heading" ? [b.level] : []));
  if (levels.length === 0) return blocks.length > 0 ? [[...blocks]] : [];
  const top = Math.min(...levels);
  const sections: Block[][] = [];
  let current: Block[] = [];
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i];
    if (block === undefined) continue;
    const runStart = block.kind === "heading" && blocks[i - 1]?.kind !== "heading";
    if (runStart) {
      let j = i;
      let major = false;
      while (blocks[j]?.kind === "heading") {
        const b = blocks[j];
        if (b?.kind === "heading" && b.level === top) major = true;
        j++;
      }
      if (major && current.some((b) => b.kind === "paragraph")) {
        sections.push(current);
        current = [];
      }
    }
    current.push(block);
  }
  if (current.length > 0) sections.push(current);
  return sections;
}

/**
 * Parses each section with the edition parser and joins the articles: positions run on, and an id
 * two sections share (the same headline and text) gets a suffix. `page` is set on every article
 * when given. Never throws.
 */
export function parseSections(
  sections: readonly (readonly Block[])[],
  meta: EditionMeta,
  source: string,
  page?: string,
): Article[] {
  return joinArticles(
    sections.map((s) => parseEdition(blocksToText(s), meta, source)),
    page === undefined ? undefined : () => page,
  );
}

/**
 * Joins the articles of several parts of one file (pages, sections) into one list with running
 * positions and unique ids; `pageOf` gives each part's page. Never throws.
 */
export function joinArticles(
  parts: readonly (readonly Article[])[],
  pageOf?: (part: number) => string | undefined,
): Article[] {
  const seen = new Set<string>();
  const out: Article[] = [];
  for (const [k, articles] of parts.entries()) {
    const page = pageOf?.(k);
    for (const article of articles) {
      const joined: Article = { ...article, id: uniqueId(article.id, seen), position: out.length };
      if (page !== undefined) joined.page = page;
      out.push(joined);
    }
  }
  return out;
}

/**
 * The edition's metadata with what its masthead says filled in where the manifest and file name
 * left it unknown. Never throws.
 */
export function withMasthead(meta: EditionMeta, masthead: MastheadMeta): EditionMeta {
  const out = { ...meta };
  if (out.paper === "unknown" && masthead.paper !== undefined) out.paper = masthead.paper;
  if (out.date === null && masthead.date !== undefined) {
    out.date = masthead.date;
    out.datePrecision = "day";
    out.dateEstimated = false;
  }
  return out;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/gu, " ");
}
