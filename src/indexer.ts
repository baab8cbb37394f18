import type { Embedder } from "./embeddings/embedder.js";
import { type LoadOptions, type SkippedInput, chunkArticles, loadInputs } from "./ingest/load.js";
import { indexDamage, readManifest, writeIndex } from "./store/embedded.js";
import { parseIndexUrl, readPgManifest, writePgIndex } from "./store/postgres/postgres.js";
import type {
  BuildInput,
  BuildSummary,
  IndexManifest,
  ManifestEdition,
  SourceFingerprint,
} from "./store/types.js";

/** What to index and where. */
export interface IndexJobOptions {
  editionDirs?: readonly string[];
  editionFiles?: readonly string[];
  articleFiles?: readonly string[];
  indexDir: string;
  /** The archive in PostgreSQL (INDEX_URL): written there, and nothing under `indexDir`. */
  indexUrl?: string | undefined;
  embedder: Embedder;
  /** Ignore the previous index and embed everything. Defaults to false. */
  full?: boolean;
  onProgress?: (done: number, total: number) => void;
  /** Chunk size budget in characters. Defaults to the chunker's default. */
  maxChunkChars?: number;
}

/** The outcome of one index run. */
export interface IndexJobResult extends BuildSummary {
  /** Inputs left out: English reason for the log, Chinese `userReason` for chat. */
  skipped: SkippedInput[];
  /** Inputs indexed despite a problem worth telling (mixed encodings, a duplicate id), with the fix. */
  notices: SkippedInput[];
}

/**
 * Reads every input, parses and chunks it, and writes a new index snapshot (incrementally: files
 * whose bytes the live index already holds are not even parsed, and only new or changed chunks
 * are embedded). Throws when nothing at all could be read, leaving the previous index as it was.
 */
export async function runIndexJob(options: IndexJobOptions): Promise<IndexJobResult> {
  const target = options.indexUrl === undefined ? undefined : parseIndexUrl(options.indexUrl);
  let live = options.full === true ? undefined : await liveManifest(options);
  // A run with nothing new would otherwise carry a damaged live index over as it is. (The
  // server vouches for the archive in PostgreSQL.)
  const damage =
    live === undefined || target !== undefined
      ? undefined
      : await indexDamage(options.indexDir, live);
  if (damage !== undefined) live = undefined;
  const inputs = {
    editionDirs: [...(options.editionDirs ?? [])],
    editionFiles: [...(options.editionFiles ?? [])],
    articleFiles: [...(options.articleFiles ?? [])],
  };
  const known = live === undefined ? undefined : knownFiles(live);
  let loaded = await loadInputs({ ...inputs, ...(known === undefined ? {} : { known }) });
  if (known !== undefined && exportsMeetKept(loaded)) {
    // A new export may repeat a record id of an export kept from the live index (a correction):
    // every export is read again, so that the later record wins over the one indexed before.
    loaded = await loadInputs({
      ...inputs,
      known: (source, probe) => (isExport(source) ? undefined : known(source, probe)),
    });
  }
  if (loaded.articles.length === 0 && loaded.kept.length === 0) {
    const reasons = describeSkipped(loaded.skipped);
    throw new Error(
      `No articles could be read from the inputs${reasons ? ` (${reasons})` : ""}. ` +
        "Check the --editions folders and --articles files; the previous index is unchanged.",
    );
  }
  const chunks = chunkArticles(
    loaded.articles,
    options.maxChunkChars === undefined ? {} : { maxChunkChars: options.maxChunkChars },
  );
  const buildOptions: Parameters<typeof writeIndex>[1] = {
    indexDir: options.indexDir,
    embedder: options.embedder,
    full: options.full === true || damage !== undefined,
  };
  if (options.onProgress) buildOptions.onProgress = options.onProgress;
  const input: BuildInput = {
    articles: loaded.articles,
    chunks,
    keptEditions: new Set(loaded.kept),
    sources: loaded.sources,
  };
  const summary =
    target === undefined
      ? await writeIndex(input, buildOptions)
      : await writePgIndex(input, {
          target,
          embedder: options.embedder,
          full: options.full === true,
          ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        });
  const notices = [...loaded.notices];
  if (damage !== undefined) {
    notices.push({
      file: options.indexDir,
      reason: `the live index could not be built upon (${damage}); it was rebuilt from the inputs`,
      userReason: "原有索引已损坏,已从版面文件重建",
    });
  }
  return { ...summary, skipped: loaded.skipped, notices };
}

