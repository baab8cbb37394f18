import fs from "node:fs";
import path from "node:path";
import * as OpenCC from "opencc-js";
import { commonArgs, fail, parseCli } from "../src/cli/args.js";
import { createConfiguredEmbedder, createConfiguredReranker } from "../src/app.js";
import { createEngine } from "../src/engine.js";
import { runIndexJob } from "../src/indexer.js";
import { ROOT_DIR } from "../src/config.js";
import { evalIndexDir } from "../src/eval/corpus-index.js";
import { readQuestionsFile } from "../src/eval/questions.js";
import { scoreAnswer, summarize, type QuestionResult, type Summary } from "../src/eval/metrics.js";

const USAGE = `Usage: npm run eval -- --questions FILE [--editions DIR]... [--articles FILE]... [--index DIR]
                        [--limit N] [--traditional] [--out FILE] [--details FILE]

Answers every question and reports hit@1, hit@5, MRR@10, answer accuracy, citation precision,
abstention and latency, overall, per question type and per style (where the questions give one). With --editions/--articles and no --index,
the corpus is indexed into a cache folder under .tmp/ first (incrementally).
--traditional converts the questions to traditional characters (OpenCC) before asking.`;

const { values } = parseCli(USAGE, {
  questions: { type: "string" },
  editions: { type: "string", multiple: true },
  articles: { type: "string", multiple: true },
  index: { type: "string" },
  limit: { type: "string" },
  traditional: { type: "boolean" },
  out: { type: "string" },
  details: { type: "string" },
});

function formatSummary(label: string, s: Summary): string {
  const pct = (x: number | null): string => (x === null ? "   -  " : x.toFixed(3));
  return [
    label.padEnd(14),
    String(s.questions).padStart(5),
    pct(s.hitAt1),
    pct(s.hitAt5),
    pct(s.mrrAt10),
    pct(s.answerAccuracy),
    pct(s.citationPrecision),
    pct(s.abstention),
    pct(s.falseAbstention),
    String(s.medianAnswerChars).padStart(6),
    s.latencyP50Ms.toFixed(1).padStart(7),
    s.latencyP95Ms.toFixed(1).padStart(7),
  ].join("  ");
}

try {
  if (typeof values.questions !== "string") {
    process.stderr.write(`--questions is required\n\n${USAGE}\n`);
    process.exit(2);
  }
  const questionsFile = path.resolve(values.questions);
  // Read first: a bad questions file fails before minutes of indexing.
  let questions = readQuestionsFile(questionsFile);
  const explicitCorpus = values.editions !== undefined || values.articles !== undefined;
  const args = commonArgs(values);
  const embedder = await createConfiguredEmbedder(args.config.embeddingModel, args.config.dataDir);
  let indexDir = args.indexDir;
  if (explicitCorpus && typeof values.index !== "string") {
    indexDir = evalIndexDir(ROOT_DIR, args.editionDirs, args.articleFiles, embedder.id);
  }
  if (explicitCorpus) {
    const started = Date.now();
    const built = await runIndexJob({
      editionDirs: args.editionDirs,
      articleFiles: args.articleFiles,
      indexDir,
      indexUrl: args.indexUrl,
      embedder,
    });
    process.stderr.write(
      `indexed ${built.articles} articles, ${built.chunks} chunks (embedded ${built.embedded}) in ${((Date.now() - started) / 1000).toFixed(1)}s\n`,
    );
  }
  const reranker = await createConfiguredReranker(args.config.rerankModel, args.config.dataDir);
  const engine = await createEngine({ indexDir, indexUrl: args.indexUrl, embedder, reranker });
  if (typeof values.limit === "string") questions = questions.slice(0, Number(values.limit));
  const toTraditional = OpenCC.Converter({ from: "cn", to: "tw" });

  const results: QuestionResult[] = [];
  for (const q of questions) {
    const asked = values.traditional === true ? toTraditional(q.question) : q.question;
    const started = performance.now();
    const answer = await engine.ask(asked);
    results.push(scoreAnswer(q, answer, performance.now() - started));
  }

  const header = [
    "set".padEnd(14),
    "    n",
    "hit@1",
    "hit@5",
    "mrr10",
    "acc  ",
    "cite ",
    "abst ",
    "falseA",
    "medLen",
    "p50ms  ",
    "p95ms  ",
  ].join("  ");
  const overall = summarize(results);
  const types = [...new Set(results.map((r) => r.type))].sort();
  const lines = [
    `questions: ${questionsFile}${values.traditional === true ? " (traditional)" : ""}`,
    `index:     ${args.indexUrl === undefined ? indexDir : "INDEX_URL (PostgreSQL)"} (${engine.index.manifest.counts.articles} articles, ${engine.index.manifest.counts.chunks} chunks, ${embedder.id})`,
    "",
    header,
    formatSummary("all", overall),
    ...types.map((t) => formatSummary(t, summarize(results.filter((r) => r.type === t)))),
  ];
  const styles = [
    ...new Set(results.flatMap((r) => (r.style === undefined ? [] : [r.style]))),
  ].sort();
  if (styles.length > 0) {
    lines.push(
      "",
      "by style",
      ...styles.map((s) => formatSummary(s, summarize(results.filter((r) => r.style === s)))),
    );
  }
  process.stdout.write(`${lines.join("\n")}\n`);
  const report = {
    questions: questionsFile,
    traditional: values.traditional === true,
    embedder: embedder.id,
    overall,
    byType: Object.fromEntries(
      types.map((t) => [t, summarize(results.filter((r) => r.type === t))]),
    ),
    byStyle: Object.fromEntries(
      styles.map((s) => [s, summarize(results.filter((r) => r.style === s))]),
    ),
  };
  if (typeof values.out === "string")
    fs.writeFileSync(values.out, `${JSON.stringify(report, null, 2)}\n`);
  if (typeof values.details === "string") {
    fs.writeFileSync(values.details, results.map((r) => JSON.stringify(r)).join("\n") + "\n");
  }
} catch (error) {
  fail(error);
}
