import { crc32 } from "../crc32.js";
import type { ByteRange, ByteSource } from "./byte-source.js";
import { corrupt } from "./manifest.js";

/**
 * Block size of the checksum tables written with each segment. The first read of a record
 * verifies the block(s) around it: measured on a 150,000-article index, that adds about 15 µs
 * at 16 KiB and 47 µs at 64 KiB, and one question first-touches 150-200 blocks. At 16 KiB a
 * 1.4 GB segment has 90,000 checksums (470 KB of base64 in `segment.json`, 3 ms to read, hash
 * and decode at open, against 0.5 ms at 64 KiB), and checking its 580 MB graph takes as long.
 */
export const DEFAULT_BLOCK_BYTES = 16 * 1024;

/** The checksum algorithm of block tables; a table naming another one is not used. */
const BLOCK_ALGORITHM = "crc32";

/**
 * One checksum per fixed-size block of a file, so that a file can be verified piecewise as it
 * is read instead of whole at open. The last block may be shorter.
 */
export interface BlockTable {
  /** File size in bytes. */
  size: number;
  blockBytes: number;
  /** CRC-32 of each block, in file order. */
  sums: Uint32Array;
}

/** A block table as stored in `segment.json`: `sums` is the base64 of a little-endian u32 array. */
export interface StoredBlockTable {
  size: number;
  blockBytes: number;
  algorithm: string;
  sums: string;
}

/** Number of blocks of a file of `size` bytes. */
function blockCount(size: number, blockBytes: number): number {
  return Math.ceil(size / blockBytes);
}

/** The block table of bytes in memory. Throws a RangeError for a block size below 1. */
export function blockTable(bytes: Uint8Array, blockBytes = DEFAULT_BLOCK_BYTES): BlockTable {
  assertBlockBytes(blockBytes);
  const sums = new Uint32Array(blockCount(bytes.byteLength, blockBytes));
  for (let b = 0; b < sums.length; b++) {
    sums[b] = crc32(bytes.subarray(b * blockBytes, (b + 1) * blockBytes));
  }
  return { size: bytes.byteLength, blockBytes, sums };
}

/**
 * Builds a block table from a file's bytes fed in order, in pieces of any size (a file read
 * back in a stream). Throws a RangeError for a block size below 1.
 */
export class BlockTableBuilder {
  private readonly sums: number[] = [];
  private size = 0;
  /** CRC of the bytes of the current, unfinished block, and how many there are. */
  private crc = 0;
  private filled = 0;

  constructor(private readonly blockBytes = DEFAULT_BLOCK_BYTES) {
    assertBlockBytes(blockBytes);
  }

  /** Adds the next bytes of the file. */
  update(data: Uint8Array): void {
    let at = 0;
    while (at < data.byteLength) {
      const take = Math.min(this.blockBytes - this.filled, data.byteLength - at);
      this.crc = crc32(data.subarray(at, at + take), this.crc);
      this.filled += take;
      this.size += take;
      at += take;
      if (this.filled === this.blockBytes) this.finishBlock();
    }
  }

  /** The table of everything fed so far. */
  finish(): BlockTable {
    if (this.filled > 0) this.finishBlock();
    return { size: this.size, blockBytes: this.blockBytes, sums: Uint32Array.from(this.sums) };
  }

  private finishBlock(): void {
    this.sums.push(this.crc);
    this.crc = 0;
    this.filled = 0;
  }
}

/** The form of a block table kept in `segment.json`. Never throws. */
export function storeBlockTable(table: BlockTable): StoredBlockTable {
  const sums = Buffer.from(table.sums.buffer, table.sums.byteOffset, table.sums.byteLength);
  return {
    size: table.size,
    blockBytes: table.blockBytes,
    algorithm: BLOCK_ALGORITHM,
    sums: sums.toString("base64"),
  };
}

/**
 * Reads a stored block table. Returns undefined when it uses another algorithm (the caller then
 * verifies the file whole, by its sha256). Throws an Error when it is malformed.
 */
export function loadBlockTable(stored: unknown): BlockTable | undefined {
  const s = stored as Partial<StoredBlockTable> | null;
  if (typeof s !== "object" || s === null) throw new Error("block table is not an object");
  if (s.algorithm !== BLOCK_ALGORITHM) return undefined;
  const { size, blockBytes, sums } = s;
  if (
    typeof size !== "number" ||
    !Number.isSafeInteger(size) ||
    size < 0 ||
    typeof blockBytes !== "number" ||
    !Number.isSafeInteger(blockBytes) ||
    blockBytes < 1 ||
    typeof sums !== "string"
  ) {
    throw new Error("block table lacks size, blockBytes or sums");
  }
  const bytes = Buffer.from(sums, "base64");
  const count = blockCount(size, blockBytes);
  if (bytes.byteLength !== count * 4) {
    throw new Error(`block table has ${bytes.byteLength / 4} checksums for ${count} blocks`);
  }
  // Copied into its own buffer: a Uint32Array needs 4-byte alignment. Block tables are written
  // little-endian, like every other section of the index (the record and lexical readers refuse
  // big-endian hosts).
  const sumsArray = new Uint32Array(count);
  new Uint8Array(sumsArray.buffer).set(bytes);
  return { size, blockBytes, sums: sumsArray };
}

