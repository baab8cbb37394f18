import fs from "node:fs";
import path from "node:path";
import type { Embedder } from "./embedder.js";

export interface TransformersEmbedderOptions {
  /**
   * A Hugging Face model id in the transformers.js (ONNX) layout, e.g. "Xenova/bge-small-zh-v1.5",
   * or a local folder holding config.json, the tokenizer files and onnx/model*.onnx.
   */
  model: string;
  /**
   * A local folder holding the model, used instead of downloading `model`; the id stays `model`.
   * Defaults to none (download `model` unless it is itself a folder).
   */
  localModelDir?: string;
  /** Where downloaded models are kept. Defaults to transformers.js's cache (inside node_modules). */
  cacheDir?: string;
  /**
   * Load onnx/model_quantized.onnx (true) or onnx/model.onnx (false). Defaults to true, except
   * that a local folder holding only onnx/model.onnx loads that.
   */
  quantized?: boolean;
  /**
   * Text put before every query (not before passages). Defaults to bge's Chinese retrieval
   * instruction when the model name contains "bge", otherwise to none.
   */
  queryInstruction?: string;
  /** How token vectors become one vector: "cls" (bge) or "mean". Defaults to "cls". */
  pooling?: "cls" | "mean";
  /** Texts per forward pass. Defaults to 16. */
  batchSize?: number;
}

/** The instruction bge-*-zh models expect in front of short retrieval queries. */
export const BGE_ZH_QUERY_INSTRUCTION = "为这个句子生成表示以用于检索相关文章：";

const DEFAULT_BATCH_SIZE = 16;

/** The part of transformers.js's global `env` this adapter sets (its typings mark some read-only). */
interface TransformersEnv {
  allowRemoteModels: boolean;
  allowLocalModels: boolean;
  localModelPath: string;
  useFSCache: boolean;
}

/** The feature-extraction pipeline, narrowed to what is used here. */
interface FeatureExtractor {
  (
    texts: string[],
    options: { pooling: "cls" | "mean"; normalize: boolean },
  ): Promise<{ data: ArrayLike<number>; dims: number[] }>;
  model: { config?: unknown };
  dispose?: () => Promise<unknown>;
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

function fixHint(model: string, folder?: string): string {
  const offline = "or unset EMBEDDING_MODEL to use the built-in offline embedder.";
  if (folder !== undefined) {
    return (
      `Check that ${folder} holds config.json, tokenizer.json, tokenizer_config.json and ` +
      `onnx/model_quantized.onnx (or onnx/model.onnx with quantized: false), ${offline}`
    );
  }
  return (
    `The first use of "${model}" downloads it from the Hugging Face hub, which needs network access. ` +
    "Without network, set EMBEDDING_MODEL to a local folder that holds config.json, the tokenizer " +
    `files and onnx/model_quantized.onnx, ${offline}`
  );
}

/** Decides where the model comes from; throws when a named folder is missing or incomplete. */
function resolveSource(options: TransformersEmbedderOptions): ModelSource {
  const folder =
    options.localModelDir ??
    (looksLikePath(options.model) || isModelFolder(options.model) ? options.model : undefined);
  if (folder === undefined) return { id: options.model };
  const resolved = path.resolve(folder);
  if (!isModelFolder(resolved)) {
    const what = fs.existsSync(resolved) ? "has no config.json" : "does not exist";
    throw new Error(
      `Embedding model folder ${resolved} ${what}. ` +
        "Point EMBEDDING_MODEL (or localModelDir) at a folder holding config.json, tokenizer.json " +
        "and onnx/model_quantized.onnx, or unset EMBEDDING_MODEL to use the built-in offline embedder.",
    );
  }
  // With localModelDir the model keeps its hub name as id, so an index built from a download
  // still opens with the same model loaded from disk.
  const id = options.localModelDir === undefined ? path.basename(resolved) : options.model;
  return { id, folder: resolved };
}

function chooseQuantized(options: TransformersEmbedderOptions, folder?: string): boolean {
  if (options.quantized !== undefined) return options.quantized;
  if (folder === undefined) return true;
  const hasQuantized = fs.existsSync(path.join(folder, "onnx", "model_quantized.onnx"));
  const hasFull = fs.existsSync(path.join(folder, "onnx", "model.onnx"));
  return hasQuantized || !hasFull;
}

async function loadExtractor(
  source: ModelSource,
  options: TransformersEmbedderOptions,
): Promise<FeatureExtractor> {
  // Imported here, not at the top: the offline default must never load onnxruntime.
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
    const extractor = await transformers.pipeline("feature-extraction", modelId, {
      quantized: chooseQuantized(options, source.folder),
      ...(options.cacheDir === undefined ? {} : { cache_dir: options.cacheDir }),
    });
    return extractor as unknown as FeatureExtractor;
  } finally {
    Object.assign(env, saved);
  }
}

function hiddenSizeOf(config: unknown): number | undefined {
  if (typeof config !== "object" || config === null) return undefined;
  const size = (config as { hidden_size?: unknown }).hidden_size;
  return typeof size === "number" && Number.isInteger(size) && size > 0 ? size : undefined;
}

/**
 * Creates an embedder backed by a transformers.js (ONNX) model, loading it once: CLS pooling and
 * L2 normalisation by default, bge's query instruction for bge models. Throws an Error that names
 * the model and the fix when the model cannot be loaded, or when options are invalid.
 */
export async function createTransformersEmbedder(
  options: TransformersEmbedderOptions,
): Promise<Embedder> {
  if (options.model.trim() === "") {
    throw new Error(
      'createTransformersEmbedder: "model" is empty. Set EMBEDDING_MODEL to a model id or folder.',
    );
  }
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new Error(
      `createTransformersEmbedder: "batchSize" must be a positive integer, got ${batchSize}.`,
    );
  }
  const pooling = options.pooling ?? "cls";
  const queryInstruction =
    options.queryInstruction ??
    (options.model.toLowerCase().includes("bge") ? BGE_ZH_QUERY_INSTRUCTION : "");
  const source = resolveSource(options);

  const load = loadQueue.then(() => loadExtractor(source, options));
  loadQueue = load.catch(() => undefined);
  let extractor: FeatureExtractor;
  try {
    extractor = await load;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const where = source.folder === undefined ? "" : ` from ${source.folder}`;
    throw new Error(
      `Could not load embedding model "${options.model}"${where}: ${reason} ${fixHint(options.model, source.folder)}`,
      { cause: error },
    );
  }

  const run = async (texts: string[]): Promise<Float32Array[]> => {
    const output = await extractor(texts, { pooling, normalize: true });
    const width = output.dims[output.dims.length - 1] ?? 0;
    const data = output.data instanceof Float32Array ? output.data : Float32Array.from(output.data);
    return texts.map((_, row) => data.slice(row * width, (row + 1) * width));
  };

  const dimensions =
    hiddenSizeOf(extractor.model.config) ?? (await run(["维度探测"]))[0]?.length ?? 0;

  return {
    id: source.id,
    dimensions,
    async embedDocuments(texts) {
      const vectors: Float32Array[] = [];
      for (let start = 0; start < texts.length; start += batchSize) {
        vectors.push(...(await run(texts.slice(start, start + batchSize))));
      }
      return vectors;
    },
    async embedQuery(text) {
      const [vector] = await run([queryInstruction + text]);
      if (vector === undefined) throw new Error("The embedding model returned no vector.");
      return vector;
    },
  };
}
