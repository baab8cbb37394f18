/** The edition readers, one per format, and the dispatch on a file's extension. */
import path from "node:path";
import { docxReader } from "./docx.js";
import { htmlReader } from "./html.js";
import { jsonlReader } from "./jsonl.js";
import { markdownReader } from "./markdown.js";
import { pdfReader } from "./pdf.js";
import type { EditionReader } from "./reader.js";
import { textReader } from "./text.js";

/** Every reader; a file's extension picks one. */
export const READERS: readonly EditionReader[] = [
  textReader,
  jsonlReader,
  pdfReader,
  htmlReader,
  docxReader,
  markdownReader,
];

/** Every extension an edition file may have, e.g. ".txt", ".pdf". */
export const EDITION_EXTENSIONS: readonly string[] = READERS.flatMap((r) => r.extensions);

/** The reader of a file name's format (by extension, any case), or undefined. Never throws. */
export function readerFor(fileName: string): EditionReader | undefined {
  const ext = (
    fileName.startsWith(".") && !fileName.slice(1).includes(".") ? fileName : path.extname(fileName)
  ).toLowerCase();
  return READERS.find((r) => r.extensions.includes(ext));
}
