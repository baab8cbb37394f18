import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { LruMap } from "../lru.js";
import { splitSentences } from "../text/sentences.js";
import { primeTokens, tokenize } from "../text/segment.js";
import { IndexError } from "../errors.js";
import type { Article, Chunk } from "../types.js";
import { type ByteSource, fileSource } from "./byte-source.js";
import { type HashPool, hashFileWithBlocks } from "./hash-pool.js";
import { fsyncDir, fsyncFile, isErrnoCode, sha256Hex, writeFileDurable } from "./durable-fs.js";
import { LexicalIndex, encodeLexical } from "./lexical.js";
import { RecordFile, encodeRecords } from "./records.js";
import { VectorIndex } from "./vectors.js";
import {
  type BlockTable,
  type StoredBlockTable,
  VerifiedSource,
  blockTable,
  loadBlockTable,
  storeBlockTable,
} from "./verified-source.js";

/** Names of the files inside one segment folder. */
export const SEGMENT_FILES = {
  /** Counts, embedder and the checksums of the other files; written last. */
  meta: "segment.json",
  /** Article ids, editions and chunk counts: the only records loaded at open. */
  catalog: "catalog.json",
  /** Article records without their bodies: read on demand. */
  articles: "articles.rec",
  /** Paragraphs, credits and notes per article: read on demand. */
  bodies: "bodies.rec",
  /** Chunk records: read on demand. */
  chunks: "chunks.rec",
  /**
   * The distinct lexical terms of each article, one record per article (terms joined by a space),
   * which the second stage of answering reads for every candidate. Absent in segments written
   * before it; their article terms are gathered from the chunk records.
   */
  terms: "terms.rec",
  lexical: "lexical.bin",
  vectors: "vectors.hnsw",
} as const;

/** The record files of a segment; `terms` is absent in segments written before it. */
interface SegmentRecords {
  articles: RecordFile;
  bodies: RecordFile;
  chunks: RecordFile;
  terms: RecordFile | undefined;
}

/** The body of an article, stored apart from its metadata. */
type Body = Pick<Article, "paragraphs" | "credits" | "notes">;
/** `catalog.json`: what opening a segment needs of its articles, in stored order. */
interface Catalog {
  ids: string[];
  /** Distinct edition ids; `editionOf[i]` indexes it. */
  editions: string[];
  editionOf: number[];
  chunkCounts: number[];
}
/** A stored chunk: the chunk plus the terms of its sentences (ChunkAnalysis.sentences). */
type StoredChunk = Chunk & { $sentenceTerms?: string | string[][] };

/**
 * Sentence terms are stored as one string (terms joined by a space, sentences by a tab): JSON
 * parses one long string far faster than thousands of short ones, and chunk records are parsed
 * on every question. Terms never contain white space (jieba cuts at it). Control characters
 * would be escaped by JSON to six bytes each.
 */
const TERM_SEPARATOR = " ";
const SENTENCE_SEPARATOR = "\t";

function packTerms(sentences: readonly (readonly string[])[]): string {
  return sentences.map((s) => s.join(TERM_SEPARATOR)).join(SENTENCE_SEPARATOR);
}

function unpackTerms(packed: string | string[][], sentenceCount: number): string[][] {
  // Indexes written earlier in format 2 stored the arrays themselves.
  if (Array.isArray(packed)) return packed;
  if (sentenceCount === 0) return [];
  return packed.split(SENTENCE_SEPARATOR).map((s) => (s === "" ? [] : s.split(TERM_SEPARATOR)));
}
const BODY_KEYS = ["paragraphs", "credits", "notes"] as const;

/** An article record as stored: the article without its body, plus its chunk count. */
type ArticleRecord = Omit<Article, keyof Body> & { chunkCount: number };

/** `segment.json`: what a segment holds and the checksums of its files. */
export interface SegmentMeta {
  articles: number;
  chunks: number;
  embedder: { id: string; dimensions: number };
  /** File name -> sha256 hex. */
  checksums: Record<string, string>;
  /**
   * File name -> one checksum per block, so that a file can be verified as it is read rather
   * than whole at open. Absent in segments written before block tables; their files are
   * verified whole, by `checksums`.
   */
  blocks?: Record<string, StoredBlockTable>;
}

/**
 * A chunk's terms computed once at index time: per sentence (as `splitSentences` cuts its text,
 * trimmed), of its headline and of its byline. They give the chunk's BM25 terms, and they are
 * stored with the chunk, so that query-time scoring does not segment the passage again.
 */
export interface ChunkAnalysis {
  sentences: string[][];
  headline: string[];
  byline: string[];
}

