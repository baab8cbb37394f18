/** Word files (.docx), converted by mammoth: headings (Word's heading styles) split articles. */
import mammoth from "mammoth";
import { IngestError } from "../../errors.js";
import { parseSections, splitSections, withMasthead, type Block } from "../blocks.js";
import { htmlToBlocks } from "../markup.js";
import { fillMasthead, mastheadLine, type MastheadMeta } from "../masthead.js";
import type { EditionReader } from "./reader.js";

/** Reads a .docx: its headings, paragraphs and tables, masthead lines on top as metadata. */
export const docxReader: EditionReader = {
  extensions: [".docx"],
  label: "Word 文件",
  size: "edition",
  async read(bytes, input) {
    let html: string;
    let messages: { type: string; message: string }[];
    try {
      const converted = await mammoth.convertToHtml({ buffer: Buffer.from(bytes) });
      html = converted.value;
      messages = converted.messages;
    } catch (cause) {
      throw new IngestError(
        input.file,
        "not a readable Word (.docx) file; open it in Word or WPS and save it again as .docx",
        { cause, zh: "不是可读的 Word(.docx)文件,请用 Word 或 WPS 重新另存为 .docx" },
      );
    }
    const { masthead, blocks } = takeMasthead(htmlToBlocks(html));
    const meta = withMasthead(input.meta, masthead);
    const warnings = messages.filter((m) => m.type === "error");
    return {
      articles: parseSections(splitSections(blocks), meta, input.source, masthead.page),
      skipped: [],
      notices: warnings.slice(0, 1).map((m) => ({
        where: "",
        reason: `part of the document could not be converted (${m.message}); check the result`,
        userReason: "文档有部分内容无法转换,请检查导入结果",
      })),
      encoding: "Word",
    };
  },
};

/** Masthead paragraphs before the first heading: metadata, not text. */
export function takeMasthead(blocks: readonly Block[]): {
  masthead: MastheadMeta;
  blocks: Block[];
} {
  const masthead: MastheadMeta = {};
  const out: Block[] = [];
  let top = true;
  for (const block of blocks) {
    if (top && block.kind === "heading" && out.length === 0 && isPaperOnly(block.text)) {
      masthead.paper ??= block.text;
      continue;
    }
    const found = top ? mastheadLine(block.text) : undefined;
    if (found) {
      fillMasthead(masthead, found);
      continue;
    }
    if (block.kind === "heading" || /[。！？]/u.test(block.text)) top = false;
    out.push(block);
  }
  return { masthead, blocks: out };
}

function isPaperOnly(text: string): boolean {
  return mastheadLine(text)?.paper === text && !/\d/u.test(text);
}
