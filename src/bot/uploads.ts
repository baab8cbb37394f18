import { mkdir, readdir, rename, unlink, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import path from "node:path";
import { IngestError } from "../errors.js";
import { parseEditionFileName, resolveEditionMeta } from "../ingest/metadata.js";
import { EDITION_EXTENSIONS, readerFor } from "../ingest/readers/index.js";
import { parseSearchText } from "../retrieval/articles.js";
import type { Article, EditionMeta } from "../types.js";

/** File types an admin may upload: every format the indexer reads. */
export const UPLOAD_EXTENSIONS: readonly string[] = EDITION_EXTENSIONS;

/**
 * A safe file name for an upload: the last path component only, letters, digits, "_" and "-" in
 * the stem (so never "..", a slash or a hidden file), at most 80 characters, and an allowed
 * extension in lower case. Undefined when nothing usable is left or the type is not allowed.
 */
export function sanitizeUploadName(name: string): string | undefined {
  const base = (name.split(/[\\/]/u).pop() ?? "").normalize("NFC").trim();
  const ext = path.extname(base).toLowerCase();
  if (!UPLOAD_EXTENSIONS.includes(ext)) return undefined;
  const stem = Array.from(
    base
      .slice(0, base.length - ext.length)
      .replace(/[^\p{L}\p{N}_-]+/gu, "_")
      .replace(/_{2,}/gu, "_")
      .replace(/^[_-]+|[_-]+$/gu, ""),
  )
    .slice(0, 80)
    .join("");
  return stem === "" ? undefined : `${stem}${ext}`;
}

/** The path of `name` inside `dir`. Throws when it would lead outside `dir` (a defect upstream). */
export function resolveInside(dir: string, name: string): string {
  const root = path.resolve(dir);
  const target = path.resolve(root, name);
  const relative = path.relative(root, target);
  if (
    relative === "" ||
    relative.startsWith("..") ||
    path.isAbsolute(relative) ||
    relative.includes(path.sep)
  ) {
    throw new Error(
      `Refusing upload path ${JSON.stringify(name)}: it is not a plain file name inside ${root}`,
    );
  }
  return target;
}

/**
 * Paper and date from an upload's caption, e.g. "平湖日报 2025-03-01" or "平湖日报 2025年3月1日".
 * Only a single day counts as a date (the file-name convention needs one). Never throws.
 */
export function captionMeta(caption: string | undefined): { paper?: string; date?: string } {
  if (caption === undefined || caption.trim() === "") return {};
  const parsed = parseSearchText(caption);
  const out: { paper?: string; date?: string } = {};
  const paper = parsed.text.split(/\s+/u)[0];
  if (paper) out.paper = paper;
  if (parsed.range && parsed.range.from === parsed.range.to) out.date = parsed.range.from;
  return out;
}

/**
 * The name an uploaded edition is stored under: "YYYY-MM-DD_报纸.pdf" (the ingester's file-name
 * convention, any edition format but .jsonl) when the caption gives paper and day, else the
 * sanitised original name.
 */
export function storedUploadName(
  originalName: string,
  caption: string | undefined,
): string | undefined {
  const safe = sanitizeUploadName(originalName);
  if (safe === undefined) return undefined;
  const meta = captionMeta(caption);
  const ext = path.extname(safe);
  if (ext !== ".jsonl" && meta.paper !== undefined && meta.date !== undefined) {
    return sanitizeUploadName(`${meta.date}_${meta.paper}${ext}`) ?? safe;
  }
  return safe;
}

/** What an upload holds, read the way the indexer will read it. */
export interface UploadInspection {
  articles: Article[];
  /** How it was read: a text encoding, or the format ("PDF", "Word"). */
  encoding: string;
  /** Paper and date the indexer will give it (file name, else the masthead), of its first article. */
  meta: EditionMeta;
  /** True when paper and date came from the file name or the masthead rather than being unknown. */
  metaKnown: boolean;
  /** Parts left out (a JSONL line, an image-only page), English `reason` and Chinese `userReason`. */
  lineErrors: { where: string; reason: string; userReason: string }[];
  /** What the file was read despite (mixed encodings, damaged bytes), in Chinese; empty when clean. */
  warnings: string[];
}

/**
 * Reads an upload before it is stored, with the reader of its format (the indexer's). Throws
 * IngestError (with a Chinese `userReason`) when it cannot be read or holds no article.
 */
export async function inspectUpload(
  bytes: Uint8Array,
  storedName: string,
): Promise<UploadInspection> {
  const reader = readerFor(storedName);
  if (reader === undefined) {
    throw new IngestError(storedName, "not a supported edition format", {
      zh: `只接受 ${UPLOAD_EXTENSIONS.join("、")} 文件`,
    });
  }
  const read = await reader.read(bytes, {
    file: storedName,
    source: storedName,
    meta: resolveEditionMeta(storedName),
  });
  const first = read.articles[0];
  if (first === undefined) {
    throw new IngestError(storedName, "no articles found in it", {
      zh:
        reader.size === "export"
          ? '没有可用的文章记录,每行应是一个 {"id","title","text"} 对象'
          : `没有从这份${reader.label}中识别出任何文章,请确认这是一期报纸版面`,
    });
  }
  const meta: EditionMeta = {
    paper: first.paper,
    date: first.date,
    datePrecision: first.datePrecision,
    dateEstimated: first.dateEstimated,
  };
  return {
    articles: read.articles,
    encoding: read.encoding,
    meta,
    metaKnown:
      parseEditionFileName(storedName) !== undefined ||
      (meta.paper !== "unknown" && meta.date !== null),
    lineErrors: read.skipped,
    warnings: read.notices.map((n) => n.userReason),
  };
}

/** Atomically stores an upload (write beside, then rename); says whether it replaced a file. */
export async function saveUpload(
  dir: string,
  name: string,
  bytes: Uint8Array,
): Promise<{ file: string; replaced: boolean }> {
  await mkdir(dir, { recursive: true });
  const file = resolveInside(dir, name);
  const replaced = existsSync(file);
  // A hidden name: the indexer skips dot-files, so a job running meanwhile never sees a half file.
  const temp = path.join(path.dirname(file), `.${name}.part-${process.pid}`);
  await writeFile(temp, bytes);
  await rename(temp, file);
  return { file, replaced };
}

/** The edition files in the uploads folder, sorted. An absent folder is empty. */
export async function listUploads(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const names = await readdir(dir);
  return names.filter((n) => UPLOAD_EXTENSIONS.includes(path.extname(n))).sort();
}

/** Deletes an uploaded edition; false when there is no such upload. Throws on other I/O errors. */
export async function removeUpload(dir: string, name: string): Promise<boolean> {
  const safe = sanitizeUploadName(name);
  if (safe === undefined || safe !== name) return false;
  try {
    await unlink(resolveInside(dir, safe));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
}
