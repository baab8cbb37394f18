import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fail, parseCli } from "../src/cli/args.js";
import { NODE_FLAGS, buildBundles } from "../src/build.js";
import { ROOT_DIR } from "../src/config.js";
import { corpusCacheKey } from "../src/bench/cache-key.js";
import { percentile, ratio, mixQuestions } from "../src/bench/stats.js";
import { formatCell, formatTable, type Cell } from "../src/bench/table.js";
import type { Eviction } from "../src/bench/page-cache.js";
import { type BenchPgServer, startBenchPgServer } from "../src/bench/pglite-server.js";
import {
  type ChildJob,
  FIRST_ANSWER_LINE,
  LANGCHAIN_STORE,
  MINISEARCH_FILE,
  OUR_INDEX,
  type PhaseResult,
  RESULT_PREFIX,
} from "../src/bench/phases.js";

const USAGE = `Usage: npm run bench -- [--articles 1000] [--corpus DIR] [--out FILE.json] [--questions 500]
       [--seed 1] [--anchors-max-articles N] [--anchor-timeout-seconds 1800] [--no-anchors]
       [--backend embedded|postgres] [--index-url postgres://…]

Generates (or reuses, cached under .tmp/bench-corpus/) a corpus of N articles, or uses --corpus DIR
(written by npm run make-corpus), and measures in separate child processes: full index build
(time, articles/s, peak RSS, size on disk), adding the next edition incrementally, cold start
(spawn to first answer), and answer latency p50/p95/p99 over --questions questions mixed from
../shared/eval/dev.jsonl and the corpus's questions.jsonl (retrieval plus extractive answer, no
LLM). The same corpus and chunks are measured with LangChain's HNSWLib (JSON docstore, our
embedder) and a jieba BM25 over MiniSearch; anchors are skipped above --anchors-max-articles (default:
never) and each anchor phase is stopped after --anchor-timeout-seconds; the report says what was
skipped. With --backend postgres the same phases also run on the archive in PostgreSQL (at
--index-url, a server with pgvector; by default PGlite with pgvector, served on 127.0.0.1 from a
process of its own), beside the embedded index instead of the anchors, and a second table
compares the two, with the server's memory. Prints the tables and writes JSON (default
.tmp/bench-<N>.json).`;

/** Bumped whenever the generator's output changes for the same options (invalidates the cache). */
const GENERATOR_VERSION = 2;
/** Phases run in children started from the bench's bundle, with the bot's V8 flags (as `npm start`). */
const BUNDLE = path.join(ROOT_DIR, "dist", "bench-phase.mjs");
/**
 * Starts of each serving process measured after its first start, with its store in the page
 * cache (restarts) and again with it dropped from the cache (cold starts); medians reported.
 */
const RESTARTS = 3;
/**
 * The BM25 anchor's heap, in MiB: at 150,000 articles MiniSearch outgrows V8's default heap (about
 * 4 GB) while saving and loading its index, so it gets three quarters of the machine's memory,
 * as its user would give it.
 */
const BM25_HEAP_MB = Math.floor((os.totalmem() / 2 ** 20) * 0.75);

await main();

/**
 * An anchor's runs: serving under our node flags, and again under node's defaults; then restarts
 * and cold starts under whichever of the two started faster.
 */
interface AnchorRuns {
  build: ChildRun;
  serve: ChildRun;
  serveNodeDefaults: ChildRun;
  startFlags?: string;
  restarts: ChildRun[];
  coldStarts: ChildRun[];
}

/** An anchor that did not run past `why` (skipped, or its build failed). */
function notRun(why: ChildRun): AnchorRuns {
  return { build: why, serve: why, serveNodeDefaults: why, restarts: [], coldStarts: [] };
}

/** What the parent saw of one child. */
interface ChildRun {
  result?: PhaseResult;
  /** Spawn to the first-answer line, in ms (serving phases). */
  spawnToFirstAnswerMs?: number;
  /** What was dropped from the page cache before the spawn (cold starts). */
  evicted?: Eviction;
  skipped?: string;
}

