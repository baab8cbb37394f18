import cliProgress from "cli-progress";
import { commonArgs, fail, parseCli } from "../src/cli/args.js";
import { createConfiguredEmbedder } from "../src/app.js";
import { runIndexJob, type IndexJobResult } from "../src/indexer.js";
import { watchEditionFolders } from "../src/ingest/watch.js";

const USAGE = `Usage: npm run index -- [--editions DIR]... [--articles FILE]... [--index DIR] [--full] [--watch]

Reads edition files (PDF pages, e-paper .html pages, Word .docx, Markdown .md, text .txt, with an
optional manifest.json) and article exports (*.jsonl), chunks and embeds them, and writes a new
index snapshot. Only new or changed articles are embedded unless --full is given. With --watch it
then keeps watching the --editions folders and indexes each new or changed file within seconds,
until Ctrl-C. Defaults: the bundled sample editions and ./index. With INDEX_URL set
(postgres://…), the archive is written to PostgreSQL instead, one transaction per edition.`;

const { values } = parseCli(USAGE, {
  editions: { type: "string", multiple: true },
  articles: { type: "string", multiple: true },
  index: { type: "string" },
  full: { type: "boolean" },
  watch: { type: "boolean" },
});

try {
  const args = commonArgs(values);
  const embedder = await createConfiguredEmbedder(args.config.embeddingModel, args.config.dataDir);
  const index = async (full: boolean): Promise<IndexJobResult> => {
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
      full,
      onProgress: (done, total) => {
        if (!started && process.stderr.isTTY) {
          bar.start(total, 0);
          started = true;
        }
        if (started) bar.update(done);
      },
    });
    if (started) bar.stop();
    return result;
  };
  const print = (result: IndexJobResult): void => {
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
  };
  print(await index(values.full === true));

  if (values.watch === true) {
    // One job at a time: changes during a job start one more job after it, never two at once.
    let running: Promise<void> = Promise.resolve();
    const watch = watchEditionFolders(
      args.editionDirs,
      (files) => {
        running = running.then(async () => {
          process.stdout.write(`\nchanged:   ${files.join(", ")}\n`);
          try {
            print(await index(false));
          } catch (error) {
            process.stderr.write(
              `index job failed, the previous index is unchanged: ${error instanceof Error ? error.message : String(error)}\n`,
            );
          }
        });
      },
      (error) => process.stderr.write(`watching failed: ${String(error)}\n`),
    );
    await watch.ready;
    process.stdout.write(`watching:  ${args.editionDirs.join(", ")} (Ctrl-C to stop)\n`);
    await new Promise<void>((resolve) => {
      const stop = (): void => {
        void watch
          .close()
          .then(() => running)
          .then(resolve);
      };
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
  }
} catch (error) {
  fail(error);
}
