import { createHash } from "node:crypto";
import { splitSentences } from "../text/sentences.js";
import { compactLength } from "./wrap.js";

/** Hex SHA-1 of a string. Never throws. */
export function sha1(text: string): string {
  return createHash("sha1").update(text, "utf8").digest("hex");
}

/**
 * A stable article id from its source and content, independent of its position in the edition:
 * the first 16 hex characters of sha1(source, headline, first 50 characters of the body).
 */
export function articleId(source: string, headline: string, paragraphs: readonly string[]): string {
  const body = Array.from(paragraphs.join("\n")).slice(0, 50).join("");
  return sha1(`${source}\n${headline}\n${body}`).slice(0, 16);
}

/** The hash that tells an incremental run whether an article's text changed. Never throws. */
export function contentHash(headline: string, paragraphs: readonly string[]): string {
  return sha1([headline, ...paragraphs].join("\n"));
}

/** Makes ids unique within one batch by rehashing repeats (identical articles in one source). */
export function uniqueId(id: string, seen: Set<string>): string {
  let candidate = id;
  for (let n = 2; seen.has(candidate); n++) candidate = sha1(`${id}#${n}`).slice(0, 16);
  seen.add(candidate);
  return candidate;
}

/**
 * A label for an article that has no printed headline: its first clauses, long enough to say
 * something ("昨天,新仓镇中心幼儿园举行大班毕业告别活动"), at most 40 characters. Never throws.
 */
export function firstClause(text: string): string {
  const sentence = (splitSentences(text.trim())[0] ?? text).trim();
  const clauses = sentence.split(/(?<=[，,；;：:])/u);
  let label = "";
  for (const clause of clauses) {
    if (compactLength(label) >= 8) break;
    label += clause;
  }
  label = label.replace(/[，,；;：:。！？!?…]+$/u, "").trim();
  const chars = Array.from(label);
  return chars.length > 40 ? `${chars.slice(0, 40).join("")}…` : label;
}
