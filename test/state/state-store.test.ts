import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STATE_SCHEMA_VERSION, StateSchemaError, openStateStore } from "../../src/state/index.js";
import type { OpenStateOptions, StateStore } from "../../src/state/index.js";
import { openSqliteDriver } from "../../src/state/sqlite-driver.js";
import { startTestPostgres } from "./helpers/postgres.js";
import type { TestPostgres } from "./helpers/postgres.js";

const LEGACY_FEEDBACK = [
  {
    v: 1,
    at: "2026-03-01T00:00:00.000Z",
    userId: 7,
    chatId: 7,
    chatType: "private",
    verdict: "down",
    question: "旧问题",
    abstained: false,
    citations: [],
  },
  {
    v: 1,
    at: "2026-03-02T00:00:00.000Z",
    userId: 8,
    chatId: 8,
    chatType: "private",
    verdict: "up",
    question: "另一个",
    abstained: true,
    citations: [],
  },
]
  .map((e) => JSON.stringify(e))
  .join("\n");

/** The same behaviour, checked on the embedded SQLite store and on PostgreSQL. */
function behaves(
  name: string,
  setup: () => Promise<{ options: (file: string) => OpenStateOptions; stop: () => Promise<void> }>,
): void {
  describe(name, () => {
    let dir: string;
    let env: Awaited<ReturnType<typeof setup>>;
    let store: StateStore;
    let legacy: string;

    beforeAll(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), "lnb-state-"));
      env = await setup();
      legacy = path.join(dir, "feedback.jsonl");
      await writeFile(legacy, `${LEGACY_FEEDBACK}\n{torn line\n`);
      const opened = await openStateStore({
        ...env.options(path.join(dir, "state.sqlite")),
        legacyFeedbackFile: legacy,
      });
      expect(opened.migratedFrom).toBe(0);
      expect(opened.importedFeedback).toBe(2);
      store = opened.store;
    });
    afterAll(async () => {
      await store.close();
      await env.stop();
      await rm(dir, { recursive: true, force: true });
    });

    it("imports feedback.jsonl once, and reopening migrates nothing", async () => {
      // Closed first: PGlite serves one connection at a time.
      await store.close();
      const again = await openStateStore({
        ...env.options(path.join(dir, "state.sqlite")),
        legacyFeedbackFile: legacy,
      });
      expect(again.migratedFrom).toBe(STATE_SCHEMA_VERSION);
      expect(again.importedFeedback).toBe(0);
      store = again.store;
      const summary = await store.feedbackSummary(5);
      expect(summary).toMatchObject({ up: 1, down: 1 });
      expect(summary.recentDown[0]?.question).toBe("旧问题");
    });

    it("keeps buttons under unguessable keys bound to their chat and kind", async () => {
      const key = await store.putButton(100, "answer", { question: "问" });
      expect(key).toMatch(/^[A-Za-z0-9_-]{16}$/u);
      expect(await store.putButton(100, "answer", {})).not.toBe(key);
      expect(await store.getButton(key, 100, "answer")).toEqual({ question: "问" });
      expect(await store.getButton(key, 200, "answer")).toBeUndefined();
      expect(await store.getButton(key, 100, "list")).toBeUndefined();
      expect(await store.getButton("AAAAAAAAAAAAAAAA", 100, "answer")).toBeUndefined();
    });

    it("prunes what has expired and keeps the rest", async () => {
      const key = await store.putButton(110, "list", { articleIds: [] });
      await store.remember(110, { question: "问" }, Date.now());
      await store.prune(Date.now());
      expect(await store.getButton(key, 110, "list")).toEqual({ articleIds: [] });
      expect(await store.history(110, Date.now())).toHaveLength(1);
      await store.prune(Date.now() + store.retention.buttonMs + 1);
      expect(await store.getButton(key, 110, "list")).toBeUndefined();
      expect(await store.history(110, Date.now())).toEqual([]);
    });

    it("files one vote per user and answer", async () => {
      const vote = {
        at: "2026-03-03T00:00:00.000Z",
        userId: 5,
        chatId: 5,
        chatType: "private",
        verdict: "down" as const,
        question: "问",
        abstained: false,
        citations: [],
      };
      expect(await store.addFeedback(vote, "k1")).toBe(true);
      expect(await store.addFeedback({ ...vote, verdict: "up" }, "k1")).toBe(false);
      expect(await store.addFeedback({ ...vote, userId: 6 }, "k1")).toBe(true);
      expect((await store.feedbackSummary(0)).down).toBe(3);
    });

    it("remembers the newest turns of a chat and lets them expire", async () => {
      const t0 = 1_000_000;
      for (let i = 1; i <= 5; i++)
        await store.remember(42, { question: `问${i}`, answer: "答".repeat(400) }, t0 + i);
      const turns = await store.history(42, t0 + 10);
      expect(turns.map((t) => t.question)).toEqual(["问3", "问4", "问5"]);
      expect(Array.from(turns[0]?.answer ?? "")).toHaveLength(300);
      expect(await store.history(42, t0 + 5 + store.retention.memoryMs)).toEqual([]);
      expect(await store.history(43, t0)).toEqual([]);
    });

    it("keeps the articles a turn's answer cited, for the follow-up that leans on it", async () => {
      const t0 = 2_000_000;
      await store.remember(44, { question: "问", articleIds: ["jsonl:a1", "ed:3"] }, t0);
      await store.remember(44, { question: "又问" }, t0 + 1);
      const turns = await store.history(44, t0 + 2);
      expect(turns[0]?.articleIds).toEqual(["jsonl:a1", "ed:3"]);
      expect(turns[1]?.articleIds).toBeUndefined();
    });

    it("takes tokens from a shared bucket and refills it with time", async () => {
      const rule = { burst: 2, perMinute: 60 };
      const t = 5_000_000;
      expect(await store.takeToken("user:1", rule, t)).toEqual({ allowed: true });
      expect(await store.takeToken("user:1", rule, t)).toEqual({ allowed: true });
      expect(await store.takeToken("user:1", rule, t)).toEqual({
        allowed: false,
        retryAfterSeconds: 1,
        firstRefusal: true,
      });
      expect(await store.takeToken("user:1", rule, t)).toMatchObject({
        allowed: false,
        firstRefusal: false,
      });
      expect(await store.takeToken("user:1", rule, t + 1_000)).toEqual({ allowed: true });
      // Concurrent takes never hand out more than the burst.
      const many = await Promise.all(
        Array.from({ length: 10 }, () => store.takeToken("user:2", rule, t)),
      );
      expect(many.filter((d) => d.allowed)).toHaveLength(2);
    });

    it("keeps upload records, subscriptions, digests and deliveries", async () => {
      await store.recordUpload({
        file: "2026-03-10_平湖日报.txt",
        userId: 900,
        atMs: 1,
        sha256: "ab",
        bytes: 10,
        paper: "平湖日报",
        date: "2026-03-10",
        articles: 2,
        headlines: ["甲", "乙"],
      });
      const [upload] = await store.listUploadRecords({ includeRemoved: false });
      expect(upload).toMatchObject({ paper: "平湖日报", headlines: ["甲", "乙"], removedMs: null });
      await store.markUploadRemoved("2026-03-10_平湖日报.txt", 2);
      expect(await store.listUploadRecords({ includeRemoved: false })).toEqual([]);
      expect((await store.listUploadRecords({ includeRemoved: true }))[0]?.removedMs).toBe(2);

      const first = await store.subscribe(300, 300, "人工智能", 1);
      expect(first.created).toBe(true);
      expect((await store.subscribe(300, 300, "人工智能", 2)).created).toBe(false);
      await store.subscribe(300, 300, "机场", 3);
      expect((await store.listSubscriptions(300)).map((s) => s.topic)).toEqual([
        "人工智能",
        "机场",
      ]);
      expect(await store.unsubscribe(301, { id: first.subscription.id })).toBeUndefined();
      expect((await store.unsubscribe(300, { id: first.subscription.id }))?.topic).toBe("人工智能");

      await store.setDigest({
        chatId: 300,
        userId: 300,
        time: "07:30",
        timeZone: "Asia/Shanghai",
        lastDate: null,
      });
      expect(await store.claimDigest(300, "2026-03-10")).toBe(true);
      expect(await store.claimDigest(300, "2026-03-10")).toBe(false);
      expect(await store.claimDigest(300, "2026-03-11")).toBe(true);
      expect(await store.claimDelivery(300, "a1", 1)).toBe(true);
      expect(await store.claimDelivery(300, "a1", 1)).toBe(false);
      await store.releaseDelivery(300, "a1");
      expect(await store.claimDelivery(300, "a1", 1)).toBe(true);

      expect(await store.dropChat(300)).toBe(2);
      expect(await store.listDigests(300)).toEqual([]);
    });

    it("forgets everything about a user and counts it", async () => {
      await store.remember(77, { question: "问" }, Date.now());
      await store.addFeedback(
        {
          at: "x",
          userId: 77,
          chatId: 77,
          chatType: "private",
          verdict: "up",
          question: "问",
          abstained: false,
          citations: [],
        },
        "k9",
      );
      await store.subscribe(77, 77, "话题", 1);
      await store.setDigest({
        chatId: 77,
        userId: 77,
        time: "08:00",
        timeZone: "Asia/Shanghai",
        lastDate: null,
      });
      await store.putButton(77, "answer", {});
      const report = await store.forgetUser(77);
      expect(report).toEqual({
        memoryTurns: 1,
        feedback: 1,
        subscriptions: 1,
        digests: 1,
        buttons: 1,
        deliveries: 0,
      });
      expect(await store.forgetUser(77)).toEqual({
        memoryTurns: 0,
        feedback: 0,
        subscriptions: 0,
        digests: 0,
        buttons: 0,
        deliveries: 0,
      });
    });
  });
}

behaves("SQLite state store", async () => ({
  options: (file) => ({ databaseUrl: undefined, sqliteFile: file }),
  stop: async () => undefined,
}));

let pgServer: TestPostgres | undefined;
behaves("PostgreSQL state store", async () => {
  pgServer = await startTestPostgres();
  const server = pgServer;
  return {
    options: () => ({
      databaseUrl: server.url,
      sqliteFile: "unused",
      postgresMaxConnections: server.maxConnections,
    }),
    stop: () => server.stop(),
  };
});

describe("state schema", () => {
  it("refuses a database written by a newer version and leaves it as it was", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "lnb-state-"));
    const file = path.join(dir, "state.sqlite");
    const opened = await openStateStore({ databaseUrl: undefined, sqliteFile: file });
    await opened.store.close();
    const db = openSqliteDriver(file);
    await db.run(`INSERT INTO state_migrations (version, applied_ms) VALUES (99, 0)`);
    await db.close();
    await expect(
      openStateStore({ databaseUrl: undefined, sqliteFile: file }),
    ).rejects.toBeInstanceOf(StateSchemaError);
    await rm(dir, { recursive: true, force: true });
  });
});
