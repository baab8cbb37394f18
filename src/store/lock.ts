import { open } from "node:fs/promises";
import { hostname } from "node:os";
import { tryLock, unlock } from "fs-native-extensions";
import { IndexLockedError } from "./index-locked-error.js";
import { lockPath } from "./layout.js";

/** A held `index/LOCK`. */
export interface IndexLock {
  /** Releases the lock. Never throws. */
  release(): Promise<void>;
}

/**
 * Takes `index/LOCK`: an exclusive lock that the operating system holds on the open file
 * (fs-native-extensions: an open-file-description lock on Linux, which NFS shares across hosts;
 * flock on macOS) and releases when the holder closes it or dies, however it dies. No pid is
 * trusted: a container restarted after a kill gets the same pid as the killed run, and a pid says
 * nothing on another host. The file stays; while held it names its holder (pid, host, start
 * time), for the message another run gets. Throws IndexLockedError when another run holds it;
 * throws on I/O errors opening it.
 */
export async function acquireIndexLock(indexDir: string): Promise<IndexLock> {
  const file = lockPath(indexDir);
  const handle = await open(file, "a+");
  let granted = false;
  try {
    granted = tryLock(handle.fd);
  } finally {
    if (!granted) await handle.close().catch(() => undefined);
  }
  if (!granted) {
    const holder = await readHolder(file);
    throw new IndexLockedError(file, holder);
  }
  try {
    // Who holds it, for others' messages. A full disk may refuse this: the lock holds all the
    // same, and the others' message then says that the holder could not name itself.
    await handle.truncate(0);
    await handle.write(
      `process ${process.pid} on host ${hostname()}, since ${new Date().toISOString()}\n`,
      0,
    );
  } catch {
    // See above.
  }
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      try {
        await handle.truncate(0);
      } catch {
        // The next holder overwrites it.
      }
      try {
        unlock(handle.fd);
      } finally {
        await handle.close().catch(() => undefined);
      }
    },
  };
}

/** What the lock file says about its holder. Never throws. */
async function readHolder(file: string): Promise<string> {
  try {
    const handle = await open(file, "r");
    try {
      const text = (await handle.readFile("utf8")).trim();
      return text === "" ? "another index run (which could not record who it is)" : text;
    } finally {
      await handle.close();
    }
  } catch {
    return "another index run";
  }
}
