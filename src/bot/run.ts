import { createHash } from "node:crypto";
import { mkdir } from "node:fs/promises";
import type http from "node:http";
import path from "node:path";
import { run } from "@grammyjs/runner";
import type { RunnerHandle } from "@grammyjs/runner";
import type { Bot, Context } from "grammy";
import { archiveExists, createConfiguredEmbedder, createConfiguredReranker } from "../app.js";
import {
  createConversationMemory,
  createLlmComposer,
  rewriteFollowUp,
} from "../answer/llm/index.js";
import type { AppConfig } from "../config.js";
import { createEngine } from "../engine.js";
import type { Engine } from "../engine.js";
import { runIndexJob } from "../indexer.js";
import { DEFAULT_API_ROOT, createBot, registerCommands } from "./create-bot.js";
import { createBotStats } from "./deps.js";
import type { BotDeps } from "./deps.js";
import { FeedbackLog } from "./feedback-log.js";
import { createBotHttpServer } from "./http-server.js";
import { IndexJobQueue, createIndexJobRunner } from "./index-jobs.js";
import { createLogger, describeError } from "./logger.js";
import type { LogDestination, Logger } from "./logger.js";

/** Update types the bot handles (and asks Telegram for). */
const ALLOWED_UPDATES = ["message", "callback_query", "inline_query"] as const;

/** How long shutdown waits for a running index job before leaving it (its lock is taken over later). */
const SHUTDOWN_JOB_WAIT_MS = 30_000;

/** The webhook secret: configured, or derived from the token so it is stable across restarts. */
export function webhookSecret(config: AppConfig, token: string): string {
  return config.webhookSecret ?? createHash("sha256").update(`webhook:${token}`).digest("hex");
}

/** Options of runBot (for embedding it, e.g. in tests). */
export interface RunBotOptions {
  /** Stops the bot like SIGTERM does when aborted. */
  signal?: AbortSignal;
  /** Where log lines go. Defaults to stdout. */
  logDestination?: LogDestination;
}

/** Index counts for /healthz. */
function healthOf(engine: Engine, deps: BotDeps): Record<string, unknown> {
  const { manifest } = engine.index;
  return {
    editions: manifest.counts.editions,
    articles: manifest.counts.articles,
    chunks: manifest.counts.chunks,
    indexCreatedAt: manifest.createdAt,
    indexJobsPending: deps.indexJobs.pending,
    questions: deps.stats.questions,
    uptimeSeconds: Math.round((Date.now() - deps.stats.startedAt.getTime()) / 1000),
  };
}

/**
 * Runs the Telegram bot until SIGINT/SIGTERM: builds the index if there is none, opens the engine,
 * registers the command menu, then serves by long polling (@grammyjs/runner, concurrent) or, when
 * WEBHOOK_URL is set, by webhook with a /healthz endpoint on PORT. On a signal it stops taking
 * updates, lets running handlers and the index job finish, and resolves. Throws when the token is
 * missing, the index cannot be built or opened, or Telegram refuses the token.
 */
