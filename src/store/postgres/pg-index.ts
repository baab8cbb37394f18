import type pg from "pg";
import { IndexError } from "../../errors.js";
import type { Embedder } from "../../embeddings/embedder.js";
import { LruMap } from "../../lru.js";
import { primeTokens } from "../../text/words.js";
import { splitSentences } from "../../text/sentences.js";
import type { Article, Chunk } from "../../types.js";
import { BM25_B, BM25_K1 } from "../lexical.js";
import { assertSameEmbedder } from "../manifest.js";
import { type StoredChunk, unpackTerms } from "../segment-format.js";
import { HNSW_EF_SEARCH } from "../vectors.js";
import type {
  IndexManifest,
  LexicalHit,
  ManifestEdition,
  NewsIndex,
  SourceFingerprint,
  VectorHit,
} from "../types.js";
import { vectorLiteral } from "./rows.js";
import {
  PG_FORMAT_VERSION,
  type PgTarget,
  createPool,
  describeTarget,
  ensurePgvector,
  tables,
} from "./schema.js";
import { SyncClient } from "./sync-client.js";

/** Chunk and article records kept parsed, as the embedded index's caches (about one question's). */
const RECORD_CACHE = 1_000;
/** Document frequencies kept. */
const TERM_CACHE = 20_000;
/**
 * Postings a lexical query scores at most, as a sum of its terms' document frequencies: the
 * rarest terms select the candidates and every term scores them. A chunk that holds only the
 * commonest terms of a question cannot outscore one that holds a rare one, so the top hits are
 * those of full BM25 (the embedded index prunes the same way, with MaxScore).
 */
const CANDIDATE_POSTINGS = 20_000;
/** A filtered search asks for this many times the hits wanted, and more if the filter keeps too few. */
const FILTER_FACTOR = 4;

const FIX = "Rebuild it: INDEX_URL=… npm run index -- --full";

/**
 * The archive in PostgreSQL, opened at one generation: it sees the editions committed by then,
 * whole, and none committed later (reopen to see them). The catalog (which chunk belongs to which
 * article and edition) is held in memory, as the embedded index holds its own; records, terms and
 * searches are queried, behind caches.
 */
export class PgIndex implements NewsIndex {
  readonly chunkCount: number;
  private readonly chunkArticle: Int32Array;
  private readonly articleIds: string[];
  private readonly articleEdition: Int32Array;
  private readonly editionIds: string[];
  private readonly articleByid: Map<string, number>;
  private editionArticles: Map<string, string[]> | undefined;
  private readonly chunkCache = new LruMap<number, Chunk>(RECORD_CACHE);
  private readonly articleCache = new LruMap<number, { article: Article; terms: string[] }>(
    RECORD_CACHE,
  );
  private readonly dfCache = new LruMap<string, number>(TERM_CACHE);
  private readonly visible: string;
  private closed = false;
  /** Pool connections that have run SEARCH_SETTINGS. */
  private readonly configured = new WeakSet<pg.PoolClient>();

  private constructor(
    readonly manifest: IndexManifest,
    private readonly schema: string,
    private readonly pool: pg.Pool,
    private readonly sync: SyncClient,
    private readonly generation: number,
    catalog: Catalog,
    private readonly stats: { docCount: number; avgDocLength: number },
  ) {
    this.visible = visibleAt(generation);
    this.chunkArticle = catalog.chunkArticle;
    this.chunkCount = catalog.chunkArticle.length;
    this.articleIds = catalog.articleIds;
    this.articleEdition = catalog.articleEdition;
    this.editionIds = catalog.editionIds;
    this.articleByid = new Map(catalog.articleIds.map((id, i) => [id, i]));
  }