async function spawnPhase(
  job: ChildJob,
  jobDir: string,
  timeoutSeconds?: number,
  flags: readonly string[] = NODE_FLAGS,
): Promise<ChildRun> {
  const jobFile = path.join(jobDir, `${job.phase}.json`);
  fs.writeFileSync(jobFile, JSON.stringify(job));
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [...flags, BUNDLE, jobFile], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const run: ChildRun = {};
    let buffer = "";
    let timedOut = false;
    const timer =
      timeoutSeconds === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            child.kill("SIGKILL");
          }, timeoutSeconds * 1000);
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (data: string) => {
      buffer += data;
      let nl = buffer.indexOf("\n");
      while (nl >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line === FIRST_ANSWER_LINE) run.spawnToFirstAnswerMs = performance.now() - started;
        else if (line.startsWith(RESULT_PREFIX)) {
          run.result = JSON.parse(line.slice(RESULT_PREFIX.length)) as PhaseResult;
        } else if (line.length > 0) process.stdout.write(`  [${job.phase}] ${line}\n`);
        nl = buffer.indexOf("\n");
      }
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (timer) clearTimeout(timer);
      if (timedOut) resolve({ skipped: `stopped after ${timeoutSeconds} s` });
      else if (code !== 0 || !run.result)
        reject(new Error(`bench phase ${job.phase} failed (exit ${code})`));
      else resolve(run);
    });
  });
}

/** A numeric option or its default; exits on anything that is not a positive number. */
function positive(values: Record<string, unknown>, name: string, fallback: number): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!(n > 0)) fail(new Error(`--${name} must be a positive number, got "${String(raw)}".`));
  return n;
}

async function prepareCorpus(
  values: Record<string, unknown>,
  articles: number,
  seed: number,
): Promise<{ dir: string; reused: boolean }> {
  const { readCorpusSummary, writeCorpus } = await import("../src/corpus/write-corpus.js");
  if (typeof values.corpus === "string") {
    const dir = path.resolve(values.corpus);
    if (!readCorpusSummary(dir)) {
      throw new Error(`--corpus ${dir} holds no corpus.json; write one with npm run make-corpus.`);
    }
    return { dir, reused: true };
  }
  const params = { articles, seed, papers: 2, articlesPerEdition: 20, start: "2016-01-01" };
  const dir = path.join(
    ROOT_DIR,
    ".tmp",
    "bench-corpus",
    corpusCacheKey({ ...params, generatorVersion: GENERATOR_VERSION }),
  );
  if (readCorpusSummary(dir)?.articles === articles) return { dir, reused: true };
  const { loadSentencePool } = await import("../src/corpus/sentence-pool.js");
  const pool = loadSentencePool(sharedDir());
  writeCorpus({
    ...params,
    outDir: dir,
    repoDir: ROOT_DIR,
    pool,
    // Enough years for N articles; the generator stops at exactly N.
    years: Math.max(1, Math.ceil(articles / (params.papers * params.articlesPerEdition * 300))),
    maxArticles: articles,
  });
  return { dir, reused: false };
}

function sharedDir(): string {
  const dir = path.resolve(process.env.SHARED_DIR ?? path.join(ROOT_DIR, "..", "shared"));
  if (!fs.existsSync(dir)) {
    throw new Error(
      `Shared material not found at ${dir}: clone the project beside ../shared or set SHARED_DIR.`,
    );
  }
  return dir;
}

function readQuestions(file: string): string[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => (JSON.parse(l) as { question: string }).question);
}

