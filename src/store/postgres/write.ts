import type pg from "pg";
import type { Embedder } from "../../embeddings/embedder.js";
import type { Article, Chunk } from "../../types.js";
import { IndexLockedError } from "../index-locked-error.js";
import { manifestEditions } from "../manifest.js";
import { analyzeChunk } from "../segment-format.js";
import type { BuildInput, BuildSummary, ManifestEdition } from "../types.js";
import { DEFAULT_BATCH_SIZE, embedChunks, validateInput } from "../write-index.js";
import { chunkDocumentText } from "../records.js";
import { articleTermList, chunkRow, parseVector, vectorLiteral } from "./rows.js";
import {
  PG_FORMAT_VERSION,
  type PgTarget,
  createPool,
  createSearchIndexesSql,
  createTablesSql,
  createVectorIndexSql,
  describeTarget,
  ensurePgvector,
  tables,
} from "./schema.js";

/** The first key of the writer's advisory lock ("LNB"); the second is the schema's hash. */
const LOCK_CLASS = 0x4c4e42;
/** Rows sent in one INSERT. */
const INSERT_BATCH = 500;

/** Options of one index run into PostgreSQL. */
export interface PgBuildOptions {
  target: PgTarget;
  embedder: Embedder;
  onProgress?: (done: number, total: number) => void;
  /** Texts per embedding batch. Defaults to 64. */
  batchSize?: number;
  /** Ignore the archive's contents and rebuild it. Defaults to false. */
  full?: boolean;
}

interface Meta {
  format_version: number;
  embedder_id: string;
  dimensions: number;
  embedder_state: Buffer | null;
  generation: number;
}

/**
 * Writes the archive in PostgreSQL so that it holds exactly `input` (plus `input.keptEditions`
 * as they are). A first or full build is one transaction; afterwards each new, changed or
 * removed edition is one transaction, so readers see every edition whole or not at all, and a
 * run that is killed leaves the editions it committed and the previous ones answering. One run
 * at a time: throws IndexLockedError naming the session that holds the advisory lock. Throws
 * IndexError INDEX_MISSING when the server lacks pgvector, an Error for invalid input, and
 * whatever the embedder throws.
 */
export async function writePgIndex(
  input: BuildInput,
  options: PgBuildOptions,
): Promise<BuildSummary> {
  const startedMs = performance.now();
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const { target, embedder } = options;
  const where = describeTarget(target);
  const pool = createPool(target, 1);
  const client = await pool.connect();
  try {
    await takeLock(client, target);
    await ensurePgvector(client, where);
    const meta = await readMeta(client, target.schema);
    const reason = rebuildReason(meta, embedder, options.full === true);
    const given = manifestEditions(input.articles, "postgres", input.sources, input.chunks);
    const kept = input.keptEditions ?? new Set<string>();
    let run: RunResult;
    if (reason !== undefined || meta === undefined) {
      if (kept.size > 0) {
        throw new Error(
          `${kept.size} editions were to be kept from the archive, but it cannot be built upon ` +
            `(${reason ?? "it is empty"}). Run the index job again.`,
        );
      }
      run = await buildAll(client, target.schema, meta, input, given, { ...options, batchSize });
    } else {
      run = await updateEditions(client, target.schema, meta, input, given, {
        ...options,
        batchSize,
      });
    }
    const counts = await client.query<{ editions: number; articles: number; chunks: number }>(
      `SELECT (SELECT count(*)::int FROM ${tables(target.schema).editions} WHERE gone_gen IS NULL) AS editions,
              (SELECT count(*)::int FROM ${tables(target.schema).articles} WHERE gone_gen IS NULL) AS articles,
              (SELECT count(*)::int FROM ${tables(target.schema).chunks} WHERE gone_gen IS NULL) AS chunks`,
    );
    const total = counts.rows[0] ?? { editions: 0, articles: 0, chunks: 0 };
    const summary: BuildSummary = {
      editions: total.editions,
      articles: total.articles,
      chunks: total.chunks,
      embedded: run.embedded,
      reused: total.chunks - run.embedded,
      addedEditions: run.added,
      removedEditions: run.removed,
      changedEditions: run.changed,
      snapshot: `generation ${run.generation}`,
      seconds: (performance.now() - startedMs) / 1000,
    };
    if (reason !== undefined && meta !== undefined) summary.fullRebuildReason = reason;
    return summary;
  } finally {
    // Ending the session releases the advisory lock, as the server does when a run is killed.
    client.release(true);
    await pool.end();
  }
}

