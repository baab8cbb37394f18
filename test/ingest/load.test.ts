import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chunkArticles, loadInputs } from "../../src/ingest/load.js";
import { REPO_DIR, SAMPLE_EDITIONS } from "../helpers/paths.js";

const GBK_FIXTURE = path.join(REPO_DIR, "test", "fixtures", "ingest", "gbk-edition.txt");
const SAMPLE = "004_52660507d51a0aa1.txt";

let root: string;

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), "ingest-load-"));
});

afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

async function makeDir(name: string, files: Record<string, string | Uint8Array>): Promise<string> {
  const dir = path.join(root, name);
  await fs.mkdir(dir, { recursive: true });
  for (const [file, content] of Object.entries(files))
    await fs.writeFile(path.join(dir, file), content);
  return dir;
}

describe("loadInputs", () => {
  it("reads a folder of editions and exports, skipping bad files with a reason", async () => {
    const dir = await makeDir("mixed", {
      "2024-07-03_平湖日报.txt": await fs.readFile(GBK_FIXTURE),
      [SAMPLE]: await fs.readFile(path.join(SAMPLE_EDITIONS, SAMPLE)),
      "manifest.json": JSON.stringify({
        editions: [
          { file: SAMPLE, paper: "平湖日报", date: "2024-07", precision: "month", estimated: true },
        ],
      }),
      "empty.txt": "",
      "scan.txt": new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]),
      "notes.docx": "not text",
      ".hidden.txt": "本报讯 不应读取。",
      "export.jsonl": [
        JSON.stringify({ id: "x1", title: "导出稿件", text: "导出正文。", source: "cms" }),
        '{"id": "x2", "title": "截断',
      ].join("\n"),
    });
    const result = await loadInputs({ editionDirs: [dir] });

    expect(result.editions).toBe(3);
    expect([...new Set(result.articles.map((a) => a.source))]).toEqual([
      "004_52660507d51a0aa1.txt",
      "2024-07-03_平湖日报.txt",
      "export.jsonl",
    ]);
    const gbk = result.articles.filter((a) => a.source === "2024-07-03_平湖日报.txt");
    expect(gbk).toHaveLength(1);
    expect(gbk[0]).toMatchObject({
      headline: "平湖举行夏季消防演练",
      byline: ["张三", "李四"],
      paper: "平湖日报",
      date: "2024-07-03",
      datePrecision: "day",
    });
    const sample = result.articles.find((a) => a.source === SAMPLE);
    expect(sample).toMatchObject({ paper: "平湖日报", date: "2024-07", datePrecision: "month" });
    expect(result.articles.find((a) => a.source === "export.jsonl")?.id).toBe("jsonl:x1");

    const skipped = Object.fromEntries(
      result.skipped.map((s) => [path.relative(dir, s.file), s.reason]),
    );
    expect(Object.keys(skipped).sort()).toEqual([
      "empty.txt",
      "export.jsonl:2",
      "notes.docx",
      "scan.txt",
    ]);
    expect(skipped["empty.txt"]).toMatch(/empty/u);
    expect(skipped["scan.txt"]).toMatch(/PNG/u);
    expect(skipped["notes.docx"]).toMatch(/not a readable Word/u);
    expect(skipped["export.jsonl:2"]).toMatch(/invalid JSON/u);
  });

  it("reports a malformed manifest.json and still indexes the folder with unknown metadata", async () => {
    const dir = await makeDir("bad-manifest", {
      [SAMPLE]: await fs.readFile(path.join(SAMPLE_EDITIONS, SAMPLE)),
      "manifest.json": '{"editions": [ {"file": ',
    });
    const result = await loadInputs({ editionDirs: [dir] });
    expect(result.skipped).toEqual([
      {
        file: path.join(dir, "manifest.json"),
        reason: expect.stringMatching(/not valid JSON/u) as string,
        userReason: expect.stringMatching(/不是有效的 JSON/u) as string,
      },
    ]);
    expect(result.articles.length).toBeGreaterThan(5);
    expect(result.articles.every((a) => a.paper === "unknown" && a.date === null)).toBe(true);
  });

  it("reads single edition files and article files, and reports missing inputs", async () => {
    const dir = await makeDir("single", {
      "2025-02-10_平湖日报_01.txt": await fs.readFile(GBK_FIXTURE),
      "a.jsonl": JSON.stringify({ id: 1, title: "标题", text: "正文。", date: "2025-02-10" }),
    });
    const result = await loadInputs({
      editionDirs: [path.join(root, "does-not-exist")],
      editionFiles: [path.join(dir, "2025-02-10_平湖日报_01.txt")],
      articleFiles: [path.join(dir, "a.jsonl"), path.join(dir, "missing.jsonl")],
    });
    expect(result.articles.map((a) => [a.source, a.paper, a.date])).toEqual([
      ["2025-02-10_平湖日报_01.txt", "平湖日报", "2025-02-10"],
      ["a.jsonl", "unknown", "2025-02-10"],
    ]);
    expect(result.editions).toBe(2);
    expect(result.skipped.map((s) => path.basename(s.file))).toEqual([
      "does-not-exist",
      "missing.jsonl",
    ]);
    expect(result.skipped[0]?.reason).toMatch(/cannot read the folder/u);
    expect(result.skipped[1]?.reason).toMatch(/not found/u);
  });

  it("loads the bundled samples deterministically and chunks them", async () => {
    const first = await loadInputs({ editionDirs: [SAMPLE_EDITIONS] });
    const second = await loadInputs({ editionDirs: [SAMPLE_EDITIONS] });
    expect(first.skipped).toEqual([]);
    expect(first.editions).toBe(5);
    expect(second.articles.map((a) => a.id)).toEqual(first.articles.map((a) => a.id));
    const chunks = chunkArticles(first.articles);
    expect(new Set(chunks.map((c) => c.id)).size).toBe(chunks.length);
    expect(new Set(chunks.map((c) => c.articleId))).toEqual(
      new Set(first.articles.map((a) => a.id)),
    );
  });
});
