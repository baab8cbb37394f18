/**
 * The benchmark's measured phases. Each runs in its own child process (child.ts, started by
 * scripts/bench.ts), so that its peak RSS is its own: our index build, incremental add, and
 * serving; and the anchors a user would otherwise pick, LangChain's HNSWLib with its JSON
 * docstore and a jieba BM25 over MiniSearch, built from the same loader and chunker. Heavy
 * modules are imported inside each phase so that a serving child loads only what serving needs.
 */
import fs from "node:fs";
import path from "node:path";
import type { Embedder } from "../embeddings/embedder.js";
import type { Engine } from "../engine.js";
import type { Chunk } from "../types.js";
import { summarizeLatencies, type LatencySummary } from "./stats.js";

/** What the bench writes for a phase's child (child.ts). */
export interface ChildJob {
  phase: string;
  editionsDir: string;
  nextEditionFile: string;
  workDir: string;
  questionsFile: string;
  /** The data folder, under which a model embedder keeps its cache. */
  dataDir: string;
  /** INDEX_URL of the archive in PostgreSQL, for the `pg-…` phases. */
  indexUrl?: string;
}

/** A serving phase's child prints this line right after its first answer; the bench times it. */
export const FIRST_ANSWER_LINE = "BENCH_FIRST_ANSWER";
/** Starts the line that carries a phase's result as JSON. */
export const RESULT_PREFIX = "BENCH_RESULT ";

/** What every phase reports, besides its own figures. */
export interface PhaseResult {
  /** Peak resident set size of the child process, in MiB. */
  maxRssMb: number;
  [figure: string]: unknown;
}

/** A phase's inputs: folders and files of this run, and the embedder to use. */
export interface PhaseContext {
  editionsDir: string;
  nextEditionFile: string;
  workDir: string;
  questions: readonly string[];
  createEmbedder: () => Promise<Embedder>;
  /** Called once, right after the first answer (the parent timestamps it for the cold start). */
  onFirstAnswer: () => void;
  /** INDEX_URL of the archive in PostgreSQL, for the `pg-…` phases. */
  indexUrl?: string | undefined;
}

/** Folder of our index within the work folder. */
export const OUR_INDEX = "index";
/** Folder LangChain's HNSWLib saves into. */
export const LANGCHAIN_STORE = "langchain-hnswlib";
/** MiniSearch's serialised index. */
export const MINISEARCH_FILE = "minisearch.json";
/** The embedder state fitted for the LangChain store (the hashed embedder learns idf). */
const LANGCHAIN_EMBEDDER_STATE = "embedder-state.bin";
/**
 * Chunks per LangChain addDocuments call: bounds the number[][] held at once (fromDocuments would
 * hold every vector of 150,000 articles), while keeping HNSWLib's index resizes (a copy each) few.
 */
const LANGCHAIN_BATCH = 10_000;
const TOP_K = 10;

/** The phases by name. */
export const PHASES: Record<string, (ctx: PhaseContext) => Promise<PhaseResult>> = {
  "ours-build": oursBuild,
  "ours-add": oursAdd,
  "ours-serve": oursServe,
  "ours-restart": oursRestart,
  "pg-build": pgBuild,
  "pg-add": pgAdd,
  "pg-serve": pgServe,
  "pg-restart": pgRestart,
  "pg-overlap": pgOverlap,
  "langchain-build": langchainBuild,
  "langchain-serve": langchainServe,
  "langchain-restart": langchainRestart,
  "bm25-build": bm25Build,
  "bm25-serve": bm25Serve,
  "bm25-restart": bm25Restart,
};

/** Peak RSS of this process in MiB (Linux reports maxRSS in KiB). Never throws. */
export function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/** Total size of the files under `p` in bytes (0 when it does not exist). Never throws. */
export function diskBytes(p: string): number {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.size;
  let total = 0;
  for (const name of fs.readdirSync(p)) total += diskBytes(path.join(p, name));
  return total;
}

async function oursBuild(ctx: PhaseContext, indexUrl?: string): Promise<PhaseResult> {
  const { runIndexJob } = await import("../indexer.js");
  const embedder = await ctx.createEmbedder();
  const indexDir = path.join(ctx.workDir, OUR_INDEX);
  const t0 = performance.now();
  const result = await runIndexJob({
    editionDirs: [ctx.editionsDir],
    indexDir,
    indexUrl,
    embedder,
    full: true,
  });
  const seconds = (performance.now() - t0) / 1000;
  return {
    seconds,
    articles: result.articles,
    chunks: result.chunks,
    articlesPerSecond: result.articles / seconds,
    diskMb:
      indexUrl === undefined
        ? diskBytes(indexDir) / 2 ** 20
        : (await archiveBytes(indexUrl)) / 2 ** 20,
    maxRssMb: peakRssMb(),
  };
}