/**
 * Takes the writer's advisory lock for the schema on this session. The server releases it when
 * the session ends, however the run ends. Throws IndexLockedError naming the session holding it.
 */
async function takeLock(client: pg.ClientBase, target: PgTarget): Promise<void> {
  const got = await client.query<{ locked: boolean }>(
    "SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked",
    [LOCK_CLASS, target.schema],
  );
  if (got.rows[0]?.locked === true) return;
  const holder = await client.query<{
    pid: number;
    client_addr: string | null;
    application_name: string;
    backend_start: Date;
  }>(
    `SELECT a.pid, host(a.client_addr) AS client_addr, a.application_name, a.backend_start
       FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'advisory' AND l.granted AND l.classid = $1::int::oid
        AND l.objid::bigint = (hashtext($2)::bigint & 4294967295) AND l.objsubid = 2
      LIMIT 1`,
    [LOCK_CLASS, target.schema],
  );
  const row = holder.rows[0];
  const who =
    row === undefined
      ? "another session"
      : `PostgreSQL session ${row.pid} (${row.application_name || "no application name"}` +
        ` from ${row.client_addr ?? "a local socket"}, connected ${row.backend_start.toISOString()})`;
  throw new IndexLockedError(`The archive's writer lock in ${describeTarget(target)}`, who);
}

async function readMeta(client: pg.ClientBase, schema: string): Promise<Meta | undefined> {
  const exists = await client.query<{ found: string | null }>("SELECT to_regclass($1) AS found", [
    `"${schema}".meta`,
  ]);
  if (exists.rows[0]?.found == null) return undefined;
  const rows = await client.query<Meta>(
    `SELECT format_version, embedder_id, dimensions, embedder_state, generation FROM ${tables(schema).meta}`,
  );
  return rows.rows[0];
}

/** Why the run rebuilds the archive instead of building on it; undefined when it builds on it. */
function rebuildReason(
  meta: Meta | undefined,
  embedder: Embedder,
  full: boolean,
): string | undefined {
  if (meta === undefined) return undefined;
  if (full) return "a full rebuild was asked for";
  if (meta.format_version !== PG_FORMAT_VERSION) {
    return `the archive's tables are of format ${meta.format_version}, not ${PG_FORMAT_VERSION}`;
  }
  if (meta.embedder_id !== embedder.id || meta.dimensions !== embedder.dimensions) {
    return (
      `the archive was built with ${meta.embedder_id} (${meta.dimensions} dims), ` +
      `not ${embedder.id} (${embedder.dimensions} dims)`
    );
  }
  if (embedder.fit !== undefined && meta.embedder_state === null) {
    return "the archive holds no state for this stateful embedder";
  }
  if (meta.embedder_state !== null) {
    if (embedder.restoreState === undefined)
      return `${embedder.id} cannot restore the archive's state`;
    try {
      embedder.restoreState(new Uint8Array(meta.embedder_state));
    } catch (error) {
      return `${embedder.id} refused the archive's state: ${(error as Error).message}`;
    }
  }
  return undefined;
}

interface RunResult {
  generation: number;
  embedded: number;
  added: string[];
  removed: string[];
  changed: string[];
}

type RunOptions = PgBuildOptions & { batchSize: number };

/**
 * A first or full build: the schema is dropped and written again in one transaction, so readers
 * keep the previous archive until it commits (or forever, if the run fails). Generations and
 * ordinals go on from the previous archive's: a reader still open on it then finds none of its
 * rows (and says to reload) rather than other rows under its ordinals.
 */
