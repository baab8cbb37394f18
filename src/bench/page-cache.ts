/**
 * Dropping a store's files from the operating system's page cache, so that a benchmark can start
 * each system with its store on disk only (a cold start in the strict sense) and compare them
 * like with like. Linux only: `dd iflag=nocache count=0` asks the kernel (posix_fadvise
 * DONTNEED) to drop a file's clean pages, and `sync` first makes every page clean.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

/** What an eviction did: the files and bytes asked to leave the cache, or why it could not. */
export type Eviction = { files: number; bytes: number } | { unsupported: string };

/** The regular files under `p` (itself when it is a file), depth first. Never throws. */
export function filesUnder(p: string): string[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(p);
  } catch {
    return [];
  }
  if (stat.isFile()) return [p];
  if (!stat.isDirectory()) return [];
  return fs
    .readdirSync(p)
    .sort()
    .flatMap((name) => filesUnder(path.join(p, name)));
}

/**
 * Asks the kernel to drop the cached pages of every file under `paths`. Resolves what it did, or
 * `{ unsupported }` (not Linux, or `dd` missing or refusing) so that the caller can report the
 * cold runs as skipped. Never throws.
 */
export function evictFromPageCache(paths: readonly string[]): Eviction {
  if (process.platform !== "linux") return { unsupported: `not on Linux (${process.platform})` };
  const files = paths.flatMap(filesUnder);
  // Dirty pages stay cached until written back: write them all first.
  spawnSync("sync", { stdio: "ignore" });
  let bytes = 0;
  for (const file of files) {
    const dd = spawnSync("dd", [`if=${file}`, "iflag=nocache", "count=0", "status=none"], {
      stdio: ["ignore", "ignore", "pipe"],
      encoding: "utf8",
    });
    if (dd.error !== undefined || dd.status !== 0) {
      const why = dd.error?.message ?? dd.stderr.trim();
      return { unsupported: `dd could not drop ${file} from the page cache (${why})` };
    }
    bytes += fs.statSync(file, { throwIfNoEntry: false })?.size ?? 0;
  }
  return { files: files.length, bytes };
}
