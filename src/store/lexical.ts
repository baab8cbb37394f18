import { endianness } from "node:os";
import type { LexicalHit } from "./types.js";

/** BM25 term-frequency saturation. */
export const BM25_K1 = 1.2;
/** BM25 document-length normalisation. */
export const BM25_B = 0.75;

/** "NLEX": the first four bytes of `lexical.bin`. */
const MAGIC = 0x58454c4e;
/** Version of the `lexical.bin` layout; bumped (with INDEX_FORMAT_VERSION) when it changes. */
const LEXICAL_VERSION = 1;
/** magic, version, docCount, termCount, postingCount, termBlobBytes: six u32. */
const HEADER_BYTES = 24;
/** Term frequencies are stored as u16; a term repeated more often in one chunk is capped. */
const MAX_TF = 0xffff;

/**
 * An in-memory BM25 index over chunk ordinals. Postings are sorted by term and held in typed
 * arrays (doc ids as u32, term frequencies as u16), so a 10k-chunk index is a few MB and loads
 * with a handful of copies.
 */
export class LexicalIndex {
  private readonly avgDocLength: number;

  private constructor(
    /** Number of documents (chunks). */
    readonly docCount: number,
    private readonly docLengths: Uint32Array,
    /** term -> term ordinal; postings of ordinal t are [postingStart[t], postingStart[t+1]). */
    private readonly termOrdinals: Map<string, number>,
    private readonly termList: readonly string[],
    private readonly postingStart: Uint32Array,
    private readonly docIds: Uint32Array,
    private readonly termFreqs: Uint16Array,
  ) {
    let total = 0;
    for (const len of docLengths) total += len;
    this.avgDocLength = docCount > 0 ? total / docCount : 0;
  }

  /** Builds the index from each document's terms (document i = chunk ordinal i). Never throws. */
  static build(documents: Iterable<readonly string[]>): LexicalIndex {
    const postings = new Map<string, number[]>(); // term -> [doc, tf, doc, tf, ...]
    const lengths: number[] = [];
    for (const terms of documents) {
      const doc = lengths.length;
      lengths.push(terms.length);
      const counts = new Map<string, number>();
      for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
      for (const [term, tf] of counts) {
        let list = postings.get(term);
        if (list === undefined) postings.set(term, (list = []));
        list.push(doc, Math.min(tf, MAX_TF));
      }
    }
    // Sorted terms make the file a function of the input alone (stable checksums across runs).
    const termList = [...postings.keys()].sort();
    const postingCount = termList.reduce((n, t) => n + (postings.get(t)?.length ?? 0) / 2, 0);
    const postingStart = new Uint32Array(termList.length + 1);
    const docIds = new Uint32Array(postingCount);
    const termFreqs = new Uint16Array(postingCount);
    let p = 0;
    termList.forEach((term, t) => {
      postingStart[t] = p;
      const list = postings.get(term) ?? [];
      for (let i = 0; i < list.length; i += 2) {
        docIds[p] = list[i] ?? 0;
        termFreqs[p] = list[i + 1] ?? 0;
        p++;
      }
    });
    postingStart[termList.length] = p;
    const ordinals = new Map(termList.map((term, t) => [term, t]));
    return new LexicalIndex(
      lengths.length,
      Uint32Array.from(lengths),
      ordinals,
      termList,
      postingStart,
      docIds,
      termFreqs,
    );
  }

