/**
 * A bench phase's process: `node dist/bench-phase.mjs JOB.json` runs the phase the job names (see
 * phases.ts) and prints its result as one line. Its start is part of every measured cold start,
 * ours and the anchors' alike, so this entry loads only what the phase needs: not the bench's CLI
 * parsing, config (zod, dotenv) and reporting, which once took 15-25 ms of each such start
 * (docs/performance.md, item 21).
 */
import fs from "node:fs";
import { type ChildJob, FIRST_ANSWER_LINE, PHASES, RESULT_PREFIX } from "./phases.js";

try {
  const job = JSON.parse(fs.readFileSync(process.argv[2] ?? "", "utf8")) as ChildJob;
  const phase = PHASES[job.phase];
  if (!phase) throw new Error(`unknown bench phase "${job.phase}"`);
  const questions = JSON.parse(fs.readFileSync(job.questionsFile, "utf8")) as string[];
  const result = await phase({
    editionsDir: job.editionsDir,
    nextEditionFile: job.nextEditionFile,
    workDir: job.workDir,
    questions,
    createEmbedder: async () => {
      const { createConfiguredEmbedder } = await import("../app.js");
      return createConfiguredEmbedder(undefined, job.dataDir);
    },
    onFirstAnswer: () => process.stdout.write(`${FIRST_ANSWER_LINE}\n`),
    indexUrl: job.indexUrl,
  });
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
} catch (error) {
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
