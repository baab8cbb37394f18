import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEXTS } from "../../src/bot/texts.js";
import type { BotMessage } from "./helpers/fake-telegram.js";
import type { ChatOptions } from "./helpers/fake-telegram.js";
import { ADMIN_ID, FIXTURES, startHarness } from "./helpers/harness.js";
import type { Harness } from "./helpers/harness.js";

const admin = { userId: ADMIN_ID };
/** Only the uploaded edition says this. */
const NEW_QUESTION = "乌镇数字图书馆首批入藏图书多少册?";
const NEW_FACT = "十二万册";

/** Held index jobs wait here until the test lets them go. */
let gate: Promise<void> = Promise.resolve();

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    maxUploadBytes: 64 * 1024,
    wrapJob: (job) => async (reasons) => {
      await gate;
      return job(reasons);
    },
  });
});
afterAll(async () => {
  await h?.stop();
});

async function sendDocument(
  chat: ChatOptions,
  fileName: string,
  bytes: Buffer,
  caption?: string,
  announcedSize: number = bytes.length,
): Promise<void> {
  const fileId = h.tg.addFile(path.basename(fileName).replace(/[^\w.-]/gu, "_"), bytes);
  await h.tg.sendMessage(chat, undefined, {
    document: {
      file_id: fileId,
      file_unique_id: `u${fileId}`,
      file_name: fileName,
      file_size: announcedSize,
      mime_type: "text/plain",
    },
    ...(caption === undefined ? {} : { caption }),
  });
}

const buttons = (m: BotMessage): { text: string; callback_data?: string }[] =>
  m.reply_markup?.inline_keyboard?.flat() ?? [];

