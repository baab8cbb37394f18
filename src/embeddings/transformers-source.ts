/**
 * Where a transformers.js (ONNX) model comes from and how it is loaded: a Hugging Face id or a
 * local folder, checked up front, loaded with transformers.js's global settings set for that
 * source, and any failure turned into an error that names the model and the fix. Shared by the
 * embedder (EMBEDDING_MODEL) and the cross-encoder (RERANK_MODEL).
 */
import fs from "node:fs";
import path from "node:path";
import type * as Transformers from "@xenova/transformers";

/** How one kind of model is configured, so that errors name the right setting and fallback. */
export interface ModelSetting {
  /** The factory that loads it, for messages about invalid options, e.g. "createTransformersEmbedder". */
  factory: string;
  /** What the model is called in messages, lower case, e.g. "embedding model". */
  name: string;
  /** The environment variable that names it, e.g. "EMBEDDING_MODEL". */
  envVar: string;
  /** What unsetting the variable does, e.g. "use the built-in offline embedder". */
  fallback: string;
  /** An option that names a local folder instead of `model`, mentioned in the fix. Defaults to none. */
  folderOption?: string;
}

/** The options every transformers.js model takes. */
export interface TransformersModelOptions {
  /** A Hugging Face id in the transformers.js (ONNX) layout, or a local folder. */
  model: string;
  /** A local folder holding the model, used instead of downloading `model`; the id stays `model`. */
  localModelDir?: string;
  /** Where downloaded models are kept. Defaults to transformers.js's cache. */
  cacheDir?: string;
  /**
   * Load onnx/model_quantized.onnx (true) or onnx/model.onnx (false). Defaults to true, except that
   * a folder holding only onnx/model.onnx loads that.
   */
  quantized?: boolean;
  /** Inputs per forward pass. */
  batchSize?: number;
}

/** The transformers.js module, imported lazily so that nothing loads onnxruntime until needed. */
export type TransformersModule = typeof Transformers;

/** The options transformers.js's from_pretrained and pipeline take here. */
export interface TransformersLoadOptions {
  quantized: boolean;
  cache_dir?: string;
}

/** A loaded model and the id it goes by (its hub name, or its folder's name). */
export interface LoadedModel<T> {
  id: string;
  model: T;
}

/** The part of transformers.js's global `env` set while loading (its typings mark some read-only). */
interface TransformersEnv {
  allowRemoteModels: boolean;
  allowLocalModels: boolean;
  localModelPath: string;
  useFSCache: boolean;
}

/** Where to load from: a hub id, or a folder (loaded with downloads disabled). */
interface ModelSource {
  id: string;
  folder?: string;
}

/**
 * transformers.js keeps its settings in one global `env`, and reads them while loading. Loads are
 * therefore serialised, each sets what it needs and restores the previous values afterwards, so
 * a local load never leaves downloads disabled for a later hub load.
 */
let loadQueue: Promise<unknown> = Promise.resolve();

function looksLikePath(model: string): boolean {
  return (
    path.isAbsolute(model) || model.startsWith(".") || model.startsWith("~") || model.includes("\\")
  );
}

