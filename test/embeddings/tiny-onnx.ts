/**
 * Writes a tiny BERT-shaped ONNX model that transformers.js loads like a real one, so tests can
 * exercise the real loading and inference path without downloading weights. It pairs the real
 * bge-small-zh-v1.5 tokenizer (from ../shared/models) with a graph that is cheap and exactly
 * computable:
 *
 *   token      = word_table[input_ids] + type_table[token_type_ids]          [batch, seq, hidden]
 *   context    = sum(token * mask, seq) / sum(mask, seq)                      [batch, 1, hidden]
 *   last_hidden_state = token + context                                       [batch, seq, hidden]
 *
 * Adding the masked mean makes every position, the [CLS] one included, depend on the whole input
 * and on attention_mask, so CLS pooling, mean pooling and padding can all be checked against
 * `tinyReferenceForward`. Nothing here touches the network.
 */
import fs from "node:fs/promises";
import path from "node:path";
import onnxProto from "onnx-proto";
import type { onnx as Onnx } from "onnx-proto";
import { sharedDir } from "../helpers/paths.js";

const { onnx } = onnxProto;

/** Vocabulary size of the bge-small-zh-v1.5 tokenizer the tiny model is paired with. */
export const TINY_VOCAB_SIZE = 21128;
export const TINY_TYPE_VOCAB_SIZE = 2;
export const TINY_DEFAULT_HIDDEN_SIZE = 16;

const TOKENIZER_FILES = [
  "tokenizer.json",
  "tokenizer_config.json",
  "special_tokens_map.json",
  "vocab.txt",
];

export interface TinyModelOptions {
  /** Folder to write the model into; created when missing. */
  dir: string;
  /** Write onnx/model_quantized.onnx (true) or onnx/model.onnx (false). Defaults to true. */
  quantized?: boolean;
  /** Width of the hidden states. Defaults to 16. */
  hiddenSize?: number;
}

export interface TinyWeights {
  hiddenSize: number;
  /** [TINY_VOCAB_SIZE, hiddenSize], row-major. */
  word: Float32Array;
  /** [TINY_TYPE_VOCAB_SIZE, hiddenSize], row-major. */
  type: Float32Array;
}

/**
 * Reads the vocabulary of the shared bge-small-zh-v1.5 tokenizer and returns a lookup from token
 * to id, which throws for a token the vocabulary lacks. Throws when the shared model is missing.
 */
export async function readTokenIds(): Promise<(token: string) => number> {
  const file = path.join(sharedDir(), "models", "bge-small-zh-v1.5", "vocab.txt");
  const lines = (await fs.readFile(file, "utf8")).split("\n");
  const vocab = new Map(lines.map((token, id) => [token, id]));
  return (token) => {
    const found = vocab.get(token);
    if (found === undefined) throw new Error(`"${token}" is not in the vocabulary`);
    return found;
  };
}

/** mulberry32: a small seeded generator, so the weights are the same on every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The deterministic pseudo-random embedding tables of the tiny model, values in [-1, 1). */
export function tinyWeights(hiddenSize = TINY_DEFAULT_HIDDEN_SIZE): TinyWeights {
  const random = seededRandom(20240607);
  const word = new Float32Array(TINY_VOCAB_SIZE * hiddenSize);
  for (let i = 0; i < word.length; i++) word[i] = random() * 2 - 1;
  const type = new Float32Array(TINY_TYPE_VOCAB_SIZE * hiddenSize);
  for (let i = 0; i < type.length; i++) type[i] = random() * 2 - 1;
  return { hiddenSize, word, type };
}

/** The embedding of every position of one unpadded sequence: word plus token-type vector. */
export function tinyTokenStates(
  weights: TinyWeights,
  inputIds: readonly number[],
  tokenTypeIds: readonly number[],
): Float32Array[] {
  const h = weights.hiddenSize;
  return inputIds.map((id, position) => {
    const typeId = tokenTypeIds[position] ?? 0;
    return Float32Array.from(
      { length: h },
      (_, k) => (weights.word[id * h + k] ?? 0) + (weights.type[typeId * h + k] ?? 0),
    );
  });
}

