import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ABSTAIN_TEXT, NEAR_MISS_TEXT } from "../../src/answer/extractive.js";
import type { Engine } from "../../src/engine.js";
import { IndexError } from "../../src/errors.js";
import { TEXTS } from "../../src/bot/texts.js";
import { BOT_ID, BOT_USERNAME } from "./helpers/fake-telegram.js";
import type { BotMessage } from "./helpers/fake-telegram.js";
import { startHarness } from "./helpers/harness.js";
import type { Harness } from "./helpers/harness.js";

const LONG_PREFIX = "请详细说说:";
const FAIL = "触发故障";
const INDEX_DOWN = "新闻库坏了";

/**
 * The real engine, except: answers to "请详细说说:…" are the real answer repeated past 5,000
 * characters; "触发故障" throws a plain error and "新闻库坏了" an IndexError.
 */
function testEngine(engine: Engine): Engine {
  return {
    get index() {
      return engine.index;
    },
    embedder: engine.embedder,
    reload: () => engine.reload(),
    async ask(question, options) {
      if (question.includes(FAIL)) throw new Error("boom: simulated engine failure");
      if (question.includes(INDEX_DOWN))
        throw new IndexError("INDEX_CORRUPT", "simulated corrupt index");
      if (!question.startsWith(LONG_PREFIX)) return engine.ask(question, options);
      const answer = await engine.ask(question.slice(LONG_PREFIX.length), options);
      let text = answer.text;
      while (text.length < 5000) text += `\n\n${answer.text}`;
      return { ...answer, text };
    },
  };
}

const buttons = (m: BotMessage): { text: string; callback_data?: string }[] =>
  m.reply_markup?.inline_keyboard?.flat() ?? [];
const visible = (html: string): string => html.replace(/<[^>]*>/gu, "").replace(/\s+/gu, "");

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ wrapEngine: testEngine, rateLimit: { burst: 5, perMinute: 0.001 } });
});
afterAll(async () => {
  await h?.stop();
});

