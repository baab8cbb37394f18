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
 * True when the archive has been built: in PostgreSQL at `indexUrl` when it is set, else under
 * `indexDir`. Never throws: an unreachable server reads as no archive, and the build that follows
 * reports it.
 */
export async function archiveExists(
  indexDir: string,
  indexUrl: string | undefined,
): Promise<boolean> {
  if (indexUrl === undefined) return indexExists(indexDir);
  const { parseIndexUrl, readPgManifest } = await import("./store/postgres/postgres.js");
  return (await readPgManifest(parseIndexUrl(indexUrl))) !== undefined;
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
