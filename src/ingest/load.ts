/**
 * The ingest stage's only I/O: read edition folders, edition files and JSONL exports, and turn
 * them into articles (and chunks), reporting every file that could not be used.
 */
import { sha256Hex } from "../store/durable-fs.js";
import type { SourceFingerprint } from "../store/types.js";
import fs from "node:fs/promises";
import path from "node:path";
import { IngestError } from "../errors.js";
import type { Article, Chunk } from "../types.js";
import { sha1 } from "./article-id.js";
import { chunkArticle, type ChunkOptions } from "./chunk.js";
import { decodeText } from "./decode.js";
import {
  MANIFEST_FILE,
  parseEditionFileName,
  parseManifest,
  resolveEditionMeta,
  type Manifest,
} from "./metadata.js";
import { parseEdition } from "./parse-edition.js";
import { parseArticlesJsonl } from "./parse-jsonl.js";

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
  /** Folders of edition files (*.txt) and article exports (*.jsonl), read non-recursively. */
  editionDirs?: readonly string[];
  /** JSONL article exports. */
  articleFiles?: readonly string[];
  /** Single edition text files. */
  editionFiles?: readonly string[];
  /** Largest edition file (.txt) read, in bytes. Defaults to MAX_EDITION_BYTES (16 MB). */
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
 * A newspaper edition is 10-100 KB of text; a 16 MB ".txt" is something else (a whole archive in
 * one file, a database dump), and reading it would hold the index job for minutes. Defaults of
 * LoadOptions.maxEditionBytes.
 */
export const MAX_EDITION_BYTES = 16 * 1024 * 1024;
/** Article exports hold many articles, line by line; this bounds the memory one file may take. */
export const MAX_EXPORT_BYTES = 256 * 1024 * 1024;

/** An input that could not be used (a whole file, a manifest, or one line of a JSONL export). */
export interface SkippedInput {
  /** The path as given (folder joined with the file name); JSONL lines as "file:line". */
  file: string;
  reason: string;
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
    let names: string[];
    try {
      const entries = await fs.readdir(dir, { withFileTypes: true });
      names = entries
        .filter((e) => e.isFile() && !e.name.startsWith(".") && e.name !== MANIFEST_FILE)
        .map((e) => e.name)
        .sort(compareNames);
    } catch (error) {
      result.skipped.push({
        file: dir,
        reason: `cannot read the folder (${errorText(error)}); check the --editions folder or EDITIONS_DIR`,
      });
      continue;
    }
    const manifest = await loadManifest(dir, manifests, result);
    for (const name of names) {
      const file = path.join(dir, name);
      const ext = path.extname(name).toLowerCase();
      if (ext === ".txt") await loadEdition(file, name, manifest, ctx);
      else if (ext === ".jsonl") await loadJsonl(file, name, manifest, ctx);
      else {
        result.skipped.push({
          file,
          reason:
            "not an edition (.txt) or an article export (.jsonl); convert it to plain text to index it",
        });
      }
    }
  }
  for (const file of options.editionFiles ?? []) {
    const manifest = await loadManifest(path.dirname(file), manifests, result);
    await loadEdition(file, path.basename(file), manifest, ctx);
  }
  for (const file of options.articleFiles ?? []) {
    await loadJsonl(file, path.basename(file), undefined, ctx);
  }
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
 * Reads, decodes and parses one input file into the result; any failure, a file over `maxBytes`,
 * a file that yields no article or one that repeats an earlier file is recorded in `skipped` with
 * the reason and the batch goes on.
 */
async function loadFile(
  file: string,
  ctx: LoadContext,
  maxBytes: number,
  parse: (text: string) => Article[],
  emptyReason: string,
  /** The metadata the file is read with: a file of the same bytes under other metadata differs. */
  meta: unknown,
): Promise<void> {
  const { result } = ctx;
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
    const { size, mtimeMs } = await fs.stat(file);
    const metaHash = sha256Hex(Buffer.from(JSON.stringify(meta) ?? "", "utf8"));
    const source = path.basename(file);
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
    const decoded = decodeText(bytes, file);
    const articles = parse(decoded.text);
    if (articles.length === 0) throw new IngestError(file, emptyReason);
    // Same articles in the same order: the same edition saved twice under different names.
    const fingerprint = sha1(articles.map((a) => a.contentHash).join("\n"));
    const first = ctx.seen.get(fingerprint);
    if (first !== undefined) throw copyError(file, first);
    ctx.seen.set(fingerprint, file);
    for (const warning of decoded.warnings ?? []) result.notices.push({ file, reason: warning });
    result.articles.push(...articles);
    const sourceFile: SourceFingerprint = { size, mtimeMs, metaHash, bytesHash };
    for (const article of articles) result.sources.set(article.editionId, sourceFile);
    result.editions++;
  } catch (error) {
    result.skipped.push({ file, reason: reasonOf(error, file) });
  }
}

function copyError(file: string, first: string): IngestError {
  return new IngestError(
    file,
    `the same articles as ${first} (a copy under another name); remove one of the two files`,
  );
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

async function loadEdition(
  file: string,
  source: string,
  manifest: Manifest | undefined,
  ctx: LoadContext,
): Promise<void> {
  await loadFile(
    file,
    ctx,
    ctx.maxEditionBytes,
    (text) => parseEdition(text, resolveEditionMeta(source, manifest), source),
    "no articles found in the text; check that it is a newspaper edition",
    resolveEditionMeta(source, manifest),
  );
}

async function loadJsonl(
  file: string,
  source: string,
  manifest: Manifest | undefined,
  ctx: LoadContext,
): Promise<void> {
  const defaults = manifest?.get(source) ?? parseEditionFileName(source);
  await loadFile(
    file,
    ctx,
    ctx.maxExportBytes,
    (text) => {
      const { articles, errors } = parseArticlesJsonl(text, source, defaults ?? {});
      for (const e of errors)
        ctx.result.skipped.push({ file: `${file}:${e.line}`, reason: e.reason });
      return articles;
    },
    'no usable article records; expected one {"id","title","text"} object per line',
    defaults,
  );
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
