import type { Article, Chunk } from "../../types.js";
import { chunkDocumentText } from "../records.js";
import {
  type ChunkAnalysis,
  type StoredChunk,
  analyzeChunk,
  articleTermsOf,
  lexicalTerms,
  packTerms,
} from "../segment-format.js";
import { sha256Hex } from "../durable-fs.js";

/** PostgreSQL keeps at most this many positions of one lexeme in a tsvector. */
const MAX_POSITIONS = 256;
/** The largest position a tsvector holds. */
const MAX_POSITION = 16_383;
/** Lexemes longer than this (in bytes) do not fit a tsvector; such terms are only in `tf`. */
const MAX_LEXEME_BYTES = 2_000;

/** One chunk as the chunks table stores it. */
export interface ChunkRow {
  id: string;
  /** The chunk with its sentence terms (see `StoredChunk`), as JSON. */
  data: string;
  docLength: number;
  /** The tsvector of its BM25 terms, as tsvector input. */
  lexemes: string;
  /** Term -> frequency, as JSON: BM25 reads a term's frequency without decoding the tsvector. */
  tf: string;
  /** The distinct terms of `lexemes`, for the document frequencies. */
  distinctTerms: string[];
  /** sha256 of the text it is embedded from: a changed edition re-embeds only changed chunks. */
  textHash: string;
}

/**
 * The row of a chunk: its jieba terms (the same `analyzeChunk` the embedded index stores) as a
 * tsvector with their positions, quoted as tsvector input so that PostgreSQL's parser never cuts
 * them again, and their frequencies. Never throws.
 */
export function chunkRow(chunk: Chunk, analysis: ChunkAnalysis = analyzeChunk(chunk)): ChunkRow {
  const terms = lexicalTerms(analysis);
  const positions = new Map<string, number[]>();
  terms.forEach((term, i) => {
    let list = positions.get(term);
    if (list === undefined) positions.set(term, (list = []));
    list.push(Math.min(i + 1, MAX_POSITION));
  });
  const tf: Record<string, number> = {};
  const lexemes: string[] = [];
  const distinctTerms: string[] = [];
  for (const [term, list] of positions) {
    tf[term] = list.length;
    if (Buffer.byteLength(term, "utf8") > MAX_LEXEME_BYTES) continue;
    const unique = [...new Set(list)].slice(0, MAX_POSITIONS);
    lexemes.push(`'${term.replace(/\\/gu, "\\\\").replace(/'/gu, "''")}':${unique.join(",")}`);
    distinctTerms.push(term);
  }
  const stored: StoredChunk = { ...chunk, $sentenceTerms: packTerms(analysis.sentences) };
  return {
    id: chunk.id,
    data: JSON.stringify(stored),
    docLength: terms.length,
    lexemes: lexemes.join(" "),
    tf: JSON.stringify(tf),
    distinctTerms,
    textHash: sha256Hex(Buffer.from(chunkDocumentText(chunk), "utf8")),
  };
}

/** The distinct terms of an article given its chunks' analyses (see `articleTermsOf`). */
export function articleTermList(article: Article, analyses: readonly ChunkAnalysis[]): string[] {
  return articleTermsOf(
    article,
    analyses.flatMap((a) => a.sentences),
  );
}

/** A pgvector literal of a vector. */
export function vectorLiteral(vector: Float32Array): string {
  return `[${Array.from(vector).join(",")}]`;
}

/** The vector of a pgvector literal. Throws on anything else. */
export function parseVector(text: string): Float32Array {
  const inner = text.trim().replace(/^\[|\]$/gu, "");
  if (inner === "") return new Float32Array(0);
  return Float32Array.from(inner.split(",").map(Number));
}
