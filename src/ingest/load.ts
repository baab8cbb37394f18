/**
 * The ingest stage's only I/O: read edition folders, edition files and JSONL exports, and turn
 * them into articles (and chunks), reporting every file that could not be used.
 */
import { sha256Hex } from "../store/durable-fs.js";
import type { SourceFingerprint } from "../store/types.js";
import type { Dirent } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { IngestError } from "../errors.js";
import { cleanLine } from "../text/clean.js";
import type { Article, Chunk, EditionMeta } from "../types.js";
import { sha1 } from "./article-id.js";
import { chunkArticle, type ChunkOptions } from "./chunk.js";
import { MANIFEST_FILE, parseManifest, resolveEditionMeta, type Manifest } from "./metadata.js";
import { EDITION_EXTENSIONS, readerFor } from "./readers/index.js";
import type { EditionReader } from "./readers/reader.js";

/** What is known of an input file before parsing it. */
export interface SourceProbe {
  size: number;
  mtimeMs: number;
  /** sha256 of the metadata the file is read with. */
  metaHash: string;
  /** sha256 of its bytes; absent on the first, stat-only probe. */
  bytesHash?: string;
}

/** The editions an unchanged file gave the index, and the sha256 of its bytes (for copies). */
export interface KnownSource {
  editions: readonly string[];
  bytesHash: string;
}

/** What to read. */
export interface LoadOptions {
  /**
   * Folders of edition files (.txt, .pdf, .html, .docx, .md) and article exports (.jsonl), read
   * non-recursively; symbolic links to files are followed.
   */
  editionDirs?: readonly string[];
  /** JSONL article exports. */
  articleFiles?: readonly string[];
  /** Single edition files, in any supported format. */
  editionFiles?: readonly string[];
  /** Largest edition file (not .jsonl) read, in bytes. Defaults to MAX_EDITION_BYTES (16 MB). */
  maxEditionBytes?: number;
  /** Largest article export (.jsonl) read, in bytes. Defaults to MAX_EXPORT_BYTES (256 MB). */
  maxExportBytes?: number;
  /**
   * The editions already indexed from this file unchanged, or undefined. Asked first with the
   * file's size, mtime and metadata (the file is then not even read), and again with the sha256
   * of its bytes when those differ (a file touched but not changed). A file it knows is not
   * parsed again: its editions land in `kept`.
   */
  known?: (source: string, probe: SourceProbe) => KnownSource | undefined;
}

/**
 * A newspaper edition is 10-100 KB of text, and a PDF page with its fonts a few MB; a bigger file
 * is something else (a whole archive in one file, a database dump, a scan), and reading it would
 * hold the index job for minutes. Defaults of LoadOptions.maxEditionBytes.
 */
export const MAX_EDITION_BYTES = 32 * 1024 * 1024;
/** Article exports hold many articles, line by line; this bounds the memory one file may take. */
export const MAX_EXPORT_BYTES = 256 * 1024 * 1024;

/** An input that could not be used (a whole file, a manifest, or one line of a JSONL export). */
export interface SkippedInput {
  /** The path as given (folder joined with the file name); JSONL lines as "file:line". */
  file: string;
  /** English, with the fix, for the operator's log. */
  reason: string;
  /** Chinese, for admins in chat. */
  userReason: string;
}

/** Everything read from the inputs. */
export interface LoadResult {
  articles: Article[];
  skipped: SkippedInput[];
  /**
   * Inputs that were read despite a problem worth telling the admin (mixed encodings, damaged
   * bytes kept as U+FFFD), with the fix.
   */
  notices: SkippedInput[];
  /** Number of edition files and JSONL exports that produced articles. */
  editions: number;
  /** Editions of unchanged files (see LoadOptions.known), not parsed again. */
  kept: string[];
  /** editionId -> fingerprint of the file its articles were read from. */
  sources: Map<string, SourceFingerprint>;
}

