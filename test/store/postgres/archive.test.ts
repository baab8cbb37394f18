import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IndexError } from "../../../src/errors.js";
import { type NewsIndex, openIndex, writeIndex } from "../../../src/store/embedded.js";
import { PgIndex, parseIndexUrl, writePgIndex } from "../../../src/store/postgres/postgres.js";
import { tokenize } from "../../../src/text/words.js";
import { largestOf } from "../../../src/store/postgres/pg-index.js";
import { startPgliteServer, type TestPgServer } from "../../helpers/pgvector-server.js";
import {
  EDITION_A,
  EDITION_B,
  EDITION_C,
  combine,
  edition,
  recording,
  tempIndexDir,
  testEmbedder,
} from "../fixtures.js";

let server: TestPgServer;
beforeAll(async () => {
  server = await startPgliteServer();
}, 60_000);
afterAll(() => server.stop());

/** A fresh schema on the server for one test. */
let schemas = 0;
function newTarget() {
  return parseIndexUrl(server.indexUrl(`archive_${++schemas}`));
}

/** Each edition's live article ids as the reader lists them, beside the manifest's counts. */
function editionView(index: PgIndex): Record<string, { listed: number; counted: number }> {
  return Object.fromEntries(
    index.manifest.editions.map((e) => [
      e.editionId,
      { listed: index.articleIdsOfEdition(e.editionId).length, counted: e.articleCount },
    ]),
  );
}

