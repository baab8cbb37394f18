// Generates the format fixtures under test/fixtures/formats/ from edition.json: a two-page PDF
// edition laid out in columns (CJK font: fonts-wqy-zenhei from apt), an image-only PDF (a "scan"),
// e-paper HTML pages in UTF-8 and GB2312, and a Word file. The generated files are committed, so
// tests and CI need no font.
//   apt-get install -y fonts-wqy-zenhei && npx tsx scripts/make-fixtures.ts
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import iconv from "iconv-lite";
import JSZip from "jszip";
import PDFDocument from "pdfkit";

const DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../test/fixtures/formats");
const FONT = process.env.CJK_FONT ?? "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc";

interface Article {
  kicker?: string;
  headline: string;
  byline?: string;
  paragraphs: string[];
  note?: string;
  caption?: string;
  photo?: string;
}
interface Page {
  page: string;
  section: string;
  editor: string;
  articles: Article[];
  ad?: string[];
}
interface Edition {
  paper: string;
  date: string;
  pages: Page[];
  /** A page laid out by pdfkit's own column flow: unindented paragraphs, A3, four columns. */
  other: { paper: string; date: string; page: string; articles: Article[] };
}

const edition = JSON.parse(readFileSync(path.join(DIR, "edition.json"), "utf8")) as Edition;
const [year, month, day] = edition.date.split("-").map(Number);
const dateZh = `${year}年${month}月${day}日`;

const PAGE_W = 595;
const PAGE_H = 842;
const MARGIN = 40;
const BODY = 10.5;
const LEAD = 15;
const GUTTER = 18;
const COLUMN_W = (PAGE_W - 2 * MARGIN - 2 * GUTTER) / 3;

type Doc = PDFKit.PDFDocument;

/** Writes one line, justified to `width` unless it ends a paragraph. */
function line(doc: Doc, text: string, x: number, y: number, width: number, justify: boolean): void {
  const natural = doc.widthOfString(text);
  const chars = Array.from(text).length;
  const spacing = justify && chars > 1 ? Math.max(0, (width - natural) / (chars - 1)) : 0;
  doc.text(text, x, y, { lineBreak: false, characterSpacing: spacing });
}

/** Breaks paragraphs into column lines: two-character first-line indent, no wider than `width`. */
function wrap(
  doc: Doc,
  paragraphs: readonly string[],
  width: number,
  indent = true,
): { text: string; x: number; last: boolean }[] {
  doc.fontSize(BODY);
  const out: { text: string; x: number; last: boolean }[] = [];
  for (const p of paragraphs) {
    let current = "";
    let first = indent;
    for (const ch of Array.from(p)) {
      const room = width - (first ? 2 * BODY : 0);
      if (doc.widthOfString(current + ch) > room) {
        out.push({ text: current, x: first ? 2 * BODY : 0, last: false });
        current = "";
        first = false;
      }
      current += ch;
    }
    if (current) out.push({ text: current, x: first ? 2 * BODY : 0, last: true });
  }
  return out;
}

/** Pours lines into column slots top to bottom, left to right. */
function pour(
  doc: Doc,
  lines: ReturnType<typeof wrap>,
  slots: readonly { x: number; top: number; bottom: number }[],
): number {
  let slot = 0;
  let y = slots[0]?.top ?? 0;
  for (const l of lines) {
    const s = slots[slot];
    if (!s) throw new Error("text does not fit its columns");
    if (y + LEAD > s.bottom) {
      slot++;
      const next = slots[slot];
      if (!next) throw new Error("text does not fit its columns");
      y = next.top;
    }
    const at = slots[slot] ?? s;
    line(doc, l.text, at.x + l.x, y, COLUMN_W - l.x, !l.last);
    y += LEAD;
  }
  return y;
}

const colX = (k: number): number => MARGIN + k * (COLUMN_W + GUTTER);

