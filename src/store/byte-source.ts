import { closeSync, fstatSync, openSync, read as readAsync, readSync } from "node:fs";

/**
 * Random access to the bytes of one index file: either bytes already in memory, or a file read on
 * demand, so that large sections (postings, chunk texts) never have to be loaded whole.
 */
export interface ByteSource {
  readonly byteLength: number;
  /** `length` bytes from `offset`. Throws a RangeError past the end, or on I/O errors. */
  read(offset: number, length: number): Uint8Array;
  /** Releases the file; later reads throw. Idempotent. */
  close(): void;
  /**
   * Reads `ranges` (offset, length) ahead into the operating system's page cache, several at once
   * off this thread, so that the reads that follow find them there rather than waiting on the disk
   * one by one. A hint: resolves when done, never rejects. Absent where the bytes are in memory.
   */
  prefetch?(ranges: readonly ByteRange[]): Promise<void>;
}

/** `length` bytes from `offset`. */
export type ByteRange = readonly [offset: number, length: number];

/** A ByteSource over bytes in memory. Never throws. */
export function memorySource(bytes: Uint8Array): ByteSource {
  return {
    byteLength: bytes.byteLength,
    read(offset, length) {
      checkRange(offset, length, bytes.byteLength);
      return bytes.subarray(offset, offset + length);
    },
    close() {},
  };
}

/**
 * A ByteSource that reads a file with positioned reads. The descriptor stays open until `close`:
 * a writer may delete the file meanwhile (Unix keeps the data until the last descriptor closes).
 * Throws on I/O errors opening the file.
 */
export function fileSource(path: string): ByteSource {
  let fd: number | undefined = openSync(path, "r");
  const byteLength = fstatSync(fd).size;
  const source: ByteSource = {
    byteLength,
    read(offset, length) {
      checkRange(offset, length, byteLength);
      if (fd === undefined) throw new Error(`${path} was closed`);
      const out = Buffer.allocUnsafe(length);
      let done = 0;
      while (done < length) {
        const n = readSync(fd, out, done, length - done, offset + done);
        if (n === 0) throw new RangeError(`${path} ended at ${offset + done} of ${byteLength}`);
        done += n;
      }
      return out;
    },
    prefetch(ranges) {
      const merged = mergeRanges(ranges, byteLength);
      if (fd === undefined || merged.length === 0) return Promise.resolve();
      const held = fd;
      // The bytes are thrown away: every read may share one scratch buffer.
      const scratch = Buffer.allocUnsafe(Math.max(...merged.map(([, length]) => length)));
      return Promise.all(
        merged.map(
          ([offset, length]) =>
            new Promise<void>((resolve) => {
              // An error (the file closed meanwhile) only means nothing was read ahead.
              readAsync(held, scratch, 0, length, offset, () => resolve());
            }),
        ),
      ).then(() => undefined);
    },
    close() {
      if (fd !== undefined) {
        descriptors.unregister(source);
        closeSync(fd);
      }
      fd = undefined;
    },
  };
  // A snapshot nobody closes explicitly (an engine reload drops the old one) still frees its fd.
  descriptors.register(source, fd, source);
  return source;
}

const descriptors = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch {
    // Nothing to do: the process is tearing the descriptor down anyway.
  }
});

function checkRange(offset: number, length: number, size: number): void {
  if (offset < 0 || length < 0 || offset + length > size) {
    throw new RangeError(`read of ${length} bytes at ${offset} is outside 0..${size}`);
  }
}

/**
 * `ranges` clipped to 0..size, sorted, and merged where they overlap or touch: the reads a
 * prefetch makes. Never throws.
 */
export function mergeRanges(ranges: readonly ByteRange[], size: number): ByteRange[] {
  const clipped = ranges
    .map(([offset, length]): [number, number] => {
      const start = Math.max(0, Math.min(offset, size));
      return [start, Math.max(0, Math.min(offset + length, size)) - start];
    })
    .filter(([, length]) => length > 0)
    .sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [offset, length] of clipped) {
    const last = merged[merged.length - 1];
    if (last !== undefined && offset <= last[0] + last[1]) {
      last[1] = Math.max(last[1], offset + length - last[0]);
    } else merged.push([offset, length]);
  }
  return merged;
}
