import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, rm, truncate, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { IndexError } from "../../src/errors.js";
import { listSnapshots, openIndex, writeIndex } from "../../src/store/embedded.js";
import { acquireIndexLock } from "../../src/store/lock.js";
import { tokenize } from "../../src/text/words.js";
import {
  EDITION_A,
  EDITION_B,
  combine,
  recording,
  tempIndexDir,
  testEmbedder,
} from "./fixtures.js";

/** The folder of the snapshot CURRENT names. */
async function liveDir(indexDir: string): Promise<string> {
  const [name = ""] = (await readFile(join(indexDir, "CURRENT"), "utf8")).trim().split(" ");
  return join(indexDir, "snapshots", name);
}

/** A file of the live snapshot's first segment. */
async function segmentFile(indexDir: string, file: string): Promise<string> {
  const manifest = JSON.parse(
    await readFile(join(await liveDir(indexDir), "manifest.json"), "utf8"),
  ) as { segments: { name: string }[] };
  const segment = manifest.segments[0];
  if (segment === undefined) throw new Error("the live snapshot has no segment");
  return join(indexDir, "segments", segment.name, file);
}

/** Awaits a promise that must reject with an IndexError, and returns that error. */
async function indexError(promise: Promise<unknown>): Promise<IndexError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(IndexError);
  return error as IndexError;
}

