import type { Article, Chunk } from "../types.js";
import type { LexicalIndex } from "./lexical.js";
import type { IndexManifest, LexicalHit, NewsIndex, VectorHit } from "./types.js";
import type { VectorIndex } from "./vectors.js";

/** An opened snapshot: records, BM25 postings and the HNSW graph, all in memory. */
export class SnapshotIndex implements NewsIndex {
  readonly chunkCount: number;
  private readonly chunkById = new Map<string, Chunk>();
  private readonly articleById = new Map<string, Article>();
  private readonly chunksByArticle = new Map<string, Chunk[]>();

  constructor(
    /** Name of the snapshot folder this was read from. */
    readonly snapshot: string,
    readonly manifest: IndexManifest,
    private readonly articleList: readonly Article[],
    private readonly chunkList: readonly Chunk[],
    private readonly lexical: LexicalIndex,
    private readonly vectors: VectorIndex,
  ) {
    this.chunkCount = chunkList.length;
    for (const article of articleList) this.articleById.set(article.id, article);
    for (const chunk of chunkList) {
      this.chunkById.set(chunk.id, chunk);
      let siblings = this.chunksByArticle.get(chunk.articleId);
      if (siblings === undefined) this.chunksByArticle.set(chunk.articleId, (siblings = []));
      siblings.push(chunk);
    }
    for (const siblings of this.chunksByArticle.values()) {
      siblings.sort((a, b) => a.ordinal - b.ordinal);
    }
  }

  /** The chunk at an internal ordinal. Throws RangeError outside 0..chunkCount-1. */
  chunkAt(chunkIndex: number): Chunk {
    const chunk = this.chunkList[chunkIndex];
    if (chunk === undefined) {
      throw new RangeError(`chunk index ${chunkIndex} is outside 0..${this.chunkCount - 1}`);
    }
    return chunk;
  }

  getChunk(chunkId: string): Chunk | undefined {
    return this.chunkById.get(chunkId);
  }

  getArticle(articleId: string): Article | undefined {
    return this.articleById.get(articleId);
  }

  articles(): readonly Article[] {
    return this.articleList;
  }

  chunksOfArticle(articleId: string): readonly Chunk[] {
    return this.chunksByArticle.get(articleId) ?? [];
  }

  searchLexical(
    terms: readonly string[],
    k: number,
    filter?: (chunkIndex: number) => boolean,
  ): LexicalHit[] {
    return this.lexical.search(terms, k, filter);
  }

  searchVector(
    vector: Float32Array,
    k: number,
    filter?: (chunkIndex: number) => boolean,
  ): VectorHit[] {
    return this.vectors.search(vector, k, filter);
  }

  documentFrequency(term: string): number {
    return this.lexical.documentFrequency(term);
  }
}
