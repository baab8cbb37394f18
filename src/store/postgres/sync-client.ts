import { createRequire } from "node:module";
import {
  MessageChannel,
  type MessagePort,
  Worker,
  receiveMessageOnPort,
} from "node:worker_threads";
import type { ClientConfig } from "pg";

/**
 * How long one synchronous query may take before it is abandoned: the bot's thread waits that
 * long at most. Far above a search's time; a query that takes this long has a server problem,
 * which the error names.
 */
const QUERY_TIMEOUT_MS = 10_000;

/**
 * Runs the queries on a worker thread with its own `pg` client, and wakes the caller through
 * shared memory. Plain JavaScript, so that it runs without the TypeScript loader and needs no
 * file of its own in the bundle (as `prewarm.ts`).
 */
const WORKER_SOURCE = `
const { workerData } = require("node:worker_threads");
const signal = new Int32Array(workerData.signal);
const port = workerData.port;
let ready;
function connect() {
  try {
    const pg = require(workerData.pgPath);
    const client = new pg.Client(workerData.config);
    const connection = { client, broken: false };
    client.on("error", () => { connection.broken = true; });
    ready = client.connect().then(async () => {
      for (const setting of workerData.settings) await client.query(setting).catch(() => {});
      return connection;
    });
  } catch (error) {
    ready = Promise.reject(error);
  }
  ready.catch(() => {});
}
connect();
port.on("message", async ({ text, values }) => {
  let reply;
  try {
    let connection = await ready.catch(() => undefined);
    // A lost connection (server restarted, network cut) is opened again for the next query.
    if (connection === undefined || connection.broken) {
      connection?.client.end().catch(() => {});
      connect();
      connection = await ready;
    }
    const result = await connection.client.query({ text, values });
    reply = { rows: result.rows };
  } catch (error) {
    reply = { error: { message: String(error && error.message), code: error && error.code } };
  }
  port.postMessage(reply);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
});
`;

/** A failed synchronous query: the server's message and SQLSTATE code. */
export class SyncQueryError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

/**
 * A PostgreSQL connection queried synchronously. The retrieval and answer layers read the archive
 * through a synchronous interface (`NewsIndex`, which the embedded index serves from the page
 * cache); the PostgreSQL index answers the same calls by blocking on a round trip to the server.
 * Hand-written over `Atomics.wait` rather than with a sync-call library because the worker must
 * run inside the bundle that `npm start` ships, with no worker file beside it.
 */
export class SyncClient {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly signal = new Int32Array(new SharedArrayBuffer(4));
  private closed = false;

  /** `settings`: statements each connection runs first; one that fails is skipped. */
  constructor(config: ClientConfig, settings: readonly string[] = []) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const pgPath = createRequire(import.meta.url).resolve("pg");
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        pgPath,
        config,
        settings: [...settings],
        signal: this.signal.buffer,
        port: port2,
      },
      transferList: [port2],
    });
    this.worker.unref();
    this.port.unref();
  }

  /** Runs one query and returns its rows. Throws SyncQueryError when the server refuses it or times out. */
  query<Row>(text: string, values: readonly unknown[] = []): Row[] {
    if (this.closed) throw new SyncQueryError("the index connection is closed", undefined);
    Atomics.store(this.signal, 0, 0);
    this.port.postMessage({ text, values });
    if (Atomics.wait(this.signal, 0, 0, QUERY_TIMEOUT_MS) === "timed-out") {
      throw new SyncQueryError(
        `PostgreSQL did not answer within ${QUERY_TIMEOUT_MS / 1000} s; check the server`,
        undefined,
      );
    }
    const received = receiveMessageOnPort(this.port);
    const reply = received?.message as
      | { rows: Row[]; error?: undefined }
      | { error: { message: string; code?: string } }
      | undefined;
    if (reply === undefined) throw new SyncQueryError("the query worker sent no reply", undefined);
    if (reply.error !== undefined) throw new SyncQueryError(reply.error.message, reply.error.code);
    return reply.rows;
  }

  /** Stops the worker and its connection. Never throws. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.port.close();
    void this.worker.terminate();
  }
}
