import { describe, expect, it } from "vitest";
import { chunkArticle } from "../../src/ingest/chunk.js";
import { chunkArticles } from "../../src/ingest/load.js";
import { compact } from "../../src/text/normalize.js";
import { splitSentences } from "../../src/text/sentences.js";
import type { Article, ArticleKind } from "../../src/types.js";
import { sampleArticles, sampleFiles } from "./samples.js";

function article(paragraphs: string[], kind: ArticleKind = "news"): Article {
  return {
    id: "a1b2c3d4e5f60718",
    editionId: "t.txt",
    headline: "测试标题",
    byline: [],
    credits: [],
    kind,
    paragraphs,
    notes: [],
    source: "t.txt",
    position: 0,
    contentHash: "0".repeat(40),
    paper: "平湖日报",
    date: "2024-07-03",
    datePrecision: "day",
    dateEstimated: false,
  };
}

/** A sentence of exactly n characters (n ≥ 2), numbered so that every sentence is distinct. */
function sentence(n: number, tag: number): string {
  const label = `第${tag}句`;
  return label + "字".repeat(Math.max(0, n - label.length - 1)) + "。";
}

const allSampleArticles = (): Article[] => sampleFiles().flatMap((f) => sampleArticles(f));

describe("chunkArticle", () => {
  it("cuts only at sentence boundaries in every sample article", () => {
    for (const a of allSampleArticles()) {
      const sentences = new Set(
        a.paragraphs.flatMap((p) => splitSentences(p)).map((s) => compact(s)),
      );
      for (const chunk of chunkArticle(a)) {
        if (a.paragraphs.length === 0) continue;
        // Re-splitting a chunk (paragraph by paragraph) yields only whole sentences of the article.
        for (const s of chunk.text.split("\n").flatMap((p) => splitSentences(p))) {
          expect(sentences.has(compact(s)), `${a.headline}: ${s}`).toBe(true);
        }
      }
    }
  });

  it("covers every sentence and repeats the last sentence of the previous chunk", () => {
    for (const a of allSampleArticles()) {
      const chunks = chunkArticle(a);
      if (a.paragraphs.length === 0) continue;
      const count = a.paragraphs.flatMap((p) => splitSentences(p)).length;
      expect(chunks[0]?.sentenceStart).toBe(0);
      expect(chunks.at(-1)?.sentenceEnd).toBe(count);
      for (let i = 1; i < chunks.length; i++) {
        const prev = chunks[i - 1];
        const cur = chunks[i];
        if (!prev || !cur) continue;
        const prevLength = prev.sentenceEnd - prev.sentenceStart;
        const curAlone =
          cur.sentenceEnd - cur.sentenceStart === 1 && Array.from(cur.text).length > 200;
        // Overlap by one sentence, except next to a chunk that is one over-long sentence.
        const overlap = prevLength > 1 && !curAlone;
        expect(cur.sentenceStart).toBe(overlap ? prev.sentenceEnd - 1 : prev.sentenceEnd);
        expect(cur.sentenceEnd).toBeGreaterThan(prev.sentenceEnd);
      }
    }
  });

  it("keeps chunks within the budget unless they pair two sentences or hold one long one", () => {
    for (const max of [80, 200, 400]) {
      for (const a of allSampleArticles()) {
        if (a.kind !== "news" && a.kind !== "commentary" && a.kind !== "interview") continue;
        for (const chunk of chunkArticle(a, { maxChunkChars: max })) {
          const sentences = chunk.sentenceEnd - chunk.sentenceStart;
          const length = Array.from(chunk.text.replace(/\n/gu, "")).length;
          if (length > max) expect(sentences, chunk.text).toBeLessThanOrEqual(2);
          if (sentences === 2) expect(length).toBeLessThanOrEqual(2 * max);
        }
      }
    }
  });

  it("packs whole sentences up to the budget and overlaps by one", () => {
    const text = [1, 2, 3, 4, 5, 6].map((i) => sentence(50, i)).join("");
    const chunks = chunkArticle(article([text]), { maxChunkChars: 120 });
    expect(chunks.map((c) => [c.sentenceStart, c.sentenceEnd])).toEqual([
      [0, 2],
      [1, 3],
      [2, 4],
      [3, 5],
      [4, 6],
    ]);
    expect(chunks[1]?.text).toBe(sentence(50, 2) + sentence(50, 3));
  });

  it("pairs adjacent sentences even when two exceed the budget", () => {
    const text = [1, 2, 3].map((i) => sentence(150, i)).join("");
    const chunks = chunkArticle(article([text]), { maxChunkChars: 200 });
    expect(chunks.map((c) => [c.sentenceStart, c.sentenceEnd])).toEqual([
      [0, 2],
      [1, 3],
    ]);
  });

  it("gives a sentence longer than the budget a chunk of its own", () => {
    const text =
      sentence(30, 1) + sentence(30, 2) + sentence(500, 3) + sentence(30, 4) + sentence(30, 5);
    const chunks = chunkArticle(article([text]), { maxChunkChars: 200 });
    expect(chunks.map((c) => [c.sentenceStart, c.sentenceEnd])).toEqual([
      [0, 2],
      [2, 3],
      [3, 5],
    ]);
    expect(chunks[1]?.text).toBe(sentence(500, 3));
  });

  it("cuts a sentence longer than four budgets at commas, never inside a clause", () => {
    const clauses = Array.from({ length: 30 }, (_, i) => `第${i}个分句内容写在这里`);
    const runOn = `${clauses.join("，")}。`;
    const chunks = chunkArticle(article([runOn]), { maxChunkChars: 50 });
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) {
      expect([c.sentenceStart, c.sentenceEnd]).toEqual([0, 1]);
      expect(c.text.endsWith("，") || c.text.endsWith("。")).toBe(true);
    }
    expect(compact(chunks.map((c) => c.text).join(""))).toContain(compact(runOn.slice(0, 40)));
  });

  it("cuts text without any punctuation every budget, keeping every character", () => {
    const runOn = "平湖经济开发区新材料产业园".repeat(200);
    const chunks = chunkArticle(article([runOn]), { maxChunkChars: 50, overlapSentences: 0 });
    expect(chunks.length).toBe(Math.ceil(runOn.length / 50));
    for (const c of chunks) expect(Array.from(c.text).length).toBeLessThanOrEqual(50);
    expect(chunks.map((c) => c.text).join("")).toBe(runOn);
  });

  it("never cuts a character outside the Basic Multilingual Plane in half", () => {
    const runOn = "𠮷野家".repeat(300);
    const chunks = chunkArticle(article([runOn]), { maxChunkChars: 50, overlapSentences: 0 });
    expect(chunks.map((c) => c.text).join("")).toBe(runOn);
    for (const c of chunks) {
      expect(c.text).not.toMatch(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/u);
      expect(Array.from(c.text).length).toBeLessThanOrEqual(50);
    }
  });

  it("prefers to end a chunk at a paragraph break and joins paragraphs with a newline", () => {
    const p1 = sentence(60, 1) + sentence(60, 2);
    const p2 = sentence(30, 3) + sentence(30, 4);
    const chunks = chunkArticle(article([p1, p2]), { maxChunkChars: 200 });
    expect(chunks.map((c) => [c.sentenceStart, c.sentenceEnd])).toEqual([
      [0, 2],
      [1, 4],
    ]);
    expect(chunks[1]?.text).toBe(`${sentence(60, 2)}\n${p2}`);
  });

  it("keeps photos, weather and ads in one chunk", () => {
    const caption = [1, 2, 3, 4].map((i) => sentence(90, i)).join("");
    expect(chunkArticle(article([caption], "photo"))).toHaveLength(1);
    expect(chunkArticle(article(["地址:某路1号", "招生热线:85087171"], "ad"))[0]?.text).toBe(
      "地址:某路1号\n招生热线:85087171",
    );
  });

  it("uses the headline as the text of an article without body", () => {
    const chunks = chunkArticle(article([]));
    expect(chunks).toEqual([
      expect.objectContaining({ text: "测试标题", sentenceStart: 0, sentenceEnd: 0, ordinal: 0 }),
    ]);
  });

  it("fills ids and article fields, stable across runs", () => {
    const a = article([[1, 2, 3, 4, 5].map((i) => sentence(70, i)).join("")]);
    const chunks = chunkArticle(a);
    expect(chunks.map((c) => c.id)).toEqual(chunks.map((_, i) => `a1b2c3d4e5f60718#${i}`));
    expect(chunkArticle(a)).toEqual(chunks);
    expect(chunks[0]).toMatchObject({
      articleId: a.id,
      headline: "测试标题",
      paper: "平湖日报",
      date: "2024-07-03",
      source: "t.txt",
      kind: "news",
    });
  });

  it("never mixes articles and rejects invalid options", () => {
    const a = article(["甲。"]);
    const b = { ...article(["乙。"]), id: "ffffffffffffffff" };
    expect(chunkArticles([a, b]).map((c) => [c.articleId, c.text])).toEqual([
      [a.id, "甲。"],
      [b.id, "乙。"],
    ]);
    expect(() => chunkArticle(a, { maxChunkChars: 0 })).toThrow(/maxChunkChars/);
    expect(() => chunkArticle(a, { overlapSentences: -1 })).toThrow(/overlapSentences/);
  });
});