describe("index integrity", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempIndexDir()));
  afterEach(() => cleanup());

  it("reports a missing index with the command that builds one", async () => {
    const error = await indexError(openIndex(dir, testEmbedder()));
    expect(error.code).toBe("INDEX_MISSING");
    expect(error.message).toContain("run `npm run index`");
  });

  it("detects a flipped byte in the vector codes at open", async () => {
    await writeIndex(EDITION_A, { indexDir: dir, embedder: testEmbedder() });
    const file = await segmentFile(dir, "vectors.codes");
    const bytes = await readFile(file);
    bytes[17] = (bytes[17] ?? 0) ^ 0x01;
    await writeFile(file, bytes);

    const error = await indexError(openIndex(dir, testEmbedder()));
    expect(error.code).toBe("INDEX_CORRUPT");
    expect(error.message).toContain("vectors.codes does not match its checksum");
    expect(error.message).toContain("npm run index -- --full");
  });

  it("names a catalog or vector codes file that is missing or cut short at open", async () => {
    await writeIndex(EDITION_A, { indexDir: dir, embedder: testEmbedder() });
    for (const name of ["catalog.json", "vectors.codes"]) {
      const file = await segmentFile(dir, name);
      const pristine = await readFile(file);
      await rm(file);
      const missing = await indexError(openIndex(dir, testEmbedder()));
      expect(missing.code).toBe("INDEX_CORRUPT");
      expect(missing.message).toContain(`${name} is missing`);
      await writeFile(file, pristine.subarray(0, pristine.length - 3));
      const short = await indexError(openIndex(dir, testEmbedder()));
      expect(short.code).toBe("INDEX_CORRUPT");
      expect(short.message).toContain(name);
      await writeFile(file, pristine);
    }
    (await openIndex(dir, testEmbedder())).close();
  });

  it("detects a truncated lexical.bin at open", async () => {
    await writeIndex(EDITION_A, { indexDir: dir, embedder: testEmbedder() });
    const file = await segmentFile(dir, "lexical.bin");
    await truncate(file, (await readFile(file)).length - 8);

    const error = await indexError(openIndex(dir, testEmbedder()));
    expect(error.code).toBe("INDEX_CORRUPT");
    expect(error.message).toContain("lexical.bin");
  });

  it("rebuilds from scratch when the live manifest is damaged, and the result opens", async () => {
    await writeIndex(EDITION_A, { indexDir: dir, embedder: testEmbedder() });
    await truncate(join(await liveDir(dir), "manifest.json"), 10);

    const summary = await writeIndex(EDITION_A, { indexDir: dir, embedder: testEmbedder() });
    expect(summary.embedded).toBe(4);
    expect(summary.fullRebuildReason).toMatch(/cannot be read: .*manifest\.json/);
    await expect(openIndex(dir, testEmbedder())).resolves.toBeDefined();
  });

  it("repairs a damaged segment with --full, which rebuilds every segment", async () => {
    await writeIndex(EDITION_A, { indexDir: dir, embedder: testEmbedder() });
    await truncate(await segmentFile(dir, "chunks.rec"), 10);
    expect((await indexError(openIndex(dir, testEmbedder()))).message).toContain("chunks.rec");

    const summary = await writeIndex(EDITION_A, {
      indexDir: dir,
      embedder: testEmbedder(),
      full: true,
    });
    expect(summary.embedded).toBe(4);
    const index = await openIndex(dir, testEmbedder());
    expect(index.searchLexical(tokenize("樱花"), 1)).toHaveLength(1);
  });

  it("refuses an index built by another embedder, naming both and the fix", async () => {
    await writeIndex(EDITION_A, { indexDir: dir, embedder: testEmbedder(64) });

    const error = await indexError(openIndex(dir, testEmbedder(32)));
    expect(error.code).toBe("INDEX_EMBEDDER");
    expect(error.message).toBe(
      "This index was built with hashed-ngram-v1-d64 (64 dims) but hashed-ngram-v1-d32 is " +
        "configured. Rebuild it with `npm run index -- --full`, or set " +
        "EMBEDDING_MODEL=hashed-ngram-v1-d64 to use it.",
    );
  });

  it("refuses an index of another format version", async () => {
    await writeIndex(EDITION_A, { indexDir: dir, embedder: testEmbedder() });
    const file = join(await liveDir(dir), "manifest.json");
    const manifest = JSON.parse(await readFile(file, "utf8")) as Record<string, unknown>;
    // As a future version would write it: CURRENT names the manifest and its checksum.
    const bytes = Buffer.from(JSON.stringify({ ...manifest, formatVersion: 99 }));
    await writeFile(file, bytes);
    const [name] = (await readFile(join(dir, "CURRENT"), "utf8")).split(" ");
    const sha = createHash("sha256").update(bytes).digest("hex");
    await writeFile(join(dir, "CURRENT"), `${name} ${sha}\n`);

    const error = await indexError(openIndex(dir, testEmbedder()));
    expect(error.code).toBe("INDEX_VERSION");
    expect(error.message).toContain("format version 99");
    expect(error.message).toContain("npm run index -- --full");
  });

  it("leaves the previous index live and no partial snapshot when embedding fails", async () => {
    await writeIndex(EDITION_A, { indexDir: dir, embedder: testEmbedder() });
    const current = await readFile(join(dir, "CURRENT"), "utf8");
    const before = await listSnapshots(dir);

    const failing = recording(testEmbedder(), 2);
    await expect(
      writeIndex(combine(EDITION_A, EDITION_B), { indexDir: dir, embedder: failing, batchSize: 1 }),
    ).rejects.toThrow("embedder failed on batch 2");

    expect(await readFile(join(dir, "CURRENT"), "utf8")).toBe(current);
    expect(await listSnapshots(dir)).toEqual(before);
    // The failed run's lock went with it.
    await (await acquireIndexLock(dir)).release();
    const index = await openIndex(dir, testEmbedder());
    expect(index.chunkCount).toBe(4);
    expect(index.searchLexical(tokenize("樱花"), 1)).toHaveLength(1);
  });

  it("deletes the half-written snapshot of a crashed run on the next run", async () => {
    await writeIndex(EDITION_A, { indexDir: dir, embedder: testEmbedder() });
    const crashed = join(dir, "snapshots", "20000101T000000000Z-4242");
    await mkdir(crashed);
    await writeFile(join(crashed, "articles.jsonl"), "{");
    const foreign = join(dir, "snapshots", "keep-me");
    await mkdir(foreign);

    const summary = await writeIndex(EDITION_A, { indexDir: dir, embedder: testEmbedder() });

    expect(existsSync(crashed)).toBe(false);
    expect(existsSync(foreign)).toBe(true);
    const live = (await listSnapshots(dir)).filter((s) => s.live);
    expect(live.map((s) => s.name)).toEqual([summary.snapshot]);
  });
});
