import path from "node:path";
import { fail, parseCli } from "../src/cli/args.js";
import { ROOT_DIR } from "../src/config.js";
import { loadSentencePool } from "../src/corpus/sentence-pool.js";
import { assertOutsideRepo, writeCorpus } from "../src/corpus/write-corpus.js";

const USAGE = `Usage: npm run make-corpus -- --out DIR [--papers 2] [--years 10] [--seed 1]
       [--start 2016-01-01] [--articles-per-edition 20] [--every-days 1] [--articles N] [--shared DIR]

Writes a synthetic archive of fictional county papers, built from sentences of ../shared with
names, numbers and places varied, deterministic from --seed:
  DIR/editions/YYYY-MM-DD_报纸名.txt   one edition per paper per day (every --every-days)
  DIR/next-edition/                    the edition that follows (for an incremental index run)
  DIR/questions.jsonl                  questions answerable from the articles (eval format)
  DIR/corpus.json                      the options and counts
--articles N stops after exactly N articles. DIR must be outside the repository.`;

const { values } = parseCli(USAGE, {
  out: { type: "string" },
  papers: { type: "string" },
  years: { type: "string" },
  seed: { type: "string" },
  start: { type: "string" },
  "articles-per-edition": { type: "string" },
  "every-days": { type: "string" },
  articles: { type: "string" },
  shared: { type: "string" },
});

/** A numeric option, or the default; exits with the usage on anything that is not a number. */
function numberOption(name: string, fallback: number): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n)) fail(new Error(`--${name} must be a number, got "${String(raw)}".`));
  return n;
}

try {
  if (typeof values.out !== "string") throw new Error(`--out DIR is required.\n\n${USAGE}`);
  const shared = path.resolve(
    typeof values.shared === "string"
      ? values.shared
      : (process.env.SHARED_DIR ?? path.join(ROOT_DIR, "..", "shared")),
  );
  // Refuse a bad --out before spending seconds on the sentence pool.
  assertOutsideRepo(path.resolve(values.out), ROOT_DIR);
  const t0 = performance.now();
  const pool = loadSentencePool(shared);
  const poolSeconds = (performance.now() - t0) / 1000;
  const maxArticles = values.articles === undefined ? undefined : numberOption("articles", 0);
  const summary = writeCorpus({
    outDir: values.out,
    repoDir: ROOT_DIR,
    pool,
    papers: numberOption("papers", 2),
    years: numberOption("years", 10),
    seed: numberOption("seed", 1),
    start: typeof values.start === "string" ? values.start : "2016-01-01",
    articlesPerEdition: numberOption("articles-per-edition", 20),
    everyDays: numberOption("every-days", 1),
    ...(maxArticles === undefined ? {} : { maxArticles }),
    onProgress: (editions, articles) =>
      process.stderr.write(`\r${editions} editions, ${articles} articles`),
  });
  process.stderr.write("\n");
  process.stdout.write(
    `${summary.editions} editions (${summary.firstDate} to ${summary.lastDate}), ` +
      `${summary.articles} articles, ${summary.questions} questions in ${summary.outDir} ` +
      `(sentence pool ${poolSeconds.toFixed(1)} s, writing ${summary.seconds.toFixed(1)} s)\n`,
  );
} catch (error) {
  fail(error);
}
