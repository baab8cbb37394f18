import { ChatOpenAI } from "@langchain/openai";
import { ChatPromptTemplate } from "@langchain/core/prompts";
import { StringOutputParser } from "@langchain/core/output_parsers";
import type { Answer, Passage } from "../../types.js";
import { tokenize } from "../../text/words.js";
import { classifyLlmError, type FallbackReason, type LlmFailure } from "./llm-failure.js";
import { DEFAULT_PROMPTS_DIR, formatTodayZh, loadPrompts } from "./prompts.js";
import {
  DEFAULT_MAX_PASSAGE_CHARS,
  formatPassageBlock,
  neutralizeDelimiters,
} from "./passage-block.js";
import {
  cleanModelText,
  verifyLlmAnswer,
  type DroppedSentence,
  type VerifyOptions,
} from "./verify.js";
import { rewriteFollowUp, type FollowUpArchive } from "../follow-up/rewrite.js";
import type { ConversationTurn } from "./memory.js";

/** The phrase the prompts ask the model to say when the passages do not hold the answer. */
export const NO_ANSWER_PHRASE = "资料中没有答案";

/** Where an answer came from; "small-talk" is a reply about the bot, nothing searched. */
export type AnswerSource = "llm" | "extractive" | "small-talk";

/** An answer plus where it came from; still an `Answer`, so callers that only render need nothing new. */
export interface LlmAnswer extends Answer {
  source: AnswerSource;
  /** Why the extractive answer was used; absent when source is "llm". */
  fallbackReason?: FallbackReason;
  /** Short English detail for logs (HTTP status, error message, drop counts); never holds the key. */
  fallbackDetail?: string;
  /** Sentences of the model's answer the verifier removed. */
  dropped: DroppedSentence[];
}

/** A follow-up question made standalone, and how. */
export interface RewrittenQuestion {
  question: string;
  /** "unchanged": it stood alone (or there was no history); "rules": rule-based; "llm": the model's. */
  source: "unchanged" | "rules" | "llm";
  /** Why the model's rewrite was not used, when it was tried and failed. */
  fallbackReason?: FallbackReason;
  fallbackDetail?: string;
}

/** Options of the LLM composer. */
export interface LlmComposerOptions {
  /**
   * OpenAI-compatible base URL including the version path, without a trailing '/', e.g.
   * "https://api.deepseek.com/v1", "https://dashscope.aliyuncs.com/compatible-mode/v1",
   * "https://api.moonshot.cn/v1", "http://127.0.0.1:11434/v1" (env LLM_BASE_URL).
   */
  baseUrl: string;
  /** Model name, e.g. "deepseek-chat", "qwen-plus", "qwen2.5:7b" (env LLM_MODEL). */
  model: string;
  /** API key; local servers need none (env LLM_API_KEY). */
  apiKey?: string;
  /** Overall deadline of one answer call, retries included. Defaults to 15000. */
  timeoutMs?: number;
  /** Overall deadline of one rewrite call. Defaults to min(timeoutMs, 8000). */
  rewriteTimeoutMs?: number;
  /** Retries inside the deadline: 0 or 1. Defaults to 0, because a reply should not wait. */
  maxRetries?: 0 | 1;
  /** Folder with system.md, answer.md and rewrite.md. Defaults to the repository's prompts/. */
  promptsDir?: string;
  /** Clock, for {today} and the 429 cool-down. Defaults to () => new Date(). */
  now?: () => Date;
  /** Time zone of {today}. Defaults to "Asia/Shanghai". */
  timeZone?: string;
  /** Sampling temperature. Defaults to 0. */
  temperature?: number;
  /** Completion tokens at most (reasoning models count their thinking here). Defaults to 1024. */
  maxTokens?: number;
  /** Passages given to the model, best first. Defaults to 6. */
  maxPassages?: number;
  /** Characters of each passage's text given to the model. Defaults to 1200. */
  maxPassageChars?: number;
  /** Questions longer than this are taken as standalone and not sent for rewriting. Defaults to 30. */
  rewriteMaxChars?: number;
  /** Verifier thresholds. */
  verify?: Pick<VerifyOptions, "minTermShare">;
}

