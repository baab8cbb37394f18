import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readWholeFile } from "../../src/store/durable-fs.js";

describe("readWholeFile", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "lnb-read-whole-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("reads a file of any size whole, empty and multi-megabyte ones included", async () => {
    for (const size of [0, 1, 512 * 1024 + 3, 3 * 1024 * 1024]) {
      const bytes = Buffer.alloc(size);
      for (let i = 0; i < size; i++) bytes[i] = (i * 31 + size) & 0xff;
      const path = join(dir, `f${size}`);
      await writeFile(path, bytes);
      expect((await readWholeFile(path)).equals(bytes), `${size} bytes`).toBe(true);
    }
  });

  it("rejects with ENOENT for a missing file", async () => {
    await expect(readWholeFile(join(dir, "missing"))).rejects.toMatchObject({ code: "ENOENT" });
  });
});
