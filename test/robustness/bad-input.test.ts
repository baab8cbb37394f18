import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHashedEmbedder } from "../../src/embeddings/hashed.js";
import { createEngine } from "../../src/engine.js";
import { runIndexJob } from "../../src/indexer.js";
import type { IndexJobResult } from "../../src/indexer.js";
import { chunkArticles, loadInputs } from "../../src/ingest/load.js";
import type { LoadResult } from "../../src/ingest/load.js";
import { compact } from "../../src/text/normalize.js";
import { SAMPLE_EDITIONS } from "../helpers/paths.js";
import { badInputs, edition, longLine, writeBigFile } from "./inputs.js";
import type { BadInput } from "./inputs.js";

/** A question only the sample editions answer, and the fact the answer must hold. */
const SAMPLE_QUESTION = "嘉兴融担的科创担保产品费率降到了多少?";
const SAMPLE_FACT = "0.2%";

let tmp: string;
let badDir: string;
let indexDir: string;
let inputs: BadInput[];
let bigName: string;
let firstRun: IndexJobResult;
let batch: IndexJobResult;
let loaded: LoadResult;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "lnb-bad-input-"));
  badDir = path.join(tmp, "bad");
  indexDir = path.join(tmp, "index");
  await mkdir(badDir);
  inputs = await badInputs();
  for (const input of inputs) await writeFile(path.join(badDir, input.name), input.bytes);
  bigName = await writeBigFile(badDir);

  // The index as it was before the bad batch arrived.
  firstRun = await runIndexJob({
    editionDirs: [SAMPLE_EDITIONS],
    indexDir,
    embedder: createHashedEmbedder(),
  });
  batch = await runIndexJob({
    editionDirs: [SAMPLE_EDITIONS, badDir],
    indexDir,
    embedder: createHashedEmbedder(),
  });
  loaded = await loadInputs({ editionDirs: [SAMPLE_EDITIONS, badDir] });
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** The reasons the batch gave for one file (and for its lines, as "file:line"). */
function reasonsFor(result: { skipped: { file: string; reason: string }[] }, name: string) {
  const file = path.join(badDir, name);
  return result.skipped.filter((s) => s.file === file || s.file.startsWith(`${file}:`));
}

