/** The resolver over the bundled sample editions, dated by their manifest. */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { annotateRelative } from "../../src/dates/format.js";
import { resolveRelativeDates } from "../../src/dates/resolve-relative.js";
import type { ResolvedDate } from "../../src/dates/resolve-relative.js";
import type { DatePrecision } from "../../src/types.js";
import { SAMPLE_EDITIONS } from "../helpers/paths.js";

interface ManifestEntry {
  file: string;
  date: string;
  precision: DatePrecision;
}

const manifest = JSON.parse(
  fs.readFileSync(path.join(SAMPLE_EDITIONS, "manifest.json"), "utf8"),
) as { editions: ManifestEntry[] };

function resolveEdition(prefix: string): { entry: ManifestEntry; dates: ResolvedDate[] } {
  const entry = manifest.editions.find((e) => e.file.startsWith(prefix));
  if (!entry) throw new Error(`edition ${prefix} is not in ${SAMPLE_EDITIONS}/manifest.json`);
  const text = fs.readFileSync(path.join(SAMPLE_EDITIONS, entry.file), "utf8");
  return { entry, dates: resolveRelativeDates(text, entry.date, entry.precision) };
}

/** The resolved date of the first occurrence of `phrase` right before `context` in the edition. */
function dateBefore(
  dates: ResolvedDate[],
  text: string,
  phrase: string,
  context: string,
): ResolvedDate {
  const at = text.indexOf(phrase + context);
  expect(at, `"${phrase}${context}" in the edition`).toBeGreaterThanOrEqual(0);
  const found = dates.find((d) => d.start === at);
  expect(found, `a date at "${phrase}${context}"`).toBeDefined();
  return found as ResolvedDate;
}

function editionText(entry: ManifestEntry): string {
  return fs.readFileSync(path.join(SAMPLE_EDITIONS, entry.file), "utf8");
}

describe("resolveRelativeDates on the sample editions", () => {
  it("000 (2026-03-07): 昨天下午 is 2026-03-06 and 3月6日下午 agrees", () => {
    const { entry, dates } = resolveEdition("000_");
    const text = editionText(entry);
    const yesterday = dateBefore(dates, text, "昨天", "下午,市委书记陈伟");
    expect(yesterday.date).toBe("2026-03-06");
    expect(annotateRelative(yesterday)).toBe("2026年3月6日(报道称“昨天”)");
    expect(dateBefore(dates, text, "3月6日", "下午,市政协").date).toBe("2026-03-06");
    expect(dateBefore(dates, text, "明天", "多云转阴").date).toBe("2026-03-08");
  });

  it("001 (2023-03-28): 昨天上午 is 2023-03-27 and 今年1月 is 2023-01", () => {
    const { entry, dates } = resolveEdition("001_");
    const text = editionText(entry);
    expect(dateBefore(dates, text, "昨天", "上午,嘉善深化").date).toBe("2023-03-27");
    expect(dateBefore(dates, text, "今年1月", "底").date).toBe("2023-01");
    expect(dateBefore(dates, text, "3月26日", ",长三角").date).toBe("2023-03-26");
  });

  it("002 (month 2026-03): 昨天 and 近日 resolve to March 2026 only, 去年 to 2025", () => {
    const { entry, dates } = resolveEdition("002_");
    const text = editionText(entry);
    expect(dateBefore(dates, text, "昨天", "下午,市委书记钟伟华")).toMatchObject({
      date: "2026-03",
      precision: "month",
    });
    expect(dateBefore(dates, text, "近日", ",全省")).toMatchObject({ date: "2026-03" });
    expect(dateBefore(dates, text, "去年", ",我市固定资产")).toMatchObject({ date: "2025" });
    expect(dateBefore(dates, text, "2025年", ",我市民间")).toMatchObject({ relative: false });
  });

  it("003 (2025-02-10): hard-wrapped 2月7日上午 and 2月 8日 are 2025 days", () => {
    const { entry, dates } = resolveEdition("003_");
    const text = editionText(entry);
    expect(dateBefore(dates, text, "2月7日", "上午，陈利众").date).toBe("2025-02-07");
    expect(dateBefore(dates, text, "2月 8日", "\n下午").date).toBe("2025-02-08");
  });

  it("004 (2024-07-03): 7月1日晚 is 2024-07-01 and the announced 9月30日 stays in 2024", () => {
    const { entry, dates } = resolveEdition("004_");
    const text = editionText(entry);
    expect(dateBefore(dates, text, "7月1日", "晚,我市").date).toBe("2024-07-01");
    expect(dateBefore(dates, text, "9月30日", "左右").date).toBe("2024-09-30");
    expect(dateBefore(dates, text, "昨天", ",平湖市第十五届").date).toBe("2024-07-02");
  });

  it("finds a date expression in every sample edition", () => {
    for (const entry of manifest.editions) {
      const text = editionText(entry);
      const dates = resolveRelativeDates(text, entry.date, entry.precision);
      expect(dates.length, entry.file).toBeGreaterThan(3);
      for (const d of dates) expect(text.slice(d.start, d.end)).toBe(d.phrase);
    }
  });
});
