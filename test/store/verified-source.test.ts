import { randomBytes } from "node:crypto";
import { mkdtemp, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import zlib from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { crc32Portable } from "../../src/crc32.js";
import { IndexError } from "../../src/errors.js";
import { fileSource } from "../../src/store/byte-source.js";
import { recordingPrefetch } from "../helpers/recording-source.js";
import {
  BlockTableBuilder,
  VerifiedSource,
  blockTable,
  loadBlockTable,
  storeBlockTable,
} from "../../src/store/verified-source.js";

/** Calls `f`, which must throw an IndexError, and returns it. */
function indexError(f: () => unknown): IndexError {
  let thrown: unknown;
  try {
    f();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(IndexError);
  return thrown as IndexError;
}

describe("block checksums", () => {
  it("computes zlib's CRC-32 in plain JavaScript too, whole and continued", () => {
    for (const size of [0, 1, 7, 1000, 65_537]) {
      const bytes = randomBytes(size);
      expect(crc32Portable(bytes)).toBe(zlib.crc32(bytes));
      const cut = Math.floor(size / 3);
      expect(crc32Portable(bytes.subarray(cut), crc32Portable(bytes.subarray(0, cut)))).toBe(
        zlib.crc32(bytes),
      );
    }
  });

  it("gives the same table from bytes in memory and from bytes fed in uneven pieces", () => {
    const bytes = randomBytes(10_000);
    const whole = blockTable(bytes, 1024);
    expect(whole.sums).toHaveLength(10);
    const builder = new BlockTableBuilder(1024);
    for (let at = 0; at < bytes.length; at += 333) builder.update(bytes.subarray(at, at + 333));
    expect(builder.finish()).toEqual(whole);
    expect(whole.sums[9]).toBe(zlib.crc32(bytes.subarray(9216)));
  });

  it("stores a table as JSON and loads it back", () => {
    const table = blockTable(randomBytes(5000), 512);
    const stored = JSON.parse(JSON.stringify(storeBlockTable(table))) as unknown;
    expect(loadBlockTable(stored)).toEqual(table);
  });

  it("refuses a stored table whose checksums do not cover its size, and skips other algorithms", () => {
    const stored = storeBlockTable(blockTable(randomBytes(5000), 512));
    expect(() => loadBlockTable({ ...stored, size: 6000 })).toThrow(/10 checksums for 12 blocks/);
    expect(() => loadBlockTable({ ...stored, blockBytes: 0 })).toThrow(/blockBytes/);
    expect(loadBlockTable({ ...stored, algorithm: "xxh64" })).toBeUndefined();
  });
});

describe("VerifiedSource", () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), "verified-source-"))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  /** A file of 10 blocks of 100 bytes (the last one 50) and its table, damaged as asked. */
  async function file(
    damageAt?: number,
  ): Promise<{ path: string; bytes: Buffer; source: VerifiedSource }> {
    const bytes = randomBytes(950);
    const table = blockTable(bytes, 100);
    const onDisk = Buffer.from(bytes);
    if (damageAt !== undefined) onDisk[damageAt] = (onDisk[damageAt] ?? 0) ^ 0x10;
    const path = join(dir, "chunks.rec");
    await writeFile(path, onDisk);
    return { path, bytes, source: new VerifiedSource(fileSource(path), table, path) };
  }

  it("returns the bytes asked for, across blocks and up to the short last block", async () => {
    const { bytes, source } = await file();
    try {
      expect(Buffer.from(source.read(0, 950))).toEqual(bytes);
      expect(Buffer.from(source.read(95, 10))).toEqual(bytes.subarray(95, 105));
      expect(Buffer.from(source.read(940, 10))).toEqual(bytes.subarray(940));
      expect(source.read(300, 0)).toHaveLength(0);
      expect(() => source.read(945, 10)).toThrow(RangeError);
    } finally {
      source.close();
    }
  });

  it("checks only the blocks a read touches, each once", async () => {
    const { source } = await file();
    try {
      expect(source.verifiedBlocks).toBe(0);
      source.read(150, 100); // blocks 1 and 2
      expect(source.verifiedBlocks).toBe(2);
      source.read(180, 5);
      source.read(250, 60); // block 2 again, and 3
      expect(source.verifiedBlocks).toBe(3);
    } finally {
      source.close();
    }
  });

  it("refuses a read touching a damaged block, naming the file, the block and the fix", async () => {
    const { path, bytes, source } = await file(432);
    try {
      // Blocks before and after the damaged one are served.
      expect(Buffer.from(source.read(0, 400))).toEqual(bytes.subarray(0, 400));
      expect(Buffer.from(source.read(500, 450))).toEqual(bytes.subarray(500));
      const error = indexError(() => source.read(390, 20));
      expect(error.code).toBe("INDEX_CORRUPT");
      expect(error.message).toContain(`${path} does not match its checksum in block 4`);
      expect(error.message).toContain("npm run index -- --full");
      // The damaged byte is refused however it is reached, and every time.
      expect(indexError(() => source.read(432, 1)).code).toBe("INDEX_CORRUPT");
      expect(indexError(() => source.read(0, 950)).code).toBe("INDEX_CORRUPT");
    } finally {
      source.close();
    }
  });

  it("reads ahead only the unchecked blocks of a range, and still refuses damage when read", async () => {
    const { path, bytes } = await file(432);
    const plain = fileSource(path);
    const { source: inner, calls: asked } = recordingPrefetch(plain);
    const source = new VerifiedSource(inner, blockTable(bytes, 100), path);
    try {
      source.read(150, 100); // blocks 1 and 2 checked
      await source.prefetch([
        [120, 200], // blocks 1-3: only 3 is unchecked
        [400, 50], // block 4, the damaged one
        [900, 100], // the short last block
      ]);
      expect(asked).toEqual([
        [
          [300, 100],
          [400, 100],
          [900, 100],
        ],
      ]);
      // Reading ahead checks nothing: the damaged block is refused when it is read.
      expect(source.verifiedBlocks).toBe(2);
      expect(indexError(() => source.read(390, 20)).code).toBe("INDEX_CORRUPT");
      expect(Buffer.from(source.read(900, 50))).toEqual(bytes.subarray(900));
    } finally {
      source.close();
    }
  });

  it("refuses a truncated or emptied file when it is opened", async () => {
    const bytes = randomBytes(950);
    const table = blockTable(bytes, 100);
    const path = join(dir, "lexical.bin");
    await writeFile(path, bytes);
    for (const size of [900, 0]) {
      await truncate(path, size);
      const inner = fileSource(path);
      const error = indexError(() => new VerifiedSource(inner, table, path));
      inner.close();
      expect(error.code).toBe("INDEX_CORRUPT");
      expect(error.message).toContain(`${path} is ${size} bytes, its checksum table says 950`);
    }
  });
});
