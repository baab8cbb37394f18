import { describe, expect, it } from "vitest";
import {
  isCorrect,
  isRelevant,
  quantile,
  scoreAnswer,
  summarize,
  type EvalQuestion,
} from "../../src/eval/metrics.js";
import type { Answer, Chunk } from "../../src/types.js";

const chunk = (id: string, text: string): Chunk => ({
  id,
  articleId: id.split("#")[0] ?? id,
  ordinal: 0,
  text,
  sentenceStart: 0,
  sentenceEnd: 1,
  headline: "标题",
  byline: [],
  paper: "平湖日报",
  date: "2025-02-10",
  source: "x.txt",
  kind: "news",
});

const q: EvalQuestion = {
  id: "q1",
  question: "独山港一季度推进多少个重点项目?",
  type: "fact",
  answerable: true,
  evidence: "25个重点项目，总投资超120亿元",
  answer_keywords: ["25个", "120亿元"],
};

describe("eval metrics", () => {
  it("judges relevance with whitespace removed", () => {
    expect(isRelevant(q, "加快推进 25个重点项目，总投资超\n120亿元。")).toBe(true);
    expect(isRelevant(q, "25个项目")).toBe(false);
  });
  it("needs every keyword and one of answer_any", () => {
    expect(isCorrect(q, "25 个重点项目,总投资超120亿元")).toBe(true);
    expect(isCorrect(q, "25个")).toBe(false);
    expect(isCorrect({ ...q, answer_keywords: [], answer_any: ["甲", "乙"] }, "乙")).toBe(true);
  });
  it("scores ranks, correctness and citation support", () => {
    const relevant = chunk("a#0", "推进25个重点项目，总投资超120亿元。");
    const other = chunk("b#0", "无关内容。");
    const answer: Answer = {
      question: q.question,
      text: "推进25个重点项目，总投资超120亿元。[1]无关内容。[2]",
      abstained: false,
      citations: [
        { n: 1, chunk: relevant },
        { n: 2, chunk: other },
      ],
      passages: [
        { chunk: other, rank: 1, score: 1 },
        { chunk: relevant, rank: 2, score: 0.5 },
      ],
    };
    const r = scoreAnswer(q, answer, 3);
    expect(r.firstRelevantRank).toBe(2);
    expect(r.correct).toBe(true);
    expect(r.supportedCitations).toBe(2);
    const s = summarize([r]);
    expect(s.hitAt1).toBe(0);
    expect(s.hitAt5).toBe(1);
    expect(s.mrrAt10).toBe(0.5);
  });
  it("computes quantiles", () => {
    expect(quantile([5, 1, 3, 2, 4], 0.5)).toBe(3);
    expect(quantile([], 0.5)).toBe(0);
  });
});