function tokenizeSentences(text: string): string[][] {
  return splitSentences(text).map((s) => tokenize(s.trim()));
}

/** Segments a chunk's sentences, headline and byline with `tokenize`. Never throws. */
export function analyzeChunk(chunk: Chunk): ChunkAnalysis {
  return {
    sentences: tokenizeSentences(chunk.text),
    headline: tokenize(chunk.headline),
    byline: tokenize(chunk.byline.join(" ")),
  };
}

/** The BM25 terms of an analysed chunk: headline, byline and text, as in `chunkDocumentText`. */
export function lexicalTerms(analysis: ChunkAnalysis): string[] {
  return [...analysis.headline, ...analysis.byline, ...analysis.sentences.flat()];
}

/** What one segment is built from. Chunks must be grouped by article, in article order. */
export interface SegmentInput {
  articles: readonly Article[];
  chunks: readonly Chunk[];
  /** The analysis of each chunk, in chunk order. */
  analysis: readonly ChunkAnalysis[];
  /** One unit row per chunk, in chunk order. */
  vectors: Float32Array;
  embedder: { id: string; dimensions: number };
}

/** Options of `writeSegment`. */
export interface WriteSegmentOptions {
  /** Bytes per checksummed block of each file. Defaults to DEFAULT_BLOCK_BYTES (16 KiB). */
  blockBytes?: number;
}

/**
 * Writes a segment folder (which must exist and be empty): records, BM25 postings and the HNSW
 * graph, each fsynced, `segment.json` last with the sha256 and block checksums of each file.
 * Returns the sha256 of `segment.json`, which the snapshot manifest records. Throws on I/O
 * errors, when hnswlib rejects the vectors, or when the chunks are not grouped by article in
 * article order.
 */
export async function writeSegment(
  dir: string,
  input: SegmentInput,
  options: WriteSegmentOptions = {},
): Promise<string> {
  const { articles, chunks } = input;
  const counts = chunkCounts(articles, chunks);
  const checksums: Record<string, string> = {};
  const blocks: Record<string, StoredBlockTable> = {};
  const put = async (file: string, data: Uint8Array): Promise<void> => {
    await writeFileDurable(join(dir, file), data);
    checksums[file] = sha256Hex(data);
    blocks[file] = storeBlockTable(blockTable(data, options.blockBytes));
  };
  await put(
    SEGMENT_FILES.articles,
    encodeRecords(
      articles.map((article, i) => {
        const record: Record<string, unknown> = { ...article, chunkCount: counts[i] ?? 0 };
        for (const key of BODY_KEYS) delete record[key];
        return record;
      }),
    ),
  );
  const editions = [...new Set(articles.map((a) => a.editionId))];
  const editionIndex = new Map(editions.map((e, i) => [e, i]));
  const catalog: Catalog = {
    ids: articles.map((a) => a.id),
    editions,
    editionOf: articles.map((a) => editionIndex.get(a.editionId) ?? 0),
    chunkCounts: counts,
  };
  await put(SEGMENT_FILES.catalog, Buffer.from(JSON.stringify(catalog), "utf8"));
  await put(
    SEGMENT_FILES.bodies,
    encodeRecords(
      articles.map((a): Body => ({ paragraphs: a.paragraphs, credits: a.credits, notes: a.notes })),
    ),
  );
  await put(
    SEGMENT_FILES.chunks,
    encodeRecords(
      chunks.map((c, i): StoredChunk => ({
        ...c,
        $sentenceTerms: packTerms(input.analysis[i]?.sentences ?? []),
      })),
    ),
  );
  await put(
    SEGMENT_FILES.terms,
    encodeRecords(articleTermRecords(articles, counts, input.analysis)),
  );
  await put(SEGMENT_FILES.lexical, encodeLexical(input.analysis.map(lexicalTerms)));
  const graph = VectorIndex.build(input.vectors, chunks.length, input.embedder.dimensions);
  const hnswPath = join(dir, SEGMENT_FILES.vectors);
  await graph.write(hnswPath);
  await fsyncFile(hnswPath);
  // hnswlib wrote the graph from its own memory: it is read back once for both checksums.
  const graphSums = await hashFileWithBlocks(hnswPath, options.blockBytes);
  checksums[SEGMENT_FILES.vectors] = graphSums.sha256;
  blocks[SEGMENT_FILES.vectors] = storeBlockTable(graphSums.blocks);
  const meta: SegmentMeta = {
    articles: articles.length,
    chunks: chunks.length,
    embedder: input.embedder,
    checksums,
    blocks,
  };
  const metaBytes = Buffer.from(`${JSON.stringify(meta, null, 2)}\n`, "utf8");
  await writeFileDurable(join(dir, SEGMENT_FILES.meta), metaBytes);
  await fsyncDir(dir);
  return sha256Hex(metaBytes);
}

