import pino from "pino";
import type { Logger } from "pino";

export type { Logger } from "pino";

/** Where log lines go: anything with a `write(line)`; defaults to stdout. */
export interface LogDestination {
  write(line: string): void;
}

const REDACTED = "[REDACTED]";

/**
 * The forms in which a secret can appear in a log line: as is, URL-encoded (the token's ":" in a
 * request URL), and the bot token's secret half alone.
 */
function secretForms(secrets: readonly string[]): string[] {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < 8) continue;
    forms.add(secret);
    forms.add(encodeURIComponent(secret));
    const colon = secret.indexOf(":");
    if (colon > 0 && secret.length - colon > 8) forms.add(secret.slice(colon + 1));
  }
  // Longest first, so the whole token is replaced before its secret half is looked for.
  return [...forms].sort((a, b) => b.length - a.length);
}

/** Replaces every form of every secret in `text` with "[REDACTED]". */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const form of secretForms(secrets)) out = out.split(form).join(REDACTED);
  return out;
}

/**
 * Creates the structured (pino, JSON lines) logger. Every finished line passes through a filter
 * that removes the bot token and other secrets, wherever they hide: in an error message, a stack,
 * or a request URL quoted by a network error (`…/bot<token>/getUpdates`).
 */
export function createLogger(options: {
  level: string;
  secrets: readonly string[];
  destination?: LogDestination;
}): Logger {
  const out = options.destination ?? process.stdout;
  const forms = secretForms(options.secrets);
  const destination: LogDestination = {
    write(line) {
      let safe = line;
      for (const form of forms) safe = safe.split(form).join(REDACTED);
      out.write(safe);
    },
  };
  return pino(
    {
      level: options.level,
      base: { app: "local-news-bot" },
      redact: {
        paths: ["token", "*.token", "telegramBotToken", "*.telegramBotToken"],
        censor: REDACTED,
      },
    },
    destination,
  );
}

/** The parts of an error worth one log line: class, code, message and, for API errors, the method. */
export function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { error: String(error) };
  const e = error as Error & Record<string, unknown>;
  const out: Record<string, unknown> = { type: e.name, message: e.message };
  for (const key of ["code", "error_code", "method", "description", "retryable"]) {
    if (e[key] !== undefined) out[key] = e[key];
  }
  // grammY's HttpError keeps the network failure in `error`; others use the standard `cause`.
  const cause = e.cause ?? e.error;
  if (cause !== undefined) out.cause = describeError(cause);
  if (e.stack !== undefined) out.stack = e.stack.split("\n").slice(0, 6).join("\n");
  return out;
}
