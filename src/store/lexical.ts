import { endianness } from "node:os";
import { type ByteRange, type ByteSource, memorySource } from "./byte-source.js";
import type { LexicalHit } from "./types.js";

/** BM25 term-frequency saturation. */
export const BM25_K1 = 1.2;
/** BM25 document-length normalisation. */
export const BM25_B = 0.75;

/** "NLEX": the first four bytes of `lexical.bin`. */
const MAGIC = 0x58454c4e;
/** Version of the `lexical.bin` layout; bumped (with INDEX_FORMAT_VERSION) when it changes. */
const LEXICAL_VERSION = 2;
/** magic, version, docCount, termCount, postingCount, termBlobBytes: six u32. */
const HEADER_BYTES = 24;
/** Term frequencies are stored as u16; a term repeated more often in one chunk is capped. */
const MAX_TF = 0xffff;

/**
 * Collection statistics BM25 needs. An index split into segments scores each segment with the
 * statistics of the whole collection, so that scores from different segments are comparable.
 */
export interface CollectionStats {
  docCount: number;
  avgDocLength: number;
  documentFrequency(term: string): number;
}

/**
 * A BM25 index over document ordinals. The term dictionary and document lengths are held in
 * memory; postings (doc ids as u32, term frequencies as u16) stay in the file and are read per
 * query term, so opening a large index costs little time or memory.
 *
 * Layout: header, docLengths u32[D], termChars u32[T+1] (UTF-16 offsets into the term blob),
 * postingStart u32[T+1], term blob (UTF-8, terms sorted), then docIds u32[P] and termFreqs u16[P],
 * each section 4-byte aligned.
 */
export class LexicalIndex {
  readonly docCount: number;
  readonly totalDocLength: number;
  private readonly layout: SectionLayout;
  private readonly docLengths: Uint32Array;
  private readonly termChars: Uint32Array;
  private readonly postingStart: Uint32Array;
  private readonly blob: string;
  /** Scores of one query, reused across queries (zeroed after each). */
  private scratch: Float64Array | undefined;

  private constructor(
    private readonly source: ByteSource,
    header: Header,
  ) {
    this.docCount = header.docCount;
    this.layout = sectionLayout(header);
    if (source.byteLength !== this.layout.total) {
      throw new Error(`lexical index is ${source.byteLength} bytes, expected ${this.layout.total}`);
    }
    const { docCount, termCount, postingCount } = header;
    this.docLengths = new Uint32Array(copy(source, this.layout.docLengths, docCount * 4));
    this.termChars = new Uint32Array(copy(source, this.layout.termChars, (termCount + 1) * 4));
    this.postingStart = new Uint32Array(
      copy(source, this.layout.postingStart, (termCount + 1) * 4),
    );
    this.blob = Buffer.from(source.read(this.layout.termBlob, header.blobBytes)).toString("utf8");
    if (
      this.postingStart[termCount] !== postingCount ||
      this.termChars[termCount] !== this.blob.length
    ) {
      throw new Error("lexical index offsets do not match its sections");
    }
    let total = 0;
    for (const len of this.docLengths) total += len;
    this.totalDocLength = total;
  }

  /** Builds an in-memory index from each document's terms (document i = ordinal i). Never throws. */
  static build(documents: Iterable<readonly string[]>): LexicalIndex {
    return LexicalIndex.decode(encodeLexical(documents));
  }

  /**
   * Reads an index from its bytes, or from a file source whose postings are then read on demand.
   * Throws an Error when the header, version or length is wrong (the caller reports corruption).
   */
  static decode(bytes: Uint8Array | ByteSource): LexicalIndex {
    assertLittleEndian();
    const source = bytes instanceof Uint8Array ? memorySource(bytes) : bytes;
    if (source.byteLength < HEADER_BYTES) {
      throw new Error("lexical index is shorter than its header");
    }
    const head = source.read(0, HEADER_BYTES);
    const view = new DataView(head.buffer, head.byteOffset, HEADER_BYTES);
    if (view.getUint32(0, true) !== MAGIC)
      throw new Error("lexical index has a wrong magic number");
    const version = view.getUint32(4, true);
    if (version !== LEXICAL_VERSION) {
      throw new Error(`lexical index version ${version}, expected ${LEXICAL_VERSION}`);
    }
    return new LexicalIndex(source, {
      docCount: view.getUint32(8, true),
      termCount: view.getUint32(12, true),
      postingCount: view.getUint32(16, true),
      blobBytes: view.getUint32(20, true),
    });
  }

