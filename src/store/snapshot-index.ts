import { LruMap } from "../lru.js";
import { IdTable, idHash } from "./id-table.js";
import type { Article, Chunk } from "../types.js";
import type { CollectionStats } from "./lexical.js";
import type { Segment } from "./segment.js";
import { type Prewarm, prewarmFiles } from "./prewarm.js";
import type { IndexManifest, LexicalHit, NewsIndex, VectorHit } from "./types.js";

/**
 * Chunk records kept parsed; the rest are read from disk on demand. This and the other caches of
 * the answer path are sized to about one question's working set: at 146k articles, quartering
 * the per-article caches and halving this one and the token cache cut serving RSS over 500
 * questions by 14 MB without a measurable change in CPU time (docs/performance.md, item 18).
 */
const CHUNK_CACHE = 1_000;

interface Part {
  segment: Segment;
  /** Global ordinal of the segment's local chunk 0. */
  base: number;
  /** Global ordinal of the segment's local article 0. */
  articleBase: number;
  /** Per local chunk: 1 when its edition was superseded; undefined when nothing is. */
  deleted: Uint8Array | undefined;
}

/**
 * An opened snapshot: a list of segments seen as one index. Chunk ordinals are global (segment
 * base + local ordinal); chunks of superseded editions are hidden from every lookup and search.
 * BM25 scores every segment with the statistics of the whole collection, so hits from different
 * segments compare.
 */
export class SnapshotIndex implements NewsIndex, CollectionStats {
  readonly chunkCount: number;
  readonly avgDocLength: number;
  private readonly parts: Part[] = [];
  private articleList: Article[] | undefined;
  /** Article id -> global ordinal of the live article; built on first use (`idTable`). */
  private articleById: IdTable | undefined;
  /**
   * The articles of chunks read lately (id -> global ordinal): the answer path looks up the
   * articles of the chunks it reads, and finds them here without the id table, so that a start
   * answers its first question before building it.
   */
  private readonly articleOfReadChunk = new LruMap<string, number>(CHUNK_CACHE);
  /** Global ordinals of the live articles, in segment and layout order. */
  private readonly liveArticles: Int32Array;
  /** Edition id -> its live article ids in layout order; built on first use. */
  private editionArticles: Map<string, string[]> | undefined;
  private readonly chunkCache = new LruMap<number, Chunk>(CHUNK_CACHE);
  private warming: Prewarm | undefined;
  /** Whether the warm-up has read every on-demand file (then nothing is read ahead). */
  private warmed = false;

  constructor(
    /** Name of the snapshot folder this was read from. */
    readonly snapshot: string,
    readonly manifest: IndexManifest,
    segments: readonly Segment[],
  ) {
    let base = 0;
    let articleBase = 0;
    let totalLength = 0;
    const live: number[] = [];
    segments.forEach((segment, s) => {
      const gone = new Set(manifest.segments[s]?.deletedEditions ?? []);
      let deleted: Uint8Array | undefined;
      if (gone.size > 0) {
        deleted = new Uint8Array(segment.meta.chunks);
        for (let c = 0; c < deleted.length; c++) {
          if (gone.has(segment.editionIdOf(segment.chunkArticle[c] ?? -1))) deleted[c] = 1;
        }
      }
      this.parts.push({ segment, base, articleBase, deleted });
      for (let local = 0; local < segment.ids.length; local++) {
        if (gone.size > 0 && gone.has(segment.editionIdOf(local))) continue;
        live.push(articleBase + local);
      }
      base += segment.meta.chunks;
      articleBase += segment.ids.length;
      totalLength += segment.lexical.totalDocLength;
    });
    this.liveArticles = Int32Array.from(live);
    this.chunkCount = base;
    this.avgDocLength = base > 0 ? totalLength / base : 0;
  }

  /** Documents of BM25, the chunks (CollectionStats). */
  get docCount(): number {
    return this.chunkCount;
  }

  /** The chunk at a global ordinal. Throws RangeError outside 0..chunkCount-1. */
  chunkAt(chunkIndex: number): Chunk {
    const cached = this.chunkCache.get(chunkIndex);
    if (cached !== undefined) return cached;
    const part = this.partOf(chunkIndex);
    const local = chunkIndex - part.base;
    const chunk = part.segment.readChunk(local);
    this.chunkCache.set(chunkIndex, chunk);
    // A live chunk's article is the live article of its id: ids are unique among live articles
    // (an edition added again deletes its earlier articles).
    if (part.deleted?.[local] !== 1) {
      const article = part.segment.chunkArticle[local];
      if (article !== undefined)
        this.articleOfReadChunk.set(chunk.articleId, part.articleBase + article);
    }
    return chunk;
  }

  getChunk(chunkId: string): Chunk | undefined {
    const cut = chunkId.lastIndexOf("#");
    if (cut < 0) return undefined;
    return this.chunksOfArticle(chunkId.slice(0, cut)).find((c) => c.id === chunkId);
  }

