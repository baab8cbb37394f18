import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { IndexLockedError, writeIndex } from "../../src/store/index.js";
import { acquireIndexLock } from "../../src/store/lock.js";
import { EDITION_A, EDITION_B, combine, tempIndexDir, testEmbedder } from "./fixtures.js";

describe("index lock", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempIndexDir()));
  afterEach(() => cleanup());

  it("lets only one of two concurrent writers run", async () => {
    const results = await Promise.allSettled([
      writeIndex(EDITION_A, { indexDir: dir, embedder: testEmbedder() }),
      writeIndex(combine(EDITION_A, EDITION_B), { indexDir: dir, embedder: testEmbedder() }),
    ]);

    const failed = results.filter((r) => r.status === "rejected");
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(failed).toHaveLength(1);
    const reason: unknown = failed[0]?.status === "rejected" ? failed[0].reason : undefined;
    expect(reason).toBeInstanceOf(IndexLockedError);
    expect((reason as IndexLockedError).code).toBe("INDEX_LOCKED");
    expect((reason as IndexLockedError).holderPid).toBe(process.pid);
    expect(existsSync(join(dir, "LOCK"))).toBe(false);
  });

  it("refuses to write while a live process holds the lock, and writes once it is released", async () => {
    await mkdir(dir, { recursive: true });
    const lock = await acquireIndexLock(dir);
    await expect(
      writeIndex(EDITION_A, { indexDir: dir, embedder: testEmbedder() }),
    ).rejects.toThrow(IndexLockedError);
    expect(existsSync(join(dir, "CURRENT"))).toBe(false);

    await lock.release();
    await expect(
      writeIndex(EDITION_A, { indexDir: dir, embedder: testEmbedder() }),
    ).resolves.toMatchObject({ chunks: 4 });
  });

  it("takes over a lock left by a dead process", async () => {
    const child = spawnSync(process.execPath, ["-e", ""]);
    expect(child.pid).toBeGreaterThan(0);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "LOCK"), `${child.pid} left-by-a-crash\n`);

    await expect(
      writeIndex(EDITION_A, { indexDir: dir, embedder: testEmbedder() }),
    ).resolves.toMatchObject({ chunks: 4 });
    expect(existsSync(join(dir, "LOCK"))).toBe(false);
  });

  it("does not release a lock that another holder took over", async () => {
    await mkdir(dir, { recursive: true });
    const lock = await acquireIndexLock(dir);
    await writeFile(join(dir, "LOCK"), `${process.pid} someone-else\n`);

    await lock.release();
    expect(await readFile(join(dir, "LOCK"), "utf8")).toBe(`${process.pid} someone-else\n`);
  });
});
