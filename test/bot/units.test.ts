import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Bot } from "grammy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.js";
import { FeedbackLog } from "../../src/bot/feedback-log.js";
import { IndexJobQueue } from "../../src/bot/index-jobs.js";
import type { IndexJobResult } from "../../src/indexer.js";
import { LruMap } from "../../src/lru.js";
import { createLogger, describeError, redactSecrets } from "../../src/bot/logger.js";
import {
  captionMeta,
  resolveInside,
  sanitizeUploadName,
  storedUploadName,
} from "../../src/bot/uploads.js";
import { formatRangeZh } from "../../src/bot/features/search.js";
import { TOKEN } from "./helpers/harness.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "news-bot-units-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("LRU map", () => {
  it("forget the least recently used entry first", () => {
    const lru = new LruMap<string, number>(2);
    lru.set("a", 1);
    lru.set("b", 2);
    lru.get("a");
    lru.set("c", 3);
    expect([lru.get("a"), lru.get("b"), lru.get("c")]).toEqual([1, undefined, 3]);
  });
});

describe("upload names", () => {
  it.each([
    ["平湖日报 2025-03-01.txt", "平湖日报_2025-03-01.txt"],
    ["../../etc/passwd.txt", "passwd.txt"],
    ["..\\..\\win.TXT", "win.txt"],
    ["...txt", undefined],
    [".hidden.txt", "hidden.txt"],
    ["a/b/../c.jsonl", "c.jsonl"],
    ["manifest.json", undefined],
    ["run.sh", undefined],
    ["x".repeat(300) + ".txt", "x".repeat(80) + ".txt"],
  ])("sanitises %j to %j", (input, expected) => {
    expect(sanitizeUploadName(input)).toBe(expected);
  });

  it("never resolves outside the uploads folder", () => {
    expect(resolveInside("/data/uploads", "a.txt")).toBe(path.resolve("/data/uploads/a.txt"));
    expect(() => resolveInside("/data/uploads", "../a.txt")).toThrow(/not a plain file name/u);
    expect(() => resolveInside("/data/uploads", "sub/a.txt")).toThrow(/not a plain file name/u);
    expect(() => resolveInside("/data/uploads", "/etc/passwd")).toThrow(/not a plain file name/u);
  });

  it("names an edition by its caption's paper and day, following the ingest convention", () => {
    expect(captionMeta("平湖日报 2025年3月1日")).toEqual({ paper: "平湖日报", date: "2025-03-01" });
    expect(captionMeta("平湖日报 2025年3月")).toEqual({ paper: "平湖日报" });
    expect(storedUploadName("x.txt", "平湖日报 2025-03-01")).toBe("2025-03-01_平湖日报.txt");
    expect(storedUploadName("x.jsonl", "平湖日报 2025-03-01")).toBe("x.jsonl");
    expect(storedUploadName("x.txt", undefined)).toBe("x.txt");
  });
});

describe("logging", () => {
  it("never writes the bot token, even inside a network error quoting the API URL", async () => {
    const lines: string[] = [];
    const logger = createLogger({
      level: "info",
      secrets: [TOKEN],
      destination: { write: (l) => void lines.push(l) },
    });
    // A real grammY HttpError: node-fetch quotes the full request URL, token included.
    const bot = new Bot(TOKEN, { client: { apiRoot: "http://127.0.0.1:1" } });
    const error = await bot.api.getMe().catch((e: unknown) => e);
    expect(JSON.stringify(describeError(error))).toContain(TOKEN.split(":")[1]);
    logger.error(
      {
        error: describeError(error),
        token: TOKEN,
        url: `http://x/bot${encodeURIComponent(TOKEN)}/getMe`,
      },
      `failed ${TOKEN}`,
    );
    const out = lines.join("");
    expect(out).toContain("[REDACTED]");
    expect(out).not.toContain(TOKEN.split(":")[1]);
  });

  it("redacts every form of a secret in plain text", () => {
    const secret = "123:abcdefghijklmnop";
    expect(
      redactSecrets(`a ${secret} b ${encodeURIComponent(secret)} c abcdefghijklmnop`, [secret]),
    ).toBe("a [REDACTED] b [REDACTED] c [REDACTED]");
  });
});

describe("FeedbackLog", () => {
  it("appends entries as JSON lines and summarises them, skipping unreadable lines", async () => {
    const log = new FeedbackLog(path.join(dir, "fb", "feedback.jsonl"));
    expect(await log.summary()).toEqual({ up: 0, down: 0, unreadable: 0, recentDown: [] });
    const base = { userId: 1, chatId: 1, chatType: "private", abstained: false, citations: [] };
    await Promise.all([
      log.append({ ...base, at: "2025-01-01T00:00:00Z", verdict: "up", question: "q1" }),
      log.append({ ...base, at: "2025-01-02T00:00:00Z", verdict: "down", question: "q2" }),
      log.append({ ...base, at: "2025-01-03T00:00:00Z", verdict: "down", question: "q3" }),
    ]);
    await writeFile(log.file, `${await readFile(log.file, "utf8")}{"torn":\n`);
    const summary = await log.summary(1);
    expect(summary).toMatchObject({ up: 1, down: 2, unreadable: 1 });
    expect(summary.recentDown.map((e) => e.question)).toEqual(["q3"]);
  });
});

