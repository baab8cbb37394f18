import { Embeddings } from "@langchain/core/embeddings";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Embedder } from "../../src/embeddings/embedder.js";
import { openIndex, writeIndex } from "../../src/store/embedded.js";
import { NewsVectorStore } from "../../src/store/langchain.js";
import { EDITION_A, EDITION_B, combine, tempIndexDir, testEmbedder } from "./fixtures.js";

/**
 * Minimal LangChain view of an Embedder, so this test does not wait for the embeddings
 * module's adapter; the store only needs some EmbeddingsInterface.
 */
class ViaEmbedder extends Embeddings {
  constructor(private readonly embedder: Embedder) {
    super({});
  }
  async embedDocuments(texts: string[]): Promise<number[][]> {
    return (await this.embedder.embedDocuments(texts)).map((v) => Array.from(v));
  }
  async embedQuery(text: string): Promise<number[]> {
    return Array.from(await this.embedder.embedQuery(text));
  }
}

describe("NewsVectorStore", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempIndexDir()));
  afterEach(() => cleanup());

  async function openStore(): Promise<NewsVectorStore> {
    await writeIndex(combine(EDITION_A, EDITION_B), { indexDir: dir, embedder: testEmbedder() });
    const embedder = testEmbedder();
    return new NewsVectorStore(await openIndex(dir, embedder), new ViaEmbedder(embedder));
  }

  it("returns chunks as Documents with their metadata and scores", async () => {
    const store = await openStore();
    const results = await store.similaritySearchWithScore("百康光学镜片生产线投产", 1);
    expect(results).toHaveLength(1);
    const [doc, score] = results[0]!;

    const expected = EDITION_B.chunks[0]!;
    expect(doc.pageContent).toBe(expected.text);
    expect(doc.id).toBe(expected.id);
    expect(doc.metadata).toMatchObject({
      articleId: expected.articleId,
      headline: "百康光学扩建生产线",
      date: "2024-03-02",
      chunkIndex: 4,
    });
    expect(score).toBeGreaterThan(0);
    expect(score).toBeLessThanOrEqual(1.0001);
  });

  it("filters by chunk fields inside the search", async () => {
    const store = await openStore();
    const docs = await store.similaritySearch(
      "百康光学",
      3,
      (chunk) => chunk.date === "2024-03-01",
    );

    expect(docs).toHaveLength(3);
    expect(docs.every((d) => (d.metadata as { date: string }).date === "2024-03-01")).toBe(true);
  });

  it("serves as a LangChain retriever", async () => {
    const store = await openStore();
    const docs = await store.asRetriever(2).invoke("东湖公园樱花");

    expect(docs).toHaveLength(2);
    expect(docs[0]?.metadata).toMatchObject({ headline: "东湖公园樱花盛开" });
  });

  it("refuses writes: a snapshot is read-only", async () => {
    const store = await openStore();
    await expect(store.addDocuments()).rejects.toThrow("read-only snapshot; use writeIndex");
    await expect(store.addVectors()).rejects.toThrow("read-only snapshot; use writeIndex");
  });
});
