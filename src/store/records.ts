import { endianness } from "node:os";
import type { Chunk } from "../types.js";
import type { ByteRange, ByteSource } from "./byte-source.js";

/**
 * The text a chunk is indexed by, for both BM25 and the embedder: the headline gives a short
 * passage the context ("which story is this?") that its sentences alone often lack.
 */
export function chunkDocumentText(chunk: Chunk): string {
  const byline = chunk.byline.length > 0 ? `\n${chunk.byline.join(" ")}` : "";
  return `${chunk.headline}${byline}\n${chunk.text}`;
}

/** "NREC": the first four bytes of a record file. */
const MAGIC = 0x4345524e;
const VERSION = 1;
/** magic, version, count, reserved: four u32. */
const HEADER_BYTES = 16;

/**
 * Encodes records as a record file: a header, a table of `count + 1` byte offsets (float64, so
 * files past 4 GB work), then one JSON text per record. Any record can then be read alone,
 * without parsing the others. Never throws for plain data.
 */
export function encodeRecords(records: readonly unknown[]): Uint8Array {
  assertLittleEndian();
  const parts: Buffer[] = [];
  const offsets = new Float64Array(records.length + 1);
  let size = 0;
  records.forEach((record, i) => {
    const part = Buffer.from(JSON.stringify(record), "utf8");
    offsets[i] = size;
    size += part.byteLength;
    parts.push(part);
  });
  offsets[records.length] = size;
  const head = Buffer.alloc(HEADER_BYTES);
  head.writeUInt32LE(MAGIC, 0);
  head.writeUInt32LE(VERSION, 4);
  head.writeUInt32LE(records.length, 8);
  return Buffer.concat([head, Buffer.from(offsets.buffer), ...parts]);
}

/** Random access to the records of a record file. */
export class RecordFile {
  readonly count: number;
  /** Byte offsets of the records in the data; u32 when the data is under 4 GiB (half the memory). */
  private readonly offsets: Float64Array | Uint32Array;
  private readonly dataStart: number;

  /**
   * Reads the header and offset table of a record file. Throws an Error when it is not one or its
   * table does not fit its size (the caller reports corruption).
   */
  constructor(
    private readonly source: ByteSource,
    what: string,
  ) {
    assertLittleEndian();
    if (source.byteLength < HEADER_BYTES) throw new Error(`${what} is shorter than its header`);
    const head = Buffer.from(source.read(0, HEADER_BYTES));
    if (head.readUInt32LE(0) !== MAGIC || head.readUInt32LE(4) !== VERSION) {
      throw new Error(`${what} is not a record file of version ${VERSION}`);
    }
    this.count = head.readUInt32LE(8);
    const tableBytes = (this.count + 1) * 8;
    if (source.byteLength < HEADER_BYTES + tableBytes) throw new Error(`${what} is truncated`);
    const table = source.read(HEADER_BYTES, tableBytes);
    const offsets = new Float64Array(
      table.buffer.slice(table.byteOffset, table.byteOffset + tableBytes) as ArrayBuffer,
    );
    this.dataStart = HEADER_BYTES + tableBytes;
    if (this.dataStart + (offsets[this.count] ?? 0) !== source.byteLength) {
      throw new Error(`${what} is ${source.byteLength} bytes, its table says otherwise`);
    }
    for (let i = 0; i < this.count; i++) {
      if (!((offsets[i] ?? 0) <= (offsets[i + 1] ?? 0))) {
        throw new Error(`${what} has its record offsets out of order at record ${i}`);
      }
    }
    // Growing, the offsets are all bounded by the last.
    this.offsets = (offsets[this.count] ?? 0) < 2 ** 32 ? Uint32Array.from(offsets) : offsets;
  }

  /** Parses record `i`. Throws a RangeError outside 0..count-1, SyntaxError on a damaged record. */
  get(i: number): unknown {
    if (!Number.isInteger(i) || i < 0 || i >= this.count) {
      throw new RangeError(`record ${i} is outside 0..${this.count - 1}`);
    }
    return JSON.parse(this.bytes(i, i + 1).toString("utf8")) as unknown;
  }

  /** Reads records `indices` ahead (see `ByteSource.prefetch`); out-of-range ones are skipped. */
  prefetch(indices: readonly number[]): Promise<void> {
    if (this.source.prefetch === undefined) return Promise.resolve();
    const ranges: ByteRange[] = [];
    for (const i of indices) {
      if (!Number.isInteger(i) || i < 0 || i >= this.count) continue;
      const start = this.offsets[i] ?? 0;
      ranges.push([this.dataStart + start, (this.offsets[i + 1] ?? start) - start]);
    }
    return this.source.prefetch(ranges);
  }

  /** Releases the file behind the records. */
  close(): void {
    this.source.close();
  }

  private bytes(from: number, to: number): Buffer {
    const start = this.offsets[from] ?? 0;
    const end = this.offsets[to] ?? 0;
    const bytes = this.source.read(this.dataStart + start, end - start);
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
}

function assertLittleEndian(): void {
  if (endianness() !== "LE")
    throw new Error("record files are little-endian; big-endian hosts are not supported");
}
