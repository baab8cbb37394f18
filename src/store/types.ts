import type { Article, Chunk } from "../types.js";
import type { Embedder } from "../embeddings/embedder.js";

/**
 * Version of the on-disk layout under `index/`. An index of another version is refused, not
 * misread: it is a cache, rebuilt from the editions with `npm run index -- --full` (an index run
 * over an index of another version rebuilds it by itself, saying why).
 */
export const INDEX_FORMAT_VERSION = 3;

/** One edition as recorded in the manifest. */
export interface ManifestEdition {
  editionId: string;
  source: string;
  paper: string;
  date: string | null;
  articleCount: number;
  /** Number of chunks of its articles. */
  chunkCount: number;
  /** Hash over the edition's article content hashes: tells whether the edition changed. */
  contentHash: string;
  /** The segment holding the edition's articles. */
  segment: string;
  /**
   * How the input file the edition was read from looked, when known: an unchanged file is not
   * even read again by the next incremental run.
   */
  sourceFile?: SourceFingerprint;
}

/** What tells an unchanged input file: its size and mtime, or failing those its bytes. */
export interface SourceFingerprint {
  size: number;
  mtimeMs: number;
  /** sha256 of the metadata it is read with (paper, date from its name or manifest.json). */
  metaHash: string;
  /** sha256 of its bytes. */
  bytesHash: string;
}

/**
 * One segment of a snapshot: an immutable folder under `index/segments/` with its own records,
 * postings and graph. Snapshots share segments; a new edition adds one instead of rewriting all.
 */
export interface ManifestSegment {
  name: string;
  /** sha256 of the segment's `segment.json`, which holds the checksums of its other files. */
  sha256: string;
  articles: number;
  chunks: number;
  /** Editions whose articles in this segment are superseded (changed or removed editions). */
  deletedEditions: string[];
}

/** The index manifest: what built it, what it holds, and checksums of its files. */
export interface IndexManifest {
  formatVersion: number;
  embedder: { id: string; dimensions: number };
  createdAt: string;
  counts: { editions: number; articles: number; chunks: number };
  editions: ManifestEdition[];
  /** The segments, oldest first. */
  segments: ManifestSegment[];
  /** File name (relative to the snapshot folder) -> sha256 hex. */
  checksums: Record<string, string>;
}

/** A hit from the lexical (BM25) index. `chunkIndex` is the store's internal ordinal. */
export interface LexicalHit {
  chunkIndex: number;
  score: number;
}

/** A hit from the vector index; `score` is cosine similarity in [-1, 1]. */
export interface VectorHit {
  chunkIndex: number;
  score: number;
}

/**
 * A read-only view of the archive, as the retrieval and answer layers see it: the embedded index
 * (`SnapshotIndex`) and PostgreSQL (`PgIndex`) implement it, and nothing above the store knows
 * which one is behind it. Reads are synchronous (the embedded index reads the page cache; the
 * PostgreSQL index blocks on a round trip, behind caches); the `prefetch…` and `…ReadingAhead`
 * members let a caller that can wait fetch several things at once instead.
 */