/**
 * Per article, its distinct terms packed into one string: headline, subtitle and byline (as
 * `tokenize` gives them) and the sentence terms of its chunks (`analysis`, in chunk order).
 */
function articleTermRecords(
  articles: readonly Article[],
  counts: readonly number[],
  analysis: readonly ChunkAnalysis[],
): string[] {
  let c = 0;
  return articles.map((article, i) => {
    const terms = new Set([
      ...tokenize(article.headline),
      ...tokenize(article.subtitle ?? ""),
      ...tokenize(article.byline.join(" ")),
    ]);
    const end = c + (counts[i] ?? 0);
    for (; c < end; c++) {
      for (const sentence of analysis[c]?.sentences ?? []) for (const t of sentence) terms.add(t);
    }
    return [...terms].join(TERM_SEPARATOR);
  });
}

/** Per article, how many chunks follow it. Throws when chunks are not grouped in article order. */
function chunkCounts(articles: readonly Article[], chunks: readonly Chunk[]): number[] {
  const counts = new Array<number>(articles.length).fill(0);
  let a = 0;
  for (const chunk of chunks) {
    while (a < articles.length && articles[a]?.id !== chunk.articleId) a++;
    if (a === articles.length) {
      throw new Error(`chunk ${chunk.id} is not grouped with its article ${chunk.articleId}`);
    }
    counts[a] = (counts[a] ?? 0) + 1;
  }
  return counts;
}

/** Thrown by `Segment.open` for a damaged segment; the caller adds the fix. */
export class SegmentDamage extends Error {}

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
   * Called when opening has nothing left to do but wait for hnswlib to load the graph (off the
   * main thread): work given here overlaps that load instead of following it. Called once per
   * segment; it must not throw.
   */
  whileGraphLoads?: () => void;
}

/** Segment files read through a ByteSource, which can be verified as they are read. */
const ON_READ_FILES: readonly string[] = [
  SEGMENT_FILES.articles,
  SEGMENT_FILES.bodies,
  SEGMENT_FILES.chunks,
  SEGMENT_FILES.terms,
  SEGMENT_FILES.lexical,
];

/** Files a segment may lack, having been written before they existed. */
const OPTIONAL_FILES: ReadonlySet<string> = new Set([SEGMENT_FILES.terms]);

/**
 * An opened segment: its catalog (article ids, editions, chunk ranges) in memory; articles,
 * bodies and chunks read from disk on demand (recently used ones cached).
 */
export class Segment {
  /** Local article ordinal -> article id. */
  readonly ids: readonly string[];
  /** Local article ordinal -> edition id. */
  readonly editionIds: readonly string[];
  /** Local chunk ordinal -> local article ordinal. */
  readonly chunkArticle: Uint32Array;
  /** Local article ordinal -> its first local chunk ordinal (and one past the last at the end). */
  readonly articleChunkStart: Uint32Array;
  private readonly articleRecords: RecordFile;
  private readonly bodies: RecordFile;
  private readonly chunkRecords: RecordFile;
  private readonly termRecords: RecordFile | undefined;
  private readonly articleCache = new LruMap<number, Article>(4096);
  private readonly bodyCache = new LruMap<number, Body>(2048);

