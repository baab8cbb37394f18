import { basename, join } from "node:path";
import { IndexError } from "../errors.js";
import type { Embedder } from "../embeddings/embedder.js";
import { SNAPSHOT_FILES, readCurrentSnapshot, snapshotDir } from "./layout.js";
import { LexicalIndex } from "./lexical.js";
import {
  assertSameEmbedder,
  corrupt,
  missing,
  readSnapshotManifest,
  readVerified,
} from "./manifest.js";
import { decodeArticles, decodeChunks } from "./records.js";
import { SnapshotIndex } from "./snapshot-index.js";
import { VectorIndex } from "./vectors.js";

/**
 * Opens the live snapshot of `indexDir` for reading (no lock needed) and restores the embedder's
 * state from it. Throws IndexError: INDEX_MISSING (no CURRENT), INDEX_VERSION (other format),
 * INDEX_EMBEDDER (built by another embedder), INDEX_CORRUPT (a file is missing or fails its checksum).
 */
export async function openIndex(indexDir: string, embedder: Embedder): Promise<SnapshotIndex> {
  const name = await readCurrentSnapshot(indexDir);
  if (name === undefined) throw missing(indexDir);
  try {
    return await openSnapshot(indexDir, name, embedder);
  } catch (error) {
    // A writer may have replaced CURRENT and collected our snapshot while we read it; the new
    // snapshot is then the one to open.
    const now = await readCurrentSnapshot(indexDir);
    if (now !== undefined && now !== name) return openSnapshot(indexDir, now, embedder);
    throw error;
  }
}

async function openSnapshot(
  indexDir: string,
  name: string,
  embedder: Embedder,
): Promise<SnapshotIndex> {
  const dir = snapshotDir(indexDir, name);
  const manifest = await readSnapshotManifest(indexDir, name);
  assertSameEmbedder(manifest, embedder);

  // Every listed file is verified before any is parsed: hnswlib in particular trusts its input.
  const files = new Map<string, Buffer>();
  for (const file of Object.keys(manifest.checksums)) {
    if (basename(file) !== file) throw corrupt(`${dir}: the manifest lists a file outside it`);
    files.set(file, await readVerified(dir, manifest, file));
  }
  const required = [
    SNAPSHOT_FILES.articles,
    SNAPSHOT_FILES.chunks,
    SNAPSHOT_FILES.vectorsHnsw,
    SNAPSHOT_FILES.vectorsRaw,
    SNAPSHOT_FILES.lexical,
  ];
  for (const file of required) {
    if (!files.has(file)) throw corrupt(`${dir}/${file} is not listed in the manifest`);
  }

  const chunkCount = manifest.counts.chunks;
  const dimensions = manifest.embedder.dimensions;
  const decoded = parseOrCorrupt(dir, () => {
    const articles = decodeArticles(files.get(SNAPSHOT_FILES.articles) ?? Buffer.alloc(0));
    const chunks = decodeChunks(files.get(SNAPSHOT_FILES.chunks) ?? Buffer.alloc(0));
    const lexical = LexicalIndex.decode(files.get(SNAPSHOT_FILES.lexical) ?? Buffer.alloc(0));
    const rawBytes = files.get(SNAPSHOT_FILES.vectorsRaw)?.byteLength ?? 0;
    if (articles.length !== manifest.counts.articles || chunks.length !== chunkCount) {
      throw new Error("record counts differ from the manifest");
    }
    if (lexical.docCount !== chunkCount) throw new Error("lexical.bin covers another chunk count");
    if (rawBytes !== chunkCount * dimensions * 4) throw new Error("vectors.f32 has the wrong size");
    const vectors = VectorIndex.read(join(dir, SNAPSHOT_FILES.vectorsHnsw), chunkCount, dimensions);
    return { articles, chunks, lexical, vectors };
  });

  restoreEmbedderState(dir, embedder, files.get(SNAPSHOT_FILES.embedderState));
  return new SnapshotIndex(
    name,
    manifest,
    decoded.articles,
    decoded.chunks,
    decoded.lexical,
    decoded.vectors,
  );
}

function parseOrCorrupt<T>(dir: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof IndexError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw corrupt(`${dir} cannot be read (${reason})`, error);
  }
}

/**
 * Hands the saved corpus statistics back to a stateful embedder: query vectors must be computed
 * with the same statistics as the indexed ones to be comparable.
 */
function restoreEmbedderState(dir: string, embedder: Embedder, state: Buffer | undefined): void {
  if (state === undefined) {
    if (embedder.fit !== undefined) {
      throw corrupt(`${dir}/${SNAPSHOT_FILES.embedderState} is missing for ${embedder.id}`);
    }
    return;
  }
  if (embedder.restoreState === undefined) {
    throw new IndexError(
      "INDEX_EMBEDDER",
      `The index holds embedder state but the configured ${embedder.id} cannot restore it. ` +
        "Rebuild it with `npm run index -- --full`.",
    );
  }
  try {
    embedder.restoreState(new Uint8Array(state.buffer, state.byteOffset, state.byteLength));
  } catch (cause) {
    throw new IndexError(
      "INDEX_EMBEDDER",
      `${embedder.id} refused the state saved in ${dir}/${SNAPSHOT_FILES.embedderState}. ` +
        "Rebuild it with `npm run index -- --full`.",
      { cause },
    );
  }
}
