import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COMMANDS, registerCommands } from "../../src/bot/create-bot.js";
import { compact } from "../../src/text/normalize.js";
import type { BotMessage } from "./helpers/fake-telegram.js";
import { ADMIN_ID, expectTelegramHtml, startHarness } from "./helpers/harness.js";
import type { Harness } from "./helpers/harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const buttons = (m: BotMessage): { text: string; callback_data?: string }[] =>
  m.reply_markup?.inline_keyboard?.flat() ?? [];

/** "2026年3月7日" -> "2026-03-07" (month precision -> "2026-03"), for order checks. */
function isoOf(zh: string): string {
  const m = /(\d{4})年(\d{1,2})月(?:(\d{1,2})日)?/u.exec(zh);
  if (!m) return "";
  const mm = (m[2] ?? "").padStart(2, "0");
  return m[3] ? `${m[1]}-${mm}-${m[3].padStart(2, "0")}` : `${m[1]}-${mm}`;
}

/** Result lines of a /search page: "1. 平湖日报 · 2025年2月10日 · <b>《…》</b>". */
const resultLines = (text: string): string[] => text.split("\n").filter((l) => /^\d+\. /u.test(l));

/** Articles whose headline or paragraphs contain `word`, counted straight from the index. */
function articlesContaining(word: string): number {
  return h.engine.index
    .articles()
    .filter(
      (a) =>
        a.kind !== "ad" &&
        compact([a.headline, a.subtitle ?? "", ...a.paragraphs].join("")).includes(word),
    ).length;
}

async function waitForEdit(
  chatId: number,
  messageId: number,
  changed: (text: string) => boolean,
): Promise<string> {
  for (let i = 0; i < 1000; i++) {
    const text = h.tg.messagesTo(chatId).find((m) => m.message_id === messageId)?.text ?? "";
    if (changed(text)) return text;
    await new Promise((r) => setTimeout(r, 15));
  }
  throw new Error("the message was not edited");
}

describe("/search", () => {
  it("lists every matching article newest first, with paper, date, headline and byline, in pages", async () => {
    const user = { userId: 31 };
    await h.tg.sendMessage(user, "/search 项目");
    const [page1] = await h.waitForMessages(31);
    const total = articlesContaining("项目");
    expect(total).toBeGreaterThan(5);
    expect(page1?.text).toContain(`<b>搜索</b> “项目”:共 ${total} 篇,从新到旧`);
    const lines = resultLines(page1?.text ?? "");
    expect(lines).toHaveLength(5);
    for (const line of lines)
      expect(line).toMatch(/^\d+\. \S+ · \d{4}年\d{1,2}月(\d{1,2}日)? · <b>《.+》<\/b>$/u);
    expect(page1?.text).toMatch(/\n {3}<i>[^<]+<\/i>/u); // a byline
    const dates = lines.map(isoOf);
    expect([...dates].sort().reverse()).toEqual(dates);

    const next = buttons(page1 as BotMessage).find((b) => b.text === "下一页 ▶");
    expect(next).toBeDefined();
    await h.tg.pressButton(user, page1 as BotMessage, next?.callback_data ?? "");
    const page2 = await waitForEdit(31, page1?.message_id ?? 0, (t) => t.includes("第 2/"));
    expectTelegramHtml(page2);
    expect(resultLines(page2)[0]).toMatch(/^6\. /u);
    expect(isoOf(resultLines(page2)[0] ?? "") <= (dates.at(-1) ?? "")).toBe(true);
  });

  it("shows an article in full from its 全文 button", async () => {
    const user = { userId: 32 };
    await h.tg.sendMessage(user, "/search 地理标志");
    const [page] = await h.waitForMessages(32);
    const full = buttons(page as BotMessage).find((b) => b.text === "全文 1");
    await h.tg.pressButton(user, page as BotMessage, full?.callback_data ?? "");
    const [article] = await h.waitForMessages(32);
    expect(article?.text).toMatch(/^<b>《[^》]+》<\/b>/u);
    expect(article?.text).toContain("地理标志");
    expect(article?.text).toContain("嘉兴日报 · 2026年3月7日");
  });

  it.each([
    ["2025-01-01~2025-03-31", "2025年2月10日"],
    ["2025年2月", "2025年2月10日"],
    ["2024-07", "2024年7月3日"],
  ])("filters by the date range %s", async (range, only) => {
    const userId = 33 + range.length;
    await h.tg.sendMessage({ userId }, `/search 项目 ${range}`);
    const [reply] = await h.waitForMessages(userId);
    const lines = resultLines(reply?.text ?? "");
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toContain(only);
    expect(reply?.text).toContain("“项目”");
  });

  it("escapes HTML in the keywords it echoes", async () => {
    await h.tg.sendMessage({ userId: 40 }, "/search <b>粗体</b>&<i>");
    const [reply] = await h.waitForMessages(40);
    expect(reply?.text).toContain("&lt;b&gt;粗体&lt;/b&gt;&amp;&lt;i&gt;");
  });

  it("explains its usage when no keyword is given", async () => {
    await h.tg.sendMessage({ userId: 41 }, "/search");
    const [reply] = await h.waitForMessages(41);
    expect(reply?.text).toMatch(/^用法:\/search 关键词/u);
  });
});

