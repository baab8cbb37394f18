import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { listSnapshots, openIndex, readManifest, writeIndex } from "../../src/store/embedded.js";
import { chunkDocumentText } from "../../src/store/records.js";
import { tokenize } from "../../src/text/words.js";
import {
  EDITION_A,
  EDITION_B,
  EDITION_C,
  combine,
  edition,
  recording,
  tempIndexDir,
  testEmbedder,
} from "./fixtures.js";

describe("incremental index runs", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempIndexDir()));
  afterEach(() => cleanup());

  it("embeds only the chunks of an added edition and reuses the rest", async () => {
    const first = await writeIndex(EDITION_A, { indexDir: dir, embedder: testEmbedder() });
    expect(first).toMatchObject({ embedded: 4, reused: 0, addedEditions: ["2024-03-01"] });

    const embedder = recording(testEmbedder());
    const progress: [number, number][] = [];
    const second = await writeIndex(combine(EDITION_A, EDITION_B), {
      indexDir: dir,
      embedder,
      batchSize: 2,
      onProgress: (done, total) => progress.push([done, total]),
    });

    expect(embedder.embeddedTexts).toEqual(EDITION_B.chunks.map(chunkDocumentText));
    expect(second).toMatchObject({
      editions: 2,
      chunks: 7,
      embedded: 3,
      reused: 4,
      addedEditions: ["2024-03-02"],
      removedEditions: [],
      changedEditions: [],
    });
    expect(second.fullRebuildReason).toBeUndefined();
    expect(progress).toEqual([
      [0, 3],
      [2, 3],
      [3, 3],
    ]);
    const reader = testEmbedder();
    const index = await openIndex(dir, reader);
    expect(index.chunkCount).toBe(7);
    // Old and appended chunks are both found by their exact vectors, under their own ordinals.
    const all = combine(EDITION_A, EDITION_B).chunks;
    for (const ordinal of [1, 5, 6]) {
      const [vector] = await reader.embedDocuments([chunkDocumentText(all[ordinal]!)]);
      const [hit] = index.searchVector(vector!, 1);
      expect(hit?.chunkIndex).toBe(ordinal);
      expect(hit?.score).toBeCloseTo(1, 5);
    }
  });

  it("drops the articles of an edition absent from the input", async () => {
    await writeIndex(combine(EDITION_A, EDITION_B), { indexDir: dir, embedder: testEmbedder() });
    const embedder = recording(testEmbedder());
    const summary = await writeIndex(EDITION_B, { indexDir: dir, embedder });

    expect(summary).toMatchObject({ embedded: 0, reused: 3, removedEditions: ["2024-03-01"] });
    expect(embedder.embeddedTexts).toEqual([]);
    const index = await openIndex(dir, testEmbedder());
    expect(index.articles().map((a) => a.editionId)).toEqual(["2024-03-02", "2024-03-02"]);
    expect(index.getArticle(EDITION_A.articles[0]!.id)).toBeUndefined();
    expect(index.searchLexical(tokenize("樱花"), 5)).toEqual([]);
  });

  it("re-embeds exactly the chunk whose text changed", async () => {
    await writeIndex(combine(EDITION_A, EDITION_B), { indexDir: dir, embedder: testEmbedder() });
    const changedB = edition("2024-03-02", "2024-03-02", [
      {
        headline: "百康光学扩建生产线",
        paragraphs: [
          "百康光学投资三亿元扩建镜片生产线,预计明年春天投产。",
          "项目投产后将新增就业岗位三百个,主要招收技术工人。",
        ],
      },
      { headline: "明日天气", paragraphs: ["明天多云转小雨,气温八到十五度,东北风三级。"] },
    ]);
    const embedder = recording(testEmbedder());
    const summary = await writeIndex(combine(EDITION_A, changedB), { indexDir: dir, embedder });

    expect(summary).toMatchObject({ embedded: 1, reused: 6, changedEditions: ["2024-03-02"] });
    expect(embedder.embeddedTexts).toEqual([chunkDocumentText(changedB.chunks[0]!)]);
    const index = await openIndex(dir, testEmbedder());
    const hit = index.searchLexical(tokenize("三亿元"), 1)[0];
    expect(index.chunkAt(hit!.chunkIndex).text).toContain("明年春天投产");
  });

  it("embeds everything when asked for a full build", async () => {
    await writeIndex(combine(EDITION_A, EDITION_B), { indexDir: dir, embedder: testEmbedder() });
    const embedder = recording(testEmbedder());
    const summary = await writeIndex(combine(EDITION_A, EDITION_B), {
      indexDir: dir,
      embedder,
      full: true,
    });

    expect(summary).toMatchObject({ embedded: 7, reused: 0, addedEditions: [] });
    expect(summary.fullRebuildReason).toBeUndefined();
    expect(embedder.embeddedTexts).toHaveLength(7);
  });

  it("falls back to a full build, saying why, when another embedder built the live index", async () => {
    await writeIndex(EDITION_A, { indexDir: dir, embedder: testEmbedder(32) });
    const embedder = recording(testEmbedder(64));
    const summary = await writeIndex(combine(EDITION_A, EDITION_B), { indexDir: dir, embedder });

    expect(summary).toMatchObject({ embedded: 7, reused: 0 });
    expect(summary.fullRebuildReason).toBe(
      "the live index was built with hashed-ngram-v1-d32 (32 dims), not hashed-ngram-v1-d64 (64 dims)",
    );
    expect((await readManifest(dir)).embedder.id).toBe("hashed-ngram-v1-d64");
    await expect(openIndex(dir, testEmbedder(64))).resolves.toBeDefined();
  });

  it("restores the live corpus statistics so that reused and new vectors agree", async () => {
    await writeIndex(EDITION_A, { indexDir: dir, embedder: testEmbedder() });
    const before = await readManifest(dir);

    // A fresh (unfitted) embedder: new chunks must be embedded with the restored statistics.
    await writeIndex(combine(EDITION_A, EDITION_C), { indexDir: dir, embedder: testEmbedder() });
    const after = await readManifest(dir);
    expect(after.checksums["embedder.state"]).toBe(before.checksums["embedder.state"]);

    const reader = testEmbedder();
    const index = await openIndex(dir, reader);
    const added = EDITION_C.chunks[0]!;
    const [vector] = await reader.embedDocuments([chunkDocumentText(added)]);
    const [hit] = index.searchVector(vector!, 1);
    expect(index.chunkAt(hit!.chunkIndex).id).toBe(added.id);
    expect(hit!.score).toBeCloseTo(1, 5);
  });

  it("keeps the live and the previous snapshot and deletes older ones", async () => {
    const names: string[] = [];
    for (const input of [EDITION_A, combine(EDITION_A, EDITION_B), EDITION_B]) {
      names.push((await writeIndex(input, { indexDir: dir, embedder: testEmbedder() })).snapshot);
    }
    const snapshots = await listSnapshots(dir);
    expect(snapshots.map((s) => [s.name, s.live])).toEqual([
      [names[1], false],
      [names[2], true],
    ]);
  });
});