describe("admin tools", () => {
  it("refuses non-admins politely and logs each attempt", async () => {
    const user = { userId: 51 };
    await h.tg.sendMessage(user, "/reindex");
    await h.tg.sendMessage(user, "/stats");
    await h.tg.sendMessage(user, "/remove 000_4fbab94a4f508d93.txt");
    await sendDocument(
      user,
      "evil.txt",
      await readFile(path.join(FIXTURES, "tongxiang-edition.txt")),
    );
    const replies = await h.waitForMessages(51, 4);
    expect(replies.map((r) => r.text)).toEqual(Array(4).fill(TEXTS.adminOnly));
    const refused = h.logs.filter((l) => l.msg === "admin action refused" && l.userId === 51);
    expect(refused.map((l) => l.action)).toEqual(["/reindex", "/stats", "/remove", "upload"]);
    expect(h.deps.indexJobs.pending).toBe(0);
    expect(existsSync(h.deps.settings.uploadsDir)).toBe(false);
  });

  it("adds an uploaded edition, which then answers what only it reports", async () => {
    await h.tg.sendMessage(admin, NEW_QUESTION);
    const [before] = await h.waitForMessages(ADMIN_ID);
    expect(before?.text).not.toContain(NEW_FACT);

    const bytes = await readFile(path.join(FIXTURES, "tongxiang-edition.txt"));
    await sendDocument(admin, "tongxiang edition.txt", bytes, "桐乡日报 2025-03-01");
    const [received, indexed] = await h.waitForMessages(ADMIN_ID, 2);
    expect(received?.text).toContain("<b>已收到“2025-03-01_桐乡日报.txt”</b>");
    expect(received?.text).toContain("识别出 2 篇文章(utf-8 编码),桐乡日报 2025年3月1日");
    expect(received?.text).toContain("《乌镇数字图书馆正式开馆 藏书十二万册 市民可免费借阅》");
    expect(received?.text).toContain("《桐乡蚕桑文化节开幕》");
    expect(indexed?.text).toMatch(/^索引已更新:6 期、\d+ 篇、\d+ 段\(新增 1 期,/u);
    expect(existsSync(path.join(h.deps.settings.uploadsDir, "2025-03-01_桐乡日报.txt"))).toBe(true);

    await h.tg.sendMessage(admin, NEW_QUESTION);
    const [after] = await h.waitForMessages(ADMIN_ID);
    expect(after?.text).toContain(NEW_FACT);
    expect(after?.text).toMatch(/\[1\] 桐乡日报 2025年3月1日《乌镇数字图书馆正式开馆/u);
  });

  it("rejects files that are not editions, saying why, and stores nothing", async () => {
    const edition = await readFile(path.join(FIXTURES, "tongxiang-edition.txt"));
    await sendDocument(admin, "photo.png", Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    await sendDocument(admin, "scan.pdf", Buffer.from("%PDF-1.4"));
    await sendDocument(
      admin,
      "image.txt",
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]),
    );
    await sendDocument(admin, "big.txt", edition, undefined, 10 * 1024 * 1024);
    await sendDocument(admin, "000_4fbab94a4f508d93.txt", edition);
    const [photo, pdf, png, big, clash] = await h.waitForMessages(ADMIN_ID, 5);
    expect(photo?.text).toMatch(/^没有导入“photo\.png”:只接受 \.txt、\.jsonl、\.pdf、/u);
    expect(pdf?.text).toMatch(/^没有导入“scan\.pdf”:PDF 文件已损坏或不完整/u);
    expect(png?.text).toMatch(/^没有导入“image\.txt”:文件不是文本/u);
    expect(big?.text).toMatch(/^文件有 10\.0 MB,超过 0\.1 MB 的上限/u);
    expect(clash?.text).toContain("与示例版面同名");
    expect(h.deps.indexJobs.pending).toBe(0);
  });

  it("keeps an upload's name inside the uploads folder, whatever the name says", async () => {
    // One more article, so that the indexer does not skip it as a copy of the edition above.
    const edition = Buffer.concat([
      await readFile(path.join(FIXTURES, "tongxiang-edition.txt")),
      Buffer.from("\n\n桐乡举行春季植树活动\n\n本报讯 昨天，桐乡市民在运河边种下五百棵树。\n"),
    ]);
    await sendDocument(admin, "../../../outside/..\\escape.txt", edition);
    const [received, indexed] = await h.waitForMessages(ADMIN_ID, 2);
    expect(received?.text).toContain("<b>已收到“escape.txt”</b>");
    expect(received?.text).toContain("没有认出报纸和日期");
    expect(indexed?.text).toMatch(/^索引已更新/u);
    expect(existsSync(path.join(h.deps.settings.uploadsDir, "escape.txt"))).toBe(true);
    expect(existsSync(path.join(h.dir, "outside"))).toBe(false);
    expect(existsSync(path.join(h.dir, "escape.txt"))).toBe(false);
  });

  it("keeps answering questions while an index job runs", async () => {
    let release: () => void = () => undefined;
    gate = new Promise((resolve) => (release = resolve));
    try {
      await h.tg.sendMessage(admin, "/reindex");
      const [started] = await h.waitForMessages(ADMIN_ID);
      expect(started?.text).toMatch(/^开始重建索引/u);
      // The job is now held: a question in the same chat and one from a resident are answered.
      await h.tg.sendMessage(admin, "嘉兴融担的科创担保产品费率降到了多少?");
      await h.tg.sendMessage({ userId: 52 }, "田园五镇大赛创业组最高奖金是多少?");
      const [adminAnswer] = await h.waitForMessages(ADMIN_ID);
      const [residentAnswer] = await h.waitForMessages(52);
      expect(adminAnswer?.text).toContain("0.2%");
      expect(residentAnswer?.text).toContain("40000元");
      expect(h.deps.indexJobs.pending).toBe(1);
    } finally {
      release();
    }
    const [done] = await h.waitForMessages(ADMIN_ID);
    expect(done?.text).toMatch(/^索引已更新:7 期/u);
  });

  it("/stats and /feedback report counts and recent complaints, escaped", async () => {
    const user = { userId: 53 };
    await h.tg.sendMessage(user, "<i>斜体</i> 平湖在省平安创建中拿了几连冠?");
    const [answer] = await h.waitForMessages(53);
    await h.tg.pressButton(
      user,
      answer as BotMessage,
      buttons(answer as BotMessage).find((b) => b.text === "👎")?.callback_data ?? "",
    );
    await h.tg.waitForCall("answerCallbackQuery", (c) => c.body.text === TEXTS.feedbackThanks);

    await h.tg.sendMessage(admin, "/stats");
    await h.tg.sendMessage(admin, "/feedback");
    const [stats, feedback] = await h.waitForMessages(ADMIN_ID, 2);
    expect(stats?.text).toMatch(/版面 7 期 · 文章 \d+ 篇 · 段落 \d+ 段/u);
    expect(stats?.text).toMatch(/已回答问题 \d+ 个,其中未找到答案 \d+ 个/u);
    expect(stats?.text).toContain("反馈:👍 0 · 👎 1");
    expect(stats?.text).toContain("上传的版面:2 个");
    expect(feedback?.text).toContain("<b>用户反馈</b>:👍 0 · 👎 1");
    expect(feedback?.text).toContain("“&lt;i&gt;斜体&lt;/i&gt; 平湖在省平安创建中拿了几连冠?”");
    expect(stats?.text).toMatch(/最近索引:\d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d.北京时间./u);
    expect(stats?.text).not.toMatch(/UTC|T\d\d:/u);
    expect(feedback?.text).not.toContain(h.dir);
    expect(feedback?.text).not.toContain("feedback.jsonl");
  });

  it("/remove refuses sample editions and removes uploads by paper and date or from buttons", async () => {
    await h.tg.sendMessage(admin, "/remove 嘉兴日报 2026-03-07");
    const [sample] = await h.waitForMessages(ADMIN_ID);
    expect(sample?.text).toContain("示例版面,不能删除");

    await h.tg.sendMessage(admin, "/remove");
    const [listing] = await h.waitForMessages(ADMIN_ID);
    const choices = buttons(listing as BotMessage);
    expect(choices.map((b) => b.text)).toEqual([
      "删除 桐乡日报 2025年3月1日",
      "删除 报纸不详 日期不详",
    ]);
    // Another admin chat cannot use this listing's buttons.
    await h.tg.pressButton(
      { userId: ADMIN_ID, chatId: 4242 },
      listing as BotMessage,
      choices[1]?.callback_data ?? "",
    );
    await h.tg.waitForCall("answerCallbackQuery", (c) => c.body.text === TEXTS.buttonExpired);
    expect(existsSync(path.join(h.deps.settings.uploadsDir, "escape.txt"))).toBe(true);

    await h.tg.pressButton(admin, listing as BotMessage, choices[1]?.callback_data ?? "");
    await h.tg.sendMessage(admin, "/remove 桐乡日报 2025年3月1日");
    const replies = await h.waitForMessages(ADMIN_ID, 4);
    expect(replies.filter((r) => r.text.startsWith("已删除"))).toHaveLength(2);
    expect(replies.filter((r) => r.text.startsWith("索引已更新:5 期"))).not.toHaveLength(0);
    await h.deps.indexJobs.idle();

    await h.tg.sendMessage(admin, NEW_QUESTION);
    const [after] = await h.waitForMessages(ADMIN_ID);
    expect(after?.text).not.toContain(NEW_FACT);
    expect(existsSync(path.join(h.deps.settings.uploadsDir, "2025-03-01_桐乡日报.txt"))).toBe(
      false,
    );
    const records = await h.deps.state.listUploadRecords({ includeRemoved: true });
    expect(records.map((r) => [r.file, r.removedMs !== null])).toContainEqual([
      "2025-03-01_桐乡日报.txt",
      true,
    ]);
    expect(records.find((r) => r.file === "2025-03-01_桐乡日报.txt")).toMatchObject({
      userId: ADMIN_ID,
      paper: "桐乡日报",
      date: "2025-03-01",
      articles: 2,
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/u),
    });
  });

  it("adds a JSONL article export, saying which lines it could not use", async () => {
    const records = [
      {
        id: "cms-1",
        title: "濮院时尚古镇新开放三座古桥",
        text: "濮院时尚古镇昨天新开放了三座古桥,游客可以免费参观。",
        source: "cms",
        date: "2025-04-02",
        paper: "桐乡日报",
      },
      {
        id: "cms-2",
        title: "桐乡高铁站新增两趟始发列车",
        text: "桐乡站将新增两趟始发列车,方便市民出行。",
        source: "cms",
        date: "2025-04-03",
        paper: "桐乡日报",
      },
    ];
    const jsonl = `${records.map((r) => JSON.stringify(r)).join("\n")}\n{"id": "cms-3", "title": \n`;
    await sendDocument(admin, "cms-export.jsonl", Buffer.from(jsonl));
    const [received, indexed] = await h.waitForMessages(ADMIN_ID, 2);
    expect(received?.text).toContain("<b>已收到“cms-export.jsonl”</b>");
    expect(received?.text).toContain("识别出 2 篇文章(utf-8 编码)");
    expect(received?.text).toMatch(/有 1 处没有导入\(如第 3 行:不是有效的 JSON/u);
    expect(indexed?.text).toMatch(/^索引已更新:6 期/u);

    await h.tg.sendMessage(admin, "/search 濮院");
    const [found] = await h.waitForMessages(ADMIN_ID);
    expect(found?.text).toContain(
      "1. 桐乡日报 · 2025年4月2日 · <b>《濮院时尚古镇新开放三座古桥》</b>",
    );
  });
});
