import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BGE_ZH_QUERY_INSTRUCTION,
  createTransformersEmbedder,
} from "../../src/embeddings/transformers.js";
import { dot } from "./corpus.js";
import { readTokenIds, tinyReferenceForward, tinyWeights, writeTinyModel } from "./tiny-onnx.js";

let tmp: string;
/** Tiny model with onnx/model_quantized.onnx; "bge" in the name turns on the query instruction. */
let quantizedDir: string;
/** Tiny model with only onnx/model.onnx. */
let fullDir: string;
let tokenId: (token: string) => number;
const weights = tinyWeights();

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), "embeddings-transformers-"));
  quantizedDir = await writeTinyModel({ dir: path.join(tmp, "tiny-bge") });
  fullDir = await writeTinyModel({ dir: path.join(tmp, "tiny-full"), quantized: false });
  tokenId = await readTokenIds();
});

afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

/** Token ids of a text of CJK characters: BERT cuts those into single characters. */
function tokenIds(text: string): number[] {
  return [tokenId("[CLS]"), ...Array.from(text, tokenId), tokenId("[SEP]")];
}

function unit(vector: Float32Array): Float32Array {
  const length = Math.sqrt(dot(vector, vector));
  return vector.map((v) => v / length);
}

function expectClose(actual: Float32Array | undefined, expected: Float32Array): void {
  expect(actual).toBeDefined();
  expect(actual).toHaveLength(expected.length);
  expected.forEach((v, i) => expect(actual?.[i]).toBeCloseTo(v, 5));
}

