import http from "node:http";
import { webhookCallback } from "grammy";
import type { Bot, Context } from "grammy";
import type { Logger } from "./logger.js";
import { describeError } from "./logger.js";

/** Options of the bot's HTTP server. */
export interface BotHttpServerOptions {
  /** Serve Telegram's webhook at `path`, accepting only requests that carry `secretToken`. */
  webhook?: { bot: Bot<Context>; path: string; secretToken: string };
  /** The body of `GET /healthz` (index counts and the like). */
  health: () => Record<string, unknown>;
  logger: Logger;
}

/**
 * Creates (does not start) the node:http server: `GET /healthz` answers 200 with JSON from
 * `health()`, and in webhook mode `POST <path>` feeds updates to the bot, after grammY has checked
 * the X-Telegram-Bot-Api-Secret-Token header (401 otherwise). Everything else is 404.
 */
export function createBotHttpServer(options: BotHttpServerOptions): http.Server {
  const handleUpdate = options.webhook
    ? webhookCallback(options.webhook.bot, "http", {
        secretToken: options.webhook.secretToken,
        // Answer Telegram in time even when a question takes long; the handler carries on.
        onTimeout: "return",
        timeoutMilliseconds: 8_000,
      })
    : undefined;
  return http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (req.method === "GET" && url.pathname === "/healthz") {
      let body: Record<string, unknown>;
      try {
        body = { status: "ok", ...options.health() };
      } catch (error) {
        options.logger.error({ error: describeError(error) }, "health check failed");
        res.writeHead(503, { "content-type": "application/json" });
        res.end(JSON.stringify({ status: "error" }));
        return;
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
      return;
    }
    if (
      handleUpdate &&
      options.webhook &&
      req.method === "POST" &&
      url.pathname === options.webhook.path
    ) {
      handleUpdate(req, res).catch((error: unknown) => {
        options.logger.error({ error: describeError(error) }, "webhook update failed");
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
      return;
    }
    res.writeHead(404, { "content-type": "application/json" });
    res.end(JSON.stringify({ status: "not found" }));
  });
}
