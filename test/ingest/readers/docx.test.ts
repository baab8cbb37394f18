import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { IngestError } from "../../../src/errors.js";
import { UNKNOWN_META } from "../../../src/ingest/metadata.js";
import { docxReader } from "../../../src/ingest/readers/docx.js";
import { EDITION, FORMATS_DIR, expectSameSentences } from "./formats.js";

const FILE = "edition-a2.docx";

describe("Word files", () => {
  it("splits articles at headings and takes paper, date and page from the masthead lines", async () => {
    const bytes = await readFile(path.join(FORMATS_DIR, FILE));
    const { articles } = await docxReader.read(bytes, {
      file: FILE,
      source: FILE,
      meta: { ...UNKNOWN_META },
    });
    const page = EDITION.pages[1];
    expect(articles.map((a) => a.headline)).toEqual(page?.articles.map((a) => a.headline));
    for (const a of articles) {
      expect(a).toMatchObject({ paper: "平湖日报", date: "2026-03-10", page: "A2" });
    }
    expect(articles.map((a) => a.byline)).toEqual([["沈佳"], ["周敏"]]);
    const [first, second] = page?.articles ?? [];
    expectSameSentences(articles[0], first ?? { headline: "", paragraphs: [] });
    // The table after the second story reads as "项目:数值" sentences.
    expect(articles[1]?.paragraphs.slice(-2)).toEqual(["检查场所:126家。", "整改隐患:87处。"]);
    expectSameSentences(
      { ...articles[1]!, paragraphs: articles[1]?.paragraphs.slice(0, -2) ?? [] },
      second ?? { headline: "", paragraphs: [] },
    );
  });

  it("refuses a file that is not a Word document, saying so in Chinese", async () => {
    const error = await docxReader
      .read(Buffer.from("PK\u0003\u0004 not a zip"), {
        file: "x.docx",
        source: "x.docx",
        meta: { ...UNKNOWN_META },
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IngestError);
    expect((error as IngestError).userReason).toMatch(/不是可读的 Word/u);
  });
});