describe("IndexJobQueue", () => {
  const fakeResult = { editions: 1, skipped: [], notices: [] } as unknown as IndexJobResult;

  it("tells each skipped file once, and again when it comes back after being fixed", async () => {
    const bad = { file: "inbox/scan.pdf", reason: "image-only", userReason: "只有图片" };
    const results = [[bad], [bad], [], [bad]];
    const queue = new IndexJobQueue(
      async () => ({ ...fakeResult, skipped: results.shift() ?? [] }) as IndexJobResult,
    );
    const fresh: number[] = [];
    for (const reason of ["a", "b", "c", "d"]) {
      fresh.push((await queue.enqueue(reason)).fresh.skipped.length);
    }
    expect(fresh).toEqual([1, 0, 0, 1]);
  });

  it("runs one job at a time, and lets a job asked for meanwhile join the waiting one", async () => {
    const started: string[][] = [];
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => (release = r));
    const queue = new IndexJobQueue(async (reasons) => {
      started.push([...reasons]);
      if (started.length === 1) await held;
      return fakeResult;
    });
    const first = queue.enqueue("a");
    expect(queue.enqueue("a2")).toBe(first); // not started yet: joins it
    while (started.length === 0) await new Promise((r) => setImmediate(r));
    const second = queue.enqueue("b");
    const third = queue.enqueue("c");
    expect(second).toBe(third);
    expect(second).not.toBe(first);
    expect(queue.pending).toBe(2);
    release();
    await Promise.all([first, second]);
    expect(started).toEqual([
      ["a", "a2"],
      ["b", "c"],
    ]);
    expect(queue.last?.reasons).toEqual(["b", "c"]);
    expect(queue.pending).toBe(0);
  });

  it("reports a failed job and goes on with the next", async () => {
    let fail = true;
    const queue = new IndexJobQueue(async () => {
      if (fail) throw new Error("disk full");
      return fakeResult;
    });
    await expect(queue.enqueue("a")).rejects.toThrow("disk full");
    expect(queue.lastError).toBeDefined();
    fail = false;
    await queue.enqueue("b");
    expect(queue.lastError).toBeUndefined();
  });
});

describe("bot configuration", () => {
  it("reads rate limits, upload cap and webhook secret, with defaults", () => {
    const defaults = loadConfig({});
    expect(defaults).toMatchObject({
      rateLimitPerMinute: 20,
      rateLimitBurst: 5,
      rateLimitGlobalPerMinute: 600,
      maxUploadBytes: 20 * 1024 * 1024,
      webhookSecret: undefined,
      editionsInbox: undefined,
      editionSources: [],
      editionFetchTimeoutMs: 20_000,
    });
    const set = loadConfig({
      RATE_LIMIT_PER_MINUTE: "6",
      RATE_LIMIT_BURST: "2",
      RATE_LIMIT_GLOBAL_PER_MINUTE: "120",
      MAX_UPLOAD_BYTES: "1000",
      WEBHOOK_SECRET: "s".repeat(20),
      EDITION_SOURCES: "Epaper.Example.cn, 127.0.0.1:8080",
      EDITION_FETCH_TIMEOUT_MS: "5000",
    });
    expect(set).toMatchObject({
      rateLimitPerMinute: 6,
      rateLimitBurst: 2,
      rateLimitGlobalPerMinute: 120,
      maxUploadBytes: 1000,
      webhookSecret: "s".repeat(20),
      editionSources: ["epaper.example.cn", "127.0.0.1:8080"],
      editionFetchTimeoutMs: 5000,
    });
  });

  it("reads the state database and the digest channel, unset by default", () => {
    expect(loadConfig({})).toMatchObject({ databaseUrl: undefined, digestChannel: undefined });
    expect(
      loadConfig({
        DATABASE_URL: "postgres://bot:pw@db:5432/news",
        DIGEST_CHANNEL: "-1001234567890",
      }),
    ).toMatchObject({
      databaseUrl: "postgres://bot:pw@db:5432/news",
      digestChannel: -1001234567890,
    });
    expect(loadConfig({ DIGEST_CHANNEL: "@pinghu_news" }).digestChannel).toBe("@pinghu_news");
    expect(() => loadConfig({ DATABASE_URL: "mysql://x" })).toThrow(
      /DATABASE_URL must be a PostgreSQL URL/u,
    );
    expect(() => loadConfig({ DIGEST_CHANNEL: "pinghu news" })).toThrow(/DIGEST_CHANNEL must be/u);
  });

  it("names every bad variable and its fix", () => {
    let error: unknown;
    try {
      loadConfig({
        RATE_LIMIT_PER_MINUTE: "fast",
        RATE_LIMIT_BURST: "0",
        RATE_LIMIT_GLOBAL_PER_MINUTE: "-5",
        MAX_UPLOAD_BYTES: "999999999",
        WEBHOOK_SECRET: "a b",
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join("\n");
    for (const name of [
      "RATE_LIMIT_PER_MINUTE",
      "RATE_LIMIT_BURST",
      "RATE_LIMIT_GLOBAL_PER_MINUTE",
      "MAX_UPLOAD_BYTES",
      "WEBHOOK_SECRET",
    ]) {
      expect(problems).toContain(`${name} must`);
    }
  });
});

describe("date ranges in replies", () => {
  it("reads whole months and years as such", () => {
    expect(formatRangeZh({ from: "2025-02-01", to: "2025-02-29" })).toBe("2025年2月");
    expect(formatRangeZh({ from: "2025-01-01", to: "2025-12-31" })).toBe("2025年");
    expect(formatRangeZh({ from: "2025-01-01", to: "2025-03-31" })).toBe(
      "2025年1月1日至2025年3月31日",
    );
  });
});
