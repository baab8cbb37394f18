/** FNV-1a offset basis (32-bit): the seed for hashing a string from scratch. */
export const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/**
 * 32-bit FNV-1a over the UTF-16 code units of `text[start, end)`, continuing from `seed`. Passing
 * the hash of a prefix as the seed gives the hash of prefix + slice without building that string,
 * which matters when every n-gram of every passage is hashed. A few lines and no dependency; a
 * crypto hash would be slower for no benefit. Never throws.
 */
export function fnv1a32(text: string, start = 0, end = text.length, seed = FNV_OFFSET): number {
  let hash = seed;
  for (let i = start; i < end; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, FNV_PRIME);
  }
  return hash >>> 0;
}

/**
 * murmur3's 32-bit finaliser. FNV-1a's bits are poorly mixed for short keys, so table buckets,
 * vector slots and signs are taken from mixed values rather than from the raw hash. Never throws.
 */
export function mix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