async function buildAll(
  client: pg.ClientBase,
  schema: string,
  previous: Meta | undefined,
  input: BuildInput,
  given: ManifestEdition[],
  options: RunOptions,
): Promise<RunResult> {
  const { embedder } = options;
  validateInput(input);
  const chunks = groupChunks(input.articles, input.chunks);
  embedder.fit?.(chunks.map(chunkDocumentText));
  const { vectors, embeddedCount } = await embedChunks(chunks, new Map(), options);
  const t = tables(schema);
  const generation = (previous?.generation ?? 0) + 1;
  await client.query("BEGIN");
  try {
    const counters =
      previous === undefined ? { article: 0, chunk: 0 } : await nextOrdinals(client, schema);
    await client.query(`DROP SCHEMA IF EXISTS ${t.schema} CASCADE`);
    await client.query(createTablesSql(schema, embedder.dimensions));
    const state = embedder.exportState?.();
    await client.query(`INSERT INTO ${t.meta} VALUES (1, $1, $2, $3, $4, $5, now())`, [
      PG_FORMAT_VERSION,
      embedder.id,
      embedder.dimensions,
      state === undefined ? null : Buffer.from(state),
      generation,
    ]);
    const byEdition = groupByEdition(input.articles);
    const dims = embedder.dimensions;
    const rowOf = new Map(chunks.map((c, i) => [c.id, i]));
    // Counted here and written once: an upsert per edition rewrites every common term's row
    // thousands of times in this one transaction, whose dead versions no one can prune.
    const termCounts = new Map<string, number>();
    for (const edition of given) {
      const articles = byEdition.get(edition.editionId) ?? [];
      const editionChunks = groupChunks(articles, chunks);
      const editionVectors = new Float32Array(editionChunks.length * dims);
      editionChunks.forEach((c, i) => {
        const row = rowOf.get(c.id) ?? 0;
        editionVectors.set(vectors.subarray(row * dims, (row + 1) * dims), i * dims);
      });
      await insertEdition(
        client,
        schema,
        generation,
        edition,
        articles,
        editionChunks,
        editionVectors,
        {
          dimensions: embedder.dimensions,
          counters,
          termCounts,
        },
      );
    }
    await insertTermCounts(client, schema, termCounts);
    await client.query("SET LOCAL maintenance_work_mem = '512MB'");
    await client.query(createSearchIndexesSql(schema));
    // Built once over all rows: far faster than growing the graph row by row, and faster still
    // while the graph fits in maintenance_work_mem (pgvector's default of 64 MB holds about
    // 25,000 vectors of 512 dimensions; 150,000 articles are 264,000 chunks).
    await client.query(createVectorIndexSql(schema));
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
  return {
    generation,
    embedded: embeddedCount,
    added: given.map((e) => e.editionId),
    removed: [],
    changed: [],
  };
}

/** An incremental run: one transaction per new, changed or removed edition. */
async function updateEditions(
  client: pg.ClientBase,
  schema: string,
  meta: Meta,
  input: BuildInput,
  given: ManifestEdition[],
  options: RunOptions,
): Promise<RunResult> {
  validateInput(input);
  const t = tables(schema);
  const { embedder } = options;
  // Rows superseded by earlier runs: readers opened before those runs have reopened by now.
  await client.query(`DELETE FROM ${t.chunks} WHERE gone_gen IS NOT NULL`);
  await client.query(`DELETE FROM ${t.articles} WHERE gone_gen IS NOT NULL`);
  await client.query(`DELETE FROM ${t.editions} WHERE gone_gen IS NOT NULL`);
  const old = await client.query<{ edition_id: string; content_hash: string }>(
    `SELECT edition_id, content_hash FROM ${t.editions} WHERE gone_gen IS NULL`,
  );
  const oldHash = new Map(old.rows.map((r) => [r.edition_id, r.content_hash]));
  const keptIds = new Set(input.keptEditions ?? []);
  for (const id of keptIds) {
    if (!oldHash.has(id)) throw new Error(`kept edition ${id} is not in the archive`);
  }
  for (const edition of given) {
    if (oldHash.get(edition.editionId) === edition.contentHash) keptIds.add(edition.editionId);
  }
  const fresh = given.filter((e) => !keptIds.has(e.editionId));
  const freshIds = new Set(fresh.map((e) => e.editionId));
  const removed = [...oldHash.keys()].filter((id) => !keptIds.has(id) && !freshIds.has(id));
  const byEdition = groupByEdition(input.articles);
  const counters = await nextOrdinals(client, schema);
  let generation = meta.generation;
  let embedded = 0;
  const total = fresh.reduce((n, e) => n + e.chunkCount, 0);
  let done = 0;
  for (const edition of fresh) {
    const articles = byEdition.get(edition.editionId) ?? [];
    const chunks = groupChunks(articles, input.chunks);
    const reuse = await reusableVectors(client, schema, edition.editionId, chunks);
    const { vectors, embeddedCount } = await embedChunks(chunks, reuse, {
      ...options,
      onProgress: (d) => options.onProgress?.(done + d, total),
    });
    done += chunks.length;
    embedded += embeddedCount;
    generation += 1;
    await inTransaction(client, async () => {
      await supersede(client, schema, edition.editionId, generation);
      await insertEdition(client, schema, generation, edition, articles, chunks, vectors, {
        dimensions: embedder.dimensions,
        counters,
      });
      await client.query(`UPDATE ${t.meta} SET generation = $1`, [generation]);
    });
  }
  for (const editionId of removed) {
    generation += 1;
    await inTransaction(client, async () => {
      await supersede(client, schema, editionId, generation);
      await client.query(`UPDATE ${t.meta} SET generation = $1`, [generation]);
    });
  }
  // Fingerprints of unchanged files, so that the next run does not read them again.
  for (const [editionId, fingerprint] of input.sources ?? []) {
    if (!keptIds.has(editionId)) continue;
    await client.query(
      `UPDATE ${t.editions} SET source_file = $2 WHERE edition_id = $1 AND gone_gen IS NULL`,
      [editionId, JSON.stringify(fingerprint)],
    );
  }
  return {
    generation,
    embedded,
    added: fresh.filter((e) => !oldHash.has(e.editionId)).map((e) => e.editionId),
    removed,
    changed: fresh.filter((e) => oldHash.has(e.editionId)).map((e) => e.editionId),
  };
}

async function inTransaction(client: pg.ClientBase, work: () => Promise<void>): Promise<void> {
  await client.query("BEGIN");
  try {
    await work();
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
}

/** Marks an edition's live rows as gone at `generation` and takes their terms off the counts. */
async function supersede(
  client: pg.ClientBase,
  schema: string,
  editionId: string,
  generation: number,
): Promise<void> {
  const t = tables(schema);
  await client.query(
    `UPDATE ${t.terms} AS t SET df = t.df - d.n
       FROM (SELECT term, count(*)::int AS n
               FROM ${t.chunks} c, unnest(tsvector_to_array(c.lexemes)) AS term
              WHERE c.edition_id = $1 AND c.gone_gen IS NULL GROUP BY term) AS d
      WHERE t.term = d.term`,
    [editionId],
  );
  for (const table of [t.chunks, t.articles, t.editions]) {
    await client.query(
      `UPDATE ${table} SET gone_gen = $2 WHERE edition_id = $1 AND gone_gen IS NULL`,
      [editionId, generation],
    );
  }
}

/** The vectors an edition's live chunks already have, by chunk id, with their text's hash. */
async function reusableVectors(
  client: pg.ClientBase,
  schema: string,
  editionId: string,
  chunks: readonly Chunk[],
): Promise<Map<string, { text: string; vector: Float32Array }>> {
  const reuse = new Map<string, { text: string; vector: Float32Array }>();
  if (chunks.length === 0) return reuse;
  const rows = await client.query<{ id: string; embedding: string; data: Chunk }>(
    `SELECT id, embedding::text AS embedding, data FROM ${tables(schema).chunks}
      WHERE edition_id = $1 AND gone_gen IS NULL`,
    [editionId],
  );
  for (const row of rows.rows) {
    reuse.set(row.id, { text: chunkDocumentText(row.data), vector: parseVector(row.embedding) });
  }
  return reuse;
}

/** The next article and chunk ordinals: ordinals are never reused while a reader may hold them. */
async function nextOrdinals(
  client: pg.ClientBase,
  schema: string,
): Promise<{ article: number; chunk: number }> {
  const t = tables(schema);
  const rows = await client.query<{ article: number; chunk: number }>(
    `SELECT (SELECT coalesce(max(article_no) + 1, 0) FROM ${t.articles}) AS article,
            (SELECT coalesce(max(chunk_no) + 1, 0) FROM ${t.chunks}) AS chunk`,
  );
  return rows.rows[0] ?? { article: 0, chunk: 0 };
}

/**
 * Inserts one edition's rows at `generation` and adds its terms to the counts: to
 * `context.termCounts` when given (a full build writes them once), else to the table.
 */
async function insertEdition(
  client: pg.ClientBase,
  schema: string,
  generation: number,
  edition: ManifestEdition,
  articles: readonly Article[],
  chunks: readonly Chunk[],
  vectors: Float32Array,
  context: {
    dimensions: number;
    counters: { article: number; chunk: number };
    termCounts?: Map<string, number>;
  },
): Promise<void> {
  const t = tables(schema);
  const { dimensions, counters } = context;
  await client.query(
    `INSERT INTO ${t.editions} (edition_id, gen, source, paper, date, article_count, chunk_count, content_hash, source_file)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      edition.editionId,
      generation,
      edition.source,
      edition.paper,
      edition.date,
      edition.articleCount,
      edition.chunkCount,
      edition.contentHash,
      edition.sourceFile === undefined ? null : JSON.stringify(edition.sourceFile),
    ],
  );
  const analyses = chunks.map((c) => analyzeChunk(c));
  const analysesOf = new Map<string, ReturnType<typeof analyzeChunk>[]>();
  chunks.forEach((chunk, i) => {
    let list = analysesOf.get(chunk.articleId);
    if (list === undefined) analysesOf.set(chunk.articleId, (list = []));
    list.push(analyses[i] as ReturnType<typeof analyzeChunk>);
  });
  const articleNo = new Map<string, number>();
  for (let start = 0; start < articles.length; start += INSERT_BATCH) {
    const batch = articles.slice(start, start + INSERT_BATCH);
    const numbers = batch.map((a) => {
      const n = counters.article++;
      articleNo.set(a.id, n);
      return n;
    });
    await client.query(
      `INSERT INTO ${t.articles} (article_no, id, edition_id, paper, date, position, gen, data, terms)
       SELECT n, id, e, p, d, pos, $7, data, string_to_array(terms, ' ')
         FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $8::jsonb[], $9::text[])
           AS u(n, id, e, p, d, pos, data, terms)`,
      [
        numbers,
        batch.map((a) => a.id),
        batch.map((a) => a.editionId),
        batch.map((a) => a.paper),
        batch.map((a) => a.date),
        batch.map((a) => a.position),
        generation,
        batch.map((a) => JSON.stringify(a)),
        batch.map((a) => articleTermList(a, analysesOf.get(a.id) ?? []).join(" ")),
      ],
    );
  }
  const df = new Map<string, number>();
  for (let start = 0; start < chunks.length; start += INSERT_BATCH) {
    const batch = chunks.slice(start, start + INSERT_BATCH);
    const rows = batch.map((c, i) => chunkRow(c, analyses[start + i]));
    for (const row of rows)
      for (const term of row.distinctTerms) df.set(term, (df.get(term) ?? 0) + 1);
    await client.query(
      `INSERT INTO ${t.chunks} (chunk_no, id, article_no, edition_id, paper, date, gen, data, doc_len, lexemes, tf, text_hash, embedding)
       SELECT n, id, a, e, p, d, $7, data, len, lex::tsvector, tf, h, v::vector
         FROM unnest($1::int[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $8::jsonb[], $9::int[], $10::text[], $11::jsonb[], $12::text[], $13::text[])
           AS u(n, id, a, e, p, d, data, len, lex, tf, h, v)`,
      [
        batch.map(() => counters.chunk++),
        rows.map((r) => r.id),
        batch.map((c) => articleNo.get(c.articleId) ?? -1),
        batch.map(() => edition.editionId),
        batch.map((c) => c.paper),
        batch.map((c) => c.date),
        generation,
        rows.map((r) => r.data),
        rows.map((r) => r.docLength),
        rows.map((r) => r.lexemes),
        rows.map((r) => r.tf),
        rows.map((r) => r.textHash),
        batch.map((_, i) =>
          vectorLiteral(vectors.subarray((start + i) * dimensions, (start + i + 1) * dimensions)),
        ),
      ],
    );
  }
  if (context.termCounts) {
    for (const [term, n] of df)
      context.termCounts.set(term, (context.termCounts.get(term) ?? 0) + n);
    return;
  }
  await insertTermCounts(client, schema, df);
}

/** Adds the document frequencies to the terms table, a term already there counting both. */
async function insertTermCounts(
  client: pg.ClientBase,
  schema: string,
  df: ReadonlyMap<string, number>,
): Promise<void> {
  const t = tables(schema);
  const terms = [...df.keys()];
  for (let start = 0; start < terms.length; start += INSERT_BATCH * 10) {
    const batch = terms.slice(start, start + INSERT_BATCH * 10);
    await client.query(
      `INSERT INTO ${t.terms} (term, df) SELECT * FROM unnest($1::text[], $2::int[])
       ON CONFLICT (term) DO UPDATE SET df = ${t.terms}.df + excluded.df`,
      [batch, batch.map((term) => df.get(term) ?? 0)],
    );
  }
}

function groupByEdition(articles: readonly Article[]): Map<string, Article[]> {
  const byEdition = new Map<string, Article[]>();
  for (const article of articles) {
    let list = byEdition.get(article.editionId);
    if (list === undefined) byEdition.set(article.editionId, (list = []));
    list.push(article);
  }
  return byEdition;
}

/** The chunks of `articles`, grouped by article in article order and by ordinal within each. */
function groupChunks(articles: readonly Article[], chunks: readonly Chunk[]): Chunk[] {
  const wanted = new Set(articles.map((a) => a.id));
  const byArticle = new Map<string, Chunk[]>();
  for (const chunk of chunks) {
    if (!wanted.has(chunk.articleId)) continue;
    let list = byArticle.get(chunk.articleId);
    if (list === undefined) byArticle.set(chunk.articleId, (list = []));
    list.push(chunk);
  }
  return articles.flatMap((a) => (byArticle.get(a.id) ?? []).sort((x, y) => x.ordinal - y.ordinal));
}