/**
 * What the tiny model computes for one unpadded sequence: the hidden state of every position.
 * Tests compare pooled outputs of the real pipeline against this.
 */
export function tinyReferenceForward(
  weights: TinyWeights,
  inputIds: readonly number[],
  tokenTypeIds: readonly number[] = inputIds.map(() => 0),
): Float32Array[] {
  const h = weights.hiddenSize;
  const tokens = tinyTokenStates(weights, inputIds, tokenTypeIds);
  const context = new Float32Array(h);
  for (const token of tokens)
    for (let k = 0; k < h; k++) context[k]! += (token[k] ?? 0) / tokens.length;
  return tokens.map((token) => token.map((v, k) => v + (context[k] ?? 0)));
}

/** Declares a graph input or output of the given element type and (named or fixed) dimensions. */
export function tensorInput(
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

/** A float32 constant of the graph, stored as little-endian raw data. */
export function floatInitializer(
  name: string,
  dims: number[],
  values: Float32Array,
): Onnx.ITensorProto {
  // ONNX raw_data is little-endian; copy so the bytes do not depend on the host's order.
  const raw = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => raw.writeFloatLE(v, i * 4));
  return { name, dims, dataType: onnx.TensorProto.DataType.FLOAT, rawData: raw };
}

/** An INTS node attribute. */
export function intsAttribute(name: string, ints: number[]): Onnx.IAttributeProto {
  return { name, type: onnx.AttributeProto.AttributeType.INTS, ints };
}

/** An INT node attribute. */
export function intAttribute(name: string, i: number): Onnx.IAttributeProto {
  return { name, type: onnx.AttributeProto.AttributeType.INT, i };
}

/** A graph node named after its first output. */
export function onnxNode(
  opType: string,
  input: string[],
  output: string[],
  attribute: Onnx.IAttributeProto[] = [],
): Onnx.INodeProto {
  return { opType, input, output, attribute, name: output[0] ?? opType };
}

/** The inputs a BERT-shaped model takes: input_ids, attention_mask and token_type_ids. */
export function bertInputs(): Onnx.IValueInfoProto[] {
  const { INT64 } = onnx.TensorProto.DataType;
  return [
    tensorInput("input_ids", INT64, ["batch", "sequence"]),
    tensorInput("attention_mask", INT64, ["batch", "sequence"]),
    tensorInput("token_type_ids", INT64, ["batch", "sequence"]),
  ];
}

/** The embedding tables word_table and type_table of the given weights. */
export function embeddingInitializers(weights: TinyWeights): Onnx.ITensorProto[] {
  const h = weights.hiddenSize;
  return [
    floatInitializer("word_table", [TINY_VOCAB_SIZE, h], weights.word),
    floatInitializer("type_table", [TINY_TYPE_VOCAB_SIZE, h], weights.type),
  ];
}

/**
 * Nodes computing "token" (word plus type embedding, [batch, sequence, hidden]) and "context"
 * (its mean over the unmasked positions, [batch, 1, hidden]) from the BERT inputs.
 */
export function tokenAndContextNodes(): Onnx.INodeProto[] {
  const { FLOAT } = onnx.TensorProto.DataType;
  const sumOverSequence = [intsAttribute("axes", [1]), intAttribute("keepdims", 1)];
  return [
    onnxNode("Gather", ["word_table", "input_ids"], ["word"]),
    onnxNode("Gather", ["type_table", "token_type_ids"], ["type"]),
    onnxNode("Add", ["word", "type"], ["token"]),
    onnxNode("Cast", ["attention_mask"], ["mask"], [intAttribute("to", FLOAT)]),
    onnxNode("Unsqueeze", ["mask"], ["mask3"], [intsAttribute("axes", [2])]),
    onnxNode("Mul", ["token", "mask3"], ["masked"]),
    onnxNode("ReduceSum", ["masked"], ["sum"], sumOverSequence),
    onnxNode("ReduceSum", ["mask3"], ["count"], sumOverSequence),
    onnxNode("Div", ["sum", "count"], ["context"]),
  ];
}

