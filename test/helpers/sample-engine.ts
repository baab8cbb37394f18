/**
 * An index of the bundled sample editions built with the built-in embedder, and an engine over
 * it, shared by the tests that ask questions of the archive.
 */
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { createHashedEmbedder } from "../../src/embeddings/hashed.js";
import { createEngine, type Engine } from "../../src/engine.js";
import { runIndexJob } from "../../src/indexer.js";
import { SAMPLE_EDITIONS } from "./paths.js";

/** The moment the sample engine answers at, so that "今年" and other relative dates stay put. */
export const SAMPLE_NOW = new Date("2026-11-22T12:00:00+08:00");

/** A temp folder holding the sample index (in index/), and an engine over it. */
export interface SampleEngine {
  /** The temp folder, removed after the tests; tests may write more into it. */
  readonly dir: string;
  readonly engine: Engine;
}

/** Indexes the sample editions with the built-in embedder into indexDir; throws when indexing fails. */
export async function indexSampleEditions(indexDir: string): Promise<void> {
  await runIndexJob({ editionDirs: [SAMPLE_EDITIONS], indexDir, embedder: createHashedEmbedder() });
}

/**
 * Registers hooks that index the sample editions into a temp folder named after `prefix` before
 * the file's tests and remove it after them, and returns the fixture; reading it before the
 * hooks ran throws.
 */
export function useSampleEngine(prefix: string): SampleEngine {
  let dir: string | undefined;
  let current: SampleEngine | undefined;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
    const indexDir = path.join(dir, "index");
    await indexSampleEditions(indexDir);
    const engine = await createEngine({
      indexDir,
      embedder: createHashedEmbedder(),
      now: () => new Date(SAMPLE_NOW),
    });
    current = { dir, engine };
  });
  afterAll(async () => {
    if (dir !== undefined) await fs.rm(dir, { recursive: true, force: true });
  });
  const ready = (): SampleEngine => {
    if (current === undefined) {
      throw new Error("useSampleEngine: the fixture is read before its beforeAll hook ran.");
    }
    return current;
  };
  return {
    get dir() {
      return ready().dir;
    },
    get engine() {
      return ready().engine;
    },
  };
}
