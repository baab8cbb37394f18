import { describe, expect, it } from "vitest";
import { IngestError } from "../../src/errors.js";
import {
  parseEditionFileName,
  parseLooseDate,
  parseManifest,
  resolveEditionMeta,
} from "../../src/ingest/metadata.js";

describe("parseEditionFileName", () => {
  it("reads YYYY-MM-DD_报纸名.txt", () => {
    expect(parseEditionFileName("2024-07-03_平湖日报.txt")).toEqual({
      paper: "平湖日报",
      date: "2024-07-03",
      datePrecision: "day",
      dateEstimated: false,
    });
  });

  it("reads YYYYMMDD_报纸名.txt", () => {
    expect(parseEditionFileName("20230328_嘉兴日报.txt")).toMatchObject({
      paper: "嘉兴日报",
      date: "2023-03-28",
    });
  });

  it("ignores the page part of YYYY-MM-DD_报纸名_版次.txt", () => {
    expect(parseEditionFileName("2025-02-10_平湖日报_01.txt")).toMatchObject({
      paper: "平湖日报",
      date: "2025-02-10",
    });
  });

  it("accepts a path and other extensions", () => {
    expect(parseEditionFileName("in/2025-02-10_平湖日报.jsonl")).toMatchObject({
      paper: "平湖日报",
    });
  });

  it("returns undefined for names outside the convention or impossible dates", () => {
    for (const name of [
      "000_4fbab94a4f508d93.txt",
      "平湖日报.txt",
      "2024-02-30_平湖日报.txt",
      "2024-0703_平湖日报.txt",
      "2024-07-03.txt",
      "2024-13-01_平湖日报.txt",
    ]) {
      expect(parseEditionFileName(name), name).toBeUndefined();
    }
  });
});

describe("parseManifest", () => {
  const manifest = JSON.stringify({
    editions: [
      { file: "a.txt", paper: "嘉兴日报", date: "2026-03-07", precision: "day", estimated: true },
      { file: "b.txt", paper: "平湖日报", date: "2026-03", precision: "month", estimated: true },
      { file: "c.txt", paper: "平湖日报", date: null, precision: "unknown" },
    ],
  });

  it("reads day, month and unknown precision", () => {
    const m = parseManifest(manifest);
    expect(m.get("a.txt")).toEqual({
      paper: "嘉兴日报",
      date: "2026-03-07",
      datePrecision: "day",
      dateEstimated: true,
    });
    expect(m.get("b.txt")).toEqual({
      paper: "平湖日报",
      date: "2026-03",
      datePrecision: "month",
      dateEstimated: true,
    });
    expect(m.get("c.txt")).toEqual({
      paper: "平湖日报",
      date: null,
      datePrecision: "unknown",
      dateEstimated: false,
    });
  });

  it("rejects invalid JSON with an IngestError naming manifest.json", () => {
    expect(() => parseManifest("{ editions: [", "manifest.json")).toThrow(IngestError);
    expect(() => parseManifest("{ editions: [", "manifest.json")).toThrow(
      /manifest\.json.*not valid JSON/,
    );
  });

  it("rejects a wrong shape and a date that contradicts its precision", () => {
    expect(() => parseManifest('{"editions":[{"paper":"x"}]}')).toThrow(
      /manifest\.json.*editions\.0\.file/,
    );
    expect(() =>
      parseManifest('{"editions":[{"file":"a.txt","date":"2026-03","precision":"day"}]}'),
    ).toThrow(/does not fit precision/);
  });
});

describe("resolveEditionMeta", () => {
  const manifest = parseManifest(
    '{"editions":[{"file":"2024-07-03_平湖日报.txt","paper":"平湖日报·周末版","date":"2024-07","precision":"month"}]}',
  );

  it("lets the manifest win over the file name", () => {
    expect(resolveEditionMeta("2024-07-03_平湖日报.txt", manifest)).toMatchObject({
      paper: "平湖日报·周末版",
      date: "2024-07",
      datePrecision: "month",
    });
  });

  it("uses the file name when the manifest does not list the file", () => {
    expect(resolveEditionMeta("2024-07-04_平湖日报.txt", manifest)).toMatchObject({
      date: "2024-07-04",
    });
  });

  it("falls back to unknown paper and date", () => {
    expect(resolveEditionMeta("scan-17.txt")).toEqual({
      paper: "unknown",
      date: null,
      datePrecision: "unknown",
      dateEstimated: false,
    });
  });
});

describe("parseLooseDate", () => {
  it("accepts days, months and ISO date-times", () => {
    expect(parseLooseDate("2025-02-10")).toEqual({ date: "2025-02-10", precision: "day" });
    expect(parseLooseDate("2025-02")).toEqual({ date: "2025-02", precision: "month" });
    expect(parseLooseDate("2025-02-10T08:30:00+08:00")).toEqual({
      date: "2025-02-10",
      precision: "day",
    });
    expect(parseLooseDate("2025-02-10T08:30:00.123Z")).toEqual({
      date: "2025-02-10",
      precision: "day",
    });
  });

  it("rejects other formats and impossible dates", () => {
    for (const value of ["2025/02/10", "昨天", "2025-02-30", "2025-13", ""]) {
      expect(parseLooseDate(value), value).toBeUndefined();
    }
  });
});
