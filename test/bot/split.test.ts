import { describe, expect, it } from "vitest";
import { escapeHtml, renderAnswerHtml } from "../../src/bot/render/html.js";
import { TELEGRAM_MAX_MESSAGE_CHARS, splitHtml } from "../../src/bot/render/split.js";
import type { Answer, Chunk } from "../../src/types.js";

/** Throws unless every tag in the part is closed in order; returns the visible text. */
function checkBalanced(part: string): string {
  const stack: string[] = [];
  for (const m of part.matchAll(/<(\/?)([a-z-]+)[^>]*>/gu)) {
    const name = m[2] ?? "";
    if (m[1] === "/") {
      expect(stack.pop(), `unbalanced </${name}> in ${part.slice(0, 80)}…`).toBe(name);
    } else stack.push(name);
  }
  expect(stack, "tags left open").toEqual([]);
  // Every "&" must start a whole entity: a split inside one would leave a bare "&".
  expect(part.replace(/&(?:amp|lt|gt|quot);/gu, "")).not.toContain("&");
  return part.replace(/<[^>]*>/gu, "");
}

const visible = (html: string): string => html.replace(/<[^>]*>/gu, "").replace(/\s+/gu, "");

function chunk(n: number): Chunk {
  return {
    id: `a${n}#0`,
    articleId: `a${n}`,
    ordinal: 0,
    text: "文本",
    sentenceStart: 0,
    sentenceEnd: 1,
    headline: `标题<${n}>&“引号”`,
    byline: [],
    paper: "平湖日报",
    date: "2025-02-10",
    source: "x.txt",
    kind: "news",
  };
}

describe("splitHtml", () => {
  it("returns a short message unchanged as one part", () => {
    expect(splitHtml("<b>你好</b> &amp; 再见")).toEqual(["<b>你好</b> &amp; 再见"]);
  });

  it("splits a 5,000-character cited answer into parts that each fit and parse", () => {
    const sentence = "平湖市今年一季度共有<重大>项目&集中开工,总投资超过一百亿元。";
    const text = `${Array.from({ length: 170 }, (_, i) => `${sentence}[${(i % 3) + 1}]`).join("")}`;
    const answer: Answer = {
      question: "q",
      text,
      abstained: false,
      citations: [1, 2, 3].map((n) => ({ n, chunk: chunk(n) })),
      passages: [],
    };
    const html = renderAnswerHtml(answer);
    expect(text.length).toBeGreaterThan(5000);
    const parts = splitHtml(html);
    expect(parts.length).toBeGreaterThanOrEqual(2);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(TELEGRAM_MAX_MESSAGE_CHARS);
      checkBalanced(part);
    }
    expect(parts.map(visible).join("")).toBe(visible(html));
    // The source list is kept whole at the end.
    expect(parts.at(-1)).toContain("<b>来源</b>");
    // Breaks fall after a sentence, not in the middle of one.
    for (const part of parts.slice(0, -1)) expect(visible(part)).toMatch(/[。\]]$/u);
  });

  it("closes a tag open at a break and reopens it in the next part", () => {
    const html = `<b>要闻</b>\n<blockquote>${escapeHtml("<注意>".repeat(400))}${"长".repeat(3000)}</blockquote>`;
    const parts = splitHtml(html, 4096);
    expect(parts).toHaveLength(2);
    expect(parts[0]).toMatch(/<\/blockquote>$/u);
    expect(parts[1]).toMatch(/^<blockquote>/u);
    for (const part of parts) checkBalanced(part);
    expect(parts.map(visible).join("")).toBe(visible(html));
  });

  it("prefers paragraph breaks when a part can be at least half full", () => {
    const paragraph = "段".repeat(1500);
    const html = [paragraph, paragraph, paragraph, paragraph].join("\n\n");
    const parts = splitHtml(html, 4096);
    expect(parts).toEqual([`${paragraph}\n\n${paragraph}`, `${paragraph}\n\n${paragraph}`]);
  });

  it("never cuts an entity or an emoji in half", () => {
    const html = "&amp;😀".repeat(1500);
    const parts = splitHtml(html, 1000);
    for (const part of parts) {
      checkBalanced(part);
      expect(part.length).toBeLessThanOrEqual(1000);
      expect(part).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/u);
    }
    expect(parts.join("")).toBe(html);
  });

  it("refuses a limit too small for the tags it must reopen", () => {
    const html = `<blockquote><b><i>${"字".repeat(100)}</i></b></blockquote>`;
    expect(() => splitHtml(html, 30)).toThrow(/too small/u);
  });
});
