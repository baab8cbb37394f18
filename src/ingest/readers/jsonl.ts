/** Article exports in JSON Lines (one CMS record a line); see parse-jsonl.ts. */
import { decodeText } from "../decode.js";
import { parseArticlesJsonl, jsonlReasonZh } from "../parse-jsonl.js";
import type { EditionReader } from "./reader.js";
import { encodingNotice } from "./text.js";

/** Reads a JSONL export; each bad line is reported with its number and the rest are kept. */
export const jsonlReader: EditionReader = {
  extensions: [".jsonl"],
  label: "JSONL 文章导出",
  size: "export",
  read(bytes, input) {
    const decoded = decodeText(bytes, input.file);
    const { articles, errors } = parseArticlesJsonl(decoded.text, input.source, input.meta);
    return Promise.resolve({
      articles,
      skipped: errors.map((e) => ({
        where: `line ${e.line}`,
        reason: e.reason,
        userReason: `第 ${e.line} 行:${jsonlReasonZh(e.reason)}`,
      })),
      notices: (decoded.warnings ?? []).map(encodingNotice),
      encoding: decoded.encoding,
    });
  },
};