async function oursAdd(ctx: PhaseContext, indexUrl?: string): Promise<PhaseResult> {
  const { runIndexJob } = await import("../indexer.js");
  const embedder = await ctx.createEmbedder();
  const t0 = performance.now();
  const result = await runIndexJob({
    editionDirs: [ctx.editionsDir],
    editionFiles: [ctx.nextEditionFile],
    indexDir: path.join(ctx.workDir, OUR_INDEX),
    indexUrl,
    embedder,
  });
  return {
    seconds: (performance.now() - t0) / 1000,
    embedded: result.embedded,
    reused: result.reused,
    addedEditions: result.addedEditions.length,
    maxRssMb: peakRssMb(),
  };
}

/** Opens our engine on the phase's index; `openMs` counts from before its modules load. */
async function openOurEngine(
  ctx: PhaseContext,
  indexUrl?: string,
): Promise<{ engine: Engine; openMs: number }> {
  const t0 = performance.now();
  const { createEngine } = await import("../engine.js");
  const engine = await createEngine({
    indexDir: path.join(ctx.workDir, OUR_INDEX),
    indexUrl,
    embedder: await ctx.createEmbedder(),
  });
  return { engine, openMs: performance.now() - t0 };
}

async function oursServe(ctx: PhaseContext, indexUrl?: string): Promise<PhaseResult> {
  const { engine, openMs } = await openOurEngine(ctx, indexUrl);
  const latency = await measure(ctx, async (q) => {
    await engine.ask(q);
  });
  // The like-for-like figure for LangChain's similaritySearch: embed the question, k nearest.
  const vectorOnly: number[] = [];
  for (const q of ctx.questions) {
    const t = performance.now();
    engine.index.searchVector(await engine.embedder.embedQuery(q), TOP_K);
    vectorOnly.push(performance.now() - t);
  }
  return {
    openMs,
    ...latency,
    vectorSearchLatency: summarizeLatencies(vectorOnly),
    maxRssMb: peakRssMb(),
  };
}

/**
 * A restart of a serving process: open the index and answer one question, nothing more. The
 * first serving child may find the index's files out of the page cache (building and adding
 * wrote others since); a restart finds them cached, as a bot restarted on the same machine does.
 */
async function oursRestart(ctx: PhaseContext, indexUrl?: string): Promise<PhaseResult> {
  const { engine, openMs } = await openOurEngine(ctx, indexUrl);
  await engine.ask(ctx.questions[0] ?? "新闻");
  ctx.onFirstAnswer();
  return { openMs, maxRssMb: peakRssMb() };
}

/** The phases of the archive in PostgreSQL: ours, with INDEX_URL. */
function pgUrl(ctx: PhaseContext): string {
  if (ctx.indexUrl === undefined) throw new Error("a pg- phase needs the job's indexUrl");
  return ctx.indexUrl;
}

async function pgBuild(ctx: PhaseContext): Promise<PhaseResult> {
  return oursBuild(ctx, pgUrl(ctx));
}

async function pgAdd(ctx: PhaseContext): Promise<PhaseResult> {
  return oursAdd(ctx, pgUrl(ctx));
}

async function pgServe(ctx: PhaseContext): Promise<PhaseResult> {
  return oursServe(ctx, pgUrl(ctx));
}

async function pgRestart(ctx: PhaseContext): Promise<PhaseResult> {
  return oursRestart(ctx, pgUrl(ctx));
}

/**
 * How closely the archive in PostgreSQL ranks like the embedded index, over the bench's
 * questions: the share of the embedded index's BM25 top 10 that PostgreSQL's top 10 holds, the
 * share in the same order, and the same for the vector top 10. Chunks are compared by id.
 */
