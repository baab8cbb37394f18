import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseArticlesJsonl } from "../../src/ingest/parse-jsonl.js";
import { sharedDir } from "../helpers/paths.js";

const good = (record: Record<string, unknown>): string => JSON.stringify(record);

describe("parseArticlesJsonl", () => {
  it("turns each good record into an article with its metadata", () => {
    const text = [
      good({
        id: "n-1",
        title: "东湖赛艇赛举行",
        text: "第一段。\n\n第二段。\n第三段。",
        source: "cms",
        date: "2024-07-03",
        paper: "平湖日报",
      }),
      good({ id: 42, title: "无日期稿件", text: "正文。", source: "cms" }),
    ].join("\n");
    const { articles, errors } = parseArticlesJsonl(text, "export.jsonl");
    expect(errors).toEqual([]);
    expect(articles).toHaveLength(2);
    expect(articles[0]).toMatchObject({
      id: "jsonl:n-1",
      editionId: "export.jsonl",
      source: "export.jsonl",
      headline: "东湖赛艇赛举行",
      paragraphs: ["第一段。", "第二段。", "第三段。"],
      paper: "平湖日报",
      date: "2024-07-03",
      datePrecision: "day",
      kind: "news",
      position: 0,
    });
    expect(articles[1]).toMatchObject({
      id: "jsonl:42",
      paper: "unknown",
      date: null,
      datePrecision: "unknown",
      position: 1,
    });
    expect(articles[0]?.contentHash).toMatch(/^[0-9a-f]{40}$/u);
  });

  it("accepts month dates and ISO date-times", () => {
    const text = [
      good({ id: "a", title: "t", text: "x。", date: "2025-02" }),
      good({ id: "b", title: "t", text: "x。", date: "2025-02-10T09:00:00+08:00" }),
    ].join("\n");
    const { articles } = parseArticlesJsonl(text, "e.jsonl");
    expect(articles.map((a) => [a.date, a.datePrecision])).toEqual([
      ["2025-02", "month"],
      ["2025-02-10", "day"],
    ]);
  });

  it("reports a truncated line and wrongly typed or missing fields per line, and keeps the rest", () => {
    const text = [
      good({ id: "ok-1", title: "好", text: "正文一。" }),
      '{"id": "cut", "title": "半截", "text": "正文被截',
      good({ id: "t", title: 7, text: "x" }),
      good({ id: "m", title: "无正文" }),
      good({ id: ["x"], title: "t", text: "x" }),
      "[1, 2]",
      good({ id: "e", title: "t", text: "   " }),
      good({ id: "ok-2", title: "好二", text: "正文二。", paper: 3 }),
      good({ id: "ok-3", title: "好三", text: "正文三。" }),
    ].join("\n");
    const { articles, errors } = parseArticlesJsonl(text, "e.jsonl");
    expect(articles.map((a) => a.id)).toEqual(["jsonl:ok-1", "jsonl:ok-3"]);
    expect(errors.map((e) => e.line)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    expect(errors[0]?.reason).toMatch(/invalid JSON.*truncated/u);
    expect(errors[1]?.reason).toMatch(/"title" must be a string, not a number/u);
    expect(errors[2]?.reason).toMatch(/missing "text"/u);
    expect(errors[3]?.reason).toMatch(/"id" must be a string or number, not an array/u);
    expect(errors[4]?.reason).toMatch(/not a JSON object/u);
    expect(errors[5]?.reason).toMatch(/"text" is empty/u);
    expect(errors[6]?.reason).toMatch(/"paper" must be a string/u);
  });

  it("keeps a record with an unreadable date, reporting it", () => {
    const { articles, errors } = parseArticlesJsonl(
      good({ id: "d", title: "t", text: "x。", date: "昨天" }),
      "e.jsonl",
    );
    expect(articles).toHaveLength(1);
    expect(articles[0]?.date).toBeNull();
    expect(errors).toEqual([
      { line: 1, reason: expect.stringMatching(/kept with an unknown date/u) as string },
    ]);
  });

  it("hashes unsafe or long record ids and keeps ids unique", () => {
    const text = [
      good({ id: "has space", title: "t", text: "x。" }),
      good({ id: "x".repeat(81), title: "t", text: "y。" }),
      good({ id: "dup", title: "一", text: "甲。" }),
      good({ id: "dup", title: "二", text: "乙。" }),
    ].join("\n");
    const ids = parseArticlesJsonl(text, "e.jsonl").articles.map((a) => a.id);
    expect(ids[0]).toMatch(/^[0-9a-f]{16}$/u);
    expect(ids[1]).toMatch(/^[0-9a-f]{16}$/u);
    expect(ids[2]).toBe("jsonl:dup");
    expect(new Set(ids).size).toBe(4);
  });

  it("uses metadata defaults when records carry none", () => {
    const { articles } = parseArticlesJsonl(
      good({ id: "a", title: "t", text: "x。" }),
      "2024-07-03_平湖日报.jsonl",
      {
        paper: "平湖日报",
        date: "2024-07-03",
        datePrecision: "day",
      },
    );
    expect(articles[0]).toMatchObject({
      paper: "平湖日报",
      date: "2024-07-03",
      datePrecision: "day",
    });
  });

  it("reads a real benchmark export without errors", () => {
    const file = path.join(sharedDir(), "bench", "xquad-zh", "articles.jsonl");
    const text = fs.readFileSync(file, "utf8");
    const { articles, errors } = parseArticlesJsonl(text, "articles.jsonl");
    expect(errors).toEqual([]);
    expect(articles).toHaveLength(text.split("\n").filter((l) => l.trim()).length);
    expect(articles[0]?.id).toMatch(/^jsonl:xquad-/u);
  });
});

describe("the credits of an exported story", () => {
  const parse = (text: string) =>
    parseArticlesJsonl(good({ id: "c", title: "标题", text, source: "cms" }), "x.jsonl")
      .articles[0];

  it("are read from the brackets of its dateline or its last line, as credits, not as a byline to search", () => {
    // The names stand in the text already: a byline would count them twice in the search.
    expect(
      parse("新华网宜昌11月9日电(记者刘紫凌、冯国栋)记者9日从交警部门获悉,事故原因已查明。"),
    ).toMatchObject({ byline: [], credits: ["记者刘紫凌 冯国栋"] });
    const long = "考场里只有她一人。".repeat(40);
    expect(parse(`${long}\n(记者:徐啸寒)`)?.credits).toEqual(["记者 徐啸寒"]);
  });

  it("are none where a bracket credits nobody", () => {
    const story = parse("台湾高雄县(北纬23.0度,东经120.6度)发生5.2级地震(图)。");
    expect(story?.byline).toEqual([]);
    expect(story?.credits).toEqual([]);
  });
});
