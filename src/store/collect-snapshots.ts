import { readdir, rm } from "node:fs/promises";
import { isErrnoCode } from "./durable-fs.js";
import {
  formatSnapshotName,
  isSnapshotName,
  segmentDir,
  segmentsDir,
  snapshotDir,
  snapshotsDir,
  snapshotTimeMs,
} from "./layout.js";
import { readSnapshotManifest } from "./manifest.js";

/**
 * The name for a new snapshot: now, or just after the newest existing snapshot if the clock says
 * otherwise, so that a new snapshot always sorts last. Throws on I/O errors.
 */
export async function nextSnapshotName(indexDir: string): Promise<string> {
  let newestMs = -Infinity;
  for (const name of await readNames(snapshotsDir(indexDir), isSnapshotName)) {
    newestMs = Math.max(newestMs, snapshotTimeMs(name) ?? -Infinity);
  }
  return formatSnapshotName(Math.max(Date.now(), newestMs + 1), process.pid);
}

const SEGMENT_NAME = /^seg-\d{8}T\d{9}Z-\d+-\d+$/u;
let segmentCounter = 0;

/** A fresh segment name ("seg-<timestamp>-<pid>-<n>"), unique within the index. Throws on I/O errors. */
export async function nextSegmentName(indexDir: string): Promise<string> {
  const taken = new Set(await readNames(segmentsDir(indexDir), (n) => SEGMENT_NAME.test(n)));
  for (;;) {
    const name = `seg-${formatSnapshotName(Date.now(), process.pid)}-${segmentCounter++}`;
    if (!taken.has(name)) return name;
  }
}

/**
 * Deletes snapshot folders older than `live` except `keep` (the previous live snapshot, which
 * readers may still be opening), and every segment neither of the two lists. This removes
 * superseded snapshots, merged segments and the half-written folders of crashed runs alike.
 * Folders newer than `live` or with foreign names are left alone. Must be called with the index
 * lock held. Returns the names it deleted; throws on I/O errors.
 */
export async function collectGarbage(
  indexDir: string,
  live: string,
  keep: string | undefined,
): Promise<string[]> {
  const deleted: string[] = [];
  for (const name of await readNames(snapshotsDir(indexDir), isSnapshotName)) {
    if (name === live || name === keep || name >= live) continue;
    await rm(snapshotDir(indexDir, name), { recursive: true, force: true });
    deleted.push(name);
  }
  const used = new Set<string>();
  for (const name of [live, keep]) {
    if (name === undefined) continue;
    // A kept snapshot that cannot be read cannot be opened by readers either.
    const manifest = await readSnapshotManifest(indexDir, name).catch(() => undefined);
    if (name === live && manifest === undefined) return deleted; // never guess about the live one
    for (const segment of manifest?.segments ?? []) used.add(segment.name);
  }
  for (const name of await readNames(segmentsDir(indexDir), (n) => SEGMENT_NAME.test(n))) {
    if (used.has(name)) continue;
    await rm(segmentDir(indexDir, name), { recursive: true, force: true });
    deleted.push(name);
  }
  return deleted;
}

async function readNames(dir: string, accept: (name: string) => boolean): Promise<string[]> {
  try {
    return (await readdir(dir)).filter(accept).sort();
  } catch (error) {
    if (isErrnoCode(error, "ENOENT")) return [];
    throw error;
  }
}
