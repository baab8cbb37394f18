import { Embeddings, type EmbeddingsParams } from "@langchain/core/embeddings";
import type { Embedder } from "./embedder.js";

/**
 * LangChain `Embeddings` over any `Embedder`, so the index can sit behind LangChain's
 * VectorStore interface. It exists because @langchain/community's
 * HuggingFaceTransformersEmbeddings imports @huggingface/transformers, while this project uses
 * @xenova/transformers (and the offline hashed embedder, which LangChain does not know).
 */
export class EmbedderEmbeddings extends Embeddings {
  readonly embedder: Embedder;

  /** Wraps an embedder; `params` are LangChain's retry and concurrency settings. Never throws. */
  constructor(embedder: Embedder, params: EmbeddingsParams = {}) {
    // A local embedder that failed once fails again: no retries unless the caller asks for them.
    super({ maxRetries: 0, ...params });
    this.embedder = embedder;
  }

  /** Embeds passages as plain arrays. Throws what the embedder throws. */
  override async embedDocuments(documents: string[]): Promise<number[][]> {
    const vectors = await this.caller.call(() => this.embedder.embedDocuments(documents));
    return vectors.map((vector) => Array.from(vector));
  }

  /** Embeds a question (with the model's query instruction) as a plain array. Throws what the embedder throws. */
  override async embedQuery(document: string): Promise<number[]> {
    return Array.from(await this.caller.call(() => this.embedder.embedQuery(document)));
  }
}
