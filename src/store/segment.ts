import { join } from "node:path";
import { LruMap } from "../lru.js";
import { splitSentences } from "../text/sentences.js";
import { primeTokens } from "../text/words.js";
import { IndexError } from "../errors.js";
import type { Article, Chunk } from "../types.js";
import { type ByteSource, fileSource } from "./byte-source.js";
import type { HashPool } from "./hash-pool.js";
import { isErrnoCode } from "./durable-fs.js";
import { LexicalIndex } from "./lexical.js";
import { RecordFile } from "./records.js";
import { CompactVectorIndex } from "./compact-vectors.js";
import type { PackedStrings } from "./packed-strings.js";
import { VerifiedSource } from "./verified-source.js";
import {
  type ArticleRecord,
  BODY_KEYS,
  type Body,
  type Catalog,
  SEGMENT_FILES,
  SegmentDamage,
  type SegmentMeta,
  type StoredChunk,
  TERM_SEPARATOR,
  decodeCatalog,
  unpackTerms,
} from "./segment-format.js";
import {
  blockTables,
  loadCodes,
  readMeta,
  readWhole,
  verifyBlocks,
  verifyWhole,
} from "./segment-verify.js";

export { SEGMENT_FILES, SegmentDamage, analyzeChunk, lexicalTerms } from "./segment-format.js";
export type { ChunkAnalysis, SegmentMeta } from "./segment-format.js";
export { writeSegment } from "./segment-write.js";
export type { SegmentInput, WriteSegmentOptions } from "./segment-write.js";

/** The record files of a segment. */
interface SegmentRecords {
  articles: RecordFile;
  bodies: RecordFile;
  chunks: RecordFile;
  terms: RecordFile;
}

/** Options of `Segment.open`. */
export interface OpenSegmentOptions {
  /**
   * Verify the record files and `lexical.bin` block by block as they are read (what opening
   * reads of them at open, the rest on first use), instead of every byte at open; a damaged
   * block then fails the read with IndexError INDEX_CORRUPT. Files without a block table are
   * still verified whole at open. Defaults to false.
   */
  verifyOnRead?: boolean;
  /**
   * Called once the segment's first reads are under way (the catalog, and the vector codes,
   * read asynchronously), before opening waits for them:
   * work given here overlaps those reads instead of following them. Called once per segment; it
   * must not throw.
   */
  whileFilesLoad?: () => void;
}

/** Segment files read through a ByteSource, which can be verified as they are read. */
const ON_READ_FILES: readonly string[] = [
  SEGMENT_FILES.articles,
  SEGMENT_FILES.bodies,
  SEGMENT_FILES.chunks,
  SEGMENT_FILES.terms,
  SEGMENT_FILES.lexical,
  SEGMENT_FILES.vectorRows,
];

/**
 * An opened segment: its catalog (article ids, editions, chunk ranges) in memory; articles,
 * bodies and chunks read from disk on demand (recently used ones cached).
 */
export class Segment {
  /** Local article ordinal -> article id. */
  readonly ids: PackedStrings;
  /** Distinct edition ids of the segment; `editionOf` indexes it. */
  private readonly editions: readonly string[];
  /** Local article ordinal -> index into `editions`. */
  private readonly editionOf: Uint32Array;
  /** Local chunk ordinal -> local article ordinal. */
  readonly chunkArticle: Uint32Array;
  /** Local article ordinal -> its first local chunk ordinal (and one past the last at the end). */
  readonly articleChunkStart: Uint32Array;
  private readonly articleRecords: RecordFile;
  private readonly bodies: RecordFile;
  private readonly chunkRecords: RecordFile;
  private readonly termRecords: RecordFile;
  private readonly articleCache = new LruMap<number, Article>(256);
  private readonly bodyCache = new LruMap<number, Body>(128);

