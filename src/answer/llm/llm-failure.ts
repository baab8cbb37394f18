/** Why an answer or rewrite came from the offline path instead of the LLM. */
export type FallbackReason =
  /** Retrieval found nothing, so there was nothing to give the model. */
  | "no-passages"
  /** The endpoint did not answer within the timeout (or returned 408). */
  | "timeout"
  /** 429, or still cooling down after one. */
  | "rate-limited"
  /** 5xx from the endpoint. */
  | "server-error"
  /** Another HTTP error: 401/403 (key), 404 (model or base URL), 400. Usually configuration. */
  | "http-error"
  /** The endpoint could not be reached. */
  | "network"
  /** The endpoint answered, but not with a usable chat completion (malformed JSON, no content). */
  | "bad-response"
  /** The caller aborted. */
  | "aborted"
  /** The model said the passages do not hold the answer. */
  | "llm-abstained"
  /** No sentence of the model's answer survived verification. */
  | "unverified"
  /** Anything else thrown while calling the model. */
  | "error";

/** A classified failure of one LLM call, safe to log (the API key is redacted). */
export interface LlmFailure {
  reason: FallbackReason;
  /** Short English detail for logs: status and the first line of the message. */
  detail: string;
  /** How long the endpoint asked us to wait (Retry-After), when it said. */
  retryAfterMs?: number;
}

/** Reads a property of an unknown value without trusting its shape. */
function prop(value: unknown, key: string): unknown {
  return typeof value === "object" && value !== null
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

/** The Retry-After delay from an error's response headers (seconds, HTTP date, or retry-after-ms). */
function retryAfterMs(error: unknown, nowMs: number): number | undefined {
  const headers = prop(error, "headers");
  const get = (name: string): string | undefined => {
    const getter = prop(headers, "get");
    if (typeof getter === "function") {
      const v: unknown = getter.call(headers, name);
      return typeof v === "string" ? v : undefined;
    }
    const v = prop(headers, name);
    return typeof v === "string" ? v : undefined;
  };
  const ms = Number(get("retry-after-ms"));
  if (Number.isFinite(ms) && ms > 0) return ms;
  const raw = get("retry-after");
  if (raw === undefined) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** True when the error or any of its causes has one of the given codes or names. */
function chainHas(error: unknown, pattern: RegExp): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth++) {
    const code = prop(current, "code");
    const name = prop(current, "name");
    if (
      (typeof code === "string" && pattern.test(code)) ||
      (typeof name === "string" && pattern.test(name))
    ) {
      return true;
    }
    current = prop(current, "cause");
  }
  return false;
}

/**
 * Classifies an error thrown by a LangChain/OpenAI call into a fallback reason, with a log detail
 * from which `secret` (the API key) is removed. Never throws.
 */
export function classifyLlmError(
  error: unknown,
  options: { secret?: string; nowMs: number },
): LlmFailure {
  const status = prop(error, "status");
  const name = prop(error, "name");
  const message = prop(error, "message");
  let firstLine = (typeof message === "string" ? message : String(error)).split("\n")[0] ?? "";
  if (options.secret) firstLine = firstLine.split(options.secret).join("***");
  firstLine = firstLine.slice(0, 200);
  const detail =
    typeof status === "number"
      ? `HTTP ${status}: ${firstLine}`
      : `${String(name ?? "Error")}: ${firstLine}`;
  const failure = (reason: FallbackReason): LlmFailure => ({ reason, detail });

  if (typeof status === "number") {
    if (status === 429) {
      const wait = retryAfterMs(error, options.nowMs);
      return wait === undefined
        ? failure("rate-limited")
        : { reason: "rate-limited", detail, retryAfterMs: wait };
    }
    if (status === 408) return failure("timeout");
    if (status >= 500) return failure("server-error");
    return failure("http-error");
  }
  if (
    name === "TimeoutError" ||
    chainHas(error, /^(APIConnectionTimeoutError|ETIMEDOUT|UND_ERR_.*TIMEOUT)$/u)
  ) {
    return failure("timeout");
  }
  if (name === "AbortError") return failure("aborted");
  if (
    chainHas(
      error,
      /^(APIConnectionError|ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|UND_ERR_SOCKET)$/u,
    ) ||
    (typeof message === "string" && /fetch failed|Connection error/iu.test(message))
  ) {
    return failure("network");
  }
  if (
    error instanceof SyntaxError ||
    (typeof message === "string" && /JSON|Unexpected token|choices|undefined/iu.test(message))
  ) {
    return failure("bad-response");
  }
  return failure("error");
}
