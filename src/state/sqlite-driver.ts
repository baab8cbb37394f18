import { mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import type { SqlDriver } from "./sql.js";

/**
 * SQLite through better-sqlite3. Its calls are synchronous, so a statement never interleaves with
 * another; a transaction, though, spans awaits, so statements from other handlers wait until it
 * ends (a promise chain serves as the lock, written here because it is six lines).
 */
export function openSqliteDriver(file: string): SqlDriver {
  if (file !== ":memory:") mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  // Calls block the event loop while they run: with WAL, NORMAL syncs at checkpoints instead of at
  // every commit, so a busy disk does not stall answering. A power cut may lose the last commits
  // (a vote, a memory turn), never corrupt the file.
  db.pragma("synchronous = NORMAL");
  // Another process on the same file (an index script, a second instance) waits, not fails.
  db.pragma("busy_timeout = 5000");
  db.pragma("foreign_keys = ON");
  let lock: Promise<unknown> = Promise.resolve();
  let inTransaction = false;

  const all = <T>(sql: string, params: readonly unknown[] = []): T[] =>
    db.prepare(sql).all(...params.map(toSqlite)) as T[];
  const run = (sql: string, params: readonly unknown[] = []): number => {
    const statement = db.prepare(sql);
    return statement.reader
      ? statement.all(...params.map(toSqlite)).length
      : statement.run(...params.map(toSqlite)).changes;
  };
  const txDriver: SqlDriver = {
    dialect: "sqlite",
    all: async (sql, params) => all(sql, params),
    run: async (sql, params) => run(sql, params),
    transaction: () =>
      Promise.reject(new Error("SQLite driver: nested transactions are not supported")),
    close: () => Promise.reject(new Error("SQLite driver: close the store, not a transaction")),
  };
  const outside = async <T>(work: () => T): Promise<T> => {
    while (inTransaction) await lock.catch(() => undefined);
    return work();
  };
  return {
    dialect: "sqlite",
    all: (sql, params) => outside(() => all(sql, params)),
    run: (sql, params) => outside(() => run(sql, params)),
    transaction<T>(work: (tx: SqlDriver) => Promise<T>): Promise<T> {
      const next = lock
        .catch(() => undefined)
        .then(async () => {
          inTransaction = true;
          db.exec("BEGIN IMMEDIATE");
          try {
            const result = await work(txDriver);
            db.exec("COMMIT");
            return result;
          } catch (error) {
            if (db.inTransaction) db.exec("ROLLBACK");
            throw error;
          } finally {
            inTransaction = false;
          }
        });
      lock = next;
      return next;
    },
    async close() {
      await lock.catch(() => undefined);
      db.close();
    },
  };
}

/** SQLite binds booleans as numbers only. */
function toSqlite(value: unknown): unknown {
  return typeof value === "boolean" ? (value ? 1 : 0) : value;
}
