/**
 * PostgreSQL with pgvector for `npm run bench -- --backend postgres` when no --index-url names a
 * server: PGlite with its vector extension, its data in a folder, served over the wire protocol
 * by pglite-socket on 127.0.0.1 from a process of its own, whose memory the bench reads. PGlite
 * is a development dependency: the bench is a development tool.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";

const SERVER_SOURCE = `
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
const db = await PGlite.create(process.env.PGLITE_DATA_DIR, { extensions: { vector } });
const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: 0, maxConnections: 32 });
await server.start();
process.stdout.write(JSON.stringify({ port: server.server.address().port }) + "\\n");
process.stdin.resume();
process.stdin.on("end", async () => { await server.stop(); await db.close(); process.exit(0); });
`;

/** A running PGlite server. */
export interface BenchPgServer {
  /** postgres:// URL of its database. */
  readonly url: string;
  /** Peak resident set size of the server process so far, in MiB (Linux), else undefined. */
  peakRssMb(): number | undefined;
  /** Stops it (its data stays in the folder). */
  stop(): Promise<void>;
}

/** Starts the server on `dataDir` from `cwd` (where node_modules is). Throws when it fails to start. */
export async function startBenchPgServer(dataDir: string, cwd: string): Promise<BenchPgServer> {
  const child: ChildProcess = spawn(
    process.execPath,
    ["--max-old-space-size=4096", "--input-type=module", "-e", SERVER_SOURCE],
    { cwd, env: { ...process.env, PGLITE_DATA_DIR: dataDir }, stdio: ["pipe", "pipe", "inherit"] },
  );
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (data: Buffer) => {
      out += data.toString("utf8");
      const [line] = out.split("\n");
      if (out.includes("\n") && line !== undefined) {
        resolve((JSON.parse(line) as { port: number }).port);
      }
    });
    child.once("exit", (code) => reject(new Error(`the PGlite server exited with ${code}`)));
    child.once("error", reject);
  });
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    peakRssMb() {
      try {
        const status = fs.readFileSync(`/proc/${child.pid}/status`, "utf8");
        const kib = /VmHWM:\s+(\d+) kB/u.exec(status)?.[1];
        return kib === undefined ? undefined : Number(kib) / 1024;
      } catch {
        return undefined;
      }
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = once(child, "exit");
      child.stdin?.end();
      const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
