import { existsSync } from "node:fs";
import { cp, mkdtemp, readFile, readdir, rm, stat, truncate, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHashedEmbedder } from "../../src/embeddings/hashed.js";
import { createEngine } from "../../src/engine.js";
import { IndexError } from "../../src/errors.js";
import { runIndexJob } from "../../src/indexer.js";
import { openIndex } from "../../src/store/embedded.js";
import { analyzeChunk, lexicalTerms } from "../../src/store/segment.js";
import { SAMPLE_EDITIONS } from "../helpers/paths.js";
import { createRandom } from "./prng.js";
import { runIndexChild, writeVariantEditions } from "./index-process.js";

/** A question the sample editions answer, in every index these tests build. */
const SAMPLE_QUESTION = "嘉兴融担的科创担保产品费率降到了多少?";
const SAMPLE_FACT = "0.2%";
/** Kills per scenario, at seeded random points of the job. */
const KILLS = 3;
const VARIANTS = 3;

let tmp: string;
let variantsDir: string;
/** How long an uninterrupted full build takes in a child, after its modules have loaded. */
let buildMs: number;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "lnb-crash-"));
  variantsDir = path.join(tmp, "variants");
  await writeVariantEditions(variantsDir, VARIANTS);
  const probe = await runIndexChild({
    indexDir: path.join(tmp, "probe-index"),
    full: true,
    editionDirs: [SAMPLE_EDITIONS, variantsDir],
  });
  expect(probe.code, probe.stderr).toBe(0);
  buildMs = probe.workMs;
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** Opens the index the way the bot does and asks the sample question; fails unless it answers. */
async function expectAnswers(indexDir: string, question = SAMPLE_QUESTION, fact = SAMPLE_FACT) {
  const engine = await createEngine({ indexDir, embedder: createHashedEmbedder() });
  const answer = await engine.ask(question);
  expect(answer.text, `${question} -> ${answer.text}`).toContain(fact);
  return engine;
}

describe("SIGKILL during index jobs", () => {
  it("keeps the previous index usable after kills during a full build, and the next build completes", async () => {
    const indexDir = path.join(tmp, "full");
    await runIndexJob({
      editionDirs: [SAMPLE_EDITIONS],
      indexDir,
      embedder: createHashedEmbedder(),
    });
    const rng = createRandom(6001);
    const killedAt: number[] = [];
    for (let k = 0; k < KILLS; k++) {
      const killAfterMs = Math.round(rng.next() * buildMs);
      const outcome = await runIndexChild({
        indexDir,
        full: true,
        editionDirs: [SAMPLE_EDITIONS, variantsDir],
        killAfterMs,
      });
      if (outcome.signal === "SIGKILL") killedAt.push(killAfterMs);
      else expect(outcome.code, outcome.stderr).toBe(0);
      // Either the old snapshot or, if the kill came after the switch, the new one: it opens and answers.
      await expectAnswers(indexDir);
    }
    // The kills must have hit running jobs, or this proves nothing.
    expect(killedAt.length).toBeGreaterThan(0);
    const done = await runIndexChild({
      indexDir,
      full: true,
      editionDirs: [SAMPLE_EDITIONS, variantsDir],
    });
    expect(done.code, `${done.stderr} (kills at ${killedAt.join(", ")} ms)`).toBe(0);
    const engine = await expectAnswers(indexDir);
    expect(engine.index.manifest.counts.editions).toBe(5 + VARIANTS);
    expect(engine.index.articles().some((a) => a.headline === `第${VARIANTS}期特别报道`)).toBe(
      true,
    );
  });

  it("keeps the previous index usable after kills during an incremental add, and the next run adds the edition", async () => {
    const indexDir = path.join(tmp, "incremental");
    const inputs = path.join(tmp, "incremental-inputs");
    await cp(variantsDir, inputs, { recursive: true });
    await runIndexJob({
      editionDirs: [SAMPLE_EDITIONS, inputs],
      indexDir,
      embedder: createHashedEmbedder(),
    });
    // The edition being added: the only one that reports the library.
    await writeFile(
      path.join(inputs, "2025-03-01_桐乡日报.txt"),
      await readFile(
        path.join(import.meta.dirname, "..", "bot", "fixtures", "tongxiang-edition.txt"),
      ),
    );
    const rng = createRandom(6002);
    let killed = 0;
    for (let k = 0; k < KILLS; k++) {
      const outcome = await runIndexChild({
        indexDir,
        full: false,
        editionDirs: [SAMPLE_EDITIONS, inputs],
        killAfterMs: Math.round(rng.next() * buildMs * 0.5),
      });
      if (outcome.signal === "SIGKILL") killed++;
      await expectAnswers(indexDir);
    }
    expect(killed).toBeGreaterThan(0);
    const done = await runIndexChild({
      indexDir,
      full: false,
      editionDirs: [SAMPLE_EDITIONS, inputs],
    });
    expect(done.code, done.stderr).toBe(0);
    const engine = await expectAnswers(indexDir, "乌镇数字图书馆首批入藏图书多少册?", "十二万册");
    expect(engine.index.manifest.counts.editions).toBe(5 + VARIANTS + 1);
  });

  it("reports a killed first build as a missing index, with the command that builds one", async () => {
    const indexDir = path.join(tmp, "first");
    await runIndexChild({
      indexDir,
      full: true,
      editionDirs: [SAMPLE_EDITIONS, variantsDir],
      killAfterMs: Math.round(buildMs * 0.3),
    });
    const error = await openIndex(indexDir, createHashedEmbedder()).then(
      () => undefined,
      (e: unknown) => e,
    );
    // The kill may have come after the build finished on a fast machine; then the index opens.
    if (error !== undefined) {
      expect(error).toBeInstanceOf(IndexError);
      expect((error as IndexError).code).toBe("INDEX_MISSING");
      expect((error as IndexError).message).toContain("npm run index");
    }
    const done = await runIndexChild({ indexDir, full: true, editionDirs: [SAMPLE_EDITIONS] });
    expect(done.code, done.stderr).toBe(0);
    await expectAnswers(indexDir);
  });
});

