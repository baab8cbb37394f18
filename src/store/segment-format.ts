import { splitSentences } from "../text/sentences.js";
import { tokenize } from "../text/segment.js";
import type { Article, Chunk } from "../types.js";
import { PackedStrings } from "./packed-strings.js";
import {
  asciiJson,
  base64U32,
  fromBase64U32,
  jsonText,
  loadStrings,
  storeStrings,
} from "./packed-json.js";
import type { StoredBlockTable } from "./verified-source.js";

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
  /** The chunk vectors, float32 rows in chunk order: read on demand. */
  vectorRows: "vectors.f32",
  /** The 2-bit codes of the rows (`scan/codes.ts`): loaded at open. */
  vectorCodes: "vectors.codes",
  /** An HNSW graph (hnswlib) holding the vectors, instead of rows and codes, in older segments. */
  graph: "vectors.hnsw",
} as const;

/**
 * Files a segment may lack, having been written before they existed; or, for the vector files,
 * after (a segment holds either rows and codes or a graph, see `vectorFormat`).
 */
const OPTIONAL_SEGMENT_FILES: ReadonlySet<string> = new Set([
  SEGMENT_FILES.terms,
  SEGMENT_FILES.vectorRows,
  SEGMENT_FILES.vectorCodes,
  SEGMENT_FILES.graph,
]);

/** How a segment stores its vectors: rows and codes, or an hnswlib graph. */
export type VectorFormat = "compact" | "hnsw";

/**
 * How the segment `meta` describes stores its vectors. Throws SegmentDamage when its checksums
 * list neither rows and codes nor a graph.
 */
export function vectorFormat(meta: SegmentMeta): VectorFormat {
  const has = (file: string): boolean => meta.checksums[file] !== undefined;
  if (has(SEGMENT_FILES.vectorRows) && has(SEGMENT_FILES.vectorCodes)) return "compact";
  if (has(SEGMENT_FILES.graph)) return "hnsw";
  throw new SegmentDamage(`${SEGMENT_FILES.meta} lists no vector files`);
}

/**
 * The files besides `segment.json` that a segment holds: every one of SEGMENT_FILES, except an
 * optional file its `segment.json` gives no checksum (it was written before that file existed).
 */
export function segmentFiles(meta: SegmentMeta): string[] {
  return Object.values(SEGMENT_FILES).filter(
    (f) =>
      f !== SEGMENT_FILES.meta &&
      (!OPTIONAL_SEGMENT_FILES.has(f) || meta.checksums[f] !== undefined),
  );
}

/** The body of an article, stored apart from its metadata. */
export type Body = Pick<Article, "paragraphs" | "credits" | "notes">;
/**
 * `catalog.json`: what opening a segment needs of its articles, in stored order. Written packed:
 * the ids joined into one string with their end offsets, and the per-article numbers as base64
 * little-endian u32 arrays, in ASCII (see `asciiJson`). Decoding it reads a few long strings
 * instead of 146,000 short ones and two lists of numbers: 35-50 -> 11-14 ms at 146k articles, and
 * 8 MB less heap. Segments written before hold plain lists, which `decodeCatalog` also reads.
 */
interface StoredCatalog {
  ids: string | string[];
  /** Where each id ends in `ids` (UTF-16 units), base64 u32; absent when `ids` is an array. */
  idEnds?: string;
  /** Distinct edition ids; `editionOf[i]` indexes it. */
  editions: string[];
  editionOf: string | number[];
  chunkCounts: string | number[];
}

/** A catalog in memory. */
export interface Catalog {
  ids: PackedStrings;
  /** Distinct edition ids; `editionOf[i]` indexes it. */
  editions: string[];
  editionOf: Uint32Array;
  chunkCounts: Uint32Array;
}

/** `catalog.json` for articles in stored order. Never throws. */
export function encodeCatalog(
  ids: readonly string[],
  editions: readonly string[],
  editionOf: readonly number[],
  chunkCounts: readonly number[],
): Buffer {
  const packed = storeStrings(ids);
  const stored: StoredCatalog = {
    ids: packed.joined,
    idEnds: packed.ends,
    editions: [...editions],
    editionOf: base64U32(editionOf),
    chunkCounts: base64U32(chunkCounts),
  };
  return asciiJson(stored);
}

