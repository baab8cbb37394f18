import { existsSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

/**
 * Repository root: the nearest folder above this module that holds package.json (this module
 * runs from src/, or from a bundle under dist/).
 */
export const ROOT_DIR = findRoot(import.meta.dirname);

function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(from, "..");
  }
}

/** Where the bundled sample editions live. */
export const SAMPLE_EDITIONS_DIR = path.join(ROOT_DIR, "data", "editions");

const optionalString = z
  .string()
  .trim()
  .transform((s) => (s === "" ? undefined : s))
  .optional();

/** An optional positive integer variable whose error message names it and says what it means. */
function positiveInteger(name: string, meaning: string) {
  return optionalString
    .refine(
      (v) => v === undefined || (/^\d+$/u.test(v) && Number(v) > 0),
      `${name} must be a positive whole number: ${meaning}`,
    )
    .transform((v) => (v === undefined ? undefined : Number(v)));
}

const schema = z.object({
  TELEGRAM_BOT_TOKEN: optionalString.refine(
    (t) => t === undefined || /^\d+:[\w-]{20,}$/u.test(t),
    "TELEGRAM_BOT_TOKEN must look like 123456:ABC-DEF… (get it from @BotFather), or be unset to use the terminal chat",
  ),
  TELEGRAM_API_ROOT: optionalString.refine(
    (u) => u === undefined || (/^https?:\/\//u.test(u) && !u.endsWith("/")),
    "TELEGRAM_API_ROOT must be an http(s) URL without a trailing '/', e.g. http://127.0.0.1:9000",
  ),
  ADMIN_USER_IDS: optionalString.refine(
    (s) => s === undefined || /^\s*\d+(\s*,\s*\d+)*\s*$/u.test(s),
    "ADMIN_USER_IDS must be a comma-separated list of numeric Telegram user ids, e.g. 12345,67890",
  ),
  EMBEDDING_MODEL: optionalString,
  RERANK_MODEL: optionalString,
  INDEX_DIR: optionalString,
  INDEX_URL: optionalString.refine(
    (u) => u === undefined || /^postgres(ql)?:\/\//u.test(u),
    "INDEX_URL must be a postgres:// URL (e.g. postgres://user:password@host:5432/news, optionally ?schema=news_index), or unset for the embedded index in INDEX_DIR",
  ),
  EDITIONS_DIR: optionalString,
  DATA_DIR: optionalString,
  LOG_LEVEL: z
    .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], {
      message: "LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent",
    })
    .optional(),
  WEBHOOK_URL: optionalString.refine(
    (u) => u === undefined || /^https:\/\//u.test(u),
    "WEBHOOK_URL must be a public https:// URL that Telegram can reach",
  ),
  LLM_BASE_URL: optionalString.refine(
    (u) => u === undefined || (/^https?:\/\//u.test(u) && !u.endsWith("/")),
    "LLM_BASE_URL must be an http(s) URL of an OpenAI-compatible API without a trailing '/', e.g. https://api.deepseek.com/v1",
  ),
  LLM_MODEL: optionalString,
  LLM_API_KEY: optionalString,
  LLM_TIMEOUT_MS: optionalString.refine(
    (t) => t === undefined || (/^\d+$/u.test(t) && Number(t) >= 1000),
    "LLM_TIMEOUT_MS must be a whole number of milliseconds, at least 1000 (default 15000)",
  ),
  LLM_PROMPTS_DIR: optionalString,
  PORT: optionalString.refine(
    (p) => p === undefined || (/^\d+$/u.test(p) && Number(p) > 0 && Number(p) < 65536),
    "PORT must be a TCP port number (1-65535)",
  ),
  WEBHOOK_SECRET: optionalString.refine(
    (s) => s === undefined || /^[A-Za-z0-9_-]{16,256}$/u.test(s),
    "WEBHOOK_SECRET must be 16-256 characters of A-Z, a-z, 0-9, _ and - (Telegram's secret_token rules), or be unset to derive one from the token",
  ),
  RATE_LIMIT_PER_MINUTE: positiveInteger(
    "RATE_LIMIT_PER_MINUTE",
    "questions a user may ask per minute, e.g. 20",
  ),
  RATE_LIMIT_BURST: positiveInteger(
    "RATE_LIMIT_BURST",
    "requests a user may send at once before the per-minute rate applies, e.g. 5",
  ),
  RATE_LIMIT_GLOBAL_PER_MINUTE: positiveInteger(
    "RATE_LIMIT_GLOBAL_PER_MINUTE",
    "questions all users together may ask per minute before the bot asks them to wait, e.g. 600",
  ),
  MAX_UPLOAD_BYTES: positiveInteger(
    "MAX_UPLOAD_BYTES",
    "the largest edition file admins may upload or link, in bytes, e.g. 5242880 (5 MB); at most 20971520 (Telegram's download limit)",
  ).refine(
    (n) => n === undefined || n <= 20 * 1024 * 1024,
    "MAX_UPLOAD_BYTES must be at most 20971520 (20 MB): the Bot API does not let bots download larger files",
  ),
  EDITIONS_INBOX: optionalString,
  EDITION_SOURCES: optionalString.refine(
    (s) =>
      s === undefined ||
      s.split(",").every((h) => /^[a-z0-9.-]+(?::\d{1,5})?$/iu.test(h.trim()) && h.trim() !== ""),
    "EDITION_SOURCES must be a comma-separated list of host names (optionally host:port) that admins may send e-paper links from, e.g. epaper.pinghunews.cn,szb.jiaxingren.com",
  ),
  EDITION_FETCH_TIMEOUT_MS: optionalString.refine(
    (t) => t === undefined || (/^\d+$/u.test(t) && Number(t) >= 1000),
    "EDITION_FETCH_TIMEOUT_MS must be a whole number of milliseconds, at least 1000 (default 20000)",
  ),
  DATABASE_URL: optionalString.refine(
    (u) => u === undefined || /^postgres(?:ql)?:\/\/\S+$/u.test(u),
    "DATABASE_URL must be a PostgreSQL URL such as postgres://user:password@host:5432/dbname, or be unset to keep the bot's state in DATA_DIR/state.sqlite",
  ),
  DIGEST_CHANNEL: optionalString.refine(
    (c) => c === undefined || /^(?:@[A-Za-z]\w{3,31}|-?\d+)$/u.test(c),
    "DIGEST_CHANNEL must be a channel's @username or its numeric id (e.g. -1001234567890), with the bot added as an admin who may post",
  ),
});

