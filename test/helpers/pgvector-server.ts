/**
 * PostgreSQL with pgvector for the archive's tests: PGlite with its vector extension, served over
 * the wire protocol by pglite-socket on 127.0.0.1, so that the archive is reached through `pg`
 * and INDEX_URL as in production. The server runs in a child process: the index reads the archive
 * synchronously (blocking this thread), which a server on this thread could not answer, and a
 * test can kill a writer without the server.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { REPO_DIR } from "./paths.js";

const SERVER_SOURCE = `
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
const options = process.env.WITH_VECTOR === "1" ? { extensions: { vector } } : {};
const db = await PGlite.create(process.env.PGLITE_DATA_DIR || undefined, options);
const port = Number(process.env.PGLITE_PORT || 0);
const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port, maxConnections: 32 });
server.addEventListener?.("error", () => {});
await server.start();
const address = server.server.address();
process.stdout.write(JSON.stringify({ port: address.port }) + "\\n");
process.stdin.resume();
process.stdin.on("end", async () => { await server.stop(); await db.close(); process.exit(0); });
`;

/** A running server: its URL and how to stop it. */
export interface TestPgServer {
  /** postgres:// URL of its database. */
  readonly url: string;
  readonly port: number;
  /** An INDEX_URL for an archive in `schema` on it. */
  indexUrl(schema: string): string;
  stop(): Promise<void>;
}

/** Options of `startPgliteServer`. */
export interface PgliteServerOptions {
  /** Load pgvector. Defaults to true. */
  withVector?: boolean;
  /** Keep the database in this folder (so that a restarted server has it). Defaults to memory. */
  dataDir?: string;
  /** Listen on this port. Defaults to one the system picks. */
  port?: number;
}

/**
 * Starts PGlite behind pglite-socket in a child process, and resolves once it listens. Throws
 * when it fails to start.
 */
export async function startPgliteServer(options: PgliteServerOptions = {}): Promise<TestPgServer> {
  const withVector = options.withVector ?? true;
  const child: ChildProcess = spawn(
    process.execPath,
    ["--input-type=module", "-e", SERVER_SOURCE],
    {
      cwd: REPO_DIR,
      env: {
        ...process.env,
        WITH_VECTOR: withVector ? "1" : "0",
        PGLITE_DATA_DIR: options.dataDir ?? "",
        PGLITE_PORT: String(options.port ?? 0),
      },
      stdio: ["pipe", "pipe", "inherit"],
    },
  );
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (data: Buffer) => {
      out += data.toString("utf8");
      const line = out.split("\n")[0];
      if (out.includes("\n") && line !== undefined)
        resolve((JSON.parse(line) as { port: number }).port);
    });
    child.once("exit", (code) => reject(new Error(`the PGlite server exited with ${code}`)));
    child.once("error", reject);
  });
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return {
    url,
    port,
    indexUrl: (schema) => `${url}?schema=${schema}`,
    async stop() {
      if (child.exitCode !== null) return;
      child.stdin?.end();
      const exited = once(child, "exit");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
