import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { IngestError } from "../../src/errors.js";
import { decodeText } from "../../src/ingest/decode.js";
import { REPO_DIR, SAMPLE_EDITIONS } from "../helpers/paths.js";

const SAMPLE =
  "平湖举行夏季消防演练\n\n本报讯 昨天上午，我市在东湖举行演练，共有120名消防员参加。\n";

/** UTF-16 code units of a string in the given byte order (Node encodes only little-endian). */
function utf16(text: string, order: "le" | "be"): Uint8Array {
  const le = Buffer.from(text, "utf16le");
  if (order === "le") return new Uint8Array(le);
  const be = Buffer.alloc(le.length);
  for (let i = 0; i + 1 < le.length; i += 2) {
    be[i] = le[i + 1] ?? 0;
    be[i + 1] = le[i] ?? 0;
  }
  return new Uint8Array(be);
}

function bytes(...parts: (number[] | Uint8Array)[]): Uint8Array {
  return new Uint8Array(parts.flatMap((p) => Array.from(p)));
}

function expectIngestError(run: () => unknown, file: string, reason: RegExp): void {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(IngestError);
  const error = caught as IngestError;
  expect(error.file).toBe(file);
  expect(error.message).toContain(file);
  expect(error.message).toMatch(reason);
}

describe("decodeText", () => {
  it("reads UTF-8 without a BOM", () => {
    const result = decodeText(new TextEncoder().encode(SAMPLE), "a.txt");
    expect(result).toEqual({ text: SAMPLE, encoding: "utf-8" });
  });

  it("strips a UTF-8 BOM and reports it", () => {
    const result = decodeText(bytes([0xef, 0xbb, 0xbf], new TextEncoder().encode(SAMPLE)), "a.txt");
    expect(result).toEqual({ text: SAMPLE, encoding: "utf-8-bom" });
  });

  it("reads UTF-16 little- and big-endian with a BOM", () => {
    expect(decodeText(bytes([0xff, 0xfe], utf16(SAMPLE, "le")), "le.txt")).toEqual({
      text: SAMPLE,
      encoding: "utf-16le",
    });
    expect(decodeText(bytes([0xfe, 0xff], utf16(SAMPLE, "be")), "be.txt")).toEqual({
      text: SAMPLE,
      encoding: "utf-16be",
    });
  });

  it("recognises UTF-16 without a BOM from the NUL bytes of line breaks and digits", () => {
    expect(decodeText(utf16(SAMPLE, "le"), "le.txt")).toEqual({
      text: SAMPLE,
      encoding: "utf-16le",
    });
    expect(decodeText(utf16(SAMPLE, "be"), "be.txt")).toEqual({
      text: SAMPLE,
      encoding: "utf-16be",
    });
  });

  it("falls back to GB18030 for hand-written GBK bytes", () => {
    // 中 = D6 D0, 文 = CE C4 in GBK; the newline is ASCII.
    const result = decodeText(new Uint8Array([0xd6, 0xd0, 0xce, 0xc4, 0x0a]), "gbk.txt");
    expect(result).toEqual({ text: "中文\n", encoding: "gb18030" });
  });

  it("decodes a GBK edition fixture to the text it was written from", () => {
    const file = path.join(REPO_DIR, "test", "fixtures", "ingest", "gbk-edition.txt");
    const raw = fs.readFileSync(file);
    expect(() => new TextDecoder("utf-8", { fatal: true }).decode(raw)).toThrow();
    const result = decodeText(raw, "gbk-edition.txt");
    expect(result.encoding).toBe("gb18030");
    expect(result.text).toContain("■记者 张三");
    expect(result.text).toContain(
      "本报讯 昨天上午，我市在东湖举行夏季消防演练，共有120名消防员参加。",
    );
  });

  it("recognises UTF-16 without a BOM even when 一 and 开 put NULs on the other side", () => {
    const text = "一开一开一开\n一年一度开工开业\n";
    expect(decodeText(utf16(text, "be"), "be.txt")).toEqual({ text, encoding: "utf-16be" });
    expect(decodeText(utf16(text, "le"), "le.txt")).toEqual({ text, encoding: "utf-16le" });
    for (const file of fs.readdirSync(SAMPLE_EDITIONS).filter((f) => f.endsWith(".txt"))) {
      const sample = fs.readFileSync(path.join(SAMPLE_EDITIONS, file), "utf8");
      for (const order of ["le", "be"] as const) {
        expect(decodeText(utf16(sample, order), file).text, `${file} ${order}`).toBe(
          sample.replace(/\r\n?/gu, "\n"),
        );
      }
    }
  });

  it("reads each line of a file mixing UTF-8 and GBK lines in its own encoding, saying so", () => {
    // 中文 in GBK, then 平湖 in UTF-8.
    const data = bytes([0xd6, 0xd0, 0xce, 0xc4, 0x0a], new TextEncoder().encode("平湖日报\n"));
    const result = decodeText(data, "mixed.txt");
    expect(result.text).toBe("中文\n平湖日报\n");
    expect(result.encoding).toBe("utf-8+gb18030");
    expect(result.warnings?.[0]).toMatch(/mixed encodings: 1 line\(s\) in GBK.*line 1.*line 2/);
  });

  it("keeps UTF-8 text with a damaged byte, marking it with U+FFFD and saying where", () => {
    const data = new TextEncoder().encode("平湖日报今天出版。\n嘉兴新闻今天出版。\n");
    data[data.indexOf(0x0a) + 2] = 0x41; // the second byte of 嘉
    const result = decodeText(data, "damaged.txt");
    expect(result.encoding).toBe("utf-8");
    expect(result.text).toMatch(/^平湖日报今天出版。\n\uFFFDA\uFFFD兴新闻今天出版。\n$/u);
    expect(result.warnings?.[0]).toMatch(
      /invalid UTF-8 byte sequences in 1 line\(s\) \(first: line 2\)/,
    );
  });

  it("normalises CRLF and CR line endings to LF", () => {
    const result = decodeText(new TextEncoder().encode("第一行\r\n第二行\r第三行\n"), "crlf.txt");
    expect(result.text).toBe("第一行\n第二行\n第三行\n");
  });

  it("rejects an empty file, naming it", () => {
    expectIngestError(() => decodeText(new Uint8Array(), "empty.txt"), "empty.txt", /empty/);
  });

  it("rejects a file that holds only whitespace", () => {
    expectIngestError(
      () => decodeText(new TextEncoder().encode(" \n\n\t"), "blank.txt"),
      "blank.txt",
      /no text/,
    );
  });

  it("rejects PNG, ZIP, PDF, GZIP and JPEG files by their magic numbers", () => {
    const cases: [string, number[], RegExp][] = [
      ["photo.png", [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], /PNG/],
      ["edition.docx", [0x50, 0x4b, 0x03, 0x04, 0x14, 0x00], /ZIP/],
      ["page.pdf", [0x25, 0x50, 0x44, 0x46, 0x2d, 0x31], /PDF/],
      ["dump.gz", [0x1f, 0x8b, 0x08, 0x00], /GZIP/],
      ["scan.jpg", [0xff, 0xd8, 0xff, 0xe0], /JPEG/],
    ];
    for (const [file, magic, reason] of cases) {
      expectIngestError(
        () => decodeText(bytes(magic, new TextEncoder().encode(SAMPLE)), file),
        file,
        reason,
      );
    }
  });

  it("rejects binary data with NUL bytes on both sides of the code units", () => {
    const data = new Uint8Array(256).map((_, i) => (i % 3 === 0 ? 0 : (i * 37) % 256));
    expectIngestError(() => decodeText(data, "blob.bin"), "blob.bin", /binary|NUL/);
  });

  it("rejects text full of control characters", () => {
    const text = "平湖\u0001\u0002\u0003\u0004日报\u0005\u0006\u0007\u0008".repeat(20);
    expectIngestError(
      () => decodeText(new TextEncoder().encode(text), "ctl.txt"),
      "ctl.txt",
      /binary/,
    );
  });

  it("rejects bytes that are neither UTF-8 nor GB18030 and says how to fix it", () => {
    // 0x80 and 0xFF can start no GB18030 sequence: they decode to replacement characters.
    const data = new Uint8Array(64).map((_, i) => (i % 2 === 0 ? 0x80 : 0xff));
    expectIngestError(() => decodeText(data, "odd.txt"), "odd.txt", /re-save it as UTF-8/);
  });
});
