/**
 * Writes a generated corpus to disk: `editions/` (one file per paper and day, named by the
 * convention), `next-edition/` (the edition that follows, for measuring an incremental add),
 * `questions.jsonl` and `corpus.json` (the options and counts, so a cached corpus can be checked).
 */
import fs from "node:fs";
import path from "node:path";
import {
  generateEdition,
  planEditions,
  planOf,
  type CorpusOptions,
  type EditionPlan,
} from "./generate.js";
import type { SentencePool } from "./sentence-pool.js";

/** Where and what to write. */
export interface WriteCorpusOptions extends CorpusOptions {
  /** The corpus folder; created if missing. */
  outDir: string;
  /** The repository root: the corpus must not be written inside it (except under its .tmp/). */
  repoDir: string;
  pool: SentencePool;
  /** Stop after exactly this many articles (the last edition is cut short). Defaults to no cap. */
  maxArticles?: number;
  onProgress?: (editions: number, articles: number) => void;
}

/** What was written. */
export interface CorpusSummary {
  outDir: string;
  editionsDir: string;
  /** The held-back edition that follows the corpus. */
  nextEditionFile: string;
  questionsFile: string;
  editions: number;
  articles: number;
  questions: number;
  firstDate: string;
  lastDate: string;
  seconds: number;
}

/** The file that marks a finished corpus and records its options. */
export const CORPUS_FILE = "corpus.json";

/**
 * Throws an Error with the fix when `outDir` lies inside the repository `repoDir` — generated
 * editions must never end up committed — except under the git-ignored scratch folder `.tmp/`.
 */
export function assertOutsideRepo(outDir: string, repoDir: string): void {
  const out = realish(outDir);
  const repo = realish(repoDir);
  const rel = path.relative(repo, out);
  const inside = rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
  if (inside && !(rel === ".tmp" || rel.startsWith(`.tmp${path.sep}`))) {
    throw new Error(
      `--out ${outDir} is inside the repository (${repo}); generated editions must not be committed. ` +
        "Write the corpus outside it, e.g. --out /tmp/news-corpus or --out ../corpus.",
    );
  }
}

/**
 * Generates and writes the corpus. Throws when `outDir` is inside the repository, when it holds
 * files that are not a previous corpus (it would not be safe to replace them), or on an invalid
 * option or a write error.
 */
export function writeCorpus(options: WriteCorpusOptions): CorpusSummary {
  const started = performance.now();
  const outDir = path.resolve(options.outDir);
  assertOutsideRepo(outDir, options.repoDir);
  prepareOutDir(outDir);
  const editionsDir = path.join(outDir, "editions");
  const nextDir = path.join(outDir, "next-edition");
  fs.mkdirSync(editionsDir, { recursive: true });
  fs.mkdirSync(nextDir, { recursive: true });

  const cap = options.maxArticles ?? Number.POSITIVE_INFINITY;
  const questions: string[] = [];
  let articles = 0;
  let editions = 0;
  let last: EditionPlan | undefined;
  for (const plan of planEditions(options)) {
    if (articles >= cap) break;
    const edition = generateEdition(options.pool, options, plan, cap - articles);
    fs.writeFileSync(path.join(editionsDir, plan.fileName), edition.text);
    for (const q of edition.questions) questions.push(JSON.stringify(q));
    articles += edition.articles.length;
    editions++;
    last = plan;
    if (editions % 200 === 0) options.onProgress?.(editions, articles);
  }
  if (last === undefined) throw new Error("The options describe an empty corpus; raise --years.");
  const next = nextPlan(options, last);
  const nextEdition = generateEdition(options.pool, options, next);
  const nextEditionFile = path.join(nextDir, next.fileName);
  fs.writeFileSync(nextEditionFile, nextEdition.text);

  const questionsFile = path.join(outDir, "questions.jsonl");
  fs.writeFileSync(questionsFile, questions.length > 0 ? `${questions.join("\n")}\n` : "");
  const recorded = {
    papers: options.papers,
    years: options.years,
    start: options.start,
    articlesPerEdition: options.articlesPerEdition,
    seed: options.seed,
    everyDays: options.everyDays ?? 1,
    questionsPerEdition: options.questionsPerEdition ?? 2,
    maxArticles: options.maxArticles ?? null,
  };
  const summary: CorpusSummary = {
    outDir,
    editionsDir,
    nextEditionFile,
    questionsFile,
    editions,
    articles,
    questions: questions.length,
    firstDate: planOf(options, 0, 0).date,
    lastDate: last.date,
    seconds: (performance.now() - started) / 1000,
  };
  fs.writeFileSync(
    path.join(outDir, CORPUS_FILE),
    `${JSON.stringify({ options: { ...recorded, outDir }, summary }, null, 2)}\n`,
  );
  return summary;
}

/** Reads the summary of a corpus written earlier, or undefined when `dir` holds no finished corpus. */
export function readCorpusSummary(dir: string): CorpusSummary | undefined {
  try {
    const json = JSON.parse(fs.readFileSync(path.join(dir, CORPUS_FILE), "utf8")) as {
      summary?: CorpusSummary;
    };
    return json.summary;
  } catch {
    return undefined;
  }
}

/** The edition after `last`: the next paper on the same day, or the first paper the day after. */
function nextPlan(options: CorpusOptions, last: EditionPlan): EditionPlan {
  return last.paperIndex + 1 < options.papers
    ? planOf(options, last.paperIndex + 1, last.dayIndex)
    : planOf(options, 0, last.dayIndex + 1);
}

function prepareOutDir(outDir: string): void {
  if (!fs.existsSync(outDir)) return;
  const entries = fs.readdirSync(outDir);
  if (entries.length === 0) return;
  if (!entries.includes(CORPUS_FILE)) {
    throw new Error(
      `--out ${outDir} is not empty and holds no ${CORPUS_FILE}; choose an empty or new folder.`,
    );
  }
  // A previous corpus: replace it whole, so no edition of another seed lingers.
  for (const name of ["editions", "next-edition", "questions.jsonl", CORPUS_FILE]) {
    fs.rmSync(path.join(outDir, name), { recursive: true, force: true });
  }
}

/** The real path of `p`, or of its nearest existing ancestor joined with the rest. */
function realish(p: string): string {
  const abs = path.resolve(p);
  let dir = abs;
  const rest: string[] = [];
  while (!fs.existsSync(dir)) {
    rest.unshift(path.basename(dir));
    const parent = path.dirname(dir);
    if (parent === dir) return abs;
    dir = parent;
  }
  return path.join(fs.realpathSync(dir), ...rest);
}
