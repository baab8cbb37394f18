import pg from "pg";
import type { SqlDriver } from "./sql.js";

/** OID of BIGINT: read as a JS number (ids and epoch milliseconds stay far below 2^53). */
const INT8_OID = 20;

/** Numbers the "?" placeholders as $1, $2… (the store's SQL holds no "?" in literals). */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/gu, () => `$${++n}`);
}

type Queryable = Pick<pg.Pool, "query"> | pg.PoolClient;

function driverOver(
  client: Queryable,
  transaction: SqlDriver["transaction"],
  close: SqlDriver["close"],
): SqlDriver {
  return {
    dialect: "postgres",
    async all<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
      const result = await client.query(numbered(sql), [...params]);
      return result.rows as T[];
    },
    async run(sql, params = []) {
      const result = await client.query(numbered(sql), [...params]);
      return result.rowCount ?? 0;
    },
    transaction,
    close,
  };
}

/** PostgreSQL through a `pg` pool of `maxConnections`. Throws on first use when the server is unreachable. */
export function openPostgresDriver(connectionString: string, maxConnections = 10): SqlDriver {
  const pool = new pg.Pool({
    connectionString,
    max: maxConnections,
    types: {
      getTypeParser: ((oid: number, format?: "text" | "binary") =>
        oid === INT8_OID
          ? (v: string) => Number(v)
          : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle connection dropped by the server must not crash the process; the next query reconnects.
  pool.on("error", () => undefined);
  const noNesting = (): Promise<never> =>
    Promise.reject(new Error("PostgreSQL driver: nested transactions are not supported"));
  const noClose = (): Promise<never> =>
    Promise.reject(new Error("PostgreSQL driver: close the store, not a transaction"));
  return driverOver(
    pool,
    async <T>(work: (tx: SqlDriver) => Promise<T>): Promise<T> => {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const result = await work(driverOver(client, noNesting, noClose));
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    () => pool.end(),
  );
}
