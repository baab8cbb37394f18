import { describe, expect, it } from "vitest";
import { describeOutcome } from "../../src/bot/features/admin.js";
import type { IndexJobResult } from "../../src/indexer.js";

const result: IndexJobResult = {
  editions: 6,
  articles: 120,
  chunks: 400,
  embedded: 12,
  reused: 388,
  addedEditions: ["2026-03-20_平湖日报.txt"],
  removedEditions: [],
  changedEditions: [],
  snapshot: "20260320T000000000Z-1",
  seconds: 1.25,
  skipped: [{ file: "uploads/a.png.txt", reason: "binary" }],
  notices: [{ file: "uploads/混合编码.txt", reason: "mixed encodings" }],
};

describe("describeOutcome", () => {
  it("tells the admin what changed, what was skipped and which files had damaged text", () => {
    const text = describeOutcome({ result, reasons: ["/reindex"], finishedAt: new Date() });
    expect(text).toBe(
      "索引已更新:6 期、120 篇、400 段(新增 1 期,用时 1.3 秒);跳过 1 个无法读取的文件;" +
        "1 个文件有乱码或混合编码,已导入可读部分:混合编码.txt。",
    );
  });
});
