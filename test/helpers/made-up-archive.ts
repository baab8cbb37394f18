/**
 * An archive of made-up stories indexed beside the sample editions, so that term weights are
 * those of an archive, and an engine over it: for tests that need a story written just so.
 */
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { createHashedEmbedder } from "../../src/embeddings/hashed.js";
import { createEngine, type Engine } from "../../src/engine.js";
import { runIndexJob } from "../../src/indexer.js";
import { SAMPLE_EDITIONS } from "./paths.js";

/** A made-up story, as a newsroom CMS exports one (JSONL). */
export interface MadeUpStory {
  id: string;
  title: string;
  date: string;
  paper: string;
  text: string;
}

/**
 * Registers hooks that index `stories` beside the sample editions into a temp folder named after
 * `prefix` before the tests of the enclosing block, and remove it after them. The engine is read
 * through the returned getter; reading it before the hooks ran throws.
 */
export function useMadeUpArchive(prefix: string, stories: readonly MadeUpStory[]): () => Engine {
  let dir: string | undefined;
  let engine: Engine | undefined;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
    const file = path.join(dir, "articles.jsonl");
    const lines = stories.map((s) => JSON.stringify({ ...s, source: "test" }));
    await fs.writeFile(file, `${lines.join("\n")}\n`);
    const indexDir = path.join(dir, "index");
    await runIndexJob({
      editionDirs: [SAMPLE_EDITIONS],
      articleFiles: [file],
      indexDir,
      embedder: createHashedEmbedder(),
    });
    engine = await createEngine({ indexDir, embedder: createHashedEmbedder() });
  });
  afterAll(async () => {
    engine?.index.close?.();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });
  return () => {
    if (!engine) throw new Error("the made-up archive is read before its beforeAll hook ran");
    return engine;
  };
}
