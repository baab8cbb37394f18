/**
 * Markup in edition text: HTML (e-paper pages, Word files converted by mammoth, CMS exports with
 * tags and entities) and Markdown (CMS exports), turned into headings and paragraphs by
 * well-kept parsers (cheerio, markdown-it), so that no tag, entity or mark reaches an answer.
 */
import * as cheerio from "cheerio";
import MarkdownIt from "markdown-it";
import { cleanText } from "../text/clean.js";
import { blocksToText, type Block } from "./blocks.js";

/** The part of a parsed HTML node the walk reads (cheerio's nodes are domhandler's). */
interface DomNode {
  type: string;
  name?: string;
  data?: string;
  children?: DomNode[];
}

/** Elements whose content is never text of the page. */
const DROPPED = new Set([
  "script",
  "style",
  "noscript",
  "template",
  "head",
  "iframe",
  "object",
  "svg",
  "canvas",
  "select",
  "button",
  "form",
  "nav",
]);
/** Elements that start a new paragraph. */
const BLOCK_TAGS = new Set([
  "p",
  "div",
  "section",
  "article",
  "li",
  "ul",
  "ol",
  "dl",
  "dt",
  "dd",
  "blockquote",
  "pre",
  "header",
  "footer",
  "main",
  "aside",
  "figure",
  "figcaption",
  "center",
  "table",
  "tbody",
  "thead",
  "hr",
  "body",
  "html",
  "font-block",
]);

