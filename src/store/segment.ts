import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { LruMap } from "../lru.js";
import { splitSentences } from "../text/sentences.js";
import { primeTokens, tokenize } from "../text/segment.js";
import type { Article, Chunk } from "../types.js";
import { fileSource } from "./byte-source.js";
import type { HashPool } from "./hash-pool.js";
import { fsyncDir, fsyncFile, isErrnoCode, sha256Hex, writeFileDurable } from "./durable-fs.js";
import { LexicalIndex, encodeLexical } from "./lexical.js";
import { RecordFile, encodeRecords } from "./records.js";
import { VectorIndex } from "./vectors.js";

/** Names of the files inside one segment folder. */
export const SEGMENT_FILES = {
  /** Counts, embedder and the checksums of the other files; written last. */
  meta: "segment.json",
  /** Article records without their bodies: loaded whole at open. */
  articles: "articles.rec",
  /** Paragraphs, credits and notes per article: read on demand. */
  bodies: "bodies.rec",
  /** Chunk records: read on demand. */
  chunks: "chunks.rec",
  lexical: "lexical.bin",
  vectors: "vectors.hnsw",
} as const;

/** The body of an article, stored apart from its metadata. */
type Body = Pick<Article, "paragraphs" | "credits" | "notes">;
/** A stored body: the body plus the article's distinct terms (headline, subtitle, byline, text). */
type StoredBody = Body & { terms: string[] };
/** A stored chunk: the chunk plus the terms of its sentences (ChunkAnalysis.sentences). */
type StoredChunk = Chunk & { $sentenceTerms?: string[][] };
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

