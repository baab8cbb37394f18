import { spawnSync } from "node:child_process";
import { mkdtemp, rm, stat, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { openIndex, writeIndex } from "../../src/store/embedded.js";
import { prewarmFiles } from "../../src/store/prewarm.js";
import { REPO_DIR } from "../helpers/paths.js";
import { EDITION_A, EDITION_B, combine, tempIndexDir, testEmbedder } from "./fixtures.js";

describe("prewarmFiles", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "lnb-prewarm-"));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("reads every file to the end and skips one that is missing", async () => {
    await writeFile(join(dir, "a"), Buffer.alloc(3 * 1024 * 1024 + 17, 1));
    await writeFile(join(dir, "b"), "平湖");
    const warm = prewarmFiles([join(dir, "a"), join(dir, "missing"), join(dir, "b")]);
    expect(await warm.done).toBe(3 * 1024 * 1024 + 17 + Buffer.byteLength("平湖"));
  });

  it("reads nothing while held, and everything once the holds are released", async () => {
    await writeFile(join(dir, "a"), Buffer.alloc(3 * 1024 * 1024 + 17, 1));
    const warm = prewarmFiles([join(dir, "a")]);
    const first = warm.hold();
    const second = warm.hold();
    let finished = false;
    void warm.done.then(() => (finished = true));
    await vi.waitUntil(() => warm.waiting, { timeout: 10_000, interval: 5 });
    first();
    // Releasing the same hold twice counts once: the second hold still holds.
    first();
    await expect(
      vi.waitUntil(() => !warm.waiting || finished, { timeout: 300, interval: 5 }),
    ).rejects.toThrow();
    second();
    expect(await warm.done).toBe(3 * 1024 * 1024 + 17);
    expect(warm.waiting).toBe(false);
  });

  it("stops while held", async () => {
    await writeFile(join(dir, "a"), Buffer.alloc(1024, 1));
    const warm = prewarmFiles([join(dir, "a")]);
    warm.hold();
    await vi.waitUntil(() => warm.waiting, { timeout: 10_000, interval: 5 });
    warm.stop();
    expect(await warm.done).toBe(0);
  });

  it("never keeps the process alive while it reads", async () => {
    // A sparse 2 GiB file takes a while to read, and costs no disk.
    const big = join(dir, "big");
    await writeFile(big, "");
    await truncate(big, 2 ** 31);
    const script = join(dir, "child.mts");
    await writeFile(
      script,
      `import { prewarmFiles } from ${JSON.stringify(join(REPO_DIR, "src/store/prewarm.ts"))};
prewarmFiles([${JSON.stringify(big)}]).done.then((bytes) => console.log("finished", bytes));
console.log("started");
`,
    );
    const child = spawnSync(process.execPath, ["--import", "tsx", script], {
      cwd: REPO_DIR,
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(child.error).toBeUndefined();
    expect(child.status).toBe(0);
    expect(child.stdout).toContain("started");
    // The process ended while the worker was still reading.
    expect(child.stdout).not.toContain("finished");
  });
});

describe("SnapshotIndex.prewarm", () => {
  let indexDir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir: indexDir, cleanup } = await tempIndexDir()));
  afterEach(() => cleanup());

  it("reads the record files, postings and vector rows of every segment, not the codes", async () => {
    await writeIndex(combine(EDITION_A, EDITION_B), { indexDir, embedder: testEmbedder() });
    const index = await openIndex(indexDir, testEmbedder());
    try {
      const [segment = ""] = index.manifest.segments.map((s) => s.name);
      let expected = 0;
      const files = [
        "chunks.rec",
        "terms.rec",
        "lexical.bin",
        "vectors.f32",
        "articles.rec",
        "bodies.rec",
      ];
      for (const file of files) {
        expected += (await stat(join(indexDir, "segments", segment, file))).size;
      }
      expect(await index.prewarm().done).toBe(expected);
    } finally {
      index.close();
    }
  });

  it("reads ahead while the warm-up runs, with the answers of plain reads", async () => {
    await writeIndex(combine(EDITION_A, EDITION_B), { indexDir, embedder: testEmbedder() });
    const index = await openIndex(indexDir, testEmbedder());
    const plain = await openIndex(indexDir, testEmbedder());
    try {
      const query = await testEmbedder().embedQuery("百康光学投资扩建镜片生产线");
      const expected = plain.searchVector(query, 5);
      const chunks = Array.from({ length: plain.docCount }, (_, i) => plain.chunkAt(i));
      // Held, the warm-up cannot finish: the index reads ahead.
      const warming = index.prewarm();
      const release = index.holdWarming();
      await vi.waitUntil(() => warming.waiting, { timeout: 10_000, interval: 5 });
      expect(await index.searchVectorReadingAhead(query, 5)).toEqual(expected);
      const all = chunks.map((_, i) => i);
      await expect(index.prefetchChunks([...all, -1, 1e9])).resolves.toBeUndefined();
      expect(all.map((i) => index.chunkAt(i))).toEqual(chunks);
      release();
      await warming.done;
      // Warm, it searches as searchVector does.
      expect(await index.searchVectorReadingAhead(query, 5)).toEqual(expected);
    } finally {
      index.close();
      plain.close();
    }
  });
});
