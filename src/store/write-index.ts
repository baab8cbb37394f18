import { mkdir, readFile, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import type { Embedder } from "../embeddings/embedder.js";
import { tokenize } from "../text/segment.js";
import type { Chunk } from "../types.js";
import { collectSnapshots, nextSnapshotName } from "./collect-snapshots.js";
import { fsyncDir, fsyncFile, sha256Hex, writeFileDurable } from "./durable-fs.js";
import {
  SNAPSHOT_FILES,
  currentPath,
  readCurrentSnapshot,
  snapshotDir,
  snapshotsDir,
} from "./layout.js";
import { LexicalIndex } from "./lexical.js";
import { acquireIndexLock } from "./lock.js";
import { manifestEditions, readSnapshotManifest, readVerified } from "./manifest.js";
import { chunkDocumentText, decodeChunks, encodeJsonLines } from "./records.js";
import { INDEX_FORMAT_VERSION } from "./types.js";
import type { BuildInput, BuildOptions, BuildSummary, IndexManifest } from "./types.js";
import { VectorIndex, decodeVectors, encodeVectors, normalizeRows } from "./vectors.js";

const DEFAULT_BATCH_SIZE = 64;

/** What an incremental run can take over from the live snapshot. */
interface Reusable {
  /** chunk id -> [indexed text, row in `vectors`]. */
  rows: Map<string, { text: string; row: number }>;
  vectors: Float32Array;
  embedderState: Uint8Array | undefined;
  /** The live snapshot's folder, manifest and chunk count, for reusing its graph. */
  dir: string;
  manifest: IndexManifest;
  count: number;
}

interface Previous {
  name: string | undefined;
  manifest: IndexManifest | undefined;
  reusable: Reusable | undefined;
  /** Set when an incremental run was asked for but cannot reuse the previous snapshot. */
  fullRebuildReason: string | undefined;
}

/**
 * Builds a new index snapshot holding exactly `input`, reusing the live snapshot's vectors for
 * chunks whose id and text are unchanged, then makes it live by replacing `index/CURRENT`
 * atomically and deletes superseded snapshots. A failed run leaves the previous index live.
 * Throws IndexLockedError when another run holds the lock, an Error for invalid input (duplicate
 * ids, chunks of unknown articles) or a misbehaving embedder, and whatever the embedder throws.
 */
export async function writeIndex(input: BuildInput, options: BuildOptions): Promise<BuildSummary> {
  const startedMs = performance.now();
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new Error(`batchSize must be a positive integer, got ${batchSize}`);
  }
  validateInput(input);
  const { indexDir, embedder } = options;
  await mkdir(snapshotsDir(indexDir), { recursive: true });
  const lock = await acquireIndexLock(indexDir);
  try {
    const previous = await readPrevious(indexDir, embedder, options.full ?? false);
    const name = await nextSnapshotName(indexDir);
    const dir = snapshotDir(indexDir, name);
    await mkdir(dir);
    let counts: { embedded: number; reused: number };
    try {
      counts = await writeSnapshot(dir, input, previous, { ...options, batchSize });
      await writeFileDurable(join(indexDir, "CURRENT.tmp"), `${name}\n`);
    } catch (error) {
      // Nothing refers to the folder yet; the next run's collection would also remove it.
      await rm(dir, { recursive: true, force: true }).catch(() => undefined);
      throw error;
    }
    // The commit point: before the rename readers see the old snapshot, after it the new one.
    await rename(join(indexDir, "CURRENT.tmp"), currentPath(indexDir));
    await fsyncDir(indexDir);
    // Collection failing leaves only disk garbage, which the next run retries: not worth failing
    // a run whose index is already live.
    await collectSnapshots(indexDir, name, previous.name).catch(() => undefined);
    return summarize(input, previous, name, counts, startedMs);
  } finally {
    await lock.release();
  }
}

function validateInput(input: BuildInput): void {
  const articleIds = new Set<string>();
  for (const article of input.articles) {
    if (articleIds.has(article.id)) throw new Error(`duplicate article id ${article.id}`);
    articleIds.add(article.id);
  }
  const chunkIds = new Set<string>();
  for (const chunk of input.chunks) {
    if (chunkIds.has(chunk.id)) throw new Error(`duplicate chunk id ${chunk.id}`);
    if (!articleIds.has(chunk.articleId)) {
      throw new Error(
        `chunk ${chunk.id} belongs to article ${chunk.articleId}, which is not in the input`,
      );
    }
    chunkIds.add(chunk.id);
  }
}

/**
 * Reads what the live snapshot offers. Any problem with it (other embedder, other version,
 * corruption) turns the run into a full build with the reason recorded, never into a failure:
 * a rebuild is exactly what fixes such an index.
 */
