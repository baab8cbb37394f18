/** The public eval questions (../shared/eval), for tests that must leave real questions alone. */
import fs from "node:fs";
import path from "node:path";
import { sharedDir } from "./paths.js";

/** One eval question: its id and text. */
export interface EvalQuestionText {
  id: string;
  question: string;
}

/** The questions of dev.jsonl and dev2.jsonl, in file order; throws when ../shared is missing. */
export function readEvalQuestions(): EvalQuestionText[] {
  const out: EvalQuestionText[] = [];
  for (const name of ["dev.jsonl", "dev2.jsonl"]) {
    const text = fs.readFileSync(path.join(sharedDir(), "eval", name), "utf8");
    for (const line of text.split("\n")) {
      if (line.trim() === "") continue;
      const { id, question } = JSON.parse(line) as EvalQuestionText;
      out.push({ id, question });
    }
  }
  return out;
}