  /** Number of distinct terms. */
  get termCount(): number {
    return this.termChars.length - 1;
  }

  /** Mean document length in terms; 0 for an empty index. */
  get avgDocLength(): number {
    return this.docCount > 0 ? this.totalDocLength / this.docCount : 0;
  }

  /** Number of documents containing `term` (as produced by `tokenize`). Never throws. */
  documentFrequency(term: string): number {
    const t = this.ordinal(term);
    return t < 0 ? 0 : this.postingCount(t);
  }

  /**
   * Top `k` documents by BM25 (k1=1.2, b=0.75, idf = ln(1 + (N - df + 0.5)/(df + 0.5)), which is
   * never negative), with `stats` of the whole collection when this index is one segment of it.
   * Each distinct query term counts once. Ties go to the lower ordinal. Throws only on I/O errors.
   */
  search(
    terms: readonly string[],
    k: number,
    filter?: (docId: number) => boolean,
    stats: CollectionStats = this,
  ): LexicalHit[] {
    if (k <= 0 || this.docCount === 0) return [];
    const scores = (this.scratch ??= new Float64Array(this.docCount));
    const touched: number[] = [];
    const n = stats.docCount;
    const avgdl = stats.avgDocLength || 1;
    const weight = (doc: number, tf: number): number =>
      (tf * (BM25_K1 + 1)) /
      (tf + BM25_K1 * (1 - BM25_B + (BM25_B * (this.docLengths[doc] ?? 0)) / avgdl));
    // Rarest first: a term can add at most idf × (k1 + 1) to a score.
    const query = [...new Set(terms)]
      .map((term) => ({ t: this.ordinal(term), term }))
      .filter(({ t }) => t >= 0)
      .map(({ t, term }) => {
        const df = stats.documentFrequency(term);
        return { t, idf: Math.log(1 + (n - df + 0.5) / (df + 0.5)) };
      })
      .sort((a, b) => b.idf - a.idf || a.t - b.t);
    const bound = new Float64Array(query.length + 1);
    for (let i = query.length - 1; i >= 0; i--) {
      bound[i] = (bound[i + 1] ?? 0) + (query[i]?.idf ?? 0) * (BM25_K1 + 1);
    }
    try {
      // Once MaxScore prunes, only these documents are scored further.
      let candidates: readonly number[] = touched;
      let i = 0;
      for (; i < query.length; i++) {
        const { t, idf } = query[i] ?? { t: 0, idf: 0 };
        // MaxScore: once the k-th best score so far beats all that the remaining (common) terms
        // could add, no document they alone reach can enter the top k; they are then only
        // looked up for the documents that still can. Checked before long postings only.
        if (touched.length >= k && this.postingCount(t) > PRUNE_MIN_POSTINGS) {
          const kth = topK(touched, scores, k, filter);
          const threshold = kth.length === k ? (scores[kth[k - 1] ?? 0] ?? 0) : 0;
          const remaining = bound[i] ?? 0;
          if (threshold > remaining) {
            // Documents that can still reach the threshold, in ordinal order like the postings.
            candidates = touched
              .filter((doc) => (scores[doc] ?? 0) + remaining >= threshold)
              .sort((a, b) => a - b);
            break;
          }
        }
        const { docIds, termFreqs } = this.postings(t);
        for (let p = 0; p < docIds.length; p++) {
          const doc = docIds[p] ?? 0;
          if (scores[doc] === 0) touched.push(doc);
          scores[doc] = (scores[doc] ?? 0) + idf * weight(doc, termFreqs[p] ?? 0);
        }
      }
      for (; i < query.length; i++) {
        const { t, idf } = query[i] ?? { t: 0, idf: 0 };
        const { docIds, termFreqs } = this.postings(t);
        let from = 0;
        for (const doc of candidates) {
          from = lowerBound(docIds, doc, from);
          if (from === docIds.length) break;
          if (docIds[from] === doc)
            scores[doc] = (scores[doc] ?? 0) + idf * weight(doc, termFreqs[from] ?? 0);
        }
      }
      return topK(candidates, scores, k, filter).map((doc) => ({
        chunkIndex: doc,
        score: scores[doc] ?? 0,
      }));
    } finally {
      for (const doc of touched) scores[doc] = 0;
    }
  }

