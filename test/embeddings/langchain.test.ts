import { Embeddings } from "@langchain/core/embeddings";
import { describe, expect, it } from "vitest";
import type { Embedder } from "../../src/embeddings/embedder.js";
import { createHashedEmbedder } from "../../src/embeddings/hashed.js";
import { EmbedderEmbeddings } from "../../src/embeddings/langchain.js";

describe("EmbedderEmbeddings", () => {
  it("is a LangChain Embeddings returning plain number arrays of the embedder's vectors", async () => {
    const embedder = createHashedEmbedder({ dimensions: 32 });
    const embeddings = new EmbedderEmbeddings(embedder);
    expect(embeddings).toBeInstanceOf(Embeddings);

    const texts = ["平湖日报", "天极集成电路", "嘉兴市"];
    const documents = await embeddings.embedDocuments(texts);
    expect(documents).toHaveLength(3);
    for (const [i, vector] of documents.entries()) {
      expect(Array.isArray(vector)).toBe(true);
      expect(vector).toHaveLength(32);
      expect(vector).toEqual(Array.from((await embedder.embedDocuments(texts))[i] ?? []));
    }

    const query = await embeddings.embedQuery("平湖的新闻");
    expect(Array.isArray(query)).toBe(true);
    expect(query).toEqual(Array.from(await embedder.embedQuery("平湖的新闻")));
  });

  it("uses the embedder's query path, instruction included", async () => {
    // An embedder whose query and passage vectors differ shows which path was taken.
    const embedder: Embedder = {
      id: "marker",
      dimensions: 2,
      embedDocuments: (texts) => Promise.resolve(texts.map(() => Float32Array.of(1, 0))),
      embedQuery: () => Promise.resolve(Float32Array.of(0, 1)),
    };
    const embeddings = new EmbedderEmbeddings(embedder);
    expect(await embeddings.embedDocuments(["a", "b"])).toEqual([
      [1, 0],
      [1, 0],
    ]);
    expect(await embeddings.embedQuery("a")).toEqual([0, 1]);
  });

  it("passes an embedder's failure through at once, without retrying", async () => {
    let calls = 0;
    const failing: Embedder = {
      id: "failing",
      dimensions: 2,
      embedDocuments: () => {
        calls++;
        return Promise.reject(new Error("model crashed"));
      },
      embedQuery: () => Promise.reject(new Error("model crashed")),
    };
    await expect(new EmbedderEmbeddings(failing).embedDocuments(["a"])).rejects.toThrow(
      "model crashed",
    );
    expect(calls).toBe(1);
  });
});