export async function runBot(config: AppConfig, options: RunBotOptions = {}): Promise<void> {
  const token = config.telegramBotToken;
  if (token === undefined) {
    throw new Error("runBot needs TELEGRAM_BOT_TOKEN (get one from @BotFather and put it in .env)");
  }
  const secret = webhookSecret(config, token);
  const secrets = [token, secret, ...(config.llm?.apiKey === undefined ? [] : [config.llm.apiKey])];
  const logger = createLogger({
    level: config.logLevel,
    secrets,
    ...(options.logDestination ? { destination: options.logDestination } : {}),
  });
  const uploadsDir = path.join(config.dataDir, "uploads");
  await mkdir(uploadsDir, { recursive: true });
  const editionDirs = [config.editionsDir, uploadsDir];
  // Index jobs get an embedder of their own; the serving one must not be refitted under questions.
  const jobEmbedder = () => createConfiguredEmbedder(config.embeddingModel, config.dataDir);

  if (!(await archiveExists(config.indexDir, config.indexUrl))) {
    logger.info(
      { indexDir: config.indexDir, inPostgres: config.indexUrl !== undefined, editionDirs },
      "no index yet; building it",
    );
    const result = await runIndexJob({
      editionDirs,
      indexDir: config.indexDir,
      indexUrl: config.indexUrl,
      embedder: await jobEmbedder(),
    });
    logger.info(
      { editions: result.editions, articles: result.articles, chunks: result.chunks },
      "index built",
    );
  }
  const llm = config.llm === undefined ? undefined : createLlmComposer(config.llm);
  const engine = await createEngine({
    reranker: await createConfiguredReranker(config.rerankModel, config.dataDir),
    indexDir: config.indexDir,
    indexUrl: config.indexUrl,
    embedder: await createConfiguredEmbedder(config.embeddingModel, config.dataDir),
    newEmbedder: () => createConfiguredEmbedder(config.embeddingModel, config.dataDir),
    // With LLM_BASE_URL and LLM_MODEL set, answers are composed by the LLM and verified, falling
    // back to the extractive answer on any failure.
    llm,
  });
  const deps: BotDeps = {
    followUps: {
      memory: createConversationMemory(),
      rewrite: async (question, history) =>
        llm
          ? (await llm.rewrite(question, [...history])).question
          : rewriteFollowUp(question, history),
    },
    engine,
    logger,
    settings: {
      adminUserIds: config.adminUserIds,
      editionsDir: config.editionsDir,
      uploadsDir,
      maxUploadBytes: config.maxUploadBytes,
      maxQuestionChars: 300,
      rateLimit: {
        burst: config.rateLimitBurst,
        perMinute: config.rateLimitPerMinute,
        globalPerMinute: config.rateLimitGlobalPerMinute,
      },
      apiRoot: config.telegramApiRoot ?? DEFAULT_API_ROOT,
    },
    indexJobs: new IndexJobQueue(
      createIndexJobRunner({
        engine,
        indexDir: config.indexDir,
        indexUrl: config.indexUrl,
        editionDirs,
        // On a worker thread: parsing, embedding and graph building never stall answering.
        embedder: {
          worker: { embeddingModel: config.embeddingModel, dataDir: config.dataDir },
        },
      }),
    ),
    feedback: new FeedbackLog(path.join(config.dataDir, "feedback.jsonl")),
    stats: createBotStats(),
  };
  const bot = createBot({ token, deps, apiRoot: deps.settings.apiRoot });
  logPollingFailures(bot, logger);

  await bot.init();
  logger.info(
    {
      username: bot.botInfo.username,
      admins: config.adminUserIds.length,
      editions: engine.index.manifest.counts.editions,
    },
    "bot starting",
  );
  await registerCommands(bot, config.adminUserIds).then(
    (failed) => {
      if (failed.length > 0)
        logger.warn(
          { adminUserIds: failed },
          "admin command menu not set (has the admin opened the bot?)",
        );
    },
    (error: unknown) =>
      logger.warn({ error: describeError(error) }, "setMyCommands failed; the menu may be stale"),
  );

  let runner: RunnerHandle | undefined;
  let server: http.Server | undefined;
  if (config.webhookUrl !== undefined) {
    const webhookPath = new URL(config.webhookUrl).pathname;
    server = createBotHttpServer({
      webhook: { bot, path: webhookPath, secretToken: secret },
      health: () => healthOf(engine, deps),
      logger,
    });
    await new Promise<void>((resolve, reject) => {
      server?.once("error", reject);
      server?.listen(config.port, resolve);
    });
    await bot.api.setWebhook(config.webhookUrl, {
      secret_token: secret,
      allowed_updates: [...ALLOWED_UPDATES],
    });
    logger.info({ port: config.port, path: webhookPath }, "serving by webhook");
  } else {
    await bot.api.deleteWebhook();
    runner = run(bot, {
      runner: { fetch: { allowed_updates: [...ALLOWED_UPDATES] }, silent: true },
    });
    logger.info("serving by long polling");
  }

  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: string): void => {
      if (stopping) return;
      stopping = true;
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      options.signal?.removeEventListener("abort", onAbort);
      logger.info({ signal }, "shutting down");
      void shutdown().then(resolve);
    };
    const onAbort = (): void => stop("abort");
    const shutdown = async (): Promise<void> => {
      try {
        if (runner?.isRunning()) await runner.stop();
        if (server) {
          const closing = new Promise<void>((done) => server?.close(() => done()));
          server.closeIdleConnections(); // keep-alive sockets would hold close() open
          await closing;
        }
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          deps.indexJobs.idle(),
          new Promise<void>((done) => (timer = setTimeout(done, SHUTDOWN_JOB_WAIT_MS))),
        ]);
        clearTimeout(timer);
      } catch (error) {
        logger.error({ error: describeError(error) }, "shutdown failed");
      }
      logger.info("stopped");
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener("abort", onAbort);
  });
}

/**
 * The runner is run silently (it would print errors to the console, and network errors from
 * node-fetch quote the request URL, token included); polling failures are logged here instead,
 * through the redacting logger.
 */
function logPollingFailures(bot: Bot<Context>, logger: Logger): void {
  bot.api.config.use(async (prev, method, payload, signal) => {
    try {
      return await prev(method, payload, signal);
    } catch (error) {
      // An aborted poll is the runner stopping, not a failure.
      if (method === "getUpdates" && signal?.aborted !== true)
        logger.warn({ error: describeError(error) }, "getUpdates failed; retrying");
      throw error;
    }
  });
}
