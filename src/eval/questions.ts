import fs from "node:fs";
import type { EvalQuestion } from "./metrics.js";

/** What each line of a questions file must hold, for the operator's error message. */
const FORMAT =
  'one JSON object per line: {"id", "question", "type", "answerable", "evidence", "answer_keywords"} (../shared/eval/README.md)';

/**
 * Reads a questions file (JSONL, ../shared/eval/README.md). Throws an Error that names the file,
 * the line and the expected format when the file cannot be read or a line is not a question.
 */
export function readQuestionsFile(file: string): EvalQuestion[] {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new Error(
      `Cannot read the questions file ${file} (${code}). Pass --questions with a JSONL file: ${FORMAT}.`,
    );
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new Error(`${file} is not UTF-8 text: save it as UTF-8 (${FORMAT}).`);
  }
  const questions: EvalQuestion[] = [];
  for (const [i, line] of text.split("\n").entries()) {
    if (line.trim() === "") continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (error) {
      throw new Error(
        `${file} line ${i + 1} is not JSON (${(error as Error).message}). Write ${FORMAT}.`,
      );
    }
    const q = parsed as Partial<EvalQuestion> | null;
    if (
      q === null ||
      typeof q !== "object" ||
      typeof q.id !== "string" ||
      typeof q.question !== "string" ||
      typeof q.type !== "string" ||
      typeof q.answerable !== "boolean" ||
      !Array.isArray(q.answer_keywords) ||
      !(q.evidence === null || typeof q.evidence === "string" || Array.isArray(q.evidence))
    ) {
      throw new Error(
        `${file} line ${i + 1} is not a question: it needs "id", "question" and "type" strings, "answerable" true or false, "evidence" (a span, a list of spans or null) and an "answer_keywords" list. Write ${FORMAT}.`,
      );
    }
    questions.push(q as EvalQuestion);
  }
  if (questions.length === 0) {
    throw new Error(`${file} holds no questions. Write ${FORMAT}.`);
  }
  return questions;
}
