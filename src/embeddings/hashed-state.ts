import { deflateRawSync, inflateRawSync } from "node:zlib";
import { mix32 } from "./feature-hash.js";

/**
 * Document frequencies are counted in 2^20 hashed buckets rather than per feature string: the
 * table has a fixed size whatever the corpus, and at news-vocabulary sizes few features share a
 * bucket.
 */
export const DF_BUCKET_BITS = 20;
export const DF_BUCKETS = 1 << DF_BUCKET_BITS;

/** What `fit` learns: the number of passages and, per bucket, how many of them hold a feature. */
export interface CorpusStats {
  documents: number;
  df: Uint32Array;
}

const MAGIC = "HNGE";
/** Bump when the layout below changes; a state of another version is refused, not misread. */
const STATE_VERSION = 1;
/** magic(4) + version(2) + bucket bits(1) + reserved(1) + documents(4) + feature-set length(2). */
const HEADER_BYTES = 14;
/** Large enough for any count below 2^35; longer varints mean corruption. */
const MAX_VARINT_BYTES = 5;

/** The document-frequency bucket of a feature hash. Never throws. */
export function dfBucket(hash: number): number {
  return mix32(hash) >>> (32 - DF_BUCKET_BITS);
}

/**
 * Serialises corpus statistics: a header (magic, version, table size, document count, feature
 * set) and the table as varints, deflated. Most buckets hold 0 or a small count, so the 4 MB table
 * shrinks to a few hundred KB for a corpus of 10k passages. Never throws.
 */
export function encodeCorpusStats(stats: CorpusStats, featureSet: string): Uint8Array {
  const varints = Buffer.alloc(stats.df.length * MAX_VARINT_BYTES);
  let pos = 0;
  for (const count of stats.df) {
    let v = count;
    while (v >= 0x80) {
      varints[pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    varints[pos++] = v;
  }
  const payload = deflateRawSync(varints.subarray(0, pos));
  const name = Buffer.from(featureSet, "utf8");
  const header = Buffer.alloc(HEADER_BYTES);
  header.write(MAGIC, 0, "ascii");
  header.writeUInt16LE(STATE_VERSION, 4);
  header.writeUInt8(DF_BUCKET_BITS, 6);
  header.writeUInt32LE(stats.documents, 8);
  header.writeUInt16LE(name.length, 12);
  return new Uint8Array(Buffer.concat([header, name, payload]));
}

/**
 * Reads what `encodeCorpusStats` wrote. Throws an Error naming the problem when the bytes are not
 * such a state, are of another version or feature set, or are corrupt.
 */
export function decodeCorpusStats(state: Uint8Array, featureSet: string): CorpusStats {
  const bytes = Buffer.from(state.buffer, state.byteOffset, state.byteLength);
  const refuse = (why: string, cause?: unknown): Error =>
    new Error(
      `Cannot restore the ${featureSet} embedder state: ${why}. ` +
        "Rebuild the index with a full run of the same embedder.",
      cause === undefined ? undefined : { cause },
    );
  if (bytes.length < HEADER_BYTES || bytes.toString("latin1", 0, 4) !== MAGIC) {
    throw refuse("it is not a hashed-embedder state (bad magic header)");
  }
  const version = bytes.readUInt16LE(4);
  if (version !== STATE_VERSION) {
    throw refuse(`it has format version ${version}, this build reads version ${STATE_VERSION}`);
  }
  if (bytes.readUInt8(6) !== DF_BUCKET_BITS) throw refuse("its table has another size");
  const documents = bytes.readUInt32LE(8);
  const nameEnd = HEADER_BYTES + bytes.readUInt16LE(12);
  if (nameEnd > bytes.length) throw refuse("it is truncated");
  const stateFeatureSet = bytes.toString("utf8", HEADER_BYTES, nameEnd);
  if (stateFeatureSet !== featureSet) {
    throw refuse(`it was made by feature set "${stateFeatureSet}"`);
  }

  let varints: Buffer;
  try {
    varints = inflateRawSync(bytes.subarray(nameEnd));
  } catch (error) {
    throw refuse("its table is corrupt", error);
  }
  const df = new Uint32Array(DF_BUCKETS);
  const end = varints.length;
  let pos = 0;
  for (let i = 0; i < DF_BUCKETS; i++) {
    if (pos >= end) throw refuse("its table is truncated");
    let byte = varints[pos++] as number;
    let value = byte;
    // Nearly every count fits one byte; the loop below is for the rest.
    if (byte >= 0x80) {
      value = byte & 0x7f;
      let scale = 128;
      for (let n = 1; ; n++) {
        if (pos >= end) throw refuse("its table is truncated");
        if (n === MAX_VARINT_BYTES) throw refuse("its table is corrupt");
        byte = varints[pos++] as number;
        value += (byte & 0x7f) * scale;
        if (byte < 0x80) break;
        scale *= 128;
      }
    }
    if (value > documents) throw refuse("a document frequency exceeds the document count");
    df[i] = value;
  }
  if (pos !== end) throw refuse("its table has trailing bytes");
  return { documents, df };
}
