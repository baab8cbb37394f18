import {
  copyFile,
  mkdir,
  mkdtemp,
  readFile,
  rm,
  truncate,
  utimes,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runIndexJob } from "../../src/indexer.js";
import { openIndex, readManifest } from "../../src/store/embedded.js";
import { ROOT_DIR } from "../../src/config.js";
import { testEmbedder } from "./fixtures.js";

const SAMPLES = join(ROOT_DIR, "data", "editions");

describe("runIndexJob over edition folders", () => {
  let root: string;
  let editions: string;
  let indexDir: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), "news-indexer-"));
    editions = join(root, "editions");
    indexDir = join(root, "index");
    await mkdir(editions);
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  const sample = async (name: string, as: string): Promise<void> =>
    copyFile(join(SAMPLES, name), join(editions, as));

  it("adds a new edition file without re-reading or re-embedding the others", async () => {
    await sample("000_4fbab94a4f508d93.txt", "2026-03-07_嘉兴日报.txt");
    const first = await runIndexJob({
      editionDirs: [editions],
      indexDir,
      embedder: testEmbedder(),
    });
    await sample("001_442c48c22c8f00a5.txt", "2023-03-28_嘉善日报.txt");
    const second = await runIndexJob({
      editionDirs: [editions],
      indexDir,
      embedder: testEmbedder(),
    });

    expect(second.addedEditions).toEqual(["2023-03-28_嘉善日报.txt"]);
    expect(second.reused).toBe(first.chunks);
    expect(second.embedded).toBe(second.chunks - first.chunks);
    const manifest = await readManifest(indexDir);
    expect(
      manifest.editions.every((e) => /^[0-9a-f]{64}$/u.test(e.sourceFile?.bytesHash ?? "")),
    ).toBe(true);
    const index = await openIndex(indexDir, testEmbedder());
    expect(new Set(index.articles().map((a) => a.paper))).toEqual(
      new Set(["嘉兴日报", "嘉善日报"]),
    );
  });

  it("re-reads a file whose bytes are unchanged when its metadata changed", async () => {
    await sample("000_4fbab94a4f508d93.txt", "front.txt");
    const manifestFile = join(editions, "manifest.json");
    const entry = { file: "front.txt", paper: "嘉兴日报", date: "2026-03-06" };
    await writeFile(manifestFile, JSON.stringify({ editions: [entry] }));
    await runIndexJob({ editionDirs: [editions], indexDir, embedder: testEmbedder() });
    await writeFile(manifestFile, JSON.stringify({ editions: [{ ...entry, date: "2026-03-07" }] }));

    const again = await runIndexJob({
      editionDirs: [editions],
      indexDir,
      embedder: testEmbedder(),
    });

    expect(again.changedEditions).toEqual(["front.txt"]);
    const [edition] = (await readManifest(indexDir)).editions;
    expect(edition?.date).toBe("2026-03-07");
  });

  it("keeps a file that was touched but not changed, comparing its bytes", async () => {
    await sample("000_4fbab94a4f508d93.txt", "2026-03-07_嘉兴日报.txt");
    await runIndexJob({ editionDirs: [editions], indexDir, embedder: testEmbedder() });
    const later = new Date(Date.now() + 60_000);
    await utimes(join(editions, "2026-03-07_嘉兴日报.txt"), later, later);

    const again = await runIndexJob({
      editionDirs: [editions],
      indexDir,
      embedder: testEmbedder(),
    });

    expect(again.embedded).toBe(0);
    expect(again.changedEditions).toEqual([]);
    const [edition] = (await readManifest(indexDir)).editions;
    expect(Math.round(edition?.sourceFile?.mtimeMs ?? 0)).toBe(later.getTime());
  });

  it("rebuilds a live index with a truncated file when nothing new is given, and says so", async () => {
    await sample("000_4fbab94a4f508d93.txt", "2026-03-07_嘉兴日报.txt");
    await runIndexJob({ editionDirs: [editions], indexDir, embedder: testEmbedder() });
    const [segment] = (await readManifest(indexDir)).segments;
    const chunks = join(indexDir, "segments", segment?.name ?? "", "chunks.rec");
    await truncate(chunks, 100);
    await expect(openIndex(indexDir, testEmbedder())).rejects.toMatchObject({
      code: "INDEX_CORRUPT",
    });

    const again = await runIndexJob({
      editionDirs: [editions],
      indexDir,
      embedder: testEmbedder(),
    });

    expect(again.notices.map((n) => n.reason).join("\n")).toMatch(
      /chunks\.rec is 100 bytes.*rebuilt from the inputs/u,
    );
    expect(again.embedded).toBe(again.chunks);
    const index = await openIndex(indexDir, testEmbedder());
    for (let i = 0; i < index.chunkCount; i++)
      expect(index.chunkAt(i).text.length).toBeGreaterThan(0);
    index.close();
  });

  it("drops the editions of a deleted file", async () => {
    await sample("000_4fbab94a4f508d93.txt", "2026-03-07_嘉兴日报.txt");
    await sample("001_442c48c22c8f00a5.txt", "2023-03-28_嘉善日报.txt");
    await runIndexJob({ editionDirs: [editions], indexDir, embedder: testEmbedder() });
    await rm(join(editions, "2023-03-28_嘉善日报.txt"));

    const after = await runIndexJob({
      editionDirs: [editions],
      indexDir,
      embedder: testEmbedder(),
    });

    expect(after.removedEditions).toEqual(["2023-03-28_嘉善日报.txt"]);
    expect(after.embedded).toBe(0);
    const index = await openIndex(indexDir, testEmbedder());
    expect(index.articles().every((a) => a.paper === "嘉兴日报")).toBe(true);
    expect(await readFile(join(indexDir, "CURRENT"), "utf8")).toContain(after.snapshot);
  });
});
