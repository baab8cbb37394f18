/**
 * Worker entry of `runIndexJobInWorker`: builds the embedder from its configuration, runs the
 * index job, and reports progress and the outcome to the parent.
 */
import { parentPort, workerData } from "node:worker_threads";
import { createConfiguredEmbedder } from "../app.js";
import { AppError } from "../errors.js";
import { runIndexJob } from "../indexer.js";
import type { WorkerJobData, WorkerMessage } from "./index-job.js";

const { options } = workerData as WorkerJobData;
const post = (message: WorkerMessage): void => parentPort?.postMessage(message);

try {
  const embedder = await createConfiguredEmbedder(options.embeddingModel, options.dataDir);
  const job: Partial<typeof options> = { ...options };
  delete job.embeddingModel;
  delete job.dataDir;
  const result = await runIndexJob({
    ...job,
    indexDir: options.indexDir,
    embedder,
    onProgress: (done, total) => post({ type: "progress", done, total }),
  });
  post({ type: "done", result });
} catch (error) {
  const e = error instanceof Error ? error : new Error(String(error));
  post({
    type: "error",
    name: e.name,
    message: e.message,
    ...(e instanceof AppError
      ? { code: e.code, userMessage: e.userMessage, retryable: e.retryable }
      : {}),
  });
}
