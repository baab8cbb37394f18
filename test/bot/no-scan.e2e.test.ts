import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../src/engine.js";
import { exampleQuestions } from "../../src/bot/features/help.js";
import { describeFound } from "../../src/bot/features/search.js";
import { searchArticles } from "../../src/retrieval/articles.js";
import { truncate } from "../../src/bot/render/html.js";
import { TEXTS } from "../../src/bot/texts.js";
import { startHarness } from "./helpers/harness.js";
import type { Harness } from "./helpers/harness.js";
import { guardIndex } from "./helpers/scan-guard.js";
import type { GuardedIndex } from "./helpers/scan-guard.js";

/** The bot sees the real index behind a guard: reading every article throws. */
let guard: GuardedIndex | undefined;
function guarded(engine: Engine): Engine {
  return {
    get index() {
      guard ??= guardIndex(engine.index);
      return guard.index;
    },
    get embedder() {
      return engine.embedder;
    },
    ask: (question, options) => engine.ask(question, options),
    reload: () => engine.reload(),
  };
}

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ wrapEngine: guarded });
});
afterAll(async () => {
  await h?.stop();
});

/** Sends `text` as user `userId` and returns the bot's one reply, failing on the error reply. */
async function reply(userId: number, text: string): Promise<string> {
  await h.tg.sendMessage({ userId }, text);
  const [message] = await h.waitForMessages(userId);
  const body = message?.text ?? "";
  expect(body).not.toContain(TEXTS.genericError);
  return body;
}

describe("the bot's article tools never read the whole archive", () => {
  it("searches by keywords and by a date range alone", async () => {
    expect(await reply(61, "/search 项目")).toMatch(/<b>搜索<\/b> “项目”:共 \d+ 篇,从新到旧/u);
    expect(await reply(62, "/search 项目 2025年")).toContain("2025年2月10日");
    expect(await reply(63, "/search 2024-07")).toContain("2024年7月3日");
  });

  it("says “至少” when a search stopped once it had enough, “共” when it counted all", () => {
    const cut = searchArticles(h.engine.index, "项目", { limit: 3, candidateChunks: 5 });
    expect(cut.more).toBe(true);
    expect(describeFound(cut)).toBe(`至少 ${cut.total} 篇`);
    const all = searchArticles(h.engine.index, "项目", { limit: 3 });
    expect(all.more).toBe(false);
    expect(describeFound(all)).toBe(`共 ${all.total} 篇`);
    const related = searchArticles(h.engine.index, "算力经济 火星基地");
    expect(describeFound(related)).toBe(`没有完全匹配的报道,以下 ${related.total} 篇相关`);
  });

  it("builds a timeline", async () => {
    expect(await reply(64, "/timeline 算力")).toMatch(/报道时间线<\/b>\n共 \d+ 篇,从早到晚/u);
  });

  it("lists the latest edition, of a named paper too", async () => {
    expect(await reply(65, "/latest")).toMatch(/最新一期,共 \d+ 篇/u);
    expect(await reply(66, "/latest 平湖日报")).toMatch(/^<b>平湖日报<\/b> 2026年3月/u);
  });

  it("answers inline queries, empty and with keywords", async () => {
    for (const [id, query] of [
      ["iq-empty", ""],
      ["iq-word", "算力"],
    ] as const) {
      h.tg.pushUpdate({
        inline_query: {
          id,
          from: { id: 67, is_bot: false, first_name: "记者" },
          query,
          offset: "",
        },
      });
      const call = await h.tg.waitForCall(
        "answerInlineQuery",
        (c) => c.body.inline_query_id === id,
      );
      expect((call.body.results as unknown[]).length).toBeGreaterThan(0);
    }
  });

  it("shows help with examples from the newest edition", async () => {
    expect(await reply(68, "/help")).toContain("平湖2026年计划新开工多少个项目?");
    // Beyond the sample questions, the examples come from the newest news headlines.
    const examples = exampleQuestions(h.engine.index, 6);
    const real = guard?.unguarded.articles() ?? [];
    const newest = real
      .filter((a) => a.kind === "news" && a.headline.length >= 6)
      .sort((a, b) => (b.date ?? "").localeCompare(a.date ?? "") || a.position - b.position);
    expect(examples).toHaveLength(6);
    expect(examples.slice(3)).toEqual(
      newest.slice(0, 3).map((a) => `“${truncate(a.headline, 20)}”说的是什么?`),
    );
  });

  it("read no article body for /latest and only the listed edition's articles", async () => {
    guard?.reset();
    await reply(69, "/latest");
    const newest = h.engine.index.manifest.editions.find((e) => e.date === "2026-03-07");
    expect(guard?.reads.articles.size).toBe(newest?.articleCount);
    expect(guard?.reads.bodies.size).toBe(0);
  });
});
