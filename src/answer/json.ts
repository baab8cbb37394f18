import type { Answer, Chunk } from "../types.js";

/** Where a cited or retrieved text comes from, and the text itself. */
export interface SourceJson {
  articleId: string;
  paper: string;
  date: string | null;
  title: string;
  source: string;
  text: string;
}

/** The stable JSON shape of an answer printed by `npm run ask -- --json/--jsonl`. */
export interface AnswerJson {
  question: string;
  answer: string;
  abstained: boolean;
  citations: ({ n: number } & SourceJson)[];
  passages: ({ rank: number; score: number } & SourceJson)[];
}

/** The fields a citation and a passage share: where the text comes from, and the text. */
function chunkFields(chunk: Chunk): SourceJson {
  return {
    articleId: chunk.articleId,
    paper: chunk.paper,
    date: chunk.date,
    title: chunk.headline,
    source: chunk.source,
    text: chunk.text,
  };
}

/** Converts an answer to its stable JSON shape. */
export function answerToJson(answer: Answer): AnswerJson {
  return {
    question: answer.question,
    answer: answer.text,
    abstained: answer.abstained,
    citations: answer.citations.map(({ n, chunk }) => ({ n, ...chunkFields(chunk) })),
    passages: answer.passages.map((p) => ({
      rank: p.rank,
      ...chunkFields(p.chunk),
      score: Number(p.score.toFixed(6)),
    })),
  };
}
