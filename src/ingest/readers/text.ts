/** Edition text files (.txt): the layout as printed, hard-wrapped or not, with a masthead on top. */
import { cleanText } from "../../text/clean.js";
import { blocksToText, withMasthead } from "../blocks.js";
import { decodeText } from "../decode.js";
import { htmlToBlocks, markdownToText, looksLikeMarkdown } from "../markup.js";
import { readMasthead } from "../masthead.js";
import { parseEdition } from "../parse-edition.js";
import type { EditionReader, ReadProblem } from "./reader.js";

const HTML_PAGE = /^\s*<(?:!doctype\s+html|html[\s>])/iu;

/** Reads an edition's text: its masthead lines give paper and date, and are not article text. */
export const textReader: EditionReader = {
  extensions: [".txt"],
  label: "纯文本版面",
  size: "edition",
  read(bytes, input) {
    const decoded = decodeText(bytes, input.file);
    const text = cleanText(decoded.text);
    const { meta: masthead, rest } = readMasthead(text.split("\n"));
    const body = rest.join("\n");
    const meta = withMasthead(input.meta, masthead);
    // A web page saved as .txt is read as HTML: its scripts and tags are not article text.
    const plain = HTML_PAGE.test(body)
      ? blocksToText(htmlToBlocks(body))
      : looksLikeMarkdown(body)
        ? markdownToText(body)
        : body;
    const articles = parseEdition(plain, meta, input.source);
    if (masthead.page !== undefined) for (const a of articles) a.page = masthead.page;
    return Promise.resolve({
      articles,
      skipped: [],
      notices: (decoded.warnings ?? []).map(encodingNotice),
      encoding: decoded.encoding,
    });
  },
};

/** A decoding warning as a notice. */
export function encodingNotice(reason: string): ReadProblem {
  return {
    where: "",
    reason,
    userReason: reason.startsWith("mixed encodings")
      ? "文件的编码有问题:混用了 UTF-8 和 GBK,已逐行读取;建议另存为 UTF-8 后重新导入"
      : "文件的编码有问题:含有损坏的字节(已用 � 标出),其余部分已读取;建议重新导出",
  };
}
