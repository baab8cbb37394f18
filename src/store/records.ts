import type { Article, Chunk } from "../types.js";

/**
 * The text a chunk is indexed by, for both BM25 and the embedder: the headline gives a short
 * passage the context ("which story is this?") that its sentences alone often lack.
 */
export function chunkDocumentText(chunk: Chunk): string {
  const byline = chunk.byline.length > 0 ? `\n${chunk.byline.join(" ")}` : "";
  return `${chunk.headline}${byline}\n${chunk.text}`;
}

/** Encodes records as JSON Lines (one record per line, UTF-8). Never throws for plain data. */
export function encodeJsonLines(records: readonly object[]): Buffer {
  let out = "";
  for (const record of records) out += `${JSON.stringify(record)}\n`;
  return Buffer.from(out, "utf8");
}

/**
 * Parses JSON Lines written by `encodeJsonLines`. Only the shape needed to index the records is
 * checked here: the manifest checksum already proved the bytes are the ones `writeIndex` wrote.
 * Throws an Error naming the line when a record is not an object with a string `id`.
 */
function decodeRecords(data: Uint8Array, what: string): Record<string, unknown>[] {
  const text = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString("utf8");
  const records: Record<string, unknown>[] = [];
  let line = 0;
  for (const raw of text.split("\n")) {
    line++;
    if (raw.length === 0) continue;
    const value: unknown = JSON.parse(raw);
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw new Error(`${what} line ${line} is not an object`);
    }
    const record = value as Record<string, unknown>;
    if (typeof record["id"] !== "string") throw new Error(`${what} line ${line} has no string id`);
    records.push(record);
  }
  return records;
}

/** Parses `articles.jsonl`. Throws an Error on malformed JSON or records without an id. */
export function decodeArticles(data: Uint8Array): Article[] {
  return decodeRecords(data, "articles.jsonl") as unknown as Article[];
}

/** Parses `chunks.jsonl`. Throws an Error on malformed JSON or records without an id. */
export function decodeChunks(data: Uint8Array): Chunk[] {
  const chunks = decodeRecords(data, "chunks.jsonl");
  for (const [i, c] of chunks.entries()) {
    if (typeof c["articleId"] !== "string" || typeof c["text"] !== "string") {
      throw new Error(`chunks.jsonl record ${i + 1} lacks articleId or text`);
    }
  }
  return chunks as unknown as Chunk[];
}