  private constructor(
    /** The segment's folder. */
    readonly dir: string,
    readonly name: string,
    readonly meta: SegmentMeta,
    catalog: Catalog,
    records: SegmentRecords,
    readonly lexical: LexicalIndex,
    readonly vectors: CompactVectorIndex,
  ) {
    this.articleRecords = records.articles;
    this.bodies = records.bodies;
    this.chunkRecords = records.chunks;
    this.termRecords = records.terms;
    const n = catalog.ids.length;
    if (catalog.editionOf.length !== n || catalog.chunkCounts.length !== n) {
      throw new SegmentDamage(`${name}: catalog.json lists are of different lengths`);
    }
    if (catalog.editionOf.some((e) => e >= catalog.editions.length)) {
      throw new SegmentDamage(`${name}: catalog.json names an edition it does not list`);
    }
    this.ids = catalog.ids;
    this.editions = catalog.editions;
    this.editionOf = catalog.editionOf;
    this.articleChunkStart = new Uint32Array(n + 1);
    this.chunkArticle = new Uint32Array(meta.chunks);
    let c = 0;
    catalog.chunkCounts.forEach((count, i) => {
      this.articleChunkStart[i] = c;
      if (c + count > meta.chunks) return;
      this.chunkArticle.fill(i, c, c + count);
      c += count;
    });
    this.articleChunkStart[n] = c;
    if (c !== meta.chunks || catalog.chunkCounts.reduce((x, y) => x + y, 0) !== meta.chunks) {
      throw new SegmentDamage(`${name}: catalog.json does not cover ${meta.chunks} chunks`);
    }
  }

  /** The edition id of a local article ordinal ("" outside the segment). Never throws. */
  editionIdOf(local: number): string {
    return this.editions[this.editionOf[local] ?? -1] ?? "";
  }

