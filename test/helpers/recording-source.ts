import type { ByteRange, ByteSource } from "../../src/store/byte-source.js";

/** `plain`, with every prefetch it is asked for recorded in `calls` (one entry per call). */
export function recordingPrefetch(plain: ByteSource): {
  source: ByteSource;
  calls: ByteRange[][];
} {
  const calls: ByteRange[][] = [];
  const source: ByteSource = {
    byteLength: plain.byteLength,
    read: (offset, length) => plain.read(offset, length),
    close: () => plain.close(),
    prefetch: (ranges) => {
      calls.push([...ranges]);
      return plain.prefetch?.(ranges) ?? Promise.resolve();
    },
  };
  return { source, calls };
}
