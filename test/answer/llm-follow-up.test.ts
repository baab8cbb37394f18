import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createConversationMemory, type ConversationTurn } from "../../src/answer/llm/memory.js";
import { createLlmComposer } from "../../src/answer/llm/composer.js";
import { startOpenAiServer, type FakeOpenAiServer } from "../helpers/openai-server.js";
import { useSampleEngine } from "../helpers/sample-engine.js";

const sample = useSampleEngine("llm-follow-up-");

/** A history of one earlier turn. */
function after(question: string, answer?: string): ConversationTurn[] {
  return [answer === undefined ? { question, atMs: 0 } : { question, answer, atMs: 0 }];
}

describe("createConversationMemory", () => {
  it("keeps the newest maxTurns turns of a chat, oldest first", () => {
    const memory = createConversationMemory({ maxTurns: 2, now: () => 1000 });
    memory.remember(1, { question: "一" });
    memory.remember(1, { question: "二" });
    memory.remember(1, { question: "三", answer: "答三" });
    expect(memory.history(1)).toEqual([
      { question: "二", atMs: 1000 },
      { question: "三", answer: "答三", atMs: 1000 },
    ]);
  });

  it("keeps chats apart", () => {
    const memory = createConversationMemory();
    memory.remember(1, { question: "嘉兴的基金有多大?" });
    memory.remember("2", { question: "平湖有多少企业?" });
    expect(memory.history(1).map((t) => t.question)).toEqual(["嘉兴的基金有多大?"]);
    expect(memory.history(2).map((t) => t.question)).toEqual(["平湖有多少企业?"]);
    expect(memory.history(3)).toEqual([]);
  });

  it("forgets the least recently used chat beyond maxChats", () => {
    const memory = createConversationMemory({ maxChats: 2 });
    memory.remember("a", { question: "A" });
    memory.remember("b", { question: "B" });
    memory.history("a"); // a is now more recent than b
    memory.remember("c", { question: "C" });
    expect(memory.size).toBe(2);
    expect(memory.history("b")).toEqual([]);
    expect(memory.history("a").map((t) => t.question)).toEqual(["A"]);
    expect(memory.history("c").map((t) => t.question)).toEqual(["C"]);
  });

  it("expires turns older than ttlMs and drops chats with none left", () => {
    let clock = 0;
    const memory = createConversationMemory({ ttlMs: 60_000, now: () => clock });
    memory.remember(1, { question: "旧问题" });
    clock = 30_000;
    memory.remember(1, { question: "新问题" });
    clock = 70_000;
    expect(memory.history(1).map((t) => t.question)).toEqual(["新问题"]);
    clock = 200_000;
    expect(memory.history(1)).toEqual([]);
    expect(memory.size).toBe(0);
  });

  it("shortens stored answers and forgets a chat on request", () => {
    const memory = createConversationMemory({ maxAnswerChars: 5 });
    memory.remember(1, { question: "问", answer: "一二三四五六七" });
    expect(memory.history(1)[0]?.answer).toBe("一二三四五");
    memory.forget(1);
    expect(memory.history(1)).toEqual([]);
  });

  it("keeps the cited article ids of a turn, without repeats, and none for an answer without citations", () => {
    const memory = createConversationMemory({ now: () => 5 });
    memory.remember(1, { question: "问一", answer: "答一", articleIds: ["a", "b", "a", "c", "d"] });
    memory.remember(1, { question: "问二", answer: "答二", articleIds: [] });
    expect(memory.history(1)).toEqual([
      { question: "问一", answer: "答一", articleIds: ["a", "b", "c"], atMs: 5 },
      { question: "问二", answer: "答二", atMs: 5 },
    ]);
  });

  it("refuses a non-positive bound", () => {
    expect(() => createConversationMemory({ maxChats: 0 })).toThrow(/maxChats/u);
  });
});

describe("LlmComposer.rewrite", () => {
  let server: FakeOpenAiServer;
  beforeEach(async () => {
    server = await startOpenAiServer();
  });
  afterEach(async () => {
    await server.close();
  });
  const composer = () =>
    createLlmComposer({
      baseUrl: server.baseUrl,
      model: "fake-model",
      timeoutMs: 2000,
      now: () => new Date("2026-03-08T02:00:00Z"),
    });
  const history = after("嘉兴的人工智能专项基金有多大?", "嘉兴的基金规模为……[1]");

  it("uses the model's standalone question and sends it the history, the question and today's date", async () => {
    server.enqueue({ kind: "answer", content: "改写后的问题:“平湖的人工智能专项基金有多大?”" });
    const out = await composer().rewrite("那平湖呢?", history, { archive: sample.engine.index });
    expect(out).toEqual({ question: "平湖的人工智能专项基金有多大?", source: "llm" });
    const prompt = server.requests[0]?.messages[0]?.content ?? "";
    expect(prompt).toContain("今天是2026年3月8日");
    expect(prompt).toContain(
      "<history>\n用户:嘉兴的人工智能专项基金有多大?\n助手:嘉兴的基金规模为……〔1〕\n</history>",
    );
    expect(prompt).toContain("新问题:那平湖呢?");
  });

  it("falls back to the rules when the endpoint fails", async () => {
    server.enqueue({ kind: "status", status: 500 });
    const out = await composer().rewrite("那平湖呢?", history, { archive: sample.engine.index });
    expect(out).toMatchObject({
      question: "平湖的人工智能专项基金有多大?",
      source: "rules",
      fallbackReason: "server-error",
    });
  });

  it("falls back to the rules when the model's rewrite loses what the user asked about", async () => {
    server.enqueue({ kind: "answer", content: "嘉兴的人工智能专项基金有多大?" });
    const out = await composer().rewrite("那平湖呢?", history, { archive: sample.engine.index });
    expect(out).toMatchObject({
      question: "平湖的人工智能专项基金有多大?",
      fallbackReason: "unverified",
    });
  });

  it("does not call the model without history or for a long standalone question", async () => {
    const llm = composer();
    expect(await llm.rewrite("那平湖呢?", [], { archive: sample.engine.index })).toEqual({
      question: "那平湖呢?",
      source: "unchanged",
    });
    const long = "阿里巴巴长三角智能计算基地的总投资是多少亿元,目前建设到了哪一步?";
    expect(await llm.rewrite(long, history, { archive: sample.engine.index })).toEqual({
      question: long,
      source: "unchanged",
    });
    expect(server.requests).toHaveLength(0);
  });

  it("does not call the model for a short question that names its own subject", async () => {
    const llm = composer();
    for (const own of ["阿里巴巴那个基地投了多少钱,什么时候建好?", "那个做记忆棉床垫的公司叫啥?"]) {
      expect(await llm.rewrite(own, history, { archive: sample.engine.index })).toEqual({
        question: own,
        source: "unchanged",
      });
    }
    expect(server.requests).toHaveLength(0);
  });
});