describe("asking in a private chat", () => {
  it("answers with citations, a compact source list and a 来源 button that shows the passage", async () => {
    const user = { userId: 11 };
    await h.tg.sendMessage(user, "嘉兴这次新增了几家地理标志专用标志使用企业?");
    const [answer] = await h.waitForMessages(11);
    expect(answer?.parse_mode).toBe("HTML");
    expect(answer?.text).toContain("10家");
    expect(answer?.text).toMatch(/\[1\]/u);
    expect(answer?.text).toMatch(/<b>来源<\/b>\n\[1\] 嘉兴日报 2026年3月7日《[^》]+》/u);
    const labels = buttons(answer as BotMessage).map((b) => b.text);
    expect(labels).toEqual(expect.arrayContaining(["来源 1", "👍", "👎"]));
    for (const b of buttons(answer as BotMessage)) {
      expect(Buffer.byteLength(b.callback_data ?? "")).toBeLessThanOrEqual(64);
    }

    const source = buttons(answer as BotMessage).find((b) => b.text === "来源 1");
    await h.tg.pressButton(user, answer as BotMessage, source?.callback_data ?? "");
    const [passage] = await h.waitForMessages(11);
    expect(passage?.text).toMatch(/^<b>来源 1<\/b>\n<b>《[^》]+》<\/b>\n嘉兴日报 · 2026年3月7日/u);
    expect(passage?.text).toContain("<blockquote>");
    expect(passage?.text).toContain("10家");
  });

  it("rewrites a follow-up with the chat's previous question and says how it understood it", async () => {
    const user = { userId: 12 };
    await h.tg.sendMessage(user, "嘉兴这次新增了几家地理标志专用标志使用企业?");
    await h.waitForMessages(12);
    await h.tg.sendMessage(user, "那平湖呢?");
    const [reply] = await h.waitForMessages(12);
    expect(reply?.text).toMatch(/^<i>理解为:[^<]*平湖[^<]*地理标志[^<]*<\/i>/u);
  });

  it("reads 它 as the company of the previous question, by its full name, and leaves standalone questions alone", async () => {
    const user = { userId: 31 };
    await h.tg.sendMessage(user, "高裕家居主要生产什么产品?");
    await h.waitForMessages(31);
    await h.tg.sendMessage(user, "它在哪个镇?");
    const [follow] = await h.waitForMessages(31);
    expect(follow?.text).toMatch(/^<i>理解为:浙江高裕家居科技股份有限公司在哪个镇\?<\/i>/u);
    await h.tg.sendMessage(user, "阿里巴巴那个基地投了多少钱,什么时候建好?");
    const [own] = await h.waitForMessages(31);
    expect(own?.text).not.toContain("理解为");
    expect(own?.text).toContain("143亿元");
  });

  it("answers a greeting with what the bot does, without source buttons", async () => {
    await h.tg.sendMessage({ userId: 32 }, "你好");
    const [reply] = await h.waitForMessages(32);
    expect(reply?.text).toMatch(/^你好!我是本地新闻问答机器人/u);
    expect(buttons(reply as BotMessage).map((b) => b.text)).toEqual(["👍", "👎"]);
  });

  it("says honestly that the archive does not hold the answer, and shows what it does hold", async () => {
    await h.tg.sendMessage({ userId: 12 }, "阿里巴巴长三角智能计算基地什么时候全部建成?");
    const [reply] = await h.waitForMessages(12);
    expect(reply?.text.startsWith(NEAR_MISS_TEXT)).toBe(true);
    expect(reply?.text).toContain("来源");
    expect(buttons(reply as BotMessage).map((b) => b.text)).toEqual(["来源 1", "👍", "👎"]);
  });

  it("says plainly that the archive does not hold a place it never mentions, without source buttons", async () => {
    await h.tg.sendMessage({ userId: 57 }, "桐乡今年一季度有多少个重大项目集中开工?");
    const [reply] = await h.waitForMessages(57);
    expect(reply?.text).toBe(ABSTAIN_TEXT);
    expect(buttons(reply as BotMessage).map((b) => b.text)).toEqual(["👍", "👎"]);
  });

  it("still replies when the typing indicator fails", async () => {
    h.tg.failChatAction = true;
    try {
      await h.tg.sendMessage({ userId: 13 }, "平湖设立的人工智能专项基金总规模多少?");
      const [reply] = await h.waitForMessages(13);
      expect(reply?.text).toContain("3亿元");
    } finally {
      h.tg.failChatAction = false;
    }
    // The failing call really happened, and was only logged (the indicator is not awaited, so
    // its failure may be logged after the reply went out).
    await h.tg.waitForCall("sendChatAction", (c) => c.body.chat_id === 13);
    for (let tries = 0; tries < 200; tries++) {
      if (h.logs.some((l) => l.msg === "typing indicator failed" && l.chatId === 13)) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(h.logs.some((l) => l.msg === "typing indicator failed" && l.chatId === 13)).toBe(true);
  });

  it("records 👍/👎 once per user in the state store", async () => {
    const user = { userId: 14 };
    await h.tg.sendMessage(user, "田园五镇大赛创业组最高奖金是多少?");
    const [answer] = await h.waitForMessages(14);
    const down = buttons(answer as BotMessage).find((b) => b.text === "👎")?.callback_data ?? "";
    await h.tg.pressButton(user, answer as BotMessage, down);
    await h.tg.waitForCall("answerCallbackQuery", (c) => c.body.text === TEXTS.feedbackThanks);
    await h.tg.pressButton(user, answer as BotMessage, down);
    await h.tg.waitForCall("answerCallbackQuery", (c) => c.body.text === TEXTS.feedbackAlready);
    const summary = await h.deps.state.feedbackSummary(100);
    const entries = summary.recentDown.filter((e) => e.userId === 14);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      verdict: "down",
      question: "田园五镇大赛创业组最高奖金是多少?",
      abstained: false,
    });
  });

  it("splits a 5,000-character answer into valid messages, buttons under the last", async () => {
    await h.tg.sendMessage({ userId: 15 }, `${LONG_PREFIX}平湖设立的人工智能专项基金总规模多少?`);
    const first = await h.waitForMessages(15, 2);
    const all = [...first, ...h.tg.messagesTo(15).slice(2)];
    expect(all.length).toBeGreaterThanOrEqual(2);
    const total = all.reduce((n, m) => n + m.text.length, 0);
    expect(total).toBeGreaterThan(5000);
    for (const m of all) expect(m.text.length).toBeLessThanOrEqual(4096);
    expect(all.slice(0, -1).every((m) => buttons(m).length === 0)).toBe(true);
    expect(buttons(all.at(-1) as BotMessage).map((b) => b.text)).toContain("来源 1");
    expect(all.at(-1)?.text).toContain("<b>来源</b>");
    expect(visible(all.map((m) => m.text).join(""))).toContain("3亿元");
  });

  it("answers stickers, photos and unknown commands with a short hint", async () => {
    const user = { userId: 16 };
    await h.tg.sendMessage(user, undefined, {
      sticker: {
        file_id: "s1",
        file_unique_id: "s1",
        type: "regular",
        width: 1,
        height: 1,
        is_animated: false,
        is_video: false,
      },
    });
    await h.tg.sendMessage(user, undefined, {
      photo: [{ file_id: "p1", file_unique_id: "p1", width: 1, height: 1 }],
    });
    await h.tg.sendMessage(user, "/frobnicate 42");
    const replies = await h.waitForMessages(16, 3);
    expect(replies.map((r) => r.text)).toEqual([
      TEXTS.notText,
      TEXTS.notText,
      TEXTS.unknownCommand,
    ]);
  });

  it("answers a question full of HTML markup with a reply that still parses", async () => {
    await h.tg.sendMessage(
      { userId: 17 },
      "<b>请问</b> & <script>平湖设立的人工智能专项基金总规模多少?</script>",
    );
    const [reply] = await h.waitForMessages(17);
    // waitForMessages has checked the reply is valid Telegram HTML.
    expect(reply?.text).toContain("3亿元");
  });

  it("limits a user who asks too fast with one notice that counts every unanswered question", async () => {
    const user = { userId: 18 };
    for (let i = 0; i < 8; i++) await h.tg.sendMessage(user, "/latest");
    const replies = await h.waitForMessages(18, 6);
    // The notice is sent as the message arrives, so it may come before the slower answers.
    const notices = replies.filter((r) => /^提问太频繁了,请 \d+ 秒后再试。/u.test(r.text));
    expect(notices).toHaveLength(1);
    expect(replies.filter((r) => r.text.includes("最新一期"))).toHaveLength(5);
    // The later refusals edit that notice rather than send more messages.
    const id = notices[0]?.message_id;
    for (let tries = 0; tries < 200; tries++) {
      const notice = h.tg.messagesTo(18).find((m) => m.message_id === id);
      if (notice?.text.includes("已有 3 个问题没有回答")) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(h.tg.messagesTo(18).find((m) => m.message_id === id)?.text).toContain(
      "已有 3 个问题没有回答",
    );
    expect(h.tg.messagesTo(18)).toHaveLength(6);
  });

  it("does not count taps on buttons against the question limit", async () => {
    const user = { userId: 21 };
    await h.tg.sendMessage(user, "平湖设立的人工智能专项基金总规模多少?");
    const [answer] = await h.waitForMessages(21);
    const source = buttons(answer as BotMessage).find((b) => b.text === "来源 1")?.callback_data;
    for (let i = 0; i < 8; i++) await h.tg.pressButton(user, answer as BotMessage, source ?? "");
    const passages = await h.waitForMessages(21, 8);
    expect(passages.every((p) => p.text.startsWith("<b>来源 1</b>"))).toBe(true);
  });
});

