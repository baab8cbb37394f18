import { copyFile, mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { IngestError } from "../../../src/errors.js";
import { loadInputs } from "../../../src/ingest/load.js";
import { UNKNOWN_META } from "../../../src/ingest/metadata.js";
import { pdfReader } from "../../../src/ingest/readers/pdf.js";
import { chunkArticle } from "../../../src/ingest/chunk.js";
import { formatSourceLine } from "../../../src/answer/render.js";
import { EDITION, FORMATS_DIR, expectSameSentences } from "./formats.js";

const FILE = "pinghu-2026-03-10.pdf";

async function readPdf(name: string) {
  const bytes = await readFile(path.join(FORMATS_DIR, name));
  return pdfReader.read(bytes, { file: name, source: name, meta: { ...UNKNOWN_META } });
}

describe("PDF pages", () => {
  it("reads the articles of both pages in reading order: columns, spanning headlines, then the ad", async () => {
    const { articles, skipped } = await readPdf(FILE);
    expect(skipped).toEqual([]);
    expect(articles.map((a) => [a.page, a.kind, a.headline])).toEqual([
      ["A1", "news", "平湖新能源产业园一期项目开工"],
      ["A1", "news", "乍浦港区新增两条集装箱航线"],
      ["A1", "news", "东湖樱花进入最佳观赏期"],
      ["A1", "photo", "图为游客在东湖公园樱花林中拍照留念"],
      ["A1", "ad", "平湖市春晖职业培训学校春季招生"],
      ["A2", "news", "当湖街道开展春季消防安全检查"],
      ["A2", "news", "新埭镇举办春季招聘会"],
    ]);
    expect(articles.map((a) => a.position)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it("loses and repeats no sentence, across column breaks in mid-sentence and mid-number", async () => {
    const { articles } = await readPdf(FILE);
    for (const page of EDITION.pages) {
      for (const source of page.articles) {
        expectSameSentences(
          articles.find((a) => a.headline === source.headline),
          source,
        );
      }
    }
  });

  it("takes paper, date and page from the masthead, never as article text", async () => {
    const { articles } = await readPdf(FILE);
    for (const a of articles) {
      expect(a).toMatchObject({ paper: "平湖日报", date: "2026-03-10", datePrecision: "day" });
      const text = [a.headline, a.subtitle ?? "", ...a.paragraphs].join("\n");
      expect(text).not.toMatch(/星期二|第A[12]版|责任编辑/u);
    }
    // Page A2 prints no paper name: it is the edition's, from page A1.
    expect(articles.filter((a) => a.page === "A2")).toHaveLength(2);
  });

  it("keeps kicker, byline, continuation note and the ad out of the article text", async () => {
    const { articles } = await readPdf(FILE);
    const [lead, , cherry, photo, ad] = articles;
    expect(lead).toMatchObject({
      subtitle: "全力打造长三角产业协同示范区",
      byline: ["张晓明", "陆文静"],
      notes: ["(下转A2版)"],
    });
    expect(lead?.paragraphs.join("")).not.toMatch(/下转|■记者/u);
    expect(photo?.byline).toEqual(["陈明远"]);
    expect(ad?.paragraphs).toEqual(["招生热线:0573-85012345", "地址:平湖市当湖街道新华中路88号"]);
    expect(cherry?.paragraphs.join("")).not.toMatch(/招生|热线|图为/u);
  });

  it("cites the page: 平湖日报 2026年3月10日 A1版《…》", async () => {
    const { articles } = await readPdf(FILE);
    const cherry = articles.find((a) => a.headline === "东湖樱花进入最佳观赏期");
    const chunk = cherry ? chunkArticle(cherry)[0] : undefined;
    expect(chunk?.page).toBe("A1");
    expect(chunk && formatSourceLine({ n: 1, chunk })).toBe(
      "[1] 平湖日报 2026年3月10日 A1版《东湖樱花进入最佳观赏期》",
    );
  });

  it("lets a manifest or file name win over the masthead", async () => {
    const bytes = await readFile(path.join(FORMATS_DIR, FILE));
    const { articles } = await pdfReader.read(bytes, {
      file: FILE,
      source: FILE,
      meta: { paper: "嘉兴日报", date: "2026-03-11", datePrecision: "day", dateEstimated: false },
    });
    expect(articles[0]).toMatchObject({ paper: "嘉兴日报", date: "2026-03-11", page: "A1" });
  });

  it("refuses an image-only PDF (a scan), saying it needs OCR", async () => {
    const error = await readPdf("scan.pdf").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IngestError);
    expect((error as IngestError).message).toMatch(/only images .* OCR/u);
    expect((error as IngestError).userReason).toMatch(/只有图片.*OCR/u);
  });

  it("refuses a damaged PDF with the reason", async () => {
    const bytes = (await readFile(path.join(FORMATS_DIR, FILE))).subarray(0, 2000);
    const error = await pdfReader
      .read(bytes, { file: "cut.pdf", source: "cut.pdf", meta: { ...UNKNOWN_META } })
      .catch((e: unknown) => e);
    expect((error as IngestError).userReason).toMatch(/损坏或不完整/u);
  });

  it("reads another paper's layout: ragged lines, no indents, a paragraph running on into the next column", async () => {
    const { articles } = await readPdf("other-layout.pdf");
    const { other } = EDITION;
    expect(articles.map((a) => a.headline)).toEqual(other.articles.map((a) => a.headline));
    for (const [i, source] of other.articles.entries()) {
      expect(articles[i]).toMatchObject({
        paper: other.paper,
        date: other.date,
        page: other.page,
        byline: source.names,
      });
      expectSameSentences(articles[i], source);
      expect(articles[i]?.paragraphs).toHaveLength(source.paragraphs.length);
    }
  });

  it("indexes the text pages of a PDF and names each page that holds only images", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "pdf-mixed-"));
    try {
      await copyFile(path.join(FORMATS_DIR, "scan-and-text.pdf"), path.join(dir, "mixed.pdf"));
      const { articles, skipped } = await loadInputs({ editionDirs: [dir] });
      expect(articles.map((a) => [a.page, a.headline])).toEqual([["A2", "新埭镇举办春季招聘会"]]);
      expect(skipped).toEqual([
        {
          file: `${path.join(dir, "mixed.pdf")} (page 1)`,
          reason: "page 1 holds no text, only images (a scan); run OCR on it to index it",
          userReason: "第 1 页只有图片(扫描件),没有文字层,需要先做 OCR 才能导入",
        },
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