describe("/latest and /timeline", () => {
  it("/latest lists the headlines of the newest edition", async () => {
    await h.tg.sendMessage({ userId: 42 }, "/latest");
    const [reply] = await h.waitForMessages(42);
    expect(reply?.text).toMatch(/^<b>嘉兴日报<\/b> 2026年3月7日 · 最新一期,共 \d+ 篇/u);
    const newest = h.engine.index
      .articles()
      .filter((a) => a.date === "2026-03-07" && a.kind !== "ad");
    for (const a of newest) expect(reply?.text).toContain(`《${a.headline}》`);
  });

  it("/latest 平湖日报 picks that paper, and names the papers when it knows none", async () => {
    await h.tg.sendMessage({ userId: 43 }, "/latest 平湖日报");
    await h.tg.sendMessage({ userId: 43 }, "/latest 人民日报");
    const [pinghu, unknown] = await h.waitForMessages(43, 2);
    expect(pinghu?.text).toMatch(/^<b>平湖日报<\/b> 2026年3月 · 最新一期/u);
    expect(unknown?.text).toContain("没有找到“人民日报”的版面");
    expect(unknown?.text).toContain("平湖日报:2024年7月3日、2025年2月10日、2026年3月");
  });

  it("/timeline groups a topic's coverage by date, oldest first", async () => {
    await h.tg.sendMessage({ userId: 44 }, "/timeline 项目");
    const [reply] = await h.waitForMessages(44);
    expect(reply?.text).toContain(
      `<b>“项目”报道时间线</b>\n共 ${articlesContaining("项目")} 篇,从早到晚`,
    );
    const days = [...(reply?.text ?? "").matchAll(/^<b>(\d{4}年[^<]+)<\/b>$/gmu)].map((m) =>
      isoOf(m[1] ?? ""),
    );
    expect(days.length).toBeGreaterThanOrEqual(3);
    expect([...days].sort()).toEqual(days);
    expect(new Set(days).size).toBe(days.length);
  });
});

describe("inline mode, help and the command menu", () => {
  it("answers an inline query with shareable article cards", async () => {
    h.tg.pushUpdate({
      inline_query: {
        id: "iq-1",
        from: { id: 45, is_bot: false, first_name: "记者" },
        query: "算力",
        offset: "",
      },
    });
    const call = await h.tg.waitForCall(
      "answerInlineQuery",
      (c) => c.body.inline_query_id === "iq-1",
    );
    const results = call.body.results as {
      type: string;
      id: string;
      title: string;
      input_message_content: { message_text: string; parse_mode: string };
    }[];
    expect(results.length).toBe(articlesContaining("算力"));
    for (const r of results) {
      expect(r.type).toBe("article");
      expect(Buffer.byteLength(r.id)).toBeLessThanOrEqual(64);
      expect(r.input_message_content.parse_mode).toBe("HTML");
      expectTelegramHtml(r.input_message_content.message_text);
    }
  });

  it("/start says which papers and dates it knows, with example questions", async () => {
    await h.tg.sendMessage({ userId: 46 }, "/start");
    await h.tg.sendMessage({ userId: ADMIN_ID }, "/help");
    const [start] = await h.waitForMessages(46);
    const [adminHelp] = await h.waitForMessages(ADMIN_ID);
    expect(start?.text).toContain("嘉兴日报:2026年3月7日");
    expect(start?.text).toContain("平湖日报:2024年7月3日、2025年2月10日、2026年3月");
    expect(start?.text).toContain("共 5 期");
    expect(start?.text).toContain("平湖2026年计划新开工多少个项目?");
    expect(start?.text).not.toContain("管理员");
    expect(adminHelp?.text).toContain("<b>管理员</b>");
  });

  it("registers the Chinese command menu, with admin tools for admins only", async () => {
    const failed = await registerCommands(h.bot, [ADMIN_ID]);
    expect(failed).toEqual([]);
    const calls = h.tg.calls.filter((c) => c.method === "setMyCommands");
    const everyone = calls.find((c) => c.body.scope === undefined);
    const admin = calls.find(
      (c) => (c.body.scope as { chat_id?: number } | undefined)?.chat_id === ADMIN_ID,
    );
    expect(everyone?.body.commands).toEqual(COMMANDS.everyone);
    expect((admin?.body.commands as { command: string }[]).map((c) => c.command)).toContain(
      "reindex",
    );
  });
});