  /**
   * Opens the archive at `target` at its latest generation and restores the embedder's state.
   * Throws IndexError: INDEX_MISSING (no archive, or a server without pgvector), INDEX_VERSION
   * (other format), INDEX_EMBEDDER (built by another embedder), each with the fix.
   */
  static async open(target: PgTarget, embedder: Embedder): Promise<PgIndex> {
    const pool = createPool(target);
    const where = describeTarget(target);
    const t = tables(target.schema);
    try {
      const client = await pool.connect();
      let meta: MetaRow | undefined;
      try {
        await ensurePgvector(client, where);
        const found = await client.query<{ found: string | null }>(
          "SELECT to_regclass($1) AS found",
          [`"${target.schema}".meta`],
        );
        if (found.rows[0]?.found != null) {
          meta = (await client.query<MetaRow>(`SELECT * FROM ${t.meta}`)).rows[0];
        }
      } finally {
        client.release();
      }
      if (meta === undefined) {
        throw new IndexError(
          "INDEX_MISSING",
          `No archive in ${where}. Build it: INDEX_URL=… npm run index.`,
        );
      }
      if (meta.format_version !== PG_FORMAT_VERSION) {
        throw new IndexError(
          "INDEX_VERSION",
          `The archive in ${where} is of format ${meta.format_version}; this version reads ${PG_FORMAT_VERSION}. ${FIX}`,
        );
      }
      const generation = meta.generation;
      const visible = visibleAt(generation);
      const [editions, catalog, stats] = await Promise.all([
        pool.query<EditionRow>(`SELECT * FROM ${t.editions} WHERE ${visible} ORDER BY position`),
        readCatalog(pool, target.schema, visible),
        pool.query<{ docs: number; total: string | null }>(
          `SELECT count(*)::int AS docs, sum(doc_len)::text AS total FROM ${t.chunks} WHERE ${visible}`,
        ),
      ]);
      const manifest = manifestOf(meta, editions.rows, catalog);
      assertSameEmbedder(manifest, embedder);
      restoreState(embedder, meta.embedder_state, where);
      const docs = stats.rows[0]?.docs ?? 0;
      const total = Number(stats.rows[0]?.total ?? 0);
      const sync = new SyncClient(
        { connectionString: target.connectionString, application_name: "local-news-bot" },
        SEARCH_SETTINGS,
      );
      return new PgIndex(manifest, target.schema, pool, sync, generation, catalog, {
        docCount: docs,
        avgDocLength: docs > 0 ? total / docs : 0,
      });
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw error;
    }
  }

  chunkAt(chunkIndex: number): Chunk {
    this.articleOrdinalOf(chunkIndex);
    const cached = this.chunkCache.get(chunkIndex);
    if (cached !== undefined) return cached;
    const rows = this.sync.query<{ data: StoredChunk }>(
      `SELECT data FROM ${this.t.chunks} WHERE chunk_no = $1`,
      [chunkIndex],
    );
    const row = rows[0];
    if (row === undefined) throw this.vanished(`chunk ${chunkIndex}`);
    return this.keepChunk(chunkIndex, row.data);
  }

  getChunk(chunkId: string): Chunk | undefined {
    const cut = chunkId.lastIndexOf("#");
    if (cut < 0) return undefined;
    return this.chunksOfArticle(chunkId.slice(0, cut)).find((c) => c.id === chunkId);
  }

  getArticle(articleId: string): Article | undefined {
    return this.articleRecord(articleId)?.article;
  }

  articleTerms(articleId: string): readonly string[] | undefined {
    return this.articleRecord(articleId)?.terms;
  }

  articles(): readonly Article[] {
    const rows = this.sync.query<{ data: Article }>(
      `SELECT data FROM ${this.t.articles} WHERE ${this.visible} ORDER BY article_no`,
    );
    return rows.map((r) => r.data);
  }

