import { copyFile, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createConfiguredEmbedder } from "../../src/app.js";
import { ROOT_DIR } from "../../src/config.js";
import { AppError } from "../../src/errors.js";
import { openIndex } from "../../src/store/embedded.js";
import { acquireIndexLock } from "../../src/store/lock.js";
import { runIndexJobInWorker } from "../../src/workers/index-job.js";

describe("runIndexJobInWorker", () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), "news-worker-"));
    await mkdir(join(root, "editions"));
    await copyFile(
      join(ROOT_DIR, "data", "editions", "000_4fbab94a4f508d93.txt"),
      join(root, "editions", "2026-03-07_嘉兴日报.txt"),
    );
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it("builds the index on a worker thread, reporting progress, and the index opens", async () => {
    const progress: number[] = [];
    const result = await runIndexJobInWorker(
      {
        editionDirs: [join(root, "editions")],
        indexDir: join(root, "index"),
        embeddingModel: "hashed-ngram-v1-d64",
        dataDir: join(root, "data"),
      },
      (done) => progress.push(done),
    );
    expect(result.articles).toBeGreaterThan(3);
    expect(progress.at(-1)).toBe(result.embedded);
    const embedder = await createConfiguredEmbedder("hashed-ngram-v1-d64", join(root, "data"));
    const index = await openIndex(join(root, "index"), embedder);
    expect(index.articles()).toHaveLength(result.articles);
    index.close();
  });

  it("rejects with the job's own error, code and Chinese message kept", async () => {
    await mkdir(join(root, "index"));
    // Held here: the worker's own open of the lock file is refused all the same.
    const lock = await acquireIndexLock(join(root, "index"));
    const error: unknown = await runIndexJobInWorker({
      editionDirs: [join(root, "editions")],
      indexDir: join(root, "index"),
      embeddingModel: "hashed-ngram-v1-d64",
      dataDir: join(root, "data"),
    })
      .catch((e: unknown) => e)
      .finally(() => lock.release());
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("INDEX_LOCKED");
    expect((error as AppError).userMessage).toBe("新闻库正在更新,请稍后再试。");
  });
});
