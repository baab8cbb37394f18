import { Worker } from "node:worker_threads";
import { AppError } from "../errors.js";
import type { IndexJobOptions, IndexJobResult } from "../indexer.js";

/** An index job described by plain data, so that it can cross into a worker thread. */
export interface WorkerIndexJobOptions extends Omit<IndexJobOptions, "embedder" | "onProgress"> {
  /** EMBEDDING_MODEL; the built-in embedder when undefined. */
  embeddingModel: string | undefined;
  /** DATA_DIR, where model files are cached. */
  dataDir: string;
}

/** What the parent hands the worker. */
export interface WorkerJobData {
  entry: string;
  options: WorkerIndexJobOptions;
}

/** What the worker reports. */
export type WorkerMessage =
  | { type: "progress"; done: number; total: number }
  | { type: "done"; result: IndexJobResult }
  | { type: "error"; name: string; message: string }
  | {
      type: "error";
      name: string;
      message: string;
      code: string;
      userMessage: string;
      retryable: boolean;
    };

/**
 * Runs an index job on a worker thread, so that parsing, embedding and graph building never stall
 * the bot's event loop (questions keep being answered meanwhile). Resolves with the job's summary;
 * rejects with the job's error (an AppError keeps its code, e.g. INDEX_LOCKED) or when the worker
 * dies.
 */
export function runIndexJobInWorker(
  options: WorkerIndexJobOptions,
  onProgress?: (done: number, total: number) => void,
): Promise<IndexJobResult> {
  // Run from TypeScript (tsx, vitest), the worker registers tsx's loader and imports the entry's
  // source; run from the bundle (`npm start`), the entry is a bundle beside this one.
  const bundled = !import.meta.url.endsWith(".ts");
  const entry = new URL(
    bundled ? "./index-job-entry.mjs" : "./index-job-entry.ts",
    import.meta.url,
  );
  const data: WorkerJobData = { entry: entry.href, options };
  return new Promise((resolve, reject) => {
    const worker = new Worker(bundled ? entry : new URL("./boot.mjs", import.meta.url), {
      workerData: data,
    });
    let settled = false;
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      fn();
      void worker.terminate();
    };
    worker.on("message", (message: WorkerMessage) => {
      if (message.type === "progress") onProgress?.(message.done, message.total);
      else if (message.type === "done") settle(() => resolve(message.result));
      else settle(() => reject(rebuildError(message)));
    });
    worker.on("error", (error) => settle(() => reject(error)));
    worker.on("exit", (code) =>
      settle(() => reject(new Error(`the index worker exited with code ${code} before finishing`))),
    );
  });
}

/** The worker's error as the caller would have seen it in-process (name, message, AppError fields). */
function rebuildError(message: Extract<WorkerMessage, { type: "error" }>): Error {
  const error =
    "code" in message
      ? new AppError(message.code, message.message, {
          userMessage: message.userMessage,
          retryable: message.retryable,
        })
      : new Error(message.message);
  error.name = message.name;
  return error;
}