/** Every file under a folder, recursively, as paths relative to it. */
async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(path.relative(dir, path.join(entry.parentPath, entry.name)));
  }
  return out.sort();
}

/** Where damage was noticed: opening the index, using it, or nowhere (silently read). */
type Detection = "open" | "use" | "silently read";

/**
 * Opens an index and, if that works, uses all of it: asks a question, reads every article (with
 * its body and terms) and every chunk, and searches every indexed term (which reads every
 * posting). Says where an IndexError stopped it. Other errors are rethrown: damage must be
 * reported as a corrupt index, not as a crash.
 */
async function detect(indexDir: string): Promise<{ at: Detection; error?: IndexError }> {
  let stage: Detection = "open";
  try {
    const engine = await createEngine({ indexDir, embedder: createHashedEmbedder() });
    stage = "use";
    await engine.ask(SAMPLE_QUESTION);
    const { index } = engine;
    for (const article of index.articles()) {
      index.getArticle(article.id)?.paragraphs.join("");
      index.articleTerms?.(article.id);
    }
    const terms = new Set<string>();
    for (let i = 0; i < index.chunkCount; i++) {
      for (const term of lexicalTerms(analyzeChunk(index.chunkAt(i)))) terms.add(term);
    }
    expect(index.searchLexical([...terms], 10)).toHaveLength(10);
    return { at: "silently read" };
  } catch (error) {
    if (error instanceof IndexError) return { at: stage, error };
    throw error;
  }
}

/**
 * Segment files read on demand, verified block by block as they are read: their damage may be
 * found when the damaged block is first read rather than at open.
 */
const VERIFIED_ON_READ = new Set([
  "chunks.rec",
  "bodies.rec",
  "articles.rec",
  "terms.rec",
  "lexical.bin",
  // Vector rows: the sample index is smaller than a search's candidates, so a question reads all.
  "vectors.f32",
]);
const verifiedOnRead = (file: string): boolean =>
  file.startsWith(`segments${path.sep}`) && VERIFIED_ON_READ.has(path.basename(file));

