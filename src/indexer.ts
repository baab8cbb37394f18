import type { Embedder } from "./embeddings/embedder.js";
import { chunkArticles, loadInputs } from "./ingest/load.js";
import { writeIndex } from "./store/index.js";
import type { BuildSummary } from "./store/types.js";

/** What to index and where. */
export interface IndexJobOptions {
  editionDirs?: readonly string[];
  editionFiles?: readonly string[];
  articleFiles?: readonly string[];
  indexDir: string;
  embedder: Embedder;
  /** Ignore the previous index and embed everything. Defaults to false. */
  full?: boolean;
  onProgress?: (done: number, total: number) => void;
  /** Chunk size budget in characters. Defaults to the chunker's default. */
  maxChunkChars?: number;
}

/** The outcome of one index run. */
export interface IndexJobResult extends BuildSummary {
  skipped: { file: string; reason: string }[];
}

/**
 * Reads every input, parses and chunks it, and writes a new index snapshot (incrementally: only
 * new or changed chunks are embedded). Throws when nothing at all could be read, leaving the
 * previous index as it was.
 */
export async function runIndexJob(options: IndexJobOptions): Promise<IndexJobResult> {
  const loaded = await loadInputs({
    editionDirs: [...(options.editionDirs ?? [])],
    editionFiles: [...(options.editionFiles ?? [])],
    articleFiles: [...(options.articleFiles ?? [])],
  });
  if (loaded.articles.length === 0) {
    const reasons = loaded.skipped.map((s) => `${s.file}: ${s.reason}`).join("; ");
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
    full: options.full ?? false,
  };
  if (options.onProgress) buildOptions.onProgress = options.onProgress;
  const summary = await writeIndex({ articles: loaded.articles, chunks }, buildOptions);
  return { ...summary, skipped: loaded.skipped };
}
