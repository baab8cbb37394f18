/** The format fixtures (test/fixtures/formats, made by scripts/make-fixtures.ts) and their source. */
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect } from "vitest";
import { splitSentences } from "../../../src/text/sentences.js";
import type { Article } from "../../../src/types.js";
import { REPO_DIR } from "../../helpers/paths.js";

export const FORMATS_DIR = path.join(REPO_DIR, "test", "fixtures", "formats");

/** One article as edition.json gives it. */
export interface SourceArticle {
  kicker?: string;
  headline: string;
  byline?: string;
  names?: string[];
  paragraphs: string[];
  note?: string;
  caption?: string;
  photo?: string;
}

/** edition.json: what the generated files say. */
export const EDITION = JSON.parse(readFileSync(path.join(FORMATS_DIR, "edition.json"), "utf8")) as {
  paper: string;
  date: string;
  pages: { page: string; articles: SourceArticle[]; ad?: string[] }[];
  other: { paper: string; date: string; page: string; articles: SourceArticle[] };
};

const compact = (s: string): string => s.replace(/\s+/gu, "");

/**
 * Every sentence of the source paragraphs is in the article's text exactly once, in order, and
 * nothing else is: no sentence lost, duplicated, or glued to another.
 */
export function expectSameSentences(article: Article | undefined, source: SourceArticle): void {
  expect(article, `article 《${source.headline}》`).toBeDefined();
  const got = (article?.paragraphs ?? []).flatMap((p) => splitSentences(p)).map(compact);
  const want = source.paragraphs.flatMap((p) => splitSentences(p)).map(compact);
  expect(got).toEqual(want);
}
