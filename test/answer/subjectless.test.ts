import { describe, expect, it } from "vitest";
import { answerSubjectless, ASK_FOR_SUBJECT, namesNothing } from "../../src/answer/subjectless.js";
import { readEvalQuestions } from "../helpers/eval-questions.js";
import { useSampleEngine } from "../helpers/sample-engine.js";

const sample = useSampleEngine("subjectless-");

/** 2026-12-07 00:36 UTC: Monday 7 December, 08:36 in Beijing. */
const NOW = new Date("2026-12-07T00:36:00Z");

describe("namesNothing", () => {
  it("takes a question word alone, or with a pronoun, for a question that names nothing", () => {
    for (const q of [
      "多高?",
      "星期几",
      "几点了?",
      "是谁?",
      "多久?",
      "他多高?",
      "多大年纪?",
      "为什么?",
    ]) {
      expect(namesNothing(q), q).toBe(true);
    }
  });

  it("finds what a question is about, however short", () => {
    for (const q of [
      "北塔多高?",
      "平湖",
      "雨大吗?",
      "高裕家居在哪?",
      "今天天气怎么样?",
      "谁主持的创新学堂?",
    ]) {
      expect(namesNothing(q), q).toBe(false);
    }
  });

  it("finds a subject in every public eval question", () => {
    for (const q of readEvalQuestions()) {
      expect(namesNothing(q.question), q.question).toBe(false);
    }
  });
});

describe("answerSubjectless", () => {
  it("answers the date and the time of day asked of now from the clock, in Beijing time", () => {
    const day = answerSubjectless("今天星期几?", NOW);
    expect(day?.text).toMatch(/^今天是2026年12月7日,星期一。/u);
    expect(day?.abstained).toBe(false);
    expect(day?.citations).toEqual([]);
    expect(answerSubjectless("今天几号", NOW)?.text).toContain("2026年12月7日");
    expect(answerSubjectless("现在几点了?", NOW)?.text).toMatch(
      /^现在是北京时间8:36,2026年12月7日/u,
    );
    // 23:30 UTC is already the next day in Beijing.
    const late = answerSubjectless("今天几号?", new Date("2026-12-06T23:30:00Z"));
    expect(late?.text).toContain("2026年12月7日,星期一");
  });

  it("asks what a question word alone is about, citing nothing", () => {
    const answer = answerSubjectless("多高?", NOW);
    expect(answer?.text).toBe(ASK_FOR_SUBJECT);
    expect(answer?.abstained).toBe(true);
    expect(answer?.citations).toEqual([]);
    expect(answer?.passages).toEqual([]);
  });

  it("leaves a question with a subject to the archive", () => {
    expect(answerSubjectless("北塔有多高?", NOW)).toBeUndefined();
    expect(answerSubjectless("第134期创新学堂是星期几举行的?", NOW)).toBeUndefined();
  });
});

describe("engine: questions that name nothing", () => {
  it("cites no sentence for a question word alone, and answers others as before", async () => {
    for (const q of ["多高?", "多久?", "是谁?"]) {
      const answer = await sample.engine.ask(q);
      expect(answer.citations, q).toEqual([]);
      expect(answer.text, q).toBe(ASK_FOR_SUBJECT);
    }
    const real = await sample.engine.ask("2#楼北塔有多高?");
    expect(real.abstained).toBe(false);
    expect(real.text).toContain("59.4米");
    expect(real.citations.length).toBeGreaterThan(0);
  });

  it("answers 今天星期几 from the engine's clock, not from the newest edition", async () => {
    // The sample engine's clock reads Sunday 22 November 2026, noon in Beijing.
    const answer = await sample.engine.ask("今天星期几?");
    expect(answer.text).toMatch(/^今天是2026年11月22日,星期日。/u);
    expect(answer.citations).toEqual([]);
  });
});
