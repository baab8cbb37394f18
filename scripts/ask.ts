import readline from "node:readline";
import { commonArgs, fail, parseCli } from "../src/cli/args.js";
import { createConfiguredEmbedder, createConfiguredReranker } from "../src/app.js";
import { createEngine } from "../src/engine.js";
import { answerToJson } from "../src/answer/json.js";
import { renderAnswerText } from "../src/answer/render.js";

const USAGE = `Usage: npm run ask -- [--index DIR] [--json] "问题"
       npm run ask -- [--index DIR] --jsonl < questions.jsonl

Answers a question from the index with citations. --json prints one JSON object;
--jsonl reads lines {"question": ...} from stdin and writes one object per line, in order.`;

const { values, positionals } = parseCli(USAGE, {
  index: { type: "string" },
  json: { type: "boolean" },
  jsonl: { type: "boolean" },
});

try {
  const args = commonArgs(values);
  const embedder = await createConfiguredEmbedder(args.config.embeddingModel, args.config.dataDir);
  const engine = await createEngine({
    indexDir: args.indexDir,
    indexUrl: args.indexUrl,
    embedder,
    reranker: await createConfiguredReranker(args.config.rerankModel, args.config.dataDir),
  });
  if (values.jsonl === true) {
    const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
    let lineNo = 0;
    for await (const line of lines) {
      lineNo++;
      if (line.trim() === "") continue;
      let question: unknown;
      try {
        question = (JSON.parse(line) as { question?: unknown }).question;
      } catch {
        question = undefined;
      }
      if (typeof question !== "string" || question.trim() === "") {
        process.stdout.write(
          `${JSON.stringify({ error: `line ${lineNo}: expected {"question": "..."}` })}\n`,
        );
        continue;
      }
      process.stdout.write(`${JSON.stringify(answerToJson(await engine.ask(question)))}\n`);
    }
  } else {
    const question = positionals.join(" ").trim();
    if (question === "") {
      process.stderr.write(`${USAGE}\n`);
      process.exit(2);
    }
    const answer = await engine.ask(question);
    process.stdout.write(
      values.json === true
        ? `${JSON.stringify(answerToJson(answer), null, 2)}\n`
        : `${renderAnswerText(answer)}\n`,
    );
  }
} catch (error) {
  fail(error);
}
