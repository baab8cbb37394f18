/**
 * E-paper (数字报) article pages, saved or fetched: the article's fields (引题, 标题, 副题, author,
 * date, page) from the page's meta tags and the e-paper systems' elements, the body without
 * navigation, links and footer. UTF-8 or GB2312/GBK, from <meta charset> or detection.
 */
import { Readability } from "@mozilla/readability";
import * as cheerio from "cheerio";
import { parseHTML } from "linkedom";
import iconv from "iconv-lite";
import { cleanText } from "../../text/clean.js";
import type { Article } from "../../types.js";
import { contentHash } from "../article-id.js";
import { parseSections, withMasthead, type Block } from "../blocks.js";
import { decodeText } from "../decode.js";
import { htmlToBlocks } from "../markup.js";
import { fillMasthead, mastheadLine, type MastheadMeta } from "../masthead.js";
import type { EditionReader, ReadOutput } from "./reader.js";
import { encodingNotice } from "./text.js";

/** Where e-paper systems put the article body, most specific first. */
const BODY_SELECTORS = [
  "founder-content",
  "#ozoom",
  "#articleContent",
  "#article-content",
  ".article-content",
  ".article_content",
  "#content",
  ".content",
  "article",
  ".article",
];
/** Elements that are never the article. */
const CHROME =
  "script,style,noscript,nav,header,footer,iframe,form,select,button,aside,.nav,.menu,.footer,.header,#nav,#footer,#header";

/** Reads one e-paper article page (a whole page of links holds no article and is refused). */
export const htmlReader: EditionReader = {
  extensions: [".html", ".htm", ".shtml", ".xhtml"],
  label: "数字报网页",
  size: "edition",
  read(bytes, input) {
    const { text, encoding, warnings } = decodeHtml(bytes, input.file);
    const page = cleanText(text);
    const $ = cheerio.load(page);
    const fields = readFields($, page);
    $(CHROME).remove();
    let body: Block[] = [];
    for (const selector of BODY_SELECTORS) {
      const found = $(selector).first();
      if (found.length === 0) continue;
      body = htmlToBlocks(cheerio.load(found.html() ?? ""));
      if (body.some((b) => b.kind === "paragraph")) break;
    }
    if (!body.some((b) => b.kind === "paragraph")) body = readableBlocks(page, $);
    const headlineTexts = new Set([fields.headline, fields.kicker, fields.subtitle]);
    const paragraphs = body.filter(
      (b) => !headlineTexts.has(b.text) && !isMasthead(b.text) && !isLinkList(b.text),
    );
    const blocks: Block[] = [];
    if (fields.kicker) blocks.push({ kind: "heading", level: 2, text: fields.kicker });
    if (fields.headline) blocks.push({ kind: "heading", level: 1, text: fields.headline });
    if (fields.subtitle)
      blocks.push({ kind: "heading", level: 2, text: `——${fields.subtitle.replace(/^——/u, "")}` });
    if (fields.author && !paragraphs.some((p) => p.text.includes(fields.author ?? ""))) {
      blocks.push({ kind: "paragraph", text: creditLine(fields.author) });
    }
    // Sub-heads inside the body stay in the article: only the page's own headline is level 1.
    blocks.push(...paragraphs.map((b): Block => (b.kind === "heading" ? { ...b, level: 3 } : b)));
    const meta = withMasthead(input.meta, fields.masthead);
    const articles =
      fields.headline || paragraphs.length > 0
        ? parseSections([blocks], meta, input.source, fields.masthead.page)
        : [];
    const out: ReadOutput = {
      articles: mergeIntoOne(articles, fields.headline),
      skipped: [],
      notices: warnings.map(encodingNotice),
      encoding,
    };
    return Promise.resolve(out);
  },
};

/** The fields of an e-paper article page. */
interface PageFields {
  headline?: string;
  kicker?: string;
  subtitle?: string;
  author?: string;
  masthead: MastheadMeta;
}

