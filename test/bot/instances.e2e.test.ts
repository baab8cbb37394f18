import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeTelegram } from "./helpers/fake-telegram.js";
import type { BotMessage } from "./helpers/fake-telegram.js";
import {
  ADMIN_ID,
  FIXTURES,
  SAMPLE_EDITIONS,
  TOKEN,
  buildSampleIndex,
  expectTelegramHtml,
} from "./helpers/harness.js";
import { startInstances } from "./helpers/instances.js";
import type { Instances } from "./helpers/instances.js";
import { startTestPostgres } from "../state/helpers/postgres.js";
import type { TestPostgres } from "../state/helpers/postgres.js";

const SECRET = "two-instances-secret-0123456789";
const HOOK = "/telegram/hook";
const NEW_QUESTION = "乌镇数字图书馆首批入藏图书多少册?";
const NEW_FACT = "十二万册";

const button = (m: BotMessage | undefined, text: string): string =>
  m?.reply_markup?.inline_keyboard?.flat().find((b) => b.text === text)?.callback_data ?? "";

let pg: TestPostgres;
let tg: FakeTelegram;
let dir: string;
let bots: Instances;

async function waitFor(chatId: number, count = 1): Promise<BotMessage[]> {
  const messages = await tg.waitForMessages(chatId, count, 60_000);
  for (const m of messages) if (m.parse_mode === "HTML") expectTelegramHtml(m.text);
  return messages;
}

beforeAll(async () => {
  pg = await startTestPostgres();
  tg = await FakeTelegram.start(TOKEN);
  dir = await mkdtemp(path.join(os.tmpdir(), "lnb-instances-"));
  await buildSampleIndex(path.join(dir, "index"));
  bots = await startInstances({
    count: 2,
    tg,
    webhookPath: HOOK,
    secret: SECRET,
    env: {
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: tg.apiRoot,
      WEBHOOK_URL: `https://bot.example.org${HOOK}`,
      WEBHOOK_SECRET: SECRET,
      DATABASE_URL: pg.url,
      INDEX_DIR: path.join(dir, "index"),
      DATA_DIR: path.join(dir, "data"),
      EDITIONS_DIR: SAMPLE_EDITIONS,
      ADMIN_USER_IDS: String(ADMIN_ID),
      LOG_LEVEL: "warn",
    },
  });
}, 120_000);
afterAll(async () => {
  await bots?.stop();
  await tg?.stop();
  await pg?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe("two instances behind one webhook address, sharing PostgreSQL", () => {
  it("serve each other's buttons, keep feedback in one place, alert once and serve an upload on both", async () => {
    try {
      // Updates alternate between the instances: each press below lands on the other one.
      await tg.sendMessage({ userId: 201 }, "平湖设立的人工智能专项基金总规模多少?");
      const [answer] = await waitFor(201);
      expect(answer?.text).toContain("3亿元");
      await tg.sendMessage({ userId: 201 }, "/search 算力");
      const [search] = await waitFor(201);
      await tg.pressButton({ userId: 201 }, answer as BotMessage, button(answer, "来源 1"));
      const [passage] = await waitFor(201);
      expect(passage?.text).toMatch(/^<b>来源 1<\/b>/u);
      await tg.pressButton({ userId: 201 }, search as BotMessage, button(search, "全文 1"));
      const [article] = await waitFor(201);
      expect(article?.text).toMatch(/^<b>《/u);

      await tg.pressButton({ userId: 201 }, answer as BotMessage, button(answer, "👎"));
      await tg.sendMessage({ userId: 202 }, "嘉兴南湖机场用了多长时间建成?");
      const [other] = await waitFor(202);
      await tg.pressButton({ userId: 202 }, other as BotMessage, button(other, "👍"));
      await tg.waitForCall("answerCallbackQuery", (c) => c.body.text === "谢谢反馈!", 60_000);
      for (let tries = 0; tries < 300; tries++) {
        if (
          tg.calls.filter((c) => c.method === "answerCallbackQuery" && c.body.text === "谢谢反馈!")
            .length >= 2
        )
          break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await tg.sendMessage({ userId: ADMIN_ID }, "/feedback");
      const [feedback] = await waitFor(ADMIN_ID);
      expect(feedback?.text).toContain("👍 1 · 👎 1");

      await tg.sendMessage({ userId: 203 }, "/subscribe 乌镇");
      await waitFor(203);
      const bytes = await readFile(path.join(FIXTURES, "tongxiang-edition.txt"));
      const fileId = tg.addFile("tongxiang.txt", bytes);
      await tg.sendMessage({ userId: ADMIN_ID }, undefined, {
        document: {
          file_id: fileId,
          file_unique_id: "u-tx",
          file_name: "tongxiang.txt",
          file_size: bytes.length,
          mime_type: "text/plain",
        },
        caption: "桐乡日报 2025-03-01",
      });
      const [received, indexed] = await waitFor(ADMIN_ID, 2);
      expect(received?.text).toContain("已收到");
      expect(indexed?.text).toMatch(/^索引已更新:6 期/u);
      const [alert] = await waitFor(203);
      expect(alert?.text).toContain("你关注的“乌镇”");

      // The other instance follows the new snapshot; then both answer from it.
      for (let tries = 0; tries < 300; tries++) {
        const counts = await Promise.all([bots.health(0), bots.health(1)]);
        if (counts.every((c) => c.editions === 6 && c.indexJobsPending === 0)) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect((await bots.health(0)).editions).toBe(6);
      expect((await bots.health(1)).editions).toBe(6);
      await tg.sendMessage({ userId: 204 }, NEW_QUESTION);
      const [first] = await waitFor(204);
      await tg.sendMessage({ userId: 205 }, NEW_QUESTION);
      const [second] = await waitFor(205);
      expect(first?.text).toContain(NEW_FACT);
      expect(second?.text).toContain(NEW_FACT);

      expect(tg.messagesTo(203).filter((m) => m.text.includes("订阅提醒"))).toHaveLength(1);
      expect(bots.delivered.every((n) => n >= 5)).toBe(true);
    } catch (error) {
      throw new Error(`${String(error)}\n--- instance output ---\n${bots.output()}`);
    }
  }, 180_000);
});