  getArticle(articleId: string): Article | undefined {
    const found = this.locate(articleId);
    return found?.part.segment.article(found.local);
  }

  /** All live articles; read from disk on the first call (the answer path never needs it). */
  articles(): readonly Article[] {
    this.articleList ??= Array.from(this.liveArticles, (ordinal) => {
      const { part, local } = this.articleAt(ordinal);
      return part.segment.article(local);
    });
    return this.articleList;
  }

  /** Ids of an edition's live articles in layout order, from the segment catalogs in memory. */
  articleIdsOfEdition(editionId: string): readonly string[] {
    if (this.editionArticles === undefined) {
      // Built once from memory (the catalogs), never from the article records on disk.
      const byEdition = new Map<string, string[]>();
      for (const ordinal of this.liveArticles) {
        const { part, local } = this.articleAt(ordinal);
        const id = part.segment.ids.get(local);
        const edition = part.segment.editionIdOf(local);
        const ids = byEdition.get(edition);
        if (ids === undefined) byEdition.set(edition, [id]);
        else ids.push(id);
      }
      this.editionArticles = byEdition;
    }
    return this.editionArticles.get(editionId) ?? [];
  }

  /** The edition of the chunk at a global ordinal. Throws RangeError outside 0..chunkCount-1. */
  editionOfChunk(chunkIndex: number): string {
    const part = this.partOf(chunkIndex);
    const { segment } = part;
    return segment.editionIdOf(segment.chunkArticle[chunkIndex - part.base] ?? -1);
  }

  /** The article holding the chunk at a global ordinal. Throws RangeError outside 0..chunkCount-1. */
  articleIdOfChunk(chunkIndex: number): string {
    const part = this.partOf(chunkIndex);
    const { segment } = part;
    return segment.ids.get(segment.chunkArticle[chunkIndex - part.base] ?? -1);
  }

  articleTerms(articleId: string): readonly string[] | undefined {
    const found = this.locate(articleId);
    return found?.part.segment.articleTerms(found.local);
  }

  chunksOfArticle(articleId: string): readonly Chunk[] {
    const found = this.locate(articleId);
    if (found === undefined) return [];
    const { part, local } = found;
    const start = part.segment.articleChunkStart[local] ?? 0;
    const end = part.segment.articleChunkStart[local + 1] ?? start;
    const chunks: Chunk[] = [];
    for (let c = start; c < end; c++) chunks.push(this.chunkAt(part.base + c));
    return chunks.sort((a, b) => a.ordinal - b.ordinal);
  }

  searchLexical(
    terms: readonly string[],
    k: number,
    filter?: (chunkIndex: number) => boolean,
  ): LexicalHit[] {
    const hits: LexicalHit[] = [];
    for (const part of this.parts) {
      const local = part.segment.lexical.search(terms, k, this.localFilter(part, filter), this);
      for (const hit of local)
        hits.push({ chunkIndex: hit.chunkIndex + part.base, score: hit.score });
    }
    return this.parts.length === 1 ? hits : best(hits, k);
  }

  searchVector(
    vector: Float32Array,
    k: number,
    filter?: (chunkIndex: number) => boolean,
  ): VectorHit[] {
    const hits: VectorHit[] = [];
    for (const part of this.parts) {
      const local = part.segment.vectors.search(vector, k, this.localFilter(part, filter));
      for (const hit of local)
        hits.push({ chunkIndex: hit.chunkIndex + part.base, score: hit.score });
    }
    return this.parts.length === 1 ? hits : best(hits, k);
  }

  documentFrequency(term: string): number {
    let df = 0;
    for (const part of this.parts) df += part.segment.lexical.documentFrequency(term);
    return df;
  }

  /**
   * Starts reading the files questions read on demand into the page cache, on a worker thread
   * that never keeps the process alive (see `prewarmFiles`); `close` stops it. Never throws.
   */
  prewarm(): Prewarm {
    this.warming?.stop();
    // Newest (smallest) segments first: they hold the editions most asked about.
    const paths = [...this.parts].reverse().flatMap((p) => p.segment.onDemandFiles());
    const warming = prewarmFiles(paths);
    this.warming = warming;
    this.warmed = false;
    void warming.done.then(() => {
      if (this.warming === warming) this.warmed = true;
    });
    return warming;
  }

  /**
   * As `searchVector`; while the warm-up runs (the store may not be in the page cache yet), the
   * candidates' rows are read ahead several at once instead of waiting on the disk one by one.
   */
  async searchVectorReadingAhead(
    vector: Float32Array,
    k: number,
    filter?: (chunkIndex: number) => boolean,
  ): Promise<VectorHit[]> {
    if (!this.readingAhead) return this.searchVector(vector, k, filter);
    const perPart = await Promise.all(
      this.parts.map(async (part) => {
        const local = await part.segment.vectors.searchReadingAhead(
          vector,
          k,
          this.localFilter(part, filter),
        );
        return local.map((hit) => ({ chunkIndex: hit.chunkIndex + part.base, score: hit.score }));
      }),
    );
    const hits = perPart.flat();
    return this.parts.length === 1 ? hits : best(hits, k);
  }

