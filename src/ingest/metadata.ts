import { z } from "zod";
import { IngestError } from "../errors.js";
import type { DatePrecision, EditionMeta } from "../types.js";

/**
 * Metadata of an edition whose paper and date nobody told us: still indexed, just not filterable.
 */
export const UNKNOWN_META: Readonly<EditionMeta> = Object.freeze({
  paper: "unknown",
  date: null,
  datePrecision: "unknown",
  dateEstimated: false,
});

/** The file name of the per-folder manifest. */
export const MANIFEST_FILE = "manifest.json";

/**
 * Reads paper and date from an edition's file name. The convention is
 *
 * - `YYYY-MM-DD_报纸名.txt`, e.g. `2024-07-03_平湖日报.txt`
 * - `YYYYMMDD_报纸名.txt`, e.g. `20240703_平湖日报.txt`
 * - `YYYY-MM-DD_报纸名_版次.txt`, e.g. `2024-07-03_平湖日报_01.txt` (the page part is ignored)
 *
 * The date must be a real calendar date. Any extension is accepted (`.txt`, `.jsonl`). Returns
 * undefined when the name does not follow the convention; never throws.
 */
export function parseEditionFileName(fileName: string): EditionMeta | undefined {
  const base = fileName.replace(/^.*[\\/]/u, "").replace(/\.[^.]+$/u, "");
  const match = /^(\d{4})-?(\d{2})-?(\d{2})_([^_]+)(?:_[^_]+)?$/u.exec(base);
  if (!match) return undefined;
  const [, year = "", month = "", day = "", paper = ""] = match;
  // "2024-0703" mixes both styles; accept only all dashes or none.
  const dashes = base.slice(0, 10).split("-").length - 1;
  if (dashes !== 0 && dashes !== 2) return undefined;
  const date = `${year}-${month}-${day}`;
  if (!isCalendarDate(date) || paper.trim() === "") return undefined;
  return { paper: paper.trim(), date, datePrecision: "day", dateEstimated: false };
}

const manifestSchema = z.object({
  editions: z.array(
    z.object({
      file: z.string().min(1),
      paper: z.string().min(1).optional(),
      date: z.string().nullable().optional(),
      precision: z.enum(["day", "month", "unknown"]).optional(),
      estimated: z.boolean().optional(),
    }),
  ),
});

/** Metadata by file name, as listed in one folder's manifest.json. */
export type Manifest = ReadonlyMap<string, EditionMeta>;

/**
 * Parses a manifest.json (`{"editions":[{"file","paper","date","precision","estimated"}]}`;
 * date "YYYY-MM-DD", "YYYY-MM" or null). Throws IngestError naming the file when the JSON or an
 * entry is malformed, or when a date contradicts its precision.
 */
export function parseManifest(text: string, file: string = MANIFEST_FILE): Manifest {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/u, ""));
  } catch (cause) {
    throw new IngestError(
      file,
      `is not valid JSON (${errorText(cause)}); fix the syntax or remove the file`,
      { cause, zh: "manifest.json 不是有效的 JSON,请修正或删除" },
    );
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? issue.path.join(".") : "";
    throw new IngestError(
      file,
      `does not match {"editions":[{"file","paper","date","precision","estimated"}]}` +
        ` (${where ? `${where}: ` : ""}${issue?.message ?? "invalid"}); fix that entry`,
      { zh: `manifest.json 的格式不对(${where || "整体"}),请修正` },
    );
  }
  const manifest = new Map<string, EditionMeta>();
  for (const [i, entry] of parsed.data.editions.entries()) {
    const date = entry.date ?? null;
    const precision = entry.precision ?? precisionOf(date);
    if (precision === undefined || (date !== null && precisionOf(date) !== precision)) {
      throw new IngestError(
        file,
        `editions.${i} (${entry.file}): date ${JSON.stringify(date)} does not fit precision ` +
          `"${entry.precision ?? "?"}"; use "YYYY-MM-DD" for "day", "YYYY-MM" for "month", null for "unknown"`,
        { zh: `manifest.json 第 ${i + 1} 项(${entry.file})的日期与精度不符` },
      );
    }
    manifest.set(entry.file, {
      paper: entry.paper ?? UNKNOWN_META.paper,
      date: precision === "unknown" ? null : date,
      datePrecision: precision,
      dateEstimated: entry.estimated ?? false,
    });
  }
  return manifest;
}

/**
 * Metadata for one file: the manifest entry wins, then the file-name convention, then "unknown".
 * Never throws.
 */
export function resolveEditionMeta(fileName: string, manifest?: Manifest): EditionMeta {
  return manifest?.get(fileName) ?? parseEditionFileName(fileName) ?? { ...UNKNOWN_META };
}

/**
 * Normalises a record's date: "YYYY-MM-DD", "YYYY-MM" or an ISO date-time (its date part).
 * Returns undefined for anything else (including impossible dates); never throws.
 */
export function parseLooseDate(
  value: string,
): { date: string; precision: DatePrecision } | undefined {
  const trimmed = value.trim();
  const day =
    /^(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/u.exec(
      trimmed,
    );
  if (day?.[1] && isCalendarDate(day[1])) return { date: day[1], precision: "day" };
  const month = /^(\d{4})-(\d{2})$/u.exec(trimmed);
  if (month && Number(month[2]) >= 1 && Number(month[2]) <= 12)
    return { date: trimmed, precision: "month" };
  return undefined;
}

function precisionOf(date: string | null): DatePrecision | undefined {
  if (date === null) return "unknown";
  if (/^\d{4}-\d{2}-\d{2}$/u.test(date)) return isCalendarDate(date) ? "day" : undefined;
  if (/^\d{4}-(0[1-9]|1[0-2])$/u.test(date)) return "month";
  return undefined;
}

function isCalendarDate(date: string): boolean {
  const [y, m, d] = date.split("-").map(Number);
  if (y === undefined || m === undefined || d === undefined) return false;
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