/**
 * Reads all inputs in a deterministic order (folders and files as given, folder entries sorted
 * by name; hidden files and manifest.json are not editions). A file that cannot be read, decoded
 * or parsed lands in `skipped` with the reason and the rest go on; a malformed manifest.json is
 * reported there too and its folder is indexed with file-name or "unknown" metadata. A file over
 * the size cap is skipped unread, and a file whose articles repeat an earlier file's exactly (the
 * same edition under another name) is skipped naming that file. Articles' `source` is the file
 * name relative to its folder. Never throws for bad inputs.
 */
export async function loadInputs(options: LoadOptions): Promise<LoadResult> {
  const result: LoadResult = {
    articles: [],
    skipped: [],
    notices: [],
    editions: 0,
    kept: [],
    sources: new Map(),
  };
  const manifests = new Map<string, Manifest | undefined>();
  const ctx: LoadContext = {
    result,
    seen: new Map(),
    maxEditionBytes: options.maxEditionBytes ?? MAX_EDITION_BYTES,
    maxExportBytes: options.maxExportBytes ?? MAX_EXPORT_BYTES,
    known: options.known,
  };

  for (const dir of options.editionDirs ?? []) {
    let entries: Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (error) {
      result.skipped.push({
        file: dir,
        reason: `cannot read the folder (${errorText(error)}); check the --editions folder or EDITIONS_DIR`,
        userReason: "无法读取这个文件夹",
      });
      continue;
    }
    const names = entries
      .filter((e) => !e.isDirectory() && !e.name.startsWith(".") && e.name !== MANIFEST_FILE)
      .map((e) => e.name)
      .sort(compareNames);
    const manifest = await loadManifest(dir, manifests, result);
    for (const name of names) {
      const file = path.join(dir, name);
      const reader = readerFor(name);
      if (reader === undefined) {
        result.skipped.push({
          file,
          reason: `not a supported edition format (${EDITION_EXTENSIONS.join(", ")}); convert it to one of them to index it`,
          userReason: `不是支持的版面格式(${EDITION_EXTENSIONS.join("、")})`,
        });
        continue;
      }
      await loadFile(file, name, manifest, reader, ctx);
    }
  }
  for (const file of options.editionFiles ?? []) {
    const manifest = await loadManifest(path.dirname(file), manifests, result);
    const name = path.basename(file);
    const reader = readerFor(name);
    if (reader === undefined) {
      result.skipped.push({
        file,
        reason: `not a supported edition format (${EDITION_EXTENSIONS.join(", ")})`,
        userReason: `不是支持的版面格式(${EDITION_EXTENSIONS.join("、")})`,
      });
      continue;
    }
    await loadFile(file, name, manifest, reader, ctx);
  }
  const jsonl = readerFor(".jsonl");
  for (const file of options.articleFiles ?? []) {
    if (jsonl) await loadFile(file, path.basename(file), undefined, jsonl, ctx);
  }
  keepLaterDuplicates(result);
  return result;
}

/** Chunks every article (see chunkArticle); throws only on invalid options. */
export function chunkArticles(articles: readonly Article[], options: ChunkOptions = {}): Chunk[] {
  return articles.flatMap((article) => chunkArticle(article, options));
}

/** State shared by the files of one load. */
interface LoadContext {
  result: LoadResult;
  /**
   * sha256 of each file's bytes, and sha1 of each parsed file's article hashes, -> that file: a
   * later file with either is a repeated edition. The first in reading order is kept.
   */
  seen: Map<string, string>;
  maxEditionBytes: number;
  maxExportBytes: number;
  known: LoadOptions["known"];
}

/**
 * Reads one input file with its format's reader into the result; any failure, a file over the
 * size cap, a file that yields no article or one that repeats an earlier file is recorded in
 * `skipped` with the reason and the batch goes on. A symbolic link is read as the file it points
 * to.
 */
