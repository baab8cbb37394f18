import { existsSync } from "node:fs";
import path from "node:path";
import { FeedbackLog } from "../bot/feedback-log.js";
import { migrateState } from "./migrations.js";
import { openPostgresDriver } from "./postgres-driver.js";
import type { SqlDriver } from "./sql.js";
import { DEFAULT_RETENTION, createSqlStateStore } from "./sql-state-store.js";
import { openSqliteDriver } from "./sqlite-driver.js";
import type { Retention, StateStore } from "./types.js";

/** Options of openStateStore. */
export interface OpenStateOptions {
  /** A postgres:// URL: the shared PostgreSQL store. Undefined: the embedded SQLite file. */
  databaseUrl: string | undefined;
  /** The SQLite file when there is no databaseUrl, e.g. `<DATA_DIR>/state.sqlite`. */
  sqliteFile: string;
  /** The old `feedback.jsonl`, imported into the store once when it exists. */
  legacyFeedbackFile?: string;
  /** Defaults to DEFAULT_RETENTION. */
  retention?: Retention;
  /** Connections of the PostgreSQL pool. Defaults to 10. */
  postgresMaxConnections?: number;
}

/** What opening found and did. */
export interface OpenedState {
  store: StateStore;
  /** Schema version before opening (0 for a new database). */
  migratedFrom: number;
  /** Feedback entries imported from feedback.jsonl by this open (0 when it was imported before). */
  importedFeedback: number;
}

/**
 * Opens the bot's state store, creating or migrating its schema, and imports `feedback.jsonl`
 * once (a row in `meta` records it, so a restart or a second instance never imports it again).
 * Throws StateSchemaError for a database newer than this code, or the driver's error when the
 * database cannot be reached.
 */
export async function openStateStore(options: OpenStateOptions): Promise<OpenedState> {
  const db =
    options.databaseUrl === undefined
      ? openSqliteDriver(options.sqliteFile)
      : openPostgresDriver(options.databaseUrl, options.postgresMaxConnections);
  try {
    const migratedFrom = await migrateState(db);
    const importedFeedback =
      options.legacyFeedbackFile === undefined
        ? 0
        : await importFeedbackOnce(db, options.legacyFeedbackFile);
    return {
      store: createSqlStateStore(db, options.retention ?? DEFAULT_RETENTION),
      migratedFrom,
      importedFeedback,
    };
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
}

/** Imports the JSONL feedback log in one transaction, unless `meta` says it was imported. */
async function importFeedbackOnce(db: SqlDriver, file: string): Promise<number> {
  if (!existsSync(file)) return 0;
  const { entries } = await new FeedbackLog(file).read();
  return db.transaction(async (tx) => {
    // Instances starting together: the second insert waits for the first commit, then does nothing.
    const claimed = await tx.run(
      `INSERT INTO state_meta (key, value) VALUES ('feedback_jsonl_imported', ?) ON CONFLICT DO NOTHING`,
      [JSON.stringify({ file: path.basename(file), entries: entries.length, atMs: Date.now() })],
    );
    if (claimed !== 1) return 0;
    for (const e of entries) {
      await tx.run(
        `INSERT INTO state_feedback (at, user_id, chat_id, chat_type, verdict, question, abstained, citations, answer_key)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)`,
        [
          e.at,
          e.userId,
          e.chatId,
          e.chatType,
          e.verdict,
          e.question,
          e.abstained ? 1 : 0,
          JSON.stringify(e.citations),
        ],
      );
    }
    return entries.length;
  });
}
