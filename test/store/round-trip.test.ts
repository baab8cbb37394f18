import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { listSnapshots, openIndex, readManifest, writeIndex } from "../../src/store/embedded.js";
import { chunkDocumentText } from "../../src/store/records.js";
import { INDEX_FORMAT_VERSION } from "../../src/store/types.js";
import { tokenize } from "../../src/text/words.js";
import { EDITION_A, EDITION_B, combine, tempIndexDir, testEmbedder } from "./fixtures.js";

describe("writeIndex then openIndex", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempIndexDir()));
  afterEach(() => cleanup());

  it("gives back every article and chunk exactly as written", async () => {
    const input = combine(EDITION_A, EDITION_B);
    await writeIndex(input, { indexDir: dir, embedder: testEmbedder() });
    const index = await openIndex(dir, testEmbedder());

    expect(index.articles()).toEqual(input.articles);
    expect(index.chunkCount).toBe(input.chunks.length);
    input.chunks.forEach((chunk, i) => expect(index.chunkAt(i)).toEqual(chunk));
    const first = input.articles[0]!;
    expect(index.getArticle(first.id)).toEqual(first);
    expect(index.getChunk(`${first.id}#1`)?.text).toBe(first.paragraphs[1]);
    expect(index.chunksOfArticle(first.id).map((c) => c.ordinal)).toEqual([0, 1]);
    expect(index.getArticle("no-such-article")).toBeUndefined();
    expect(() => index.chunkAt(input.chunks.length)).toThrow(RangeError);
  });

  it("records format version, embedder, counts, editions and checksums in the manifest", async () => {
    await writeIndex(combine(EDITION_A, EDITION_B), { indexDir: dir, embedder: testEmbedder() });
    const manifest = await readManifest(dir);

    expect(manifest.formatVersion).toBe(INDEX_FORMAT_VERSION);
    expect(manifest.embedder).toEqual({ id: "hashed-ngram-v1-d64", dimensions: 64 });
    expect(manifest.counts).toEqual({ editions: 2, articles: 4, chunks: 7 });
    expect(manifest.editions.map((e) => [e.editionId, e.articleCount])).toEqual([
      ["2024-03-01", 2],
      ["2024-03-02", 2],
    ]);
    expect(Object.keys(manifest.checksums)).toEqual(["embedder.state"]);
    expect(manifest.segments).toHaveLength(1);
    expect(manifest.segments[0]).toMatchObject({ articles: 4, chunks: 7, deletedEditions: [] });
    expect(manifest.editions.map((e) => e.segment)).toEqual([
      manifest.segments[0]?.name,
      manifest.segments[0]?.name,
    ]);
    const [current] = (await readFile(join(dir, "CURRENT"), "utf8")).trim().split(" ");
    expect((await listSnapshots(dir)).map((s) => [s.name, s.live, s.complete])).toEqual([
      [current, true, true],
    ]);
  });

  it("finds a chunk by a BM25 term, headline terms included", async () => {
    await writeIndex(combine(EDITION_A, EDITION_B), { indexDir: dir, embedder: testEmbedder() });
    const index = await openIndex(dir, testEmbedder());

    const hits = index.searchLexical(tokenize("镜片生产线什么时候投产"), 3);
    expect(index.chunkAt(hits[0]!.chunkIndex).text).toContain("镜片生产线");
    // 樱花 is in the headline of both chunks of its article and in one body.
    expect(index.documentFrequency("樱花")).toBe(2);
    expect(index.documentFrequency("不存在的词")).toBe(0);
    expect(index.searchLexical(["不存在的词"], 5)).toEqual([]);
  });

  it("finds a chunk by its embedding, with a cosine score", async () => {
    const embedder = testEmbedder();
    const input = combine(EDITION_A, EDITION_B);
    await writeIndex(input, { indexDir: dir, embedder });
    const reader = testEmbedder();
    const index = await openIndex(dir, reader);

    const hits = index.searchVector(await reader.embedQuery("东湖公园樱花什么时候开"), 3);
    expect(index.chunkAt(hits[0]!.chunkIndex).headline).toBe("东湖公园樱花盛开");
    expect(hits[0]!.score).toBeGreaterThan(hits[2]!.score);
    // The reader's restored state makes its vectors identical to the indexed ones.
    const target = input.chunks[4]!;
    const [same] = await reader.embedDocuments([chunkDocumentText(target)]);
    const exact = index.searchVector(same!, 1);
    expect(exact[0]!.chunkIndex).toBe(4);
    expect(exact[0]!.score).toBeCloseTo(1, 5);
  });

  it("applies a filter inside lexical and vector search", async () => {
    const reader = testEmbedder();
    await writeIndex(combine(EDITION_A, EDITION_B), { indexDir: dir, embedder: testEmbedder() });
    const index = await openIndex(dir, reader);
    const onlyB = (i: number): boolean => index.chunkAt(i).date === "2024-03-02";

    const vector = index.searchVector(await reader.embedQuery("樱花"), 3, onlyB);
    expect(vector).toHaveLength(3);
    expect(vector.every((h) => onlyB(h.chunkIndex))).toBe(true);
    expect(index.searchLexical(["樱花"], 3, onlyB)).toEqual([]);
  });

  it("builds and opens an index of nothing, which finds nothing", async () => {
    await writeIndex({ articles: [], chunks: [] }, { indexDir: dir, embedder: testEmbedder() });
    const reader = testEmbedder();
    const index = await openIndex(dir, reader);

    expect(index.chunkCount).toBe(0);
    expect(index.searchVector(await reader.embedQuery("樱花"), 5)).toEqual([]);
    expect(index.searchLexical(["樱花"], 5)).toEqual([]);
  });

  it("refuses input whose chunks name an unknown article, before touching the index", async () => {
    const input = combine(EDITION_A);
    const orphan = { ...input.chunks[0]!, id: "x#0", articleId: "x" };
    await expect(
      writeIndex(
        { articles: input.articles, chunks: [...input.chunks, orphan] },
        { indexDir: dir, embedder: testEmbedder() },
      ),
    ).rejects.toThrow(/article x, which is not in the input/);
    await expect(listSnapshots(dir)).resolves.toEqual([]);
  });
});
