import { LruMap } from "../lru.js";

/**
 * An LRU whose keys it makes itself: short base-36 counters, so a key plus a few characters of
 * verb stays far below the 64-byte callback-data limit.
 */
export class KeyedStore<V> {
  readonly #map: LruMap<string, V>;
  #next = 0;

  constructor(capacity: number) {
    this.#map = new LruMap(capacity);
  }

  /** Stores `value` and returns its new key. */
  put(value: V): string {
    const key = (this.#next++).toString(36);
    this.#map.set(key, value);
    return key;
  }

  /** The value under `key`, or undefined when it expired. */
  get(key: string): V | undefined {
    return this.#map.get(key);
  }
}
