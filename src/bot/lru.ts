/**
 * A bounded map that forgets the least recently used entry when full. Button payloads live here:
 * Telegram caps callback data at 64 bytes, so a button carries a short key and the bot keeps what
 * the key stands for, for as long as memory allows.
 */
export class LruMap<K, V> {
  readonly #entries = new Map<K, V>();

  /** `capacity`: entries kept at most. Throws when it is not a positive integer. */
  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new Error(`LruMap capacity must be a positive integer, got ${capacity}`);
    }
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The value under `key`, marking it as recently used. */
  get(key: K): V | undefined {
    const value = this.#entries.get(key);
    if (value === undefined) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, value);
    return value;
  }

  /** Stores `value`, evicting the least recently used entry when over capacity. */
  set(key: K, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    if (this.#entries.size > this.capacity) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
  }
}

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