  /**
   * While the warm-up runs, reads ahead the records answering from these chunks reads (theirs
   * and their articles'), several at once. Does nothing once the store is warm. Never rejects.
   */
  async prefetchChunks(chunkIndexes: readonly number[]): Promise<void> {
    if (!this.readingAhead) return;
    const byPart = new Map<Part, number[]>();
    for (const chunkIndex of chunkIndexes) {
      if (!Number.isInteger(chunkIndex) || chunkIndex < 0 || chunkIndex >= this.chunkCount)
        continue;
      const part = this.partOf(chunkIndex);
      const locals = byPart.get(part);
      if (locals === undefined) byPart.set(part, [chunkIndex - part.base]);
      else locals.push(chunkIndex - part.base);
    }
    await Promise.all([...byPart].map(([part, locals]) => part.segment.prefetchChunks(locals)));
  }

  /** While the warm-up runs, reads ahead the postings of `terms` in every segment. Never rejects. */
  async prefetchTerms(terms: readonly string[]): Promise<void> {
    if (!this.readingAhead) return;
    await Promise.all(this.parts.map((part) => part.segment.lexical.prefetch(terms)));
  }

  /** True while reads may find the store outside the page cache: the warm-up has not finished. */
  private get readingAhead(): boolean {
    return this.warming !== undefined && !this.warmed;
  }

  /**
   * Holds the warm-up's reading while a question runs (see `Prewarm.hold`); call the returned
   * function when it is answered.
   */
  holdWarming(): () => void {
    return this.warming?.hold() ?? (() => undefined);
  }

  /** Builds the article id table, which a start leaves for after its first answer (`idTable`). */
  completeStart(): void {
    this.idTable();
  }

  close(): void {
    this.warming?.stop();
    for (const part of this.parts) part.segment.close();
  }

  private partOf(chunkIndex: number): Part {
    if (!Number.isInteger(chunkIndex) || chunkIndex < 0 || chunkIndex >= this.chunkCount) {
      throw new RangeError(`chunk index ${chunkIndex} is outside 0..${this.chunkCount - 1}`);
    }
    const part = this.parts[this.lastPartFrom(chunkIndex, (p) => p.base)];
    if (part === undefined) throw new RangeError(`chunk index ${chunkIndex} has no segment`);
    return part;
  }

  /** The segment and local ordinal of a live article, or undefined. */
  private locate(articleId: string): { part: Part; local: number } | undefined {
    const ordinal = this.articleOfReadChunk.get(articleId) ?? this.idTable().get(articleId);
    return ordinal === undefined ? undefined : this.articleAt(ordinal);
  }

  /**
   * The table of live article ids, built on first use: at 146,000 articles it takes 25-45 ms,
   * which a start need not spend before its first answer (see `articleOfReadChunk`).
   */
  idTable(): IdTable {
    if (this.articleById !== undefined) return this.articleById;
    const table = new IdTable(this.liveArticles.length, (ordinal) => {
      const { part, local } = this.articleAt(ordinal);
      return part.segment.ids.get(local);
    });
    // Live ordinals ascend, segment by segment: hash each segment's ids where they lie.
    let at = 0;
    for (const part of this.parts) {
      const { ids } = part.segment;
      const end = part.articleBase + ids.length;
      if (at < this.liveArticles.length && (this.liveArticles[at] ?? end) < end) {
        const hashes = ids.hashes(idHash);
        for (; at < this.liveArticles.length; at++) {
          const ordinal = this.liveArticles[at] ?? end;
          if (ordinal >= end) break;
          table.setHashed(ordinal, hashes[ordinal - part.articleBase] ?? 0);
        }
      }
    }
    this.articleById = table;
    return table;
  }

  /** The segment and local ordinal of a global article ordinal (which must be valid). */
  private articleAt(ordinal: number): { part: Part; local: number } {
    const part = this.parts[this.lastPartFrom(ordinal, (p) => p.articleBase)] as Part;
    return { part, local: ordinal - part.articleBase };
  }

  /** The index of the last part whose `start` (chunk or article base) is at most `ordinal`. */
  private lastPartFrom(ordinal: number, start: (part: Part) => number): number {
    let lo = 0;
    let hi = this.parts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (start(this.parts[mid] as Part) <= ordinal) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private localFilter(
    part: Part,
    filter: ((chunkIndex: number) => boolean) | undefined,
  ): ((local: number) => boolean) | undefined {
    const { deleted, base } = part;
    if (deleted === undefined && filter === undefined) return undefined;
    if (filter === undefined) return (local) => deleted?.[local] !== 1;
    return (local) => deleted?.[local] !== 1 && filter(local + base);
  }
}

function best<T extends { chunkIndex: number; score: number }>(hits: T[], k: number): T[] {
  hits.sort((a, b) => b.score - a.score || a.chunkIndex - b.chunkIndex);
  return hits.slice(0, Math.max(0, Math.floor(k)));
}
