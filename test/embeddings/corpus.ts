/** Small readers for the benchmark and sample material the embedding tests measure against. */
import fs from "node:fs";
import path from "node:path";
import { SAMPLE_EDITIONS, sharedDir } from "../helpers/paths.js";
import { endsSentence } from "../../src/text/sentences.js";

export interface BenchArticle {
  id: string;
  text: string;
}

export interface BenchQuestion {
  question: string;
  /** Id of the gold article. */
  file: string;
}

function readJsonLines<T>(file: string): T[] {
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as T);
}

/** CMRC 2018 dev paragraphs and the first `limit` questions (throws when ../shared is missing). */
export function readCmrc(limit: number): { articles: BenchArticle[]; questions: BenchQuestion[] } {
  const dir = path.join(sharedDir(), "bench", "cmrc2018-dev");
  return {
    articles: readJsonLines<BenchArticle>(path.join(dir, "articles.jsonl")),
    questions: readJsonLines<BenchQuestion>(path.join(dir, "questions.jsonl")).slice(0, limit),
  };
}

/**
 * Passages of the bundled sample editions: blank-line blocks with whitespace removed (the raw
 * text is hard-wrapped), merged until a block ends a sentence and holds at least 150 characters.
 */
export function readSamplePassages(): string[] {
  const passages: string[] = [];
  const files = fs.readdirSync(SAMPLE_EDITIONS).filter((f) => f.endsWith(".txt"));
  for (const file of files.sort()) {
    let current = "";
    const text = fs.readFileSync(path.join(SAMPLE_EDITIONS, file), "utf8");
    for (const block of text.split(/\n\s*\n/u)) {
      current += block.replace(/\s+/gu, "");
      if (current.length >= 150 && endsSentence(current)) {
        passages.push(current);
        current = "";
      }
    }
    if (current.length > 0) passages.push(current);
  }
  return passages;
}

/** Inner product; equals cosine similarity for the unit vectors embedders return. */
export function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] ?? 0) * (b[i] ?? 0);
  return sum;
}

/** 1-based rank of `target` among `candidates` by similarity to `query` (ties count against it). */
export function rankOf(
  query: Float32Array,
  candidates: readonly Float32Array[],
  target: number,
): number {
  const targetScore = dot(query, candidates[target] ?? new Float32Array());
  let rank = 1;
  candidates.forEach((c, i) => {
    if (i !== target && dot(query, c) >= targetScore) rank++;
  });
  return rank;
}