function header(doc: Doc, page: Page, first: boolean): number {
  if (first) {
    doc.fontSize(36).text(edition.paper, MARGIN, MARGIN, { lineBreak: false });
    doc.fontSize(9).text(`${dateZh} 星期二`, MARGIN, MARGIN + 48, { lineBreak: false });
    doc.text(
      `第${page.page}版 ${page.section} 责任编辑:${page.editor}`,
      PAGE_W - MARGIN - 150,
      MARGIN + 48,
      { lineBreak: false },
    );
    doc
      .moveTo(MARGIN, MARGIN + 62)
      .lineTo(PAGE_W - MARGIN, MARGIN + 62)
      .stroke();
    return MARGIN + 76;
  }
  doc.fontSize(9).text(`${dateZh} 星期二`, MARGIN, MARGIN, { lineBreak: false });
  doc.text(
    `第${page.page}版 ${page.section} 责任编辑:${page.editor}`,
    PAGE_W - MARGIN - 150,
    MARGIN,
    { lineBreak: false },
  );
  doc
    .moveTo(MARGIN, MARGIN + 14)
    .lineTo(PAGE_W - MARGIN, MARGIN + 14)
    .stroke();
  return MARGIN + 28;
}

function bodyLines(doc: Doc, a: Article, width: number): ReturnType<typeof wrap> {
  const paragraphs = [...a.paragraphs];
  if (a.note) paragraphs[paragraphs.length - 1] += a.note;
  const lines = a.byline ? wrap(doc, [a.byline], width, false) : [];
  lines.push(...wrap(doc, paragraphs, width));
  return lines;
}