/** The validated application configuration. */
export interface AppConfig {
  telegramBotToken: string | undefined;
  telegramApiRoot: string | undefined;
  adminUserIds: number[];
  /** Embedding model: undefined means the built-in offline embedder. */
  embeddingModel: string | undefined;
  /**
   * A transformers.js cross-encoder (hub id or local folder) that re-ranks retrieved passages
   * instead of the built-in second stage; undefined means the built-in one.
   */
  rerankModel: string | undefined;
  indexDir: string;
  /** The archive in PostgreSQL (INDEX_URL); undefined means the embedded index in `indexDir`. */
  indexUrl: string | undefined;
  editionsDir: string;
  dataDir: string;
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  webhookUrl: string | undefined;
  port: number;
  /** The optional LLM composer; undefined means extractive answers only. */
  llm:
    | { baseUrl: string; model: string; apiKey?: string; timeoutMs: number; promptsDir?: string }
    | undefined;
  /** Secret Telegram sends with every webhook request; undefined means derive it from the token. */
  webhookSecret: string | undefined;
  /** Per-user token bucket: sustained rate and burst. */
  rateLimitPerMinute: number;
  rateLimitBurst: number;
  /** Requests per minute of all users together (a tenth of it may come at once). */
  rateLimitGlobalPerMinute: number;
  /** Largest edition file an admin may upload (or have fetched from a link), in bytes. */
  maxUploadBytes: number;
  /**
   * A folder a newsroom's export job drops edition files into: the running bot indexes each new
   * or changed file and tells the admins. Undefined means no inbox.
   */
  editionsInbox: string | undefined;
  /** Hosts (lower case, optionally "host:port") admins may send edition links from; empty: none. */
  editionSources: string[];
  /** How long fetching an edition link may take, in milliseconds. */
  editionFetchTimeoutMs: number;
  /** PostgreSQL for the bot's state (shared by instances); undefined means SQLite in dataDir. */
  databaseUrl: string | undefined;
  /** A channel that gets each new edition's headlines once it is indexed; undefined means none. */
  digestChannel: string | number | undefined;
}