export interface NewsIndex {
  readonly manifest: IndexManifest;
  /** One past the largest chunk ordinal; ordinals of superseded editions may lie below it. */
  readonly chunkCount: number;
  /** The chunk at an internal ordinal. Throws RangeError outside 0..chunkCount-1. */
  chunkAt(chunkIndex: number): Chunk;
  getChunk(chunkId: string): Chunk | undefined;
  getArticle(articleId: string): Article | undefined;
  /** All articles, in edition order. Reads the whole archive: the answer path never calls it. */
  articles(): readonly Article[];
  /** Chunks of one article, in order. */
  chunksOfArticle(articleId: string): readonly Chunk[];
  /**
   * Ids of one edition's live articles in layout order, from memory (no article is read); empty
   * for an unknown edition.
   */
  articleIdsOfEdition(editionId: string): readonly string[];
  /**
   * The edition of the chunk at an internal ordinal, from memory (no chunk is read), so that a
   * search filter by edition stays cheap. Throws RangeError outside 0..chunkCount-1.
   */
  editionOfChunk(chunkIndex: number): string;
  /**
   * The id of the article holding the chunk at an internal ordinal, from memory (no chunk is
   * read). Throws RangeError outside 0..chunkCount-1.
   */
  articleIdOfChunk(chunkIndex: number): string;
  /**
   * The distinct lexical terms (see `tokenize`) of an article's headline, subtitle, byline and
   * text, precomputed at index time; undefined for an unknown article.
   */
  articleTerms(articleId: string): readonly string[] | undefined;
  /**
   * BM25 over jieba terms (see `tokenize`), best first. A term repeated in `terms` counts once.
   * `filter`, when given, keeps only chunk ordinals for which it returns true.
   */
  searchLexical(
    terms: readonly string[],
    k: number,
    filter?: (chunkIndex: number) => boolean,
  ): LexicalHit[];
  /**
   * Nearest chunks to a query vector, best first. `filter`, when given, keeps only chunk
   * ordinals for which it returns true, and a narrow filter still yields up to k hits.
   */
  searchVector(
    vector: Float32Array,
    k: number,
    filter?: (chunkIndex: number) => boolean,
  ): VectorHit[];
  /**
   * As `searchVector`, for a caller that can wait: reads several candidates at once while the
   * store is not yet in the page cache (embedded), or queries without blocking (PostgreSQL).
   */
  searchVectorReadingAhead(
    vector: Float32Array,
    k: number,
    filter?: (chunkIndex: number) => boolean,
  ): Promise<VectorHit[]>;
  /**
   * Fetches, several at once, what answering from these chunks will read (their records and
   * their articles'), so that the synchronous reads that follow find it. Never rejects.
   */
  prefetchChunks(chunkIndexes: readonly number[]): Promise<void>;
  /** Fetches what `searchLexical` and `documentFrequency` will read for `terms`, as `prefetchChunks`. */
  prefetchTerms(terms: readonly string[]): Promise<void>;
  /** Number of chunks whose lexical terms include `term` (for query term weighting). */
  documentFrequency(term: string): number;
  /**
   * Starts whatever makes the first questions after a start fast (the embedded index reads its
   * files into the page cache in the background). Never throws.
   */
  prewarm(): void;
  /**
   * Holds that background work while the first question after a start is answered; call the
   * returned function when it is. Never throws.
   */
  holdWarming(): () => void;
  /** Builds the lookup tables a start left for after its first answer. Never throws. */
  completeStart(): void;
  /** Releases files and connections; the index must not be used afterwards. Never throws. */
  close(): void;
}

/**
 * What one index run is given: every article and chunk that the new index should hold, except
 * those of `keptEditions`, which the run takes over from the live snapshot as they are.
 */
export interface BuildInput {
  articles: readonly Article[];
  chunks: readonly Chunk[];
  /** Editions of the live snapshot to keep without being given again (their files are unchanged). */
  keptEditions?: ReadonlySet<string>;
  /** editionId -> fingerprint of the file it was read from, recorded for the next run. */
  sources?: ReadonlyMap<string, SourceFingerprint>;
}

export interface BuildOptions {
  /** The index root, e.g. "./index". */
  indexDir: string;
  embedder: Embedder;
  /** Called as embedding progresses. */
  onProgress?: (done: number, total: number) => void;
  /** Texts per embedding batch. Defaults to 64. */
  batchSize?: number;
  /** Ignore the previous index and embed everything. Defaults to false. */
  full?: boolean;
}

export interface BuildSummary {
  editions: number;
  articles: number;
  chunks: number;
  /** Chunks embedded in this run. */
  embedded: number;
  /** Chunks whose vectors were reused from the previous index. */
  reused: number;
  addedEditions: string[];
  removedEditions: string[];
  changedEditions: string[];
  snapshot: string;
  seconds: number;
  /** Why an incremental run embedded everything instead (e.g. the embedder changed); absent otherwise. */
  fullRebuildReason?: string;
}