  /** Number of postings of term ordinal `t`. */
  private postingCount(t: number): number {
    return (this.postingStart[t + 1] ?? 0) - (this.postingStart[t] ?? 0);
  }

  /** Releases the file behind the postings. */
  close(): void {
    this.source.close();
  }

  /**
   * Reads ahead the postings of `terms` (see `ByteSource.prefetch`): for a source not yet in the
   * page cache. Unknown terms are skipped. Never rejects.
   */
  prefetch(terms: readonly string[]): Promise<void> {
    if (this.source.prefetch === undefined) return Promise.resolve();
    const ranges: ByteRange[] = [];
    for (const term of new Set(terms)) {
      const t = this.ordinal(term);
      if (t < 0) continue;
      const start = this.postingStart[t] ?? 0;
      const count = this.postingCount(t);
      ranges.push([this.layout.docIds + start * 4, count * 4]);
      ranges.push([this.layout.termFreqs + start * 2, count * 2]);
    }
    return this.source.prefetch(ranges);
  }

  private postings(t: number): { docIds: Uint32Array; termFreqs: Uint16Array } {
    const start = this.postingStart[t] ?? 0;
    const count = this.postingCount(t);
    return {
      docIds: new Uint32Array(copy(this.source, this.layout.docIds + start * 4, count * 4)),
      termFreqs: new Uint16Array(copy(this.source, this.layout.termFreqs + start * 2, count * 2)),
    };
  }

  /** Binary search of the sorted term blob; -1 when absent. */
  private ordinal(term: string): number {
    let lo = 0;
    let hi = this.termCount - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const found = this.blob.slice(this.termChars[mid], this.termChars[mid + 1]);
      if (found === term) return mid;
      if (found < term) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
}

/** Postings shorter than this are scored whole: checking whether to prune costs more. */
const PRUNE_MIN_POSTINGS = 4096;

/** The first index at or after `from` whose value is >= `value` (`sorted` ascending). */
function lowerBound(sorted: Uint32Array, value: number, from: number): number {
  let lo = from;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] ?? 0) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The `k` best of `docs` by score (ties to the lower ordinal), best first, among those `filter`
 * keeps. A common query term touches a large share of an archive's chunks: sorting them all was
 * most of a query at 150,000 articles, while a bounded heap costs O(n log k). The filter runs
 * only on documents that would enter the heap.
 */
function topK(
  docs: readonly number[],
  scores: Float64Array,
  k: number,
  filter: ((docId: number) => boolean) | undefined,
): number[] {
  // A min-heap of the best so far: heap[0] is the worst of them.
  const heap: number[] = [];
  const worse = (a: number, b: number): boolean => {
    const sa = scores[a] ?? 0;
    const sb = scores[b] ?? 0;
    return sa < sb || (sa === sb && a > b);
  };
  const siftDown = (from: number): void => {
    let i = from;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && worse(heap[l] ?? 0, heap[m] ?? 0)) m = l;
      if (r < heap.length && worse(heap[r] ?? 0, heap[m] ?? 0)) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m] ?? 0, heap[i] ?? 0];
      i = m;
    }
  };
  for (const doc of docs) {
    if (heap.length === k && !worse(heap[0] ?? 0, doc)) continue;
    if (filter && !filter(doc)) continue;
    if (heap.length < k) {
      heap.push(doc);
      for (let i = heap.length - 1; i > 0;) {
        const parent = (i - 1) >> 1;
        if (!worse(heap[i] ?? 0, heap[parent] ?? 0)) break;
        [heap[i], heap[parent]] = [heap[parent] ?? 0, heap[i] ?? 0];
        i = parent;
      }
    } else {
      heap[0] = doc;
      siftDown(0);
    }
  }
  return heap.sort((a, b) => (scores[b] ?? 0) - (scores[a] ?? 0) || a - b);
}