describe("corrupted or half-written index files", () => {
  let pristine: string;
  /** Every file of the index except CURRENT (tested on its own). */
  let files: string[];
  beforeAll(async () => {
    pristine = path.join(tmp, "pristine");
    await runIndexJob({
      editionDirs: [SAMPLE_EDITIONS],
      indexDir: pristine,
      embedder: createHashedEmbedder(),
    });
    files = (await filesUnder(pristine)).filter((f) => f !== "CURRENT" && f !== "LOCK");
  });

  /** Copies the pristine index, damages one file, and says where the damage was noticed. */
  async function damaged(file: string, damage: (full: string) => Promise<void>) {
    const dir = await mkdtemp(path.join(tmp, "damaged-"));
    await cp(pristine, dir, { recursive: true });
    await damage(path.join(dir, file));
    try {
      return await detect(dir);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /**
   * Fails for every file whose damage was read silently, or found later than `latest` allows,
   * listing them all. Damage must be reported as a corrupt index, with the fix.
   */
  async function expectAllDetected(
    damage: (full: string) => Promise<void>,
    options: {
      which?: (file: string) => boolean;
      /** Where each file's damage must be found at the latest. Defaults to "open". */
      latest?: (file: string) => Detection;
    } = {},
  ): Promise<void> {
    const { which = () => true, latest = () => "open" } = options;
    const late: string[] = [];
    const chosen = files.filter(which);
    expect(chosen.length).toBeGreaterThan(0);
    for (const file of chosen) {
      const { at, error } = await damaged(file, damage);
      if (at === "silently read" || (at === "use" && latest(file) === "open")) {
        late.push(`${file} (${at})`);
      } else {
        expect(error?.code, file).toBe("INDEX_CORRUPT");
        expect(error?.message, file).toMatch(/npm run index -- --full/);
      }
    }
    expect(late, "damaged files read without an error, or found too late").toEqual([]);
  }

  it("has files to damage", () => {
    expect(files.length).toBeGreaterThanOrEqual(3);
  });

  it("refuses every index file cut to half its length (half-written) at open, with the fix", async () => {
    await expectAllDetected(async (full) => {
      await truncate(full, Math.floor((await stat(full)).size / 2));
    });
  });

  /** Flips one byte in the middle of a file. */
  const flipMiddleByte = async (full: string): Promise<void> => {
    const bytes = await readFile(full);
    const at = Math.floor(bytes.length / 2);
    bytes[at] = (bytes[at] ?? 0) ^ 0x04;
    await writeFile(full, bytes);
  };
  const isSnapshotManifest = (file: string): boolean =>
    file.startsWith(`snapshots${path.sep}`) && path.basename(file) === "manifest.json";

  // Record files and postings are verified block by block as they are read, everything else at
  // open: a damaged byte is never served.
  it("refuses every index file with one byte flipped in the middle, at open or when the damaged block is first read, with the fix", async () => {
    await expectAllDetected(flipMiddleByte, {
      latest: (file) => (verifiedOnRead(file) ? "use" : "open"),
    });
  });

  it("refuses a byte flipped in the first or last block of a file read on demand, when it is read", async () => {
    const flipAt = (pick: (size: number) => number) => async (full: string) => {
      const bytes = await readFile(full);
      const at = pick(bytes.length);
      bytes[at] = (bytes[at] ?? 0) ^ 0x04;
      await writeFile(full, bytes);
    };
    const options = { which: verifiedOnRead, latest: (): Detection => "use" };
    await expectAllDetected(
      flipAt(() => 20),
      options,
    );
    // The last byte of lexical.bin may be alignment padding, which nothing reads.
    await expectAllDetected(
      flipAt((size) => size - 5),
      options,
    );
  });

  // The manifest holds the checksums of the other files; its own is in CURRENT.
  it("refuses a snapshot manifest.json with one byte flipped, with the fix", async () => {
    await expectAllDetected(flipMiddleByte, { which: isSnapshotManifest });
  });

  it("refuses an empty file in place of any index file at open, with the fix", async () => {
    await expectAllDetected((full) => truncate(full, 0));
  });

  it("refuses a CURRENT that names no snapshot, with the fix", async () => {
    const dir = await mkdtemp(path.join(tmp, "current-"));
    await cp(pristine, dir, { recursive: true });
    await writeFile(path.join(dir, "CURRENT"), "20990101T000000000Z-1\n");
    const error = await openIndex(dir, createHashedEmbedder()).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(IndexError);
    expect((error as IndexError).message).toMatch(/npm run index/);
    expect(existsSync(path.join(dir, "CURRENT"))).toBe(true);
  });
});
