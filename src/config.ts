import path from "node:path";
import { z } from "zod";

/** Repository root (this file lives in src/). */
export const ROOT_DIR = path.resolve(import.meta.dirname, "..");

/** Where the bundled sample editions live. */
export const SAMPLE_EDITIONS_DIR = path.join(ROOT_DIR, "data", "editions");

const optionalString = z
  .string()
  .trim()
  .transform((s) => (s === "" ? undefined : s))
  .optional();

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
  INDEX_DIR: optionalString,
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
  PORT: optionalString.refine(
    (p) => p === undefined || (/^\d+$/u.test(p) && Number(p) > 0 && Number(p) < 65536),
    "PORT must be a TCP port number (1-65535)",
  ),
});

/** The validated application configuration. */
export interface AppConfig {
  telegramBotToken: string | undefined;
  telegramApiRoot: string | undefined;
  adminUserIds: number[];
  /** Embedding model: undefined means the built-in offline embedder. */
  embeddingModel: string | undefined;
  indexDir: string;
  editionsDir: string;
  dataDir: string;
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  webhookUrl: string | undefined;
  port: number;
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
    indexDir: resolve(e.INDEX_DIR, "index"),
    editionsDir: resolve(e.EDITIONS_DIR, SAMPLE_EDITIONS_DIR),
    dataDir: resolve(e.DATA_DIR, "data"),
    logLevel: e.LOG_LEVEL ?? "info",
    webhookUrl: e.WEBHOOK_URL,
    port: e.PORT === undefined ? 8080 : Number(e.PORT),
  };
}