/** The block whose checksum does not match, or undefined when every block of `bytes` matches. */
export function firstDamagedBlock(
  bytes: Uint8Array,
  table: BlockTable,
  firstBlock = 0,
): number | undefined {
  const { blockBytes, sums } = table;
  for (let b = firstBlock, at = 0; at < bytes.byteLength; b++, at += blockBytes) {
    if (crc32(bytes.subarray(at, at + blockBytes)) !== sums[b]) return b;
  }
  return undefined;
}

/**
 * What is wrong with a file at `path` of `size` bytes that `table` describes: undefined when the
 * sizes agree, else the problem (a truncated, emptied or grown file). Never throws.
 */
export function sizeProblem(path: string, size: number, table: BlockTable): string | undefined {
  return size === table.size
    ? undefined
    : `${path} is ${size} bytes, its checksum table says ${table.size}`;
}

/**
 * A ByteSource over a file that checks every block a read touches against the file's block table
 * the first time it is touched, and remembers the blocks it has checked: a damaged byte is never
 * returned. Reading one record costs one extra block read the first time.
 */
export class VerifiedSource implements ByteSource {
  readonly byteLength: number;
  /** One bit per block: set once the block has matched its checksum. */
  private readonly verified: Uint32Array;

  /**
   * Wraps `inner`, the bytes of the file at `path` (named in errors). Throws IndexError
   * INDEX_CORRUPT when the file's size differs from the table's (a truncated or emptied file).
   */
  constructor(
    private readonly inner: ByteSource,
    private readonly table: BlockTable,
    private readonly path: string,
  ) {
    const wrongSize = sizeProblem(path, inner.byteLength, table);
    if (wrongSize !== undefined) throw corrupt(wrongSize);
    this.byteLength = table.size;
    this.verified = new Uint32Array(Math.ceil(table.sums.length / 32));
  }

  /**
   * `length` bytes from `offset`, after checking the blocks they lie in. Throws IndexError
   * INDEX_CORRUPT naming the file and block when one does not match its checksum, a RangeError
   * past the end, and on I/O errors.
   */
  read(offset: number, length: number): Uint8Array {
    if (offset < 0 || length < 0 || offset + length > this.byteLength) {
      throw new RangeError(`read of ${length} bytes at ${offset} is outside 0..${this.byteLength}`);
    }
    if (length === 0) return this.inner.read(offset, 0);
    const { blockBytes } = this.table;
    const first = Math.floor(offset / blockBytes);
    const last = Math.floor((offset + length - 1) / blockBytes);
    let unchecked = first;
    while (unchecked <= last && this.isVerified(unchecked)) unchecked++;
    if (unchecked > last) return this.inner.read(offset, length);
    // Whole blocks are read once, checked, and the caller's range is cut from the same bytes:
    // what is returned is exactly what was checked.
    const start = first * blockBytes;
    const end = Math.min((last + 1) * blockBytes, this.byteLength);
    const bytes = this.inner.read(start, end - start);
    for (let b = unchecked; b <= last; b++) {
      if (this.isVerified(b)) continue;
      const at = b * blockBytes - start;
      if (crc32(bytes.subarray(at, at + blockBytes)) !== this.table.sums[b]) {
        const to = Math.min((b + 1) * blockBytes, this.byteLength);
        throw corrupt(
          `${this.path} does not match its checksum in block ${b} (bytes ${b * blockBytes}..${to})`,
        );
      }
      this.markVerified(b);
    }
    return bytes.subarray(offset - start, offset - start + length);
  }

  /**
   * Reads ahead the blocks of `ranges` not yet checked (see `ByteSource.prefetch`); they are
   * checked when read. Never rejects.
   */
  prefetch(ranges: readonly ByteRange[]): Promise<void> {
    if (this.inner.prefetch === undefined) return Promise.resolve();
    const { blockBytes } = this.table;
    const blocks: ByteRange[] = [];
    for (const [offset, length] of ranges) {
      if (length <= 0) continue;
      const last = Math.floor((Math.min(offset + length, this.byteLength) - 1) / blockBytes);
      for (let b = Math.max(0, Math.floor(offset / blockBytes)); b <= last; b++) {
        if (!this.isVerified(b)) blocks.push([b * blockBytes, blockBytes]);
      }
    }
    return this.inner.prefetch(blocks);
  }

  /** Number of blocks checked so far. */
  get verifiedBlocks(): number {
    let n = 0;
    for (let b = 0; b < this.table.sums.length; b++) if (this.isVerified(b)) n++;
    return n;
  }

  close(): void {
    this.inner.close();
  }

  private isVerified(block: number): boolean {
    return ((this.verified[block >>> 5] ?? 0) & (1 << (block & 31))) !== 0;
  }

  private markVerified(block: number): void {
    this.verified[block >>> 5] = (this.verified[block >>> 5] ?? 0) | (1 << (block & 31));
  }
}

function assertBlockBytes(blockBytes: number): void {
  if (!Number.isSafeInteger(blockBytes) || blockBytes < 1) {
    throw new RangeError(`block size must be a positive integer, got ${blockBytes}`);
  }
}
