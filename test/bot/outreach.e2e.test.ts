import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Outbox } from "../../src/bot/outbox.js";
import { TEXTS } from "../../src/bot/texts.js";
import type { BotMessage, ChatOptions, FakeTelegram } from "./helpers/fake-telegram.js";
import { ADMIN_ID, FIXTURES, startHarness } from "./helpers/harness.js";
import type { Harness } from "./helpers/harness.js";

const admin = { userId: ADMIN_ID };
const CHANNEL = -1001234567890;

const buttons = (m: BotMessage): { text: string; callback_data?: string }[] =>
  m.reply_markup?.inline_keyboard?.flat() ?? [];
const button = (m: BotMessage | undefined, text: string): string =>
  buttons(m as BotMessage).find((b) => b.text === text)?.callback_data ?? "";

async function sendDocument(
  tg: FakeTelegram,
  chat: ChatOptions,
  fileName: string,
  bytes: Buffer,
  caption?: string,
): Promise<void> {
  const fileId = tg.addFile(fileName.replace(/[^\w.-]/gu, "_"), bytes);
  await tg.sendMessage(chat, undefined, {
    document: {
      file_id: fileId,
      file_unique_id: `u${fileId}`,
      file_name: fileName,
      file_size: bytes.length,
      mime_type: "text/plain",
    },
    ...(caption === undefined ? {} : { caption }),
  });
}

/** Waits (bounded) until `check` holds; a guard against a hung test, not a timing assertion. */
async function eventually(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let tries = 0; tries < 500; tries++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`never happened: ${what}`);
}

describe("buttons across a restart", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "lnb-restart-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("show their own answer's passage after a restart, never another user's", async () => {
    const first = await startHarness({ dir });
    await first.tg.sendMessage({ userId: 31 }, "平湖设立的人工智能专项基金总规模多少?");
    const [answer] = await first.waitForMessages(31);
    await first.tg.sendMessage({ userId: 31 }, "/search 算力");
    const [search] = await first.waitForMessages(31);
    await first.stop();

    const second = await startHarness({ dir });
    try {
      // After the restart another user is answered first: with counters this took key 0 again.
      await second.tg.sendMessage({ userId: 32 }, "嘉兴南湖机场用了多长时间建成?");
      const [other] = await second.waitForMessages(32);
      expect(other?.text).not.toBe(answer?.text);

      await second.tg.pressButton({ userId: 31 }, answer as BotMessage, button(answer, "来源 1"));
      const [passage] = await second.waitForMessages(31);
      expect(passage?.text).toMatch(/^<b>来源 1<\/b>/u);
      const cited = /\[1\] [^《]*《([^》]+)》/u.exec(answer?.text ?? "")?.[1] ?? "no citation";
      expect(passage?.text).toContain(cited.slice(0, 10));

      await second.tg.pressButton({ userId: 31 }, answer as BotMessage, button(answer, "👎"));
      await second.tg.waitForCall(
        "answerCallbackQuery",
        (c) => c.body.text === TEXTS.feedbackThanks,
      );
      const votes = (await second.deps.state.feedbackSummary(10)).recentDown;
      expect(votes.map((v) => [v.userId, v.question])).toEqual([
        [31, "平湖设立的人工智能专项基金总规模多少?"],
      ]);

      await second.tg.pressButton({ userId: 31 }, search as BotMessage, button(search, "全文 1"));
      const [article] = await second.waitForMessages(31);
      const listed = /1\. [^《]*《([^》]+)》/u.exec(search?.text ?? "")?.[1] ?? "no listing";
      expect(article?.text).toContain(listed.slice(0, 10));

      // A button from before keys were random (a counter) is told as expired.
      await second.tg.pressButton({ userId: 31 }, answer as BotMessage, "src:0:1");
      await second.tg.waitForCall(
        "answerCallbackQuery",
        (c) => c.body.text === TEXTS.buttonExpired,
      );
    } finally {
      await second.stop();
    }
  });
});