async function pgOverlap(ctx: PhaseContext): Promise<PhaseResult> {
  const { openArchive } = await import("../store/archive.js");
  const { analyzeQuery } = await import("../retrieval/query.js");
  const indexDir = path.join(ctx.workDir, OUR_INDEX);
  const embedded = await openArchive({ indexDir }, await ctx.createEmbedder());
  const embedder = await ctx.createEmbedder();
  const postgres = await openArchive({ indexDir, indexUrl: pgUrl(ctx) }, embedder);
  const ids = (index: typeof embedded, hits: readonly { chunkIndex: number }[]): string[] =>
    hits.map((h) => index.chunkAt(h.chunkIndex).id);
  const share = (ours: readonly string[], theirs: readonly string[]): number =>
    ours.length === 0 ? 1 : ours.filter((id) => theirs.includes(id)).length / ours.length;
  let lexical = 0;
  let lexicalSameOrder = 0;
  let vector = 0;
  try {
    for (const question of ctx.questions) {
      const query = analyzeQuery(question);
      const terms = [...query.terms, ...query.expansions];
      const a = ids(embedded, embedded.searchLexical(terms, TOP_K));
      const b = ids(postgres, postgres.searchLexical(terms, TOP_K));
      lexical += share(a, b);
      if (a.join("\n") === b.join("\n")) lexicalSameOrder++;
      const v = await embedder.embedQuery(query.simplified);
      vector += share(
        ids(embedded, embedded.searchVector(v, TOP_K)),
        ids(postgres, postgres.searchVector(v, TOP_K)),
      );
    }
  } finally {
    embedded.close();
    postgres.close();
  }
  const n = Math.max(ctx.questions.length, 1);
  return {
    questions: ctx.questions.length,
    lexicalTop10Overlap: lexical / n,
    lexicalSameOrder: lexicalSameOrder / n,
    vectorTop10Overlap: vector / n,
    maxRssMb: peakRssMb(),
  };
}

/** Bytes of the archive's tables and their indexes on the server (the schema INDEX_URL names). */
async function archiveBytes(indexUrl: string): Promise<number> {
  const { parseIndexUrl } = await import("../store/postgres/postgres.js");
  const { default: pg } = await import("pg");
  const target = parseIndexUrl(indexUrl);
  const client = new pg.Client({ connectionString: target.connectionString });
  await client.connect();
  try {
    const rows = await client.query<{ bytes: string | null }>(
      `SELECT sum(pg_total_relation_size(c.oid))::text AS bytes
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relkind = 'r'`,
      [target.schema],
    );
    return Number(rows.rows[0]?.bytes ?? 0);
  } finally {
    await client.end();
  }
}

async function langchainBuild(ctx: PhaseContext): Promise<PhaseResult> {
  const { HNSWLib } = await import("@langchain/community/vectorstores/hnswlib");
  const { Document } = await import("@langchain/core/documents");
  const { EmbedderEmbeddings } = await import("../embeddings/langchain.js");
  const { chunkDocumentText } = await import("../store/embedded.js");
  const t0 = performance.now();
  const chunks = await loadChunks(ctx.editionsDir);
  const embedder = await ctx.createEmbedder();
  const texts = chunks.map(chunkDocumentText);
  // Same vectors as our index: the hashed embedder learns its idf from the corpus first.
  embedder.fit?.(texts);
  const storeDir = path.join(ctx.workDir, LANGCHAIN_STORE);
  const store = new HNSWLib(new EmbedderEmbeddings(embedder), { space: "cosine" });
  for (let i = 0; i < chunks.length; i += LANGCHAIN_BATCH) {
    const docs = chunks.slice(i, i + LANGCHAIN_BATCH).map(
      (c, k) =>
        new Document({
          pageContent: texts[i + k] ?? "",
          metadata: {
            id: c.id,
            articleId: c.articleId,
            headline: c.headline,
            paper: c.paper,
            date: c.date,
          },
        }),
    );
    await store.addDocuments(docs);
  }
  await store.save(storeDir);
  const state = embedder.exportState?.();
  if (state) fs.writeFileSync(path.join(storeDir, LANGCHAIN_EMBEDDER_STATE), state);
  const seconds = (performance.now() - t0) / 1000;
  return {
    seconds,
    chunks: chunks.length,
    diskMb: diskBytes(storeDir) / 2 ** 20,
    maxRssMb: peakRssMb(),
  };
}

/** Loads LangChain's saved store; `openMs` counts from before its modules load. */
async function openLangchain(ctx: PhaseContext): Promise<{
  store: { similaritySearch(q: string, k: number): Promise<unknown> };
  openMs: number;
}> {
  const t0 = performance.now();
  const { HNSWLib } = await import("@langchain/community/vectorstores/hnswlib");
  const { EmbedderEmbeddings } = await import("../embeddings/langchain.js");
  const storeDir = path.join(ctx.workDir, LANGCHAIN_STORE);
  const embedder = await ctx.createEmbedder();
  const statePath = path.join(storeDir, LANGCHAIN_EMBEDDER_STATE);
  if (fs.existsSync(statePath)) embedder.restoreState?.(new Uint8Array(fs.readFileSync(statePath)));
  const store = await HNSWLib.load(storeDir, new EmbedderEmbeddings(embedder));
  return { store, openMs: performance.now() - t0 };
}

async function langchainServe(ctx: PhaseContext): Promise<PhaseResult> {
  const { store, openMs } = await openLangchain(ctx);
  const latency = await measure(ctx, async (q) => {
    await store.similaritySearch(q, TOP_K);
  });
  return { openMs, ...latency, maxRssMb: peakRssMb() };
}

