import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Socket } from "node:net";

/** What the fake endpoint does with one request. */
export type ScriptedReply =
  /** 200 with a chat completion whose message content is `content`. */
  | { kind: "answer"; content: string }
  /** Accepts the request and never answers (until the client gives up or the server closes). */
  | { kind: "hang" }
  /** Any status with a JSON error body and optional headers, e.g. 429 with retry-after. */
  | { kind: "status"; status: number; headers?: Record<string, string>; message?: string }
  /** 200 with a body that is not JSON. */
  | { kind: "malformed" };

/** One request the server received. */
export interface RecordedRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  /** The parsed JSON body (undefined when it was not JSON). */
  body: unknown;
  /** The chat messages of the body, as role and text. */
  messages: { role: string; content: string }[];
}

/** A scriptable OpenAI-compatible endpoint on 127.0.0.1. */
export interface FakeOpenAiServer {
  /** Base URL to give the client, e.g. http://127.0.0.1:12345/v1. */
  readonly baseUrl: string;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /** Queues replies for the next requests, in order; when the queue is empty, `fallback` answers. */
  enqueue(...replies: ScriptedReply[]): void;
  /** Sets how requests are answered when nothing is queued (defaults to a 500). */
  respondWith(reply: ScriptedReply | ((request: RecordedRequest) => ScriptedReply)): void;
  /** Stops the server and drops every open connection, hanging ones included. */
  close(): Promise<void>;
}

/** Text of a message content that may be a string or a list of parts. */
function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content
      .map((part: unknown) =>
        typeof part === "object" && part !== null && "text" in part && typeof part.text === "string"
          ? part.text
          : "",
      )
      .join("");
  }
  return "";
}

/** The messages of a chat completion request body. */
function messagesOf(body: unknown): { role: string; content: string }[] {
  if (typeof body !== "object" || body === null || !("messages" in body)) return [];
  const messages = body.messages;
  if (!Array.isArray(messages)) return [];
  return messages.map((m: unknown) => {
    const role =
      typeof m === "object" && m !== null && "role" in m && typeof m.role === "string"
        ? m.role
        : "";
    const content = typeof m === "object" && m !== null && "content" in m ? m.content : undefined;
    return { role, content: contentText(content) };
  });
}

/** Starts a fake OpenAI-compatible chat completions server on an ephemeral port of 127.0.0.1. */
export async function startOpenAiServer(): Promise<FakeOpenAiServer> {
  const requests: RecordedRequest[] = [];
  const queue: ScriptedReply[] = [];
  let fallback: ScriptedReply | ((request: RecordedRequest) => ScriptedReply) = {
    kind: "status",
    status: 500,
    message: "no reply scripted",
  };
  const sockets = new Set<Socket>();

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch {
        body = undefined;
      }
      const request: RecordedRequest = {
        path: req.url ?? "",
        headers: req.headers,
        body,
        messages: messagesOf(body),
      };
      requests.push(request);
      if (req.method !== "POST" || request.path !== "/v1/chat/completions") {
        res.writeHead(404, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { message: `no route ${req.method} ${request.path}` } }));
        return;
      }
      const reply =
        queue.shift() ?? (typeof fallback === "function" ? fallback(request) : fallback);
      switch (reply.kind) {
        case "answer":
          res.writeHead(200, { "content-type": "application/json" });
          res.end(
            JSON.stringify({
              id: `chatcmpl-${requests.length}`,
              object: "chat.completion",
              created: Math.floor(Date.now() / 1000),
              model:
                typeof body === "object" && body !== null && "model" in body ? body.model : "fake",
              choices: [
                {
                  index: 0,
                  message: { role: "assistant", content: reply.content },
                  finish_reason: "stop",
                },
              ],
              usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
            }),
          );
          return;
        case "hang":
          return;
        case "status":
          res.writeHead(reply.status, { "content-type": "application/json", ...reply.headers });
          res.end(
            JSON.stringify({
              error: { message: reply.message ?? `status ${reply.status}`, type: "fake_error" },
            }),
          );
          return;
        case "malformed":
          res.writeHead(200, { "content-type": "application/json" });
          res.end('{"id": "chatcmpl-x", "choices": [ {"message": ');
          return;
      }
    });
  });
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    enqueue(...replies) {
      queue.push(...replies);
    },
    respondWith(reply) {
      fallback = reply;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve, reject) =>
        server.close((err) => (err ? reject(err) : resolve())),
      );
    },
  };
}