/** JSONL exports: their article ids are record ids, which another export may repeat. */
function isExport(source: string): boolean {
  return source.toLowerCase().endsWith(".jsonl");
}

/** True when this run parsed an export and kept another from the live index unread. */
function exportsMeetKept(loaded: {
  articles: readonly { source: string }[];
  kept: readonly string[];
}): boolean {
  return loaded.kept.some(isExport) && loaded.articles.some((a) => isExport(a.source));
}

/** The live index's manifest when this run can build on it, else undefined. Never throws. */
async function liveManifest(options: IndexJobOptions): Promise<IndexManifest | undefined> {
  try {
    const manifest =
      options.indexUrl === undefined
        ? await readManifest(options.indexDir)
        : await readPgManifest(parseIndexUrl(options.indexUrl));
    if (manifest === undefined) return undefined;
    const { id, dimensions } = manifest.embedder;
    const same = id === options.embedder.id && dimensions === options.embedder.dimensions;
    return same ? manifest : undefined;
  } catch {
    // No index yet, or one the writer will rebuild (it records why).
    return undefined;
  }
}

/**
 * Which editions an input file gave the live index, when the file is unchanged: all editions
 * read from a file of that name, each recorded with the same size, mtime and metadata, or with
 * the same bytes and metadata.
 */
function knownFiles(manifest: IndexManifest): NonNullable<LoadOptions["known"]> {
  const bySource = new Map<string, ManifestEdition[]>();
  for (const edition of manifest.editions) {
    let list = bySource.get(edition.source);
    if (list === undefined) bySource.set(edition.source, (list = []));
    list.push(edition);
  }
  return (source, probe) => {
    const editions = bySource.get(source);
    const first = editions?.[0]?.sourceFile;
    if (editions === undefined || first === undefined) return undefined;
    const same = (f: SourceFingerprint | undefined): boolean =>
      f !== undefined &&
      f.metaHash === probe.metaHash &&
      (probe.bytesHash === undefined
        ? f.size === probe.size && f.mtimeMs === probe.mtimeMs
        : f.bytesHash === probe.bytesHash);
    if (!editions.every((e) => same(e.sourceFile))) return undefined;
    return { editions: editions.map((e) => e.editionId), bytesHash: first.bytesHash };
  };
}

/** Bad lines of one file named in an error; the others are counted. */
const MAX_LINES_SHOWN = 3;

/**
 * The skipped inputs as one line: every file is named, but the bad lines of one export are
 * grouped, so that 14,000 lines without a "title" make one entry rather than 14,000.
 */
function describeSkipped(skipped: readonly { file: string; reason: string }[]): string {
  const byFile = new Map<string, { own: string[]; lines: string[] }>();
  for (const { file, reason } of skipped) {
    const line = /^(.*):\d+$/u.exec(file);
    const key = line?.[1] ?? file;
    const entry = byFile.get(key) ?? { own: [], lines: [] };
    (line ? entry.lines : entry.own).push(`${file}: ${reason}`);
    byFile.set(key, entry);
  }
  return [...byFile.values()]
    .map(({ own, lines }) => {
      const more = lines.length - MAX_LINES_SHOWN;
      const shown = [...own, ...lines.slice(0, MAX_LINES_SHOWN)].join("; ");
      return more > 0 ? `${shown}; and ${more} more lines of that file` : shown;
    })
    .join("; ");
}