function readFields($: cheerio.CheerioAPI, html: string): PageFields {
  // 方正 (Founder) e-paper systems write the article's fields into an "enpproperty" comment.
  const enp = /<!--\s*enpproperty([\s\S]*?)\/enpproperty\s*-->/iu.exec(html)?.[1] ?? "";
  const prop = (name: string): string | undefined => {
    const v = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`, "iu").exec(enp)?.[1];
    const t = v === undefined ? "" : squeezeLine(cheerio.load(`<p>${v}</p>`)("p").text());
    return t === "" ? undefined : t;
  };
  // 引题 and 副题 printed around the page's only <h1>, as many e-paper templates do.
  const h1 = $("h1").first();
  const sibling = (el: ReturnType<typeof h1.prev>): string | undefined => {
    const t = squeezeLine(el.text());
    return t === "" ? undefined : t;
  };
  const meta = (name: string): string | undefined => {
    const v =
      $(`meta[name="${name}" i]`).attr("content") ??
      $(`meta[property="${name}" i]`).attr("content");
    const t = v === undefined ? "" : squeezeLine(v);
    return t === "" ? undefined : t;
  };
  const el = (selector: string): string | undefined => {
    const t = squeezeLine($(selector).first().text());
    return t === "" ? undefined : t;
  };
  const fields: PageFields = { masthead: {} };
  const headline =
    prop("title") ??
    meta("ArticleTitle") ??
    el("founder-title") ??
    el(".article-title") ??
    el("h1") ??
    meta("og:title") ??
    titleHeadline(el("title"));
  if (headline) fields.headline = headline;
  const titlePaper = /\p{Script=Han}{2,6}(?:日报|晚报|时报|商报|早报|周报)/u.exec(
    el("title") ?? "",
  )?.[0];
  const kicker =
    prop("introtitle") ??
    meta("ArticleIntroTitle") ??
    meta("IntroTitle") ??
    el("founder-introtitle") ??
    el(".article-introtitle") ??
    el(".intro-title") ??
    sibling(h1.prev("h2, h3, h4"));
  if (kicker) fields.kicker = kicker;
  const subtitle =
    prop("subtitle") ??
    meta("ArticleSubTitle") ??
    meta("SubTitle") ??
    el("founder-subtitle") ??
    el(".article-subtitle") ??
    el(".sub-title") ??
    sibling(h1.next("h2, h3, h4"));
  if (subtitle) fields.subtitle = subtitle;
  const author =
    prop("author") ??
    meta("ContentAuthor") ??
    meta("author") ??
    el("founder-author") ??
    el(".article-author");
  if (author) fields.author = author;
  const date =
    prop("date") ??
    meta("PubDate") ??
    meta("publishdate") ??
    meta("article:published_time") ??
    el("founder-date");
  const paper = meta("ContentSource") ?? meta("source") ?? titlePaper;
  const page =
    prop("pagenum") ??
    /^([A-Za-z]?\d{1,3})版/u.exec(prop("nodename") ?? "")?.[1] ??
    meta("PageNum") ??
    meta("ArticlePage");
  // Date and page are also printed in the page's header ("2026年03月10日 第A1版:要闻").
  const header = [
    date,
    paper && /报/u.test(paper) ? paper : undefined,
    page ? `第${page.replace(/^第|版.*$/gu, "")}版` : undefined,
  ]
    .filter((v) => v !== undefined)
    .join(" ");
  const candidates = [
    header,
    ...$("body *")
      .toArray()
      .slice(0, 400)
      .map((e) => squeezeLine($(e).clone().children().remove().end().text())),
  ];
  for (const text of candidates) {
    const found = mastheadLine(text) ?? dateOnly(text);
    if (!found) continue;
    fillMasthead(fields.masthead, found);
    if (fields.masthead.date && fields.masthead.page && fields.masthead.paper) break;
  }
  return fields;
}

/**
 * The headline a page's <title> gives: the part before the site name ("标题--平湖日报"), or
 * nothing when the title is only the site's name ("嘉兴日报数字报").
 */
function titleHeadline(title: string | undefined): string | undefined {
  const first = title?.split(/\s*(?:--|——|_|\||｜|\s-\s)\s*/u)[0]?.trim() ?? "";
  if (first === "" || /数字报|电子报|电子版|首页|^\p{Script=Han}{2,8}报$/u.test(first))
    return undefined;
  return first;
}

/** An ISO date-time field ("2026-03-10T08:00:00+08:00"). */
function dateOnly(text: string): MastheadMeta | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.+Z-]*)?$/u.exec(text.trim());
  return m ? mastheadLine(`${m[1]}年${m[2]}月${m[3]}日`) : undefined;
}

/**
 * When no known element holds the body: Mozilla's Readability (on a linkedom document) finds the
 * article in an unknown layout (a <td> of <br>-separated lines, nested tables); failing that, the
 * whole page without its chrome.
 */
function readableBlocks(html: string, $: cheerio.CheerioAPI): Block[] {
  try {
    const { document } = parseHTML(html);
    const article = new Readability(
      document as unknown as ConstructorParameters<typeof Readability>[0],
      {
        charThreshold: 100,
      },
    ).parse();
    const blocks = article?.content ? htmlToBlocks(article.content) : [];
    if (blocks.some((b) => b.kind === "paragraph")) return blocks;
  } catch {
    // Readability gives up on some pages (no body, odd markup): the page as a whole is read.
  }
  return htmlToBlocks($);
}

/** The reporter line as the edition parser reads it ("■记者 张三"). */
function creditLine(author: string): string {
  const names = author.replace(/^(?:作者|记者|文)\s*[:：]?\s*/u, "");
  return /记者|通讯员|摄影/u.test(names) ? `■${names}` : `■记者 ${names}`;
}

function isMasthead(text: string): boolean {
  return mastheadLine(text) !== undefined;
}

/** Navigation left in the body: "上一篇 下一篇 返回目录". */
function isLinkList(text: string): boolean {
  return (
    /^(?:上一篇|下一篇|返回目录|返回|打印|关闭|分享到?)[\s\S]{0,40}$/u.test(text) &&
    !/[。！？]/u.test(text)
  );
}

/**
 * One page is one article: when the parser still finds several pieces (a caption, a box), they
 * are joined into the page's article. Never throws.
 */
function mergeIntoOne(articles: Article[], headline: string | undefined): Article[] {
  const main = articles.find((a) => a.headline === headline) ?? articles[0];
  if (main === undefined || articles.length === 1) return articles;
  const paragraphs: string[] = [];
  const merged: Article = { ...main, credits: [], byline: [], notes: [] };
  for (const piece of articles) {
    paragraphs.push(...piece.paragraphs);
    merged.credits.push(...piece.credits);
    merged.byline.push(...piece.byline.filter((n) => !merged.byline.includes(n)));
    merged.notes.push(...piece.notes.filter((n) => !merged.notes.includes(n)));
  }
  merged.paragraphs = paragraphs;
  merged.contentHash = contentHash(merged.headline, paragraphs);
  return [merged];
}

/** Decodes by <meta charset> (GB2312 and GBK read as their superset GB18030), else by detection. */
function decodeHtml(
  bytes: Uint8Array,
  file: string,
): { text: string; encoding: string; warnings: string[] } {
  const head = Buffer.from(bytes.subarray(0, 4096)).toString("latin1");
  const declared = /<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)/iu.exec(head)?.[1]?.toLowerCase();
  const utf8Bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  if (
    !utf8Bom &&
    declared !== undefined &&
    /^(?:gb2312|gbk|gb18030|x-gbk|cp936|big5)$/u.test(declared)
  ) {
    const name = declared === "big5" ? "big5" : "gb18030";
    return { text: iconv.decode(Buffer.from(bytes), name), encoding: declared, warnings: [] };
  }
  const decoded = decodeText(bytes, file);
  return { text: decoded.text, encoding: decoded.encoding, warnings: decoded.warnings ?? [] };
}

function squeezeLine(text: string): string {
  return cleanText(text).replace(/\s+/gu, " ").trim();
}
