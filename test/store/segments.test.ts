import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openIndex, readManifest, writeIndex } from "../../src/store/embedded.js";
import { tokenize } from "../../src/text/words.js";
import type { BuildInput } from "../../src/store/types.js";
import { EDITION_A, EDITION_B, combine, edition, tempIndexDir, testEmbedder } from "./fixtures.js";

/** Edition n: one story about a numbered bridge, so each edition has a unique term. */
function daily(n: number): BuildInput {
  const day = `2024-04-${String(n).padStart(2, "0")}`;
  return edition(day, day, [
    {
      headline: `第${n}号桥梁完成检修`,
      paragraphs: [`编号为桥梁${n}号的老桥完成检修,今天恢复通行。`, `检修共花费${n}十万元。`],
    },
  ]);
}

describe("segments", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempIndexDir()));
  afterEach(() => cleanup());

  it("adds each new edition as a small segment and merges a tier of four into one", async () => {
    const embedder = testEmbedder();
    await writeIndex(combine(EDITION_A, EDITION_B), { indexDir: dir, embedder });
    const added: BuildInput[] = [];
    const segmentCounts: number[] = [];
    for (let n = 1; n <= 6; n++) {
      added.push(daily(n));
      const kept = new Set([
        "2024-03-01",
        "2024-03-02",
        ...added.slice(0, -1).map((e) => e.articles[0]!.editionId),
      ]);
      const last = added[added.length - 1]!;
      const summary = await writeIndex(
        { ...last, keptEditions: kept },
        { indexDir: dir, embedder },
      );
      expect(summary.embedded).toBe(2);
      expect(summary.addedEditions).toEqual([last.articles[0]!.editionId]);
      segmentCounts.push((await readManifest(dir)).segments.length);
    }
    // The base segment (7 chunks) plus one per edition, until four one-edition segments (2
    // chunks each, tier 0) are merged into one 8-chunk segment (tier 1, beside the base).
    expect(segmentCounts).toEqual([2, 3, 4, 2, 3, 4]);

    // Four segments' files load while the caller's work runs, once.
    let calls = 0;
    const index = await openIndex(dir, testEmbedder(), { whileFilesLoad: () => calls++ });
    expect(calls).toBe(1);
    expect(index.articles()).toHaveLength(4 + 6);
    for (let n = 1; n <= 6; n++) {
      const [hit] = index.searchLexical(tokenize(`桥梁${n}号`), 1);
      expect(index.chunkAt(hit!.chunkIndex).headline).toBe(`第${n}号桥梁完成检修`);
    }
    // Merged-away segments are deleted from disk; only the listed ones remain.
    const listed = (await readManifest(dir)).segments.map((s) => s.name).sort();
    expect((await readdir(join(dir, "segments"))).sort()).toEqual(listed);
    index.close?.();
  });

  it("hides a changed edition's old articles in every lookup and search", async () => {
    const embedder = testEmbedder();
    await writeIndex(combine(EDITION_A, EDITION_B), { indexDir: dir, embedder });
    const changedB = edition("2024-03-02", "2024-03-02", [
      { headline: "百康光学扩建生产线", paragraphs: ["百康光学投资三亿元扩建镜片生产线。"] },
    ]);
    const summary = await writeIndex(combine(EDITION_A, changedB), { indexDir: dir, embedder });
    expect(summary.changedEditions).toEqual(["2024-03-02"]);

    const index = await openIndex(dir, testEmbedder());
    const hits = index.searchLexical(tokenize("百康光学投资"), 10);
    expect(hits.map((h) => index.chunkAt(h.chunkIndex).text)).toEqual([
      "百康光学投资三亿元扩建镜片生产线。",
    ]);
    const vector = await testEmbedder().embedQuery("百康光学投资两亿元扩建镜片生产线");
    const near = index.searchVector(vector, 10).map((h) => index.chunkAt(h.chunkIndex).text);
    expect(near).not.toContain("百康光学投资两亿元扩建镜片生产线,预计年底投产。");
    expect(index.articles().filter((a) => a.editionId === "2024-03-02")).toHaveLength(1);
    expect((await readManifest(dir)).counts).toEqual({ editions: 2, articles: 3, chunks: 5 });
    index.close?.();
  });

  it("finds a changed article's live copy by id from read chunks, before the id table", async () => {
    const embedder = testEmbedder();
    await writeIndex(combine(EDITION_A, EDITION_B), { indexDir: dir, embedder });
    const changedB = edition("2024-03-02", "2024-03-02", [
      { headline: "百康光学扩建生产线", paragraphs: ["百康光学投资三亿元扩建镜片生产线。"] },
    ]);
    await writeIndex(combine(EDITION_A, changedB), { indexDir: dir, embedder });

    const index = await openIndex(dir, testEmbedder());
    // Every chunk read, the deleted older copies last, before any lookup builds the id table.
    const chunks = Array.from({ length: index.docCount }, (_, i) =>
      index.chunkAt(index.docCount - 1 - i),
    );
    const ids = [...new Set(chunks.map((c) => c.articleId))];
    const before = ids.map((id) => index.getArticle(id)?.paragraphs.join(""));
    expect(before).toContain("百康光学投资三亿元扩建镜片生产线。");
    expect(before.join("")).not.toContain("两亿元");

    // The id table, built afterwards, agrees; so does a fresh index that only has the table.
    index.idTable();
    expect(ids.map((id) => index.getArticle(id)?.paragraphs.join(""))).toEqual(before);
    const fresh = await openIndex(dir, testEmbedder());
    expect(ids.map((id) => fresh.getArticle(id)?.paragraphs.join(""))).toEqual(before);
    expect(fresh.getArticle("no-such-article")).toBeUndefined();
    index.close?.();
    fresh.close?.();
  });

  it("refuses to keep an edition the live index does not hold", async () => {
    await writeIndex(EDITION_A, { indexDir: dir, embedder: testEmbedder() });
    await expect(
      writeIndex(
        { ...EDITION_B, keptEditions: new Set(["2099-01-01"]) },
        { indexDir: dir, embedder: testEmbedder() },
      ),
    ).rejects.toThrow("kept edition 2099-01-01 is not in the live index");
  });

  it("reads article bodies lazily yet returns them whole, also when spread", async () => {
    await writeIndex(EDITION_A, { indexDir: dir, embedder: testEmbedder() });
    const index = await openIndex(dir, testEmbedder());
    const original = EDITION_A.articles[0]!;
    const stored = index.getArticle(original.id)!;
    expect({ ...stored }).toEqual(original);
    expect(JSON.parse(JSON.stringify(stored))).toEqual(original);
    index.close?.();
  });

  it("stores each article's terms, the same set as cutting the whole article into words", async () => {
    await writeIndex(combine(EDITION_A, EDITION_B), { indexDir: dir, embedder: testEmbedder() });
    const index = await openIndex(dir, testEmbedder());
    for (const article of [...EDITION_A.articles, ...EDITION_B.articles]) {
      const whole = [
        article.headline,
        article.subtitle ?? "",
        article.byline.join(" "),
        ...article.paragraphs,
      ].join("\n");
      expect(new Set(index.articleTerms?.(article.id))).toEqual(new Set(tokenize(whole)));
    }
    expect(index.articleTerms?.("no-such-article")).toBeUndefined();
    index.close?.();
  });
});
