import { createHash } from "node:crypto";
import { unwatchFile, watchFile } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import type http from "node:http";
import path from "node:path";
import { run } from "@grammyjs/runner";
import type { RunnerHandle } from "@grammyjs/runner";
import { Cron } from "croner";
import { Api, GrammyError } from "grammy";
import type { Bot, Context } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import { archiveExists, createConfiguredEmbedder, createConfiguredReranker } from "../app.js";
import { createLlmComposer, rewriteFollowUp } from "../answer/llm/index.js";
import type { AppConfig } from "../config.js";
import { createEngine } from "../engine.js";
import type { Engine } from "../engine.js";
import { runIndexJob } from "../indexer.js";
import { openStateStore } from "../state/index.js";
import { createAlerts } from "./alerts.js";
import { DEFAULT_API_ROOT, createBot, registerCommands } from "./create-bot.js";
import { createBotStats } from "./deps.js";
import type { BotDeps } from "./deps.js";
import { DigestScheduler } from "./digest.js";
import { createBotHttpServer } from "./http-server.js";
import { startInbox } from "./inbox.js";
import { IndexJobQueue, createIndexJobRunner } from "./index-jobs.js";
import { createLogger, describeError } from "./logger.js";
import type { LogDestination, Logger } from "./logger.js";
import { Outbox } from "./outbox.js";

/** Update types the bot handles (and asks Telegram for). */
const ALLOWED_UPDATES = ["message", "callback_query", "inline_query"] as const;

/** How long shutdown waits for a running index job before leaving it (its lock is taken over later). */
const SHUTDOWN_JOB_WAIT_MS = 30_000;

/** The time zone of digests unless a chat names its own. */
const DEFAULT_TIME_ZONE = "Asia/Shanghai";

/** How often an instance looks whether another one has committed a new index snapshot. */
const INDEX_FOLLOW_INTERVAL_MS = 2_000;

/** Longest wait between two attempts to reach Telegram at start. */
const MAX_CONNECT_DELAY_MS = 60_000;

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
  /** The clock the bot sees (digests, memory, rate limits). Defaults to the system clock. */
  now?: () => Date;
  /** When the digest scheduler wakes (croner pattern). Defaults to every minute. */
  digestPattern?: string;
}

/**
 * Asks Telegram who the bot is, again and again with a growing pause (1 s, 2 s, 4 s… at most a
 * minute) while Telegram cannot be reached, logging each failed attempt with its reason. Resolves
 * undefined when `signal` aborts meanwhile. Throws at once when Telegram refuses the token.
 */
export async function connectTelegram(
  token: string,
  apiRoot: string,
  logger: Logger,
  signal?: AbortSignal,
): Promise<UserFromGetMe | undefined> {
  // Its own Api without auto-retry: auto-retry waits out network failures silently, for hours.
  const api = new Api(token, { apiRoot });
  for (let attempt = 1; !signal?.aborted; attempt++) {
    try {
      return await api.getMe();
    } catch (error) {
      if (error instanceof GrammyError && (error.error_code === 401 || error.error_code === 404)) {
        throw new Error(
          `Telegram refused the bot token (${error.error_code} ${error.description}): check TELEGRAM_BOT_TOKEN (from @BotFather) and TELEGRAM_API_ROOT`,
        );
      }
      const delayMs = Math.min(MAX_CONNECT_DELAY_MS, 1_000 * 2 ** (attempt - 1));
      logger.warn(
        { attempt, apiRoot, retryInSeconds: delayMs / 1000, error: describeError(error) },
        "Telegram cannot be reached; retrying (check TELEGRAM_API_ROOT, DNS and the network)",
      );
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, delayMs);
        signal?.addEventListener("abort", done, { once: true });
        function done(): void {
          clearTimeout(timer);
          signal?.removeEventListener("abort", done);
          resolve();
        }
      });
    }
  }
  return undefined;
}

