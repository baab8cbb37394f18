import { spawn } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHashedEmbedder } from "../../../src/embeddings/hashed.js";
import { createEngine } from "../../../src/engine.js";
import { runIndexJob } from "../../../src/indexer.js";
import { PgIndex, parseIndexUrl } from "../../../src/store/postgres/postgres.js";
import { REPO_DIR, SAMPLE_EDITIONS } from "../../helpers/paths.js";
import { startPgliteServer, type TestPgServer } from "../../helpers/pgvector-server.js";

let server: TestPgServer;
let dir: string;
beforeAll(async () => {
  server = await startPgliteServer();
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "lnb-pg-kill-"));
}, 60_000);
afterAll(async () => {
  await server.stop();
  await fs.rm(dir, { recursive: true, force: true });
});

/** Copies sample edition files (and the manifest that dates them) into a folder of their own. */
async function editionsFolder(name: string, files: readonly string[]): Promise<string> {
  const folder = path.join(dir, name);
  await fs.mkdir(folder, { recursive: true });
  for (const file of [...files, "manifest.json"]) {
    await fs.copyFile(path.join(SAMPLE_EDITIONS, file), path.join(folder, file));
  }
  return folder;
}

/**
 * Runs an index job in another process and kills it with SIGKILL `delayMs` after it reports
 * its first embedding progress (or lets it finish if it ends first).
 */
async function indexAndKill(editionDir: string, indexUrl: string, delayMs: number): Promise<void> {
  const source = `
    const { runIndexJob } = await import(${JSON.stringify(path.join(REPO_DIR, "src/indexer.ts"))});
    const { createHashedEmbedder } = await import(${JSON.stringify(path.join(REPO_DIR, "src/embeddings/hashed.ts"))});
    await runIndexJob({
      editionDirs: [${JSON.stringify(editionDir)}],
      indexDir: ${JSON.stringify(path.join(dir, "unused"))},
      indexUrl: ${JSON.stringify(indexUrl)},
      embedder: createHashedEmbedder(),
      onProgress: () => process.stdout.write("progress\\n"),
    });
  `;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", source], {
    cwd: REPO_DIR,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = once(child, "exit");
  child.stdout.once("data", () => setTimeout(() => child.kill("SIGKILL"), delayMs));
  await exited;
}

describe("an index job into PostgreSQL killed with SIGKILL", () => {
  it("leaves the previous editions answering, every edition whole, and the next run completes", async () => {
    const indexUrl = server.indexUrl("killed");
    const first = await editionsFolder("first", ["000_4fbab94a4f508d93.txt"]);
    await runIndexJob({
      editionDirs: [first],
      indexDir: path.join(dir, "unused"),
      indexUrl,
      embedder: createHashedEmbedder(),
    });
    const all = await editionsFolder("all", [
      "000_4fbab94a4f508d93.txt",
      "001_442c48c22c8f00a5.txt",
      "002_c46a323090806ea5.txt",
      "003_f806f993ff43849d.txt",
      "004_52660507d51a0aa1.txt",
    ]);
    // Killed at several points: while embedding, and (as the delays grow) between or inside the
    // editions' transactions.
    for (const delayMs of [0, 40, 120, 300]) {
      await indexAndKill(all, indexUrl, delayMs);
      const engine = await createEngine({
        indexDir: path.join(dir, "unused"),
        indexUrl,
        embedder: createHashedEmbedder(),
      });
      try {
        const answer = await engine.ask("阿里巴巴长三角智能计算基地总投资多少?");
        expect(answer.text).toContain("143亿元");
        const index = engine.index as PgIndex;
        for (const edition of index.manifest.editions) {
          expect(index.articleIdsOfEdition(edition.editionId)).toHaveLength(edition.articleCount);
        }
      } finally {
        engine.index.close();
      }
    }
    const finished = await runIndexJob({
      editionDirs: [all],
      indexDir: path.join(dir, "unused"),
      indexUrl,
      embedder: createHashedEmbedder(),
    });
    expect(finished.editions).toBe(5);
    const index = await PgIndex.open(parseIndexUrl(indexUrl), createHashedEmbedder());
    expect(index.manifest.editions).toHaveLength(5);
    index.close();
    await expect(fs.access(path.join(dir, "unused"))).rejects.toThrow();
  }, 180_000);
});

describe("the PostgreSQL server restarting under a running bot", () => {
  it("answers again once it is back, on new connections", async () => {
    const dataDir = path.join(dir, "restarted-data");
    let restartable = await startPgliteServer({ dataDir });
    const indexUrl = restartable.indexUrl("restarted");
    await runIndexJob({
      editionDirs: [SAMPLE_EDITIONS],
      indexDir: path.join(dir, "unused"),
      indexUrl,
      embedder: createHashedEmbedder(),
    });
    const engine = await createEngine({
      indexDir: path.join(dir, "unused"),
      indexUrl,
      embedder: createHashedEmbedder(),
    });
    try {
      expect((await engine.ask("阿里巴巴长三角智能计算基地总投资多少?")).text).toContain("143亿元");
      const { port } = restartable;
      await restartable.stop();
      restartable = await startPgliteServer({ dataDir, port });
      // Another question than the first, so that the caches do not answer it alone.
      const answer = await engine.ask("平湖现在一共有多少户经营主体?");
      expect(answer.text).toContain("7.62万户");
    } finally {
      engine.index.close();
      await restartable.stop();
    }
  }, 180_000);
});