/** A restart of LangChain's serving process, as `oursRestart`: load, answer one question. */
async function langchainRestart(ctx: PhaseContext): Promise<PhaseResult> {
  const { store, openMs } = await openLangchain(ctx);
  await store.similaritySearch(ctx.questions[0] ?? "新闻", TOP_K);
  ctx.onFirstAnswer();
  return { openMs, maxRssMb: peakRssMb() };
}

/** MiniSearch options shared by build and load: jieba terms as they are, BM25 over two fields. */
async function miniSearchOptions(): Promise<{
  fields: string[];
  storeFields: string[];
  tokenize: (text: string) => string[];
  processTerm: (term: string) => string;
}> {
  const { tokenize } = await import("../text/words.js");
  return {
    fields: ["headline", "text"],
    storeFields: ["chunkId"],
    tokenize: (text) => tokenize(text),
    // tokenize already normalises (simplified, lower-case); MiniSearch would lower-case again.
    processTerm: (term) => term,
  };
}

async function bm25Build(ctx: PhaseContext): Promise<PhaseResult> {
  const { default: MiniSearch } = await import("minisearch");
  const t0 = performance.now();
  const chunks = await loadChunks(ctx.editionsDir);
  const search = new MiniSearch(await miniSearchOptions());
  search.addAll(chunks.map((c, id) => ({ id, chunkId: c.id, headline: c.headline, text: c.text })));
  const seconds = (performance.now() - t0) / 1000;
  // Query latency on the index just built, before saving: MiniSearch saves through one JSON
  // string, which a large archive can push past V8's string limit or heap.
  const inMemory = await measure(ctx, (q) => {
    search.search(q).slice(0, TOP_K);
    return Promise.resolve();
  });
  const file = path.join(ctx.workDir, MINISEARCH_FILE);
  let saveError: string | undefined;
  try {
    fs.writeFileSync(file, JSON.stringify(search));
  } catch (error) {
    saveError = error instanceof Error ? error.message : String(error);
  }
  return {
    seconds,
    chunks: chunks.length,
    inMemoryLatency: inMemory.latency,
    ...(saveError === undefined ? { diskMb: diskBytes(file) / 2 ** 20 } : { saveError }),
    maxRssMb: peakRssMb(),
  };
}

/** Loads MiniSearch's saved index; `openMs` counts from before its module loads. */
async function openBm25(
  ctx: PhaseContext,
): Promise<{ search: { search(q: string): unknown[] }; openMs: number }> {
  const t0 = performance.now();
  const { default: MiniSearch } = await import("minisearch");
  const json = fs.readFileSync(path.join(ctx.workDir, MINISEARCH_FILE), "utf8");
  const search = MiniSearch.loadJSON(json, await miniSearchOptions());
  return { search, openMs: performance.now() - t0 };
}

async function bm25Serve(ctx: PhaseContext): Promise<PhaseResult> {
  const { search, openMs } = await openBm25(ctx);
  const latency = await measure(ctx, (q) => {
    search.search(q).slice(0, TOP_K);
    return Promise.resolve();
  });
  return { openMs, ...latency, maxRssMb: peakRssMb() };
}

/** A restart of the BM25 process, as `oursRestart`: load, search one question. */
async function bm25Restart(ctx: PhaseContext): Promise<PhaseResult> {
  const { search, openMs } = await openBm25(ctx);
  search.search(ctx.questions[0] ?? "新闻").slice(0, TOP_K);
  ctx.onFirstAnswer();
  return { openMs, maxRssMb: peakRssMb() };
}

/** Answers the first question (reporting it), then times every question. */
async function measure(
  ctx: PhaseContext,
  ask: (question: string) => Promise<void>,
): Promise<{
  firstAnswerMs: number;
  processStartToFirstAnswerMs: number;
  latency: LatencySummary;
}> {
  const first = ctx.questions[0] ?? "新闻";
  const t0 = performance.now();
  await ask(first);
  const firstAnswerMs = performance.now() - t0;
  // performance.now() counts from process start: module loading included.
  const processStartToFirstAnswerMs = performance.now();
  ctx.onFirstAnswer();
  const latencies: number[] = [];
  for (const q of ctx.questions) {
    const t = performance.now();
    await ask(q);
    latencies.push(performance.now() - t);
  }
  return { firstAnswerMs, processStartToFirstAnswerMs, latency: summarizeLatencies(latencies) };
}

async function loadChunks(editionsDir: string): Promise<Chunk[]> {
  const { chunkArticles, loadInputs } = await import("../ingest/load.js");
  const loaded = await loadInputs({ editionDirs: [editionsDir] });
  return chunkArticles(loaded.articles);
}
