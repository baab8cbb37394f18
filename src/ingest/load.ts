/**
 * The ingest stage's only I/O: read edition folders, edition files and JSONL exports, and turn
 * them into articles (and chunks), reporting every file that could not be used.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { IngestError } from "../errors.js";
import type { Article, Chunk } from "../types.js";
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

/** What to read. */
export interface LoadOptions {
  /** Folders of edition files (*.txt) and article exports (*.jsonl), read non-recursively. */
  editionDirs?: readonly string[];
  /** JSONL article exports. */
  articleFiles?: readonly string[];
  /** Single edition text files. */
  editionFiles?: readonly string[];
}

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
  /** Number of edition files and JSONL exports that produced articles. */
  editions: number;
}

/**
 * Reads all inputs in a deterministic order (folders and files as given, folder entries sorted
 * by name; hidden files and manifest.json are not editions). A file that cannot be read, decoded
 * or parsed lands in `skipped` with the reason and the rest go on; a malformed manifest.json is
 * reported there too and its folder is indexed with file-name or "unknown" metadata. Articles'
 * `source` is the file name relative to its folder. Never throws for bad inputs.
 */
export async function loadInputs(options: LoadOptions): Promise<LoadResult> {
  const result: LoadResult = { articles: [], skipped: [], editions: 0 };
  const manifests = new Map<string, Manifest | undefined>();

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
      if (ext === ".txt") await loadEdition(file, name, manifest, result);
      else if (ext === ".jsonl") await loadJsonl(file, name, manifest, result);
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
    await loadEdition(file, path.basename(file), manifest, result);
  }
  for (const file of options.articleFiles ?? []) {
    await loadJsonl(file, path.basename(file), undefined, result);
  }
  return result;
}

/** Chunks every article (see chunkArticle); throws only on invalid options. */
export function chunkArticles(articles: readonly Article[], options: ChunkOptions = {}): Chunk[] {
  return articles.flatMap((article) => chunkArticle(article, options));
}

/**
 * Reads, decodes and parses one input file into the result; any failure, or a file that yields
 * no article, is recorded in `skipped` with the reason and the batch goes on.
 */
async function loadFile(
  file: string,
  result: LoadResult,
  parse: (text: string) => Article[],
  emptyReason: string,
): Promise<void> {
  try {
    const { text } = decodeText(await fs.readFile(file), file);
    const articles = parse(text);
    if (articles.length === 0) throw new IngestError(file, emptyReason);
    result.articles.push(...articles);
    result.editions++;
  } catch (error) {
    result.skipped.push({ file, reason: reasonOf(error, file) });
  }
}

async function loadEdition(
  file: string,
  source: string,
  manifest: Manifest | undefined,
  result: LoadResult,
): Promise<void> {
  await loadFile(
    file,
    result,
    (text) => parseEdition(text, resolveEditionMeta(source, manifest), source),
    "no articles found in the text; check that it is a newspaper edition",
  );
}

async function loadJsonl(
  file: string,
  source: string,
  manifest: Manifest | undefined,
  result: LoadResult,
): Promise<void> {
  const defaults = manifest?.get(source) ?? parseEditionFileName(source);
  await loadFile(
    file,
    result,
    (text) => {
      const { articles, errors } = parseArticlesJsonl(text, source, defaults ?? {});
      for (const e of errors) result.skipped.push({ file: `${file}:${e.line}`, reason: e.reason });
      return articles;
    },
    'no usable article records; expected one {"id","title","text"} object per line',
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