/** Serialises a graph as an ONNX model (IR 7, opset 11). */
export function encodeOnnxModel(graph: Onnx.IGraphProto): Uint8Array {
  const model: Onnx.IModelProto = {
    irVersion: 7,
    producerName: "local-news-bot tests",
    opsetImport: [{ domain: "", version: 11 }],
    graph,
  };
  return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
}

/** Serialises the tiny model graph (ONNX IR 7, opset 11) for the given weights. */
export function tinyModelBytes(weights: TinyWeights): Uint8Array {
  const { FLOAT } = onnx.TensorProto.DataType;
  return encodeOnnxModel({
    name: "tiny-bert",
    input: bertInputs(),
    output: [tensorInput("last_hidden_state", FLOAT, ["batch", "sequence", weights.hiddenSize])],
    initializer: embeddingInitializers(weights),
    node: [...tokenAndContextNodes(), onnxNode("Add", ["token", "context"], ["last_hidden_state"])],
  });
}

/** What goes into a tiny model folder besides the shared tokenizer. */
export interface TinyModelFolder {
  /** Folder to write into; created when missing. */
  dir: string;
  /** config.json's _name_or_path. */
  nameOrPath: string;
  hiddenSize: number;
  /** Further config.json entries, e.g. architectures and labels. Defaults to none. */
  config?: Record<string, unknown>;
  /** The file under onnx/. */
  onnxFile: "model.onnx" | "model_quantized.onnx";
  /** The serialised model. */
  bytes: Uint8Array;
}

/**
 * Writes a tiny model in the folder layout transformers.js expects: config.json (bge-small-zh-v1.5's
 * with no layers and the given width), that model's tokenizer files from ../shared/models, and
 * onnx/<onnxFile>. Returns the folder; throws when the shared tokenizer is missing.
 */
export async function writeTinyModelFolder(folder: TinyModelFolder): Promise<string> {
  const source = path.join(sharedDir(), "models", "bge-small-zh-v1.5");
  await fs.mkdir(path.join(folder.dir, "onnx"), { recursive: true });
  for (const file of TOKENIZER_FILES) {
    await fs.copyFile(path.join(source, file), path.join(folder.dir, file));
  }
  const baseConfig = JSON.parse(
    await fs.readFile(path.join(source, "config.json"), "utf8"),
  ) as Record<string, unknown>;
  const config = {
    ...baseConfig,
    _name_or_path: folder.nameOrPath,
    hidden_size: folder.hiddenSize,
    intermediate_size: folder.hiddenSize,
    num_attention_heads: 1,
    num_hidden_layers: 0,
    ...folder.config,
  };
  await fs.writeFile(path.join(folder.dir, "config.json"), JSON.stringify(config, null, 2));
  await fs.writeFile(path.join(folder.dir, "onnx", folder.onnxFile), folder.bytes);
  return folder.dir;
}

/**
 * Writes the tiny model in the folder layout transformers.js expects (config.json, tokenizer
 * files copied from the shared bge-small-zh-v1.5, onnx/model[_quantized].onnx) and returns the
 * folder. Throws when the shared tokenizer is missing.
 */
export async function writeTinyModel(options: TinyModelOptions): Promise<string> {
  const hiddenSize = options.hiddenSize ?? TINY_DEFAULT_HIDDEN_SIZE;
  return writeTinyModelFolder({
    dir: options.dir,
    nameOrPath: "tiny-bert-for-tests",
    hiddenSize,
    onnxFile: options.quantized === false ? "model.onnx" : "model_quantized.onnx",
    bytes: tinyModelBytes(tinyWeights(hiddenSize)),
  });
}
