import fs from "node:fs";
import path from "node:path";
import type { Embedder } from "./embeddings/embedder.js";
import { createEmbedder } from "./embeddings/create.js";
import { createCrossEncoderReranker, type Reranker } from "./rerank/cross-encoder.js";

/** The folder where embedding models are cached. */
export function modelCacheDir(dataDir: string): string {
  return path.join(dataDir, "models");
}

/** Creates the configured embedder: the built-in offline one unless a model is named. */
export async function createConfiguredEmbedder(
  model: string | undefined,
  dataDir: string,
): Promise<Embedder> {
  const options: Parameters<typeof createEmbedder>[0] = { cacheDir: modelCacheDir(dataDir) };
  if (model !== undefined) options.model = model;
  return createEmbedder(options);
}

/** True when an index has been built under `indexDir` (its CURRENT pointer exists). */
export function indexExists(indexDir: string): boolean {
  return fs.existsSync(path.join(indexDir, "CURRENT"));
}

/**
 * Loads the configured cross-encoder (RERANK_MODEL), or returns undefined when none is set.
 * Throws an Error naming the model and the fix when it cannot be loaded.
 */
export async function createConfiguredReranker(
  model: string | undefined,
  dataDir: string,
): Promise<Reranker | undefined> {
  if (model === undefined) return undefined;
  return createCrossEncoderReranker({ model, cacheDir: modelCacheDir(dataDir) });
}
