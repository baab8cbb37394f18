import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLlmComposer } from "../../src/answer/llm/index.js";
import { TEXTS } from "../../src/bot/texts.js";
import { createHashedEmbedder } from "../../src/embeddings/hashed.js";
import { runIndexJob } from "../../src/indexer.js";
import { listSnapshots } from "../../src/store/embedded.js";
import { createEngine } from "../../src/engine.js";
import { ADMIN_ID, startHarness } from "../bot/helpers/harness.js";
import type { Harness } from "../bot/helpers/harness.js";
import type { InjectedFailure } from "../bot/helpers/fake-telegram.js";
import { startOpenAiServer } from "../helpers/openai-server.js";
import type { FakeOpenAiServer } from "../helpers/openai-server.js";
import { SAMPLE_EDITIONS } from "../helpers/paths.js";
import { runIndexChild, writeVariantEditions } from "./index-process.js";

/** Questions the sample editions answer, with the fact each answer must hold. */
const QUESTIONS: readonly (readonly [string, string])[] = [
  ["嘉兴融担的科创担保产品费率降到了多少?", "0.2%"],
  ["田园五镇大赛创业组最高奖金是多少?", "40000元"],
  ["平湖设立的人工智能专项基金总规模多少?", "3亿元"],
];

/** Waits until `condition` holds; fails after 20 s (a guard against a hung test, not a timing check). */
async function waitFor(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met within 20 s");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("Telegram failing while the bot replies", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("delivers every reply exactly once through 429 with retry_after, 5xx and dropped connections", async () => {
    const failures: InjectedFailure[] = [
      { kind: "status", status: 429, retryAfterSeconds: 1 },
      { kind: "status", status: 500 },
      { kind: "drop" },
      { kind: "status", status: 502 },
      { kind: "drop" },
      { kind: "status", status: 429, retryAfterSeconds: 1 },
    ];
    h.tg.failNext("sendMessage", ...failures);
    const users = failures.map((_, i) => 201 + i);
    await Promise.all(
      users.map((userId, i) =>
        h.tg.sendMessage({ userId }, QUESTIONS[i % QUESTIONS.length]?.[0] ?? ""),
      ),
    );
    for (const [i, userId] of users.entries()) {
      const [reply] = await h.waitForMessages(userId);
      expect(reply?.text).toContain(QUESTIONS[i % QUESTIONS.length]?.[1]);
    }
    expect(h.tg.played.map((p) => p.failure)).toEqual(failures);
    await h.deps.indexJobs.idle();
    for (const userId of users) expect(h.tg.messagesTo(userId), `user ${userId}`).toHaveLength(1);
  });

  it("keeps polling when a getUpdates connection drops", async () => {
    h.tg.failNext("getUpdates", { kind: "drop" });
    // The poll already waiting may take this one; the drop hits the next poll, which is retried.
    await h.tg.sendMessage({ userId: 221 }, QUESTIONS[0]?.[0] ?? "");
    expect((await h.waitForMessages(221))[0]?.text).toContain(QUESTIONS[0]?.[1]);
    await waitFor(() => h.tg.played.some((p) => p.method === "getUpdates"));
    await h.tg.sendMessage({ userId: 222 }, QUESTIONS[1]?.[0] ?? "");
    expect((await h.waitForMessages(222))[0]?.text).toContain(QUESTIONS[1]?.[1]);
  });
});

describe("the LLM endpoint failing", () => {
  let llm: FakeOpenAiServer;
  let h: Harness;
  beforeAll(async () => {
    llm = await startOpenAiServer();
    h = await startHarness({
      llm: createLlmComposer({
        baseUrl: llm.baseUrl,
        model: "fake",
        timeoutMs: 1000,
        maxRetries: 0,
      }),
    });
  });
  afterAll(async () => {
    await h?.stop();
    await llm?.close();
  });

  it("answers extractively, with citations, when the LLM times out, errs or talks nonsense", async () => {
    const faults = [
      { kind: "hang" },
      { kind: "status", status: 500 },
      { kind: "status", status: 429, headers: { "retry-after": "1" } },
      { kind: "malformed" },
    ] as const;
    for (const [i, fault] of faults.entries()) {
      llm.respondWith(fault);
      const [question, fact] = QUESTIONS[i % QUESTIONS.length] ?? ["", ""];
      await h.tg.sendMessage({ userId: 231 + i }, question);
      const [reply] = await h.waitForMessages(231 + i);
      expect(reply?.text, fault.kind).toContain(fact);
      expect(reply?.text, fault.kind).toMatch(/\[1\]/u);
    }
    const answeredLogs = () => h.logs.filter((l) => l.msg === "question answered");
    // The log line follows the reply.
    await waitFor(() => answeredLogs().length === faults.length);
    const answered = answeredLogs();
    expect(answered.map((l) => l.source)).toEqual(faults.map(() => "extractive"));
    expect(answered.every((l) => typeof l.fallbackReason === "string")).toBe(true);
  });
});

