import { createHash } from "node:crypto";
import { closeSync, fstatSync, openSync, read } from "node:fs";
import { open, readFile } from "node:fs/promises";

/** Hex sha256 of some bytes. Never throws. */
export function sha256Hex(data: Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/**
 * Writes a file and fsyncs it before returning, so that a later rename or manifest that refers to
 * it never points at data still sitting in the page cache. Throws on any I/O error.
 */
export async function writeFileDurable(path: string, data: Uint8Array | string): Promise<void> {
  const handle = await open(path, "w");
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Fsyncs a directory so that the names created or renamed in it survive a power loss.
 * Windows cannot open directories for syncing; there the call is a no-op. Throws on other errors.
 */
export async function fsyncDir(path: string): Promise<void> {
  if (process.platform === "win32") return;
  const handle = await open(path, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Reads a file, or returns undefined when it does not exist. Throws on other I/O errors. */
export async function readFileIfExists(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    if (isErrnoCode(error, "ENOENT")) return undefined;
    throw error;
  }
}

/** True when `error` is a Node system error with the given code (ENOENT, EEXIST, ...). */
export function isErrnoCode(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}

/**
 * Reads a whole file in one read unless the OS returns less, asked for before this returns: fs
 * readFile reads 512 KB at a time, each read waiting for this thread to ask for the next, so work
 * this thread does meanwhile would hold the rest of the file back, and a start's reads would be
 * a dozen round trips instead of one (docs/performance.md, item 21). Opens and stats
 * synchronously (microseconds). Throws as fs does, ENOENT included.
 */
export async function readWholeFile(path: string): Promise<Buffer> {
  const fd = openSync(path, "r");
  try {
    const bytes = Buffer.allocUnsafe(fstatSync(fd).size);
    const got = await readInto(fd, bytes);
    return got === bytes.byteLength ? bytes : bytes.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

/**
 * Fills `target` from the start of open file `fd`, in one read unless the OS returns less; the
 * first read is asked for before this returns. Resolves to the bytes read: fewer than asked when
 * the file ends first. Throws on I/O errors.
 */
export async function readInto(fd: number, target: Uint8Array): Promise<number> {
  let done = 0;
  while (done < target.byteLength) {
    const n = await new Promise<number>((resolve, reject) => {
      read(fd, target, done, target.byteLength - done, done, (error, bytesRead) =>
        error ? reject(error) : resolve(bytesRead),
      );
    });
    if (n === 0) break;
    done += n;
  }
  return done;
}
