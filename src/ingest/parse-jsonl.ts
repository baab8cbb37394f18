/**
 * Article exports in JSON Lines, as a newsroom CMS writes them: one
 * `{"id", "title", "text", "source", "date"?, "paper"?}` object per line.
 */
import type { Article, EditionMeta } from "../types.js";
import { articleId, contentHash, firstClause, sha1, uniqueId } from "./article-id.js";
import { cleanLine } from "../text/clean.js";
import { plainExportLine, plainExportText } from "./markup.js";
import { parseLooseDate, UNKNOWN_META } from "./metadata.js";
import { creditsInText } from "./credits.js";

/** A line of a JSONL export that could not be used, and why (English, for logs). */
export interface JsonlLineError {
  /** 1-based line number. */
  line: number;
  reason: string;
}

/** Record ids that can be used as they are in `jsonl:${id}` article ids. */
const SAFE_RECORD_ID = /^[\p{L}\p{N}_.:@/+-]{1,80}$/u;

/**
 * Parses a JSONL article export. Each good line becomes one article (id `jsonl:${record.id}`
 * when the record id is a short safe string, else a hash of source and record id; paragraphs =
 * the text split on line breaks). Bad lines (invalid or truncated JSON, a missing or wrongly
 * typed id/title/text, an empty text) are skipped and reported per line; a date in an unknown
 * format is reported too but its article is kept with an unknown date. Never throws.
 */
export function parseArticlesJsonl(
  text: string,
  source: string,
  metaDefaults: Partial<EditionMeta> = {},
): { articles: Article[]; errors: JsonlLineError[] } {
  const articles: Article[] = [];
  const errors: JsonlLineError[] = [];
  const seen = new Set<string>();
  for (const [index, rawLine] of text.split("\n").entries()) {
    const line = index === 0 ? rawLine.replace(/^\uFEFF/u, "") : rawLine;
    if (line.trim().length === 0) continue;
    const lineNo = index + 1;
    const parsed = parseRecord(line);
    if (typeof parsed === "string") {
      errors.push({ line: lineNo, reason: parsed });
      continue;
    }
    const meta: EditionMeta = { ...UNKNOWN_META, ...metaDefaults };
    if (parsed.paper !== undefined) meta.paper = parsed.paper;
    if (parsed.date !== undefined) {
      const date = parseLooseDate(parsed.date);
      if (date) {
        meta.date = date.date;
        meta.datePrecision = date.precision;
        meta.dateEstimated = false;
      } else {
        meta.date = null;
        meta.datePrecision = "unknown";
        meta.dateEstimated = false;
        errors.push({
          line: lineNo,
          reason: `date ${JSON.stringify(parsed.date)} is not YYYY-MM-DD, YYYY-MM or an ISO date-time; the article is kept with an unknown date`,
        });
      }
    }
    // CMS exports carry HTML (tags, entities) and Markdown marks: plain text only goes on.
    const paragraphs = plainExportText(parsed.text)
      .split(/\n/u)
      .map((p) => p.trim())
      .filter((p) => p.length > 0);
    if (paragraphs.length === 0) {
      errors.push({ line: lineNo, reason: '"text" holds no text once markup is removed' });
      continue;
    }
    const headline = plainExportLine(parsed.title) || firstClause(paragraphs[0] ?? "");
    const recordId = cleanLine(String(parsed.id));
    const baseId = SAFE_RECORD_ID.test(recordId)
      ? `jsonl:${recordId}`
      : sha1(`${source}\n${recordId}`).slice(0, 16);
    const id = seen.has(baseId)
      ? uniqueId(articleId(source, headline, paragraphs), seen)
      : uniqueId(baseId, seen);
    // An export has no byline field: the story's text credits its writers, when it does. The
    // credit is kept, for who wrote the story; the names stand in the text already, so they are
    // not added to the story's searched words as a printed byline is.
    const credits = creditsInText(paragraphs);
    articles.push({
      ...meta,
      id,
      editionId: source,
      headline,
      byline: [],
      credits: credits.map((c) => c.raw),
      kind: "news",
      paragraphs,
      notes: [],
      source,
      position: articles.length,
      contentHash: contentHash(headline, paragraphs),
    });
  }
  return { articles, errors };
}

/** A line error's reason (see parseRecord) in Chinese, for admins in chat. Never throws. */
export function jsonlReasonZh(reason: string): string {
  const field = /"(\w+)"/u.exec(reason)?.[1] ?? "";
  if (reason.startsWith("invalid JSON")) return "不是有效的 JSON(这一行可能被截断了)";
  if (reason.startsWith("not a JSON object")) return '不是 JSON 对象,应为 {"id","title","text"}';
  if (reason.startsWith("missing")) return `缺少“${field}”字段`;
  if (reason.includes("must be")) return `“${field}”字段的类型不对`;
  if (reason.includes("is empty")) return `“${field}”字段是空的`;
  if (reason.startsWith("date")) return "日期格式不对(应为 YYYY-MM-DD),文章已导入,日期记为不详";
  if (reason.includes("markup")) return "正文去掉 HTML/Markdown 标记后没有文字";
  return reason;
}

interface JsonlRecord {
  id: string | number;
  title: string;
  text: string;
  paper?: string;
  date?: string;
}

/** Validates one line; returns the record or the reason it cannot be used. */
function parseRecord(line: string): JsonlRecord | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return `invalid JSON (${detail}); the line may be truncated`;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return 'not a JSON object; expected {"id", "title", "text", "source"}';
  }
  const record = value as Record<string, unknown>;
  const { id, title, text, paper, date, source } = record;
  if (id === undefined || id === null) return 'missing "id"';
  if (typeof id !== "string" && typeof id !== "number")
    return `"id" must be a string or number, not ${typeName(id)}`;
  if (String(id).trim().length === 0) return '"id" is empty';
  if (title === undefined) return 'missing "title"';
  if (typeof title !== "string") return `"title" must be a string, not ${typeName(title)}`;
  if (text === undefined) return 'missing "text"';
  if (typeof text !== "string") return `"text" must be a string, not ${typeName(text)}`;
  if (text.trim().length === 0) return '"text" is empty';
  if (source !== undefined && source !== null && typeof source !== "string") {
    return `"source" must be a string, not ${typeName(source)}`;
  }
  if (paper !== undefined && paper !== null && typeof paper !== "string") {
    return `"paper" must be a string, not ${typeName(paper)}`;
  }
  if (date !== undefined && date !== null && typeof date !== "string") {
    return `"date" must be a string, not ${typeName(date)}`;
  }
  const out: JsonlRecord = { id, title, text };
  if (typeof paper === "string" && cleanLine(paper).length > 0) out.paper = cleanLine(paper);
  if (typeof date === "string" && date.trim().length > 0) out.date = date;
  return out;
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}
