import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadSentencePool, type SentencePool } from "../../src/corpus/sentence-pool.js";
import { generateEdition, planEditions, type CorpusOptions } from "../../src/corpus/generate.js";
import { readCorpusSummary, writeCorpus } from "../../src/corpus/write-corpus.js";
import { loadInputs } from "../../src/ingest/load.js";
import { REPO_DIR, sharedDir } from "../helpers/paths.js";

const OPTIONS: CorpusOptions = {
  papers: 2,
  years: 0.02,
  start: "2020-02-27",
  articlesPerEdition: 20,
  seed: 7,
};

let pool: SentencePool;
beforeAll(() => {
  pool = loadSentencePool(sharedDir());
});

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "lnb-corpus-"));
}

function filesOf(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of fs.readdirSync(dir).sort())
    out[name] = fs.readFileSync(path.join(dir, name), "utf8");
  return out;
}

describe("planEditions", () => {
  it("plans one edition per paper per day, named YYYY-MM-DD_报纸名.txt, across a leap day", () => {
    const plans = planEditions({ ...OPTIONS, years: 0.01 });
    expect(plans.map((p) => p.fileName).slice(0, 6)).toEqual([
      "2020-02-27_澄湖日报.txt",
      "2020-02-27_柳浦日报.txt",
      "2020-02-28_澄湖日报.txt",
      "2020-02-28_柳浦日报.txt",
      "2020-02-29_澄湖日报.txt",
      "2020-02-29_柳浦日报.txt",
    ]);
  });

  it("refuses more papers than it has profiles for, naming the option", () => {
    expect(() => planEditions({ ...OPTIONS, papers: 9 })).toThrow(/--papers/u);
  });
});

describe("generateEdition", () => {
  it("builds the same text for the same seed and another text for another seed", () => {
    const plan = planEditions(OPTIONS)[1];
    if (!plan) throw new Error("no plan");
    const a = generateEdition(pool, OPTIONS, plan);
    const b = generateEdition(pool, OPTIONS, plan);
    const c = generateEdition(pool, { ...OPTIONS, seed: 8 }, plan);
    expect(a.text).toBe(b.text);
    expect(c.text).not.toBe(a.text);
  });

  it("lays pages out like the samples: masthead, ■记者 bylines and 本报讯 leads", () => {
    const plan = planEditions(OPTIONS)[0];
    if (!plan) throw new Error("no plan");
    const { text, articles } = generateEdition(pool, OPTIONS, plan);
    expect(text.startsWith("CHENGHU DAILY\n")).toBe(true);
    expect(text).toMatch(/^■(?:全媒体)?记者 \p{Script=Han}{2,3}/mu);
    expect(text).toMatch(/^本报讯 /mu);
    expect(articles.length).toBeGreaterThanOrEqual(16);
    expect(articles.length).toBeLessThanOrEqual(24);
  });
});

describe("writeCorpus", () => {
  it("writes the same bytes twice for the same seed", () => {
    const [a, b] = [tempDir(), tempDir()];
    writeCorpus({ ...OPTIONS, outDir: a, repoDir: REPO_DIR, pool });
    writeCorpus({ ...OPTIONS, outDir: b, repoDir: REPO_DIR, pool });
    expect(filesOf(path.join(a, "editions"))).toEqual(filesOf(path.join(b, "editions")));
    expect(fs.readFileSync(path.join(a, "questions.jsonl"), "utf8")).toBe(
      fs.readFileSync(path.join(b, "questions.jsonl"), "utf8"),
    );
  });

  it("writes editions our parser reads back with their paper, date and about the generated count", async () => {
    const dir = tempDir();
    const summary = writeCorpus({ ...OPTIONS, outDir: dir, repoDir: REPO_DIR, pool });
    const loaded = await loadInputs({ editionDirs: [summary.editionsDir] });
    expect(loaded.skipped).toEqual([]);
    expect(loaded.editions).toBe(summary.editions);
    expect(Math.abs(loaded.articles.length - summary.articles)).toBeLessThanOrEqual(
      Math.ceil(summary.articles * 0.05),
    );
    for (const article of loaded.articles) {
      expect(article.source).toBe(`${article.date ?? ""}_${article.paper}.txt`);
      expect(["澄湖日报", "柳浦日报"]).toContain(article.paper);
    }
  });

  it("writes questions whose headline and evidence are in the parsed edition they name", async () => {
    const dir = tempDir();
    const summary = writeCorpus({ ...OPTIONS, outDir: dir, repoDir: REPO_DIR, pool });
    const loaded = await loadInputs({ editionDirs: [summary.editionsDir] });
    const questions = fs
      .readFileSync(summary.questionsFile, "utf8")
      .trim()
      .split("\n")
      .map(
        (l) =>
          JSON.parse(l) as { question: string; file: string; headline: string; evidence: string },
      );
    expect(questions.length).toBeGreaterThan(0);
    const squash = (s: string): string => s.replace(/\s+/gu, "");
    let found = 0;
    for (const q of questions) {
      const article = loaded.articles.find((a) => a.source === q.file && a.headline === q.headline);
      if (article && squash(article.paragraphs.join("")).includes(squash(q.evidence))) found++;
      expect(q.question).toMatch(/(?:多少|谁).*\?$/u);
    }
    expect(found / questions.length).toBeGreaterThanOrEqual(0.9);
  });

  it("stops at exactly --articles and writes the following edition apart", () => {
    const dir = tempDir();
    const summary = writeCorpus({
      ...OPTIONS,
      years: 1,
      outDir: dir,
      repoDir: REPO_DIR,
      pool,
      maxArticles: 50,
    });
    expect(summary.articles).toBe(50);
    expect(readCorpusSummary(dir)?.articles).toBe(50);
    const editions = fs.readdirSync(summary.editionsDir).sort();
    expect(editions).not.toContain(path.basename(summary.nextEditionFile));
    const nextDate = path.basename(summary.nextEditionFile).slice(0, 10);
    expect(nextDate >= summary.lastDate).toBe(true);
    expect(editions.every((name) => name.slice(0, 10) <= nextDate)).toBe(true);
  });

  it("refuses to write inside the repository and says how to fix it", () => {
    expect(() =>
      writeCorpus({
        ...OPTIONS,
        outDir: path.join(REPO_DIR, "data", "corpus"),
        repoDir: REPO_DIR,
        pool,
      }),
    ).toThrow(/inside the repository.*--out \/tmp/su);
    expect(fs.existsSync(path.join(REPO_DIR, "data", "corpus"))).toBe(false);
  });

  it("refuses a non-empty folder that holds no previous corpus", () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, "notes.txt"), "keep me");
    expect(() => writeCorpus({ ...OPTIONS, outDir: dir, repoDir: REPO_DIR, pool })).toThrow(
      /not empty/u,
    );
    expect(fs.readFileSync(path.join(dir, "notes.txt"), "utf8")).toBe("keep me");
  });
});

describe("loadSentencePool", () => {
  it("fails with the missing path and the fix when the shared material is absent", () => {
    const missing = path.join(tempDir(), "shared");
    expect(() => loadSentencePool(missing)).toThrow(/SHARED_DIR/u);
  });
});