async function readPrevious(
  indexDir: string,
  embedder: Embedder,
  full: boolean,
): Promise<Previous> {
  const name = await readCurrentSnapshot(indexDir);
  const none = { name, manifest: undefined, reusable: undefined, fullRebuildReason: undefined };
  if (name === undefined) return none;
  let manifest: IndexManifest;
  try {
    manifest = await readSnapshotManifest(indexDir, name);
  } catch (error) {
    return {
      ...none,
      fullRebuildReason: full ? undefined : `the live index cannot be read: ${describe(error)}`,
    };
  }
  const base = { name, manifest, reusable: undefined };
  if (full) return { ...base, fullRebuildReason: undefined };
  const built = manifest.embedder;
  if (built.id !== embedder.id || built.dimensions !== embedder.dimensions) {
    return {
      ...base,
      fullRebuildReason:
        `the live index was built with ${built.id} (${built.dimensions} dims), ` +
        `not ${embedder.id} (${embedder.dimensions} dims)`,
    };
  }
  const dir = snapshotDir(indexDir, name);
  try {
    const chunks = decodeChunks(await readVerified(dir, manifest, SNAPSHOT_FILES.chunks));
    const raw = await readVerified(dir, manifest, SNAPSHOT_FILES.vectorsRaw);
    const vectors = decodeVectors(raw, chunks.length, built.dimensions);
    const hasState = manifest.checksums[SNAPSHOT_FILES.embedderState] !== undefined;
    const embedderState = hasState
      ? await readVerified(dir, manifest, SNAPSHOT_FILES.embedderState)
      : undefined;
    if (embedder.fit !== undefined && embedderState === undefined) {
      return {
        ...base,
        fullRebuildReason: "the live index holds no state for this stateful embedder",
      };
    }
    const rows = new Map<string, { text: string; row: number }>();
    chunks.forEach((chunk, row) => rows.set(chunk.id, { text: chunkDocumentText(chunk), row }));
    const reusable = { rows, vectors, embedderState, dir, manifest, count: chunks.length };
    return { ...base, reusable, fullRebuildReason: undefined };
  } catch (error) {
    return { ...base, fullRebuildReason: `the live index cannot be reused: ${describe(error)}` };
  }
}

/** Writes every file of the snapshot, each fsynced, the manifest last. Returns embed counts. */
async function writeSnapshot(
  dir: string,
  input: BuildInput,
  previous: Previous,
  options: BuildOptions & { batchSize: number },
): Promise<{ embedded: number; reused: number }> {
  const { embedder } = options;
  const texts = input.chunks.map(chunkDocumentText);
  const reusable = prepareEmbedder(embedder, texts, previous);
  const { vectors, embedded, reused, appended } = await embedChunks(
    input.chunks,
    texts,
    reusable,
    options,
  );
  const lexical = LexicalIndex.build(texts.map((text) => tokenize(text)));
  const graph = await buildGraph(vectors, input.chunks.length, embedder.dimensions, appended);

  const checksums: Record<string, string> = {};
  const put = async (file: string, data: Uint8Array): Promise<void> => {
    await writeFileDurable(join(dir, file), data);
    checksums[file] = sha256Hex(data);
  };
  await put(SNAPSHOT_FILES.articles, encodeJsonLines(input.articles));
  await put(SNAPSHOT_FILES.chunks, encodeJsonLines(input.chunks));
  await put(SNAPSHOT_FILES.vectorsRaw, encodeVectors(vectors));
  await put(SNAPSHOT_FILES.lexical, lexical.encode());
  const state = embedder.exportState?.();
  if (state !== undefined) await put(SNAPSHOT_FILES.embedderState, state);
  const hnswPath = join(dir, SNAPSHOT_FILES.vectorsHnsw);
  await graph.write(hnswPath);
  await fsyncFile(hnswPath);
  checksums[SNAPSHOT_FILES.vectorsHnsw] = sha256Hex(await readFile(hnswPath));

  const editions = manifestEditions(input.articles);
  const manifest: IndexManifest = {
    formatVersion: INDEX_FORMAT_VERSION,
    embedder: { id: embedder.id, dimensions: embedder.dimensions },
    createdAt: new Date().toISOString(),
    counts: {
      editions: editions.length,
      articles: input.articles.length,
      chunks: input.chunks.length,
    },
    editions,
    checksums,
  };
  await writeFileDurable(
    join(dir, SNAPSHOT_FILES.manifest),
    `${JSON.stringify(manifest, null, 2)}\n`,
  );
  await fsyncDir(dir);
  await fsyncDir(join(dir, ".."));
  return { embedded, reused };
}

/**
 * Gives a stateful embedder the statistics its vectors must share: on an incremental run the
 * previous snapshot's (so reused and new vectors are comparable), otherwise fitted afresh on all
 * texts. Returns what may be reused, or undefined for a full build.
 */
