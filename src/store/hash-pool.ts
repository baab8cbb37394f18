import { createHash } from "node:crypto";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { stat } from "node:fs/promises";
import { createReadStream } from "node:fs";

/**
 * Files at least this large are hashed on a worker thread: a worker costs a few milliseconds to
 * start, while hashing 100 MB costs about 60 ms of a core.
 */
const WORKER_MIN_BYTES = 16 * 1024 * 1024;

/** Plain JavaScript, so that it runs in a worker without the TypeScript loader. */
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const { createHash } = require("node:crypto");
const { createReadStream } = require("node:fs");
parentPort.on("message", ({ id, path }) => {
  const hash = createHash("sha256");
  createReadStream(path, { highWaterMark: 1 << 20 })
    .on("data", (part) => hash.update(part))
    .on("error", (error) => parentPort.postMessage({ id, error: error.message, code: error.code }))
    .on("end", () => parentPort.postMessage({ id, hex: hash.digest("hex") }));
});
`;

interface Reply {
  id: number;
  hex?: string;
  error?: string;
  code?: string;
}

/**
 * Computes sha256 of files, large ones on up to one worker thread per core, so that verifying a
 * large index at open takes the time of its largest file rather than of all of them. Call
 * `close` when done. Rejects with the file's I/O error (its `code` kept, e.g. ENOENT).
 */
export class HashPool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: (() => void)[] = [];
  private readonly pending = new Map<
    number,
    { resolve: (hex: string) => void; reject: (e: Error) => void }
  >();
  private nextId = 0;

  constructor(private readonly size = Math.max(1, Math.min(availableParallelism(), 4))) {}

  /** The hex sha256 of the file at `path`. */
  async hash(path: string): Promise<string> {
    const { size } = await stat(path);
    if (size < WORKER_MIN_BYTES) return hashFile(path);
    const worker = await this.acquire();
    try {
      return await new Promise<string>((resolve, reject) => {
        const id = this.nextId++;
        this.pending.set(id, { resolve, reject });
        worker.postMessage({ id, path });
      });
    } finally {
      this.release(worker);
    }
  }

  /** Stops the workers. Pending hashes reject. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
    for (const { reject } of this.pending.values()) reject(new Error("hash pool closed"));
    this.pending.clear();
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
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    worker.unref();
    worker.on("message", (reply: Reply) => {
      const waiting = this.pending.get(reply.id);
      if (waiting === undefined) return;
      this.pending.delete(reply.id);
      if (reply.hex !== undefined) waiting.resolve(reply.hex);
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
