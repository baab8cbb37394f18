/**
 * Writes a tiny BERT-shaped sequence-classification ONNX model that transformers.js loads like a
 * real cross-encoder (bge-reranker), so tests run the real loading, pair tokenisation and
 * inference path without downloading weights. It pairs the real bge-small-zh-v1.5 tokenizer
 * (from ../shared/models) with a graph that is exactly computable:
 *
 *   token   = word_table[input_ids] + type_table[token_type_ids]      [batch, seq, hidden]
 *   context = sum(token * mask, seq) / sum(mask, seq)                  [batch, 1, hidden]
 *   logits  = squeeze(context @ classifier, 2)                         [batch, 1]
 *
 * The embedding tables and graph builders are those of test/embeddings/tiny-onnx.ts;
 * `tinyReferenceScore` computes the same logit in plain TypeScript.
 */
import onnxProto from "onnx-proto";
import {
  TINY_DEFAULT_HIDDEN_SIZE,
  bertInputs,
  embeddingInitializers,
  encodeOnnxModel,
  floatInitializer,
  intsAttribute,
  onnxNode,
  tensorInput,
  tinyTokenStates,
  tinyWeights,
  tokenAndContextNodes,
  writeTinyModelFolder,
  type TinyWeights,
} from "../embeddings/tiny-onnx.js";

const { onnx } = onnxProto;

/** The classifier column of the tiny model: fixed, so scores are the same on every run. */
export function tinyClassifier(hiddenSize = TINY_DEFAULT_HIDDEN_SIZE): Float32Array {
  return Float32Array.from({ length: hiddenSize }, (_, k) => Math.sin(k + 1));
}

/** The logit the tiny model gives one unpadded pair of token ids and token types. */
export function tinyReferenceScore(
  weights: TinyWeights,
  classifier: Float32Array,
  inputIds: readonly number[],
  tokenTypeIds: readonly number[],
): number {
  let score = 0;
  for (const token of tinyTokenStates(weights, inputIds, tokenTypeIds)) {
    token.forEach((v, k) => (score += (v * (classifier[k] ?? 0)) / inputIds.length));
  }
  return score;
}

/** Serialises the tiny classification graph (ONNX IR 7, opset 11). */
function modelBytes(weights: TinyWeights, classifier: Float32Array): Uint8Array {
  const h = weights.hiddenSize;
  return encodeOnnxModel({
    name: "tiny-cross-encoder",
    input: bertInputs(),
    output: [tensorInput("logits", onnx.TensorProto.DataType.FLOAT, ["batch", 1])],
    initializer: [
      ...embeddingInitializers(weights),
      floatInitializer("classifier", [h, 1], classifier),
    ],
    node: [
      ...tokenAndContextNodes(),
      onnxNode("MatMul", ["context", "classifier"], ["projected"]),
      onnxNode("Squeeze", ["projected"], ["logits"], [intsAttribute("axes", [2])]),
    ],
  });
}

/**
 * Writes the tiny cross-encoder in the folder layout transformers.js expects (config.json naming
 * BertForSequenceClassification with one label, the shared tokenizer files, onnx/model.onnx)
 * and returns the folder. Throws when the shared tokenizer is missing.
 */
export async function writeTinyCrossEncoder(dir: string): Promise<string> {
  return writeTinyModelFolder({
    dir,
    nameOrPath: "tiny-cross-encoder-for-tests",
    hiddenSize: TINY_DEFAULT_HIDDEN_SIZE,
    config: {
      architectures: ["BertForSequenceClassification"],
      id2label: { "0": "LABEL_0" },
      label2id: { LABEL_0: 0 },
    },
    onnxFile: "model.onnx",
    bytes: modelBytes(tinyWeights(TINY_DEFAULT_HIDDEN_SIZE), tinyClassifier()),
  });
}