describe("reaching out", () => {
  let h: Harness;
  let clock = new Date("2026-03-09T23:00:00.000Z"); // 07:00 in Beijing
  beforeAll(async () => {
    h = await startHarness({
      now: () => clock,
      digestPattern: "* * * * * *",
      digestChannel: CHANNEL,
      outboxPerChatIntervalMs: 50,
    });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("refuses forged callback data from another chat", async () => {
    await h.tg.sendMessage({ userId: 41 }, "平湖设立的人工智能专项基金总规模多少?");
    const [answer] = await h.waitForMessages(41);
    const forger = { userId: 42 };
    await h.tg.pressButton(forger, answer as BotMessage, button(answer, "来源 1"));
    await h.tg.pressButton(forger, answer as BotMessage, button(answer, "👎"));
    await h.tg.pressButton(forger, answer as BotMessage, "src:0:1");
    await h.tg.pressButton(forger, answer as BotMessage, "fb:0:down");
    await eventually(
      () =>
        h.tg.calls.filter(
          (c) => c.method === "answerCallbackQuery" && c.body.text === TEXTS.buttonExpired,
        ).length >= 4,
      "four expired answers",
    );
    expect(h.tg.messagesTo(42)).toEqual([]);
    expect((await h.deps.state.feedbackSummary(10)).down).toBe(0);
  });

  it("alerts each subscriber once to new articles on their topic after an admin's upload", async () => {
    await h.tg.sendMessage({ userId: 61 }, "/subscribe 乌镇");
    await h.tg.sendMessage({ userId: 62 }, "/search 图书馆");
    await h.tg.sendMessage({ userId: 63 }, "/subscribe 机场");
    const [subscribed] = await h.waitForMessages(61);
    expect(subscribed?.text).toMatch(/^已订阅“乌镇”/u);
    const [search] = await h.waitForMessages(62);
    await h.tg.pressButton({ userId: 62 }, search as BotMessage, button(search, "订阅“图书馆”"));
    await h.tg.waitForCall("answerCallbackQuery", (c) =>
      String(c.body.text).startsWith("已订阅“图书馆”"),
    );
    await h.waitForMessages(63);

    const bytes = await readFile(path.join(FIXTURES, "tongxiang-edition.txt"));
    await sendDocument(h.tg, admin, "tongxiang.txt", bytes, "桐乡日报 2025-03-01");
    await h.waitForMessages(ADMIN_ID, 2);
    await h.deps.indexJobs.idle();

    const [alert] = await h.waitForMessages(61);
    expect(alert?.text).toMatch(/^<b>订阅提醒<\/b>:你关注的“乌镇”有 \d+ 篇新报道/u);
    expect(alert?.text).toContain("桐乡日报 · 2025年3月1日 · <b>《乌镇数字图书馆正式开馆");
    await h.tg.pressButton({ userId: 61 }, alert as BotMessage, button(alert, "全文 1"));
    const [full] = await h.waitForMessages(61);
    expect(full?.text).toContain("十二万册");
    const [other] = await h.waitForMessages(62);
    expect(other?.text).toContain("你关注的“图书馆”");
    expect(h.tg.messagesTo(63)).toHaveLength(1); // only the confirmation: nothing about 机场

    const [post] = await h.waitForMessages(CHANNEL);
    expect(post?.text).toMatch(/^<b>桐乡日报<\/b> 2025年3月1日 · 新一期/u);

    // A second job over the same editions sends nothing again.
    await h.tg.sendMessage(admin, "/reindex");
    await h.waitForMessages(ADMIN_ID, 2);
    await h.deps.indexJobs.idle();
    expect(h.tg.messagesTo(61).filter((m) => m.text.includes("订阅提醒"))).toHaveLength(1);
    expect(h.tg.messagesTo(CHANNEL)).toHaveLength(1);

    await h.tg.sendMessage({ userId: 61 }, "/subscriptions");
    const [list] = await h.waitForMessages(61);
    await h.tg.pressButton({ userId: 63 }, list as BotMessage, button(list, "取消 乌镇"));
    await h.tg.waitForCall("answerCallbackQuery", (c) => c.body.text === "这个订阅已经取消了。");
    expect(await h.deps.state.listSubscriptions(61)).toHaveLength(1);
    await h.tg.pressButton({ userId: 61 }, list as BotMessage, button(list, "取消 乌镇"));
    await h.tg.waitForCall("answerCallbackQuery", (c) => c.body.text === "已取消订阅“乌镇”");
    expect(await h.deps.state.listSubscriptions(61)).toEqual([]);
  });

  it("waits out 429 and drops a chat that blocked the bot", async () => {
    const outbox = new Outbox({ api: h.bot.api, state: h.deps.state, logger: h.deps.logger });
    h.tg.failNext("sendMessage", { kind: "status", status: 429, retryAfterSeconds: 1 });
    expect(await outbox.send(71, "<b>一条提醒</b>")).toBe("sent");
    expect(h.tg.played.some((p) => p.method === "sendMessage" && p.failure.kind === "status")).toBe(
      true,
    );
    expect(h.tg.messagesTo(71).map((m) => m.text)).toEqual(["<b>一条提醒</b>"]);

    await h.deps.state.subscribe(72, 72, "乌镇", 0);
    h.tg.failNext("sendMessage", {
      kind: "status",
      status: 403,
      description: "Forbidden: bot was blocked by the user",
    });
    expect(await outbox.send(72, "提醒")).toBe("blocked");
    expect(await h.deps.state.listSubscriptions(72)).toEqual([]);
  });

  it("sends the daily digest at the chat's time on the clock the bot is given", async () => {
    await h.tg.sendMessage({ userId: 81 }, "/digest 07:30");
    const [set] = await h.waitForMessages(81);
    expect(set?.text).toContain("每天 07:30(Asia/Shanghai)");
    expect(await h.digests.tick()).toBe(0); // 07:00 in Beijing: not yet

    clock = new Date("2026-03-09T23:30:00.000Z"); // 07:30: the scheduler's next wake sends it
    const [digest] = await h.waitForMessages(81);
    expect(digest?.text).toMatch(/^<b>每日新闻摘要<\/b> · 2026年3月10日/u);
    expect(digest?.text).toContain("<b>平湖日报</b>");
    expect(await h.digests.tick()).toBe(0); // once a day

    await h.tg.sendMessage({ userId: 82 }, "/digest 25:00");
    const [bad] = await h.waitForMessages(82);
    expect(bad?.text).toBe(TEXTS.digestUsage);
    await h.tg.sendMessage({ userId: 82 }, "/digest 07:00 Mars/Olympus");
    const [zone] = await h.waitForMessages(82);
    expect(zone?.text).toContain("不认识时区");

    await h.tg.sendMessage({ userId: 81 }, "/digest off");
    const [off] = await h.waitForMessages(81);
    expect(off?.text).toBe("已停止每日摘要。");
    clock = new Date("2026-03-10T23:31:00.000Z");
    expect(await h.digests.tick()).toBe(0);
    clock = new Date();
  });

  it("/forget deletes what is stored about the user and says what", async () => {
    const user = { userId: 91 };
    await h.tg.sendMessage(user, "平湖设立的人工智能专项基金总规模多少?");
    const [answer] = await h.waitForMessages(91);
    await h.tg.pressButton(user, answer as BotMessage, button(answer, "👍"));
    await h.tg.waitForCall("answerCallbackQuery", (c) => c.body.text === TEXTS.feedbackThanks);
    await h.tg.pressButton(user, answer as BotMessage, button(answer, "订阅"));
    await h.tg.waitForCall("answerCallbackQuery", (c) => String(c.body.text).startsWith("已订阅"));
    await h.tg.sendMessage(user, "/digest 08:00");
    await h.waitForMessages(91);

    await h.tg.sendMessage(user, "/forget");
    const [forgot] = await h.waitForMessages(91);
    expect(forgot?.text).toContain("对话记录 1 条");
    expect(forgot?.text).toContain("反馈 1 条");
    expect(forgot?.text).toContain("订阅 1 个");
    expect(forgot?.text).toContain("每日摘要设置 1 个");
    expect(forgot?.text).toContain("回答按钮记录 1 条");
    expect(await h.deps.state.history(91, Date.now())).toEqual([]);
    expect((await h.deps.state.feedbackSummary(0)).up).toBe(0);

    await h.tg.pressButton(user, answer as BotMessage, button(answer, "来源 1"));
    await h.tg.waitForCall(
      "answerCallbackQuery",
      (c) => c.body.text === TEXTS.buttonExpired && c.body.callback_query_id !== undefined,
    );
    await h.tg.sendMessage(user, "/forget");
    const [again] = await h.waitForMessages(91);
    expect(again?.text).toBe("没有保存任何关于你的数据,无需删除。");
  });

  it("/help says what is stored and for how long", async () => {
    await h.tg.sendMessage({ userId: 92 }, "/help");
    const [help] = await h.waitForMessages(92);
    expect(help?.text).toContain("<b>保存哪些数据</b>");
    expect(help?.text).toContain("30 分钟后删除");
    expect(help?.text).toContain("30 天后删除");
    expect(help?.text).toContain("/forget");
  });

  it("answers commands in groups by replying to the message that asked", async () => {
    const group = { userId: 93, chatId: -500, type: "group" as const };
    await h.tg.sendMessage(group, "/latest");
    const [latest] = await h.waitForMessages(-500);
    expect(latest?.reply_parameters?.message_id).toBeGreaterThan(0);
  });

  it("keeps every message and edit within Telegram's limits when titles are huge", async () => {
    const title = `超长标题测试${"很长".repeat(50_000)}`;
    const records = Array.from({ length: 7 }, (_, i) =>
      JSON.stringify({
        id: `long-${i}`,
        title: `${title}${i}`,
        text: `超长标题测试的正文第 ${i} 篇,说的是一件事。`,
        source: "cms",
        date: "2025-05-0" + String(i + 1),
        paper: "测试日报",
      }),
    );
    await sendDocument(h.tg, admin, "long.jsonl", Buffer.from(`${records.join("\n")}\n`));
    await h.waitForMessages(ADMIN_ID, 2);
    await h.deps.indexJobs.idle();

    await h.tg.sendMessage({ userId: 94 }, "/search 超长标题测试");
    const [page] = await h.waitForMessages(94);
    expect(page?.text.length).toBeLessThanOrEqual(4096);
    await h.tg.pressButton({ userId: 94 }, page as BotMessage, button(page, "下一页 ▶"));
    await eventually(() => h.tg.messagesTo(94)[0]?.text.includes("第 2/2 页") ?? false, "page 2");
    expect(h.tg.messagesTo(94)[0]?.text.length).toBeLessThanOrEqual(4096);

    h.tg.pushUpdate({
      inline_query: {
        id: "iq-long",
        from: { id: 94, is_bot: false, first_name: "记者" },
        query: "超长标题测试",
        offset: "",
      },
    });
    const call = await h.tg.waitForCall(
      "answerInlineQuery",
      (c) => c.body.inline_query_id === "iq-long",
    );
    const results = call.body.results as {
      title: string;
      input_message_content: { message_text: string };
    }[];
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) {
      expect(Array.from(r.title).length).toBeLessThanOrEqual(60);
      expect(r.input_message_content.message_text.length).toBeLessThanOrEqual(4096);
    }
  });
});
