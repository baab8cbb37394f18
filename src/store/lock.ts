import { randomUUID } from "node:crypto";
import { link, open, readFile, rename, stat, unlink } from "node:fs/promises";
import { isErrnoCode } from "./durable-fs.js";
import { IndexLockedError } from "./index-locked-error.js";
import { lockPath } from "./layout.js";

/**
 * A lock file whose content cannot be parsed is only treated as stale after this long: a live
 * writer creates the file and writes its pid a moment later.
 */
const UNREADABLE_LOCK_STALE_MS = 60_000;

/** A held `index/LOCK`. */
export interface IndexLock {
  /** Removes the lock if it is still ours. Never throws for a lock that is already gone. */
  release(): Promise<void>;
}

interface LockHolder {
  pid: number | undefined;
  token: string | undefined;
  ageMs: number;
}

/**
 * Takes `index/LOCK` (created with O_EXCL, holding "<pid> <token>"), taking over a lock left by a
 * dead process. Throws IndexLockedError when a live process holds it; throws on I/O errors.
 */
export async function acquireIndexLock(indexDir: string): Promise<IndexLock> {
  const file = lockPath(indexDir);
  const token = randomUUID();
  let lastHolder: number | undefined;
  for (let attempt = 0; attempt < 4; attempt++) {
    try {
      const handle = await open(file, "wx");
      try {
        await handle.writeFile(`${process.pid} ${token}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
      return { release: () => releaseIndexLock(file, token) };
    } catch (error) {
      if (!isErrnoCode(error, "EEXIST")) throw error;
    }
    const holder = await readLockHolder(file);
    if (holder === undefined) continue; // released between our two calls
    lastHolder = holder.pid;
    if (!isStale(holder)) throw new IndexLockedError(file, holder.pid);
    await removeStaleLock(file, holder);
  }
  throw new IndexLockedError(file, lastHolder);
}

async function readLockHolder(file: string): Promise<LockHolder | undefined> {
  try {
    const [content, info] = await Promise.all([readFile(file, "utf8"), stat(file)]);
    const [pidText, token] = content.trim().split(/\s+/u);
    const pid = Number(pidText);
    return {
      pid: Number.isSafeInteger(pid) && pid > 0 ? pid : undefined,
      token,
      ageMs: Date.now() - info.mtimeMs,
    };
  } catch (error) {
    if (isErrnoCode(error, "ENOENT")) return undefined;
    throw error;
  }
}

function isStale(holder: LockHolder): boolean {
  if (holder.pid === undefined) return holder.ageMs > UNREADABLE_LOCK_STALE_MS;
  return !isProcessAlive(holder.pid);
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return isErrnoCode(error, "EPERM");
  }
}

/**
 * Moves the stale lock aside before deleting it. Rename is atomic, so of two processes taking
 * over the same stale lock only one moves it; if what we moved turns out to be a fresh lock
 * that a rival created meanwhile, it is put back.
 */
async function removeStaleLock(file: string, stale: LockHolder): Promise<void> {
  const aside = `${file}.stale-${process.pid}-${randomUUID()}`;
  try {
    await rename(file, aside);
  } catch (error) {
    if (isErrnoCode(error, "ENOENT")) return;
    throw error;
  }
  const moved = await readLockHolder(aside);
  if (moved !== undefined && (moved.pid !== stale.pid || moved.token !== stale.token)) {
    try {
      await link(aside, file);
    } catch (error) {
      if (!isErrnoCode(error, "EEXIST")) throw error;
    }
    await unlink(aside);
    throw new IndexLockedError(file, moved.pid);
  }
  await unlink(aside).catch((error: unknown) => {
    if (!isErrnoCode(error, "ENOENT")) throw error;
  });
}

async function releaseIndexLock(file: string, token: string): Promise<void> {
  const holder = await readLockHolder(file);
  if (holder?.token !== token) return;
  await unlink(file).catch((error: unknown) => {
    if (!isErrnoCode(error, "ENOENT")) throw error;
  });
}
