/** Markdown files (.md): CMS exports of one or more articles, headings splitting them. */
import { cleanText } from "../../text/clean.js";
import { parseSections, splitSections, withMasthead } from "../blocks.js";
import { decodeText } from "../decode.js";
import { markdownToBlocks } from "../markup.js";
import { readMasthead } from "../masthead.js";
import type { EditionReader } from "./reader.js";
import { encodingNotice } from "./text.js";

/** Reads Markdown: headings split articles, marks and "{#anchor}" attributes are removed. */
export const markdownReader: EditionReader = {
  extensions: [".md", ".markdown"],
  label: "Markdown 文件",
  size: "edition",
  read(bytes, input) {
    const decoded = decodeText(bytes, input.file);
    const { meta: masthead, rest } = readMasthead(cleanText(decoded.text).split("\n"));
    const meta = withMasthead(input.meta, masthead);
    const sections = splitSections(markdownToBlocks(rest.join("\n")));
    return Promise.resolve({
      articles: parseSections(sections, meta, input.source, masthead.page),
      skipped: [],
      notices: (decoded.warnings ?? []).map(encodingNotice),
      encoding: decoded.encoding,
    });
  },
};
