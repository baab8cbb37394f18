import type { Embedder } from "./embedder.js";
import { createHashedEmbedder, parseHashedEmbedderId } from "./hashed.js";

export interface CreateEmbedderOptions {
  /**
   * Which embedder: undefined, "", "builtin" or "hashed" for the built-in offline one, or one of
   * its ids ("hashed-ngram-v1-d384" for other dimensions); anything else is a transformers.js
   * model id or a local model folder. Defaults to the built-in one.
   */
  model?: string;
  /** Where downloaded models are kept. Defaults to transformers.js's cache. */
  cacheDir?: string;
}

const BUILTIN_NAMES = new Set(["", "builtin", "hashed"]);

/**
 * Creates the embedder a configuration names: the built-in hashed embedder, or a transformers.js
 * model. Throws (with the fix in the message) when the model cannot be loaded.
 */
export async function createEmbedder(options: CreateEmbedderOptions = {}): Promise<Embedder> {
  const model = options.model?.trim() ?? "";
  if (BUILTIN_NAMES.has(model.toLowerCase())) return createHashedEmbedder();
  // The store's "built with another embedder" error suggests EMBEDDING_MODEL=<that id>.
  const hashed = parseHashedEmbedderId(model);
  if (hashed !== undefined) return createHashedEmbedder(hashed);
  // Imported on demand so that the built-in embedder never loads the transformers adapter.
  const { createTransformersEmbedder } = await import("./transformers.js");
  return createTransformersEmbedder({
    model,
    ...(options.cacheDir === undefined ? {} : { cacheDir: options.cacheDir }),
  });
}
