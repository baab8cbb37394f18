import { describe, expect, it } from "vitest";
import { detectSmallTalk, stripGreeting } from "../../src/answer/small-talk.js";
import { readEvalQuestions } from "../helpers/eval-questions.js";
import { useSampleEngine } from "../helpers/sample-engine.js";

const sample = useSampleEngine("small-talk-");

describe("detectSmallTalk", () => {
  it("takes greetings, thanks, goodbyes and questions about the bot as small talk", () => {
    const index = sample.engine.index;
    const cases: [string, string][] = [
      ["你好", "greeting"],
      ["您好!", "greeting"],
      ["hi", "greeting"],
      ["Hello!", "greeting"],
      ["在吗?", "greeting"],
      ["早上好,小助手", "greeting"],
      ["谢谢", "thanks"],
      ["谢谢你,机器人!", "thanks"],
      ["好的,多谢", "thanks"],
      ["thanks", "thanks"],
      ["再见", "farewell"],
      ["你是谁?", "identity"],
      ["你好,你是谁", "identity"],
      ["你能做什么", "identity"],
      ["你叫什么名字?", "identity"],
      ["what can you do?", "identity"],
    ];
    for (const [message, intent] of cases) {
      expect(detectSmallTalk(message, index), message).toBe(intent);
    }
  });

  it("does not take a question that starts with a greeting or a social word for small talk", () => {
    const index = sample.engine.index;
    for (const question of [
      "你好,平湖的人工智能基金多大?",
      "你好,请问高裕家居在哪?",
      "谢谢,那平湖呢?",
      "感谢信是谁写的?",
      "你好 新埭镇",
      "平湖的人工智能专项基金有多大?",
    ]) {
      expect(detectSmallTalk(question, index), question).toBeUndefined();
    }
  });

  it("classifies none of the public eval questions as small talk, and strips no greeting from them", () => {
    const index = sample.engine.index;
    const questions = readEvalQuestions();
    expect(questions.length).toBeGreaterThan(200);
    const smallTalk = questions.filter((q) => detectSmallTalk(q.question, index) !== undefined);
    expect(smallTalk).toEqual([]);
    expect(questions.filter((q) => stripGreeting(q.question) !== q.question)).toEqual([]);
  });
});

describe("stripGreeting", () => {
  it("takes a greeting set apart off the front of a question, and leaves other words", () => {
    expect(stripGreeting("你好,平湖的人工智能基金多大?")).toBe("平湖的人工智能基金多大?");
    expect(stripGreeting("您好!请问高裕家居在哪个镇?")).toBe("高裕家居在哪个镇?");
    expect(stripGreeting("感谢信是谁写的?")).toBe("感谢信是谁写的?");
    expect(stripGreeting("你好")).toBe("你好");
  });
});

describe("engine: small talk", () => {
  it("replies to a greeting with what the bot can do, without a citation or a passage", async () => {
    const answer = await sample.engine.ask("你好");
    expect(answer.source).toBe("small-talk");
    expect(answer.citations).toEqual([]);
    expect(answer.passages).toEqual([]);
    expect(answer.abstained).toBe(false);
    expect(answer.text).toMatch(/^你好!我是本地新闻问答机器人/u);
    expect(answer.text).toContain("注明出处");
    // What it holds comes from the index: five sample editions, the newest of 2026-03-07.
    expect(answer.text).toContain("目前收录了 5 期报纸");
    expect(answer.text).toContain("最新一期是2026年3月7日");
  });

  it("thanks and 你是谁 get their own short replies", async () => {
    const thanks = await sample.engine.ask("谢谢!");
    expect(thanks.text).toMatch(/^不客气/u);
    expect(thanks.citations).toEqual([]);
    const who = await sample.engine.ask("你是谁?");
    expect(who.text).toMatch(/^我是本地新闻问答机器人/u);
  });

  it("answers a real question that starts with 你好, with a citation", async () => {
    const answer = await sample.engine.ask("你好,平湖的人工智能专项基金总规模多少?");
    expect(answer.source).toBe("extractive");
    expect(answer.abstained).toBe(false);
    expect(answer.text).toContain("3亿元");
    expect(answer.citations.length).toBeGreaterThan(0);
  });
});
