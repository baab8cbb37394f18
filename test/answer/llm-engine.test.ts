import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHashedEmbedder } from "../../src/embeddings/hashed.js";
import { runIndexJob } from "../../src/indexer.js";
import { createEngine, type Engine } from "../../src/engine.js";
import { createLlmComposer } from "../../src/answer/llm/index.js";
import { compact } from "../../src/text/normalize.js";
import { startOpenAiServer, type FakeOpenAiServer } from "../helpers/openai-server.js";
import { SAMPLE_EDITIONS } from "../helpers/paths.js";

let tmp: string;
let server: FakeOpenAiServer;
let engine: Engine;

const QUESTION = "平湖设立的人工智能专项基金总规模多少?";

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), "lnb-llm-engine-"));
  const indexDir = path.join(tmp, "index");
  await runIndexJob({ editionDirs: [SAMPLE_EDITIONS], indexDir, embedder: createHashedEmbedder() });
  server = await startOpenAiServer();
  engine = await createEngine({
    indexDir,
    embedder: createHashedEmbedder(),
    llm: createLlmComposer({ baseUrl: server.baseUrl, model: "fake-model", timeoutMs: 1500 }),
  });
});
afterAll(async () => {
  await server.close();
  await fs.rm(tmp, { recursive: true, force: true });
});

describe("engine with the LLM composer (loopback OpenAI-compatible server)", () => {
  it("returns the model's verified answer with citations to retrieved passages", async () => {
    server.respondWith((request) => {
      const user = request.messages.find((m) => m.role === "user")?.content ?? "";
      const n = /<passage n="(\d+)">(?:(?!<\/passage>)[\s\S])*3亿元/u.exec(user)?.[1] ?? "1";
      return { kind: "answer", content: `平湖设立了总规模3亿元的人工智能专项基金[${n}]。` };
    });
    const answer = await engine.ask(QUESTION);
    expect(answer.source).toBe("llm");
    expect(answer.text).toContain("3亿元");
    expect(answer.citations.length).toBeGreaterThan(0);
    expect(compact(answer.citations[0]?.chunk.text ?? "")).toContain("3亿元");
  });

  it("falls back to the cited extractive answer when the model invents a citation", async () => {
    server.respondWith({ kind: "answer", content: "平湖的基金规模是100亿元[9]。" });
    const answer = await engine.ask(QUESTION);
    expect(answer.source).toBe("extractive");
    expect(answer.text).toContain("3亿元");
    expect(answer.text).not.toContain("100亿元");
  });

  for (const [label, reply] of [
    ["a 500", { kind: "status", status: 500 }],
    ["a 429", { kind: "status", status: 429, headers: { "retry-after": "1" } }],
    ["a timeout", { kind: "hang" }],
  ] as const) {
    it(`falls back to the cited extractive answer on ${label}`, async () => {
      server.respondWith(reply);
      const answer = await engine.ask(QUESTION);
      expect(answer.source).toBe("extractive");
      expect(answer.fallbackReason).toBeDefined();
      expect(answer.text).toContain("3亿元");
      expect(answer.citations.length).toBeGreaterThan(0);
    });
  }
});
