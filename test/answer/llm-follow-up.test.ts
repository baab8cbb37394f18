import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isFollowUp, rewriteFollowUp } from "../../src/answer/llm/follow-up.js";
import { createConversationMemory, type ConversationTurn } from "../../src/answer/llm/memory.js";
import { createLlmComposer } from "../../src/answer/llm/composer.js";
import { startOpenAiServer, type FakeOpenAiServer } from "../helpers/openai-server.js";

/** A history of one earlier turn. */
function after(question: string, answer?: string): ConversationTurn[] {
  return [answer === undefined ? { question, atMs: 0 } : { question, answer, atMs: 0 }];
}

describe("rewriteFollowUp (rules, no LLM)", () => {
  it("substitutes a new place into the previous question: 那平湖呢?", () => {
    expect(rewriteFollowUp("那平湖呢?", after("嘉兴的人工智能专项基金有多大?"))).toBe(
      "平湖的人工智能专项基金有多大?",
    );
    expect(rewriteFollowUp("平湖呢", after("嘉兴的人工智能专项基金有多大?"))).toBe(
      "平湖的人工智能专项基金有多大?",
    );
    expect(rewriteFollowUp("那独山港呢?", after("平湖一季度推进多少个重点项目?"))).toBe(
      "独山港一季度推进多少个重点项目?",
    );
  });

  it("substitutes the place in 那…多少? questions", () => {
    expect(rewriteFollowUp("那平湖多少?", after("嘉兴的人工智能专项基金有多大?"))).toBe(
      "平湖的人工智能专项基金有多大?",
    );
  });

  it("chains follow-ups through the stored standalone question", () => {
    const first = rewriteFollowUp("那平湖呢?", after("嘉兴的人工智能专项基金有多大?"));
    expect(rewriteFollowUp("那嘉善呢?", after(first))).toBe("嘉善的人工智能专项基金有多大?");
  });

  it("substitutes an organisation for an organisation", () => {
    expect(rewriteFollowUp("那润泽智算中心呢?", after("阿里长三角智算基地总投资多少?"))).toBe(
      "润泽智算中心总投资多少?",
    );
    expect(rewriteFollowUp("那平湖农商银行呢?", after("嘉善农商行给了多少贷款?"))).toBe(
      "平湖农商银行给了多少贷款?",
    );
  });

  it("substitutes a time for a time", () => {
    expect(rewriteFollowUp("那2024年呢?", after("平湖2025年人工智能产业营收增长多少?"))).toBe(
      "平湖2024年人工智能产业营收增长多少?",
    );
  });

  it("replaces a pronoun with the company the previous answer named", () => {
    const history = after(
      "哪家公司获得了嘉善农商银行的科技成果转化贷?",
      "昊柏(嘉兴)人工智能科技有限公司获得了400万元研发资金。[1]",
    );
    expect(rewriteFollowUp("它和哪所大学合作?", history)).toBe(
      "昊柏(嘉兴)人工智能科技有限公司和哪所大学合作?",
    );
  });

  it("replaces 这家公司 with the company the previous question named", () => {
    expect(
      rewriteFollowUp("这家公司和哪所大学合作?", after("昊柏人工智能科技有限公司在研究什么项目?")),
    ).toBe("昊柏人工智能科技有限公司和哪所大学合作?");
  });

  it("repeats the previous question for 还有呢?", () => {
    expect(rewriteFollowUp("还有呢?", after("平湖一季度推进多少个重点项目?"))).toBe(
      "平湖一季度推进多少个重点项目?",
    );
  });

  it("keeps the previous question's terms and adds the new subject when nothing can be swapped", () => {
    const out = rewriteFollowUp("那光伏呢?", after("平湖的人工智能专项基金有多大?"));
    expect(out).toContain("光伏");
    expect(out).toContain("平湖的人工智能专项基金有多大");
  });

  it("leaves standalone questions and first questions unchanged", () => {
    const standalone = "阿里巴巴长三角智能计算基地总投资是多少?";
    expect(rewriteFollowUp(standalone, after("平湖的人工智能专项基金有多大?"))).toBe(standalone);
    expect(rewriteFollowUp("那平湖呢?", [])).toBe("那平湖呢?");
    expect(isFollowUp(standalone)).toBe(false);
    expect(isFollowUp("那平湖呢?")).toBe(true);
    expect(isFollowUp("它是哪年成立的?")).toBe(true);
  });

  it("leaves a 那个… question that describes its own subject alone, and keeps 那+place ones", () => {
    const own = "那个做记忆棉床垫的公司叫啥?";
    expect(isFollowUp(own)).toBe(false);
    expect(rewriteFollowUp(own, after("阿里巴巴长三角智能计算基地总投资多少?"))).toBe(own);
    expect(isFollowUp("那家做记忆棉床垫的公司叫什么名字?")).toBe(false);
    for (const follow of ["那平湖的呢?", "那平湖有多少家企业?", "这家公司去年营收多少?"]) {
      expect(isFollowUp(follow)).toBe(true);
    }
  });
});

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
    const out = await composer().rewrite("那平湖呢?", history);
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
    const out = await composer().rewrite("那平湖呢?", history);
    expect(out).toMatchObject({
      question: "平湖的人工智能专项基金有多大?",
      source: "rules",
      fallbackReason: "server-error",
    });
  });

  it("falls back to the rules when the model's rewrite loses what the user asked about", async () => {
    server.enqueue({ kind: "answer", content: "嘉兴的人工智能专项基金有多大?" });
    const out = await composer().rewrite("那平湖呢?", history);
    expect(out).toMatchObject({
      question: "平湖的人工智能专项基金有多大?",
      fallbackReason: "unverified",
    });
  });

  it("does not call the model without history or for a long standalone question", async () => {
    const llm = composer();
    expect(await llm.rewrite("那平湖呢?", [])).toEqual({
      question: "那平湖呢?",
      source: "unchanged",
    });
    const long = "阿里巴巴长三角智能计算基地的总投资是多少亿元,目前建设到了哪一步?";
    expect(await llm.rewrite(long, history)).toEqual({ question: long, source: "unchanged" });
    expect(server.requests).toHaveLength(0);
  });
});
