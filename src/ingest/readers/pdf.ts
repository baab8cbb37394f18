/**
 * PDF pages (one page or a whole edition in one file), read by pdfjs-dist (Apache-2.0) with its
 * bundled CMaps, so that CJK fonts without a ToUnicode table read too. Each page's reading order is
 * rebuilt from positions (pdf-layout.ts); its masthead gives paper, date and page.
 */
import { createRequire } from "node:module";
import path from "node:path";
import { IngestError } from "../../errors.js";
import { cleanText } from "../../text/clean.js";
import type { Article } from "../../types.js";
import { joinArticles, parseSections, splitSections, withMasthead } from "../blocks.js";
import { fillMasthead, type MastheadMeta } from "../masthead.js";
import { layoutPage, type TextRun } from "../pdf-layout.js";
import type { EditionReader, ReadProblem } from "./reader.js";

const require = createRequire(import.meta.url);
/** pdfjs-dist's folder: its CMaps and standard fonts are read from there (file paths in Node). */
const PDFJS_DIR = path.dirname(require.resolve("pdfjs-dist/package.json"));

/** The part of pdfjs's text item the layout needs. */
interface PdfTextItem {
  str: string;
  transform: number[];
  width: number;
}

/** Reads a PDF's text layer page by page; an image-only PDF is refused with the reason. */
export const pdfReader: EditionReader = {
  extensions: [".pdf"],
  label: "PDF 版面",
  size: "edition",
  async read(bytes, input) {
    const pdfjs = await import("pdfjs-dist/legacy/build/pdf.mjs");
    let doc;
    try {
      doc = await pdfjs.getDocument({
        // pdfjs takes the buffer over (detaches it): give it a copy.
        data: new Uint8Array(bytes),
        cMapUrl: `${path.join(PDFJS_DIR, "cmaps")}${path.sep}`,
        cMapPacked: true,
        standardFontDataUrl: `${path.join(PDFJS_DIR, "standard_fonts")}${path.sep}`,
        isEvalSupported: false,
        disableFontFace: true,
        useSystemFonts: false,
        verbosity: 0,
      }).promise;
    } catch (cause) {
      const locked = cause instanceof Error && cause.name === "PasswordException";
      throw new IngestError(
        input.file,
        locked
          ? "the PDF is password-protected; export it again without a password"
          : "not a readable PDF (damaged or cut short); export the page again",
        {
          cause,
          zh: locked
            ? "PDF 设有密码,请导出不加密的版本"
            : "PDF 文件已损坏或不完整,无法读取,请重新导出",
        },
      );
    }
    try {
      const parts: Article[][] = [];
      const pages: (string | undefined)[] = [];
      const skipped: ReadProblem[] = [];
      let textPages = 0;
      const edition: MastheadMeta = {};
      for (let n = 1; n <= doc.numPages; n++) {
        const page = await doc.getPage(n);
        const [, , , top = 0] = page.view;
        const viewport = page.getViewport({ scale: 1 });
        const content = await page.getTextContent();
        const runs: TextRun[] = [];
        for (const item of content.items as PdfTextItem[]) {
          if (typeof item.str !== "string" || item.str.trim() === "") continue;
          const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0] = item.transform;
          runs.push({
            text: cleanText(item.str),
            x: e,
            width: item.width,
            y: top - f,
            size: Math.max(Math.hypot(c, d), Math.hypot(a, b)),
          });
        }
        page.cleanup();
        if (runs.length === 0) {
          skipped.push({
            where: `page ${n}`,
            reason: `page ${n} holds no text, only images (a scan); run OCR on it to index it`,
            userReason: `第 ${n} 页只有图片(扫描件),没有文字层,需要先做 OCR 才能导入`,
          });
          continue;
        }
        textPages++;
        const layout = layoutPage(runs, viewport.height);
        // Inner pages often print only date and page: the paper comes from the first page.
        fillMasthead(layout.masthead, edition);
        fillMasthead(edition, layout.masthead);
        const meta = withMasthead(input.meta, layout.masthead);
        parts.push(parseSections(splitSections(layout.blocks), meta, input.source));
        pages.push(layout.masthead.page);
      }
      if (textPages === 0) {
        throw new IngestError(
          input.file,
          "the PDF holds only images (a scanned page) and no text layer; run OCR on it (or export the page from the layout system as text PDF) and index it again",
          { zh: "这是只有图片的 PDF(扫描件),没有文字层,需要先做 OCR 才能导入" },
        );
      }
      return {
        articles: joinArticles(parts, (k) => pages[k]),
        // With no page of text, the file as a whole is refused above; otherwise pages without
        // text are named so that nobody thinks they were indexed.
        skipped,
        notices: [],
        encoding: "PDF",
      };
    } finally {
      await doc.destroy();
    }
  },
};
