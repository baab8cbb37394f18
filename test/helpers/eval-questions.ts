/** The public eval questions (../shared/eval), for tests that must leave real questions alone. */
import path from "node:path";
import { readQuestionsFile } from "../../src/eval/questions.js";
import { sharedDir } from "./paths.js";

/** One eval question: its id and text. */
export interface EvalQuestionText {
  id: string;
  question: string;
}

/** The questions of dev.jsonl and dev2.jsonl, in file order; throws when ../shared is missing. */
export function readEvalQuestions(): EvalQuestionText[] {
  return ["dev.jsonl", "dev2.jsonl"].flatMap((name) =>
    readQuestionsFile(path.join(sharedDir(), "eval", name)).map(({ id, question }) => ({
      id,
      question,
    })),
  );
}
