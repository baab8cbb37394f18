import {
  checkModelOptions,
  loadTransformersModel,
  type ModelSetting,
} from "../embeddings/transformers-source.js";

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

const DEFAULT_BATCH_SIZE = 8;
const DEFAULT_MAX_TOKENS = 512;

const RERANK_SETTING: ModelSetting = {
  factory: "createCrossEncoderReranker",
  name: "rerank model",
  envVar: "RERANK_MODEL",
  fallback: "use the built-in second stage",
};

/**
 * Loads a transformers.js cross-encoder (a sequence-classification model such as bge-reranker)
 * and returns a reranker that scores question-passage pairs with its first logit. Throws an
 * Error naming the model and the fix when it cannot be loaded or the options are invalid.
 */
export async function createCrossEncoderReranker(options: CrossEncoderOptions): Promise<Reranker> {
  const batchSize = checkModelOptions(options, RERANK_SETTING, DEFAULT_BATCH_SIZE);
  const maxTokens = options.maxTokens ?? DEFAULT_MAX_TOKENS;
  const {
    id,
    model: { tokenizer, model },
  } = await loadTransformersModel(
    options,
    RERANK_SETTING,
    async (transformers, modelId, loadOptions) => ({
      tokenizer: (await transformers.AutoTokenizer.from_pretrained(
        modelId,
        loadOptions,
      )) as unknown as PairTokenizer,
      model: (await transformers.AutoModelForSequenceClassification.from_pretrained(
        modelId,
        loadOptions,
      )) as unknown as SequenceClassifier,
    }),
  );

  return {
    id,
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