  /**
   * Reads what `encode` wrote. Throws an Error when the header, version or length is wrong
   * (the caller turns it into INDEX_CORRUPT).
   */
  static decode(bytes: Uint8Array): LexicalIndex {
    assertLittleEndian();
    if (bytes.byteLength < HEADER_BYTES)
      throw new Error("lexical index is shorter than its header");
    const header = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES);
    if (header.getUint32(0, true) !== MAGIC)
      throw new Error("lexical index has a wrong magic number");
    const version = header.getUint32(4, true);
    if (version !== LEXICAL_VERSION) {
      throw new Error(`lexical index version ${version}, expected ${LEXICAL_VERSION}`);
    }
    const docCount = header.getUint32(8, true);
    const termCount = header.getUint32(12, true);
    const postingCount = header.getUint32(16, true);
    const blobBytes = header.getUint32(20, true);
    const layout = sectionLayout(docCount, termCount, postingCount, blobBytes);
    if (bytes.byteLength !== layout.total) {
      throw new Error(`lexical index is ${bytes.byteLength} bytes, expected ${layout.total}`);
    }
    const docLengths = new Uint32Array(copySection(bytes, layout.docLengths, docCount * 4));
    const termChars = new Uint32Array(copySection(bytes, layout.termChars, (termCount + 1) * 4));
    const postingStart = new Uint32Array(
      copySection(bytes, layout.postingStart, (termCount + 1) * 4),
    );
    const docIds = new Uint32Array(copySection(bytes, layout.docIds, postingCount * 4));
    const termFreqs = new Uint16Array(copySection(bytes, layout.termFreqs, postingCount * 2));
    const blob = Buffer.from(bytes.buffer, bytes.byteOffset + layout.termBlob, blobBytes).toString(
      "utf8",
    );
    if (postingStart[termCount] !== postingCount || termChars[termCount] !== blob.length) {
      throw new Error("lexical index offsets do not match its sections");
    }
    // One decode of the whole term blob, then slices: far faster than decoding term by term.
    const termList: string[] = new Array<string>(termCount);
    const ordinals = new Map<string, number>();
    for (let t = 0; t < termCount; t++) {
      const term = blob.slice(termChars[t], termChars[t + 1]);
      termList[t] = term;
      ordinals.set(term, t);
    }
    return new LexicalIndex(
      docCount,
      docLengths,
      ordinals,
      termList,
      postingStart,
      docIds,
      termFreqs,
    );
  }

  /** Serialises the index: a 24-byte header, then typed-array sections, 4-byte aligned. Never throws. */
  encode(): Uint8Array {
    assertLittleEndian();
    const termCount = this.termList.length;
    const postingCount = this.docIds.length;
    const joined = this.termList.join("");
    const blob = Buffer.from(joined, "utf8");
    const termChars = new Uint32Array(termCount + 1);
    let chars = 0;
    this.termList.forEach((term, t) => {
      termChars[t] = chars;
      chars += term.length;
    });
    termChars[termCount] = chars;
    const layout = sectionLayout(this.docCount, termCount, postingCount, blob.byteLength);
    const out = new Uint8Array(layout.total);
    const header = new DataView(out.buffer, 0, HEADER_BYTES);
    header.setUint32(0, MAGIC, true);
    header.setUint32(4, LEXICAL_VERSION, true);
    header.setUint32(8, this.docCount, true);
    header.setUint32(12, termCount, true);
    header.setUint32(16, postingCount, true);
    header.setUint32(20, blob.byteLength, true);
    out.set(asBytes(this.docLengths), layout.docLengths);
    out.set(asBytes(termChars), layout.termChars);
    out.set(asBytes(this.postingStart), layout.postingStart);
    out.set(asBytes(this.docIds), layout.docIds);
    out.set(asBytes(this.termFreqs), layout.termFreqs);
    out.set(blob, layout.termBlob);
    return out;
  }

  /** Number of documents containing `term` (as produced by `tokenize`). Never throws. */
  documentFrequency(term: string): number {
    const t = this.termOrdinals.get(term);
    if (t === undefined) return 0;
    return (this.postingStart[t + 1] ?? 0) - (this.postingStart[t] ?? 0);
  }

  /**
   * Top `k` documents by BM25 (k1=1.2, b=0.75, idf = ln(1 + (N - df + 0.5)/(df + 0.5)), which is
   * never negative). Each distinct query term counts once, however often it is repeated. Ties are
   * broken by the lower ordinal, so results are deterministic. Never throws.
   */
  search(terms: readonly string[], k: number, filter?: (docId: number) => boolean): LexicalHit[] {
    if (k <= 0 || this.docCount === 0) return [];
    const scores = new Float64Array(this.docCount);
    const touched: number[] = [];
    const n = this.docCount;
    for (const term of new Set(terms)) {
      const t = this.termOrdinals.get(term);
      if (t === undefined) continue;
      const start = this.postingStart[t] ?? 0;
      const end = this.postingStart[t + 1] ?? 0;
      const df = end - start;
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      for (let p = start; p < end; p++) {
        const doc = this.docIds[p] ?? 0;
        const tf = this.termFreqs[p] ?? 0;
        const len = this.docLengths[doc] ?? 0;
        const norm = BM25_K1 * (1 - BM25_B + (BM25_B * len) / this.avgDocLength);
        if (scores[doc] === 0) touched.push(doc);
        scores[doc] = (scores[doc] ?? 0) + (idf * tf * (BM25_K1 + 1)) / (tf + norm);
      }
    }
    const candidates = filter ? touched.filter(filter) : touched;
    candidates.sort((a, b) => (scores[b] ?? 0) - (scores[a] ?? 0) || a - b);
    return candidates.slice(0, k).map((doc) => ({ chunkIndex: doc, score: scores[doc] ?? 0 }));
  }
}

interface SectionLayout {
  docLengths: number;
  termChars: number;
  postingStart: number;
  docIds: number;
  termFreqs: number;
  termBlob: number;
  total: number;
}

function sectionLayout(
  docCount: number,
  termCount: number,
  postingCount: number,
  blobBytes: number,
): SectionLayout {
  const align = (n: number): number => Math.ceil(n / 4) * 4;
  const docLengths = HEADER_BYTES;
  const termChars = docLengths + docCount * 4;
  const postingStart = termChars + (termCount + 1) * 4;
  const docIds = postingStart + (termCount + 1) * 4;
  const termFreqs = docIds + postingCount * 4;
  const termBlob = align(termFreqs + postingCount * 2);
  return {
    docLengths,
    termChars,
    postingStart,
    docIds,
    termFreqs,
    termBlob,
    total: termBlob + blobBytes,
  };
}

/** Copies one section into its own ArrayBuffer, so typed arrays over it are always aligned. */
function copySection(bytes: Uint8Array, offset: number, length: number): ArrayBuffer {
  const start = bytes.byteOffset + offset;
  return bytes.buffer.slice(start, start + length) as ArrayBuffer;
}

function asBytes(array: Uint32Array | Uint16Array): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

/** Typed-array sections are written in host byte order, which this format fixes as little-endian. */
function assertLittleEndian(): void {
  if (endianness() !== "LE")
    throw new Error("lexical.bin is little-endian; big-endian hosts are not supported");
}
