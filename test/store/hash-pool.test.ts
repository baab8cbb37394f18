import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HashPool } from "../../src/store/hash-pool.js";

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
});
