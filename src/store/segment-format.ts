import { splitSentences } from "../text/sentences.js";
import { tokenize } from "../text/words.js";
import type { Article, Chunk } from "../types.js";
import type { PackedStrings } from "./packed-strings.js";
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
   * which the second stage of answering reads for every candidate.
   */
  terms: "terms.rec",
  lexical: "lexical.bin",
  /** The chunk vectors, float32 rows in chunk order: read on demand. */
  vectorRows: "vectors.f32",
  /** The 2-bit codes of the rows (`scan/codes.ts`): loaded at open. */
  vectorCodes: "vectors.codes",
} as const;

/** The files besides `segment.json` that a segment holds: every one of SEGMENT_FILES. */
export function segmentFiles(): string[] {
  return Object.values(SEGMENT_FILES).filter((f) => f !== SEGMENT_FILES.meta);
}

/** The body of an article, stored apart from its metadata. */
export type Body = Pick<Article, "paragraphs" | "credits" | "notes">;
/**
 * `catalog.json`: what opening a segment needs of its articles, in stored order. Written packed:
 * the ids joined into one string with their end offsets, and the per-article numbers as base64
 * little-endian u32 arrays, in ASCII (see `asciiJson`). Decoding it reads a few long strings
 * instead of 146,000 short ones and two lists of numbers: 35-50 -> 11-14 ms at 146k articles, and
 * 8 MB less heap.
 */
interface StoredCatalog {
  ids: string;
  /** Where each id ends in `ids` (UTF-16 units), base64 u32. */
  idEnds: string;
  /** Distinct edition ids; `editionOf[i]` indexes it. */
  editions: string[];
  editionOf: string;
  chunkCounts: string;
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

/** Reads `catalog.json`. Throws Error on a wrong shape. */
export function decodeCatalog(bytes: Buffer): Catalog {
  const stored = JSON.parse(jsonText(bytes)) as Partial<StoredCatalog> | null;
  if (stored === null || typeof stored !== "object" || !Array.isArray(stored.editions)) {
    throw new Error("catalog.json has no editions list");
  }
  const numbers = (value: unknown, name: string): Uint32Array => {
    if (typeof value === "string") return fromBase64U32(value, `catalog.json ${name}`);
    throw new Error(`catalog.json ${name} is not packed`);
  };
  if (typeof stored.ids !== "string") throw new Error("catalog.json ids are not packed");
  const ids = loadStrings({ joined: stored.ids, ends: stored.idEnds }, "catalog.json idEnds");
  return {
    ids,
    editions: stored.editions,
    editionOf: numbers(stored.editionOf, "editionOf"),
    chunkCounts: numbers(stored.chunkCounts, "chunkCounts"),
  };
}

/** A stored chunk: the chunk plus the terms of its sentences (ChunkAnalysis.sentences). */
export type StoredChunk = Chunk & { $sentenceTerms?: string };

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
export function unpackTerms(packed: string, sentenceCount: number): string[][] {
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
   * than whole at open.
   */
  blocks: Record<string, StoredBlockTable>;
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
