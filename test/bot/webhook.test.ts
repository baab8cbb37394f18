import type http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBotHttpServer } from "../../src/bot/http-server.js";
import { startHarness } from "./helpers/harness.js";
import type { Harness } from "./helpers/harness.js";

const SECRET = "test-secret-0123456789";
const PATH = "/telegram/hook";

let h: Harness;
let server: http.Server;
let base: string;

beforeAll(async () => {
  h = await startHarness({ poll: false });
  server = createBotHttpServer({
    webhook: { bot: h.bot, path: PATH, secretToken: SECRET },
    health: () => ({
      editions: h.engine.index.manifest.counts.editions,
      articles: h.engine.index.manifest.counts.articles,
    }),
    logger: h.deps.logger,
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await h?.stop();
});

const update = (chatId: number, text: string) => ({
  update_id: 1000 + chatId,
  message: {
    message_id: 1,
    date: Math.floor(Date.now() / 1000),
    chat: { id: chatId, type: "private", first_name: "访客" },
    from: { id: chatId, is_bot: false, first_name: "访客" },
    text,
    ...(text.startsWith("/")
      ? { entities: [{ type: "bot_command", offset: 0, length: text.split(" ")[0]?.length ?? 0 }] }
      : {}),
  },
});

describe("webhook mode", () => {
  it("answers /healthz with the index counts", async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      status: "ok",
      editions: 5,
      articles: h.engine.index.manifest.counts.articles,
    });
  });

  it("refuses webhook calls without the secret token", async () => {
    const post = (headers: Record<string, string>) =>
      fetch(`${base}${PATH}`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify(update(61, "/latest")),
      });
    expect((await post({})).status).toBe(401);
    expect((await post({ "X-Telegram-Bot-Api-Secret-Token": "wrong-secret-000000" })).status).toBe(
      401,
    );
    expect(h.tg.messagesTo(61)).toHaveLength(0);
  });

  it("feeds updates with the secret to the bot, which replies", async () => {
    const res = await fetch(`${base}${PATH}`, {
      method: "POST",
      headers: { "content-type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET },
      body: JSON.stringify(update(62, "平湖设立的人工智能专项基金总规模多少?")),
    });
    expect(res.status).toBe(200);
    const [reply] = await h.waitForMessages(62);
    expect(reply?.text).toContain("3亿元");
  });

  it("answers 404 elsewhere", async () => {
    expect((await fetch(`${base}/`)).status).toBe(404);
    expect((await fetch(`${base}${PATH}`)).status).toBe(404);
  });
});
