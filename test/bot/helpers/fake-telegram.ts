import http from "node:http";
import type { AddressInfo } from "node:net";
import { TelegramServer } from "telegram-test-api/lib/telegramServer.js";

/**
 * A Telegram Bot API for tests: telegram-test-api (the emulator) behind a small loopback front
 * that adds what the emulator lacks. The front answers long polling properly (the emulator's
 * getUpdates returns at once, which would spin the runner), implements sendChatAction,
 * setMyCommands, answerInlineQuery, getFile and file downloads, can deliver raw updates the
 * emulator cannot make (inline queries), and can be told to fail sendChatAction.
 */

/** A message the bot sent, as the emulator stored it. */
export interface BotMessage {
  chat_id: number | string;
  text: string;
  parse_mode?: string;
  reply_markup?: { inline_keyboard?: { text: string; callback_data?: string }[][] };
  reply_parameters?: { message_id: number };
  message_id: number;
}

interface StoredBotUpdate {
  messageId: number;
  isRead: boolean;
  message: Omit<BotMessage, "message_id">;
}

/**
 * A failure the front plays instead of serving one Bot API call: an error status (429 with
 * retry_after, 5xx), or a dropped connection (the socket is destroyed before any answer, as when
 * the network fails; the call never reaches the emulator, so a retry cannot duplicate it).
 */
export type InjectedFailure =
  | { kind: "status"; status: number; retryAfterSeconds?: number; description?: string }
  | { kind: "drop" };

/** What the front saw of the methods it implements itself. */
export interface ApiCall {
  method: string;
  body: Record<string, unknown>;
}

/** Options of one fake user or chat. */
export interface ChatOptions {
  userId?: number;
  chatId?: number;
  type?: "private" | "group" | "supergroup";
  firstName?: string;
}

export const BOT_USERNAME = "TestNameBot";
export const BOT_ID = 666;

interface EmulatorInternals {
  webServer: http.RequestListener;
  updateId: number;
  getUpdates(token: string): unknown[];
  storage: { botMessages: StoredBotUpdate[] };
}

/** A running fake Bot API on 127.0.0.1 (ephemeral port). */
export class FakeTelegram {
  readonly calls: ApiCall[] = [];
  /** When true, sendChatAction answers 400 (a failing typing indicator). */
  failChatAction = false;
  readonly #files = new Map<string, { path: string; bytes: Buffer }>();
  readonly #extraUpdates: Record<string, unknown>[] = [];
  readonly #failures = new Map<string, InjectedFailure[]>();
  /** Every failure played so far, in order. */
  readonly played: { method: string; failure: InjectedFailure }[] = [];
  #nextMessageId = 100_000;

  private constructor(
    readonly server: TelegramServer,
    readonly token: string,
    readonly apiRoot: string,
    private readonly http: http.Server,
  ) {}