/** Reads `catalog.json`, packed or as older segments wrote it. Throws Error on a wrong shape. */
export function decodeCatalog(bytes: Buffer): Catalog {
  const stored = JSON.parse(jsonText(bytes)) as Partial<StoredCatalog> | null;
  if (stored === null || typeof stored !== "object" || !Array.isArray(stored.editions)) {
    throw new Error("catalog.json has no editions list");
  }
  const numbers = (value: unknown, name: string): Uint32Array => {
    if (typeof value === "string") return fromBase64U32(value, `catalog.json ${name}`);
    if (Array.isArray(value) && value.every((n) => Number.isInteger(n) && n >= 0)) {
      return Uint32Array.from(value as number[]);
    }
    throw new Error(`catalog.json ${name} is neither a list of counts nor packed`);
  };
  let ids: PackedStrings;
  if (typeof stored.ids === "string") {
    ids = loadStrings({ joined: stored.ids, ends: stored.idEnds }, "catalog.json idEnds");
  } else if (Array.isArray(stored.ids) && stored.ids.every((id) => typeof id === "string")) {
    ids = PackedStrings.of(stored.ids);
  } else {
    throw new Error("catalog.json ids are neither a list nor packed");
  }
  return {
    ids,
    editions: stored.editions,
    editionOf: numbers(stored.editionOf, "editionOf"),
    chunkCounts: numbers(stored.chunkCounts, "chunkCounts"),
  };
}

/** A stored chunk: the chunk plus the terms of its sentences (ChunkAnalysis.sentences). */
export type StoredChunk = Chunk & { $sentenceTerms?: string | string[][] };

/**
 * Sentence terms are stored as one string (terms joined by a space, sentences by a tab): JSON
 * parses one long string far faster than thousands of short ones, and chunk records are parsed
 * on every question. Terms never contain white space (jieba cuts at it). Control characters
 * would be escaped by JSON to six bytes each.
 */
export const TERM_SEPARATOR = " ";
const SENTENCE_SEPARATOR = "\t";

/** Packs sentence terms into one string (see TERM_SEPARATOR). Never throws. */
export function packTerms(sentences: readonly (readonly string[])[]): string {
  return sentences.map((s) => s.join(TERM_SEPARATOR)).join(SENTENCE_SEPARATOR);
}

/** The sentence terms of a stored chunk, unpacked. Never throws. */
export function unpackTerms(packed: string | string[][], sentenceCount: number): string[][] {
  // Indexes written earlier in format 2 stored the arrays themselves.
  if (Array.isArray(packed)) return packed;
  if (sentenceCount === 0) return [];
  return packed.split(SENTENCE_SEPARATOR).map((s) => (s === "" ? [] : s.split(TERM_SEPARATOR)));
}

/** The fields of an article stored in `bodies.rec` rather than `articles.rec`. */
export const BODY_KEYS = ["paragraphs", "credits", "notes"] as const;

/** An article record as stored: the article without its body, plus its chunk count. */
export type ArticleRecord = Omit<Article, keyof Body> & { chunkCount: number };

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

/** Segments each sentence of a text (as `splitSentences` cuts it, trimmed). Never throws. */
export function tokenizeSentences(text: string): string[][] {
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

/** Thrown by `Segment.open` for a damaged segment; the caller adds the fix. */
export class SegmentDamage extends Error {}

/**
 * The distinct terms of an article: its headline, subtitle and byline (as `tokenize` gives them)
 * and the terms of its chunks' sentences, in chunk order.
 */
export function articleTermsOf(
  article: Pick<Article, "headline" | "subtitle" | "byline">,
  sentences: Iterable<readonly string[]>,
): string[] {
  const terms = new Set([
    ...tokenize(article.headline),
    ...tokenize(article.subtitle ?? ""),
    ...tokenize(article.byline.join(" ")),
  ]);
  for (const sentence of sentences) for (const term of sentence) terms.add(term);
  return [...terms];
}
