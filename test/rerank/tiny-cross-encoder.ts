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
 * The embedding tables are those of test/embeddings/tiny-onnx.ts; `tinyReferenceScore` computes
 * the same logit in plain TypeScript.
 */
import fs from "node:fs/promises";
import path from "node:path";
import onnxProto from "onnx-proto";
import type { onnx as Onnx } from "onnx-proto";
import { sharedDir } from "../helpers/paths.js";
import {
  TINY_TYPE_VOCAB_SIZE,
  TINY_VOCAB_SIZE,
  tinyWeights,
  type TinyWeights,
} from "../embeddings/tiny-onnx.js";

const { onnx } = onnxProto;
const HIDDEN = 16;
const TOKENIZER_FILES = [
  "tokenizer.json",
  "tokenizer_config.json",
  "special_tokens_map.json",
  "vocab.txt",
];

/** The classifier column of the tiny model: fixed, so scores are the same on every run. */
export function tinyClassifier(hiddenSize = HIDDEN): Float32Array {
  return Float32Array.from({ length: hiddenSize }, (_, k) => Math.sin(k + 1));
}

/** The logit the tiny model gives one unpadded pair of token ids and token types. */
export function tinyReferenceScore(
  weights: TinyWeights,
  classifier: Float32Array,
  inputIds: readonly number[],
  tokenTypeIds: readonly number[],
): number {
  const h = weights.hiddenSize;
  let score = 0;
  inputIds.forEach((id, position) => {
    const typeId = tokenTypeIds[position] ?? 0;
    for (let k = 0; k < h; k++) {
      const v = (weights.word[id * h + k] ?? 0) + (weights.type[typeId * h + k] ?? 0);
      score += (v * (classifier[k] ?? 0)) / inputIds.length;
    }
  });
  return score;
}

function tensorInput(
  name: string,
  elemType: number,
  dims: (string | number)[],
): Onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: {
          dim: dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })),
        },
      },
    },
  };
}

function floatInitializer(name: string, dims: number[], values: Float32Array): Onnx.ITensorProto {
  const raw = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => raw.writeFloatLE(v, i * 4));
  return { name, dims, dataType: onnx.TensorProto.DataType.FLOAT, rawData: raw };
}

function ints(name: string, values: number[]): Onnx.IAttributeProto {
  return { name, type: onnx.AttributeProto.AttributeType.INTS, ints: values };
}

function int(name: string, i: number): Onnx.IAttributeProto {
  return { name, type: onnx.AttributeProto.AttributeType.INT, i };
}

/** Serialises the tiny classification graph (ONNX IR 7, opset 11). */
function modelBytes(weights: TinyWeights, classifier: Float32Array): Uint8Array {
  const h = weights.hiddenSize;
  const { INT64, FLOAT } = onnx.TensorProto.DataType;
  const node = (
    opType: string,
    input: string[],
    output: string[],
    attribute: Onnx.IAttributeProto[] = [],
  ) => ({
    opType,
    input,
    output,
    attribute,
    name: output[0] ?? opType,
  });
  const graph: Onnx.IGraphProto = {
    name: "tiny-cross-encoder",
    input: [
      tensorInput("input_ids", INT64, ["batch", "sequence"]),
      tensorInput("attention_mask", INT64, ["batch", "sequence"]),
      tensorInput("token_type_ids", INT64, ["batch", "sequence"]),
    ],
    output: [tensorInput("logits", FLOAT, ["batch", 1])],
    initializer: [
      floatInitializer("word_table", [TINY_VOCAB_SIZE, h], weights.word),
      floatInitializer("type_table", [TINY_TYPE_VOCAB_SIZE, h], weights.type),
      floatInitializer("classifier", [h, 1], classifier),
    ],
    node: [
      node("Gather", ["word_table", "input_ids"], ["word"]),
      node("Gather", ["type_table", "token_type_ids"], ["type"]),
      node("Add", ["word", "type"], ["token"]),
      node("Cast", ["attention_mask"], ["mask"], [int("to", FLOAT)]),
      node("Unsqueeze", ["mask"], ["mask3"], [ints("axes", [2])]),
      node("Mul", ["token", "mask3"], ["masked"]),
      node("ReduceSum", ["masked"], ["sum"], [ints("axes", [1]), int("keepdims", 1)]),
      node("ReduceSum", ["mask3"], ["count"], [ints("axes", [1]), int("keepdims", 1)]),
      node("Div", ["sum", "count"], ["context"]),
      node("MatMul", ["context", "classifier"], ["projected"]),
      node("Squeeze", ["projected"], ["logits"], [ints("axes", [2])]),
    ],
  };
  const model: Onnx.IModelProto = {
    irVersion: 7,
    producerName: "local-news-bot tests",
    opsetImport: [{ domain: "", version: 11 }],
    graph,
  };
  return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
}

/**
 * Writes the tiny cross-encoder in the folder layout transformers.js expects (config.json naming
 * BertForSequenceClassification with one label, the shared tokenizer files, onnx/model.onnx)
 * and returns the folder. Throws when the shared tokenizer is missing.
 */
export async function writeTinyCrossEncoder(dir: string): Promise<string> {
  const source = path.join(sharedDir(), "models", "bge-small-zh-v1.5");
  await fs.mkdir(path.join(dir, "onnx"), { recursive: true });
  for (const file of TOKENIZER_FILES)
    await fs.copyFile(path.join(source, file), path.join(dir, file));
  const base = JSON.parse(await fs.readFile(path.join(source, "config.json"), "utf8")) as Record<
    string,
    unknown
  >;
  const config = {
    ...base,
    _name_or_path: "tiny-cross-encoder-for-tests",
    architectures: ["BertForSequenceClassification"],
    hidden_size: HIDDEN,
    intermediate_size: HIDDEN,
    num_attention_heads: 1,
    num_hidden_layers: 0,
    id2label: { "0": "LABEL_0" },
    label2id: { LABEL_0: 0 },
  };
  await fs.writeFile(path.join(dir, "config.json"), JSON.stringify(config, null, 2));
  await fs.writeFile(
    path.join(dir, "onnx", "model.onnx"),
    modelBytes(tinyWeights(HIDDEN), tinyClassifier()),
  );
  return dir;
}