/** Input of one answer composition. */
export interface ComposeInput {
  /** The (standalone) question. */
  question: string;
  /** Retrieved passages, in rank order. */
  passages: readonly Passage[];
  /** The extractive answer, returned whenever the model's answer cannot be used. */
  fallback: Answer;
  signal?: AbortSignal;
}

/** Composes cited answers with an LLM and rewrites follow-ups, always degrading to the offline path. */
export interface LlmComposer {
  readonly model: string;
  /** Answers from the passages via the LLM, verified; the fallback on any failure. Never throws. */
  compose(input: ComposeInput): Promise<LlmAnswer>;
  /**
   * Makes a follow-up standalone via the LLM; the rule-based rewrite on any failure. A question
   * that the rules find standalone is returned unchanged without calling the model, so that a
   * question with its own subject is never rewritten. `archive` holds the articles the previous
   * answers cited. Never throws.
   */
  rewrite(
    question: string,
    history: readonly ConversationTurn[],
    options: { archive: FollowUpArchive; signal?: AbortSignal },
  ): Promise<RewrittenQuestion>;
}

/** The longest cool-down a Retry-After header can impose. */
const MAX_COOLDOWN_MS = 10 * 60_000;

type CallResult = { ok: true; text: string } | { ok: false; failure: LlmFailure };

/** Throws when an option is invalid; the message names the option and its environment variable. */
function validate(options: LlmComposerOptions): void {
  if (!/^https?:\/\/[^\s/]+/u.test(options.baseUrl)) {
    throw new Error(
      `LLM baseUrl (env LLM_BASE_URL) must be an http(s) URL such as https://api.deepseek.com/v1, got "${options.baseUrl}".`,
    );
  }
  if (options.baseUrl.endsWith("/")) {
    throw new Error(
      `LLM baseUrl (env LLM_BASE_URL): remove the trailing '/' from "${options.baseUrl}".`,
    );
  }
  if (options.model.trim() === "") {
    throw new Error("LLM model (env LLM_MODEL) must name a model, e.g. deepseek-chat.");
  }
  for (const [name, env, value] of [
    ["timeoutMs", "LLM_TIMEOUT_MS", options.timeoutMs],
    ["rewriteTimeoutMs", "LLM_TIMEOUT_MS", options.rewriteTimeoutMs],
    ["maxTokens", "", options.maxTokens],
    ["maxPassages", "", options.maxPassages],
    ["maxPassageChars", "", options.maxPassageChars],
    ["rewriteMaxChars", "", options.rewriteMaxChars],
  ] as const) {
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
      throw new Error(
        `LLM ${name}${env ? ` (env ${env})` : ""} must be a positive integer, got ${value}.`,
      );
    }
  }
}

/**
 * Runs `run` with a signal that aborts at the deadline or when `outer` aborts, and settles by
 * then even if the underlying call ignores the signal.
 */
async function withDeadline(
  timeoutMs: number,
  outer: AbortSignal | undefined,
  run: (signal: AbortSignal) => Promise<string>,
): Promise<{ ok: true; text: string } | { ok: false; error: unknown; timedOut: boolean }> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new Error(`LLM call exceeded ${timeoutMs} ms`));
  }, timeoutMs);
  const relay = (): void => controller.abort(outer?.reason);
  if (outer?.aborted) relay();
  else outer?.addEventListener("abort", relay, { once: true });
  const aborted = new Promise<never>((_, reject) => {
    const fail = (): void => reject(controller.signal.reason);
    if (controller.signal.aborted) fail();
    else controller.signal.addEventListener("abort", fail, { once: true });
  });
  try {
    return { ok: true, text: await Promise.race([run(controller.signal), aborted]) };
  } catch (error) {
    return { ok: false, error, timedOut };
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener("abort", relay);
  }
}

