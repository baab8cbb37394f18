import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHashedEmbedder } from "../../src/embeddings/hashed.js";
import { createEngine } from "../../src/engine.js";
import { runIndexJob } from "../../src/indexer.js";
import { loadInputs } from "../../src/ingest/load.js";
import { markdownToBlocks, plainExportText } from "../../src/ingest/markup.js";
import { cleanText } from "../../src/text/clean.js";

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "messy-text-"));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function folder(name: string, files: Record<string, string | Buffer>): Promise<string> {
  const d = path.join(dir, name);
  await fs.mkdir(d, { recursive: true });
  for (const [file, content] of Object.entries(files))
    await fs.writeFile(path.join(d, file), content);
  return d;
}

const jsonl = (...records: object[]): string => records.map((r) => JSON.stringify(r)).join("\n");

describe("masthead lines in .txt editions", () => {
  it("give paper and date and are not glued to the first headline", async () => {
    const d = await folder("masthead", {
      "edition.txt": [
        "平湖日报",
        "2026年3月10日 星期二 第A1版",
        "",
        "东湖樱花进入最佳观赏期",
        "",
        "■记者 陈明远",
        "",
        "本报讯 连日来,东湖公园的樱花陆续绽放,吸引大批市民前来赏花。",
      ].join("\n"),
    });
    const { articles } = await loadInputs({ editionDirs: [d] });
    expect(articles).toHaveLength(1);
    expect(articles[0]).toMatchObject({
      headline: "东湖樱花进入最佳观赏期",
      paper: "平湖日报",
      date: "2026-03-10",
      page: "A1",
    });
  });
});

describe("a web page saved as .txt", () => {
  it("is read as HTML, without its script", async () => {
    const d = await folder("html-as-txt", {
      "2026-03-10_平湖日报.txt":
        "<!DOCTYPE html><html><head><script>var ad = '点击领取红包';</script></head><body>" +
        "<h1>东湖樱花进入最佳观赏期</h1><p>■记者 陈明远</p>" +
        "<p>本报讯 连日来,东湖公园的樱花陆续绽放&mdash;&mdash;吸引大批市民前来赏花。</p></body></html>",
    });
    const { articles } = await loadInputs({ editionDirs: [d] });
    expect(articles).toHaveLength(1);
    expect(articles[0]).toMatchObject({
      headline: "东湖樱花进入最佳观赏期",
      byline: ["陈明远"],
      paragraphs: ["本报讯 连日来,东湖公园的樱花陆续绽放——吸引大批市民前来赏花。"],
    });
  });
});

describe("markup in article exports", () => {
  it("decodes entities and removes tags, without splitting a sentence at an entity's ';'", () => {
    expect(
      plainExportText(
        "<p>市民&nbsp;张先生说:&ldquo;今年第&#52;次来赏花。&rdquo;</p><p>第二段。</p>",
      ),
    ).toBe("市民 张先生说:“今年第4次来赏花。”\n第二段。");
  });

  it("reads a whole HTML page as its text, without its script and style", () => {
    const page =
      "<html><head><title>t</title><script>var x = '广告代码';</script><style>p{}</style></head>" +
      "<body><p>公园开放东门临时停车场。</p></body></html>";
    expect(plainExportText(page)).toBe("公园开放东门临时停车场。");
  });

  it("turns Markdown into plain paragraphs, and table rows into 项目:数值 sentences", () => {
    const md = [
      "## 一、总体情况 {#overview}",
      "",
      "今年**粮食产量**再创新高。",
      "",
      "---",
      "",
      "| 项目 | 数值 |",
      "| --- | --- |",
      "| 粮食产量 | 30万吨 |",
      "| 增幅 | 5% |",
    ].join("\n");
    expect(plainExportText(md).split("\n")).toEqual([
      "一、总体情况",
      "今年粮食产量再创新高。",
      "粮食产量:30万吨。",
      "增幅:5%。",
    ]);
    expect(markdownToBlocks("# 标题 {#t}\n\n正文。")).toEqual([
      { kind: "heading", level: 1, text: "标题" },
      { kind: "paragraph", text: "正文。" },
    ]);
  });

  it("indexes a JSONL export's markup as plain text", async () => {
    const d = await folder("markup-export", {
      "export.jsonl": jsonl({
        id: "m1",
        title: "<b>东湖</b>樱花&nbsp;盛开",
        text: "**东湖**公园的樱花开了&#65281;\n\n| 项目 | 数值 |\n|---|---|\n| 株数 | 300 |",
      }),
    });
    const { articles } = await loadInputs({ editionDirs: [d] });
    expect(articles[0]).toMatchObject({
      headline: "东湖樱花 盛开",
      paragraphs: ["东湖公园的樱花开了！", "株数:300。"],
    });
  });
});

describe("invisible and control characters", () => {
  it("are removed once, at ingest, from text and paper names", async () => {
    const d = await folder("invisible", {
      "export.jsonl": jsonl({
        id: "z1",
        title: "乍\u200b浦\u200d港区\u202e新航线",
        text: "乍\u200b浦\u200b港\u200b区新开通两条集装箱航线。\u0000",
        paper: "平湖\u0000日报\u2066",
        date: "2026-03-10",
      }),
    });
    const { articles } = await loadInputs({ editionDirs: [d] });
    expect(articles[0]).toMatchObject({
      headline: "乍浦港区新航线",
      paper: "平湖日报",
      paragraphs: ["乍浦港区新开通两条集装箱航线。"],
    });
    expect(cleanText("a\u00a0b\tc\r\nd\u2028e")).toBe("a b c\nd\ne");
  });

  it("are removed from questions the same way, so such a question still finds its answer", async () => {
    const d = await folder("invisible-question", {
      "2026-03-10_平湖日报.jsonl": jsonl({
        id: "q1",
        title: "乍浦港区新增两条集装箱航线",
        text: "3月9日,乍浦港区新开通至日本大阪和韩国釜山的两条集装箱航线,每周各一班。",
      }),
    });
    const indexDir = path.join(dir, "invisible-index");
    await runIndexJob({ editionDirs: [d], indexDir, embedder: createHashedEmbedder() });
    const engine = await createEngine({ indexDir, embedder: createHashedEmbedder() });
    const answer = await engine.ask("乍\u200b浦\u200b港区新开通了\u202e哪两条航线?");
    expect(answer.abstained).toBe(false);
    expect(answer.question).toBe("乍浦港区新开通了哪两条航线?");
    expect(answer.text).toContain("大阪");
  });
});

