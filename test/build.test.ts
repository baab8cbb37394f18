import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NODE_FLAGS, buildBundles } from "../src/build.js";
import { FIRST_ANSWER_LINE, RESULT_PREFIX, type ChildJob } from "../src/bench/phases.js";
import { ROOT_DIR, SAMPLE_EDITIONS_DIR } from "../src/config.js";

/** The bundles `npm start` runs, built into a scratch folder inside the repository. */
describe("the bundled bot", () => {
  let out: string;
  let scratch: string;
  beforeAll(async () => {
    await mkdir(path.join(ROOT_DIR, ".tmp"), { recursive: true });
    out = await mkdtemp(path.join(ROOT_DIR, ".tmp", "bundle-"));
    scratch = await mkdtemp(path.join(ROOT_DIR, ".tmp", "bundle-index-"));
    await buildBundles(out, { "index-in-worker": "test/fixtures/index-in-worker.ts" });
  }, 60_000);
  afterAll(async () => {
    await rm(out, { recursive: true, force: true });
    await rm(scratch, { recursive: true, force: true });
  });

  it("indexes the samples and answers a question with a citation, run by plain node", () => {
    const run = spawnSync(process.execPath, [...NODE_FLAGS, path.join(out, "main.mjs")], {
      input: "那个做记忆棉床垫的公司叫啥?\n",
      encoding: "utf8",
      env: {
        PATH: process.env.PATH,
        INDEX_DIR: path.join(scratch, "index"),
        EDITIONS_DIR: SAMPLE_EDITIONS_DIR,
      },
      timeout: 60_000,
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain("浙江高裕家居科技股份有限公司");
    expect(run.stdout).toMatch(/\[1\] 嘉兴日报 2026年3月7日/u);
  });

  it("is what npm start runs, with the flags the bench's serving phases use", async () => {
    const pkg = JSON.parse(await readFile(path.join(ROOT_DIR, "package.json"), "utf8")) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts.start).toContain(`node ${NODE_FLAGS.join(" ")} dist/main.mjs`);
  });

  it("runs an index job on its worker thread from the bundle", () => {
    const run = spawnSync(
      process.execPath,
      [
        path.join(out, "index-in-worker.mjs"),
        path.join(scratch, "worker-index"),
        SAMPLE_EDITIONS_DIR,
      ],
      { encoding: "utf8", timeout: 60_000 },
    );
    expect(run.status, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as { articles: number; chunks: number };
    expect(summary.articles).toBeGreaterThan(30);
    expect(summary.chunks).toBeGreaterThan(summary.articles);
  });

  it("runs a bench phase from the phase child's bundle: first answer, then the result line", async () => {
    // The index the first test built (scratch/index) is the phase's index (OUR_INDEX).
    const questionsFile = path.join(scratch, "questions.json");
    await writeFile(questionsFile, JSON.stringify(["那个做记忆棉床垫的公司叫啥?"]));
    const job: ChildJob = {
      phase: "ours-restart",
      editionsDir: SAMPLE_EDITIONS_DIR,
      nextEditionFile: "",
      workDir: scratch,
      questionsFile,
      dataDir: path.join(ROOT_DIR, "data"),
    };
    const jobFile = path.join(scratch, "job.json");
    await writeFile(jobFile, JSON.stringify(job));
    const run = spawnSync(
      process.execPath,
      [...NODE_FLAGS, path.join(out, "bench-phase.mjs"), jobFile],
      {
        encoding: "utf8",
        timeout: 60_000,
      },
    );
    expect(run.status, run.stderr).toBe(0);
    const lines = run.stdout.trim().split("\n");
    expect(lines[0]).toBe(FIRST_ANSWER_LINE);
    expect(lines[1]?.startsWith(RESULT_PREFIX)).toBe(true);
    const result = JSON.parse(lines[1]!.slice(RESULT_PREFIX.length)) as {
      openMs: number;
      maxRssMb: number;
    };
    expect(result.openMs).toBeGreaterThan(0);
    expect(result.maxRssMb).toBeGreaterThan(0);
  });

  it("fails a phase child with the reason when its job names no phase", async () => {
    const jobFile = path.join(scratch, "bad-job.json");
    await writeFile(jobFile, JSON.stringify({ phase: "no-such-phase" }));
    const run = spawnSync(process.execPath, [path.join(out, "bench-phase.mjs"), jobFile], {
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('unknown bench phase "no-such-phase"');
  });
});
