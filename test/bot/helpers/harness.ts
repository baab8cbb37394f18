import { rewriteFollowUp } from "../../../src/answer/llm/index.js";
import type { LlmComposer } from "../../../src/answer/llm/index.js";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { run } from "@grammyjs/runner";
import type { RunnerHandle } from "@grammyjs/runner";
import type { Bot, Context } from "grammy";
import { expect } from "vitest";
import { createHashedEmbedder } from "../../../src/embeddings/hashed.js";
import { createEngine } from "../../../src/engine.js";
import type { Engine } from "../../../src/engine.js";
import { runIndexJob } from "../../../src/indexer.js";
import { createBot } from "../../../src/bot/create-bot.js";
import { createBotStats } from "../../../src/bot/deps.js";
import type { BotDeps } from "../../../src/bot/deps.js";
import { createAlerts } from "../../../src/bot/alerts.js";
import { DigestScheduler } from "../../../src/bot/digest.js";
import { Outbox } from "../../../src/bot/outbox.js";
import { openStateStore } from "../../../src/state/index.js";
import { IndexJobQueue, createIndexJobRunner } from "../../../src/bot/index-jobs.js";
import type { IndexJobRunner } from "../../../src/bot/index-jobs.js";
import { createLogger } from "../../../src/bot/logger.js";
import { FakeTelegram } from "./fake-telegram.js";
import type { BotMessage } from "./fake-telegram.js";

/** The bundled sample editions (copies of ../shared/editions). */
export const SAMPLE_EDITIONS = path.resolve(import.meta.dirname, "../../../data/editions");
export const FIXTURES = path.resolve(import.meta.dirname, "../fixtures");
/** A token of the right shape; the fake Bot API accepts only this one. */
export const TOKEN = "123456:TEST-token-abcdefghijklmnopqrstuvwxyz";
export const ADMIN_ID = 900;

/** One parsed log line. */
export type LogLine = Record<string, unknown> & { msg?: string; level?: number };

/** A running bot against the fake Bot API, with the real engine over a fresh sample index. */
export interface Harness {
  tg: FakeTelegram;
  bot: Bot<Context>;
  engine: Engine;
  deps: BotDeps;
  dir: string;
  logs: LogLine[];
  /** The digest scheduler (started only when `digestPattern` is given; `tick()` works either way). */
  digests: DigestScheduler;
  /** Every message the bot sent, checked as Telegram HTML as it is received. */
  waitForMessages(chatId: number, count?: number): Promise<BotMessage[]>;
  stop(): Promise<void>;
}

export interface HarnessOptions {
  /** Wraps the engine the bot sees (e.g. to make an answer long). */
  wrapEngine?: (engine: Engine) => Engine;
  /** Wraps the index job (e.g. to hold it at a gate). */
  wrapJob?: (job: IndexJobRunner) => IndexJobRunner;
  rateLimit?: BotDeps["settings"]["rateLimit"];
  /** An LLM composer for the engine the bot serves (answers extractive without it). */
  llm?: LlmComposer;
  /** Extra secrets the logger must redact besides the bot token (LLM key, webhook secret). */
  secrets?: string[];
  /** Long-poll with @grammyjs/runner. Defaults to true; false for webhook tests. */
  poll?: boolean;
  maxUploadBytes?: number;
  /** Hosts admins may send edition links from. Defaults to none. */
  editionSources?: readonly string[];
  /** An editions inbox (watched by the test) the index job reads besides samples and uploads. */
  inboxDir?: string;
  /**
   * A folder from an earlier harness (index, uploads, state.sqlite) to start from, as a bot
   * restarted on the same disk does; it is left in place at stop. Defaults to a fresh temp dir.
   */
  dir?: string;
  /** PostgreSQL for the state instead of SQLite in the dir. */
  databaseUrl?: string;
  postgresMaxConnections?: number;
  /** The clock the bot sees. Defaults to the system clock. */
  now?: () => Date;
  /** Starts the digest scheduler with this croner pattern (e.g. every second). */
  digestPattern?: string;
  /** The digest channel. */
  digestChannel?: string | number;
  /** Outbox pace, to keep tests of many alerts short. */
  outboxPerChatIntervalMs?: number;
}

/** Builds a real index of the sample editions (hashed embedder) into `indexDir`. */
export async function buildSampleIndex(indexDir: string): Promise<void> {
  await runIndexJob({ editionDirs: [SAMPLE_EDITIONS], indexDir, embedder: createHashedEmbedder() });
}

const ALLOWED_TAGS = new Set([
  "b",
  "strong",
  "i",
  "em",
  "u",
  "ins",
  "s",
  "strike",
  "del",
  "a",
  "code",
  "pre",
  "blockquote",
  "tg-spoiler",
  "span",
]);

/**
 * Fails unless `text` is HTML that Telegram would accept: only its tags, properly nested, every
 * "<" a tag and every "&" an entity, at most 4,096 characters. The emulator does not check this,
 * so the tests do, on every message.
 */
