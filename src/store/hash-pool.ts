import { createHash } from "node:crypto";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { open, stat } from "node:fs/promises";
import { createReadStream } from "node:fs";
import { NATIVE_CRC32 } from "../crc32.js";
import { type BlockTable, firstDamagedBlock } from "./verified-source.js";

/**
 * Files at least this large are hashed on a worker thread: a worker costs a few milliseconds to
 * start, while hashing 100 MB costs about 60 ms of a core.
 */
const WORKER_MIN_BYTES = 16 * 1024 * 1024;

/**
 * A file's blocks are checked on workers in ranges of at least this many bytes (one range per
 * worker): a range costs a message and a file open, 8 MB about 2 ms of CRC-32.
 */
const WORKER_MIN_RANGE_BYTES = 8 * 1024 * 1024;

/** Bytes read at a time when checking blocks: a whole number of blocks of about 1 MB. */
const READ_BYTES = 1 << 20;

/**
 * Plain JavaScript, so that it runs in a worker without the TypeScript loader. A "blocks" message
 * checks blocks firstBlock.. of a file against `sums` (CRC-32, as in verified-source.ts) and
 * replies with the first damaged block, or -1; a file that ends early is damaged where it ends.
 */
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const { createHash } = require("node:crypto");
const { createReadStream, openSync, readSync, closeSync } = require("node:fs");
const { crc32 } = require("node:zlib");
function checkBlocks({ path, size, blockBytes, firstBlock, sums }) {
  const fd = openSync(path, "r");
  try {
    const perRead = Math.max(1, Math.floor(${READ_BYTES} / blockBytes));
    const buffer = Buffer.allocUnsafe(perRead * blockBytes);
    const end = Math.min((firstBlock + sums.length) * blockBytes, size);
    let b = 0;
    for (let pos = firstBlock * blockBytes; pos < end; pos += buffer.length) {
      const want = Math.min(buffer.length, end - pos);
      let got = 0;
      while (got < want) {
        const n = readSync(fd, buffer, got, want - got, pos + got);
        if (n === 0) break;
        got += n;
      }
      for (let from = 0; from < want; from += blockBytes, b++) {
        const to = Math.min(from + blockBytes, want);
        if (to > got || crc32(buffer.subarray(from, to)) !== sums[b]) return firstBlock + b;
      }
    }
    return -1;
  } finally {
    closeSync(fd);
  }
}
parentPort.on("message", (message) => {
  const { id, path } = message;
  const fail = (error) => parentPort.postMessage({ id, error: error.message, code: error.code });
  if (message.kind === "blocks") {
    try {
      parentPort.postMessage({ id, bad: checkBlocks(message) });
    } catch (error) {
      fail(error);
    }
    return;
  }
  const hash = createHash("sha256");
  createReadStream(path, { highWaterMark: 1 << 20 })
    .on("data", (part) => hash.update(part))
    .on("error", fail)
    .on("end", () => parentPort.postMessage({ id, hex: hash.digest("hex") }));
});
`;

type Request =
  | { kind: "sha256"; path: string }
  | {
      kind: "blocks";
      path: string;
      size: number;
      blockBytes: number;
      firstBlock: number;
      sums: Uint32Array;
    };

interface Reply {
  id: number;
  hex?: string;
  /** First damaged block, or -1. */
  bad?: number;
  error?: string;
  code?: string;
}

/**
 * Computes sha256 of files and checks files against their block tables, large ones on up to one
 * worker thread per core, so that verifying a large index at open takes the time of its largest
 * file (or of a part of it) rather than of all of them. Call `close` when done. Rejects with the
 * file's I/O error (its `code` kept, e.g. ENOENT).
 */
export class HashPool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: (() => void)[] = [];
  private readonly pending = new Map<
    number,
    { resolve: (reply: Reply) => void; reject: (e: Error) => void }
  >();
  private nextId = 0;

  constructor(private readonly size = Math.max(1, Math.min(availableParallelism(), 4))) {}

  /** The hex sha256 of the file at `path`. */
  async hash(path: string): Promise<string> {
    const { size } = await stat(path);
    if (size < WORKER_MIN_BYTES) return hashFile(path);
    const reply = await this.run({ kind: "sha256", path });
    return reply.hex ?? "";
  }

  /**
   * Checks blocks `from` (inclusive) to `to` (exclusive; defaults to all) of the file at `path`
   * (of `table.size` bytes) against `table`, a large range split into one part per worker.
   * Resolves to the first damaged block, or undefined when all match; a file shorter than the
   * table is damaged where it ends.
   */
  async verifyBlocks(
    path: string,
    table: BlockTable,
    from = 0,
    to = table.sums.length,
  ): Promise<number | undefined> {
    const { blockBytes } = table;
    const bytes = Math.min(to * blockBytes, table.size) - from * blockBytes;
    // Without zlib's CRC-32 a worker would only move the slow JavaScript one off this thread.
    if (bytes < WORKER_MIN_BYTES || !NATIVE_CRC32) return verifyFileBlocks(path, table, from, to);
    const parts = Math.max(1, Math.min(this.size, Math.floor(bytes / WORKER_MIN_RANGE_BYTES)));
    const per = Math.ceil((to - from) / parts);
    const ranges: Promise<Reply>[] = [];
    for (let first = from; first < to; first += per) {
      const sums = table.sums.slice(first, Math.min(first + per, to));
      ranges.push(
        this.run({ kind: "blocks", path, size: table.size, blockBytes, firstBlock: first, sums }),
      );
    }
    const bad = (await Promise.all(ranges)).map((r) => r.bad ?? -1).filter((b) => b >= 0);
    return bad.length > 0 ? Math.min(...bad) : undefined;
  }

  /** Stops the workers. Pending hashes reject. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
    for (const { reject } of this.pending.values()) reject(new Error("hash pool closed"));
    this.pending.clear();
  }

  /** Runs one request on a worker. Rejects with the worker's I/O error. */
  private async run(request: Request): Promise<Reply> {
    const worker = await this.acquire();
    try {
      return await new Promise<Reply>((resolve, reject) => {
        const id = this.nextId++;
        this.pending.set(id, { resolve, reject });
        worker.postMessage({ id, ...request });
      });
    } finally {
      this.release(worker);
    }
  }

  private async acquire(): Promise<Worker> {
    const free = this.idle.pop();
    if (free !== undefined) return free;
    if (this.workers.length < this.size) return this.spawn();
    await new Promise<void>((resolve) => this.queue.push(resolve));
    return this.acquire();
  }

  private release(worker: Worker): void {
    this.idle.push(worker);
    this.queue.shift()?.();
  }

  private spawn(): Worker {
    // Not unref'd: a hash being awaited must keep the process alive (the message listener would
    // ref the worker again anyway); `close` ends the workers.
    const worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [] });
    worker.on("message", (reply: Reply) => {
      const waiting = this.pending.get(reply.id);
      if (waiting === undefined) return;
      this.pending.delete(reply.id);
      if (reply.error === undefined) waiting.resolve(reply);
      else {
        const error = new Error(reply.error ?? "hashing failed") as NodeJS.ErrnoException;
        if (reply.code !== undefined) error.code = reply.code;
        waiting.reject(error);
      }
    });
    worker.on("error", (error) => {
      for (const { reject } of this.pending.values()) reject(error);
      this.pending.clear();
    });
    this.workers.push(worker);
    return worker;
  }
}

/** sha256 of a file on this thread, streamed so that a large file never sits in memory whole. */
export async function hashFile(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const part of createReadStream(path, { highWaterMark: 1 << 20 })) {
    hash.update(part as Buffer);
  }
  return hash.digest("hex");
}

/**
 * Checks blocks `from` (inclusive) to `to` (exclusive) of a file against `table` on this thread.
 * Resolves to the first damaged block, or undefined; a file that ends early is damaged where it
 * ends. Throws on I/O errors.
 */
export async function verifyFileBlocks(
  path: string,
  table: BlockTable,
  from: number,
  to: number,
): Promise<number | undefined> {
  const { blockBytes } = table;
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.allocUnsafe(
      Math.max(1, Math.floor(READ_BYTES / blockBytes)) * blockBytes,
    );
    const end = Math.min(to * blockBytes, table.size);
    for (let pos = from * blockBytes; pos < end; pos += buffer.length) {
      const want = Math.min(buffer.length, end - pos);
      let got = 0;
      while (got < want) {
        const { bytesRead } = await handle.read(buffer, got, want - got, pos + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      const first = pos / blockBytes;
      // Only whole blocks are compared; a block cut short by the end of the file is damaged.
      const whole = got === want ? want : Math.floor(got / blockBytes) * blockBytes;
      const bad = firstDamagedBlock(buffer.subarray(0, whole), table, first);
      if (bad !== undefined) return bad;
      if (whole < want) return first + whole / blockBytes;
    }
    return undefined;
  } finally {
    await handle.close();
  }
}
