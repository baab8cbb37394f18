/**
 * One reader per edition format behind one interface: a file's bytes in, dated and paged articles
 * out, with the reasons for anything in it that was left out. `src/ingest/load.ts` dispatches on
 * the file extension; adding a format adds a reader to `readers/index.ts`.
 */
import type { Article, EditionMeta } from "../../types.js";

/** A file to read and what is known of it before reading. */
export interface ReadInput {
  /** The path, for messages. */
  file: string;
  /** The file name relative to its folder: articles' `source` and `editionId`. */
  source: string;
  /** Paper and date from the folder's manifest.json or the file-name convention, else unknown. */
  meta: EditionMeta;
}

/** A part of a file that was left out, or read despite a problem, with the reason. */
export interface ReadProblem {
  /** Where in the file: "line 7", "page 2"; empty for the whole file. */
  where: string;
  /** English, with the fix, for the operator's log. */
  reason: string;
  /** Chinese, for admins in chat. */
  userReason: string;
}

/** What a reader made of one file. */
export interface ReadOutput {
  articles: Article[];
  /** Parts left out (a bad JSONL line, an image-only page). */
  skipped: ReadProblem[];
  /** Parts read despite a problem (mixed encodings, damaged bytes). */
  notices: ReadProblem[];
  /** How the bytes were read: a text encoding, or the format ("PDF"). */
  encoding: string;
}

/** Reads one edition format. */
export interface EditionReader {
  /** File extensions in lower case, with the dot. */
  extensions: readonly string[];
  /** The format in Chinese for chat ("PDF 版面"). */
  label: string;
  /** Which size cap applies: one edition, or an export of many articles. */
  size: "edition" | "export";
  /**
   * Reads the bytes. Throws IngestError (English reason and Chinese `zh`) when the file as a whole
   * cannot be used; returning no articles means "nothing found", which the caller reports.
   */
  read(bytes: Uint8Array, input: ReadInput): Promise<ReadOutput>;
}