/** Tags, entities: text that is really HTML. */
const HTML_LIKE = /<\/?[a-z][a-z0-9]*(?:\s[^<>]*)?\/?>|&(?:[a-z]{2,8}|#\d{1,6}|#x[0-9a-f]{1,6});/iu;

const HTML_TAG = /<\/?[a-z][a-z0-9]*(?:\s[^<>]*)?\/?>/iu;

/** True when a text holds HTML tags or entities. Never throws. */
export function looksLikeHtml(text: string): boolean {
  return HTML_LIKE.test(text);
}

/**
 * Headings and paragraphs of an HTML fragment or page: h1-h6 are headings, block elements and
 * <br> end paragraphs, table rows read "项目:数值", scripts, styles and forms are dropped, and
 * entities are decoded by the parser. Never throws.
 */
export function htmlToBlocks(html: string | cheerio.CheerioAPI): Block[] {
  const $ = typeof html === "string" ? cheerio.load(html) : html;
  const root = $.root()[0] as unknown as DomNode;
  const blocks: Block[] = [];
  let buffer = "";
  const flush = (): void => {
    const text = squeeze(buffer);
    if (text !== "") blocks.push({ kind: "paragraph", text });
    buffer = "";
  };
  const walk = (node: DomNode): void => {
    if (node.type === "text") {
      buffer += node.data ?? "";
      return;
    }
    if (node.type !== "tag" && node.type !== "root") return;
    const name = (node.name ?? "").toLowerCase();
    if (DROPPED.has(name)) return;
    const level = /^h([1-6])$/u.exec(name)?.[1];
    if (level !== undefined) {
      flush();
      const text = squeeze(textOf(node));
      if (text !== "") blocks.push({ kind: "heading", level: Number(level), text });
      return;
    }
    if (name === "br") {
      flush();
      return;
    }
    if (name === "table") {
      flush();
      const rows = tableCells(node);
      if (rows !== undefined) {
        for (const row of tableRows(rows)) blocks.push({ kind: "paragraph", text: row });
        return;
      }
    }
    // Cells of a layout table are blocks of the page.
    const block = BLOCK_TAGS.has(name) || name === "td" || name === "th" || name === "tr";
    if (block) flush();
    for (const child of node.children ?? []) walk(child);
    if (block) flush();
  };
  walk(root);
  flush();
  return blocks;
}

/** Plain text of HTML: paragraphs on their own lines. Never throws. */
export function htmlToText(html: string): string {
  return htmlToBlocks(html)
    .map((b) => b.text)
    .join("\n");
}

const markdown = new MarkdownIt({ html: true, linkify: false });

/** Marks that show a text is Markdown rather than plain edition text. */
const MARKDOWN_LIKE =
  /\{#[\w-]+\}|\*\*[^*\n]+\*\*|__[^_\n]+__|^\s{0,3}(?:-{3,}|\*{3,}|_{3,})\s*$|^\s*\|.*\|\s*$|\[[^\]\n]+\]\([^)\n]+\)/mu;

/**
 * True when a text holds Markdown marks (bold, rules, tables, links, "{#anchor}"). A "# 标题" line
 * alone does not count: the edition parser reads it as a heading. Never throws.
 */
export function looksLikeMarkdown(text: string): boolean {
  return MARKDOWN_LIKE.test(text);
}

/**
 * Headings and paragraphs of a Markdown text: marks removed, "{#anchor}" attributes dropped, a
 * paragraph's line breaks kept (the edition parser rejoins wrapped lines), table rows as
 * "项目:数值" sentences, embedded HTML read as HTML. Never throws.
 */
export function markdownToBlocks(text: string): Block[] {
  const tokens = markdown.parse(text, {});
  const blocks: Block[] = [];
  let heading: number | undefined;
  let rows: string[][] | undefined;
  let row: string[] | undefined;
  for (const token of tokens) {
    switch (token.type) {
      case "heading_open":
        heading = Number(token.tag.slice(1));
        break;
      case "heading_close":
        heading = undefined;
        break;
      case "table_open":
        rows = [];
        break;
      case "table_close":
        for (const r of tableRows(rows ?? [])) blocks.push({ kind: "paragraph", text: r });
        rows = undefined;
        break;
      case "tr_open":
        row = [];
        break;
      case "tr_close":
        if (row) rows?.push(row);
        row = undefined;
        break;
      case "inline": {
        const content = inlineText(token.children ?? []).replace(/\s*\{#[^}]*\}\s*$/u, "");
        if (row) row.push(squeeze(content));
        else if (heading !== undefined) {
          const t = squeeze(content);
          if (t !== "") blocks.push({ kind: "heading", level: heading, text: t });
        } else pushParagraph(blocks, content);
        break;
      }
      case "fence":
      case "code_block":
        pushParagraph(blocks, token.content);
        break;
      case "html_block":
        blocks.push(...htmlToBlocks(token.content));
        break;
      default:
        break;
    }
  }
  return blocks;
}

/** Markdown as edition text (see markdownToBlocks and blocksToText). Never throws. */
export function markdownToText(text: string): string {
  return blocksToText(markdownToBlocks(text));
}

/**
 * The text of an exported article as plain paragraphs, one a line: invisible characters removed,
 * HTML tags and entities, then Markdown marks turned into text. Never throws.
 */
export function plainExportText(text: string): string {
  let out = cleanText(text);
  // Tags make it HTML, whose line breaks are only layout; entities alone are decoded line by line.
  if (HTML_TAG.test(out)) out = htmlToText(out);
  else if (looksLikeHtml(out)) out = out.split("\n").map(decodeEntities).join("\n");
  if (looksLikeMarkdown(out) || /^\s{0,3}#{1,6}\s/mu.test(out)) {
    out = markdownToBlocks(out)
      .map((b) => b.text)
      .join("\n");
  }
  return out;
}

/** A one-line value (a title) of an export as plain text. Never throws. */
export function plainExportLine(text: string): string {
  return squeeze(plainExportText(text).replace(/\n/gu, " "));
}

/** A line's HTML entities decoded by the HTML parser, its spacing kept. */
function decodeEntities(line: string): string {
  return cheerio
    .load(`<p>${line.replace(/</gu, "&lt;")}</p>`)("p")
    .text();
}

interface InlineToken {
  type: string;
  content: string;
  children: InlineToken[] | null;
}

function inlineText(children: readonly InlineToken[]): string {
  let out = "";
  for (const child of children) {
    if (child.type === "text" || child.type === "code_inline") out += child.content;
    else if (child.type === "softbreak" || child.type === "hardbreak") out += "\n";
    else if (child.type === "html_inline") out += child.content.startsWith("<br") ? "\n" : "";
  }
  // Entities markdown-it leaves in html_inline text are decoded by the HTML parser.
  return looksLikeHtml(out) ? htmlToText(out.replace(/\n/gu, "<br>")) : out;
}

function pushParagraph(blocks: Block[], content: string): void {
  const text = content
    .split("\n")
    .map((l) => squeeze(l))
    .filter((l) => l !== "")
    .join("\n");
  if (text !== "") blocks.push({ kind: "paragraph", text });
}

/**
 * Table rows as sentences: "名称:数值" for two columns, "名称:表头1 值1,表头2 值2" for more, when
 * the first row is a header; a header-only or one-column table reads as its cells.
 */
function tableRows(rows: readonly string[][]): string[] {
  const [header, ...body] = rows.filter((r) => r.some((c) => c !== ""));
  if (header === undefined) return [];
  if (body.length === 0) return [header.filter((c) => c !== "").join(",")];
  return body.map((cells) => {
    const [label = "", ...values] = cells;
    if (values.length === 0) return label;
    const parts =
      values.length === 1
        ? values
        : values.map((v, i) => {
            const h = header[i + 1] ?? "";
            return h === "" ? v : `${h}${v}`;
          });
    return `${label}:${parts.filter((p) => p !== "").join(",")}。`;
  });
}

/** Longest cell of a data table; longer text is a page laid out in a table. */
const MAX_CELL_CHARS = 60;

/**
 * The cells of a data table (rows of two or more short cells, no table inside), or undefined for
 * a table that lays out a page (e-paper sites of the GBK era put whole articles in cells).
 */
function tableCells(table: DomNode): string[][] | undefined {
  const rows: DomNode[] = [];
  const collect = (node: DomNode): void => {
    for (const child of node.children ?? []) {
      if (child.type !== "tag") continue;
      const name = (child.name ?? "").toLowerCase();
      if (name === "tr") rows.push(child);
      else if (name === "thead" || name === "tbody" || name === "tfoot") collect(child);
    }
  };
  collect(table);
  const cells = rows.map((r) =>
    (r.children ?? []).filter(
      (c) => c.type === "tag" && ["td", "th"].includes((c.name ?? "").toLowerCase()),
    ),
  );
  const nested = (node: DomNode): boolean =>
    (node.children ?? []).some(
      (c) => c.type === "tag" && ((c.name ?? "").toLowerCase() === "table" || nested(c)),
    );
  const texts = cells.map((row) => row.map((c) => squeeze(textOf(c))));
  const data =
    rows.length >= 2 &&
    cells.filter((row) => row.length >= 2).length * 2 > rows.length &&
    !cells.some((row) => row.some(nested)) &&
    texts.every((row) => row.every((t) => Array.from(t).length <= MAX_CELL_CHARS));
  return data ? texts : undefined;
}

function textOf(node: DomNode): string {
  if (node.type === "text") return node.data ?? "";
  if (node.type !== "tag" && node.type !== "root") return "";
  if (DROPPED.has((node.name ?? "").toLowerCase())) return "";
  if (node.name === "br") return " ";
  return (node.children ?? []).map(textOf).join("");
}

/**
 * Collapses whitespace: a run holding a line break next to a Chinese character is source
 * formatting and goes; any other run becomes one space (as printed: "本报讯 3月9日").
 */
function squeeze(text: string): string {
  return cleanText(text)
    .replace(/\s*\n\s*/gu, (run, at: number, all: string) =>
      HAN_OR_MARK.test(all[at - 1] ?? "") || HAN_OR_MARK.test(all[at + run.length] ?? "")
        ? ""
        : " ",
    )
    .replace(/[\s\u3000]+/gu, " ")
    .trim();
}

const HAN_OR_MARK = /[\p{Script=Han}，。！？；：、“”（）《》]/u;
