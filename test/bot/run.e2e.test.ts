import { existsSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { COMMANDS } from "../../src/bot/create-bot.js";
import { runBot } from "../../src/bot/run.js";
import { FakeTelegram } from "./helpers/fake-telegram.js";
import { ADMIN_ID, SAMPLE_EDITIONS, TOKEN, buildSampleIndex } from "./helpers/harness.js";

let dir: string;
let tg: FakeTelegram;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "news-bot-run-"));
  tg = await FakeTelegram.start(TOKEN);
});
afterAll(async () => {
  await tg?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe("runBot", () => {
  it("builds the index, registers the menu, answers by long polling and stops cleanly", async () => {
    const config = loadConfig({
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: tg.apiRoot,
      ADMIN_USER_IDS: String(ADMIN_ID),
      INDEX_DIR: path.join(dir, "index"),
      DATA_DIR: path.join(dir, "data"),
      EDITIONS_DIR: SAMPLE_EDITIONS,
      LOG_LEVEL: "info",
    });
    const lines: string[] = [];
    const controller = new AbortController();
    const running = runBot(config, {
      signal: controller.signal,
      logDestination: { write: (line) => void lines.push(line) },
    });
    let stopped = false;
    void running.finally(() => (stopped = true));

    await tg.sendMessage({ userId: 71 }, "平湖设立的人工智能专项基金总规模多少?");
    const [answer] = await tg.waitForMessages(71, 1, 60_000);
    expect(answer?.text).toContain("3亿元");
    expect(answer?.text).toContain("<b>来源</b>");
    expect(existsSync(path.join(dir, "index", "CURRENT"))).toBe(true);
    expect(existsSync(path.join(dir, "data", "uploads"))).toBe(true);

    const menus = tg.calls.filter((c) => c.method === "setMyCommands");
    expect(menus.find((c) => c.body.scope === undefined)?.body.commands).toEqual(COMMANDS.everyone);
    expect(
      menus.some((c) => (c.body.scope as { chat_id?: number } | undefined)?.chat_id === ADMIN_ID),
    ).toBe(true);

    expect(stopped).toBe(false);
    controller.abort();
    await running;
    const log = lines.join("");
    expect(log).toContain('"msg":"index built"');
    expect(log).toContain('"msg":"serving by long polling"');
    expect(log).toContain('"msg":"stopped"');
    expect(log).not.toContain(TOKEN.split(":")[1]);
  });

  it("logs each failed attempt to reach Telegram with its reason and backs off", async () => {
    // A port that was just free: nothing listens there.
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const closedPort = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const indexDir = path.join(dir, "closed-index");
    await buildSampleIndex(indexDir);
    const config = loadConfig({
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: `http://127.0.0.1:${closedPort}`,
      INDEX_DIR: indexDir,
      DATA_DIR: path.join(dir, "closed-data"),
      EDITIONS_DIR: SAMPLE_EDITIONS,
      LOG_LEVEL: "info",
    });
    const lines: Record<string, unknown>[] = [];
    const controller = new AbortController();
    const running = runBot(config, {
      signal: controller.signal,
      logDestination: {
        write: (line) => void lines.push(JSON.parse(line) as Record<string, unknown>),
      },
    });
    const failures = (): Record<string, unknown>[] =>
      lines.filter((l) => String(l.msg).startsWith("Telegram cannot be reached"));
    for (let tries = 0; tries < 500 && failures().length < 2; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    controller.abort();
    await running;
    const [first, second] = failures();
    expect(first).toMatchObject({ attempt: 1, retryInSeconds: 1 });
    expect(second).toMatchObject({ attempt: 2, retryInSeconds: 2 });
    expect(JSON.stringify(first?.error)).toContain("ECONNREFUSED");
    expect(JSON.stringify(lines)).not.toContain(TOKEN.split(":")[1]);
    expect(lines.at(-1)?.msg).toBe("stopped before Telegram could be reached");
  });
});
