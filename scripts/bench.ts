import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fail, parseCli } from "../src/cli/args.js";
import { createHashedEmbedder } from "../src/embeddings/hashed.js";
import { runIndexJob } from "../src/indexer.js";
import { createEngine } from "../src/engine.js";
import { quantile } from "../src/eval/metrics.js";
import { SAMPLE_EDITIONS_DIR, ROOT_DIR } from "../src/config.js";

const USAGE = `Usage: npm run bench -- [--articles FILE]... [--questions FILE] [--out FILE]

Builds an index of the sample editions plus the given article exports (default: the news
distractors in ../shared/bench) in a temp folder with the built-in embedder, then measures build
time, incremental add of one edition, open time, query latency p50/p95/p99 (retrieval plus
extractive answer), peak RSS and index size. Prints a table and writes JSON (--out).`;

const { values } = parseCli(USAGE, {
  articles: { type: "string", multiple: true },
  questions: { type: "string" },
  out: { type: "string" },
});

function dirSize(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    total += entry.isDirectory() ? dirSize(p) : fs.statSync(p).size;
  }
  return total;
}

try {
  const shared = path.resolve(ROOT_DIR, "..", "shared");
  const articleFiles = (
    Array.isArray(values.articles)
      ? values.articles
      : [path.join(shared, "bench", "news-distractors", "articles.jsonl")]
  ).map((p) => path.resolve(String(p)));
  const questionsFile = path.resolve(
    typeof values.questions === "string"
      ? values.questions
      : path.join(shared, "eval", "dev.jsonl"),
  );
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "lnb-bench-"));
  const indexDir = path.join(tmp, "index");
  const editions = path.join(tmp, "editions");
  fs.cpSync(SAMPLE_EDITIONS_DIR, editions, { recursive: true });
  const extra = path.join(editions, "2026-03-08_平湖日报.txt");
  fs.rmSync(extra, { force: true });

  let peakRss = 0;
  const sample = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  const t0 = performance.now();
  const built = await runIndexJob({
    editionDirs: [editions],
    articleFiles,
    indexDir,
    embedder: createHashedEmbedder(),
  });
  const buildSeconds = (performance.now() - t0) / 1000;
  const buildRss = peakRss;

  fs.copyFileSync(path.join(SAMPLE_EDITIONS_DIR, "004_52660507d51a0aa1.txt"), extra);
  const t1 = performance.now();
  const added = await runIndexJob({
    editionDirs: [editions],
    articleFiles,
    indexDir,
    embedder: createHashedEmbedder(),
  });
  const addSeconds = (performance.now() - t1) / 1000;

  peakRss = 0;
  const t2 = performance.now();
  const engine = await createEngine({ indexDir, embedder: createHashedEmbedder() });
  const questions = fs
    .readFileSync(questionsFile, "utf8")
    .trim()
    .split("\n")
    .map((l) => (JSON.parse(l) as { question: string }).question);
  await engine.ask(questions[0] ?? "平湖");
  const coldStartMs = performance.now() - t2;
  const latencies: number[] = [];
  for (let round = 0; latencies.length < 500; round++) {
    for (const q of questions) {
      if (latencies.length >= 500) break;
      const t = performance.now();
      await engine.ask(q);
      latencies.push(performance.now() - t);
    }
  }
  clearInterval(sample);
  const result = {
    articles: built.articles,
    chunks: built.chunks,
    buildSeconds,
    articlesPerSecond: built.articles / buildSeconds,
    addEditionSeconds: addSeconds,
    addEditionEmbedded: added.embedded,
    coldStartMs,
    queryP50Ms: quantile(latencies, 0.5),
    queryP95Ms: quantile(latencies, 0.95),
    queryP99Ms: quantile(latencies, 0.99),
    peakRssBuildMb: buildRss / 2 ** 20,
    peakRssServeMb: peakRss / 2 ** 20,
    indexMb: dirSize(indexDir) / 2 ** 20,
  };
  const rows = Object.entries(result).map(
    ([k, v]) =>
      `${k.padEnd(22)} ${typeof v === "number" ? (Number.isInteger(v) ? String(v) : v.toFixed(2)) : String(v)}`,
  );
  process.stdout.write(`${rows.join("\n")}\n`);
  if (typeof values.out === "string")
    fs.writeFileSync(values.out, `${JSON.stringify(result, null, 2)}\n`);
  fs.rmSync(tmp, { recursive: true, force: true });
} catch (error) {
  fail(error);
}
