/** The bundled sample editions, decoded and parsed with their manifest metadata. */
import fs from "node:fs";
import path from "node:path";
import { decodeText } from "../../src/ingest/decode.js";
import { parseManifest, resolveEditionMeta } from "../../src/ingest/metadata.js";
import { parseEdition } from "../../src/ingest/parse-edition.js";
import type { Article } from "../../src/types.js";
import { REPO_DIR, SAMPLE_EDITIONS } from "../helpers/paths.js";

/** The sample edition file names, sorted. */
export function sampleFiles(): string[] {
  return fs
    .readdirSync(SAMPLE_EDITIONS)
    .filter((f) => f.endsWith(".txt"))
    .sort();
}

/** The decoded text of one sample edition. */
export function sampleText(file: string): string {
  return decodeText(fs.readFileSync(path.join(SAMPLE_EDITIONS, file)), file).text;
}

const manifest = parseManifest(
  fs.readFileSync(path.join(SAMPLE_EDITIONS, "manifest.json"), "utf8"),
  "manifest.json",
);
const cache = new Map<string, Article[]>();

/** The articles of one sample edition (parsed once per test file). */
export function sampleArticles(file: string): Article[] {
  let articles = cache.get(file);
  if (!articles) {
    articles = parseEdition(sampleText(file), resolveEditionMeta(file, manifest), file);
    cache.set(file, articles);
  }
  return articles;
}

/** A JSON fixture under test/fixtures/ingest. */
export function readFixture<T>(name: string): T {
  return JSON.parse(
    fs.readFileSync(path.join(REPO_DIR, "test", "fixtures", "ingest", name), "utf8"),
  ) as T;
}