async function loadFile(
  file: string,
  source: string,
  manifest: Manifest | undefined,
  reader: EditionReader,
  ctx: LoadContext,
): Promise<void> {
  const { result } = ctx;
  const meta = cleanMeta(resolveEditionMeta(source, manifest));
  const maxBytes = reader.size === "export" ? ctx.maxExportBytes : ctx.maxEditionBytes;
  const keep = (known: KnownSource, now?: SourceFingerprint): void => {
    const copyOf = ctx.seen.get(known.bytesHash);
    if (copyOf !== undefined && copyOf !== file) throw copyError(file, copyOf);
    ctx.seen.set(known.bytesHash, file);
    result.kept.push(...known.editions);
    // A touched file is recorded as it is now, so the next run knows it by its mtime again.
    if (now !== undefined) for (const id of known.editions) result.sources.set(id, now);
    result.editions++;
  };
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) {
      throw new IngestError(
        file,
        "not a regular file (a link to a folder or a device); remove it",
        {
          zh: "不是普通文件(可能是指向文件夹的链接),请删除",
        },
      );
    }
    const { size, mtimeMs } = stat;
    const metaHash = sha256Hex(Buffer.from(JSON.stringify(meta), "utf8"));
    // Unchanged since the last run (size, mtime, metadata): not even read again.
    const unchanged = ctx.known?.(source, { size, mtimeMs, metaHash });
    if (unchanged !== undefined && unchanged.editions.length > 0) {
      keep(unchanged);
      return;
    }
    if (size > maxBytes) {
      throw new IngestError(
        file,
        `the file is ${megabytes(size)}, more than the ${megabytes(maxBytes)} one input file may have; ` +
          "split it into one file per edition (or several .jsonl exports) and index them",
        { zh: `文件有 ${megabytes(size)},超过单个文件 ${megabytes(maxBytes)} 的上限,请拆分` },
      );
    }
    const bytes = await fs.readFile(file);
    const bytesHash = sha256Hex(bytes);
    // Same bytes: the same file saved twice under different names (checked for files not parsed
    // again too, whose articles are not at hand). Empty files are not copies of each other: each
    // is reported as empty below.
    if (bytes.length > 0) {
      const copyOf = ctx.seen.get(bytesHash);
      if (copyOf !== undefined) throw copyError(file, copyOf);
      ctx.seen.set(bytesHash, file);
    }
    const touched = ctx.known?.(source, { size, mtimeMs, metaHash, bytesHash });
    if (touched !== undefined && touched.editions.length > 0) {
      keep(touched, { size, mtimeMs, metaHash, bytesHash });
      return;
    }
    if (bytes.length === 0) {
      throw new IngestError(
        file,
        "the file is empty; export the edition again or remove the file",
        {
          zh: "文件是空的,请重新导出或删除它",
        },
      );
    }
    const read = await reader.read(bytes, { file, source, meta });
    for (const p of read.skipped) result.skipped.push(problemAt(file, p));
    const articles = read.articles;
    if (articles.length === 0) {
      throw new IngestError(
        file,
        reader.size === "export"
          ? 'no usable article records; expected one {"id","title","text"} object per line'
          : "no articles found in it; check that it is a newspaper edition",
        {
          zh:
            reader.size === "export"
              ? '没有可用的文章记录,每行应是一个 {"id","title","text"} 对象'
              : `没有从这份${reader.label}中识别出文章`,
        },
      );
    }
    // Same articles in the same order: the same edition saved twice under different names.
    const fingerprint = sha1(articles.map((a) => a.contentHash).join("\n"));
    const first = ctx.seen.get(fingerprint);
    if (first !== undefined) throw copyError(file, first);
    ctx.seen.set(fingerprint, file);
    for (const p of read.notices) result.notices.push(problemAt(file, p));
    result.articles.push(...articles);
    const sourceFile: SourceFingerprint = { size, mtimeMs, metaHash, bytesHash };
    for (const article of articles) result.sources.set(article.editionId, sourceFile);
    result.editions++;
  } catch (error) {
    result.skipped.push({ file, reason: reasonOf(error, file), userReason: userReasonOf(error) });
  }
}

