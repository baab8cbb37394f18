import pg from "pg";
import { IndexError } from "../../errors.js";
import { HNSW_EF_CONSTRUCTION, HNSW_M } from "../vectors.js";

/**
 * Version of the archive's tables in PostgreSQL. An archive of another version is refused, not
 * misread; it is rebuilt from the editions like the embedded index.
 */
export const PG_FORMAT_VERSION = 1;

/** The schema the archive's tables live in, unless INDEX_URL names another (`?schema=`). */
export const DEFAULT_SCHEMA = "news_index";

/** Where an archive on PostgreSQL lives: the server and the schema of its tables. */
export interface PgTarget {
  /** The connection settings for `pg`, from INDEX_URL without its `schema` parameter. */
  connectionString: string;
  schema: string;
}

/**
 * Reads INDEX_URL: a `postgres://` URL whose optional `schema` parameter names the schema of the
 * tables (default news_index). Throws an Error with the fix for anything else.
 */
export function parseIndexUrl(indexUrl: string): PgTarget {
  let url: URL;
  try {
    url = new URL(indexUrl);
  } catch {
    throw new Error(
      "INDEX_URL is not a URL. Set it to postgres://user:password@host:5432/database, or unset it for the embedded index.",
    );
  }
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") {
    throw new Error(
      `INDEX_URL must start with postgres:// (got ${url.protocol}//). Unset it for the embedded index in INDEX_DIR.`,
    );
  }
  const schema = url.searchParams.get("schema") ?? DEFAULT_SCHEMA;
  if (!/^[a-z_][a-z0-9_]{0,62}$/u.test(schema)) {
    throw new Error(
      `INDEX_URL's schema=${schema} is not a plain lower-case PostgreSQL name; use letters, digits and _.`,
    );
  }
  url.searchParams.delete("schema");
  return { connectionString: url.toString(), schema };
}

/** The URL without its password, for messages and logs. */
export function describeTarget(target: PgTarget): string {
  const url = new URL(target.connectionString);
  url.password = "";
  return `${url.host}${url.pathname} (schema ${target.schema})`;
}

/** A `pg` pool on the target; the archive's queries qualify every table with its schema. */
export function createPool(target: PgTarget, max = 4): pg.Pool {
  const pool = new pg.Pool({
    connectionString: target.connectionString,
    max,
    application_name: "local-news-bot",
  });

  // An idle client losing its connection is reported on the next query; it must not crash the bot.
  pool.on("error", () => undefined);
  return pool;
}

/** The archive's table names, qualified with the quoted schema. */
export function tables(schema: string) {
  const q = (name: string) => `"${schema}".${name}`;
  return {
    schema: `"${schema}"`,
    meta: q("meta"),
    editions: q("editions"),
    articles: q("articles"),
    chunks: q("chunks"),
    terms: q("terms"),
  };
}

/** How to get pgvector onto a server, for the refusal. */
const INSTALL_PGVECTOR =
  "Install pgvector on the server (Debian/Ubuntu with the PGDG repository: apt-get install postgresql-<version>-pgvector; " +
  "or build it from https://github.com/pgvector/pgvector), then run `CREATE EXTENSION vector;` in the database as a superuser, " +
  "or unset INDEX_URL to use the embedded index";

/**
 * Makes sure the server has pgvector, creating the extension when it is available but not yet
 * created. Throws IndexError INDEX_MISSING saying how to install it when the server lacks it.
 */
export async function ensurePgvector(client: pg.ClientBase, where: string): Promise<void> {
  const found = await client.query<{ installed: string | null; available: string | null }>(
    `SELECT (SELECT extversion FROM pg_extension WHERE extname = 'vector') AS installed,
            (SELECT default_version FROM pg_available_extensions WHERE name = 'vector') AS available`,
  );
  const row = found.rows[0];
  if (row?.installed) return;
  if (!row?.available) {
    throw new IndexError(
      "INDEX_MISSING",
      `The PostgreSQL server at ${where} has no pgvector extension, which the archive's vector search needs. ${INSTALL_PGVECTOR}.`,
    );
  }
  try {
    await client.query("CREATE EXTENSION IF NOT EXISTS vector");
  } catch (cause) {
    throw new IndexError(
      "INDEX_MISSING",
      `pgvector is available on ${where} but could not be created (${String((cause as Error).message)}). ` +
        "Run `CREATE EXTENSION vector;` in the database as a superuser once.",
      { cause },
    );
  }
}

/**
 * Creates the archive's tables for `dimensions`-long vectors. Rows carry the generation (`gen`)
 * that added them and the one that superseded them (`gone_gen`): a reader opened at generation G
 * sees exactly the rows with gen <= G that were not gone by G, so editions committed while it
 * serves appear only when it reopens, and never by halves.
 */
export function createTablesSql(schema: string, dimensions: number): string {
  const t = tables(schema);
  return `
CREATE SCHEMA IF NOT EXISTS ${t.schema};
CREATE TABLE ${t.meta} (
  id int PRIMARY KEY CHECK (id = 1),
  format_version int NOT NULL,
  embedder_id text NOT NULL,
  dimensions int NOT NULL,
  embedder_state bytea,
  generation int NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE TABLE ${t.editions} (
  edition_id text NOT NULL,
  gen int NOT NULL,
  gone_gen int,
  position bigserial,
  source text NOT NULL,
  paper text NOT NULL,
  date text,
  article_count int NOT NULL,
  chunk_count int NOT NULL,
  content_hash text NOT NULL,
  source_file jsonb,
  PRIMARY KEY (edition_id, gen)
);
CREATE TABLE ${t.articles} (
  article_no int PRIMARY KEY,
  id text NOT NULL,
  edition_id text NOT NULL,
  paper text NOT NULL,
  date text,
  position int NOT NULL,
  gen int NOT NULL,
  gone_gen int,
  data jsonb NOT NULL,
  terms text[] NOT NULL
);
CREATE TABLE ${t.chunks} (
  chunk_no int PRIMARY KEY,
  id text NOT NULL,
  article_no int NOT NULL,
  edition_id text NOT NULL,
  paper text NOT NULL,
  date text,
  gen int NOT NULL,
  gone_gen int,
  data jsonb NOT NULL,
  doc_len int NOT NULL,
  lexemes tsvector NOT NULL,
  tf jsonb NOT NULL,
  text_hash text NOT NULL,
  embedding vector(${dimensions}) NOT NULL
);
CREATE TABLE ${t.terms} (
  term text PRIMARY KEY,
  df int NOT NULL
);`;
}

/**
 * The lookup and search indexes of the articles and chunks (not the vectors'), built once the
 * rows of a full build are in: one bulk build of the GIN index over every chunk's lexemes is
 * many times faster than growing it row by row.
 */
export function createSearchIndexesSql(schema: string): string {
  const t = tables(schema);
  return `
CREATE INDEX ON ${t.articles} (id);
CREATE INDEX ON ${t.articles} (edition_id);
CREATE INDEX ON ${t.chunks} (article_no);
CREATE INDEX ON ${t.chunks} (edition_id);
CREATE INDEX chunks_lexemes ON ${t.chunks} USING gin (lexemes);`;
}

/** The HNSW graph over the chunk vectors (inner product: the vectors are unit length). */
export function createVectorIndexSql(schema: string): string {
  return `CREATE INDEX IF NOT EXISTS chunks_embedding ON ${tables(schema).chunks} USING hnsw (embedding vector_ip_ops) WITH (m = ${HNSW_M}, ef_construction = ${HNSW_EF_CONSTRUCTION})`;
}
