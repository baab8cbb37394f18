import { readdir, rm } from "node:fs/promises";
import { isErrnoCode } from "./durable-fs.js";
import {
  formatSnapshotName,
  isSnapshotName,
  snapshotDir,
  snapshotsDir,
  snapshotTimeMs,
} from "./layout.js";

/**
 * The name for a new snapshot: now, or just after the newest existing snapshot if the clock says
 * otherwise, so that a new snapshot always sorts last. Throws on I/O errors.
 */
export async function nextSnapshotName(indexDir: string): Promise<string> {
  let newestMs = -Infinity;
  for (const name of await readSnapshotNames(indexDir)) {
    newestMs = Math.max(newestMs, snapshotTimeMs(name) ?? -Infinity);
  }
  return formatSnapshotName(Math.max(Date.now(), newestMs + 1), process.pid);
}

/**
 * Deletes snapshot folders older than `live` except `keep` (the previous live snapshot, which
 * readers may still be opening). This removes superseded snapshots and the half-written folders
 * of crashed runs alike. Folders newer than `live` or with foreign names are left alone. Must be
 * called with the index lock held. Returns the names it deleted; throws on I/O errors.
 */
export async function collectSnapshots(
  indexDir: string,
  live: string,
  keep: string | undefined,
): Promise<string[]> {
  const deleted: string[] = [];
  for (const name of await readSnapshotNames(indexDir)) {
    if (name === live || name === keep || name >= live) continue;
    await rm(snapshotDir(indexDir, name), { recursive: true, force: true });
    deleted.push(name);
  }
  return deleted;
}

async function readSnapshotNames(indexDir: string): Promise<string[]> {
  try {
    return (await readdir(snapshotsDir(indexDir))).filter(isSnapshotName).sort();
  } catch (error) {
    if (isErrnoCode(error, "ENOENT")) return [];
    throw error;
  }
}