/** Segments a chunk's sentences, headline and byline with `tokenize`. Never throws. */
export function analyzeChunk(chunk: Chunk): ChunkAnalysis {
  return {
    sentences: splitSentences(chunk.text).map((s) => tokenize(s.trim())),
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

/**
 * Writes a segment folder (which must exist and be empty): records, BM25 postings and the HNSW
 * graph, each fsynced, `segment.json` last. Returns the sha256 of `segment.json`, which the
 * snapshot manifest records. Throws on I/O errors, when hnswlib rejects the vectors, or when the
 * chunks are not grouped by article in article order.
 */
export async function writeSegment(dir: string, input: SegmentInput): Promise<string> {
  const { articles, chunks } = input;
  const counts = chunkCounts(articles, chunks);
  const checksums: Record<string, string> = {};
  const put = async (file: string, data: Uint8Array): Promise<void> => {
    await writeFileDurable(join(dir, file), data);
    checksums[file] = sha256Hex(data);
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
  const articleTerms = termsPerArticle(articles, chunks, input.analysis);
  await put(
    SEGMENT_FILES.bodies,
    encodeRecords(
      articles.map((a, i): StoredBody => ({
        paragraphs: a.paragraphs,
        credits: a.credits,
        notes: a.notes,
        terms: articleTerms[i] ?? [],
      })),
    ),
  );
  await put(
    SEGMENT_FILES.chunks,
    encodeRecords(
      chunks.map((c, i): StoredChunk => ({
        ...c,
        $sentenceTerms: input.analysis[i]?.sentences ?? [],
      })),
    ),
  );
  await put(SEGMENT_FILES.lexical, encodeLexical(input.analysis.map(lexicalTerms)));
  const graph = VectorIndex.build(input.vectors, chunks.length, input.embedder.dimensions);
  const hnswPath = join(dir, SEGMENT_FILES.vectors);
  await graph.write(hnswPath);
  await fsyncFile(hnswPath);
  checksums[SEGMENT_FILES.vectors] = await hashFile(hnswPath);
  const meta: SegmentMeta = {
    articles: articles.length,
    chunks: chunks.length,
    embedder: input.embedder,
    checksums,
  };
  const metaBytes = Buffer.from(`${JSON.stringify(meta, null, 2)}\n`, "utf8");
  await writeFileDurable(join(dir, SEGMENT_FILES.meta), metaBytes);
  await fsyncDir(dir);
  return sha256Hex(metaBytes);
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

/** Each article's distinct terms: of its chunks, headline, subtitle and byline. Never throws. */
function termsPerArticle(
  articles: readonly Article[],
  chunks: readonly Chunk[],
  analysis: readonly ChunkAnalysis[],
): string[][] {
  const sets = new Map<string, Set<string>>();
  for (const article of articles) {
    sets.set(
      article.id,
      new Set([
        ...tokenize(article.headline),
        ...tokenize(article.subtitle ?? ""),
        ...tokenize(article.byline.join(" ")),
      ]),
    );
  }
  chunks.forEach((chunk, i) => {
    const set = sets.get(chunk.articleId);
    const terms = analysis[i];
    if (set === undefined || terms === undefined) return;
    for (const sentence of terms.sentences) for (const term of sentence) set.add(term);
  });
  return articles.map((a) => [...(sets.get(a.id) ?? [])]);
}

/** sha256 of a file, streamed so that a large file never sits in memory whole. */
export async function hashFile(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const part of createReadStream(path, { highWaterMark: 1 << 20 })) {
    hash.update(part as Buffer);
  }
  return hash.digest("hex");
}

/** Thrown by `openSegment` for a damaged segment; the caller adds the fix. */
export class SegmentDamage extends Error {}

/** An opened segment: article metadata in memory, bodies and chunks read on demand. */
export class Segment {
  /** Articles in stored order, bodies loaded lazily. */
  readonly articles: readonly Article[];
  /** Local chunk ordinal -> local article ordinal. */
  readonly chunkArticle: Uint32Array;
  /** Local article ordinal -> its first local chunk ordinal (and one past the last at the end). */
  readonly articleChunkStart: Uint32Array;
  private readonly bodyCache = new LruMap<number, StoredBody>(2048);

  private constructor(
    readonly name: string,
    readonly meta: SegmentMeta,
    records: readonly ArticleRecord[],
    private readonly bodies: RecordFile,
    private readonly chunkRecords: RecordFile,
    readonly lexical: LexicalIndex,
    readonly vectors: VectorIndex,
  ) {
    this.articleChunkStart = new Uint32Array(records.length + 1);
    this.chunkArticle = new Uint32Array(meta.chunks);
    let c = 0;
    const articles: Article[] = [];
    records.forEach((record, i) => {
      this.articleChunkStart[i] = c;
      for (let k = 0; k < record.chunkCount; k++) this.chunkArticle[c++] = i;
      const meta: Partial<ArticleRecord> = { ...record };
      delete meta.chunkCount;
      articles.push(this.lazyArticle(meta as Omit<Article, keyof Body>, i));
    });
    this.articleChunkStart[records.length] = c;
    if (c !== meta.chunks)
      throw new SegmentDamage(`articles.rec covers ${c} chunks, not ${meta.chunks}`);
    this.articles = articles;
  }

  /**
   * Opens the segment in `dir` after checking `segment.json` against `metaSha256` and every file
   * against its checksum. Throws SegmentDamage naming the file and the problem.
   */
  static async open(
    dir: string,
    name: string,
    metaSha256: string,
    pool: HashPool,
  ): Promise<Segment> {
    const metaBytes = await readFile(join(dir, SEGMENT_FILES.meta)).catch((error: unknown) => {
      if (isErrnoCode(error, "ENOENT")) {
        throw new SegmentDamage(`${dir}/${SEGMENT_FILES.meta} is missing`);
      }
      throw error;
    });
    if (sha256Hex(metaBytes) !== metaSha256) {
      throw new SegmentDamage(`${dir}/${SEGMENT_FILES.meta} does not match its checksum`);
    }
    const meta = JSON.parse(metaBytes.toString("utf8")) as SegmentMeta;
    const check = async (file: string): Promise<void> => {
      const expected = meta.checksums[file];
      if (expected === undefined) throw new SegmentDamage(`${dir}/${file} has no checksum`);
      const actual = await pool.hash(join(dir, file)).catch((error: unknown) => {
        if (isErrnoCode(error, "ENOENT")) throw new SegmentDamage(`${dir}/${file} is missing`);
        throw error;
      });
      if (actual !== expected) {
        throw new SegmentDamage(`${dir}/${file} does not match its checksum`);
      }
    };
    // The graph is loaded as soon as its own file is verified (hnswlib trusts its input), while
    // the other files are still being hashed.
    const graph = check(SEGMENT_FILES.vectors).then(() =>
      VectorIndex.read(join(dir, SEGMENT_FILES.vectors), meta.chunks, meta.embedder.dimensions),
    );
    graph.catch(() => {}); // awaited below; this only keeps an early failure from going unhandled
    const others = Object.values(SEGMENT_FILES).filter(
      (f) => f !== SEGMENT_FILES.meta && f !== SEGMENT_FILES.vectors,
    );
    await Promise.all(others.map(check));
    const opened: { close(): void }[] = [];
    try {
      const articleFile = new RecordFile(
        fileSource(join(dir, SEGMENT_FILES.articles)),
        "articles.rec",
      );
      const records = articleFile.all() as ArticleRecord[];
      articleFile.close();
      const bodies = new RecordFile(fileSource(join(dir, SEGMENT_FILES.bodies)), "bodies.rec");
      opened.push(bodies);
      const chunks = new RecordFile(fileSource(join(dir, SEGMENT_FILES.chunks)), "chunks.rec");
      opened.push(chunks);
      const lexical = LexicalIndex.decode(fileSource(join(dir, SEGMENT_FILES.lexical)));
      opened.push(lexical);
      if (records.length !== meta.articles || bodies.count !== meta.articles) {
        throw new Error(`article records differ from segment.json (${meta.articles})`);
      }
      if (chunks.count !== meta.chunks || lexical.docCount !== meta.chunks) {
        throw new Error(`chunk records or postings differ from segment.json (${meta.chunks})`);
      }
      const vectors = await graph;
      return new Segment(name, meta, records, bodies, chunks, lexical, vectors);
    } catch (error) {
      for (const file of opened) file.close();
      if (error instanceof SegmentDamage) throw error;
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
    const sentenceTerms = stored.$sentenceTerms;
    delete stored.$sentenceTerms;
    const sentences = splitSentences(stored.text);
    if (sentenceTerms !== undefined && sentenceTerms.length === sentences.length) {
      sentences.forEach((s, i) => primeTokens(s.trim(), sentenceTerms[i] ?? []));
      primeTokens(stored.text, sentenceTerms.flat());
    }
    return stored;
  }

  /** The distinct terms of a local article (headline, subtitle, byline and text). */
  articleTerms(local: number): readonly string[] {
    return this.body(local).terms;
  }

  /** The stored vector of a local chunk ordinal. Throws when hnswlib does not hold it. */
  vectorOf(local: number): Float32Array {
    return this.vectors.vectorOf(local);
  }

  /** Releases the segment's files. */
  close(): void {
    this.bodies.close();
    this.chunkRecords.close();
    this.lexical.close();
  }

  private body(ordinal: number): StoredBody {
    let cached = this.bodyCache.get(ordinal);
    if (cached === undefined) {
      cached = this.bodies.get(ordinal) as StoredBody;
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
