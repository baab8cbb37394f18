import type { Embedder } from "../embeddings/embedder.js";
import { openIndex } from "./open-index.js";
import { PgIndex } from "./postgres/pg-index.js";
import { parseIndexUrl } from "./postgres/schema.js";
import type { NewsIndex } from "./types.js";

/**
 * Where the archive lives: the embedded index in `indexDir` (INDEX_DIR), or PostgreSQL when
 * `indexUrl` (INDEX_URL) is set, in which case nothing is read from or written to `indexDir`.
 */
export interface ArchiveLocation {
  indexDir: string;
  indexUrl?: string | undefined;
}

/** Options of `openArchive`. */
export interface OpenArchiveOptions {
  /** Work to run while the embedded index's first files are read (see `OpenIndexOptions`). */
  whileFilesLoad?: () => void;
}

/**
 * Opens the archive for reading and restores the embedder's state from it. Throws IndexError
 * (INDEX_MISSING, INDEX_VERSION, INDEX_EMBEDDER, INDEX_CORRUPT) with the fix, and an Error for an
 * INDEX_URL that is not a postgres:// URL.
 */
export async function openArchive(
  location: ArchiveLocation,
  embedder: Embedder,
  options: OpenArchiveOptions = {},
): Promise<NewsIndex> {
  if (location.indexUrl !== undefined) {
    const index = await PgIndex.open(parseIndexUrl(location.indexUrl), embedder);
    options.whileFilesLoad?.();
    return index;
  }
  return openIndex(location.indexDir, embedder, options);
}