function makePdf(): void {
  const doc = new PDFDocument({
    size: [PAGE_W, PAGE_H],
    margin: 0,
    autoFirstPage: false,
    info: {
      Title: `${edition.paper} ${dateZh}`,
      CreationDate: new Date(Date.UTC(year ?? 2026, (month ?? 1) - 1, day)),
    },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  doc.registerFont("cjk", FONT, "WenQuanYiZenHei");
  doc.font("cjk");

  const [a1, a2] = edition.pages;
  if (!a1 || !a2) throw new Error("edition.json needs two pages");
  // Page A1: a lead story over columns 1-2 with kicker, a story in column 3, a photo story under
  // a headline across all three columns, and an advertisement box at the bottom.
  doc.addPage();
  let y = header(doc, a1, true);
  const [lead, side, photo] = a1.articles;
  if (!lead || !side || !photo) throw new Error("page A1 needs three articles");
  doc.fontSize(14).text(lead.kicker ?? "", colX(0), y, { lineBreak: false });
  doc.fontSize(24).text(lead.headline, colX(0), y + 20, { lineBreak: false });
  doc.fontSize(18).text(side.headline.slice(0, 7), colX(2), y + 2, { lineBreak: false });
  doc.fontSize(18).text(side.headline.slice(7), colX(2), y + 24, { lineBreak: false });
  const top = y + 58;
  doc.fontSize(BODY);
  const leadEnd = pour(doc, bodyLines(doc, lead, COLUMN_W), [
    { x: colX(0), top, bottom: top + 10 * LEAD },
    { x: colX(1), top, bottom: top + 10 * LEAD },
  ]);
  const sideEnd = pour(doc, bodyLines(doc, side, COLUMN_W), [
    { x: colX(2), top, bottom: top + 12 * LEAD },
  ]);
  y = Math.max(leadEnd, sideEnd, top + 10 * LEAD) + 16;
  doc.fontSize(20).text(photo.headline, colX(0), y, { lineBreak: false });
  y += 34;
  doc.fontSize(BODY);
  const photoLines = bodyLines(doc, photo, COLUMN_W);
  photoLines.push({ text: "", x: 0, last: true });
  photoLines.push(...wrap(doc, [photo.caption ?? ""], COLUMN_W, false));
  photoLines.push(...wrap(doc, [photo.photo ?? ""], COLUMN_W, false));
  const rows = Math.ceil(photoLines.length / 3) + 1;
  const photoEnd = pour(
    doc,
    photoLines.filter((l) => l.text !== ""),
    [0, 1, 2].map((k) => ({ x: colX(k), top: y, bottom: y + rows * LEAD })),
  );
  y = Math.max(photoEnd, y + rows * LEAD) + 20;
  const ad = a1.ad ?? [];
  doc.rect(colX(0), y - 8, PAGE_W - 2 * MARGIN, ad.length * 18 + 12).stroke();
  ad.forEach((text, i) => {
    doc.fontSize(i === 0 ? 14 : BODY).text(text, colX(0) + 12, y + i * 18, { lineBreak: false });
  });

  // Page A2: two stories side by side, each over one and a half columns' worth of lines that
  // run on from one column into the next in the middle of a sentence.
  doc.addPage();
  y = header(doc, a2, false);
  const [left, right] = a2.articles;
  if (!left || !right) throw new Error("page A2 needs two articles");
  doc.fontSize(20).text(left.headline, colX(0), y, { lineBreak: false });
  const leftTop = y + 34;
  doc.fontSize(BODY);
  pour(doc, bodyLines(doc, left, COLUMN_W), [
    { x: colX(0), top: leftTop, bottom: leftTop + 7 * LEAD },
    { x: colX(1), top: leftTop, bottom: leftTop + 7 * LEAD },
  ]);
  doc.fontSize(16).text(right.headline.slice(0, 5), colX(2), y, { lineBreak: false });
  doc.fontSize(16).text(right.headline.slice(5), colX(2), y + 20, { lineBreak: false });
  doc.fontSize(BODY);
  pour(doc, bodyLines(doc, right, COLUMN_W), [
    { x: colX(2), top: y + 48, bottom: PAGE_H - MARGIN },
  ]);
  doc.end();
  doc.on("end", () =>
    writeFileSync(path.join(DIR, "pinghu-2026-03-10.pdf"), Buffer.concat(chunks)),
  );
}

/** A page that is only a picture: vector shapes and no text, as a scanner's PDF reads to pdfjs. */
function makeScan(): void {
  const doc = new PDFDocument({
    size: [PAGE_W, PAGE_H],
    margin: 0,
    info: { CreationDate: new Date(Date.UTC(2026, 2, 10)) },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  for (let i = 0; i < 40; i++)
    doc.rect(MARGIN, MARGIN + i * 18, 300 + (i % 5) * 40, 8).fill("#333333");
  doc.end();
  doc.on("end", () => writeFileSync(path.join(DIR, "scan.pdf"), Buffer.concat(chunks)));
}

/** A scanned page followed by a page with text: the scan is named, the text page indexed. */
function makeMixed(): void {
  const doc = new PDFDocument({
    size: [PAGE_W, PAGE_H],
    margin: 0,
    info: { CreationDate: new Date(Date.UTC(2026, 2, 10)) },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  doc.registerFont("cjk", FONT, "WenQuanYiZenHei");
  for (let i = 0; i < 30; i++)
    doc.rect(MARGIN, MARGIN + i * 20, 320 + (i % 4) * 50, 9).fill("#444444");
  doc.addPage();
  doc.fillColor("#000000").font("cjk");
  const a2 = edition.pages[1];
  const story = a2?.articles[1];
  if (!a2 || !story) throw new Error("edition.json needs page A2");
  const y = header(doc, a2, false);
  doc.fontSize(20).text(story.headline, colX(0), y, { lineBreak: false });
  doc.fontSize(BODY);
  pour(
    doc,
    bodyLines(doc, story, COLUMN_W),
    [0, 1, 2].map((k) => ({ x: colX(k), top: y + 34, bottom: y + 34 + 4 * LEAD })),
  );
  doc.end();
  doc.on("end", () => writeFileSync(path.join(DIR, "scan-and-text.pdf"), Buffer.concat(chunks)));
}

const escapeHtml = (s: string): string =>
  s.replace(/&/gu, "&amp;").replace(/</gu, "&lt;").replace(/>/gu, "&gt;");

/** A 方正-style e-paper article page (founder-* fields, meta tags), UTF-8, with site chrome. */
function makeHtmlUtf8(): void {
  const page = edition.pages[0];
  const a = page?.articles[0];
  if (!page || !a) throw new Error("page A1 needs an article");
  const body = a.paragraphs
    .map(
      (p, i) =>
        `<P>&nbsp;&nbsp;&nbsp;&nbsp;${escapeHtml(p)}${i === a.paragraphs.length - 1 && a.note ? escapeHtml(a.note) : ""}</P>`,
    )
    .join("\n")
    // Entities and inline markup as e-paper systems write them.
    .replace("“", "&ldquo;")
    .replace("56亿元", "<b>56</b>亿元");
  const html = `<!DOCTYPE html>
<html><head><meta charset="utf-8">
<title>${escapeHtml(a.headline)}--${edition.paper}</title>
<meta name="ArticleTitle" content="${escapeHtml(a.headline)}">
<meta name="ContentSource" content="${edition.paper}">
<meta name="PubDate" content="${edition.date}">
<meta name="author" content="张晓明 陆文静">
<script>var nav = "上一版 下一版"; document.write("广告");</script>
<style>.nav{color:red}</style>
</head><body>
<div class="nav"><a href="node_1.htm">第A1版:要闻</a> <a href="node_2.htm">第A2版:综合</a> <a href="../../../index.htm">往期回顾</a></div>
<table><tr><td class="date">${year}年${String(month).padStart(2, "0")}月${String(day).padStart(2, "0")}日</td><td>第${page.page}版:${page.section}</td></tr></table>
<founder-introtitle>${escapeHtml(a.kicker ?? "")}</founder-introtitle>
<founder-title>${escapeHtml(a.headline)}</founder-title>
<founder-subtitle></founder-subtitle>
<founder-author>■记者 张晓明 通讯员 陆文静</founder-author>
<founder-content>
${body}
</founder-content>
<div class="links"><a href="content_1.htm">上一篇</a> <a href="content_3.htm">下一篇</a></div>
<div id="footer">${edition.paper}社版权所有 未经书面授权不得复制或建立镜像 浙ICP备05000000号</div>
</body></html>
`;
  writeFileSync(path.join(DIR, "article-utf8.html"), html);
}

/** An older e-paper page in GB2312 (body in #ozoom, fields in the page header), no meta fields. */
function makeHtmlGbk(): void {
  const page = edition.pages[0];
  const a = page?.articles[1];
  if (!page || !a) throw new Error("page A1 needs a second article");
  const html = `<html><head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>${edition.paper}数字报</title></head><body>
<div id="header"><a href="index.htm">首页</a> | <a href="list.htm">版面导航</a></div>
<div class="paper-info">${edition.paper} ${year}年${month}月${day}日 第${page.page}版</div>
<h1>${escapeHtml(a.headline)}</h1>
<div id="ozoom">
<p>${escapeHtml(a.byline ?? "")}</p>
${a.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join("\n")}
</div>
<div class="share">分享到:微信 微博</div>
<div id="footer">本网站所刊登的${edition.paper}各种新闻、信息,版权归${edition.paper}社所有</div>
</body></html>
`;
  writeFileSync(path.join(DIR, "article-gbk.html"), iconv.encode(html, "gb2312"));
}

const xml = (s: string): string =>
  s.replace(/&/gu, "&amp;").replace(/</gu, "&lt;").replace(/>/gu, "&gt;");
const para = (text: string, style?: string): string =>
  `<w:p>${style ? `<w:pPr><w:pStyle w:val="${style}"/></w:pPr>` : ""}<w:r><w:t xml:space="preserve">${xml(text)}</w:t></w:r></w:p>`;

/** Page A2 as a newsroom's Word file: masthead lines, Heading 1 per story, a table in one. */
async function makeDocx(): Promise<void> {
  const page = edition.pages[1];
  if (!page) throw new Error("edition.json needs page A2");
  const parts: string[] = [
    para(edition.paper),
    para(`${dateZh} 星期二 第${page.page}版 ${page.section}`),
  ];
  for (const a of page.articles) {
    parts.push(para(a.headline, "Heading1"));
    if (a.byline) parts.push(para(a.byline));
    for (const p of a.paragraphs) parts.push(para(p));
  }
  parts.push(
    `<w:tbl>${[
      ["项目", "数值"],
      ["检查场所", "126家"],
      ["整改隐患", "87处"],
    ]
      .map((row) => `<w:tr>${row.map((c) => `<w:tc>${para(c)}</w:tc>`).join("")}</w:tr>`)
      .join("")}</w:tbl>`,
  );
  const document = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${parts.join("")}</w:body></w:document>`;
  const styles = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/></w:style></w:styles>`;
  const zip = new JSZip();
  zip.file(
    "[Content_Types].xml",
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/></Types>`,
  );
  zip.file(
    "_rels/.rels",
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`,
  );
  zip.file(
    "word/_rels/document.xml.rels",
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`,
  );
  zip.file("word/document.xml", document);
  zip.file("word/styles.xml", styles);
  // A fixed date keeps the bytes the same from run to run.
  const bytes = await zip.generateAsync({
    type: "nodebuffer",
    compression: "DEFLATE",
    date: new Date(Date.UTC(2026, 2, 10)),
  } as JSZip.JSZipGeneratorOptions<"nodebuffer">);
  writeFileSync(path.join(DIR, "edition-a2.docx"), bytes);
}

/**
 * Another paper's layout: A3, pdfkit's own column flow (justified, no first-line indent,
 * paragraphs apart by a gap), a headline over three of four columns with a story in the fourth.
 */
function makeOtherPdf(): void {
  const { other } = edition;
  const doc = new PDFDocument({
    size: "A3",
    margin: 0,
    info: { CreationDate: new Date(Date.UTC(2026, 3, 2)) },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  doc.registerFont("cjk", FONT, "WenQuanYiZenHei");
  doc.font("cjk");
  const width = 842 - 100;
  const [y0, m0, d0] = other.date.split("-").map(Number);
  doc.fontSize(44).text(other.paper, 50, 40, { width, align: "center" });
  doc.fontSize(10).text(`${y0}年${m0}月${d0}日 星期四 今日16版`, 50, 98, { lineBreak: false });
  doc.text(`第${other.page}版 综合新闻`, 700, 98, { lineBreak: false });
  doc.moveTo(50, 114).lineTo(792, 114).stroke();
  const [left, right] = other.articles;
  if (!left || !right) throw new Error("edition.json needs two other articles");
  const col = (width - 3 * 16) / 4;
  doc.fontSize(26).text(left.headline, 50, 134, { lineBreak: false });
  doc.fontSize(11).text(left.byline ?? "", 50, 176, { lineBreak: false });
  doc.text(left.paragraphs.join("\n"), 50, 198, {
    columns: 3,
    columnGap: 16,
    width: 3 * col + 2 * 16,
    height: 300,
    align: "justify",
    paragraphGap: 6,
    lineGap: 3,
  });
  const x = 50 + 3 * (col + 16);
  doc.fontSize(17).text(right.headline, x, 134, { width: col });
  doc.fontSize(11).text(right.byline ?? "", x, doc.y + 8, { width: col });
  doc.text(right.paragraphs.join("\n"), x, doc.y + 6, {
    width: col,
    align: "justify",
    paragraphGap: 6,
    lineGap: 3,
  });
  doc.end();
  doc.on("end", () => writeFileSync(path.join(DIR, "other-layout.pdf"), Buffer.concat(chunks)));
}

makePdf();
makeOtherPdf();
makeScan();
makeMixed();
makeHtmlUtf8();
makeHtmlGbk();
await makeDocx();