describe("a reindex during heavy question traffic", () => {
  let h: Harness;
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  beforeAll(async () => {
    h = await startHarness({
      wrapJob: (job) => async (reasons) => {
        await gate;
        return job(reasons);
      },
    });
  });
  afterAll(async () => {
    release();
    await h?.stop();
  });

  it("answers every question exactly once while the index is rebuilt and swapped", async () => {
    const users = Array.from({ length: 20 }, (_, i) => 301 + i);
    const perUser = 3;
    const before = h.engine.index.manifest.createdAt;
    await h.tg.sendMessage({ userId: ADMIN_ID }, "/reindex");
    const [started] = await h.waitForMessages(ADMIN_ID);
    expect(started?.text).toMatch(/^开始重建索引/u);

    const ask = (round: number): Promise<void[]> =>
      Promise.all(
        users.map((userId, i) =>
          h.tg.sendMessage({ userId }, QUESTIONS[(i + round) % QUESTIONS.length]?.[0] ?? ""),
        ),
      );
    await ask(0);
    // The job starts once the first round is answered and runs under the next rounds.
    for (const userId of users) await h.waitForMessages(userId);
    release();
    for (let round = 1; round < perUser; round++) await ask(round);
    for (const userId of users) await h.waitForMessages(userId, perUser - 1);
    const [done] = await h.waitForMessages(ADMIN_ID);
    expect(done?.text).toMatch(/^索引已更新:5 期/u);
    await h.deps.indexJobs.idle();

    for (const [i, userId] of users.entries()) {
      const replies = h.tg.messagesTo(userId);
      expect(replies, `user ${userId}`).toHaveLength(perUser);
      for (const [round, reply] of replies.entries()) {
        expect(reply.text).not.toContain(TEXTS.genericError);
        expect(reply.text).toContain(QUESTIONS[(i + round) % QUESTIONS.length]?.[1]);
      }
    }
    expect(h.engine.index.manifest.createdAt).not.toBe(before);
  });
});

describe("the disk filling up during indexing", () => {
  let tmp: string;
  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), "lnb-disk-full-"));
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  // Simulated without root: the child runs under `ulimit -f` (RLIMIT_FSIZE), so the kernel stops
  // every file at 256 KiB and the write that crosses it fails (EFBIG; Node ignores SIGXFSZ). That
  // is how a full disk looks to a writer (a short write, then an error), for the big files only.
  it("fails the job with the reason, keeps the old index live and leaves no partial snapshot", async () => {
    const indexDir = path.join(tmp, "index");
    const variants = path.join(tmp, "variants");
    await writeVariantEditions(variants, 2);
    await runIndexJob({
      editionDirs: [SAMPLE_EDITIONS],
      indexDir,
      embedder: createHashedEmbedder(),
    });
    const current = await readFile(path.join(indexDir, "CURRENT"), "utf8");
    const snapshots = await listSnapshots(indexDir);

    const full = await runIndexChild({
      indexDir,
      full: true,
      editionDirs: [SAMPLE_EDITIONS, variants],
      fileSizeLimitKiB: 256,
    });
    expect(full.code).toBe(1);
    expect(full.stderr).toMatch(/EFBIG|file too large/iu);

    expect(await readFile(path.join(indexDir, "CURRENT"), "utf8")).toBe(current);
    expect(await listSnapshots(indexDir)).toEqual(snapshots);
    const engine = await createEngine({ indexDir, embedder: createHashedEmbedder() });
    expect((await engine.ask(QUESTIONS[0]?.[0] ?? "")).text).toContain(QUESTIONS[0]?.[1]);

    // With room on the disk again, the next run completes.
    await runIndexJob({
      editionDirs: [SAMPLE_EDITIONS, variants],
      indexDir,
      embedder: createHashedEmbedder(),
    });
    await engine.reload();
    expect(engine.index.manifest.counts.editions).toBe(7);
  });
});