describe("the archive in PostgreSQL", () => {
  it("holds what it was given and searches it by BM25 and by vector", async () => {
    const target = newTarget();
    const summary = await writePgIndex(combine(EDITION_A, EDITION_B), {
      target,
      embedder: testEmbedder(),
    });
    expect(summary).toMatchObject({ editions: 2, articles: 4, chunks: 7, embedded: 7 });
    const index = await PgIndex.open(target, testEmbedder());
    try {
      expect(index.manifest.counts).toEqual({ editions: 2, articles: 4, chunks: 7 });
      const [hit] = index.searchLexical(tokenize("樱花开放"), 3);
      expect(index.chunkAt(hit?.chunkIndex ?? -1).text).toContain("樱花");
      const vector = await testEmbedder().embedQuery("公共自行车站点扫码借车");
      const [near] = index.searchVector(vector, 1);
      const viaPool = await index.searchVectorReadingAhead(vector, 1);
      expect(viaPool).toEqual(index.searchVector(vector, 1));
      expect(index.chunkAt(near?.chunkIndex ?? -1).headline).toBe("平湖新建公共自行车站点");
      const article = index.getArticle(index.articleIdOfChunk(near?.chunkIndex ?? -1));
      expect(article?.editionId).toBe("2024-03-01");
      expect(index.articleTerms(article?.id ?? "")).toContain("自行车");
      expect(index.chunksOfArticle(article?.id ?? "").map((c) => c.ordinal)).toEqual([0, 1]);
      expect(index.documentFrequency("樱花")).toBeGreaterThan(0);
      expect(index.documentFrequency("从未出现的词")).toBe(0);
    } finally {
      index.close();
    }
  });

  it("ranks BM25 and vector hits as the embedded index does", async () => {
    const input = combine(EDITION_A, EDITION_B, EDITION_C);
    const { dir, cleanup } = await tempIndexDir();
    const target = newTarget();
    try {
      await writeIndex(input, { indexDir: dir, embedder: testEmbedder() });
      await writePgIndex(input, { target, embedder: testEmbedder() });
      const embedded = await openIndex(dir, testEmbedder());
      const postgres = await PgIndex.open(target, testEmbedder());
      try {
        for (const question of ["樱花开放", "平湖公共自行车", "百康光学生产线投产", "明天天气"]) {
          const terms = tokenize(question);
          const ranked = (
            index: NewsIndex,
            hits: readonly { chunkIndex: number; score: number }[],
          ) => hits.map((h) => [index.chunkAt(h.chunkIndex).id, h.score.toFixed(6)]);
          expect(ranked(postgres, postgres.searchLexical(terms, 10))).toEqual(
            ranked(embedded, embedded.searchLexical(terms, 10)),
          );
          const vector = await testEmbedder().embedQuery(question);
          const ids = (index: NewsIndex, hits: readonly { chunkIndex: number }[]) =>
            hits.map((h) => index.chunkAt(h.chunkIndex).id);
          expect(ids(postgres, postgres.searchVector(vector, 3))).toEqual(
            ids(embedded, embedded.searchVector(vector, 3)),
          );
          for (const term of terms) {
            expect(postgres.documentFrequency(term)).toBe(embedded.documentFrequency(term));
          }
        }
      } finally {
        embedded.close();
        postgres.close();
      }
    } finally {
      await cleanup();
    }
  });

  it("keeps only the hits a filter accepts, still up to k of them", async () => {
    const target = newTarget();
    await writePgIndex(combine(EDITION_A, EDITION_B, EDITION_C), {
      target,
      embedder: testEmbedder(),
    });
    const index = await PgIndex.open(target, testEmbedder());
    try {
      const onlyC = (i: number) => index.editionOfChunk(i) === "2024-03-03";
      const vector = await testEmbedder().embedQuery("平湖");
      const hits = index.searchVector(vector, 5, onlyC);
      expect(hits.length).toBe(1);
      expect(index.chunkAt(hits[0]?.chunkIndex ?? -1).text).toContain("独山港区");
      const lexical = index.searchLexical(tokenize("独山港区 樱花"), 5, onlyC);
      expect(lexical.map((h) => index.editionOfChunk(h.chunkIndex))).toEqual(["2024-03-03"]);
    } finally {
      index.close();
    }
  });

  it("adds, changes and removes editions one transaction each, embedding only what changed", async () => {
    const target = newTarget();
    await writePgIndex(combine(EDITION_A, EDITION_B), { target, embedder: testEmbedder() });
    const before = await PgIndex.open(target, testEmbedder());
    try {
      const changedB = edition("2024-03-02", "2024-03-02", [
        {
          headline: "百康光学扩建生产线",
          paragraphs: ["百康光学投资两亿元扩建镜片生产线,预计年底投产。", "项目进展顺利。"],
        },
        { headline: "明日天气", paragraphs: ["明天多云转小雨,气温八到十五度,东北风三级。"] },
      ]);
      const embedder = recording(testEmbedder());
      const summary = await writePgIndex(combine(changedB, EDITION_C), { target, embedder });
      expect(summary.addedEditions).toEqual(["2024-03-03"]);
      expect(summary.changedEditions).toEqual(["2024-03-02"]);
      expect(summary.removedEditions).toEqual(["2024-03-01"]);
      // Only the new edition's chunk and the changed paragraph are embedded again.
      expect(embedder.embeddedTexts).toHaveLength(2);

      // A reader opened before keeps serving its generation, whole.
      expect(before.manifest.editions.map((e) => e.editionId)).toEqual([
        "2024-03-01",
        "2024-03-02",
      ]);
      expect(before.getArticle(before.articleIdsOfEdition("2024-03-01")[0] ?? "")?.headline).toBe(
        "平湖新建公共自行车站点",
      );
      const after = await PgIndex.open(target, testEmbedder());
      try {
        expect(after.manifest.editions.map((e) => e.editionId).sort()).toEqual([
          "2024-03-02",
          "2024-03-03",
        ]);
        expect(after.manifest.counts.chunks).toBe(4);
        expect(after.documentFrequency("自行车")).toBe(0);
        expect(after.searchLexical(tokenize("公共自行车"), 5)).toEqual([]);
      } finally {
        after.close();
      }
    } finally {
      before.close();
    }
  });

  it("shows readers every edition whole while a run commits edition after edition", async () => {
    const target = newTarget();
    await writePgIndex(EDITION_A, { target, embedder: testEmbedder() });
    const many = Array.from({ length: 12 }, (_, i) =>
      edition(`2024-04-${String(i + 1).padStart(2, "0")}`, "2024-04-01", [
        {
          headline: `第${i + 1}期新闻`,
          paragraphs: Array.from({ length: 8 }, (_, p) => `第${i + 1}期第${p + 1}段内容。`),
        },
        { headline: `第${i + 1}期快讯`, paragraphs: ["快讯一。", "快讯二。"] },
      ]),
    );
    const writing = writePgIndex(combine(EDITION_A, ...many), {
      target,
      embedder: testEmbedder(),
    });
    let done = false;
    void writing.finally(() => (done = true));
    const seen = new Set<number>();
    while (!done) {
      const index = await PgIndex.open(target, testEmbedder());
      try {
        for (const view of Object.values(editionView(index))) {
          expect(view.listed).toBe(view.counted);
        }
        seen.add(index.manifest.counts.editions);
      } finally {
        index.close();
      }
    }
    await writing;
    expect(seen.size).toBeGreaterThan(0);
  });

  it("refuses an archive built by another embedder, with the fix", async () => {
    const target = newTarget();
    await writePgIndex(EDITION_A, { target, embedder: testEmbedder() });
    const opening = PgIndex.open(target, testEmbedder(32));
    await expect(opening).rejects.toThrow(IndexError);
    await expect(opening).rejects.toThrow(/hashed-ngram-v1-d64.*npm run index -- --full/u);
  });

  it("says how to build an archive that is not there", async () => {
    const opening = PgIndex.open(newTarget(), testEmbedder());
    await expect(opening).rejects.toMatchObject({ code: "INDEX_MISSING" });
    await expect(opening).rejects.toThrow("npm run index");
  });

  it("rebuilds with another embedder in one go, the old archive serving until it commits", async () => {
    const target = newTarget();
    await writePgIndex(combine(EDITION_A, EDITION_B), { target, embedder: testEmbedder() });
    const before = await PgIndex.open(target, testEmbedder());
    const summary = await writePgIndex(combine(EDITION_A, EDITION_B), {
      target,
      embedder: testEmbedder(32),
    });
    expect(summary.fullRebuildReason).toContain("hashed-ngram-v1-d64");
    // A reader left open on the old archive finds none of its rows, and says to reload, rather
    // than reading the new archive's rows under its ordinals.
    expect(() => before.chunkAt(0)).toThrow(/Reload the bot/u);
    before.close();
    const index = await PgIndex.open(target, testEmbedder(32));
    expect(index.manifest.counts.chunks).toBe(7);
    index.close();
  });
});

describe("the reader's catalog", () => {
  it("is sized from hundreds of thousands of ordinals, in any order, without overflowing the stack", () => {
    const ordinals = Array.from({ length: 300_000 }, (_, i) => (i * 7919) % 300_000);
    expect(largestOf(ordinals)).toBe(299_999);
    expect(largestOf([])).toBe(-1);
  });
});
