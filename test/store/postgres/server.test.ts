/**
 * What needs a real PostgreSQL server process (several sessions, a server without pgvector): the
 * machine's PostgreSQL at TEST_DATABASE_URL (`source scripts/ci-postgres.sh`). Without it, the
 * refusal is tested on PGlite without its vector extension, and the lock test is reported as
 * skipped with the reason: PGlite serves every connection from one session, so an advisory lock
 * cannot be contended there.
 */
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEngine } from "../../../src/engine.js";
import { runIndexJob } from "../../../src/indexer.js";
import { IndexLockedError } from "../../../src/store/embedded.js";
import { SAMPLE_EDITIONS } from "../../helpers/paths.js";
import { startPgliteServer, type TestPgServer } from "../../helpers/pgvector-server.js";
import { testEmbedder } from "../fixtures.js";

const realServer = process.env.TEST_DATABASE_URL;
let fallback: TestPgServer | undefined;
let serverUrl: string;
let dir: string;
beforeAll(async () => {
  if (realServer === undefined) fallback = await startPgliteServer({ withVector: false });
  serverUrl = realServer ?? fallback?.url ?? "";
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "lnb-pg-server-"));
}, 60_000);
afterAll(async () => {
  await fallback?.stop();
  await fs.rm(dir, { recursive: true, force: true });
});

const indexUrl = (schema: string) =>
  `${serverUrl}${serverUrl.includes("?") ? "&" : "?"}schema=${schema}`;

describe("a PostgreSQL server without pgvector", () => {
  it("is refused by the index job and at start, with how to install it, and nothing is written", async () => {
    const url = indexUrl(`no_vector_${process.pid}`);
    const indexDir = path.join(dir, "index");
    const job = runIndexJob({
      editionDirs: [SAMPLE_EDITIONS],
      indexDir,
      indexUrl: url,
      embedder: testEmbedder(),
    });
    await expect(job).rejects.toMatchObject({ code: "INDEX_MISSING" });
    await expect(job).rejects.toThrow(
      /no pgvector extension.*apt-get install postgresql-<version>-pgvector.*CREATE EXTENSION vector/u,
    );
    const start = createEngine({ indexDir, indexUrl: url, embedder: testEmbedder() });
    await expect(start).rejects.toThrow(/no pgvector extension/u);
    await expect(fs.access(indexDir)).rejects.toThrow();
  });
});

describe.skipIf(realServer === undefined)(
  "the writer lock on a real server (TEST_DATABASE_URL)",
  () => {
    it("refuses a second index run while a session holds it, naming that session, and frees it when the session ends", async () => {
      const schema = `locked_${process.pid}`;
      const holder = new pg.Client({
        connectionString: serverUrl,
        application_name: "other-indexer",
      });
      await holder.connect();
      const pid = (await holder.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]
        ?.pid;
      await holder.query("SELECT pg_advisory_lock($1, hashtext($2))", [0x4c4e42, schema]);
      try {
        const job = runIndexJob({
          editionDirs: [SAMPLE_EDITIONS],
          indexDir: path.join(dir, "unused"),
          indexUrl: indexUrl(schema),
          embedder: testEmbedder(),
        });
        await expect(job).rejects.toThrow(IndexLockedError);
        await expect(job).rejects.toThrow(
          `PostgreSQL session ${pid} (other-indexer from 127.0.0.1`,
        );
      } finally {
        // Ending the session (as a killed run's does) releases its lock.
        await holder.end();
      }
      const next = runIndexJob({
        editionDirs: [SAMPLE_EDITIONS],
        indexDir: path.join(dir, "unused"),
        indexUrl: indexUrl(schema),
        embedder: testEmbedder(),
      });
      // Past the lock, this server's missing pgvector is what stops it.
      await expect(next).rejects.toMatchObject({ code: "INDEX_MISSING" });
    });
  },
);