/** Thrown at startup when the environment is invalid; the message names each variable and its fix. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Invalid configuration (.env or environment):\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
    this.name = "ConfigError";
  }
}

/** Parses and validates the configuration from an environment; throws ConfigError listing every problem. */
export function loadConfig(env: Record<string, string | undefined>): AppConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`),
    );
  }
  const e = parsed.data;
  if ((e.LLM_BASE_URL === undefined) !== (e.LLM_MODEL === undefined)) {
    throw new ConfigError([
      e.LLM_BASE_URL === undefined
        ? "LLM_BASE_URL: set it together with LLM_MODEL (or unset LLM_MODEL to answer without an LLM)"
        : "LLM_MODEL: set the model name together with LLM_BASE_URL, e.g. LLM_MODEL=deepseek-chat (or unset LLM_BASE_URL)",
    ]);
  }
  let llm: AppConfig["llm"];
  if (e.LLM_BASE_URL !== undefined && e.LLM_MODEL !== undefined) {
    llm = {
      baseUrl: e.LLM_BASE_URL,
      model: e.LLM_MODEL,
      timeoutMs: e.LLM_TIMEOUT_MS === undefined ? 15_000 : Number(e.LLM_TIMEOUT_MS),
    };
    if (e.LLM_API_KEY !== undefined) llm.apiKey = e.LLM_API_KEY;
    if (e.LLM_PROMPTS_DIR !== undefined) llm.promptsDir = path.resolve(ROOT_DIR, e.LLM_PROMPTS_DIR);
  }
  const resolve = (p: string | undefined, fallback: string): string =>
    path.resolve(ROOT_DIR, p ?? fallback);
  return {
    telegramBotToken: e.TELEGRAM_BOT_TOKEN,
    telegramApiRoot: e.TELEGRAM_API_ROOT,
    adminUserIds: (e.ADMIN_USER_IDS ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== "")
      .map(Number),
    embeddingModel:
      e.EMBEDDING_MODEL === undefined || ["builtin", "hashed"].includes(e.EMBEDDING_MODEL)
        ? undefined
        : e.EMBEDDING_MODEL,
    rerankModel: e.RERANK_MODEL,
    indexDir: resolve(e.INDEX_DIR, "index"),
    indexUrl: e.INDEX_URL,
    editionsDir: resolve(e.EDITIONS_DIR, SAMPLE_EDITIONS_DIR),
    dataDir: resolve(e.DATA_DIR, "data"),
    logLevel: e.LOG_LEVEL ?? "info",
    webhookUrl: e.WEBHOOK_URL,
    port: e.PORT === undefined ? 8080 : Number(e.PORT),
    webhookSecret: e.WEBHOOK_SECRET,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE ?? 20,
    rateLimitBurst: e.RATE_LIMIT_BURST ?? 5,
    rateLimitGlobalPerMinute: e.RATE_LIMIT_GLOBAL_PER_MINUTE ?? 600,
    maxUploadBytes: e.MAX_UPLOAD_BYTES ?? 20 * 1024 * 1024,
    editionsInbox: e.EDITIONS_INBOX === undefined ? undefined : resolve(e.EDITIONS_INBOX, ""),
    editionSources: (e.EDITION_SOURCES ?? "")
      .split(",")
      .map((h) => h.trim().toLowerCase())
      .filter((h) => h !== ""),
    editionFetchTimeoutMs:
      e.EDITION_FETCH_TIMEOUT_MS === undefined ? 20_000 : Number(e.EDITION_FETCH_TIMEOUT_MS),
    databaseUrl: e.DATABASE_URL,
    digestChannel:
      e.DIGEST_CHANNEL === undefined || e.DIGEST_CHANNEL.startsWith("@")
        ? e.DIGEST_CHANNEL
        : Number(e.DIGEST_CHANNEL),
    llm,
  };
}
