import { fnv1a32 } from "../embeddings/feature-hash.js";

/**
 * A read-only lookup from string ids to small integers (ordinals), kept in two typed arrays:
 * open addressing over FNV-1a hashes, the ids themselves held by the caller. At 146,071 articles
 * it is built in about a third of the time of a Map (which also allocates per entry), and it is
 * built on every start. Each slot keeps its id's hash, so that a probe asks the caller for an id
 * (a slice of the segment's packed ids) only when the hashes agree.
 */
export class IdTable {
  private readonly slots: Int32Array;
  private readonly hashes: Int32Array;
  private readonly mask: number;
  private live = 0;

  /**
   * An empty table for up to `capacity` ids; `idOf(ordinal)` gives the id stored for an ordinal.
   * Throws RangeError for a negative capacity.
   */
  constructor(
    capacity: number,
    private readonly idOf: (ordinal: number) => string,
  ) {
    if (!(capacity >= 0)) throw new RangeError(`capacity must be >= 0, got ${capacity}`);
    // At most half full: probes stay short.
    let size = 16;
    while (size < capacity * 2) size *= 2;
    this.slots = new Int32Array(size);
    this.hashes = new Int32Array(size);
    this.mask = size - 1;
  }

  /** Ids held. */
  get size(): number {
    return this.live;
  }

  /**
   * Maps `id` (which must be `idOf(ordinal)`) to `ordinal`, replacing an earlier ordinal of the
   * same id. Throws RangeError when the table is full.
   */
  set(id: string, ordinal: number): void {
    const hash = idHash(id);
    this.fill(this.find(hash, id, ordinal), hash, ordinal);
  }

  /**
   * Like `set`, for the id `idOf(ordinal)` whose `idHash` the caller computed where the id lies
   * (in a segment's packed ids): no id string is made unless two hashes agree.
   */
  setHashed(ordinal: number, hash: number): void {
    this.fill(this.find(hash, undefined, ordinal), hash, ordinal);
  }

  /** The ordinal of `id`, or undefined. */
  get(id: string): number | undefined {
    const held = this.slots[this.find(idHash(id), id, -1)] ?? 0;
    return held === 0 ? undefined : held - 1;
  }

  private fill(slot: number, hash: number, ordinal: number): void {
    if (this.slots[slot] === 0) {
      if (this.live * 2 >= this.slots.length) throw new RangeError("the id table is full");
      this.live++;
      this.hashes[slot] = hash;
    }
    this.slots[slot] = ordinal + 1;
  }

  /**
   * The slot holding the id whose hash is `hash`, or the empty slot where it would go. The id is
   * `id`, or else `idOf(ordinal)`, made only when two hashes agree.
   */
  private find(hash: number, id: string | undefined, ordinal: number): number {
    for (let slot = hash & this.mask; ; slot = (slot + 1) & this.mask) {
      const held = this.slots[slot] ?? 0;
      if (held === 0) return slot;
      if (this.hashes[slot] === hash && this.idOf(held - 1) === (id ?? this.idOf(ordinal))) {
        return slot;
      }
    }
  }
}

/** The hash an IdTable keys `text[start, end)` by: FNV-1a over UTF-16 units, signed. */
export function idHash(text: string, start = 0, end = text.length): number {
  return fnv1a32(text, start, end) | 0;
}
