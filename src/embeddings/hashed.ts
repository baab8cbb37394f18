import type { Embedder } from "./embedder.js";
import { mix32 } from "./feature-hash.js";
import { FEATURE_SET, extractFeatures } from "./hashed-features.js";
import {
  type CorpusStats,
  DF_BUCKETS,
  decodeCorpusStats,
  dfBucket,
  encodeCorpusStats,
} from "./hashed-state.js";

export interface HashedEmbedderOptions {
  /**
   * Length of the vectors. Hash collisions add noise that shrinks as dimensions grow: CMRC 2018
   * paragraph retrieval (3,219 questions) gives hit@1 0.77 at 384, 0.86 at 768 and 0.88 at 1024
   * when ranking by these vectors alone. Defaults to 512.
   */
  dimensions?: number;
  /** Texts `fit` counts at most (an even sample beyond). Defaults to 50,000. */
  maxFitTexts?: number;
}

/**
 * 512: alone, these vectors rank better the more dimensions they have (collision noise is about
 * 1/sqrt(dimensions) in cosine), but the answer engine fuses them with BM25 and re-ranks, and
 * there the dimensions stopped mattering: dev hit@1 0.927 and accuracy 0.951 at 1024, 512 and
 * 384 alike; CMRC (800 questions) hit@1 0.960 at 1024 and 384. Memory does matter at archive
 * scale: 264k chunks (150,000 articles) take 1.1 GB of HNSW at 1024 dimensions, 0.55 GB at 512.
 */
const DEFAULT_DIMENSIONS = 512;
/**
 * `fit` estimates document frequencies from at most this many texts, spread evenly over the
 * corpus: idf from a sample of 50,000 chunks differs from the full count by well under the
 * bucket noise, and fitting a 264k-chunk archive would otherwise cut every text into words once more.
 */
const MAX_FIT_TEXTS = 50_000;

const ID_PATTERN = new RegExp(`^${FEATURE_SET}(?:-d([1-9][0-9]*))?$`, "u");

/**
 * The options that give a hashed embedder the id `id` ("hashed-ngram-v1", "hashed-ngram-v1-d384"),
 * or undefined when `id` is not such an id. Lets EMBEDDING_MODEL name the embedder an index was
 * built with. Never throws.
 */
export function parseHashedEmbedderId(id: string): HashedEmbedderOptions | undefined {
  const match = ID_PATTERN.exec(id);
  if (match === null) return undefined;
  return match[1] === undefined ? {} : { dimensions: Number(match[1]) };
}

/** Seed that decorrelates the vector slot and sign of a feature from its df bucket. */
const SLOT_SEED = 0x9e3779b9;

/**
 * Creates the built-in offline embedder: signed feature hashing of jieba words, abbreviations,
 * CJK n-grams and Latin tokens, weighted by tf^0.75 × idf, L2-normalised. It is deterministic and
 * needs no download; `fit` learns the idf from the corpus. Throws when `dimensions` is not a
 * positive integer.
 */
export function createHashedEmbedder(options: HashedEmbedderOptions = {}): Embedder {
  const dimensions = options.dimensions ?? DEFAULT_DIMENSIONS;
  if (!Number.isInteger(dimensions) || dimensions < 1) {
    throw new Error(
      `createHashedEmbedder: "dimensions" must be a positive integer, got ${dimensions}.`,
    );
  }
  const id = dimensions === DEFAULT_DIMENSIONS ? FEATURE_SET : `${FEATURE_SET}-d${dimensions}`;
  let stats: CorpusStats | undefined;

  const idf = (hash: number): number => {
    // Unfitted, every feature weighs the same: plain tf weighting.
    if (stats === undefined) return 1;
    const df = stats.df[dfBucket(hash)] ?? 0;
    // A feature the corpus never showed cannot point to any passage of it, yet the textbook idf
    // would make it the heaviest feature of the vector: question filler (那家, 叫啥) and junk
    // bigrams across word boundaries then drown the words that do match. Such features get the
    // weight of the commonest ones instead. Passages added after `fit` are treated the same way,
    // so queries and passages stay comparable.
    if (df === 0) return 1;
    return Math.log((stats.documents + 1) / (df + 1)) + 1;
  };

  const embed = (text: string): Float32Array => {
    const { hashes, weights } = extractFeatures(text);
    const sums = new Float64Array(dimensions);
    for (let i = 0; i < hashes.length; i++) {
      const hash = hashes[i] ?? 0;
      const slotHash = mix32(hash ^ SLOT_SEED);
      const slot = (slotHash & 0x7fffffff) % dimensions;
      const sign = slotHash & 0x80000000 ? -1 : 1;
      sums[slot] = (sums[slot] ?? 0) + sign * (weights[i] ?? 0) * idf(hash);
    }
    let norm = 0;
    for (const v of sums) norm += v * v;
    norm = Math.sqrt(norm);
    const vector = new Float32Array(dimensions);
    // Text without features (empty, punctuation only) stays the zero vector: similar to nothing.
    if (norm > 0) for (let i = 0; i < dimensions; i++) vector[i] = (sums[i] ?? 0) / norm;
    return vector;
  };

  return {
    id,
    dimensions,
    embedDocuments(texts) {
      return Promise.resolve(texts.map(embed));
    },
    embedQuery(text) {
      return Promise.resolve(embed(text));
    },
    fit(texts) {
      // fit replaces earlier statistics: they describe the corpus of one full build.
      const df = new Uint32Array(DF_BUCKETS);
      // lastSeen[bucket] = 1 + index of the last text that counted it, so each text counts once.
      const lastSeen = new Uint32Array(DF_BUCKETS);
      const step = Math.max(1, texts.length / (options.maxFitTexts ?? MAX_FIT_TEXTS));
      let documents = 0;
      for (let at = 0; at < texts.length; at += step) {
        const index = documents++;
        for (const hash of extractFeatures(texts[Math.floor(at)] ?? "").hashes) {
          const bucket = dfBucket(hash);
          if (lastSeen[bucket] !== index + 1) {
            lastSeen[bucket] = index + 1;
            df[bucket] = (df[bucket] ?? 0) + 1;
          }
        }
      }
      stats = { documents, df };
    },
    exportState() {
      return encodeCorpusStats(
        stats ?? { documents: 0, df: new Uint32Array(DF_BUCKETS) },
        FEATURE_SET,
      );
    },
    restoreState(state) {
      const restored = decodeCorpusStats(state, FEATURE_SET);
      stats = restored.documents === 0 ? undefined : restored;
    },
  };
}
