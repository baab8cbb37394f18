import type { Answer } from "../types.js";

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

/** Converts an answer to its stable JSON shape. */
export function answerToJson(answer: Answer): AnswerJson {
  return {
    question: answer.question,
    answer: answer.text,
    abstained: answer.abstained,
    citations: answer.citations.map(({ n, chunk }) => ({
      n,
      articleId: chunk.articleId,
      paper: chunk.paper,
      date: chunk.date,
      title: chunk.headline,
      source: chunk.source,
      text: chunk.text,
    })),
    passages: answer.passages.map((p) => ({
      rank: p.rank,
      articleId: p.chunk.articleId,
      paper: p.chunk.paper,
      date: p.chunk.date,
      title: p.chunk.headline,
      source: p.chunk.source,
      text: p.chunk.text,
      score: Number(p.score.toFixed(6)),
    })),
  };
}
