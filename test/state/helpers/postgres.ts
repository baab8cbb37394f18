import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import pg from "pg";

/** A PostgreSQL database of the test's own. */
export interface TestPostgres {
  url: string;
  /** Connections a pool should open. */
  maxConnections: number;
  /** "server" (TEST_DATABASE_URL) or "pglite" (in-process). */
  via: "server" | "pglite";
  stop(): Promise<void>;
}

/**
 * A fresh database: on the server named by TEST_DATABASE_URL (scripts/ci-postgres.sh), a new
 * database with a unique name, dropped at stop; without it, PGlite in-process behind
 * pglite-socket on 127.0.0.1, which speaks the same wire protocol.
 */
export async function startTestPostgres(): Promise<TestPostgres> {
  const server = process.env.TEST_DATABASE_URL;
  if (server !== undefined && server !== "") {
    const name = `lnb_state_${randomBytes(6).toString("hex")}`;
    const admin = new pg.Client({ connectionString: server });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(server);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      maxConnections: 10,
      via: "server",
      async stop() {
        const client = new pg.Client({ connectionString: server });
        await client.connect();
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await client.end();
      },
    };
  }
  const { PGlite } = await import("@electric-sql/pglite");
  const { PGLiteSocketServer } = await import("@electric-sql/pglite-socket");
  const db = await PGlite.create();
  const socket = new PGLiteSocketServer({ db, port: 0, host: "127.0.0.1", maxConnections: 50 });
  await socket.start();
  const address = (socket as unknown as { server: { address(): AddressInfo } }).server.address();
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${address.port}/postgres?sslmode=disable`,
    // PGlite runs one query at a time (pglite-socket keeps a transaction's queries together).
    maxConnections: 4,
    via: "pglite",
    async stop() {
      await socket.stop();
      await db.close();
    },
  };
}
