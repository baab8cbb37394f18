import type { SqlDriver } from "./sql.js";

/** The schema version this code reads and writes. */
export const STATE_SCHEMA_VERSION = 2;

/** Thrown when the database was written by a newer version of the bot; nothing is changed then. */
export class StateSchemaError extends Error {
  constructor(found: number) {
    super(
      `The state database has schema version ${found}, newer than this bot's ${STATE_SCHEMA_VERSION}. ` +
        "Run the newer bot version, or point DATABASE_URL (or DATA_DIR) at another database.",
    );
    this.name = "StateSchemaError";
  }
}

/**
 * Each migration takes the schema from version n-1 to n. `{{id}}` is an auto-numbered primary key
 * in either dialect. Data here cannot be rebuilt (feedback, subscriptions), so a schema change is
 * a new migration, never an edit of an old one. Every name starts with "state_", so that the
 * state may share a PostgreSQL database with other tables (the archive's, for one).
 */
const MIGRATIONS: readonly { version: number; statements: readonly string[] }[] = [
  {
    version: 1,
    statements: [
      `CREATE TABLE state_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
      `CREATE TABLE state_buttons (key TEXT PRIMARY KEY, chat_id BIGINT NOT NULL, kind TEXT NOT NULL,
        payload TEXT NOT NULL, created_ms BIGINT NOT NULL, expires_ms BIGINT NOT NULL)`,
      `CREATE INDEX state_buttons_chat ON state_buttons (chat_id)`,
      `CREATE INDEX state_buttons_expires ON state_buttons (expires_ms)`,
      `CREATE TABLE state_feedback (id {{id}}, at TEXT NOT NULL, user_id BIGINT NOT NULL,
        chat_id BIGINT NOT NULL, chat_type TEXT NOT NULL, verdict TEXT NOT NULL,
        question TEXT NOT NULL, abstained INTEGER NOT NULL, citations TEXT NOT NULL,
        answer_key TEXT, UNIQUE (answer_key, user_id))`,
      `CREATE INDEX state_feedback_user ON state_feedback (user_id)`,
      `CREATE TABLE state_memory (id {{id}}, chat_id BIGINT NOT NULL, question TEXT NOT NULL,
        answer TEXT, at_ms BIGINT NOT NULL)`,
      `CREATE INDEX state_memory_chat ON state_memory (chat_id, id)`,
      `CREATE TABLE state_rate_buckets (key TEXT PRIMARY KEY, tokens DOUBLE PRECISION NOT NULL,
        updated_ms BIGINT NOT NULL, warned INTEGER NOT NULL)`,
      `CREATE TABLE state_uploads (id {{id}}, file TEXT NOT NULL, user_id BIGINT NOT NULL,
        at_ms BIGINT NOT NULL, sha256 TEXT NOT NULL, bytes BIGINT NOT NULL, paper TEXT,
        date TEXT, articles INTEGER NOT NULL, headlines TEXT NOT NULL, removed_ms BIGINT)`,
      `CREATE TABLE state_subscriptions (id {{id}}, chat_id BIGINT NOT NULL, user_id BIGINT NOT NULL,
        topic TEXT NOT NULL, created_ms BIGINT NOT NULL, UNIQUE (chat_id, topic))`,
      `CREATE TABLE state_digests (chat_id BIGINT PRIMARY KEY, user_id BIGINT NOT NULL,
        time TEXT NOT NULL, time_zone TEXT NOT NULL, last_date TEXT)`,
      `CREATE TABLE state_deliveries (chat_id BIGINT NOT NULL, item TEXT NOT NULL,
        sent_ms BIGINT NOT NULL, PRIMARY KEY (chat_id, item))`,
      `CREATE INDEX state_deliveries_sent ON state_deliveries (sent_ms)`,
    ],
  },
  {
    // The articles a turn's answer cited: a follow-up names its referent as they write it.
    version: 2,
    statements: [`ALTER TABLE state_memory ADD COLUMN article_ids TEXT`],
  },
];

const ID = { sqlite: "INTEGER PRIMARY KEY AUTOINCREMENT", postgres: "BIGSERIAL PRIMARY KEY" };

/** Lock key that serialises migrations of instances starting together on one PostgreSQL. */
const MIGRATION_LOCK = 7_190_019;

/**
 * Brings the schema to STATE_SCHEMA_VERSION, one transaction per migration, and returns the
 * version found before. Throws StateSchemaError when the database is newer than this code.
 */
export async function migrateState(db: SqlDriver): Promise<number> {
  return db.transaction(async (tx) => {
    // Locked first: two instances creating the table at once would collide in PostgreSQL's catalog.
    if (tx.dialect === "postgres") await tx.all(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`);
    await tx.run(
      `CREATE TABLE IF NOT EXISTS state_migrations (version INTEGER PRIMARY KEY, applied_ms BIGINT NOT NULL)`,
    );
    const rows = await tx.all<{ v: number | null }>(
      `SELECT MAX(version) AS v FROM state_migrations`,
    );
    const found = Number(rows[0]?.v ?? 0);
    if (found > STATE_SCHEMA_VERSION) throw new StateSchemaError(found);
    for (const migration of MIGRATIONS) {
      if (migration.version <= found) continue;
      for (const statement of migration.statements) {
        await tx.run(statement.replaceAll("{{id}}", ID[tx.dialect]));
      }
      await tx.run(`INSERT INTO state_migrations (version, applied_ms) VALUES (?, ?)`, [
        migration.version,
        Date.now(),
      ]);
    }
    return found;
  });
}
