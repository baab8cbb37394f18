import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { chunkArticles } from "../../src/ingest/load.js";
import { compact } from "../../src/text/normalize.js";
import { sharedDir } from "../helpers/paths.js";
import { sampleArticles } from "./samples.js";

interface DevQuestion {
  id: string;
  evidence?: string | string[] | null;
  file?: string | string[] | null;
  headline?: string | string[] | null;
}

function list(value: string | string[] | null | undefined): string[] {
  if (value === null || value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

const questions: DevQuestion[] = fs
  .readFileSync(path.join(sharedDir(), "eval", "dev.jsonl"), "utf8")
  .split("\n")
  .filter((l) => l.trim().length > 0)
  .map((l) => JSON.parse(l) as DevQuestion);

const spans = questions.flatMap((q) => {
  const evidence = list(q.evidence);
  const files = list(q.file);
  const headlines = list(q.headline);
  return evidence.map((span, i) => ({
    id: q.id,
    span,
    file: files[i] ?? files[0] ?? "",
    headline: headlines[i] ?? headlines[0] ?? "",
  }));
});

describe("evidence spans of the dev questions", () => {
  it("has spans to check", () => {
    expect(spans.length).toBeGreaterThan(30);
  });

  for (const { id, span, file, headline } of spans) {
    it(`${id}: "${span.slice(0, 24)}" lies in one article of ${file} and in one of its chunks`, () => {
      const needle = compact(span);
      const holders = sampleArticles(file).filter((a) =>
        compact(a.paragraphs.join("")).includes(needle),
      );
      expect(holders.map((a) => a.headline)).toHaveLength(1);
      const article = holders[0];
      if (!article) return;
      const got = compact(article.headline);
      const want = compact(headline);
      expect(got.includes(want) || want.includes(got), `${article.headline} vs ${headline}`).toBe(
        true,
      );
      const chunks = chunkArticles([article]);
      expect(chunks.some((c) => compact(c.text).includes(needle))).toBe(true);
    });
  }
});
