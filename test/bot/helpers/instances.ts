import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { FakeTelegram } from "./fake-telegram.js";

const ROOT = path.resolve(import.meta.dirname, "../../..");

/** Bot processes in webhook mode behind a round-robin proxy, fed by the fake Bot API. */
export interface Instances {
  /** The ports the instances listen on (webhook and /healthz). */
  ports: number[];
  /** Updates each instance was handed by the proxy. */
  delivered: number[];
  /** GET /healthz of one instance. */
  health(i: number): Promise<Record<string, unknown>>;
  /** What the processes printed, for a failing test's message. */
  output(): string;
  stop(): Promise<void>;
}

/** Options of startInstances. */
export interface InstancesOptions {
  count: number;
  tg: FakeTelegram;
  /** Environment of every instance (token, API root, DATABASE_URL, dirs…); PORT is set here. */
  env: Record<string, string>;
  /** WEBHOOK_URL's path and WEBHOOK_SECRET must match env. */
  webhookPath: string;
  secret: string;
  /** Updates in flight to the proxy at most. Defaults to 200. */
  maxInFlight?: number;
}

async function freePort(): Promise<number> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

function request(
  port: number,
  options: http.RequestOptions,
  body?: Buffer,
): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, ...options }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

/**
 * Starts `count` bot processes (`node --import tsx src/main.ts`, as `npm start` runs the bot)
 * in webhook mode, a round-robin HTTP proxy on 127.0.0.1 in front of them, and a loop that takes
 * the updates users send to the fake Bot API and posts them to the proxy with the secret token,
 * as Telegram does. Resolves once every instance answers /healthz.
 */
export async function startInstances(options: InstancesOptions): Promise<Instances> {
  const ports = await Promise.all(Array.from({ length: options.count }, () => freePort()));
  const delivered = ports.map(() => 0);
  let output = "";
  const children: ChildProcess[] = ports.map((port) => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      cwd: ROOT,
      env: { ...process.env, ...options.env, PORT: String(port) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const keep = (chunk: Buffer): void => {
      output = `${output}[${port}] ${chunk.toString("utf8")}`.slice(-20_000);
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    return child;
  });

  let next = 0;
  const proxy = http.createServer((req, res) => {
    const target = next++ % ports.length;
    delivered[target] = (delivered[target] ?? 0) + 1;
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      request(
        ports[target] ?? 0,
        { method: req.method ?? "POST", path: req.url ?? "/", headers: req.headers },
        Buffer.concat(chunks),
      ).then(
        (answer) => {
          res.statusCode = answer.status;
          res.end(answer.body);
        },
        () => {
          res.statusCode = 502;
          res.end();
        },
      );
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const proxyPort = (proxy.address() as AddressInfo).port;

  const health = async (i: number): Promise<Record<string, unknown>> => {
    const answer = await request(ports[i] ?? 0, { method: "GET", path: "/healthz" });
    if (answer.status !== 200) throw new Error(`instance ${i}: /healthz answered ${answer.status}`);
    return JSON.parse(answer.body.toString("utf8")) as Record<string, unknown>;
  };
  const exited = children.map(
    (child) => new Promise<void>((resolve) => child.once("exit", () => resolve())),
  );
  for (const [i] of ports.entries()) {
    for (let tries = 0; ; tries++) {
      try {
        await health(i);
        break;
      } catch (error) {
        if (tries > 600 || children[i]?.exitCode !== null) {
          await Promise.all(children.map((c) => c.kill("SIGKILL")));
          throw new Error(`instance ${i} did not start: ${String(error)}\n${output}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }

  // Telegram's side: each update the users sent is posted to the webhook address (the proxy).
  let running = true;
  let inFlight = 0;
  const maxInFlight = options.maxInFlight ?? 200;
  const deliver = async (): Promise<void> => {
    while (running) {
      const updates = inFlight < maxInFlight ? options.tg.takeUpdates() : [];
      for (const update of updates) {
        inFlight++;
        void request(
          proxyPort,
          {
            method: "POST",
            path: options.webhookPath,
            headers: {
              "content-type": "application/json",
              "x-telegram-bot-api-secret-token": options.secret,
            },
          },
          Buffer.from(JSON.stringify(update)),
        )
          .catch(() => undefined)
          .finally(() => inFlight--);
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  const delivering = deliver();

  return {
    ports,
    delivered,
    health,
    output: () => output,
    async stop() {
      running = false;
      await delivering;
      for (const child of children) child.kill("SIGTERM");
      await Promise.all(exited);
      proxy.closeAllConnections();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    },
  };
}
