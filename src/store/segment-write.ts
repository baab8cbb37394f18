import { join } from "node:path";
import type { Article, Chunk } from "../types.js";
import { fsyncDir, sha256Hex, writeFileDurable } from "./durable-fs.js";
import { encodeCompactVectors } from "./compact-vectors.js";
import { encodeLexical } from "./lexical.js";
import { encodeRecords } from "./records.js";
import { type StoredBlockTable, blockTable, storeBlockTable } from "./verified-source.js";
import {
  BODY_KEYS,
  type Body,
  type ChunkAnalysis,
  SEGMENT_FILES,
  type SegmentMeta,
  type StoredChunk,
  TERM_SEPARATOR,
  articleTermsOf,
  encodeCatalog,
  lexicalTerms,
  packTerms,
} from "./segment-format.js";

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
 * Writes a segment folder (which must exist and be empty): records, BM25 postings and the vectors,
 * each fsynced, `segment.json` last with the sha256 and block checksums of each file.
 * Returns the sha256 of `segment.json`, which the snapshot manifest records. Throws on I/O
 * errors, for vectors of another count than the chunks, or when the chunks are not grouped by
 * article in article order.
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
  await put(
    SEGMENT_FILES.catalog,
    encodeCatalog(
      articles.map((a) => a.id),
      editions,
      articles.map((a) => editionIndex.get(a.editionId) ?? 0),
      counts,
    ),
  );
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
  const dims = input.embedder.dimensions;
  if (input.vectors.length !== chunks.length * dims) {
    throw new Error(`${input.vectors.length / dims} vectors given for ${chunks.length} chunks`);
  }
  const { rows, codes } = encodeCompactVectors(input.vectors, chunks.length, dims);
  await put(SEGMENT_FILES.vectorRows, rows);
  await put(SEGMENT_FILES.vectorCodes, codes);
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
    const start = c;
    c += counts[i] ?? 0;
    const sentences = analysis.slice(start, c).flatMap((a) => a.sentences);
    return articleTermsOf(article, sentences).join(TERM_SEPARATOR);
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