describe("the same article id in two exports", () => {
  const first = {
    id: "a2",
    title: "东湖樱花花期预计持续到3月15日",
    text: "花期预计持续到3月15日。",
  };
  const correction = {
    id: "a2",
    title: "东湖樱花花期预计持续到3月20日",
    text: "更正:花期预计持续到3月20日。",
  };

  it("keeps the later article, names both files, and never fails a fresh build", async () => {
    const d = await folder("duplicate-ids", {
      "2026-03-10_平湖日报.jsonl": jsonl(first),
      "2026-03-11_平湖日报.jsonl": jsonl(correction),
    });
    const loaded = await loadInputs({ editionDirs: [d] });
    expect(loaded.articles.map((a) => a.headline)).toEqual(["东湖樱花花期预计持续到3月20日"]);
    expect(loaded.notices).toHaveLength(1);
    expect(loaded.notices[0]?.reason).toMatch(
      /jsonl:a2 is in 2026-03-10_平湖日报\.jsonl and again in 2026-03-11_平湖日报\.jsonl/u,
    );
    expect(loaded.notices[0]?.userReason).toMatch(/同时出现在/u);
    const result = await runIndexJob({
      editionDirs: [d],
      indexDir: path.join(dir, "duplicate-index"),
      embedder: createHashedEmbedder(),
    });
    expect(result.articles).toBe(1);
  });
  it("lets a correction indexed in a later run replace the article indexed before", async () => {
    const d = await folder("duplicate-ids-two-runs", { "2026-03-10_平湖日报.jsonl": jsonl(first) });
    const indexDir = path.join(dir, "duplicate-two-runs-index");
    await runIndexJob({ editionDirs: [d], indexDir, embedder: createHashedEmbedder() });
    await fs.writeFile(path.join(d, "2026-03-11_平湖日报.jsonl"), jsonl(correction));
    const second = await runIndexJob({
      editionDirs: [d],
      indexDir,
      embedder: createHashedEmbedder(),
    });
    expect(second.articles).toBe(1);
    expect(second.notices.map((n) => n.file)).toEqual(["2026-03-11_平湖日报.jsonl"]);
    const engine = await createEngine({ indexDir, embedder: createHashedEmbedder() });
    const answer = await engine.ask("东湖樱花花期预计持续到几号?");
    expect(answer.citations[0]?.chunk.headline).toBe("东湖樱花花期预计持续到3月20日");
    expect(answer.passages.map((p) => p.chunk.headline)).not.toContain(
      "东湖樱花花期预计持续到3月15日",
    );
  });
});

describe("links and odd entries in an editions folder", () => {
  it("follows a symbolic link to a file and reports one that leads nowhere", async () => {
    const target = path.join(dir, "elsewhere.txt");
    await fs.writeFile(
      target,
      "新埭镇举办春季招聘会\n\n■记者 周敏\n\n本报讯 3月8日,新埭镇举办春季招聘会,62家企业提供岗位1500余个。",
    );
    const d = await folder("links", {});
    await fs.symlink(target, path.join(d, "2026-03-10_平湖日报.txt"));
    await fs.symlink(path.join(dir, "missing.txt"), path.join(d, "dangling.txt"));
    await fs.symlink(dir, path.join(d, "folder.txt"));
    const { articles, skipped } = await loadInputs({ editionDirs: [d] });
    expect(articles.map((a) => a.headline)).toEqual(["新埭镇举办春季招聘会"]);
    expect(skipped.map((s) => [path.basename(s.file), s.userReason])).toEqual([
      ["dangling.txt", "文件不存在(或链接指向的文件不存在)"],
      ["folder.txt", "不是普通文件(可能是指向文件夹的链接),请删除"],
    ]);
  });

  it("says in Chinese why each file was skipped: empty, duplicate, unsupported, bad line", async () => {
    const edition = "新埭镇举办春季招聘会\n\n本报讯 3月8日,新埭镇举办春季招聘会。";
    const d = await folder("reasons", {
      "a.txt": edition,
      "b.txt": edition,
      "empty.txt": "",
      "photo.png": Buffer.from([0x89, 0x50, 0x4e, 0x47]),
      "export.jsonl": `${jsonl({ id: "x", title: "t", text: "正文。" })}\n{"id": "y", "title": `,
    });
    const { skipped } = await loadInputs({ editionDirs: [d] });
    const reasons = Object.fromEntries(skipped.map((s) => [path.basename(s.file), s.userReason]));
    expect(reasons).toEqual({
      "b.txt": "与 a.txt 内容相同(重复的文件),已跳过",
      "empty.txt": "文件是空的,请重新导出或删除它",
      "export.jsonl:2": "第 2 行:不是有效的 JSON(这一行可能被截断了)",
      "photo.png": expect.stringMatching(/^不是支持的版面格式/u) as string,
    });
  });
});
