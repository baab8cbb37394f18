import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { isErrnoCode, readFileIfExists } from "./durable-fs.js";

/** Names of the files inside one snapshot folder. */
export const SNAPSHOT_FILES = {
  manifest: "manifest.json",
  embedderState: "embedder.state",
} as const;

/** `index/CURRENT`: the name of the live snapshot, replaced atomically by each run. */
export function currentPath(indexDir: string): string {
  return join(indexDir, "CURRENT");
}

/** `index/LOCK`: held by the one writer that may run at a time. */
export function lockPath(indexDir: string): string {
  return join(indexDir, "LOCK");
}

/** `index/snapshots/`: one folder per run. */
export function snapshotsDir(indexDir: string): string {
  return join(indexDir, "snapshots");
}

/** `index/segments/`: the immutable segments that snapshots list. */
export function segmentsDir(indexDir: string): string {
  return join(indexDir, "segments");
}

/** The folder of one segment. */
export function segmentDir(indexDir: string, name: string): string {
  return join(segmentsDir(indexDir), name);
}

/** The folder of one snapshot. */
export function snapshotDir(indexDir: string, name: string): string {
  return join(snapshotsDir(indexDir), name);
}

/**
 * Snapshot names are a fixed-width UTC timestamp plus the writer's pid, e.g.
 * "20250301T081500123Z-4242", so that sorting names sorts runs by age.
 */
const SNAPSHOT_NAME = /^(\d{8}T\d{9}Z)-\d+$/u;

/** True when a folder name is one that `writeIndex` creates. */
export function isSnapshotName(name: string): boolean {
  return SNAPSHOT_NAME.test(name);
}

/** Formats a snapshot name for a time (ms since the epoch) and a pid. Never throws. */
export function formatSnapshotName(timeMs: number, pid: number): string {
  const stamp = new Date(timeMs).toISOString().replace(/[-:.]/gu, "");
  return `${stamp}-${pid}`;
}

/** The time encoded in a snapshot name, or undefined for a foreign name. Never throws. */
export function snapshotTimeMs(name: string): number | undefined {
  const m = SNAPSHOT_NAME.exec(name);
  const stamp = m?.[1];
  if (stamp === undefined) return undefined;
  const iso =
    `${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)}T` +
    `${stamp.slice(9, 11)}:${stamp.slice(11, 13)}:${stamp.slice(13, 15)}.${stamp.slice(15, 18)}Z`;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Reads the live snapshot name from CURRENT, or undefined when there is none. Throws on I/O errors. */
export async function readCurrentSnapshot(indexDir: string): Promise<string | undefined> {
  return (await readCurrent(indexDir))?.name;
}

/**
 * Reads CURRENT: "<snapshot name> <sha256 of its manifest.json>". The checksum makes the
 * manifest as verifiable as the files it lists. Undefined when there is no CURRENT; throws on
 * I/O errors.
 */
export async function readCurrent(
  indexDir: string,
): Promise<{ name: string; manifestSha256: string | undefined } | undefined> {
  const raw = await readFileIfExists(currentPath(indexDir));
  if (raw === undefined) return undefined;
  const [name, manifestSha256] = raw.toString("utf8").trim().split(/\s+/u);
  return name === undefined || name.length === 0 ? undefined : { name, manifestSha256 };
}

/** The text of CURRENT naming a snapshot and its manifest's checksum. Never throws. */
export function formatCurrent(name: string, manifestSha256: string): string {
  return `${name} ${manifestSha256}\n`;
}

/** One snapshot folder as found on disk. */
export interface SnapshotInfo {
  name: string;
  /** True for the snapshot CURRENT names. */
  live: boolean;
  /** True when the folder holds a manifest, i.e. its run got as far as finishing it. */
  complete: boolean;
  /** From the name; undefined for folders `writeIndex` did not name. */
  createdAtMs: number | undefined;
}

/** Lists the snapshot folders of an index, oldest first. Throws on I/O errors other than a missing folder. */
export async function listSnapshots(indexDir: string): Promise<SnapshotInfo[]> {
  const live = await readCurrentSnapshot(indexDir);
  let names: string[];
  try {
    names = await readdir(snapshotsDir(indexDir));
  } catch (error) {
    if (isErrnoCode(error, "ENOENT")) return [];
    throw error;
  }
  const infos: SnapshotInfo[] = [];
  for (const name of names.sort()) {
    const dir = snapshotDir(indexDir, name);
    // A folder may vanish while we look (a writer collecting it): skip it then.
    const info = await stat(dir).catch((error: unknown) => {
      if (isErrnoCode(error, "ENOENT")) return undefined;
      throw error;
    });
    if (info?.isDirectory() !== true) continue;
    const complete = await stat(join(dir, SNAPSHOT_FILES.manifest)).then(
      () => true,
      () => false,
    );
    infos.push({ name, live: name === live, complete, createdAtMs: snapshotTimeMs(name) });
  }
  return infos;
}