  chunksOfArticle(articleId: string): readonly Chunk[] {
    const ordinal = this.articleByid.get(articleId);
    if (ordinal === undefined) return [];
    const rows = this.sync.query<{ chunk_no: number; data: StoredChunk }>(
      `SELECT chunk_no, data FROM ${this.t.chunks} WHERE article_no = $1 AND ${this.visible}`,
      [ordinal],
    );
    return rows
      .map((r) => this.chunkCache.get(r.chunk_no) ?? this.keepChunk(r.chunk_no, r.data))
      .sort((a, b) => a.ordinal - b.ordinal);
  }

  articleIdsOfEdition(editionId: string): readonly string[] {
    if (this.editionArticles === undefined) {
      const byEdition = new Map<string, string[]>();
      this.articleIds.forEach((id, i) => {
        if (id === "") return;
        const edition = this.editionIds[this.articleEdition[i] ?? -1] ?? "";
        const ids = byEdition.get(edition);
        if (ids === undefined) byEdition.set(edition, [id]);
        else ids.push(id);
      });
      this.editionArticles = byEdition;
    }
    return this.editionArticles.get(editionId) ?? [];
  }

  editionOfChunk(chunkIndex: number): string {
    const article = this.articleOrdinalOf(chunkIndex);
    return this.editionIds[this.articleEdition[article] ?? -1] ?? "";
  }

  articleIdOfChunk(chunkIndex: number): string {
    return this.articleIds[this.articleOrdinalOf(chunkIndex)] ?? "";
  }

  searchLexical(
    terms: readonly string[],
    k: number,
    filter?: (chunkIndex: number) => boolean,
  ): LexicalHit[] {
    if (k <= 0) return [];
    const query = this.lexicalQuery(terms);
    if (query === undefined) return [];
    return this.filtered(k, filter, (limit) =>
      this.keepHits(this.sync.query<HitRow>(query.text, [...query.values, limit])),
    );
  }

  searchVector(
    vector: Float32Array,
    k: number,
    filter?: (chunkIndex: number) => boolean,
  ): VectorHit[] {
    if (k <= 0) return [];
    const text = this.vectorQuery();
    const literal = vectorLiteral(vector);
    return this.filtered(k, filter, (limit) =>
      this.keepHits(this.sync.query<HitRow>(text, [literal, limit])),
    );
  }

  async searchVectorReadingAhead(
    vector: Float32Array,
    k: number,
    filter?: (chunkIndex: number) => boolean,
  ): Promise<VectorHit[]> {
    if (k <= 0) return [];
    const text = this.vectorQuery();
    const literal = vectorLiteral(vector);
    let limit = filter === undefined ? k : k * FILTER_FACTOR;
    for (;;) {
      const client = await this.pool.connect();
      let rows: HitRow[];
      try {
        if (!this.configured.has(client)) {
          // Each on its own: a server without one (an older pgvector) keeps its default.
          for (const setting of SEARCH_SETTINGS) await client.query(setting).catch(() => undefined);
          this.configured.add(client);
        }
        rows = (await client.query<HitRow>(text, [literal, limit])).rows;
      } finally {
        client.release();
      }
      const hits = this.keepHits(rows);
      const kept = filter === undefined ? hits : hits.filter((h) => filter(h.chunkIndex));
      if (kept.length >= k || rows.length < limit) return kept.slice(0, k);
      limit *= FILTER_FACTOR;
    }
  }

