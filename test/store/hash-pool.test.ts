import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HashPool, verifyFileBlocks } from "../../src/store/hash-pool.js";
import { DEFAULT_BLOCK_BYTES, blockTable } from "../../src/store/verified-source.js";

/** Flips one bit of `bytes[at]`. */
function flip(bytes: Buffer, at: number): void {
  bytes[at] = (bytes[at] ?? 0) ^ 0x01;
}

describe("HashPool", () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), "hash-pool-"))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("gives the sha256 of small files (in-thread) and large ones (on workers)", async () => {
    const small = Buffer.from("平湖日报");
    const large = Buffer.alloc(20 * 1024 * 1024, 7);
    large[12345] = 1;
    await writeFile(join(dir, "small"), small);
    await writeFile(join(dir, "large"), large);
    await writeFile(join(dir, "large2"), large.subarray(1));
    const pool = new HashPool(2);
    try {
      const [a, b, c] = await Promise.all(
        ["small", "large", "large2"].map((f) => pool.hash(join(dir, f))),
      );
      const sha = (data: Buffer): string => createHash("sha256").update(data).digest("hex");
      expect([a, b, c]).toEqual([sha(small), sha(large), sha(large.subarray(1))]);
    } finally {
      await pool.close();
    }
  });

  it("rejects with ENOENT for a missing file", async () => {
    const pool = new HashPool(1);
    try {
      await expect(pool.hash(join(dir, "nope"))).rejects.toMatchObject({ code: "ENOENT" });
    } finally {
      await pool.close();
    }
  });

  it("finds the first damaged block of a large file, checked in ranges on the workers", async () => {
    const bytes = Buffer.alloc(40 * 1024 * 1024, 3);
    for (let i = 0; i < bytes.length; i += 4099) bytes[i] = i & 0xff;
    const table = blockTable(bytes);
    const path = join(dir, "vectors.f32");
    const pool = new HashPool(2);
    try {
      await writeFile(path, bytes);
      expect(await pool.verifyBlocks(path, table)).toBeUndefined();
      // One damaged block in each half: the first is reported, whichever worker finds it.
      flip(bytes, 30 * 1024 * 1024 + 5);
      flip(bytes, 12 * 1024 * 1024 + 70_000);
      await writeFile(path, bytes);
      expect(await pool.verifyBlocks(path, table)).toBe(
        Math.floor((12 * 1024 * 1024 + 70_000) / DEFAULT_BLOCK_BYTES),
      );
      // A file that ends early is damaged where it ends.
      await writeFile(path, bytes.subarray(0, 11 * 1024 * 1024 + 10));
      expect(await pool.verifyBlocks(path, table)).toBe((11 * 1024 * 1024) / DEFAULT_BLOCK_BYTES);
    } finally {
      await pool.close();
    }
  });

  it("checks a small file's blocks on this thread, a short file damaged where it ends", async () => {
    const bytes = Buffer.from("东湖公园的樱花进入盛花期,吸引大量游客前来赏花拍照。".repeat(40));
    const table = blockTable(bytes, 256);
    const path = join(dir, "chunks.rec");
    await writeFile(path, bytes);
    expect(await verifyFileBlocks(path, table, 0, table.sums.length)).toBeUndefined();
    await writeFile(path, bytes.subarray(0, 1000));
    expect(await verifyFileBlocks(path, table, 0, table.sums.length)).toBe(3);
    const damaged = Buffer.from(bytes);
    flip(damaged, 600);
    await writeFile(path, damaged);
    expect(await verifyFileBlocks(path, table, 0, table.sums.length)).toBe(2);
    expect(await verifyFileBlocks(path, table, 3, table.sums.length)).toBeUndefined();
    const pool = new HashPool(1);
    try {
      expect(await pool.verifyBlocks(path, table)).toBe(2);
    } finally {
      await pool.close();
    }
  });
});