  /** Starts the emulator and its front on an ephemeral loopback port. */
  static async start(token: string): Promise<FakeTelegram> {
    let handler: http.RequestListener = (_req, res) => res.end();
    const server = http.createServer((req, res) => handler(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", resolve);
    });
    const port = (server.address() as AddressInfo).port;
    const emulator = new TelegramServer({ port, host: "127.0.0.1" });
    const fake = new FakeTelegram(emulator, token, `http://127.0.0.1:${port}`, server);
    handler = (req, res) => {
      fake.#handle(req, res).catch((error: unknown) => {
        res.statusCode = 500;
        res.end(JSON.stringify({ ok: false, error_code: 500, description: String(error) }));
      });
    };
    return fake;
  }

  get #emulator(): EmulatorInternals {
    return this.server as unknown as EmulatorInternals;
  }

  /** Stops the front (and so the emulator, which it serves). */
  async stop(): Promise<void> {
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  /** Registers a file that getFile and the download path will serve; returns its file_id. */
  addFile(name: string, bytes: Buffer): string {
    const fileId = `file-${this.#files.size + 1}`;
    this.#files.set(fileId, { path: `documents/${name}`, bytes });
    return fileId;
  }

  /** Queues failures for the next calls of `method` (e.g. "sendMessage"), played in order. */
  failNext(method: string, ...failures: InjectedFailure[]): void {
    this.#failures.set(method, [...(this.#failures.get(method) ?? []), ...failures]);
  }

  /** Queues a raw update (e.g. an inline query) for the bot's next getUpdates. */
  pushUpdate(update: Record<string, unknown>): void {
    this.#extraUpdates.push({ update_id: this.#emulator.updateId++, ...update });
  }

  /** Sends a user's message; `extra` is merged into it (entities, reply_to_message, document…). */
  async sendMessage(
    chat: ChatOptions,
    text: string | undefined,
    extra: Record<string, unknown> = {},
  ): Promise<void> {
    const userId = chat.userId ?? 1;
    const chatId = chat.chatId ?? userId;
    const message: Record<string, unknown> = {
      botToken: this.token,
      date: Math.floor(Date.now() / 1000),
      from: { id: userId, is_bot: false, first_name: chat.firstName ?? "测试用户" },
      chat:
        (chat.type ?? "private") === "private"
          ? { id: chatId, type: "private", first_name: chat.firstName ?? "测试用户" }
          : { id: chatId, type: chat.type, title: "本地新闻讨论群" },
      ...extra,
    };
    if (text !== undefined) {
      message.text = text;
      // A leading /command gets its bot_command entity, as Telegram would add it.
      const command = /^\/[\w@]+/u.exec(text);
      if (command && message.entities === undefined) {
        message.entities = [{ type: "bot_command", offset: 0, length: command[0].length }];
      }
    }
    await this.server.addUserMessage(message as never);
  }

  /** Presses an inline button under a bot message. */
  async pressButton(chat: ChatOptions, message: BotMessage, data: string): Promise<void> {
    const userId = chat.userId ?? 1;
    const chatId = chat.chatId ?? userId;
    await this.server.addUserCallback({
      botToken: this.token,
      date: Math.floor(Date.now() / 1000),
      from: { id: userId, is_bot: false, first_name: chat.firstName ?? "测试用户" },
      message: {
        message_id: message.message_id,
        chat: { id: chatId, type: chat.type ?? "private", first_name: "x" },
        date: Math.floor(Date.now() / 1000),
        text: message.text,
      },
      data,
    } as never);
  }

  /** Every message the bot sent to `chatId` so far (read or not), oldest first. */
  messagesTo(chatId: number): BotMessage[] {
    return this.#emulator.storage.botMessages
      .filter((u) => String(u.message.chat_id) === String(chatId))
      .map((u) => ({ ...u.message, message_id: u.messageId }));
  }

  /**
   * Waits until the bot has sent `count` messages to `chatId` that no earlier wait returned, and
   * returns them. Fails with what did arrive when they do not come within `timeoutMs` (a guard
   * against a hung test, not a timing assertion).
   */
  async waitForMessages(chatId: number, count = 1, timeoutMs = 20_000): Promise<BotMessage[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const unread = this.#emulator.storage.botMessages.filter(
        (u) => !u.isRead && String(u.message.chat_id) === String(chatId),
      );
      if (unread.length >= count) {
        const taken = unread.slice(0, count);
        for (const u of taken) u.isRead = true;
        return taken.map((u) => ({ ...u.message, message_id: u.messageId }));
      }
      if (Date.now() > deadline) {
        throw new Error(
          `Expected ${count} bot message(s) to chat ${chatId}, got ${unread.length}: ` +
            JSON.stringify(unread.map((u) => u.message.text)),
        );
      }
      await new Promise((r) => setTimeout(r, 15));
    }
  }

  /**
   * Calls `listener` with each message the bot sends from now on and the time it was stored
   * (checked every `intervalMs`); returns a function that stops listening.
   */
  watchBotMessages(
    listener: (message: BotMessage, atMs: number) => void,
    intervalMs = 5,
  ): () => void {
    const stored = this.#emulator.storage.botMessages;
    let seen = stored.length;
    const timer = setInterval(() => {
      const now = Date.now();
      for (; seen < stored.length; seen++) {
        const u = stored[seen];
        if (u) listener({ ...u.message, message_id: u.messageId }, now);
      }
    }, intervalMs);
    return () => clearInterval(timer);
  }

  /** Waits until the front has seen a call to `method` matching `predicate`; returns it. */
  async waitForCall(
    method: string,
    predicate: (call: ApiCall) => boolean = () => true,
    timeoutMs = 20_000,
  ): Promise<ApiCall> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const call = this.calls.find((c) => c.method === method && predicate(c));
      if (call) return call;
      if (Date.now() > deadline) throw new Error(`No ${method} call within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 15));
    }
  }

  async #handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.apiRoot);
    const file = /^\/file\/bot([^/]+)\/(.+)$/u.exec(url.pathname);
    if (file) {
      const found = [...this.#files.values()].find(
        (f) => f.path === decodeURIComponent(file[2] ?? ""),
      );
      if (file[1] !== this.token || !found) {
        res.statusCode = 404;
        res.end("not found");
        return;
      }
      res.end(found.bytes);
      return;
    }
    const api = /^\/bot([^/]+)\/(\w+)$/u.exec(url.pathname);
    const method = api?.[2] ?? "";
    const failure = this.#failures.get(method)?.shift();
    if (failure) {
      this.played.push({ method, failure });
      if (failure.kind === "drop") {
        req.socket.destroy();
        return;
      }
      const retryAfter = failure.retryAfterSeconds;
      res.statusCode = failure.status;
      res.setHeader("content-type", "application/json");
      res.end(
        JSON.stringify({
          ok: false,
          error_code: failure.status,
          description:
            failure.description ??
            (retryAfter === undefined
              ? `Internal Server Error (injected by the test)`
              : `Too Many Requests: retry after ${retryAfter}`),
          ...(retryAfter === undefined ? {} : { parameters: { retry_after: retryAfter } }),
        }),
      );
      return;
    }
    const own = [
      "getUpdates",
      "sendChatAction",
      "setMyCommands",
      "answerInlineQuery",
      "answerCallbackQuery",
      "getFile",
      // The emulator would push updates to the webhook URL itself; tests deliver them instead.
      "setWebhook",
    ];
    if (!api || !own.includes(method)) {
      this.#emulator.webServer(req, res);
      return;
    }
    const body = await readBody(req);
    const send = (payload: unknown, status = 200): void => {
      res.statusCode = status;
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify(payload));
    };
    if (api[1] !== this.token) {
      send({ ok: false, error_code: 401, description: "Unauthorized" }, 401);
      return;
    }
    if (method !== "getUpdates") this.calls.push({ method, body });
    switch (method) {
      case "getUpdates":
        send({ ok: true, result: await this.#longPoll(res, Number(body.timeout ?? 0)) });
        return;
      case "sendChatAction":
        if (this.failChatAction) {
          send(
            { ok: false, error_code: 400, description: "Bad Request: chat action failed (test)" },
            400,
          );
        } else send({ ok: true, result: true });
        return;
      case "getFile": {
        const entry = this.#files.get(String(body.file_id));
        if (!entry) {
          send({ ok: false, error_code: 400, description: "Bad Request: invalid file_id" }, 400);
          return;
        }
        send({
          ok: true,
          result: {
            file_id: body.file_id,
            file_unique_id: `u-${String(body.file_id)}`,
            file_size: entry.bytes.length,
            file_path: entry.path,
          },
        });
        return;
      }
      default:
        send({ ok: true, result: true });
    }
  }

  /** Returns pending updates, waiting up to `timeoutSeconds` for one to arrive (as Telegram does). */
  async #longPoll(res: http.ServerResponse, timeoutSeconds: number): Promise<unknown[]> {
    const deadline = Date.now() + Math.min(timeoutSeconds, 30) * 1000;
    // The response closes before we answer only when the bot gave up (runner stopped).
    let closed = false;
    res.once("close", () => (closed = true));
    for (;;) {
      const updates = [...this.#extraUpdates.splice(0), ...this.#emulator.getUpdates(this.token)];
      if (updates.length > 0 || closed || Date.now() >= deadline) return updates;
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /**
   * Takes the updates waiting for the bot, as getUpdates would; for delivering them to a webhook
   * instead of letting the bot poll.
   */
  takeUpdates(): Record<string, unknown>[] {
    return [
      ...this.#extraUpdates.splice(0),
      ...(this.#emulator.getUpdates(this.token) as Record<string, unknown>[]),
    ];
  }

  /** A fresh message id, for user messages the test builds by hand. */
  nextMessageId(): number {
    return this.#nextMessageId++;
  }
}

async function readBody(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  if (text === "") return {};
  if ((req.headers["content-type"] ?? "").includes("application/json")) {
    return JSON.parse(text) as Record<string, unknown>;
  }
  return Object.fromEntries(new URLSearchParams(text));
}