  async prefetchChunks(chunkIndexes: readonly number[]): Promise<void> {
    const wanted = chunkIndexes.filter(
      (i) =>
        Number.isInteger(i) &&
        i >= 0 &&
        i < this.chunkCount &&
        (this.chunkArticle[i] ?? -1) >= 0 &&
        this.chunkCache.get(i) === undefined,
    );
    const articles = [
      ...new Set(
        chunkIndexes
          .filter((i) => Number.isInteger(i) && i >= 0 && i < this.chunkCount)
          .map((i) => this.chunkArticle[i] ?? -1)
          .filter((a) => a >= 0 && this.articleCache.get(a) === undefined),
      ),
    ];
    try {
      const [chunks, records] = await Promise.all([
        wanted.length === 0
          ? undefined
          : this.pool.query<{ chunk_no: number; data: StoredChunk }>(
              `SELECT chunk_no, data FROM ${this.t.chunks} WHERE chunk_no = ANY($1::int[])`,
              [wanted],
            ),
        articles.length === 0
          ? undefined
          : this.pool.query<ArticleRow>(
              `SELECT article_no, data, terms FROM ${this.t.articles} WHERE article_no = ANY($1::int[])`,
              [articles],
            ),
      ]);
      for (const row of chunks?.rows ?? []) this.keepChunk(row.chunk_no, row.data);
      for (const row of records?.rows ?? []) this.keepArticle(row);
    } catch {
      // A hint only: the synchronous reads that follow report any real problem.
    }
  }

  async prefetchTerms(terms: readonly string[]): Promise<void> {
    const missing = [...new Set(terms)].filter((t) => this.dfCache.get(t) === undefined);
    if (missing.length === 0) return;
    try {
      const rows = await this.pool.query<{ term: string; df: number }>(
        `SELECT term, df FROM ${this.t.terms} WHERE term = ANY($1::text[])`,
        [missing],
      );
      const found = new Map(rows.rows.map((r) => [r.term, r.df]));
      for (const term of missing) this.dfCache.set(term, Math.max(0, found.get(term) ?? 0));
    } catch {
      // A hint only, as prefetchChunks.
    }
  }

  documentFrequency(term: string): number {
    const cached = this.dfCache.get(term);
    if (cached !== undefined) return cached;
    const rows = this.sync.query<{ df: number }>(`SELECT df FROM ${this.t.terms} WHERE term = $1`, [
      term,
    ]);
    const df = Math.max(0, rows[0]?.df ?? 0);
    this.dfCache.set(term, df);
    return df;
  }

  /** Nothing to warm: the server keeps its own cache. */
  prewarm(): void {}

  holdWarming(): () => void {
    return () => undefined;
  }

