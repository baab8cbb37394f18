import type { Embedder } from "./embedder.js";
import {
  checkModelOptions,
  loadTransformersModel,
  type ModelSetting,
} from "./transformers-source.js";

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

const EMBEDDING_SETTING: ModelSetting = {
  factory: "createTransformersEmbedder",
  name: "embedding model",
  envVar: "EMBEDDING_MODEL",
  fallback: "use the built-in offline embedder",
  folderOption: "localModelDir",
};

/** The feature-extraction pipeline, narrowed to what is used here. */
interface FeatureExtractor {
  (
    texts: string[],
    options: { pooling: "cls" | "mean"; normalize: boolean },
  ): Promise<{ data: ArrayLike<number>; dims: number[] }>;
  model: { config?: unknown };
  dispose?: () => Promise<unknown>;
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
  const batchSize = checkModelOptions(options, EMBEDDING_SETTING, DEFAULT_BATCH_SIZE);
  const pooling = options.pooling ?? "cls";
  const queryInstruction =
    options.queryInstruction ??
    (options.model.toLowerCase().includes("bge") ? BGE_ZH_QUERY_INSTRUCTION : "");
  const { id, model: extractor } = await loadTransformersModel(
    options,
    EMBEDDING_SETTING,
    async (transformers, modelId, loadOptions) =>
      (await transformers.pipeline(
        "feature-extraction",
        modelId,
        loadOptions,
      )) as unknown as FeatureExtractor,
  );

  const run = async (texts: string[]): Promise<Float32Array[]> => {
    const output = await extractor(texts, { pooling, normalize: true });
    const width = output.dims[output.dims.length - 1] ?? 0;
    const data = output.data instanceof Float32Array ? output.data : Float32Array.from(output.data);
    return texts.map((_, row) => data.slice(row * width, (row + 1) * width));
  };

  const dimensions =
    hiddenSizeOf(extractor.model.config) ?? (await run(["维度探测"]))[0]?.length ?? 0;

  return {
    id,
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