/** A reader's problem as a skipped input or notice of the file. */
function problemAt(
  file: string,
  problem: { where: string; reason: string; userReason: string },
): SkippedInput {
  const line = /^line (\d+)$/u.exec(problem.where)?.[1];
  const where =
    line !== undefined ? `${file}:${line}` : problem.where ? `${file} (${problem.where})` : file;
  return { file: where, reason: problem.reason, userReason: problem.userReason };
}

/** Paper names from a manifest go through the same normaliser as the text. */
function cleanMeta(meta: EditionMeta): EditionMeta {
  const paper = cleanLine(meta.paper);
  return { ...meta, paper: paper === "" ? "unknown" : paper };
}

/**
 * The same article id read from two files (a correction in a later export): the later article
 * wins, and a notice names both files. Never throws.
 */
function keepLaterDuplicates(result: LoadResult): void {
  const last = new Map<string, number>();
  result.articles.forEach((a, i) => last.set(a.id, i));
  if (last.size === result.articles.length) return;
  const kept: Article[] = [];
  for (const [i, article] of result.articles.entries()) {
    const winner = result.articles[last.get(article.id) ?? i];
    if (winner === undefined || winner === article) {
      kept.push(article);
      continue;
    }
    result.notices.push({
      file: winner.source,
      reason:
        `article id ${article.id} is in ${article.source} and again in ${winner.source}; ` +
        `the later one (${winner.source}) is indexed; remove the record from one file to silence this`,
      userReason: `文章编号 ${article.id} 同时出现在 ${article.source} 和 ${winner.source} 中,已采用后者(较新的版本)`,
    });
  }
  result.articles = kept;
}

function copyError(file: string, first: string): IngestError {
  return new IngestError(
    file,
    `the same articles as ${first} (a copy under another name); remove one of the two files`,
    { zh: `与 ${path.basename(first)} 内容相同(重复的文件),已跳过` },
  );
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Reads a folder's manifest.json once; a malformed one is reported and ignored. */
async function loadManifest(
  dir: string,
  cache: Map<string, Manifest | undefined>,
  result: LoadResult,
): Promise<Manifest | undefined> {
  const key = path.resolve(dir);
  if (cache.has(key)) return cache.get(key);
  const file = path.join(dir, MANIFEST_FILE);
  let manifest: Manifest | undefined;
  try {
    const text = await fs.readFile(file, "utf8");
    manifest = parseManifest(text, file);
  } catch (error) {
    if (!isMissing(error)) {
      result.skipped.push({
        file,
        reason: `${reasonOf(error, file)} (its folder is indexed with file-name or "unknown" metadata)`,
        userReason: `${userReasonOf(error)}(该文件夹按文件名识别报纸和日期)`,
      });
    }
  }
  cache.set(key, manifest);
  return manifest;
}

/** The English reason without the file name prefix IngestError adds. */
function reasonOf(error: unknown, file: string): string {
  if (error instanceof IngestError) {
    return error.message.startsWith(`${error.file}: `)
      ? error.message.slice(error.file.length + 2)
      : error.message;
  }
  if (isMissing(error)) return "file not found; check the path";
  return `cannot read ${path.basename(file)}: ${errorText(error)}`;
}

/** The Chinese reason for chat. */
function userReasonOf(error: unknown): string {
  if (error instanceof IngestError) return error.userReason;
  if (isMissing(error)) return "文件不存在(或链接指向的文件不存在)";
  return "无法读取这个文件";
}

function isMissing(error: unknown): boolean {
  return (
    error instanceof Error && "code" in error && (error as NodeJS.ErrnoException).code === "ENOENT"
  );
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Code-point order: the same on every machine, unlike locale collation. */
function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