async function main(): Promise<void> {
  const { values } = parseCli(USAGE, {
    articles: { type: "string" },
    corpus: { type: "string" },
    out: { type: "string" },
    questions: { type: "string" },
    seed: { type: "string" },
    "anchors-max-articles": { type: "string" },
    "anchor-timeout-seconds": { type: "string" },
    "no-anchors": { type: "boolean" },
    backend: { type: "string" },
    "index-url": { type: "string" },
  });
  try {
    const articles = Math.round(positive(values, "articles", 1000));
    const seed = Math.round(positive(values, "seed", 1));
    const questionCount = Math.round(positive(values, "questions", 500));
    const anchorsMax = positive(values, "anchors-max-articles", Number.POSITIVE_INFINITY);
    const anchorTimeout = positive(values, "anchor-timeout-seconds", 1800);
    const backend = values.backend ?? "embedded";
    if (backend !== "embedded" && backend !== "postgres") {
      fail(new Error(`--backend must be embedded or postgres, got "${String(backend)}".`));
    }
    const givenIndexUrl = typeof values["index-url"] === "string" ? values["index-url"] : undefined;
    const outFile = path.resolve(
      typeof values.out === "string"
        ? values.out
        : path.join(ROOT_DIR, ".tmp", `bench-${articles}.json`),
    );

    const t0 = performance.now();
    const corpus = await prepareCorpus(values, articles, seed);
    const { readCorpusSummary } = await import("../src/corpus/write-corpus.js");
    const summary = readCorpusSummary(corpus.dir);
    if (!summary) throw new Error(`No corpus.json in ${corpus.dir}.`);
    process.stdout.write(
      `corpus: ${summary.articles} articles in ${summary.editions} editions at ${corpus.dir}` +
        ` (${corpus.reused ? "reused" : `generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`})\n`,
    );

    const dev = readQuestions(path.join(sharedDir(), "eval", "dev.jsonl"));
    const generated = readQuestions(summary.questionsFile);
    const questions = mixQuestions(dev, generated, questionCount);
    await buildBundles(path.dirname(BUNDLE));
    const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "lnb-bench-"));
    const questionsFile = path.join(workDir, "questions.json");
    fs.writeFileSync(questionsFile, JSON.stringify(questions));
    let pgIndexUrl: string | undefined;
    const job = (phase: string): ChildJob => ({
      phase,
      editionsDir: summary.editionsDir,
      nextEditionFile: summary.nextEditionFile,
      workDir,
      questionsFile,
      dataDir: path.join(ROOT_DIR, "data"),
      ...(pgIndexUrl === undefined ? {} : { indexUrl: pgIndexUrl }),
    });

    const run = async (
      phase: string,
      options: { timeout?: number; flags?: readonly string[]; evict?: string } = {},
    ): Promise<ChildRun> => {
      const { timeout, flags = NODE_FLAGS, evict } = options;
      const label =
        flags.join(" ") === NODE_FLAGS.join(" ")
          ? ""
          : ` (${flags.join(" ") || "node's default flags"})`;
      process.stdout.write(
        `${phase}${label}${evict ? ", store dropped from the page cache" : ""}...\n`,
      );
      let evicted: Eviction | undefined;
      if (evict !== undefined) {
        const { evictFromPageCache } = await import("../src/bench/page-cache.js");
        evicted = evictFromPageCache([path.join(workDir, evict)]);
        if ("unsupported" in evicted) return { skipped: evicted.unsupported, evicted };
      }
      const child = await spawnPhase(job(phase), workDir, timeout, flags);
      return evicted === undefined ? child : { ...child, evicted };
    };
    /** RESTARTS starts with the store cached, then RESTARTS with it dropped from the cache. */
    const starts = async (
      phase: string,
      store: string,
      options: { timeout?: number; flags?: readonly string[] } = {},
    ): Promise<{ restarts: ChildRun[]; coldStarts: ChildRun[] }> => {
      const restarts: ChildRun[] = [];
      const coldStarts: ChildRun[] = [];
      for (let r = 0; r < RESTARTS; r++) restarts.push(await run(phase, options));
      for (let r = 0; r < RESTARTS; r++)
        coldStarts.push(await run(phase, { ...options, evict: store }));
      return { restarts, coldStarts };
    };
    // The work folder (indexes, stores) is removed whatever happens; the corpus stays cached.
    const measured = await (async () => {
      try {
        const ours = {
          build: await run("ours-build"),
          add: await run("ours-add"),
          serve: await run("ours-serve"),
          ...(await starts("ours-restart", OUR_INDEX)),
        };
        const postgres = backend === "postgres" ? await measurePostgres() : undefined;
        const anchorsSkipped =
          values["no-anchors"] === true
            ? "skipped (--no-anchors)"
            : postgres !== undefined
              ? "skipped (--backend postgres measures PostgreSQL beside the embedded index instead)"
              : summary.articles > anchorsMax
                ? `skipped: ${summary.articles} articles > --anchors-max-articles ${anchorsMax}`
                : undefined;
        const anchor = async (
          name: string,
          store: string,
          extraFlags: readonly string[] = [],
        ): Promise<AnchorRuns> => {
          if (anchorsSkipped) return notRun({ skipped: anchorsSkipped });
          const ourFlags = [...NODE_FLAGS, ...extraFlags];
          const defaults = [...extraFlags];
          // An anchor that fails (out of memory at scale, say) is reported, not fatal: our figures stand.
          const attempt = (phase: string, flags: readonly string[]): Promise<ChildRun> =>
            run(phase, { timeout: anchorTimeout, flags }).catch((error: unknown) => ({
              skipped: `failed: ${error instanceof Error ? error.message : String(error)}`,
            }));
          const build = await attempt(`${name}-build`, ourFlags);
          if (build.skipped) return notRun(build);
          const serve = await attempt(`${name}-serve`, ourFlags);
          // Our node flags may suit an anchor worse than node's defaults, which its users would
          // run it with: it serves a second time without them, and the ratios take its better run.
          const serveNodeDefaults = await attempt(`${name}-serve`, defaults);
          const defaultsFaster =
            (serveNodeDefaults.spawnToFirstAnswerMs ?? Infinity) <
            (serve.spawnToFirstAnswerMs ?? Infinity);
          const flags = defaultsFaster ? defaults : ourFlags;
          const measuredStarts = await starts(`${name}-restart`, store, {
            timeout: anchorTimeout,
            flags,
          }).catch((error: unknown) => {
            const skipped = {
              skipped: `failed: ${error instanceof Error ? error.message : String(error)}`,
            };
            return { restarts: [skipped], coldStarts: [skipped] };
          });
          return {
            build,
            serve,
            serveNodeDefaults,
            startFlags: flags.join(" ") || "node's defaults",
            ...measuredStarts,
          };
        };
        const langchain = await anchor("langchain", LANGCHAIN_STORE);
        const bm25 = await anchor("bm25", MINISEARCH_FILE, [
          `--max-old-space-size=${BM25_HEAP_MB}`,
        ]);
        return { ours, langchain, bm25, postgres };
      } finally {
        fs.rmSync(workDir, { recursive: true, force: true });
      }
    })();
    const { ours, langchain, bm25, postgres } = measured;

    /**
     * Our phases on the archive in PostgreSQL, in a schema of their own: build, add, serve and
     * restarts (a server keeps its own cache, so there are no cold starts to take from the page
     * cache), with the server's peak memory when the bench runs it.
     */
    async function measurePostgres(): Promise<PostgresRuns> {
      let server: BenchPgServer | undefined;
      if (givenIndexUrl === undefined) {
        process.stdout.write("starting PGlite with pgvector on 127.0.0.1...\n");
        const dataDir = path.join(workDir, "pglite-data");
        fs.mkdirSync(dataDir, { recursive: true });
        server = await startBenchPgServer(dataDir, ROOT_DIR);
      }
      const base = givenIndexUrl ?? server?.url ?? "";
      pgIndexUrl = base.includes("schema=")
        ? base
        : `${base}${base.includes("?") ? "&" : "?"}schema=bench_${process.pid}`;
      try {
        const build = await run("pg-build");
        const add = await run("pg-add");
        const serve = await run("pg-serve");
        const restarts: ChildRun[] = [];
        for (let r = 0; r < RESTARTS; r++) restarts.push(await run("pg-restart"));
        const overlap = await run("pg-overlap");
        return {
          overlap,
          server:
            server === undefined
              ? "given by --index-url"
              : "PGlite with pgvector (wasm, one session multiplexed)",
          build,
          add,
          serve,
          restarts,
          serverPeakRssMb: server?.peakRssMb(),
          serverDataDirMb:
            server === undefined ? undefined : diskMb(path.join(workDir, "pglite-data")),
        };
      } finally {
        pgIndexUrl = undefined;
        await server?.stop();
      }
    }

    const report = {
      corpus: { dir: corpus.dir, articles: summary.articles, editions: summary.editions },
      questions: { count: questions.length, dev: dev.length, generated: generated.length },
      machine: { cpus: os.cpus().length, node: process.version, platform: process.platform },
      ours,
      langchainHnswlib: langchain,
      bm25MiniSearch: bm25,
      ...(postgres === undefined ? {} : { postgres }),
      notes: [
        `cold start = spawn of a node child (${NODE_FLAGS.join(" ")}, the bundle npm start builds) to its first answer; every system's phases run from the same bundle`,
        "each anchor also serves under node's default flags (serveNodeDefaults); the table takes its better figure of the two runs",
        `restarts: ${RESTARTS} starts of each system with its store in the page cache; coldStarts: ${RESTARTS} more with the store's files dropped from the cache first (sync, then dd iflag=nocache); anchors start under the flags of their faster first start (startFlags); medians in the table`,
        `BM25 MiniSearch runs with --max-old-space-size=${BM25_HEAP_MB} (75 % of this machine's memory) under either flags: at 150,000 articles its index outgrows V8's default heap`,
        "query: ours = retrieval + extractive answer; LangChain = similaritySearch k=10; BM25 = MiniSearch search, top 10",
        "vector search only: ours = embedQuery + searchVector k=10, against LangChain's similaritySearch",
        "LangChain documents added in batches of 10,000 (fromDocuments would hold every vector as number[][] at once)",
      ],
    };
    fs.mkdirSync(path.dirname(outFile), { recursive: true });
    fs.writeFileSync(outFile, `${JSON.stringify(report, null, 2)}\n`);
    const pgTable = postgres === undefined ? "" : `\n\n${renderPostgresTable(ours, postgres)}`;
    process.stdout.write(`\n${renderTable(report)}${pgTable}\n\nJSON written to ${outFile}\n`);
  } catch (error) {
    fail(error);
  }
}