function prepareEmbedder(
  embedder: Embedder,
  texts: readonly string[],
  previous: Previous,
): Reusable | undefined {
  const reusable = previous.reusable;
  if (reusable !== undefined) {
    const state = reusable.embedderState;
    if (state !== undefined && embedder.restoreState !== undefined) {
      try {
        embedder.restoreState(state);
        return reusable;
      } catch (error) {
        previous.fullRebuildReason = `${embedder.id} refused the live index's state: ${describe(error)}`;
      }
    } else if (embedder.fit === undefined) {
      return reusable;
    } else {
      previous.fullRebuildReason = `${embedder.id} cannot restore the live index's state`;
    }
  }
  embedder.fit?.(texts);
  return undefined;
}

async function embedChunks(
  chunks: readonly Chunk[],
  texts: readonly string[],
  reusable: Reusable | undefined,
  options: BuildOptions & { batchSize: number },
): Promise<EmbedResult> {
  const { embedder, batchSize } = options;
  const dims = embedder.dimensions;
  const vectors = new Float32Array(chunks.length * dims);
  const pending: number[] = [];
  let samePlace = 0;
  chunks.forEach((chunk, i) => {
    const old = reusable?.rows.get(chunk.id);
    if (old !== undefined && old.text === texts[i] && reusable !== undefined) {
      vectors.set(reusable.vectors.subarray(old.row * dims, (old.row + 1) * dims), i * dims);
      if (old.row === i) samePlace++;
    } else {
      pending.push(i);
    }
  });
  // Every previous chunk kept, unchanged, at its old ordinal: the new chunks only follow them.
  const appended = reusable !== undefined && samePlace === reusable.count ? reusable : undefined;

  options.onProgress?.(0, pending.length);
  for (let start = 0; start < pending.length; start += batchSize) {
    const batch = pending.slice(start, start + batchSize);
    const out = await embedder.embedDocuments(batch.map((i) => texts[i] ?? ""));
    if (out.length !== batch.length) {
      throw new Error(`${embedder.id} returned ${out.length} vectors for ${batch.length} texts`);
    }
    batch.forEach((row, j) => {
      const vector = out[j] ?? new Float32Array(0);
      if (vector.length !== dims) {
        throw new Error(
          `${embedder.id} returned a ${vector.length}-dim vector; it declares ${dims}`,
        );
      }
      const target = vectors.subarray(row * dims, (row + 1) * dims);
      target.set(vector);
      normalizeRows(target, dims);
    });
    options.onProgress?.(start + batch.length, pending.length);
  }
  return { vectors, embedded: pending.length, reused: chunks.length - pending.length, appended };
}

interface EmbedResult {
  /** One unit row per chunk, in chunk order. */
  vectors: Float32Array;
  embedded: number;
  reused: number;
  /** Set when the run only appends chunks to this previous snapshot. */
  appended: Reusable | undefined;
}

/**
 * The HNSW graph of the new snapshot: the previous graph plus the appended rows when the run only
 * appends, otherwise built afresh. Throws when hnswlib rejects the vectors.
 */
async function buildGraph(
  vectors: Float32Array,
  count: number,
  dimensions: number,
  appended: Reusable | undefined,
): Promise<VectorIndex> {
  if (appended !== undefined) {
    try {
      // Verified first: hnswlib trusts the bytes it reads.
      await readVerified(appended.dir, appended.manifest, SNAPSHOT_FILES.vectorsHnsw);
      const path = join(appended.dir, SNAPSHOT_FILES.vectorsHnsw);
      return VectorIndex.extend(path, appended.count, vectors, count, dimensions);
    } catch {
      // A damaged previous graph only costs the shortcut: a fresh build is always correct.
    }
  }
  return VectorIndex.build(vectors, count, dimensions);
}

function summarize(
  input: BuildInput,
  previous: Previous,
  snapshot: string,
  counts: { embedded: number; reused: number },
  startedMs: number,
): BuildSummary {
  const now = manifestEditions(input.articles);
  const before = new Map((previous.manifest?.editions ?? []).map((e) => [e.editionId, e]));
  const nowIds = new Set(now.map((e) => e.editionId));
  const summary: BuildSummary = {
    editions: now.length,
    articles: input.articles.length,
    chunks: input.chunks.length,
    embedded: counts.embedded,
    reused: counts.reused,
    addedEditions: now.filter((e) => !before.has(e.editionId)).map((e) => e.editionId),
    removedEditions: [...before.keys()].filter((id) => !nowIds.has(id)),
    changedEditions: now
      .filter((e) => {
        const old = before.get(e.editionId);
        return old !== undefined && old.contentHash !== e.contentHash;
      })
      .map((e) => e.editionId),
    snapshot,
    seconds: (performance.now() - startedMs) / 1000,
  };
  if (previous.fullRebuildReason !== undefined)
    summary.fullRebuildReason = previous.fullRebuildReason;
  return summary;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