  /** Nothing is left for after the first answer: the catalog is built at open. */
  completeStart(): void {}

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.sync.close();
    void this.pool.end().catch(() => undefined);
  }

  private get t(): ReturnType<typeof tables> {
    return tables(this.schema);
  }

  /** The article ordinal of a live chunk. Throws RangeError for any other ordinal. */
  private articleOrdinalOf(chunkIndex: number): number {
    if (!Number.isInteger(chunkIndex) || chunkIndex < 0 || chunkIndex >= this.chunkCount) {
      throw new RangeError(`chunk index ${chunkIndex} is outside 0..${this.chunkCount - 1}`);
    }
    const article = this.chunkArticle[chunkIndex] ?? -1;
    if (article < 0) throw new RangeError(`chunk index ${chunkIndex} is not in this archive`);
    return article;
  }

  private articleRecord(articleId: string): { article: Article; terms: string[] } | undefined {
    const ordinal = this.articleByid.get(articleId);
    if (ordinal === undefined) return undefined;
    const cached = this.articleCache.get(ordinal);
    if (cached !== undefined) return cached;
    const rows = this.sync.query<ArticleRow>(
      `SELECT article_no, data, terms FROM ${this.t.articles} WHERE article_no = $1`,
      [ordinal],
    );
    const row = rows[0];
    if (row === undefined) throw this.vanished(`article ${articleId}`);
    return this.keepArticle(row);
  }

  private keepArticle(row: ArticleRow): { article: Article; terms: string[] } {
    const record = { article: row.data, terms: row.terms };
    this.articleCache.set(row.article_no, record);
    return record;
  }

  /** Caches a chunk read from its row; the terms stored with it prime the tokenizer's cache. */
  private keepChunk(chunkIndex: number, stored: StoredChunk): Chunk {
    const packed = stored.$sentenceTerms;
    delete stored.$sentenceTerms;
    if (packed !== undefined) {
      const sentences = splitSentences(stored.text);
      const sentenceTerms = unpackTerms(packed, sentences.length);
      if (sentenceTerms.length === sentences.length) {
        sentences.forEach((s, i) => primeTokens(s.trim(), sentenceTerms[i] ?? []));
        primeTokens(stored.text, sentenceTerms.flat());
      }
    }
    this.chunkCache.set(chunkIndex, stored);
    return stored;
  }

  /** Hits of a search, their chunks cached (a caller's filter reads them next), best first. */
  private keepHits(rows: readonly HitRow[]): LexicalHit[] {
    const hits = rows
      .filter((r) => (this.chunkArticle[r.chunk_no] ?? -1) >= 0)
      .map((r) => {
        if (this.chunkCache.get(r.chunk_no) === undefined) this.keepChunk(r.chunk_no, r.data);
        return { chunkIndex: r.chunk_no, score: r.score };
      });
    return hits.sort((a, b) => b.score - a.score || a.chunkIndex - b.chunkIndex);
  }

  /**
   * Asks `search` for k hits, or more when `filter` drops some: a filter is a function of the
   * caller's, which the server cannot run, so it is applied here to ever larger result lists.
   */
  private filtered<T extends { chunkIndex: number }>(
    k: number,
    filter: ((chunkIndex: number) => boolean) | undefined,
    search: (limit: number) => T[],
  ): T[] {
    let limit = filter === undefined ? k : k * FILTER_FACTOR;
    for (;;) {
      const hits = search(limit);
      const kept = filter === undefined ? hits : hits.filter((h) => filter(h.chunkIndex));
      if (kept.length >= k || hits.length < limit) return kept.slice(0, k);
      limit *= FILTER_FACTOR;
    }
  }

  /**
   * The SQL of a BM25 search (k1 1.2, b 0.75, idf ln(1 + (N - df + 0.5)/(df + 0.5)), as the
   * embedded index) over the chunks matching its rarest terms (CANDIDATE_POSTINGS), with the
   * limit as its last parameter; undefined when no term occurs.
   */
  private lexicalQuery(terms: readonly string[]): { text: string; values: unknown[] } | undefined {
    const distinct = [...new Set(terms)].filter((t) => t.length > 0);
    const known = distinct
      .map((term) => ({ term, df: this.documentFrequency(term) }))
      .filter((t) => t.df > 0)
      .sort((a, b) => a.df - b.df || (a.term < b.term ? -1 : 1));
    if (known.length === 0) return undefined;
    const n = this.stats.docCount;
    const drivers: string[] = [];
    let postings = 0;
    for (const { term, df } of known) {
      if (drivers.length > 0 && postings + df > CANDIDATE_POSTINGS) break;
      drivers.push(term);
      postings += df;
    }
    const avgdl = this.stats.avgDocLength || 1;
    const text = `
      SELECT c.chunk_no, c.data, s.score
        FROM ${this.t.chunks} c,
             LATERAL (SELECT sum(q.idf * x.tf * ${BM25_K1 + 1} /
                                 (x.tf + ${BM25_K1} * (${1 - BM25_B} + ${BM25_B} * c.doc_len / $4::float8))) AS score
                        FROM unnest($1::text[], $2::float8[]) AS q(term, idf),
                             LATERAL (SELECT (c.tf ->> q.term)::float8 AS tf) AS x
                       WHERE x.tf IS NOT NULL) AS s
       WHERE c.lexemes @@ $3::tsquery AND ${visibleAt(this.generation, "c.")}
       ORDER BY s.score DESC, c.chunk_no
       LIMIT $5`;
    return {
      text,
      values: [
        known.map((t) => t.term),
        known.map((t) => Math.log(1 + (n - t.df + 0.5) / (t.df + 0.5))),
        drivers.map(quoteLexeme).join(" | "),
        avgdl,
      ],
    };
  }

  private vectorQuery(): string {
    return `SELECT chunk_no, data, -(embedding <#> $1::vector) AS score FROM ${this.t.chunks}
             WHERE ${this.visible} ORDER BY embedding <#> $1::vector LIMIT $2`;
  }

  private vanished(what: string): IndexError {
    return new IndexError(
      "INDEX_CORRUPT",
      `${what} of generation ${this.generation} is gone from the archive: an index run removed it ` +
        "while this reader still served that generation. Reload the bot (or restart it).",
    );
  }
}

