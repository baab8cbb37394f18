import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCrossEncoderReranker } from "../../src/rerank/cross-encoder.js";
import { createHashedEmbedder } from "../../src/embeddings/hashed.js";
import { createEngine } from "../../src/engine.js";
import { indexSampleEditions } from "../helpers/sample-engine.js";
import { readTokenIds, tinyWeights } from "../embeddings/tiny-onnx.js";
import { tinyClassifier, tinyReferenceScore, writeTinyCrossEncoder } from "./tiny-cross-encoder.js";

let tmp: string;
let modelDir: string;
let tokenId: (token: string) => number;

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), "rerank-cross-encoder-"));
  modelDir = await writeTinyCrossEncoder(path.join(tmp, "tiny-reranker"));
  tokenId = await readTokenIds();
});

afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

/** Token ids and types of a question-passage pair of CJK characters: [CLS] q [SEP] p [SEP]. */
function pairIds(question: string, passage: string): { ids: number[]; types: number[] } {
  const first = [tokenId("[CLS]"), ...Array.from(question, tokenId), tokenId("[SEP]")];
  const second = [...Array.from(passage, tokenId), tokenId("[SEP]")];
  return { ids: [...first, ...second], types: [...first.map(() => 0), ...second.map(() => 1)] };
}

describe("createCrossEncoderReranker on a tiny generated ONNX model", () => {
  it("scores each question-passage pair with the model's logit, padding included", async () => {
    const reranker = await createCrossEncoderReranker({ model: modelDir });
    const question = "平湖投资多少";
    const passages = ["总投资三亿元", "嘉兴", "天极集成电路在平湖"];
    const scores = await reranker.score(question, passages);
    expect(scores).toHaveLength(3);
    const weights = tinyWeights(16);
    passages.forEach((passage, i) => {
      const { ids, types } = pairIds(question, passage);
      expect(scores[i]).toBeCloseTo(tinyReferenceScore(weights, tinyClassifier(), ids, types), 4);
    });
  });

  it("gives the same scores in batches of one as in one batch", async () => {
    const one = await createCrossEncoderReranker({ model: modelDir, batchSize: 1 });
    const all = await createCrossEncoderReranker({ model: modelDir, batchSize: 8 });
    const passages = ["总投资三亿元", "嘉兴", "天极集成电路在平湖"];
    const a = await one.score("平湖", passages);
    const b = await all.score("平湖", passages);
    a.forEach((v, i) => expect(v).toBeCloseTo(b[i] ?? Number.NaN, 5));
  });

  it("names the folder and the fix when the model folder is missing", async () => {
    await expect(
      createCrossEncoderReranker({ model: path.join(tmp, "no-such-model") }),
    ).rejects.toThrow(/does not exist.*RERANK_MODEL/su);
  });

  it("orders the engine's passages by the cross-encoder's scores when one is configured", async () => {
    const indexDir = path.join(tmp, "index");
    await indexSampleEditions(indexDir);
    const reranker = await createCrossEncoderReranker({ model: modelDir });
    const engine = await createEngine({ indexDir, embedder: createHashedEmbedder(), reranker });
    const question = "平湖设立的人工智能专项基金总规模多少?";
    const plain = await createEngine({ indexDir, embedder: createHashedEmbedder() });
    const answer = await engine.ask(question, { limit: 5 });
    const before = await plain.ask(question, { limit: 5 });
    // Passages the answer cites come first; the rest follow the model's order.
    const uncited = answer.passages.filter(
      (p) => !answer.citations.some((c) => c.chunk.id === p.chunk.id),
    );
    const scores = await reranker.score(
      question,
      uncited.map((p) => `${p.chunk.headline}\n${p.chunk.text}`),
    );
    for (let i = 1; i < scores.length; i++) {
      expect(scores[i - 1]).toBeGreaterThanOrEqual((scores[i] ?? 0) - 1e-6);
    }
    expect(answer.passages.map((p) => p.chunk.id)).not.toEqual(
      before.passages.map((p) => p.chunk.id),
    );
  });
});
