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
  skipped: [
    { file: "uploads/a.png.txt", reason: "binary", userReason: "文件不是文本" },
    {
      file: "uploads/export.jsonl:7",
      reason: "invalid JSON",
      userReason: "第 7 行:不是有效的 JSON",
    },
  ],
  notices: [
    {
      file: "uploads/混合编码.txt",
      reason: "mixed encodings",
      userReason: "文件混用了 UTF-8 和 GBK 编码",
    },
  ],
};

describe("describeOutcome", () => {
  it("tells the admin what changed, what was skipped and which files had damaged text", () => {
    const text = describeOutcome({
      result,
      fresh: result,
      reasons: ["/reindex"],
      finishedAt: new Date(),
    });
    expect(text).toBe(
      [
        "索引已更新:6 期、120 篇、400 段(新增 1 期,用时 1.3 秒)。",
        "跳过 2 项:",
        "• a.png.txt:文件不是文本",
        "• export.jsonl:第 7 行:不是有效的 JSON",
        "已导入,但请留意 1 项:",
        "• 混合编码.txt:文件混用了 UTF-8 和 GBK 编码",
      ].join("\n"),
    );
  });
});
