import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { IndexLockedError, writeIndex } from "../../src/store/embedded.js";
import { acquireIndexLock } from "../../src/store/lock.js";
import { REPO_DIR } from "../helpers/paths.js";
import { EDITION_A, EDITION_B, combine, tempIndexDir, testEmbedder } from "./fixtures.js";

/** Another process that takes the index lock through the store's code and then waits. */
async function holdLockInChild(indexDir: string): Promise<ChildProcess> {
  const source = `
    const { acquireIndexLock } = await import(${JSON.stringify(join(REPO_DIR, "src/store/lock.ts"))});
    await acquireIndexLock(${JSON.stringify(indexDir)});
    process.stdout.write("locked\\n");
    setInterval(() => {}, 1000);
  `;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", source], {
    cwd: REPO_DIR,
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on("data", (data: Buffer) => {
      if (data.toString().includes("locked")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`the lock holder exited with ${code}`)));
  });
  return child;
}

describe("index lock", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempIndexDir()));
  afterEach(() => cleanup());

  it("lets only one of two concurrent writers run, and the other is told who holds it", async () => {
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
    expect((reason as IndexLockedError).message).toContain(
      `process ${process.pid} on host ${hostname()}`,
    );
    // Released with its holder: the next run writes.
    await expect(
      writeIndex(EDITION_B, { indexDir: dir, embedder: testEmbedder() }),
    ).resolves.toMatchObject({ editions: 1 });
  });

  it("refuses to write while another process holds the lock, naming it, and writes once it is killed", async () => {
    await mkdir(dir, { recursive: true });
    const holder = await holdLockInChild(dir);
    try {
      const refused = writeIndex(EDITION_A, { indexDir: dir, embedder: testEmbedder() });
      await expect(refused).rejects.toThrow(IndexLockedError);
      await expect(refused).rejects.toThrow(`process ${holder.pid} on host ${hostname()}`);
    } finally {
      holder.kill("SIGKILL");
      await once(holder, "exit");
    }
    // The operating system released the killed holder's lock; its words stay in the file.
    expect(await readFile(join(dir, "LOCK"), "utf8")).toContain(`process ${holder.pid}`);
    await expect(
      writeIndex(EDITION_A, { indexDir: dir, embedder: testEmbedder() }),
    ).resolves.toMatchObject({ chunks: 4 });
  });

  it("takes a lock whose file names this very process, as after a container restart", async () => {
    await mkdir(dir, { recursive: true });
    await writeFile(
      join(dir, "LOCK"),
      `process ${process.pid} on host ${hostname()}, since then\n`,
    );
    await expect(
      writeIndex(EDITION_A, { indexDir: dir, embedder: testEmbedder() }),
    ).resolves.toMatchObject({ chunks: 4 });
  });

  it("takes a lock whose file is empty, as a full disk leaves it, without waiting", async () => {
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "LOCK"), "");
    await expect(
      writeIndex(EDITION_A, { indexDir: dir, embedder: testEmbedder() }),
    ).resolves.toMatchObject({ chunks: 4 });
  });

  it("refuses a second holder in the same process until the first releases", async () => {
    await mkdir(dir, { recursive: true });
    const lock = await acquireIndexLock(dir);
    await expect(acquireIndexLock(dir)).rejects.toThrow(IndexLockedError);
    await lock.release();
    await lock.release();
    const again = await acquireIndexLock(dir);
    await again.release();
  });
});