/** Our phases on the archive in PostgreSQL. */
interface PostgresRuns {
  server: string;
  /** How closely PostgreSQL's top 10 match the embedded index's (BM25 and vectors). */
  overlap: ChildRun;
  build: ChildRun;
  add: ChildRun;
  serve: ChildRun;
  restarts: ChildRun[];
  /** Peak RSS of the server process (PGlite run by the bench), in MiB. */
  serverPeakRssMb: number | undefined;
  /** Size of the server's data folder (PGlite run by the bench), in MiB: tables, WAL and catalogs. */
  serverDataDirMb: number | undefined;
}

/** Total size of the files under a folder, in MiB. Never throws. */
function diskMb(dir: string): number | undefined {
  let total = 0;
  const walk = (p: string): void => {
    const stat = fs.statSync(p, { throwIfNoEntry: false });
    if (stat === undefined) return;
    if (!stat.isDirectory()) total += stat.size;
    else for (const name of fs.readdirSync(p)) walk(path.join(p, name));
  };
  try {
    walk(dir);
    return total / 2 ** 20;
  } catch {
    return undefined;
  }
}

/** The embedded index beside the archive in PostgreSQL, measured in the same run. */
function renderPostgresTable(
  o: { build: ChildRun; add: ChildRun; serve: ChildRun; restarts: ChildRun[] },
  p: PostgresRuns,
): string {
  const median = (runs: readonly ChildRun[]): number | undefined => {
    const times = runs.flatMap((r) => r.spawnToFirstAnswerMs ?? []);
    return times.length === 0 ? undefined : percentile(times, 0.5);
  };
  const both = (name: string, phase: "build" | "add" | "serve", key: string, sub?: string) =>
    [name, num(o[phase], key, sub), num(p[phase], key, sub)] as const;
  const metrics: (readonly [string, number | undefined, number | undefined])[] = [
    both("full build (s)", "build", "seconds"),
    both("articles per second", "build", "articlesPerSecond"),
    both("add one edition (s)", "add", "seconds"),
    [
      "first start, spawn to answer (ms)",
      o.serve.spawnToFirstAnswerMs,
      p.serve.spawnToFirstAnswerMs,
    ],
    [`restart, median of ${RESTARTS} (ms)`, median(o.restarts), median(p.restarts)],
    both("open in process (ms)", "serve", "openMs"),
    both("first answer in process (ms)", "serve", "firstAnswerMs"),
    both("query p50 (ms)", "serve", "latency", "p50Ms"),
    both("query p95 (ms)", "serve", "latency", "p95Ms"),
    both("vector search only p50 (ms)", "serve", "vectorSearchLatency", "p50Ms"),
    both("peak RSS build, bot side (MiB)", "build", "maxRssMb"),
    both("peak RSS serve, bot process (MiB)", "serve", "maxRssMb"),
    ["peak RSS of the server (MiB)", undefined, p.serverPeakRssMb],
    both("size on disk (MiB)", "build", "diskMb"),
    ["server data folder (MiB)", undefined, p.serverDataDirMb],
  ];
  return [
    formatTable(
      ["metric", "embedded", "PostgreSQL", "pg/embedded"],
      metrics.map(([name, a, b]) => [name, a, b, ratio(b, a)]),
    ),
    "",
    `PostgreSQL: ${p.server}. Size on disk: the embedded index's folder; the archive's tables and their indexes (pg_total_relation_size).`,
    `Top 10 over ${num(p.overlap, "questions") ?? "-"} questions, share of the embedded index's found by PostgreSQL: BM25 ${formatCell(num(p.overlap, "lexicalTop10Overlap"))} (same order in ${formatCell(num(p.overlap, "lexicalSameOrder"))}), vectors ${formatCell(num(p.overlap, "vectorTop10Overlap"))}.`,
  ].join("\n");
}

