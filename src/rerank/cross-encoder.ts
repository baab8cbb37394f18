import fs from "node:fs";
import path from "node:path";

/** Scores how well each passage answers a question: larger is better, comparable within one call. */
export interface Reranker {
  /** The model's name or folder, for logs. */
  readonly id: string;
  /** One score per passage, in the order given. Throws when the model fails. */
  score(question: string, passages: readonly string[]): Promise<number[]>;
}

/** Options of the transformers.js cross-encoder. */
export interface CrossEncoderOptions {
  /**
   * A Hugging Face id of a sequence-classification model in the transformers.js (ONNX) layout,
   * e.g. "Xenova/bge-reranker-base", or a local folder holding config.json, the tokenizer files
   * and onnx/model*.onnx.
   */
  model: string;
  /** Where downloaded models are kept. Defaults to transformers.js's cache. */
  cacheDir?: string;
  /**
   * Load onnx/model_quantized.onnx (true) or onnx/model.onnx (false). Defaults to true, except that
   * a folder holding only onnx/model.onnx loads that.
   */
  quantized?: boolean;
  /** Question-passage pairs per forward pass. Defaults to 8. */
  batchSize?: number;
  /** Tokens per pair at most (longer passages are cut). Defaults to 512. */
  maxTokens?: number;
}

/** The parts of transformers.js's tokenizer and model used here. */
interface PairTokenizer {
  (
    text: string[],
    options: { text_pair: string[]; padding: boolean; truncation: boolean; max_length: number },
  ): Record<string, unknown>;
}
interface SequenceClassifier {
  (
    inputs: Record<string, unknown>,
  ): Promise<{ logits: { data: ArrayLike<number>; dims: number[] } }>;
}

/** transformers.js settings this module changes while loading (its typings mark some read-only). */
interface TransformersEnv {
  allowRemoteModels: boolean;
  allowLocalModels: boolean;
  localModelPath: string;
  useFSCache: boolean;
}

const DEFAULT_BATCH_SIZE = 8;
const DEFAULT_MAX_TOKENS = 512;

function looksLikeFolder(model: string): boolean {
  return (
    path.isAbsolute(model) ||
    model.startsWith(".") ||
    model.startsWith("~") ||
    fs.existsSync(path.join(model, "config.json"))
  );
}

function fixHint(model: string, folder: string | undefined): string {
  const off = "or unset RERANK_MODEL to use the built-in second stage.";
  return folder !== undefined
    ? `Check that ${folder} holds config.json, tokenizer.json, tokenizer_config.json and onnx/model_quantized.onnx (or onnx/model.onnx), ${off}`
    : `The first use of "${model}" downloads it from the Hugging Face hub, which needs network access; without network, set RERANK_MODEL to a local folder, ${off}`;
}

/**
 * Loads a transformers.js cross-encoder (a sequence-classification model such as bge-reranker)
 * and returns a reranker that scores question-passage pairs with its first logit. Throws an
 * Error naming the model and the fix when it cannot be loaded or the options are invalid.
 */
export async function createCrossEncoderReranker(options: CrossEncoderOptions): Promise<Reranker> {
  if (options.model.trim() === "") {
    throw new Error(
      'createCrossEncoderReranker: "model" is empty. Set RERANK_MODEL to a model id or folder.',
    );
  }
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new Error(
      `createCrossEncoderReranker: "batchSize" must be a positive integer, got ${batchSize}.`,
    );
  }
  const maxTokens = options.maxTokens ?? DEFAULT_MAX_TOKENS;
  const folder = looksLikeFolder(options.model) ? path.resolve(options.model) : undefined;
  if (folder !== undefined && !fs.existsSync(path.join(folder, "config.json"))) {
    throw new Error(
      `Rerank model folder ${folder} ${fs.existsSync(folder) ? "has no config.json" : "does not exist"}. ${fixHint(options.model, folder)}`,
    );
  }
  const quantized =
    options.quantized ??
    (folder === undefined ||
      fs.existsSync(path.join(folder, "onnx", "model_quantized.onnx")) ||
      !fs.existsSync(path.join(folder, "onnx", "model.onnx")));

  // Imported here, not at the top: without RERANK_MODEL onnxruntime is never loaded.
  const transformers = await import("@xenova/transformers");
  const env = transformers.env as unknown as TransformersEnv;
  const saved: TransformersEnv = {
    allowRemoteModels: env.allowRemoteModels,
    allowLocalModels: env.allowLocalModels,
    localModelPath: env.localModelPath,
    useFSCache: env.useFSCache,
  };
  let modelId = options.model;
  if (folder !== undefined) {
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.localModelPath = path.dirname(folder) + path.sep;
    env.useFSCache = false;
    modelId = path.basename(folder);
  } else {
    env.allowLocalModels = false;
  }
  const loadOptions = {
    quantized,
    ...(options.cacheDir === undefined ? {} : { cache_dir: options.cacheDir }),
  };
  let tokenizer: PairTokenizer;
  let model: SequenceClassifier;
  try {
    tokenizer = (await transformers.AutoTokenizer.from_pretrained(
      modelId,
      loadOptions,
    )) as unknown as PairTokenizer;
    model = (await transformers.AutoModelForSequenceClassification.from_pretrained(
      modelId,
      loadOptions,
    )) as unknown as SequenceClassifier;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `Could not load rerank model "${options.model}": ${reason} ${fixHint(options.model, folder)}`,
      { cause: error },
    );
  } finally {
    Object.assign(env, saved);
  }

  return {
    id: folder === undefined ? options.model : path.basename(folder),
    async score(question, passages) {
      const scores: number[] = [];
      for (let start = 0; start < passages.length; start += batchSize) {
        const batch = passages.slice(start, start + batchSize);
        const inputs = tokenizer(
          batch.map(() => question),
          { text_pair: [...batch], padding: true, truncation: true, max_length: maxTokens },
        );
        const { logits } = await model(inputs);
        // One row per pair; a one-label model's row is its relevance, a two-label one's last
        // column is "relevant".
        const width = logits.dims[logits.dims.length - 1] ?? 1;
        for (let row = 0; row < batch.length; row++) {
          scores.push(Number(logits.data[row * width + (width - 1)] ?? 0));
        }
      }
      return scores;
    },
  };
}
