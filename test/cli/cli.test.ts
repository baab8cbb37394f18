import { execFile } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_DIR, SAMPLE_EDITIONS, sharedDir } from "../helpers/paths.js";

const TSX = path.join(REPO_DIR, "node_modules", ".bin", "tsx");

/** Runs a CLI with the given args and stdin; resolves with stdout/stderr even on a non-zero exit. */
async function cli(
  script: string,
  args: string[],
  options: { input?: string; env?: Record<string, string> } = {},
): Promise<{ stdout: string; stderr: string; code: number }> {
  const child = execFile(TSX, [script, ...args], {
    cwd: REPO_DIR,
    env: { ...process.env, TELEGRAM_BOT_TOKEN: "", ...options.env },
    maxBuffer: 32 * 1024 * 1024,
  });
  if (options.input !== undefined) child.stdin?.end(options.input);
  else child.stdin?.end();
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number>((resolve) => child.on("close", (c) => resolve(c ?? -1)));
  return { stdout, stderr, code };
}

let tmp: string;
let indexDir: string;

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), "lnb-cli-"));
  indexDir = path.join(tmp, "index");
});
afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

describe("CLIs end to end", () => {
  it("indexes the sample editions and prints a summary, reporting a bad file by name", async () => {
    const editions = path.join(tmp, "editions");
    await fs.cp(SAMPLE_EDITIONS, editions, { recursive: true });
    await fs.writeFile(
      path.join(editions, "broken.txt"),
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1, 2]),
    );
    const { stdout, code } = await cli("scripts/index.ts", [
      "--editions",
      editions,
      "--index",
      indexDir,
    ]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/editions:\s+5/u);
    expect(stdout).toMatch(/articles:\s+\d+/u);
    expect(stdout).toMatch(/chunks:\s+\d+/u);
    expect(stdout).toContain("broken.txt");
    expect(stdout).toMatch(/seconds:\s+[\d.]+/u);
  });

  it("answers a question with the fact and a cited source", async () => {
    const { stdout, code } = await cli("scripts/ask.ts", [
      "--index",
      indexDir,
      "阿里巴巴长三角智能计算基地总投资多少?",
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain("143亿元");
    expect(stdout).toMatch(/\[1\]/u);
    expect(stdout).toContain("嘉兴日报");
  });

  it("prints one JSON object with --json", async () => {
    const { stdout } = await cli("scripts/ask.ts", [
      "--index",
      indexDir,
      "--json",
      "平湖现在一共有多少户经营主体?",
    ]);
    const obj = JSON.parse(stdout) as {
      answer: string;
      citations: { paper: string; text: string }[];
      passages: unknown[];
    };
    expect(obj.answer).toContain("7.62万户");
    expect(obj.citations[0]?.paper).toBe("平湖日报");
    expect(obj.citations[0]?.text).toContain("7.62万户");
    expect(obj.passages.length).toBeLessThanOrEqual(10);
  });

  it("answers JSONL questions in order, one object per line", async () => {
    const input = [
      JSON.stringify({ question: "平湖设立的人工智能专项基金总规模多少?" }),
      "not json",
      JSON.stringify({ question: "桐乡今年一季度有多少个重大项目集中开工?" }),
    ].join("\n");
    const { stdout, code } = await cli("scripts/ask.ts", ["--index", indexDir, "--jsonl"], {
      input,
    });
    expect(code).toBe(0);
    const lines = stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(3);
    expect(lines[0]?.question).toBe("平湖设立的人工智能专项基金总规模多少?");
    expect(String(lines[0]?.answer)).toContain("3亿元");
    expect(lines[1]?.error).toMatch(/line 2/u);
    expect(lines[2]?.abstained).toBe(true);
  });

  it("refuses an index built with another embedder and says how to rebuild", async () => {
    const { stderr, code } = await cli(
      "scripts/ask.ts",
      ["--index", indexDir, "平湖有多少户经营主体?"],
      {
        env: { EMBEDDING_MODEL: "hashed-ngram-v1-d64" },
      },
    );
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/npm run index/u);
  });

  it("npm start builds the index when missing and answers piped questions until end of input", async () => {
    const startIndex = path.join(tmp, "start-index");
    const { stdout, stderr, code } = await cli("src/main.ts", [], {
      input: "阿里巴巴长三角智能计算基地总投资多少?\n\n平湖现在一共有多少户经营主体?\n",
      env: { INDEX_DIR: startIndex },
    });
    expect(code).toBe(0);
    expect(stdout).toContain("143亿元");
    expect(stdout).toContain("嘉兴日报");
    expect(stdout).toContain("7.62万户");
    expect(stderr).toContain("TELEGRAM_BOT_TOKEN");
    await expect(fs.stat(path.join(startIndex, "CURRENT"))).resolves.toBeTruthy();
  });

  it("evaluates the dev questions and prints the measures", async () => {
    const shared = sharedDir();
    const { stdout, code } = await cli("scripts/eval.ts", [
      "--questions",
      path.join(shared, "eval", "dev.jsonl"),
      "--index",
      indexDir,
    ]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/hit@1/u);
    expect(stdout).toMatch(/^all\s+45\s/mu);
  });
});