function isModelFolder(dir: string): boolean {
  return fs.existsSync(path.join(dir, "config.json"));
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function fixHint(model: string, folder: string | undefined, setting: ModelSetting): string {
  const fallback = `or unset ${setting.envVar} to ${setting.fallback}.`;
  if (folder !== undefined) {
    return (
      `Check that ${folder} holds config.json, tokenizer.json, tokenizer_config.json and ` +
      `onnx/model_quantized.onnx (or onnx/model.onnx with quantized: false), ${fallback}`
    );
  }
  return (
    `The first use of "${model}" downloads it from the Hugging Face hub, which needs network access. ` +
    `Without network, set ${setting.envVar} to a local folder that holds config.json, the tokenizer ` +
    `files and onnx/model_quantized.onnx, ${fallback}`
  );
}

/** Decides where the model comes from; throws when a named folder is missing or incomplete. */
function resolveSource(options: TransformersModelOptions, setting: ModelSetting): ModelSource {
  const folder =
    options.localModelDir ??
    (looksLikePath(options.model) || isModelFolder(options.model) ? options.model : undefined);
  if (folder === undefined) return { id: options.model };
  const resolved = path.resolve(folder);
  if (!isModelFolder(resolved)) {
    const what = fs.existsSync(resolved) ? "has no config.json" : "does not exist";
    const orOption = setting.folderOption === undefined ? "" : ` (or ${setting.folderOption})`;
    throw new Error(
      `${capitalise(setting.name)} folder ${resolved} ${what}. ` +
        `Point ${setting.envVar}${orOption} at a folder holding config.json, tokenizer.json ` +
        `and onnx/model_quantized.onnx, or unset ${setting.envVar} to ${setting.fallback}.`,
    );
  }
  // With localModelDir the model keeps its hub name as id, so an index built from a download
  // still opens with the same model loaded from disk.
  const id = options.localModelDir === undefined ? path.basename(resolved) : options.model;
  return { id, folder: resolved };
}

function chooseQuantized(options: TransformersModelOptions, folder?: string): boolean {
  if (options.quantized !== undefined) return options.quantized;
  if (folder === undefined) return true;
  const hasQuantized = fs.existsSync(path.join(folder, "onnx", "model_quantized.onnx"));
  const hasFull = fs.existsSync(path.join(folder, "onnx", "model.onnx"));
  return hasQuantized || !hasFull;
}

async function loadWithEnv<T>(
  source: ModelSource,
  options: TransformersModelOptions,
  load: (
    transformers: TransformersModule,
    modelId: string,
    loadOptions: TransformersLoadOptions,
  ) => Promise<T>,
): Promise<T> {
  // Imported here, not at the top: the built-in defaults must never load onnxruntime.
  const transformers = await import("@xenova/transformers");
  const env = transformers.env as unknown as TransformersEnv;
  const saved: TransformersEnv = {
    allowRemoteModels: env.allowRemoteModels,
    allowLocalModels: env.allowLocalModels,
    localModelPath: env.localModelPath,
    useFSCache: env.useFSCache,
  };
  let modelId = source.id;
  if (source.folder !== undefined) {
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.localModelPath = path.dirname(source.folder) + path.sep;
    // A cache entry under the same folder name must not shadow the files on disk.
    env.useFSCache = false;
    modelId = path.basename(source.folder);
  } else {
    // A hub id is not a local path: without this, transformers.js first looks for it under its
    // own models/ folder and logs a warning for every file it does not find there.
    env.allowLocalModels = false;
  }
  try {
    return await load(transformers, modelId, {
      quantized: chooseQuantized(options, source.folder),
      ...(options.cacheDir === undefined ? {} : { cache_dir: options.cacheDir }),
    });
  } finally {
    Object.assign(env, saved);
  }
}

/**
 * Checks the options every model takes and returns the batch size (`defaultBatchSize` when
 * unset); throws an Error naming the factory and the setting when `model` is empty or the batch
 * size is not a positive integer.
 */
export function checkModelOptions(
  options: TransformersModelOptions,
  setting: ModelSetting,
  defaultBatchSize: number,
): number {
  if (options.model.trim() === "") {
    throw new Error(
      `${setting.factory}: "model" is empty. Set ${setting.envVar} to a model id or folder.`,
    );
  }
  const batchSize = options.batchSize ?? defaultBatchSize;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new Error(
      `${setting.factory}: "batchSize" must be a positive integer, got ${batchSize}.`,
    );
  }
  return batchSize;
}

/**
 * Loads a transformers.js model from a hub id or a local folder (downloads disabled) through
 * `load`, one load at a time with transformers.js's settings restored afterwards. Throws an
 * Error naming the model, the folder and the fix when the folder is missing or incomplete, or
 * when `load` fails.
 */
export async function loadTransformersModel<T>(
  options: TransformersModelOptions,
  setting: ModelSetting,
  load: (
    transformers: TransformersModule,
    modelId: string,
    loadOptions: TransformersLoadOptions,
  ) => Promise<T>,
): Promise<LoadedModel<T>> {
  const source = resolveSource(options, setting);
  const loading = loadQueue.then(() => loadWithEnv(source, options, load));
  loadQueue = loading.catch(() => undefined);
  try {
    return { id: source.id, model: await loading };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const where = source.folder === undefined ? "" : ` from ${source.folder}`;
    throw new Error(
      `Could not load ${setting.name} "${options.model}"${where}: ${reason} ${fixHint(options.model, source.folder, setting)}`,
      { cause: error },
    );
  }
}
