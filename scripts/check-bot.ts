/**
 * An outside check of the Telegram bot: starts the telegram-test-api emulator on 127.0.0.1, runs
 * the real bot as a child process (`npx tsx src/main.ts`, configured only through its environment)
 * against it, asks questions as a user, prints the cited answers, then stops the bot with SIGTERM.
 * Exits non-zero when an answer lacks a citation, the bot does not answer, does not shut down
 * gracefully, or prints its token.
 *
 * Usage: npx tsx scripts/check-bot.ts [question]...
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { TelegramServer } from "telegram-test-api/lib/telegramServer.js";

const ROOT = path.resolve(import.meta.dirname, "..");
const TOKEN = "123456:CHECK-bot-token-abcdefghijklmnopqrstuvwxyz";
const USER_ID = 4242;
const ANSWER_TIMEOUT_MS = 120_000;
const DEFAULT_QUESTIONS = [
  "嘉兴这次新增了几家地理标志专用标志使用企业?",
  "平湖设立的人工智能专项基金总规模多少?",
  "田园五镇大赛创业组最高奖金是多少?",
];

interface StoredBotMessage {
  isRead: boolean;
  message: { chat_id: number | string; text: string; parse_mode?: string };
}

/** A free TCP port on 127.0.0.1 (the emulator cannot listen on port 0 itself). */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function waitForReply(emulator: TelegramServer, exited: () => boolean): Promise<string> {
  const deadline = Date.now() + ANSWER_TIMEOUT_MS;
  const storage = emulator.storage as unknown as { botMessages: StoredBotMessage[] };
  while (Date.now() < deadline && !exited()) {
    const reply = storage.botMessages.find(
      (m) => !m.isRead && String(m.message.chat_id) === String(USER_ID),
    );
    if (reply) {
      reply.isRead = true;
      return reply.message.text;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(
    exited() ? "the bot exited before answering" : `no answer within ${ANSWER_TIMEOUT_MS / 1000} s`,
  );
}

const questions = process.argv.slice(2).length > 0 ? process.argv.slice(2) : DEFAULT_QUESTIONS;
const work = await mkdtemp(path.join(os.tmpdir(), "check-bot-"));
const port = await freePort();
const emulator = new TelegramServer({ port, host: "127.0.0.1" });
await emulator.start();
const apiRoot = `http://127.0.0.1:${port}`;
process.stdout.write(`telegram-test-api on ${apiRoot}; starting the bot (npx tsx src/main.ts)…\n`);

const child = spawn("npx", ["tsx", "src/main.ts"], {
  cwd: ROOT,
  detached: true, // its own process group, so npx, tsx and node all get the signal
  stdio: ["ignore", "pipe", "pipe"],
  env: {
    ...process.env,
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: apiRoot,
    INDEX_DIR: path.join(work, "index"),
    DATA_DIR: path.join(work, "data"),
    ADMIN_USER_IDS: "",
    WEBHOOK_URL: "",
    LOG_LEVEL: "info",
  },
});
let output = "";
child.stdout.on("data", (d: Buffer) => (output += d.toString()));
child.stderr.on("data", (d: Buffer) => (output += d.toString()));
let exitCode: number | null | undefined;
child.once("exit", (code, signal) => {
  exitCode = code ?? (signal ? 128 : 1);
});

let outputClosed = false;
const closed = new Promise<void>((resolve) =>
  child.once("close", () => {
    outputClosed = true;
    resolve();
  }),
);

const problems: string[] = [];
const client = emulator.getClient(TOKEN, { userId: USER_ID, chatId: USER_ID, firstName: "居民" });
try {
  for (const question of questions) {
    await client.sendMessage(client.makeMessage(question));
    const answer = await waitForReply(emulator, () => exitCode !== undefined);
    const cited = /\[\d+\]/u.test(answer) && answer.includes("来源");
    process.stdout.write(`\n问:${question}\n答:${answer.replace(/<[^>]+>/gu, "")}\n`);
    if (!cited) problems.push(`no citation in the answer to “${question}”`);
  }
} catch (error) {
  problems.push(error instanceof Error ? error.message : String(error));
}

if (exitCode === undefined && child.pid !== undefined) {
  // The whole group (npx, tsx, node) gets SIGTERM, as from a terminal or a process manager. npx
  // dies of the signal at once, so the bot's own exit shows as: its log says "stopped", and its
  // output pipes close because every process of the group has ended.
  process.kill(-child.pid, "SIGTERM");
  // An unref'd timer: it must not keep this script alive once the bot has gone.
  await Promise.race([closed, new Promise((r) => setTimeout(r, 30_000).unref())]);
  if (!outputClosed) {
    problems.push("the bot did not stop within 30 s of SIGTERM");
    process.kill(-child.pid, "SIGKILL");
  } else if (!/"msg":"shutting down"[\s\S]*"msg":"stopped"/u.test(output)) {
    problems.push('the bot ended without its graceful shutdown (no "stopped" log line)');
  }
} else if (exitCode !== undefined) {
  problems.push(`the bot exited early with code ${exitCode}`);
}
if (output.includes(TOKEN.split(":")[1] ?? TOKEN)) problems.push("the bot printed its token");
await emulator.stop();
await rm(work, { recursive: true, force: true });

if (problems.length > 0) {
  process.stderr.write(`\nbot output:\n${output.split("\n").slice(-30).join("\n")}\n`);
  process.stderr.write(`\nFAILED:\n${problems.map((p) => `  - ${p}`).join("\n")}\n`);
  process.exit(1);
}
process.stdout.write(
  `\nOK: ${questions.length} answers, each cited; the bot stopped cleanly on SIGTERM.\n`,
);
