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
import { type TestPgServer, startPgliteServer } from "./pgvector-server.js";

/** Where an archive under test lives: the embedded index, or PostgreSQL with pgvector. */
export type ArchiveKind = "embedded" | "postgres";

/** Both archives: the answer tests run on each with the same expected answers. */
export const ARCHIVES: readonly ArchiveKind[] = ["embedded", "postgres"];

/** The moment the sample engine answers at, so that "今年" and other relative dates stay put. */
export const SAMPLE_NOW = new Date("2026-11-22T12:00:00+08:00");

/** A temp folder holding the sample index (in index/), and an engine over it. */
export interface SampleEngine {
  /** The temp folder, removed after the tests; tests may write more into it. */
  readonly dir: string;
  readonly engine: Engine;
  /** Where the archive is: `indexUrl` for PostgreSQL, undefined for the embedded index in `dir`. */
  readonly indexUrl: string | undefined;
}

/**
 * Indexes the sample editions with the built-in embedder into indexDir (or PostgreSQL at
 * `indexUrl`); throws when indexing fails.
 */
export async function indexSampleEditions(indexDir: string, indexUrl?: string): Promise<void> {
  await runIndexJob({
    editionDirs: [SAMPLE_EDITIONS],
    indexDir,
    indexUrl,
    embedder: createHashedEmbedder(),
  });
}

/**
 * Registers hooks that index the sample editions into a temp folder named after `prefix` (or,
 * for `archive` "postgres", into PGlite with pgvector served on 127.0.0.1) before the tests of
 * the enclosing block and remove it after them, and returns the fixture; reading it before the
 * hooks ran throws.
 */
export function useSampleEngine(prefix: string, archive: ArchiveKind = "embedded"): SampleEngine {
  let dir: string | undefined;
  let server: TestPgServer | undefined;
  let current: SampleEngine | undefined;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
    const indexDir = path.join(dir, "index");
    let indexUrl: string | undefined;
    if (archive === "postgres") {
      server = await startPgliteServer();
      indexUrl = server.indexUrl("sample");
    }
    await indexSampleEditions(indexDir, indexUrl);
    const engine = await createEngine({
      indexDir,
      indexUrl,
      embedder: createHashedEmbedder(),
      now: () => new Date(SAMPLE_NOW),
    });
    current = { dir, engine, indexUrl };
  }, 120_000);
  afterAll(async () => {
    current?.engine.index.close();
    await server?.stop();
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
    get indexUrl() {
      return ready().indexUrl;
    },
  };
}