  private constructor(
    readonly name: string,
    readonly meta: SegmentMeta,
    catalog: Catalog,
    records: SegmentRecords,
    readonly lexical: LexicalIndex,
    readonly vectors: VectorIndex,
  ) {
    this.articleRecords = records.articles;
    this.bodies = records.bodies;
    this.chunkRecords = records.chunks;
    this.termRecords = records.terms;
    const n = catalog.ids.length;
    if (catalog.editionOf.length !== n || catalog.chunkCounts.length !== n) {
      throw new SegmentDamage(`${name}: catalog.json lists are of different lengths`);
    }
    this.ids = catalog.ids;
    this.editionIds = catalog.editionOf.map((e) => catalog.editions[e] ?? "");
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

  /**
   * Opens the segment in `dir` after checking `segment.json` against `metaSha256`, and every other
   * file against its checksums: `catalog.json` and the graph (hnswlib trusts its input) at open,
   * the others at open or, with `verifyOnRead`, as they are read. Throws SegmentDamage naming the
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
    const readFiles = ON_READ_FILES.filter(
      (f) => !OPTIONAL_FILES.has(f) || meta.checksums[f] !== undefined,
    );
    const verify = (file: string): Promise<void> => {
      const table = tables.get(file);
      return table === undefined
        ? verifyWhole(dir, file, meta, pool)
        : verifyBlocks(dir, file, table, pool);
    };
    // The graph is loaded while the other files are verified or opened.
    const graph = loadGraph(dir, meta, tables.get(SEGMENT_FILES.vectors), pool);
    graph.catch(() => {}); // awaited below; this only keeps an early failure from going unhandled
    const onRead = new Set(
      options.verifyOnRead === true ? readFiles.filter((f) => tables.has(f)) : [],
    );
    const [catalogBytes] = await Promise.all([
      readWhole(dir, SEGMENT_FILES.catalog, meta),
      ...readFiles.filter((f) => !onRead.has(f)).map(verify),
    ]);
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
      const catalog = JSON.parse(catalogBytes.toString("utf8")) as Catalog;
      const articles = new RecordFile(source(SEGMENT_FILES.articles), "articles.rec");
      opened.push(articles);
      const bodies = new RecordFile(source(SEGMENT_FILES.bodies), "bodies.rec");
      opened.push(bodies);
      const chunks = new RecordFile(source(SEGMENT_FILES.chunks), "chunks.rec");
      opened.push(chunks);
      const terms = readFiles.includes(SEGMENT_FILES.terms)
        ? new RecordFile(source(SEGMENT_FILES.terms), "terms.rec")
        : undefined;
      if (terms) opened.push(terms);
      const lexical = LexicalIndex.decode(source(SEGMENT_FILES.lexical));
      opened.push(lexical);
      if (
        catalog.ids.length !== meta.articles ||
        articles.count !== meta.articles ||
        bodies.count !== meta.articles ||
        (terms !== undefined && terms.count !== meta.articles)
      ) {
        throw new Error(`article records differ from segment.json (${meta.articles})`);
      }
      if (chunks.count !== meta.chunks || lexical.docCount !== meta.chunks) {
        throw new Error(`chunk records or postings differ from segment.json (${meta.chunks})`);
      }
      options.whileGraphLoads?.();
      const vectors = await graph;
      return new Segment(
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
    if (sentenceTerms !== undefined && sentenceTerms.length === sentences.length) {
      sentences.forEach((s, i) => primeTokens(s.trim(), sentenceTerms[i] ?? []));
      primeTokens(stored.text, sentenceTerms.flat());
    }
    return stored;
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
   * The distinct terms of a local article (headline, subtitle, byline and text), from the terms
   * stored with its chunks: the text is not segmented again.
   */
  articleTerms(local: number): readonly string[] {
    if (this.termRecords !== undefined) {
      const packed = this.termRecords.get(local) as string;
      return packed === "" ? [] : packed.split(TERM_SEPARATOR);
    }
    const article = this.article(local);
    const terms = new Set([
      ...tokenize(article.headline),
      ...tokenize(article.subtitle ?? ""),
      ...tokenize(article.byline.join(" ")),
    ]);
    const end = this.articleChunkStart[local + 1] ?? 0;
    for (let c = this.articleChunkStart[local] ?? 0; c < end; c++) {
      const stored = this.chunkRecords.get(c) as StoredChunk;
      const packed = stored.$sentenceTerms;
      const sentences =
        packed === undefined
          ? tokenizeSentences(stored.text)
          : unpackTerms(packed, splitSentences(stored.text).length);
      for (const sentence of sentences) {
        for (const term of sentence) terms.add(term);
      }
    }
    return [...terms];
  }

  /** The stored vector of a local chunk ordinal. Throws when hnswlib does not hold it. */
  vectorOf(local: number): Float32Array {
    return this.vectors.vectorOf(local);
  }

  /** Releases the segment's files. */
  close(): void {
    this.articleRecords.close();
    this.bodies.close();
    this.chunkRecords.close();
    this.termRecords?.close();
    this.lexical.close();
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

/** Reads `segment.json` and checks it against the snapshot manifest's checksum. */
async function readMeta(dir: string, metaSha256: string): Promise<SegmentMeta> {
  const metaBytes = await readFile(join(dir, SEGMENT_FILES.meta)).catch((error: unknown) => {
    if (isErrnoCode(error, "ENOENT")) {
      throw new SegmentDamage(`${dir}/${SEGMENT_FILES.meta} is missing`);
    }
    throw error;
  });
  if (sha256Hex(metaBytes) !== metaSha256) {
    throw new SegmentDamage(`${dir}/${SEGMENT_FILES.meta} does not match its checksum`);
  }
  return JSON.parse(metaBytes.toString("utf8")) as SegmentMeta;
}

/** The block tables of `segment.json`, by file; files of another checksum algorithm are left out. */
function blockTables(dir: string, meta: SegmentMeta): Map<string, BlockTable> {
  const tables = new Map<string, BlockTable>();
  if (meta.blocks === undefined) return tables;
  for (const [file, stored] of Object.entries(meta.blocks)) {
    try {
      const table = loadBlockTable(stored);
      if (table !== undefined) tables.set(file, table);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new SegmentDamage(`${dir}/${SEGMENT_FILES.meta}: ${file} has a bad ${reason}`);
    }
  }
  return tables;
}

/** Checks a whole file against its sha256 in `segment.json`. Throws SegmentDamage. */
async function verifyWhole(
  dir: string,
  file: string,
  meta: SegmentMeta,
  pool: HashPool,
): Promise<void> {
  const expected = meta.checksums[file];
  if (expected === undefined) throw new SegmentDamage(`${dir}/${file} has no checksum`);
  const actual = await pool.hash(join(dir, file)).catch((error: unknown) => {
    if (isErrnoCode(error, "ENOENT")) throw new SegmentDamage(`${dir}/${file} is missing`);
    throw error;
  });
  if (actual !== expected) {
    throw new SegmentDamage(`${dir}/${file} does not match its checksum`);
  }
}

/**
 * hnswlib's header: the fields its `loadIndex` reads first (offsetLevel0 .. ef_construction in
 * hnswalg.h), which size everything it allocates.
 */
const HNSW_HEADER_BYTES = 96;

/**
 * Loads the HNSW graph, which must be verified in full before it is used: hnswlib trusts its
 * input. With a block table, the blocks holding its header are checked first, then hnswlib reads
 * the file while the rest is checked on the pool's workers, and the graph is returned only when
 * both succeeded. That is safe because hnswlib's loadIndex (hnswlib 0.8, vendored by
 * hnswlib-node 3) sizes every allocation from the verified header, except the link lists, whose
 * sizes it first checks add up to the file's size; the other bytes are only copied, and a graph
 * whose file fails its check is dropped before anything searches it. Throws SegmentDamage.
 */
async function loadGraph(
  dir: string,
  meta: SegmentMeta,
  table: BlockTable | undefined,
  pool: HashPool,
): Promise<VectorIndex> {
  const file = SEGMENT_FILES.vectors;
  const read = (): Promise<VectorIndex> =>
    VectorIndex.read(join(dir, file), meta.chunks, meta.embedder.dimensions);
  if (table === undefined) {
    await verifyWhole(dir, file, meta, pool);
    return read();
  }
  const headerBlocks = Math.ceil(Math.min(HNSW_HEADER_BYTES, table.size) / table.blockBytes);
  await verifyBlocks(dir, file, table, pool, 0, headerBlocks);
  const [loaded, checked] = await Promise.allSettled([
    read(),
    verifyBlocks(dir, file, table, pool, headerBlocks),
  ]);
  // A damaged body may also make hnswlib fail; the checksum names the problem better.
  if (checked.status === "rejected") throw checked.reason;
  if (loaded.status === "rejected") throw loaded.reason;
  return loaded.value;
}

/** Checks blocks `from`..`to` (default: all) of a file against its block table. Throws SegmentDamage. */
async function verifyBlocks(
  dir: string,
  file: string,
  table: BlockTable,
  pool: HashPool,
  from = 0,
  to = table.sums.length,
): Promise<void> {
  const path = join(dir, file);
  const size = await stat(path).then(
    (s) => s.size,
    (error: unknown) => {
      if (isErrnoCode(error, "ENOENT")) throw new SegmentDamage(`${path} is missing`);
      throw error;
    },
  );
  if (size !== table.size) {
    throw new SegmentDamage(`${path} is ${size} bytes, its checksum table says ${table.size}`);
  }
  const bad = await pool.verifyBlocks(path, table, from, to);
  if (bad !== undefined) {
    throw new SegmentDamage(`${path} does not match its checksum in block ${bad}`);
  }
}

/** Reads a small file whole and checks it against its sha256 in `segment.json`. */
async function readWhole(dir: string, file: string, meta: SegmentMeta): Promise<Buffer> {
  const expected = meta.checksums[file];
  if (expected === undefined) throw new SegmentDamage(`${dir}/${file} has no checksum`);
  const bytes = await readFile(join(dir, file)).catch((error: unknown) => {
    if (isErrnoCode(error, "ENOENT")) throw new SegmentDamage(`${dir}/${file} is missing`);
    throw error;
  });
  if (sha256Hex(bytes) !== expected) {
    throw new SegmentDamage(`${dir}/${file} does not match its checksum`);
  }
  return bytes;
}
