import type { Answer, Chunk } from "../types.js";

/** The stable JSON shape of an answer printed by `npm run ask -- --json/--jsonl`. */
export interface AnswerJson {
  question: string;
  answer: string;
  abstained: boolean;
  citations: {
    n: number;
    articleId: string;
    paper: string;
    date: string | null;
    title: string;
    source: string;
    text: string;
  }[];
  passages: {
    rank: number;
    articleId: string;
    paper: string;
    date: string | null;
    title: string;
    source: string;
    text: string;
    score: number;
  }[];
}

/** The fields a citation and a passage share: where the text comes from, and the text. */
function chunkFields(chunk: Chunk): Omit<AnswerJson["passages"][number], "rank" | "score"> {
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
