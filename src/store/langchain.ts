import { Document } from "@langchain/core/documents";
import type { EmbeddingsInterface } from "@langchain/core/embeddings";
import { VectorStore } from "@langchain/core/vectorstores";
import type { Chunk } from "../types.js";
import type { NewsIndex } from "./types.js";

/** Metadata of a Document returned by `NewsVectorStore`: the chunk without its text, plus its ordinal. */
export type NewsDocumentMetadata = Omit<Chunk, "text"> & { chunkIndex: number };

/**
 * A read-only LangChain VectorStore over an opened index snapshot: the seam through which a
 * LangChain retriever (or, later, another vector engine) meets the store. Filters are chunk
 * predicates applied inside the HNSW search.
 */
export class NewsVectorStore extends VectorStore {
  declare FilterType: (chunk: Chunk) => boolean;

  constructor(
    private readonly index: NewsIndex,
    embeddings: EmbeddingsInterface,
  ) {
    super(embeddings, {});
  }

  /** The store's type name, used by LangChain in its namespace and serialisation. */
  _vectorstoreType(): string {
    return "news-hnsw";
  }

  /** Always throws: a snapshot is immutable; new chunks go through `writeIndex`. */
  addVectors(): Promise<void> {
    return Promise.reject(new Error("NewsVectorStore is a read-only snapshot; use writeIndex"));
  }

  /** Always throws: a snapshot is immutable; new chunks go through `writeIndex`. */
  addDocuments(): Promise<void> {
    return Promise.reject(new Error("NewsVectorStore is a read-only snapshot; use writeIndex"));
  }

  /**
   * The k chunks nearest to `query` as Documents (text as pageContent, chunk fields as metadata,
   * chunk id as id) with cosine scores, best first. Throws when the vector has the wrong length.
   */
  similaritySearchVectorWithScore(
    query: number[],
    k: number,
    filter?: (chunk: Chunk) => boolean,
  ): Promise<[Document<NewsDocumentMetadata>, number][]> {
    const accept = filter ? (i: number): boolean => filter(this.index.chunkAt(i)) : undefined;
    const hits = this.index.searchVector(Float32Array.from(query), k, accept);
    return Promise.resolve(
      hits.map(({ chunkIndex, score }) => {
        const { text, ...fields } = this.index.chunkAt(chunkIndex);
        const metadata: NewsDocumentMetadata = { ...fields, chunkIndex };
        return [new Document({ pageContent: text, metadata, id: fields.id }), score];
      }),
    );
  }
}