  /**
   * Opens the segment in `dir` after checking `segment.json` against `metaSha256`, and every other
   * file against its checksums: `catalog.json` and the vector codes at open, the others at open or, with `verifyOnRead`, as they are read. Throws SegmentDamage naming the
   * file and the problem, or IndexError INDEX_CORRUPT for a block found damaged while opening.
   */
  static async open(
    dir: string,
    name: string,
    metaSha256: string,
    pool: HashPool,
    options: OpenSegmentOptions = {},
  ): Promise<Segment> {
    const meta = await readMeta(dir, metaSha256);
    const tables = blockTables(dir, meta);
    const readFiles = ON_READ_FILES;
    const verify = (file: string): Promise<void> => {
      const table = tables.get(file);
      return table === undefined
        ? verifyWhole(dir, file, meta, pool)
        : verifyBlocks(dir, file, table, pool);
    };
    // The vector codes load while the other files are verified or opened.
    const loading = loadCodes(dir, meta, tables.get(SEGMENT_FILES.vectorCodes));
    loading.catch(() => {}); // awaited below; this only keeps an early failure from going unhandled
    const onRead = new Set(
      options.verifyOnRead === true ? readFiles.filter((f) => tables.has(f)) : [],
    );
    const reading = Promise.all([
      readWhole(dir, SEGMENT_FILES.catalog, meta),
      ...readFiles.filter((f) => !onRead.has(f)).map(verify),
    ]);
    reading.catch(() => {}); // awaited below, as `loading` is
    options.whileFilesLoad?.();
    const [catalogBytes] = await reading;
    const opened: { close(): void }[] = [];
    const source = (file: string): ByteSource => {
      const path = join(dir, file);
      let plain: ByteSource;
      try {
        plain = fileSource(path);
      } catch (error) {
        if (isErrnoCode(error, "ENOENT")) throw new SegmentDamage(`${path} is missing`);
        throw error;
      }
      const table = onRead.has(file) ? tables.get(file) : undefined;
      if (table === undefined) return plain;
      try {
        return new VerifiedSource(plain, table, path);
      } catch (error) {
        plain.close();
        throw error;
      }
    };
    try {
      const catalog = decodeCatalog(catalogBytes);
      const articles = new RecordFile(source(SEGMENT_FILES.articles), "articles.rec");
      opened.push(articles);
      const bodies = new RecordFile(source(SEGMENT_FILES.bodies), "bodies.rec");
      opened.push(bodies);
      const chunks = new RecordFile(source(SEGMENT_FILES.chunks), "chunks.rec");
      opened.push(chunks);
      const terms = new RecordFile(source(SEGMENT_FILES.terms), "terms.rec");
      opened.push(terms);
      const lexical = LexicalIndex.decode(source(SEGMENT_FILES.lexical));
      opened.push(lexical);
      if (
        catalog.ids.length !== meta.articles ||
        articles.count !== meta.articles ||
        bodies.count !== meta.articles ||
        terms.count !== meta.articles
      ) {
        throw new Error(`article records differ from segment.json (${meta.articles})`);
      }
      if (chunks.count !== meta.chunks || lexical.docCount !== meta.chunks) {
        throw new Error(`chunk records or postings differ from segment.json (${meta.chunks})`);
      }
      const codes = await loading;
      const rows = source(SEGMENT_FILES.vectorRows);
      opened.push(rows);
      const vectors = new CompactVectorIndex(codes, rows);
      return new Segment(
        dir,
        name,
        meta,
        catalog,
        { articles, bodies, chunks, terms },
        lexical,
        vectors,
      );
    } catch (error) {
      for (const file of opened) file.close();
      if (error instanceof SegmentDamage || error instanceof IndexError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new SegmentDamage(`${dir} cannot be read (${reason})`, { cause: error });
    }
  }

  /**
   * The chunk at a local ordinal, read from disk; the terms stored with it prime the tokenizer's
   * cache for its sentences and text. Throws RangeError outside the segment.
   */
  readChunk(local: number): Chunk {
    const stored = this.chunkRecords.get(local) as StoredChunk;
    const packed = stored.$sentenceTerms;
    delete stored.$sentenceTerms;
    const sentences = splitSentences(stored.text);
    const sentenceTerms = packed === undefined ? undefined : unpackTerms(packed, sentences.length);
    if (sentenceTerms?.length === sentences.length) {
      sentences.forEach((s, i) => primeTokens(s.trim(), sentenceTerms[i] ?? []));
      primeTokens(stored.text, sentenceTerms.flat());
    }
    return stored;
  }

  /**
   * Reads ahead the records of the chunks at `locals` and of their articles (record, terms, body)
   * with `ByteSource.prefetch`: for a store not yet in the page cache. Never rejects.
   */
  async prefetchChunks(locals: readonly number[]): Promise<void> {
    const articles = [...new Set(locals.map((c) => this.chunkArticle[c] ?? -1))];
    await Promise.all([
      this.chunkRecords.prefetch(locals),
      this.articleRecords.prefetch(articles),
      this.bodies.prefetch(articles),
      this.termRecords.prefetch(articles),
    ]);
  }

  /** The article at a local ordinal, its body read on first use. Throws RangeError outside. */
  article(local: number): Article {
    let article = this.articleCache.get(local);
    if (article === undefined) {
      const record = this.articleRecords.get(local) as Partial<ArticleRecord>;
      delete record.chunkCount;
      article = this.lazyArticle(record as Omit<Article, keyof Body>, local);
      this.articleCache.set(local, article);
    }
    return article;
  }

  /**
   * The distinct terms of a local article (headline, subtitle, byline and text), stored at index
   * time: the text is not segmented again.
   */
  articleTerms(local: number): readonly string[] {
    const packed = this.termRecords.get(local) as string;
    return packed === "" ? [] : packed.split(TERM_SEPARATOR);
  }

  /** The stored vector of a local chunk ordinal. Throws when the segment does not hold it. */
  vectorOf(local: number): Float32Array {
    return this.vectors.vectorOf(local);
  }

  /**
   * The files questions read on demand, the most used first: what is worth having in the page
   * cache. The codes are left out: they are held in memory.
   */
  onDemandFiles(): string[] {
    const files = [
      SEGMENT_FILES.chunks,
      SEGMENT_FILES.terms,
      SEGMENT_FILES.lexical,
      SEGMENT_FILES.vectorRows,
      SEGMENT_FILES.articles,
      SEGMENT_FILES.bodies,
    ];
    return files.map((file) => join(this.dir, file));
  }

  /** Releases the segment's files. */
  close(): void {
    this.articleRecords.close();
    this.bodies.close();
    this.chunkRecords.close();
    this.termRecords.close();
    this.lexical.close();
    this.vectors.close();
  }

  private body(ordinal: number): Body {
    let cached = this.bodyCache.get(ordinal);
    if (cached === undefined) {
      cached = this.bodies.get(ordinal) as Body;
      this.bodyCache.set(ordinal, cached);
    }
    return cached;
  }

  private lazyArticle(meta: Omit<Article, keyof Body>, ordinal: number): Article {
    const article = { ...meta } as Article;
    const body = (): Body => this.body(ordinal);
    // Enumerable getters: spreading or serialising an article still yields its body, while an
    // archive of 150,000 articles keeps only the bodies in use in memory.
    for (const key of BODY_KEYS) {
      Object.defineProperty(article, key, {
        enumerable: true,
        configurable: true,
        get: () => body()[key],
      });
    }
    return article;
  }
}
