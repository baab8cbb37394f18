import cliProgress from "cli-progress";
import { commonArgs, fail, parseCli } from "../src/cli/args.js";
import { createConfiguredEmbedder } from "../src/app.js";
import { runIndexJob } from "../src/indexer.js";

const USAGE = `Usage: npm run index -- [--editions DIR]... [--articles FILE]... [--index DIR] [--full]

Parses edition text files (*.txt, with an optional manifest.json) and article exports (*.jsonl),
chunks and embeds them, and writes a new index snapshot. Only new or changed articles are embedded
unless --full is given. Defaults: the bundled sample editions and ./index. With INDEX_URL set
(postgres://…), the archive is written to PostgreSQL instead, one transaction per edition.`;

const { values } = parseCli(USAGE, {
  editions: { type: "string", multiple: true },
  articles: { type: "string", multiple: true },
  index: { type: "string" },
  full: { type: "boolean" },
});

try {
  const args = commonArgs(values);
  const embedder = await createConfiguredEmbedder(args.config.embeddingModel, args.config.dataDir);
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: "embedding [{bar}] {value}/{total} chunks | {eta}s left",
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  const result = await runIndexJob({
    editionDirs: args.editionDirs,
    articleFiles: args.articleFiles,
    indexDir: args.indexDir,
    indexUrl: args.indexUrl,
    embedder,
    full: values.full === true,
    onProgress: (done, total) => {
      if (!started && process.stderr.isTTY) {
        bar.start(total, 0);
        started = true;
      }
      if (started) bar.update(done);
    },
  });
  if (started) bar.stop();
  const lines = [
    `index:     ${args.indexUrl === undefined ? args.indexDir : "INDEX_URL (PostgreSQL)"} (${result.snapshot})`,
    `embedder:  ${embedder.id} (${embedder.dimensions} dims)`,
    `editions:  ${result.editions} (added ${result.addedEditions.length}, changed ${result.changedEditions.length}, removed ${result.removedEditions.length})`,
    `articles:  ${result.articles}`,
    `chunks:    ${result.chunks} (embedded ${result.embedded}, reused ${result.reused})`,
    `skipped:   ${result.skipped.length}`,
    ...result.skipped.map((s) => `  - ${s.file}: ${s.reason}`),
    ...(result.notices.length > 0 ? [`notices:   ${result.notices.length}`] : []),
    ...result.notices.map((s) => `  - ${s.file}: ${s.reason}`),
    `seconds:   ${result.seconds.toFixed(1)}`,
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
} catch (error) {
  fail(error);
}