/** The first line of a rewrite, without labels, quotes or markers the model may add. */
function cleanRewrite(text: string): string {
  const line =
    cleanModelText(text)
      .split("\n")
      .map((l) => l.trim())
      .find((l) => l !== "") ?? "";
  return line
    .replace(/^(改写后的问题|改写后|改写|问题|新问题|完整问题)\s*[:：]\s*/u, "")
    .replace(/^["“”'‘’「」『』]+|["“”'‘’「」『』]+$/gu, "")
    .trim();
}

/** The history as the rewrite prompt shows it: one 用户/助手 pair per turn, neutralised. */
function formatHistory(history: readonly ConversationTurn[]): string {
  return history
    .map((turn) => {
      const lines = [`用户:${neutralizeDelimiters(turn.question).replace(/\s+/gu, " ")}`];
      if (turn.answer !== undefined) {
        const answer = Array.from(neutralizeDelimiters(turn.answer).replace(/\s+/gu, " "));
        lines.push(`助手:${answer.slice(0, 200).join("")}${answer.length > 200 ? "…" : ""}`);
      }
      return lines.join("\n");
    })
    .join("\n");
}

/**
 * Creates the LLM composer for an OpenAI-compatible endpoint (via LangChain's ChatOpenAI). Loads
 * and checks the prompts now, so a bad prompts folder fails at startup. Throws Error when an
 * option is invalid or a prompt file is missing or broken; never contacts the endpoint here.
 */
export function createLlmComposer(options: LlmComposerOptions): LlmComposer {
  validate(options);
  const timeoutMs = options.timeoutMs ?? 15_000;
  const rewriteTimeoutMs = options.rewriteTimeoutMs ?? Math.min(timeoutMs, 8_000);
  const now = options.now ?? (() => new Date());
  const timeZone = options.timeZone ?? "Asia/Shanghai";
  const maxPassages = options.maxPassages ?? 6;
  const maxPassageChars = options.maxPassageChars ?? DEFAULT_MAX_PASSAGE_CHARS;
  const rewriteMaxChars = options.rewriteMaxChars ?? 30;
  const verifyOptions: VerifyOptions = { maxPassageChars };
  if (options.verify?.minTermShare !== undefined) {
    verifyOptions.minTermShare = options.verify.minTermShare;
  }
  const prompts = loadPrompts(options.promptsDir ?? DEFAULT_PROMPTS_DIR);

  const model = new ChatOpenAI({
    model: options.model,
    // OpenAI's client refuses to start without a key; local servers ignore it.
    apiKey: options.apiKey ?? "not-needed",
    configuration: { baseURL: options.baseUrl },
    temperature: options.temperature ?? 0,
    maxTokens: options.maxTokens ?? 1024,
    // The client's own timeout backs up our deadline; retries would eat into it.
    timeout: timeoutMs,
    maxRetries: options.maxRetries ?? 0,
    streaming: false,
  });
  const answerChain = ChatPromptTemplate.fromMessages([
    ["system", prompts.system],
    ["human", prompts.answer],
  ])
    .pipe(model)
    .pipe(new StringOutputParser());
  const rewriteChain = ChatPromptTemplate.fromMessages([["human", prompts.rewrite]])
    .pipe(model)
    .pipe(new StringOutputParser());

  let coolUntilMs = 0;

  /** Calls a chain within its deadline; classifies any failure and starts a cool-down after a 429. */
  const call = async (
    run: (signal: AbortSignal) => Promise<string>,
    deadlineMs: number,
    signal: AbortSignal | undefined,
  ): Promise<CallResult> => {
    const nowMs = now().getTime();
    if (nowMs < coolUntilMs) {
      const seconds = Math.ceil((coolUntilMs - nowMs) / 1000);
      return {
        ok: false,
        failure: { reason: "rate-limited", detail: `cooling down ${seconds} s after a 429` },
      };
    }
    const result = await withDeadline(deadlineMs, signal, run);
    if (result.ok) return result;
    if (result.timedOut) {
      return {
        ok: false,
        failure: { reason: "timeout", detail: `no answer within ${deadlineMs} ms` },
      };
    }
    if (signal?.aborted) {
      return { ok: false, failure: { reason: "aborted", detail: "aborted by the caller" } };
    }
    const classifyOptions: { secret?: string; nowMs: number } = { nowMs: now().getTime() };
    if (options.apiKey !== undefined) classifyOptions.secret = options.apiKey;
    const failure = classifyLlmError(result.error, classifyOptions);
    if (failure.retryAfterMs !== undefined) {
      coolUntilMs = now().getTime() + Math.min(failure.retryAfterMs, MAX_COOLDOWN_MS);
    }
    return { ok: false, failure };
  };

  const fallBack = (
    fallback: Answer,
    reason: FallbackReason,
    detail: string | undefined,
    dropped: DroppedSentence[] = [],
  ): LlmAnswer => {
    const answer: LlmAnswer = {
      ...fallback,
      source: "extractive",
      fallbackReason: reason,
      dropped,
    };
    if (detail !== undefined) answer.fallbackDetail = detail;
    return answer;
  };

  return {
    model: options.model,

    async compose({ question, passages, fallback, signal }) {
      const given = passages.slice(0, maxPassages);
      if (given.length === 0) return fallBack(fallback, "no-passages", undefined);
      const input = {
        today: formatTodayZh(now(), timeZone),
        count: String(given.length),
        passages: formatPassageBlock(given, maxPassageChars),
        question: neutralizeDelimiters(question).trim(),
      };
      const result = await call((s) => answerChain.invoke(input, { signal: s }), timeoutMs, signal);
      if (!result.ok) return fallBack(fallback, result.failure.reason, result.failure.detail);
      if (result.text.trim() === "") return fallBack(fallback, "bad-response", "empty completion");
      const verified = verifyLlmAnswer(result.text, given, verifyOptions);
      if (verified.text === "") {
        const abstained = cleanModelText(result.text).includes(NO_ANSWER_PHRASE);
        return fallBack(
          fallback,
          abstained ? "llm-abstained" : "unverified",
          abstained ? undefined : `${verified.dropped.length} sentence(s) dropped`,
          verified.dropped,
        );
      }
      return {
        question,
        text: verified.text,
        abstained: false,
        citations: verified.citations,
        passages: [...passages],
        source: "llm",
        dropped: verified.dropped,
      };
    },

    async rewrite(question, history, rewriteOptions) {
      const rules = rewriteFollowUp(question, history, rewriteOptions.archive);
      const byRules = (reason?: FallbackReason, detail?: string): RewrittenQuestion => {
        const rewritten = rules;
        const out: RewrittenQuestion = {
          question: rewritten,
          source: rewritten === question ? "unchanged" : "rules",
        };
        if (reason !== undefined) out.fallbackReason = reason;
        if (detail !== undefined) out.fallbackDetail = detail;
        return out;
      };
      if (
        rules === question ||
        history.length === 0 ||
        Array.from(question.trim()).length > rewriteMaxChars
      ) {
        return { question, source: "unchanged" };
      }
      const input = {
        today: formatTodayZh(now(), timeZone),
        history: formatHistory(history),
        question: neutralizeDelimiters(question).trim(),
      };
      const result = await call(
        (s) => rewriteChain.invoke(input, { signal: s }),
        rewriteTimeoutMs,
        rewriteOptions.signal,
      );
      if (!result.ok) return byRules(result.failure.reason, result.failure.detail);
      const rewritten = cleanRewrite(result.text);
      if (rewritten === "" || Array.from(rewritten).length > 150) {
        return byRules("bad-response", `rewrite of ${Array.from(rewritten).length} chars`);
      }
      // The rewrite must keep what the user just asked about ("平湖" in "那平湖呢?").
      const own = new Set(tokenize(question));
      const kept = new Set(tokenize(rewritten));
      const share = own.size === 0 ? 1 : [...own].filter((t) => kept.has(t)).length / own.size;
      if (share < 0.5)
        return byRules("unverified", `rewrite keeps ${share.toFixed(2)} of the question's terms`);
      return { question: rewritten, source: rewritten === question.trim() ? "unchanged" : "llm" };
    },
  };
}