/** Serialises a BM25 index of `documents` (document i = ordinal i). Never throws. */
export function encodeLexical(documents: Iterable<readonly string[]>): Uint8Array {
  assertLittleEndian();
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
  // Sorted (by UTF-16 code units, as `<` compares) for the binary search, and so that the file
  // is a function of the input alone (stable checksums across runs).
  const termList = [...postings.keys()].sort();
  let postingCount = 0;
  for (const list of postings.values()) postingCount += list.length / 2;
  const blob = Buffer.from(termList.join(""), "utf8");
  const header = {
    docCount: lengths.length,
    termCount: termList.length,
    postingCount,
    blobBytes: blob.byteLength,
  };
  const layout = sectionLayout(header);
  const out = new Uint8Array(layout.total);
  const view = new DataView(out.buffer, 0, HEADER_BYTES);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, LEXICAL_VERSION, true);
  view.setUint32(8, header.docCount, true);
  view.setUint32(12, header.termCount, true);
  view.setUint32(16, header.postingCount, true);
  view.setUint32(20, header.blobBytes, true);
  new Uint32Array(out.buffer, layout.docLengths, lengths.length).set(lengths);
  const termChars = new Uint32Array(out.buffer, layout.termChars, termList.length + 1);
  const postingStart = new Uint32Array(out.buffer, layout.postingStart, termList.length + 1);
  const docIds = new Uint32Array(out.buffer, layout.docIds, postingCount);
  const termFreqs = new Uint16Array(out.buffer, layout.termFreqs, postingCount);
  let chars = 0;
  let p = 0;
  termList.forEach((term, t) => {
    termChars[t] = chars;
    chars += term.length;
    postingStart[t] = p;
    const list = postings.get(term) ?? [];
    for (let i = 0; i < list.length; i += 2) {
      docIds[p] = list[i] ?? 0;
      termFreqs[p] = list[i + 1] ?? 0;
      p++;
    }
  });
  termChars[termList.length] = chars;
  postingStart[termList.length] = p;
  out.set(blob, layout.termBlob);
  return out;
}

interface Header {
  docCount: number;
  termCount: number;
  postingCount: number;
  blobBytes: number;
}

interface SectionLayout {
  docLengths: number;
  termChars: number;
  postingStart: number;
  termBlob: number;
  docIds: number;
  termFreqs: number;
  total: number;
}

function sectionLayout(h: Header): SectionLayout {
  const align = (n: number): number => Math.ceil(n / 4) * 4;
  const docLengths = HEADER_BYTES;
  const termChars = docLengths + h.docCount * 4;
  const postingStart = termChars + (h.termCount + 1) * 4;
  const termBlob = postingStart + (h.termCount + 1) * 4;
  const docIds = align(termBlob + h.blobBytes);
  const termFreqs = docIds + h.postingCount * 4;
  return {
    docLengths,
    termChars,
    postingStart,
    termBlob,
    docIds,
    termFreqs,
    total: align(termFreqs + h.postingCount * 2),
  };
}

/** Copies a section into its own ArrayBuffer, so typed arrays over it are always aligned. */
function copy(source: ByteSource, offset: number, length: number): ArrayBuffer {
  const bytes = source.read(offset, length);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + length) as ArrayBuffer;
}

/** Typed-array sections are written in host byte order, which this format fixes as little-endian. */
function assertLittleEndian(): void {
  if (endianness() !== "LE")
    throw new Error("lexical.bin is little-endian; big-endian hosts are not supported");
}