/** The database URL and its password, which no log line may show. */
function databaseSecrets(url: string | undefined): string[] {
  if (url === undefined) return [];
  try {
    const password = decodeURIComponent(new URL(url).password);
    return password === "" ? [url] : [url, password];
  } catch {
    return [url];
  }
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
  const secrets = [
    token,
    secret,
    ...(config.llm?.apiKey === undefined ? [] : [config.llm.apiKey]),
    ...databaseSecrets(config.databaseUrl),
  ];
  const logger = createLogger({
    level: config.logLevel,
    secrets,
    ...(options.logDestination ? { destination: options.logDestination } : {}),
  });
  const uploadsDir = path.join(config.dataDir, "uploads");
  await mkdir(uploadsDir, { recursive: true });
  const inboxDir = config.editionsInbox;
  if (inboxDir !== undefined) await mkdir(inboxDir, { recursive: true });
  const editionDirs = [
    config.editionsDir,
    uploadsDir,
    ...(inboxDir === undefined ? [] : [inboxDir]),
  ];
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
  const {
    store: state,
    migratedFrom,
    importedFeedback,
  } = await openStateStore({
    databaseUrl: config.databaseUrl,
    sqliteFile: path.join(config.dataDir, "state.sqlite"),
    legacyFeedbackFile: path.join(config.dataDir, "feedback.jsonl"),
  });
  logger.info(
    { store: state.kind, migratedFrom, importedFeedback },
    importedFeedback > 0 ? "state opened; feedback.jsonl imported" : "state opened",
  );
  const now = options.now ?? (() => new Date());
  const deps: BotDeps = {
    followUps: {
      // The engine's current index holds the articles that earlier answers cited.
      rewrite: async (question, history) =>
        llm
          ? (await llm.rewrite(question, [...history], { archive: engine.index })).question
          : rewriteFollowUp(question, history, engine.index),
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
      editionSources: config.editionSources,
      editionFetchTimeoutMs: config.editionFetchTimeoutMs,
      timeZone: DEFAULT_TIME_ZONE,
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
    state,
    stats: createBotStats(),
    now,
  };
  const botInfo = await connectTelegram(token, deps.settings.apiRoot, logger, options.signal).catch(
    async (error: unknown) => {
      await state.close();
      throw error;
    },
  );
  if (botInfo === undefined) {
    await state.close();
    logger.info("stopped before Telegram could be reached");
    return;
  }
  const bot = createBot({ token, deps, apiRoot: deps.settings.apiRoot, botInfo });
  logPollingFailures(bot, logger);
  await bot.init();

  // Reaching out: alerts and the channel after each index job, digests on a timer.
  const outbox = new Outbox({ api: bot.api, state, logger });
  deps.indexJobs.onFinished(createAlerts(deps, outbox, { channel: config.digestChannel }));
  const digests = new DigestScheduler(
    deps,
    outbox,
    options.digestPattern === undefined ? {} : { pattern: options.digestPattern },
  );
  digests.start();
  const pruning = new Cron("17 * * * *", { protect: true }, async () => {
    await state
      .prune(now().getTime())
      .catch((error: unknown) =>
        logger.warn({ error: describeError(error) }, "state prune failed"),
      );
  });
  const following = followIndex(config.indexDir, engine, deps, logger);
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

  const inbox =
    inboxDir === undefined
      ? undefined
      : startInbox({
          dir: inboxDir,
          indexJobs: deps.indexJobs,
          logger,
          notifyAdmins: (text) => notifyAdmins(bot, config.adminUserIds, text, logger),
        });
  if (inbox !== undefined) logger.info({ inbox: inboxDir }, "watching the editions inbox");

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
        await inbox?.close();
        digests.stop();
        pruning.stop();
        following.stop();
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
        await state.close();
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
 * Serves the snapshots other instances commit: when `index/CURRENT` names another snapshot than
 * the one served (another instance ran an index job on the shared index), the engine reloads.
 * Jobs of this instance reload the engine themselves; their snapshot is then already served.
 */
function followIndex(
  indexDir: string,
  engine: Engine,
  deps: BotDeps,
  logger: Logger,
): { stop(): void } {
  const current = path.join(indexDir, "CURRENT");
  const read = (): Promise<string> =>
    readFile(current, "utf8").then(
      (t) => t.trim(),
      () => "",
    );
  let served = "";
  void read().then((name) => (served = name));
  deps.indexJobs.onFinished(async () => {
    served = await read();
  });
  let reloading = false;
  watchFile(current, { interval: INDEX_FOLLOW_INTERVAL_MS }, () => {
    if (reloading || deps.indexJobs.pending > 0) return;
    reloading = true;
    void read()
      .then(async (name) => {
        if (name === "" || name === served) return;
        await engine.reload();
        served = name;
        logger.info({ snapshot: name }, "index reloaded: another instance committed a snapshot");
      })
      .catch((error: unknown) =>
        logger.warn({ error: describeError(error) }, "index reload failed"),
      )
      .finally(() => (reloading = false));
  });
  return { stop: () => unwatchFile(current) };
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

/** Sends a message to each admin's private chat; an admin who never opened the bot is logged. */
async function notifyAdmins(
  bot: Bot,
  adminUserIds: readonly number[],
  text: string,
  logger: Logger,
): Promise<void> {
  for (const id of adminUserIds) {
    await bot.api.sendMessage(id, text).catch((error: unknown) => {
      logger.warn(
        { adminUserId: id, error: describeError(error) },
        "admin not notified (has the admin opened the bot?)",
      );
    });
  }
}
