import { mkdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import type { Embedder } from "../embeddings/embedder.js";
import type { Article, Chunk } from "../types.js";
import { collectGarbage, nextSegmentName, nextSnapshotName } from "./collect-snapshots.js";
import { fsyncDir, sha256Hex, writeFileDurable } from "./durable-fs.js";
import {
  SNAPSHOT_FILES,
  currentPath,
  formatCurrent,
  readCurrent,
  segmentDir,
  segmentsDir,
  snapshotDir,
  snapshotsDir,
} from "./layout.js";
import { acquireIndexLock } from "./lock.js";
import {
  encodeManifest,
  manifestEditions,
  readSnapshotManifest,
  readVerified,
} from "./manifest.js";
import { openSegments } from "./open-index.js";
import { chunkDocumentText } from "./records.js";
import type { Segment } from "./segment.js";
import { analyzeChunk } from "./segment-format.js";
import { writeSegment } from "./segment-write.js";
import { INDEX_FORMAT_VERSION } from "./types.js";
import type {
  BuildInput,
  BuildOptions,
  BuildSummary,
  IndexManifest,
  ManifestEdition,
  ManifestSegment,
  SourceFingerprint,
} from "./types.js";
import { normalizeRows } from "./vectors.js";

export const DEFAULT_BATCH_SIZE = 64;
/**
 * Segments whose live chunk counts share a power of four form a tier; a tier that reaches this
 * many segments is merged into one. Adding editions one by one then costs O(log n) rewrites per
 * chunk over the archive's life, and a snapshot never holds more than a few segments per tier.
 */
const MERGE_FACTOR = 4;

interface Previous {
  name: string | undefined;
  manifest: IndexManifest | undefined;
  /** Set when the live snapshot can be built upon. */
  reusable: { manifest: IndexManifest; embedderState: Uint8Array | undefined } | undefined;
  /** Set when an incremental run was asked for but cannot reuse the previous snapshot. */
  fullRebuildReason: string | undefined;
}

/** One segment of the snapshot being written. */
interface PlannedSegment extends ManifestSegment {
  /** The editions it holds (live or not), as manifest entries. */
  editions: ManifestEdition[];
}

/**
 * Writes a new index snapshot holding exactly `input` (plus `input.keptEditions` taken over as
 * they are), then makes it live by replacing `index/CURRENT` atomically and deletes what no
 * snapshot needs any more. Unchanged editions keep their segments; new and changed editions go
 * to one new segment (vectors of unchanged chunks are reused); small segments are merged by tier.
 * A failed run leaves the previous index live. Throws IndexLockedError when another run holds the
 * lock, an Error for invalid input (duplicate ids, chunks of unknown articles, kept editions the
 * live index lacks) or a misbehaving embedder, and whatever the embedder throws.
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
  await mkdir(segmentsDir(indexDir), { recursive: true });
  const lock = await acquireIndexLock(indexDir);
  try {
    const previous = await readPrevious(indexDir, embedder, options.full ?? false);
    const kept = input.keptEditions ?? new Set<string>();
    if (kept.size > 0 && previous.reusable === undefined) {
      throw new Error(
        `${kept.size} editions were to be kept from the live index, but it cannot be built upon ` +
          `(${previous.fullRebuildReason ?? "it is missing"}). Run the index job again.`,
      );
    }
    const name = await nextSnapshotName(indexDir);
    const created: string[] = [];
    let result: { manifest: IndexManifest; manifestSha256: string; embedded: number };
    try {
      result = await buildSnapshot(indexDir, name, input, previous, created, {
        ...options,
        batchSize,
      });
      await writeFileDurable(
        join(indexDir, "CURRENT.tmp"),
        formatCurrent(name, result.manifestSha256),
      );
    } catch (error) {
      // Nothing refers to these folders yet; the next run's collection would also remove them.
      await rm(snapshotDir(indexDir, name), { recursive: true, force: true }).catch(() => {});
      for (const segment of created) {
        await rm(segmentDir(indexDir, segment), { recursive: true, force: true }).catch(() => {});
      }
      throw error;
    }
    // The commit point: before the rename readers see the old snapshot, after it the new one.
    await rename(join(indexDir, "CURRENT.tmp"), currentPath(indexDir));
    await fsyncDir(indexDir);
    // Collection failing leaves only disk garbage, which the next run retries: not worth failing
    // a run whose index is already live.
    await collectGarbage(indexDir, name, previous.name).catch(() => undefined);
    return summarize(result.manifest, previous, name, result.embedded, startedMs);
  } finally {
    await lock.release();
  }
}

/** Throws an Error for duplicate ids, chunks of articles not given, or articles of kept editions. */
export function validateInput(input: BuildInput): void {
  const articleIds = new Set<string>();
  for (const article of input.articles) {
    if (articleIds.has(article.id)) throw new Error(`duplicate article id ${article.id}`);
    if (input.keptEditions?.has(article.editionId) === true) {
      throw new Error(`article ${article.id} belongs to kept edition ${article.editionId}`);
    }
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
  const current = await readCurrent(indexDir);
  const name = current?.name;
  const none = { name, manifest: undefined, reusable: undefined, fullRebuildReason: undefined };
  if (current === undefined) return none;
  let manifest: IndexManifest;
  try {
    manifest = await readSnapshotManifest(indexDir, current.name, current.manifestSha256);
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
  try {
    const dir = snapshotDir(indexDir, current.name);
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
    if (embedderState !== undefined) {
      if (embedder.restoreState === undefined) {
        return {
          ...base,
          fullRebuildReason: `${embedder.id} cannot restore the live index's state`,
        };
      }
      try {
        embedder.restoreState(embedderState);
      } catch (error) {
        return {
          ...base,
          fullRebuildReason: `${embedder.id} refused the live index's state: ${describe(error)}`,
        };
      }
    }
    return { ...base, reusable: { manifest, embedderState }, fullRebuildReason: undefined };
  } catch (error) {
    return { ...base, fullRebuildReason: `the live index cannot be reused: ${describe(error)}` };
  }
}

/** Plans and writes the new segments and the snapshot folder. Returns its manifest. */
async function buildSnapshot(
  indexDir: string,
  name: string,
  input: BuildInput,
  previous: Previous,
  created: string[],
  options: BuildOptions & { batchSize: number },
): Promise<{ manifest: IndexManifest; manifestSha256: string; embedded: number }> {
  const { embedder } = options;
  const old = previous.reusable?.manifest;
  const oldEditions = new Map((old?.editions ?? []).map((e) => [e.editionId, e]));
  const given = manifestEditions(input.articles, "");
  const keptIds = new Set(input.keptEditions ?? []);
  for (const id of keptIds) {
    if (!oldEditions.has(id)) throw new Error(`kept edition ${id} is not in the live index`);
  }
  // An edition given again with the same content stays where it is.
  for (const edition of given) {
    const before = oldEditions.get(edition.editionId);
    if (before !== undefined && before.contentHash === edition.contentHash)
      keptIds.add(edition.editionId);
  }
  const fresh = new Set(given.map((e) => e.editionId).filter((id) => !keptIds.has(id)));
  const articles = input.articles.filter((a) => fresh.has(a.editionId));
  const chunks = groupChunks(articles, input.chunks);

  if (old === undefined) embedder.fit?.(chunks.map(chunkDocumentText));

  // Segments of the live snapshot, with the editions they lose marked as deleted.
  const segments: PlannedSegment[] = (old?.segments ?? []).map((s) => ({
    ...s,
    deletedEditions: [...s.deletedEditions],
    editions: [],
  }));
  const byName = new Map(segments.map((s) => [s.name, s]));
  const changedSegments = new Set<string>();
  for (const edition of oldEditions.values()) {
    const segment = byName.get(edition.segment);
    if (segment === undefined) throw new Error(`edition ${edition.editionId} has no segment`);
    if (keptIds.has(edition.editionId)) {
      segment.editions.push(withSource(edition, input.sources));
    } else if (!segment.deletedEditions.includes(edition.editionId)) {
      segment.deletedEditions.push(edition.editionId);
      if (fresh.has(edition.editionId)) changedSegments.add(segment.name);
    }
  }

  let embedded = 0;
  if (articles.length > 0) {
    const reuse = await reusableVectors(indexDir, old, changedSegments);
    const segmentName = await nextSegmentName(indexDir);
    const { vectors, embeddedCount } = await embedChunks(chunks, reuse, options);
    embedded = embeddedCount;
    const written = await writeNewSegment(
      indexDir,
      segmentName,
      created,
      articles,
      chunks,
      vectors,
      embedder,
    );
    segments.push({
      ...written,
      editions: manifestEditions(articles, segmentName, input.sources, chunks),
    });
  }

  const live = await mergeTiers(indexDir, segments, created, embedder);
  return { ...(await writeSnapshotFolder(indexDir, name, live, embedder)), embedded };
}

function withSource(
  edition: ManifestEdition,
  sources: ReadonlyMap<string, SourceFingerprint> | undefined,
): ManifestEdition {
  const sourceFile = sources?.get(edition.editionId);
  return sourceFile === undefined ? edition : { ...edition, sourceFile };
}

/** The chunks of `articles`, grouped by article in article order and by ordinal within each. */
function groupChunks(articles: readonly Article[], chunks: readonly Chunk[]): Chunk[] {
  const byArticle = new Map<string, Chunk[]>();
  for (const chunk of chunks) {
    let list = byArticle.get(chunk.articleId);
    if (list === undefined) byArticle.set(chunk.articleId, (list = []));
    list.push(chunk);
  }
  return articles.flatMap((a) => (byArticle.get(a.id) ?? []).sort((x, y) => x.ordinal - y.ordinal));
}

/**
 * Vectors of the chunks of changed editions, by chunk id with their indexed text, read back from
 * the segments that held them: a changed edition re-embeds only its changed chunks.
 */
async function reusableVectors(
  indexDir: string,
  old: IndexManifest | undefined,
  segmentNames: ReadonlySet<string>,
): Promise<Map<string, { text: string; vector: Float32Array }>> {
  const reuse = new Map<string, { text: string; vector: Float32Array }>();
  if (old === undefined || segmentNames.size === 0) return reuse;
  let segments: Segment[];
  try {
    segments = await openSegments(
      indexDir,
      old.segments.filter((s) => segmentNames.has(s.name)),
    );
  } catch {
    // A damaged old segment only costs the reuse: embedding afresh is always correct.
    return reuse;
  }
  try {
    for (const segment of segments) {
      for (let c = 0; c < segment.meta.chunks; c++) {
        const chunk = segment.readChunk(c);
        reuse.set(chunk.id, { text: chunkDocumentText(chunk), vector: segment.vectorOf(c) });
      }
    }
  } finally {
    for (const segment of segments) segment.close();
  }
  return reuse;
}

/** Unit vectors for `chunks`, reused where id and text match, embedded in batches otherwise. */
export async function embedChunks(
  chunks: readonly Chunk[],
  reuse: ReadonlyMap<string, { text: string; vector: Float32Array }>,
  options: Pick<BuildOptions, "embedder" | "onProgress"> & { batchSize: number },
): Promise<{ vectors: Float32Array; embeddedCount: number }> {
  const { embedder, batchSize } = options;
  const dims = embedder.dimensions;
  const vectors = new Float32Array(chunks.length * dims);
  const texts = chunks.map(chunkDocumentText);
  const pending: number[] = [];
  chunks.forEach((chunk, i) => {
    const old = reuse.get(chunk.id);
    if (old !== undefined && old.text === texts[i] && old.vector.length === dims) {
      vectors.set(old.vector, i * dims);
    } else {
      pending.push(i);
    }
  });
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
  return { vectors, embeddedCount: pending.length };
}

async function writeNewSegment(
  indexDir: string,
  name: string,
  created: string[],
  articles: readonly Article[],
  chunks: readonly Chunk[],
  vectors: Float32Array,
  embedder: Embedder,
): Promise<ManifestSegment> {
  const dir = segmentDir(indexDir, name);
  created.push(name);
  await mkdir(dir);
  const sha256 = await writeSegment(dir, {
    articles,
    chunks,
    analysis: chunks.map(analyzeChunk),
    vectors,
    embedder: { id: embedder.id, dimensions: embedder.dimensions },
  });
  return { name, sha256, articles: articles.length, chunks: chunks.length, deletedEditions: [] };
}

/** Chunks of the live editions of a planned segment. */
function liveSize(segment: PlannedSegment): number {
  return segment.editions.reduce((n, e) => n + e.chunkCount, 0);
}

/**
 * Drops segments with no live edition left and merges each tier (live chunk counts within a power
 * of four) that holds MERGE_FACTOR segments or more into one segment, repeatedly. Returns the
 * segments of the new snapshot.
 */
async function mergeTiers(
  indexDir: string,
  planned: PlannedSegment[],
  created: string[],
  embedder: Embedder,
): Promise<PlannedSegment[]> {
  let segments = planned.filter((s) => s.editions.length > 0);
  for (;;) {
    const tiers = new Map<number, PlannedSegment[]>();
    for (const segment of segments) {
      const tier = Math.floor(Math.log(Math.max(liveSize(segment), 1)) / Math.log(MERGE_FACTOR));
      let list = tiers.get(tier);
      if (list === undefined) tiers.set(tier, (list = []));
      list.push(segment);
    }
    const full = [...tiers.values()].find((list) => list.length >= MERGE_FACTOR);
    if (full === undefined) return segments;
    const merged = await mergeSegments(indexDir, full, created, embedder);
    const gone = new Set(full.map((s) => s.name));
    segments = [...segments.filter((s) => !gone.has(s.name)), merged];
  }
}

/** Rewrites the live articles of `parts` into one new segment, vectors read back from the graphs. */
async function mergeSegments(
  indexDir: string,
  parts: readonly PlannedSegment[],
  created: string[],
  embedder: Embedder,
): Promise<PlannedSegment> {
  const opened = await openSegments(indexDir, parts);
  try {
    const articles: Article[] = [];
    const chunks: Chunk[] = [];
    const rows: Float32Array[] = [];
    const editions: ManifestEdition[] = [];
    parts.forEach((part, i) => {
      const segment = opened[i];
      if (segment === undefined) return;
      const gone = new Set(part.deletedEditions);
      for (let a = 0; a < segment.ids.length; a++) {
        if (gone.has(segment.editionIdOf(a))) continue;
        // Materialise the lazy body before the segment closes.
        articles.push({ ...segment.article(a) });
        const start = segment.articleChunkStart[a] ?? 0;
        const end = segment.articleChunkStart[a + 1] ?? start;
        for (let c = start; c < end; c++) {
          chunks.push(segment.readChunk(c));
          rows.push(segment.vectorOf(c));
        }
      }
      editions.push(...part.editions);
    });
    const dims = embedder.dimensions;
    const vectors = new Float32Array(rows.length * dims);
    rows.forEach((row, i) => vectors.set(row, i * dims));
    const name = await nextSegmentName(indexDir);
    const written = await writeNewSegment(
      indexDir,
      name,
      created,
      articles,
      chunks,
      vectors,
      embedder,
    );
    return { ...written, editions: editions.map((e) => ({ ...e, segment: name })) };
  } finally {
    for (const segment of opened) segment.close();
  }
}

/** Writes the snapshot folder: embedder state, then the manifest, each fsynced. */
async function writeSnapshotFolder(
  indexDir: string,
  name: string,
  segments: readonly PlannedSegment[],
  embedder: Embedder,
): Promise<{ manifest: IndexManifest; manifestSha256: string }> {
  const dir = snapshotDir(indexDir, name);
  await mkdir(dir);
  const checksums: Record<string, string> = {};
  const state = embedder.exportState?.();
  if (state !== undefined) {
    await writeFileDurable(join(dir, SNAPSHOT_FILES.embedderState), state);
    checksums[SNAPSHOT_FILES.embedderState] = sha256Hex(state);
  }
  const editions = segments.flatMap((s) => s.editions);
  const manifest: IndexManifest = {
    formatVersion: INDEX_FORMAT_VERSION,
    embedder: { id: embedder.id, dimensions: embedder.dimensions },
    createdAt: new Date().toISOString(),
    counts: {
      editions: editions.length,
      articles: editions.reduce((n, e) => n + e.articleCount, 0),
      chunks: segments.reduce((n, s) => n + liveSize(s), 0),
    },
    editions,
    segments: segments.map(({ editions: _e, ...segment }) => segment),
    checksums,
  };
  // Compact: the manifest of ten years of editions is megabytes that every start reads.
  const bytes = encodeManifest(manifest);
  await writeFileDurable(join(dir, SNAPSHOT_FILES.manifest), bytes);
  await fsyncDir(dir);
  await fsyncDir(snapshotsDir(indexDir));
  return { manifest, manifestSha256: sha256Hex(bytes) };
}

function summarize(
  manifest: IndexManifest,
  previous: Previous,
  snapshot: string,
  embedded: number,
  startedMs: number,
): BuildSummary {
  const now = manifest.editions;
  const before = new Map((previous.manifest?.editions ?? []).map((e) => [e.editionId, e]));
  const nowIds = new Set(now.map((e) => e.editionId));
  const summary: BuildSummary = {
    editions: now.length,
    articles: manifest.counts.articles,
    chunks: manifest.counts.chunks,
    embedded,
    reused: manifest.counts.chunks - embedded,
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
