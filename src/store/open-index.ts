import { basename } from "node:path";
import { IndexError } from "../errors.js";
import type { Embedder } from "../embeddings/embedder.js";
import { SNAPSHOT_FILES, readCurrent, segmentDir, snapshotDir } from "./layout.js";
import {
  assertSameEmbedder,
  corrupt,
  missing,
  readSnapshotManifest,
  readVerified,
} from "./manifest.js";
import { HashPool } from "./hash-pool.js";
import { type OpenSegmentOptions, Segment, SegmentDamage } from "./segment.js";
import { SnapshotIndex } from "./snapshot-index.js";
import { segmentProblem } from "./segment-verify.js";
import type { IndexManifest, ManifestSegment } from "./types.js";

/**
 * Opens the live snapshot of `indexDir` for reading (no lock needed) and restores the embedder's
 * state from it. Throws IndexError: INDEX_MISSING (no CURRENT), INDEX_VERSION (other format),
 * INDEX_EMBEDDER (built by another embedder), INDEX_CORRUPT (a file is missing or fails its checksum).
 * Record files and postings are verified block by block as they are read: reading a damaged block
 * later throws IndexError INDEX_CORRUPT too.
 */
export async function openIndex(
  indexDir: string,
  embedder: Embedder,
  options: OpenIndexOptions = {},
): Promise<SnapshotIndex> {
  const current = await readCurrent(indexDir);
  if (current === undefined) throw missing(indexDir);
  try {
    return await openSnapshot(indexDir, current.name, current.manifestSha256, embedder, options);
  } catch (error) {
    // A writer may have replaced CURRENT and collected our snapshot while we read it; the new
    // snapshot is then the one to open.
    const now = await readCurrent(indexDir);
    if (now !== undefined && now.name !== current.name) {
      return openSnapshot(indexDir, now.name, now.manifestSha256, embedder, options);
    }
    throw error;
  }
}

/** Options of `openIndex`. */
export interface OpenIndexOptions {
  /**
   * Work to run while the first segment's files are read (see `OpenSegmentOptions.whileFilesLoad`);
   * called at most once. It must not throw.
   */
  whileFilesLoad?: () => void;
}

async function openSnapshot(
  indexDir: string,
  name: string,
  manifestSha256: string | undefined,
  embedder: Embedder,
  options: OpenIndexOptions,
): Promise<SnapshotIndex> {
  const dir = snapshotDir(indexDir, name);
  const manifest = await readSnapshotManifest(indexDir, name, manifestSha256);
  assertSameEmbedder(manifest, embedder);
  const hasState = manifest.checksums[SNAPSHOT_FILES.embedderState] !== undefined;
  // Read while the segments open; awaited once they have.
  const reading = hasState
    ? readVerified(dir, manifest, SNAPSHOT_FILES.embedderState)
    : Promise.resolve(undefined);
  reading.catch(() => {}); // awaited below; this only keeps an early failure from going unhandled
  // Opening a large index must not wait for every byte of it to be hashed; a reader only ever
  // sees verified bytes all the same.
  let waited = false;
  const segments = await openSegments(indexDir, manifest.segments, {
    verifyOnRead: true,
    whileFilesLoad: () => {
      if (waited) return;
      waited = true;
      options.whileFilesLoad?.();
    },
  });
  try {
    const counted = segments.reduce(
      (n, s, i) => n + s.meta.chunks - (manifest.segments[i]?.chunks ?? NaN),
      0,
    );
    if (counted !== 0) throw corrupt(`${dir}: the segments hold other chunk counts than listed`);
    for (const segment of segments) {
      const built = segment.meta.embedder;
      if (built.id !== manifest.embedder.id || built.dimensions !== manifest.embedder.dimensions) {
        throw corrupt(`segment ${segment.name} was built by another embedder (${built.id})`);
      }
    }
    restoreEmbedderState(dir, embedder, await reading);
    return new SnapshotIndex(name, manifest, segments);
  } catch (error) {
    for (const segment of segments) segment.close();
    throw error;
  }
}

/**
 * Opens the segments a manifest lists, each verified against its checksums: every byte at open,
 * unless `options.verifyOnRead`. Throws IndexError INDEX_CORRUPT naming the damaged file, after
 * closing the segments already opened.
 */
export async function openSegments(
  indexDir: string,
  segments: readonly ManifestSegment[],
  options: OpenSegmentOptions = {},
): Promise<Segment[]> {
  for (const entry of segments) {
    if (basename(entry.name) !== entry.name || entry.name.startsWith(".")) {
      throw corrupt(`the manifest lists a segment outside ${indexDir}`);
    }
  }
  const pool = new HashPool();
  const results = await Promise.allSettled(
    segments.map((entry) =>
      Segment.open(segmentDir(indexDir, entry.name), entry.name, entry.sha256, pool, options),
    ),
  );
  await pool.close();
  const opened = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
  const failed = results.find((r) => r.status === "rejected");
  if (failed === undefined) return opened;
  for (const segment of opened) segment.close();
  const error: unknown = failed.reason;
  if (error instanceof SegmentDamage) throw corrupt(error.message, error);
  throw error;
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

/**
 * The first problem a reader would find in a snapshot's segments before reading any data (see
 * `segmentProblem`), or undefined when they look whole. Cheap: a small read and a few stats per
 * segment. Never throws.
 */
export async function indexDamage(
  indexDir: string,
  manifest: IndexManifest,
): Promise<string | undefined> {
  for (const segment of manifest.segments) {
    const problem = await segmentProblem(segmentDir(indexDir, segment.name), segment.sha256);
    if (problem !== undefined) return problem;
  }
  return undefined;
}
