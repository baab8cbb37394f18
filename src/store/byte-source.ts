import { closeSync, fstatSync, openSync, readSync } from "node:fs";

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
}

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