/**
 * Settings of every connection that searches: the embedded index's search breadth, and
 * pgvector's iterative scan (0.8 and later), so that rows of other generations that the graph
 * search skips do not leave fewer than k hits. A server without them keeps its defaults.
 */
export const SEARCH_SETTINGS = [
  `SET hnsw.ef_search = ${HNSW_EF_SEARCH}`,
  "SET hnsw.iterative_scan = relaxed_order",
];

/** The condition a row is visible to a reader at `generation` under (`alias` prefixes columns). */
function visibleAt(generation: number, alias = ""): string {
  return `${alias}gen <= ${generation} AND (${alias}gone_gen IS NULL OR ${alias}gone_gen > ${generation})`;
}

/** A tsquery lexeme, quoted so that the query parser takes it as it is. */
function quoteLexeme(term: string): string {
  return `'${term.replace(/\\/gu, "\\\\").replace(/'/gu, "''")}'`;
}

interface MetaRow {
  format_version: number;
  embedder_id: string;
  dimensions: number;
  embedder_state: Buffer | null;
  generation: number;
  created_at: Date;
}

interface EditionRow {
  edition_id: string;
  source: string;
  paper: string;
  date: string | null;
  article_count: number;
  chunk_count: number;
  content_hash: string;
  source_file: SourceFingerprint | null;
}

interface ArticleRow {
  article_no: number;
  data: Article;
  terms: string[];
}

interface HitRow {
  chunk_no: number;
  data: StoredChunk;
  score: number;
}

interface Catalog {
  /** Per chunk ordinal, its article's ordinal; -1 where no live chunk has it. */
  chunkArticle: Int32Array;
  /** Per article ordinal, its id; "" where no live article has it. */
  articleIds: string[];
  /** Per article ordinal, its edition's index in `editionIds`. */
  articleEdition: Int32Array;
  editionIds: string[];
}

/**
 * The largest of the ordinals, or -1 for none. A loop: `Math.max(...values)` passes each value as
 * an argument, and an archive's 100,000s of ordinals overflow the call stack.
 */
export function largestOf(values: readonly number[]): number {
  let largest = -1;
  for (const v of values) if (v > largest) largest = v;
  return largest;
}

/** Reads which chunk belongs to which article and edition, for the rows visible to a reader. */
async function readCatalog(pool: pg.Pool, schema: string, visible: string): Promise<Catalog> {
  const t = tables(schema);
  const [articles, chunks] = await Promise.all([
    pool.query<{ n: number[]; id: string[]; e: string[] }>(
      `SELECT coalesce(array_agg(article_no ORDER BY article_no), '{}') AS n,
              coalesce(array_agg(id ORDER BY article_no), '{}') AS id,
              coalesce(array_agg(edition_id ORDER BY article_no), '{}') AS e
         FROM ${t.articles} WHERE ${visible}`,
    ),
    pool.query<{ n: number[]; a: number[] }>(
      `SELECT coalesce(array_agg(chunk_no), '{}') AS n, coalesce(array_agg(article_no), '{}') AS a
         FROM ${t.chunks} WHERE ${visible}`,
    ),
  ]);
  const a = articles.rows[0] ?? { n: [], id: [], e: [] };
  const c = chunks.rows[0] ?? { n: [], a: [] };
  const articleCount = largestOf(a.n) + 1;
  const chunkCount = largestOf(c.n) + 1;
  const articleIds = new Array<string>(articleCount).fill("");
  const articleEdition = new Int32Array(articleCount).fill(-1);
  const editionIndex = new Map<string, number>();
  a.n.forEach((n, i) => {
    articleIds[n] = a.id[i] ?? "";
    const edition = a.e[i] ?? "";
    let e = editionIndex.get(edition);
    if (e === undefined) editionIndex.set(edition, (e = editionIndex.size));
    articleEdition[n] = e;
  });
  const chunkArticle = new Int32Array(chunkCount).fill(-1);
  c.n.forEach((n, i) => {
    chunkArticle[n] = c.a[i] ?? -1;
  });
  return { chunkArticle, articleIds, articleEdition, editionIds: [...editionIndex.keys()] };
}

