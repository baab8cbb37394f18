/**
 * The one interface every embedder implements. Vectors are L2-normalised, so inner product is
 * cosine similarity.
 */
export interface Embedder {
  /** Stable identity recorded in the index manifest, e.g. "hashed-ngram-v1" or "Xenova/bge-small-zh-v1.5". */
  readonly id: string;
  /** Length of every vector this embedder returns. */
  readonly dimensions: number;
  /** Embeds passages (no instruction prefix). */
  embedDocuments(texts: readonly string[]): Promise<Float32Array[]>;
  /** Embeds a user question (with the model's query instruction, where it has one). */
  embedQuery(text: string): Promise<Float32Array>;
  /**
   * State the embedder learned from the corpus (for example an IDF table), to be saved with the
   * index and handed back through `restoreState` when the index is opened. Absent for stateless embedders.
   */
  exportState?(): Uint8Array;
  /** Learns corpus statistics before `embedDocuments` is called on a full build. */
  fit?(texts: readonly string[]): void;
  /** Restores what `exportState` returned. Throws when the state is not from this embedder. */
  restoreState?(state: Uint8Array): void;
}