describe("the error boundary", () => {
  it("turns any failure into a polite Chinese reply and one structured log line", async () => {
    await h.tg.sendMessage({ userId: 19 }, `${FAIL}了吗?`);
    await h.tg.sendMessage({ userId: 19 }, `${INDEX_DOWN}吗?`);
    await h.tg.sendMessage({ userId: 19 }, "平湖设立的人工智能专项基金总规模多少?");
    const [plain, typed, next] = await h.waitForMessages(19, 3);
    expect(plain?.text).toBe(TEXTS.genericError);
    expect(typed?.text).toBe("新闻库暂时不可用,管理员正在处理,请稍后再试。");
    expect(next?.text).toContain("3亿元"); // and the bot carries on
    const lines = h.logs.filter((l) => l.msg === "update failed" && l.userId === 19);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      level: 50,
      error: { type: "Error", message: "boom: simulated engine failure" },
    });
    expect(lines[1]).toMatchObject({ error: { type: "IndexError", code: "INDEX_CORRUPT" } });
  });
});

describe("asking in a group", () => {
  it("stays silent unless mentioned, replied to, or asked with /ask", async () => {
    const chat = { chatId: -1001, userId: 21, type: "supergroup" as const };
    await h.tg.sendMessage(chat, "今天天气不错,平湖设立的人工智能专项基金总规模多少?");
    await h.tg.sendMessage(chat, undefined, {
      sticker: {
        file_id: "s2",
        file_unique_id: "s2",
        type: "regular",
        width: 1,
        height: 1,
        is_animated: false,
        is_video: false,
      },
    });
    await h.tg.sendMessage(chat, "/search@OtherBot 算力");
    await h.tg.sendMessage(chat, "/frobnicate");

    const mention = `@${BOT_USERNAME}`;
    await h.tg.sendMessage(chat, `${mention} 平湖设立的人工智能专项基金总规模多少?`, {
      message_id: 501,
      entities: [{ type: "mention", offset: 0, length: mention.length }],
    });
    await h.tg.sendMessage({ ...chat, userId: 22 }, "田园五镇大赛创业组最高奖金是多少?", {
      reply_to_message: {
        message_id: 1,
        date: 0,
        chat: { id: -1001, type: "supergroup", title: "群" },
        from: { id: BOT_ID, is_bot: true, first_name: "Bot" },
        text: "上一条回答",
      },
    });
    await h.tg.sendMessage(chat, "/ask 嘉兴融担的科创担保产品费率降到了多少?");
    const replies = await h.waitForMessages(-1001, 3);
    expect(replies[0]?.text).toContain("3亿元");
    expect(replies[1]?.text).toContain("40000元");
    expect(replies[2]?.text).toContain("0.2%");
    // Updates of one chat are handled in order, so everything before was handled, silently.
    expect(h.tg.messagesTo(-1001)).toHaveLength(3);
  });
});