function num(run: ChildRun | undefined, key: string, sub?: string): number | undefined {
  const value = run?.result?.[key];
  if (sub !== undefined) {
    const inner = (value as Record<string, unknown> | undefined)?.[sub];
    return typeof inner === "number" ? inner : undefined;
  }
  return typeof value === "number" ? value : undefined;
}

/** The smaller of two figures, either of which may be missing. */
function better(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  return b === undefined ? a : Math.min(a, b);
}

function renderTable(report: {
  ours: {
    build: ChildRun;
    add: ChildRun;
    serve: ChildRun;
    restarts: ChildRun[];
    coldStarts: ChildRun[];
  };
  langchainHnswlib: AnchorRuns;
  bm25MiniSearch: AnchorRuns;
  corpus: { articles: number };
}): string {
  const o = report.ours;
  const l = report.langchainHnswlib;
  const b = report.bm25MiniSearch;
  /** Median spawn-to-answer of a system's starts, and how many it is the median of. */
  const medianStart = (runs: readonly ChildRun[]): { ms: number | undefined; n: number } => {
    const times = runs.flatMap((r) => r.spawnToFirstAnswerMs ?? []);
    return { ms: times.length === 0 ? undefined : percentile(times, 0.5), n: times.length };
  };
  const restarts = [o, l, b].map((system) => medianStart(system.restarts));
  const coldStarts = [o, l, b].map((system) => medianStart(system.coldStarts));
  const startRow = (name: string, medians: { ms: number | undefined; n: number }[]): Metric => [
    `${name} (median of ${Math.max(...medians.map((m) => m.n))}, ms)`,
    medians[0]?.ms,
    medians[1]?.ms,
    medians[2]?.ms,
  ];
  type Metric = [string, number | undefined, number | undefined, number | undefined];
  /** An anchor's serving figure: the better of its runs under our flags and node's defaults. */
  const anchorBest = (runs: AnchorRuns, read: (run: ChildRun) => number | undefined) =>
    better(read(runs.serve), read(runs.serveNodeDefaults));
  const anchorServe = (runs: AnchorRuns, key: string, sub?: string): number | undefined =>
    anchorBest(runs, (run) => num(run, key, sub));
  const spawnToAnswer = (run: ChildRun): number | undefined => run.spawnToFirstAnswerMs;
  /** One metric read the same way from the three systems' runs of a phase. */
  const all = (name: string, phase: "build" | "serve", key: string, sub?: string): Metric =>
    phase === "build"
      ? [name, num(o.build, key, sub), num(l.build, key, sub), num(b.build, key, sub)]
      : [name, num(o.serve, key, sub), anchorServe(l, key, sub), anchorServe(b, key, sub)];
  const metrics: Metric[] = [
    all("full build (s)", "build", "seconds"),
    ["articles per second", num(o.build, "articlesPerSecond"), undefined, undefined],
    ["add one edition (s)", num(o.add, "seconds"), undefined, undefined],
    [
      "first start, spawn to answer (ms)",
      spawnToAnswer(o.serve),
      anchorBest(l, spawnToAnswer),
      anchorBest(b, spawnToAnswer),
    ],
    startRow("restart, store cached", restarts),
    startRow("cold start, store not cached", coldStarts),
    all("process start to answer (ms)", "serve", "processStartToFirstAnswerMs"),
    all("open in process (ms)", "serve", "openMs"),
    all("query p50 (ms)", "serve", "latency", "p50Ms"),
    all("query p95 (ms)", "serve", "latency", "p95Ms"),
    all("query p99 (ms)", "serve", "latency", "p99Ms"),
    [
      "vector search only p50 (ms)",
      num(o.serve, "vectorSearchLatency", "p50Ms"),
      anchorServe(l, "latency", "p50Ms"),
      undefined,
    ],
    [
      "vector search only p95 (ms)",
      num(o.serve, "vectorSearchLatency", "p95Ms"),
      anchorServe(l, "latency", "p95Ms"),
      undefined,
    ],
    all("peak RSS build (MiB)", "build", "maxRssMb"),
    all("peak RSS serve (MiB)", "serve", "maxRssMb"),
    all("size on disk (MiB)", "build", "diskMb"),
  ];
  const rows: Cell[][] = metrics.map(([name, ours, lc, bm]) => [
    name,
    ours,
    lc,
    ratio(ours, lc),
    bm,
    ratio(ours, bm),
  ]);
  const notes: string[] = [
    `${report.corpus.articles} articles; chunks: ours ${num(o.build, "chunks") ?? "-"}, anchors ${num(l.build, "chunks") ?? num(b.build, "chunks") ?? "-"}`,
    `add one edition: ${num(o.add, "embedded") ?? "-"} chunks embedded, ${num(o.add, "reused") ?? "-"} reused`,
  ];
  for (const [name, runs] of [
    ["LangChain HNSWLib", l],
    ["BM25 MiniSearch", b],
  ] as const) {
    const skipped = runs.build.skipped ?? runs.serve.skipped;
    if (skipped) notes.push(`${name}: ${skipped}`);
    else {
      const rounded = (value: number | undefined): string =>
        formatCell(value === undefined ? undefined : Math.round(value));
      const both = (run: ChildRun): string =>
        run.skipped ??
        `${rounded(run.spawnToFirstAnswerMs)} ms, ${rounded(num(run, "maxRssMb"))} MiB`;
      notes.push(
        `${name} serving (first start, peak RSS) under our flags: ${both(runs.serve)}; under node's ` +
          `defaults: ${both(runs.serveNodeDefaults)}. Its columns take the better of each; its ` +
          `restarts and cold starts ran under ${runs.startFlags ?? "-"}.`,
      );
    }
  }
  const skippedColdStart = [...o.coldStarts, ...l.coldStarts, ...b.coldStarts].find(
    (r) => r.evicted !== undefined && "unsupported" in r.evicted,
  );
  if (skippedColdStart?.skipped) notes.push(`cold starts skipped: ${skippedColdStart.skipped}`);
  return [
    formatTable(
      ["metric", "ours", "LangChain HNSWLib", "ours/LC", "BM25 MiniSearch", "ours/BM25"],
      rows,
    ),
    "",
    "ratios are ours / theirs: below 1 means ours is smaller (faster, leaner).",
    ...notes,
  ].join("\n");
}