function manifestOf(meta: MetaRow, rows: readonly EditionRow[], catalog: Catalog): IndexManifest {
  const editions = rows.map((r): ManifestEdition => {
    const edition: ManifestEdition = {
      editionId: r.edition_id,
      source: r.source,
      paper: r.paper,
      date: r.date,
      articleCount: r.article_count,
      chunkCount: r.chunk_count,
      contentHash: r.content_hash,
      segment: "postgres",
    };
    if (r.source_file !== null) edition.sourceFile = r.source_file;
    return edition;
  });
  let chunks = 0;
  for (const a of catalog.chunkArticle) if (a >= 0) chunks++;
  return {
    formatVersion: meta.format_version,
    embedder: { id: meta.embedder_id, dimensions: meta.dimensions },
    createdAt: meta.created_at.toISOString(),
    counts: {
      editions: editions.length,
      articles: catalog.articleIds.filter((id) => id !== "").length,
      chunks,
    },
    editions,
    segments: [],
    checksums: {},
  };
}

/** Hands the archive's saved corpus statistics back to a stateful embedder (as `openIndex`). */
function restoreState(embedder: Embedder, state: Buffer | null, where: string): void {
  if (state === null) {
    if (embedder.fit !== undefined) {
      throw new IndexError(
        "INDEX_EMBEDDER",
        `The archive in ${where} holds no state for ${embedder.id}. ${FIX}`,
      );
    }
    return;
  }
  if (embedder.restoreState === undefined) {
    throw new IndexError(
      "INDEX_EMBEDDER",
      `The archive in ${where} holds embedder state but ${embedder.id} cannot restore it. ${FIX}`,
    );
  }
  try {
    embedder.restoreState(new Uint8Array(state));
  } catch (cause) {
    throw new IndexError(
      "INDEX_EMBEDDER",
      `${embedder.id} refused the state saved in ${where}. ${FIX}`,
      { cause },
    );
  }
}

/**
 * The manifest of the archive at `target` (its live editions, for an incremental run), or
 * undefined when there is none or it is unreadable (the writer then rebuilds it, saying why).
 * Never throws.
 */
export async function readPgManifest(target: PgTarget): Promise<IndexManifest | undefined> {
  const pool = createPool(target, 1);
  const t = tables(target.schema);
  try {
    const found = await pool.query<{ found: string | null }>("SELECT to_regclass($1) AS found", [
      `"${target.schema}".meta`,
    ]);
    if (found.rows[0]?.found == null) return undefined;
    const meta = (await pool.query<MetaRow>(`SELECT * FROM ${t.meta}`)).rows[0];
    if (meta === undefined) return undefined;
    const editions = await pool.query<EditionRow>(
      `SELECT * FROM ${t.editions} WHERE ${visibleAt(meta.generation)} ORDER BY position`,
    );
    const empty: Catalog = {
      chunkArticle: new Int32Array(0),
      articleIds: [],
      articleEdition: new Int32Array(0),
      editionIds: [],
    };
    return manifestOf(meta, editions.rows, empty);
  } catch {
    return undefined;
  } finally {
    await pool.end().catch(() => undefined);
  }
}
