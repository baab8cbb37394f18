import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEmbedder } from "../../src/embeddings/create.js";
import { writeTinyModel } from "./tiny-onnx.js";

let tmp: string;

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), "embeddings-create-"));
});

afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

describe("createEmbedder", () => {
  it.each([undefined, "", "builtin", "hashed", " Builtin "])(
    "gives the built-in offline embedder for model %j",
    async (model) => {
      const embedder = await createEmbedder(model === undefined ? {} : { model });
      expect(embedder.id).toBe("hashed-ngram-v1");
      expect(embedder.fit).toBeTypeOf("function");
    },
  );

  it("gives the hashed embedder an index was built with when named by its id", async () => {
    expect(await createEmbedder({ model: "hashed-ngram-v1" })).toMatchObject({
      id: "hashed-ngram-v1",
      dimensions: 512,
    });
    expect(await createEmbedder({ model: "hashed-ngram-v1-d64" })).toMatchObject({
      id: "hashed-ngram-v1-d64",
      dimensions: 64,
    });
  });

  it("loads any other model through transformers.js", async () => {
    const dir = await writeTinyModel({ dir: path.join(tmp, "tiny-model") });
    const embedder = await createEmbedder({ model: dir, cacheDir: path.join(tmp, "cache") });
    expect(embedder).toMatchObject({ id: "tiny-model", dimensions: 16 });
    expect(embedder.fit).toBeUndefined();
    expect(await embedder.embedQuery("平湖")).toHaveLength(16);
  });

  it("passes on the adapter's advice when a model folder is missing", async () => {
    await expect(createEmbedder({ model: path.join(tmp, "missing") })).rejects.toThrow(
      /unset EMBEDDING_MODEL/,
    );
  });
});
