import { Worker } from "node:worker_threads";

/**
 * Bytes per read. A question that arrives while a read is in flight waits for it: at about
 * 600 MB/s here, a quarter of a millisecond.
 */
const READ_BYTES = 1 << 17;

/**
 * Reads files front to back on a worker thread and throws the bytes away, so that the pages sit
 * in the operating system's cache before questions need them. Plain JavaScript, so that it runs
 * without the TypeScript loader. A file that cannot be read is skipped: warming is a hint.
 *
 * Before each read it waits while `held[0]` (the holds taken) is above zero, with `held[1]` set:
 * a sequential read keeps the disk's queue full, and a question's random reads would wait
 * behind it.
 */
const WORKER_SOURCE = `
const { workerData, parentPort } = require("node:worker_threads");
const { openSync, readSync, closeSync } = require("node:fs");
const held = new Int32Array(workerData.held);
const buffer = Buffer.allocUnsafe(${READ_BYTES});
let bytes = 0;
function waitWhileHeld() {
  for (let n = Atomics.load(held, 0); n > 0; n = Atomics.load(held, 0)) {
    Atomics.store(held, 1, 1);
    Atomics.wait(held, 0, n, 1000);
  }
  Atomics.store(held, 1, 0);
}
for (const path of workerData.paths) {
  let fd;
  try {
    fd = openSync(path, "r");
    let n;
    do {
      waitWhileHeld();
      n = readSync(fd, buffer, 0, buffer.length, null);
      bytes += n;
    } while (n > 0);
  } catch {
    // Skipped: a missing or unreadable file is the store's to report when it is used.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
parentPort.postMessage({ bytes });
`;

/** A running warm-up. */
export interface Prewarm {
  /** Resolves with the bytes read once every file was read (or stopped: the bytes so far, 0). */
  readonly done: Promise<number>;
  /**
   * Holds reading until the returned function is called (once; later calls do nothing). Holds
   * nest: reading resumes when the last one is released. The engine holds it while the first
   * question after a start is answered.
   */
  hold(): () => void;
  /** True while the reader waits for holds to be released. */
  readonly waiting: boolean;
  /** Stops reading. Idempotent. */
  stop(): void;
}

/**
 * Starts reading `paths` in order on a worker thread that never keeps the process alive. After a
 * restart the index's record files and postings are often no longer in the page cache (this
 * machine reclaims idle pages), and each question then waits on the disk for about 150 random
 * reads: at 146,000 articles, p50/p95 34/64 ms with a cold cache against 21/42 ms warm.
 * Never throws.
 */
export function prewarmFiles(paths: readonly string[]): Prewarm {
  const held = new Int32Array(new SharedArrayBuffer(8));
  let worker: Worker | undefined = new Worker(WORKER_SOURCE, {
    eval: true,
    // The parent's flags (--input-type=module, loaders) would make the script an ES module.
    execArgv: [],
    workerData: { paths: [...paths], held: held.buffer },
  });
  const done = new Promise<number>((resolve) => {
    worker?.once("message", (message: { bytes: number }) => resolve(message.bytes));
    worker?.once("error", () => resolve(0));
    worker?.once("exit", () => resolve(0));
  });
  // After the listeners: adding a message listener refs the worker's port again.
  worker.unref();
  return {
    done,
    get waiting() {
      return Atomics.load(held, 1) === 1;
    },
    hold() {
      Atomics.add(held, 0, 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        if (Atomics.sub(held, 0, 1) === 1) Atomics.notify(held, 0);
      };
    },
    stop() {
      void worker?.terminate();
      worker = undefined;
    },
  };
}