export function expectTelegramHtml(text: string): void {
  expect(text.length, "message too long for Telegram").toBeLessThanOrEqual(4096);
  const stack: string[] = [];
  for (const m of text.matchAll(/<(\/?)([a-z-]+)(\s[^<>]*)?>/gu)) {
    const name = m[2] ?? "";
    expect(ALLOWED_TAGS.has(name), `tag <${name}> not allowed in: ${text.slice(0, 120)}`).toBe(
      true,
    );
    if (m[1] === "/") expect(stack.pop(), `misnested </${name}>`).toBe(name);
    else stack.push(name);
  }
  expect(stack, `unclosed tags in: ${text.slice(0, 120)}`).toEqual([]);
  const bare = text.replace(/<\/?[a-z-]+(\s[^<>]*)?>/gu, "");
  expect(bare, "a bare '<' or '>' (unescaped user or article text)").not.toMatch(/[<>]/u);
  expect(bare.replace(/&(amp|lt|gt|quot);/gu, ""), "a bare '&'").not.toContain("&");
}

/**
 * Starts the whole bot (createBot + @grammyjs/runner) against a fake Bot API on 127.0.0.1, with a
 * real engine over a sample index built in a fresh temp dir, real feedback log and index jobs.
 */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const ownDir = options.dir === undefined;
  const dir = options.dir ?? (await mkdtemp(path.join(os.tmpdir(), "news-bot-test-")));
  const tg = await FakeTelegram.start(TOKEN);
  const indexDir = path.join(dir, "index");
  if (!existsSync(path.join(indexDir, "CURRENT"))) await buildSampleIndex(indexDir);
  const realEngine = await createEngine({
    indexDir,
    embedder: createHashedEmbedder(),
    ...(options.llm ? { llm: options.llm } : {}),
  });
  const engine = options.wrapEngine ? options.wrapEngine(realEngine) : realEngine;
  const uploadsDir = path.join(dir, "data", "uploads");
  const logs: LogLine[] = [];
  const logger = createLogger({
    level: "debug",
    secrets: [TOKEN, ...(options.secrets ?? [])],
    destination: { write: (line) => void logs.push(JSON.parse(line) as LogLine) },
  });
  const job = createIndexJobRunner({
    engine: realEngine,
    indexDir,
    editionDirs: [SAMPLE_EDITIONS, uploadsDir, ...(options.inboxDir ? [options.inboxDir] : [])],
    embedder: { createEmbedder: async () => createHashedEmbedder() },
  });
  const { store: state } = await openStateStore({
    databaseUrl: options.databaseUrl,
    sqliteFile: path.join(dir, "data", "state.sqlite"),
    legacyFeedbackFile: path.join(dir, "data", "feedback.jsonl"),
    ...(options.postgresMaxConnections === undefined
      ? {}
      : { postgresMaxConnections: options.postgresMaxConnections }),
  });
  const deps: BotDeps = {
    followUps: {
      rewrite: async (question, history) => rewriteFollowUp(question, history, realEngine.index),
    },
    engine,
    logger,
    settings: {
      adminUserIds: [ADMIN_ID],
      editionsDir: SAMPLE_EDITIONS,
      uploadsDir,
      maxUploadBytes: options.maxUploadBytes ?? 5 * 1024 * 1024,
      maxQuestionChars: 300,
      rateLimit: options.rateLimit ?? { burst: 1000, perMinute: 1000 },
      apiRoot: tg.apiRoot,
      editionSources: options.editionSources ?? [],
      editionFetchTimeoutMs: 5000,
      timeZone: "Asia/Shanghai",
    },
    indexJobs: new IndexJobQueue(options.wrapJob ? options.wrapJob(job) : job),
    state,
    stats: createBotStats(),
    now: options.now ?? (() => new Date()),
  };
  const bot = createBot({ token: TOKEN, deps, apiRoot: tg.apiRoot });
  await bot.init();
  const outbox = new Outbox({
    api: bot.api,
    state,
    logger,
    ...(options.outboxPerChatIntervalMs === undefined
      ? {}
      : { perChatIntervalMs: options.outboxPerChatIntervalMs }),
  });
  deps.indexJobs.onFinished(createAlerts(deps, outbox, { channel: options.digestChannel }));
  const digests = new DigestScheduler(
    deps,
    outbox,
    options.digestPattern === undefined ? {} : { pattern: options.digestPattern },
  );
  if (options.digestPattern !== undefined) digests.start();
  const runner: RunnerHandle | undefined =
    options.poll === false
      ? undefined
      : run(bot, { runner: { fetch: { timeout: 5 }, silent: true } });
  return {
    tg,
    bot,
    engine,
    deps,
    dir,
    logs,
    digests,
    async waitForMessages(chatId, count = 1) {
      const messages = await tg.waitForMessages(chatId, count);
      for (const m of messages) if (m.parse_mode === "HTML") expectTelegramHtml(m.text);
      return messages;
    },
    async stop() {
      digests.stop();
      if (runner?.isRunning()) await runner.stop();
      await deps.indexJobs.idle();
      await state.close();
      await tg.stop();
      if (ownDir) await rm(dir, { recursive: true, force: true });
    },
  };
}