describe("bad input to the indexer", () => {
  it("covers every kind of bad input that issue 6 lists", () => {
    // Empty, PNG, ZIP, encodings, JSONL faults, a duplicate, names with spaces and Chinese,
    // plus the 50 MB file (the 10 MB line and ../ paths have tests of their own below).
    expect(inputs.map((i) => i.name)).toEqual(
      expect.arrayContaining([
        "empty.txt",
        "photo.txt",
        "archive.txt",
        "gbk-edition.txt",
        "utf16le.txt",
        "mixed-encodings.txt",
        "damaged-utf8.txt",
        "truncated.jsonl",
        "fields.jsonl",
        "copy of 001.txt",
        "平湖 日报 第 2 版.txt",
      ]),
    );
    expect(existsSync(path.join(badDir, bigName))).toBe(true);
  });

  it("skips each unusable file with a reason that names the file and the problem", () => {
    for (const input of inputs) {
      if (!("skip" in input.expect)) continue;
      const reasons = reasonsFor(batch, input.name);
      expect(reasons, input.name).toHaveLength(1);
      expect(reasons[0]?.file, input.name).toBe(path.join(badDir, input.name));
      expect(reasons[0]?.reason, input.name).toMatch(input.expect.skip);
    }
  });

  it("refuses the 50 MB file by its size, unread, saying how to fix it", () => {
    const reasons = reasonsFor(batch, bigName);
    expect(reasons).toHaveLength(1);
    expect(reasons[0]?.reason).toMatch(/the file is 50\.0 MB, more than the 32\.0 MB .*split it/);
  });

  it("reports every bad JSONL line by file and line number, and keeps the good lines", () => {
    for (const input of inputs) {
      if (!("lines" in input.expect)) continue;
      const file = path.join(badDir, input.name);
      const lines = reasonsFor(batch, input.name);
      const expected = Object.entries(input.expect.lines);
      expect(lines.map((l) => l.file).sort()).toEqual(expected.map(([n]) => `${file}:${n}`).sort());
      for (const [n, reason] of expected) {
        expect(lines.find((l) => l.file === `${file}:${n}`)?.reason, `${input.name}:${n}`).toMatch(
          reason,
        );
      }
    }
  });

  it("indexes the rest of the batch: every readable file, whatever its encoding or name", async () => {
    const engine = await createEngine({ indexDir, embedder: createHashedEmbedder() });
    const articles = engine.index.articles();
    for (const input of inputs) {
      if (!("index" in input.expect)) continue;
      const fromFile = articles.filter((a) => a.source === input.name);
      expect(fromFile.length, `${input.name} indexed`).toBeGreaterThan(0);
      const text = compact(fromFile.flatMap((a) => a.paragraphs).join(""));
      expect(text, input.name).toContain(input.expect.index);
    }
    // The JSONL record whose id looks like a path is an article like any other.
    expect(articles.some((a) => a.id === "jsonl:../../etc/passwd")).toBe(true);
    // A duplicate is indexed once, under the first name.
    expect(articles.some((a) => a.source === "copy of 001.txt")).toBe(false);
    expect(batch.editions).toBe(
      firstRun.editions + inputs.filter((i) => "index" in i.expect).length,
    );
  });

  it("tells what it read despite a problem: mixed encodings and damaged bytes", () => {
    for (const input of inputs) {
      const notices = loaded.notices.filter((n) => n.file === path.join(badDir, input.name));
      if ("notice" in input.expect && input.expect.notice) {
        expect(notices.map((n) => n.reason).join("\n"), input.name).toMatch(input.expect.notice);
      } else expect(notices, input.name).toEqual([]);
    }
  });

  it("loses nothing already indexed: the sample editions still answer after the bad batch", async () => {
    const engine = await createEngine({ indexDir, embedder: createHashedEmbedder() });
    const answer = await engine.ask(SAMPLE_QUESTION);
    expect(answer.abstained).toBe(false);
    expect(answer.text).toContain(SAMPLE_FACT);
    const sources = new Set(engine.index.articles().map((a) => a.source));
    for (const file of [
      "000_4fbab94a4f508d93.txt",
      "001_442c48c22c8f00a5.txt",
      "002_c46a323090806ea5.txt",
      "003_f806f993ff43849d.txt",
      "004_52660507d51a0aa1.txt",
    ]) {
      expect(sources.has(file), file).toBe(true);
    }
  });

  it("leaves the previous index live when a batch holds nothing usable, naming every file", async () => {
    const onlyBad = path.join(tmp, "only-bad");
    await mkdir(onlyBad);
    const skips = inputs.filter((i) => "skip" in i.expect && i.name !== "copy of 001.txt");
    for (const input of skips) await writeFile(path.join(onlyBad, input.name), input.bytes);
    const current = await readFile(path.join(indexDir, "CURRENT"), "utf8");

    const error = await runIndexJob({
      editionDirs: [onlyBad],
      indexDir,
      embedder: createHashedEmbedder(),
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toContain("the previous index is unchanged");
    for (const input of skips) expect(message).toContain(input.name);

    expect(await readFile(path.join(indexDir, "CURRENT"), "utf8")).toBe(current);
    const engine = await createEngine({ indexDir, embedder: createHashedEmbedder() });
    expect((await engine.ask(SAMPLE_QUESTION)).text).toContain(SAMPLE_FACT);
  });

  it("groups the bad lines of one export in the error, so a big bad file makes a short message", async () => {
    const dir = path.join(tmp, "bad-lines");
    await mkdir(dir);
    const lines = Array.from({ length: 500 }, (_, i) => JSON.stringify({ id: `q${i}`, q: "问" }));
    await writeFile(path.join(dir, "questions.jsonl"), `${lines.join("\n")}\n`);

    const error = await runIndexJob({
      articleFiles: [path.join(dir, "questions.jsonl")],
      indexDir,
      embedder: createHashedEmbedder(),
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    const message = (error as Error).message;
    expect(message).toContain("questions.jsonl:1: missing");
    expect(message).toContain("and 497 more lines of that file");
    expect(message).not.toContain("questions.jsonl:4:");
    expect(message.length).toBeLessThan(1000);
  });

  it("reads files given by a path with ../ under their own name", async () => {
    const sub = path.join(tmp, "nested", "deeper");
    await mkdir(sub, { recursive: true });
    const file = path.join(tmp, "nested", "桐乡 日报.txt");
    await writeFile(
      file,
      edition("桐乡开通城乡公交环线", "许知远", "桐乡城乡公交环线全长六十八公里，设站四十个。"),
    );
    const result = await loadInputs({ editionFiles: [path.join(sub, "..", "桐乡 日报.txt")] });
    expect(result.skipped).toEqual([]);
    expect(result.articles.map((a) => a.source)).toEqual(["桐乡 日报.txt"]);
    expect(result.articles[0]?.editionId).toBe("桐乡 日报.txt");
  });
});

describe("one line of 10 MB without punctuation", () => {
  let line: string;
  let result: LoadResult;
  beforeAll(async () => {
    const dir = path.join(tmp, "long-line");
    await mkdir(dir);
    line = longLine();
    await writeFile(path.join(dir, "one-line.txt"), line);
    result = await loadInputs({ editionDirs: [dir] });
  });

  it("is read as one article holding every character", () => {
    expect(result.skipped).toEqual([]);
    expect(result.articles).toHaveLength(1);
    expect(result.articles[0]?.paragraphs.join("")).toBe(line);
  });

  it("is cut into chunks of bounded size, never one giant chunk", () => {
    const chunks = chunkArticles(result.articles);
    const budget = 480;
    expect(chunks.length).toBeGreaterThan(line.length / (2 * budget));
    // Two budget-sized pieces at most: a chunk pairs a piece with the next (the overlap).
    for (const chunk of chunks)
      expect(Array.from(chunk.text).length).toBeLessThanOrEqual(2 * budget);
  });

  it("keeps every character in the chunks, in order", () => {
    const chunks = chunkArticles(result.articles, { overlapSentences: 0 });
    expect(chunks.map((c) => c.text).join("")).toBe(line);
  });
});