describe("createTransformersEmbedder on a tiny generated ONNX model", () => {
  it("takes its dimensions from config.json and returns unit vectors", async () => {
    const embedder = await createTransformersEmbedder({ model: quantizedDir });
    expect(embedder.dimensions).toBe(16);
    const vectors = await embedder.embedDocuments(["平湖日报", "天极集成电路", "嘉兴"]);
    expect(vectors).toHaveLength(3);
    for (const v of vectors) {
      expect(v).toBeInstanceOf(Float32Array);
      expect(v).toHaveLength(16);
      expect(Math.sqrt(dot(v, v))).toBeCloseTo(1, 5);
    }
  });

  it("pools with the [CLS] position by default", async () => {
    const embedder = await createTransformersEmbedder({ model: quantizedDir });
    const text = "平湖日报";
    const hidden = tinyReferenceForward(weights, tokenIds(text));
    const [vector] = await embedder.embedDocuments([text]);
    expectClose(vector, unit(hidden[0] ?? new Float32Array()));
    // The [CLS] state depends on the input, so a different text must give a different vector.
    const [other] = await embedder.embedDocuments(["天极集成电路"]);
    expect(dot(vector ?? new Float32Array(), other ?? new Float32Array())).toBeLessThan(0.999);
  });

  it("averages all positions when asked for mean pooling", async () => {
    const embedder = await createTransformersEmbedder({ model: quantizedDir, pooling: "mean" });
    const text = "天极集成电路";
    const hidden = tinyReferenceForward(weights, tokenIds(text));
    const mean = new Float32Array(16);
    for (const h of hidden) h.forEach((v, k) => (mean[k]! += v / hidden.length));
    const [vector] = await embedder.embedDocuments([text]);
    expectClose(vector, unit(mean));
  });

  it("gives a text the same vector alone and padded in a batch", async () => {
    const embedder = await createTransformersEmbedder({ model: quantizedDir, batchSize: 4 });
    const texts = ["嘉兴", "平湖市新埭镇召开三级干部大会", "天极"];
    const batched = await embedder.embedDocuments(texts);
    for (const [i, text] of texts.entries()) {
      const [alone] = await embedder.embedDocuments([text]);
      expectClose(batched[i], alone ?? new Float32Array());
    }
  });

  it("splits long inputs into batches without losing or reordering texts", async () => {
    const embedder = await createTransformersEmbedder({ model: quantizedDir, batchSize: 2 });
    const texts = ["嘉兴", "平湖", "天极", "新埭", "海盐"];
    const batched = await embedder.embedDocuments(texts);
    const whole = await (
      await createTransformersEmbedder({ model: quantizedDir, batchSize: 8 })
    ).embedDocuments(texts);
    expect(batched).toHaveLength(5);
    batched.forEach((v, i) => expectClose(v, whole[i] ?? new Float32Array()));
  });

  it("puts bge's instruction before queries of a bge model, and not before passages", async () => {
    const embedder = await createTransformersEmbedder({ model: quantizedDir });
    const text = "平湖日报";
    const query = await embedder.embedQuery(text);
    const [passage, instructed] = await embedder.embedDocuments([
      text,
      BGE_ZH_QUERY_INSTRUCTION + text,
    ]);
    expect(dot(query, passage ?? new Float32Array())).toBeLessThan(0.999);
    expectClose(query, instructed ?? new Float32Array());
  });

  it("uses the given query instruction, and none for models that are not bge", async () => {
    const none = await createTransformersEmbedder({ model: fullDir });
    const [passage] = await none.embedDocuments(["平湖日报"]);
    expectClose(await none.embedQuery("平湖日报"), passage ?? new Float32Array());

    const custom = await createTransformersEmbedder({ model: fullDir, queryInstruction: "问题:" });
    const [instructed] = await custom.embedDocuments(["问题:平湖日报"]);
    expectClose(await custom.embedQuery("平湖日报"), instructed ?? new Float32Array());
  });

  it("loads a local folder with downloads disabled, then restores transformers.js settings", async () => {
    const { env } = await import("@xenova/transformers");
    const before = { remote: env.allowRemoteModels, local: env.allowLocalModels };
    const embedder = await createTransformersEmbedder({ model: quantizedDir });
    expect(embedder.id).toBe("tiny-bge");
    // Asking for a file the folder lacks shows that nothing was fetched from the hub instead.
    await expect(createTransformersEmbedder({ model: fullDir, quantized: true })).rejects.toThrow(
      /allowRemoteModels=false[\s\S]*model_quantized\.onnx/,
    );
    expect({ remote: env.allowRemoteModels, local: env.allowLocalModels }).toEqual(before);
  });

  it("keeps the model name as id when the files come from localModelDir", async () => {
    const embedder = await createTransformersEmbedder({
      model: "Xenova/bge-small-zh-v1.5",
      localModelDir: fullDir,
    });
    expect(embedder.id).toBe("Xenova/bge-small-zh-v1.5");
    expect(embedder.dimensions).toBe(16);
  });

  it("loads onnx/model.onnx from a folder that has no quantized model", async () => {
    const embedder = await createTransformersEmbedder({ model: fullDir });
    const [vector] = await embedder.embedDocuments(["平湖日报"]);
    expectClose(
      vector,
      unit(tinyReferenceForward(weights, tokenIds("平湖日报"))[0] ?? new Float32Array()),
    );
  });

  it("explains how to fix a model folder that does not exist", async () => {
    const missing = path.join(tmp, "no-such-model");
    const attempt = createTransformersEmbedder({ model: missing });
    await expect(attempt).rejects.toThrow(missing);
    await expect(attempt).rejects.toThrow(
      /does not exist.*EMBEDDING_MODEL.*built-in offline embedder/s,
    );
  });

  it("explains how to fix a folder without a model file", async () => {
    const attempt = createTransformersEmbedder({ model: fullDir, quantized: true });
    await expect(attempt).rejects.toThrow(/Could not load embedding model ".*tiny-full"/);
    await expect(attempt).rejects.toThrow(
      /unset EMBEDDING_MODEL to use the built-in offline embedder/,
    );
  });

  it("rejects an invalid batch size", async () => {
    await expect(createTransformersEmbedder({ model: quantizedDir, batchSize: 0 })).rejects.toThrow(
      /batchSize/,
    );
  });
});
