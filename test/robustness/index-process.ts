/**
 * Index jobs in child processes (test/robustness/fixtures/index-child.ts), for the crash and
 * disk-full tests, plus the editions they index.
 */
import { spawn } from "node:child_process";
import { mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { SAMPLE_EDITIONS } from "../helpers/paths.js";

const REPORTERS = ["沈晓岚", "钱一鸣", "周以安", "吴清禾", "顾南星", "许知远"];
const CHILD = path.join(import.meta.dirname, "fixtures", "index-child.ts");

/** How a child index job ended. */
export interface ChildOutcome {
  /** Exit code, or null when a signal ended it. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Milliseconds from "loaded" (modules ready, job starting) to the end. */
  workMs: number;
}

/** Options of one child run. */
export interface ChildRun {
  indexDir: string;
  full: boolean;
  editionDirs: readonly string[];
  /** SIGKILL the child this many ms after it reported "loaded". */
  killAfterMs?: number;
  /** Run under `ulimit -f` with this many KiB: writes past it fail (EFBIG), like a full disk. */
  fileSizeLimitKiB?: number;
}

/** Runs one index job in a child process and resolves when it has ended, however it ended. */
export function runIndexChild(run: ChildRun): Promise<ChildOutcome> {
  const args = [
    "--import",
    "tsx",
    CHILD,
    run.indexDir,
    run.full ? "full" : "incremental",
    ...run.editionDirs,
  ];
  const child =
    run.fileSizeLimitKiB === undefined
      ? spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] })
      : spawn(
          "bash",
          ["-c", `ulimit -f ${run.fileSizeLimitKiB} && exec "$0" "$@"`, process.execPath, ...args],
          { stdio: ["ignore", "pipe", "pipe"] },
        );
  let stdout = "";
  let stderr = "";
  let loadedAt: number | undefined;
  child.stdout.on("data", (data: Buffer) => {
    stdout += data.toString("utf8");
    if (loadedAt === undefined && stdout.includes("loaded\n")) {
      loadedAt = Date.now();
      if (run.killAfterMs !== undefined) {
        setTimeout(() => child.kill("SIGKILL"), run.killAfterMs);
      }
    }
  });
  child.stderr.on("data", (data: Buffer) => (stderr += data.toString("utf8")));
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code, signal) =>
      resolve({ code, signal, stdout, stderr, workMs: Date.now() - (loadedAt ?? Date.now()) }),
    );
  });
}

/**
 * Writes `count` editions derived from the samples into `dir`: each sample with its digits
 * shifted and a lead article of its own, so that every chunk is new to the embedder. Returns the
 * file names.
 */
export async function writeVariantEditions(dir: string, count: number): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const samples = (await readdir(SAMPLE_EDITIONS)).filter((f) => f.endsWith(".txt")).sort();
  const names: string[] = [];
  for (let n = 1; n <= count; n++) {
    const sample = samples[(n - 1) % samples.length] ?? "";
    const text = (await readFile(path.join(SAMPLE_EDITIONS, sample), "utf8")).replace(/\d/gu, (d) =>
      String((Number(d) + n) % 10),
    );
    const reporter = REPORTERS[(n - 1) % REPORTERS.length] ?? "王明";
    const lead = `第${n}期特别报道\n\n■记者 ${reporter}\n\n本报讯 这是第${n}期变体版面的专门报道，编号${n}。\n\n`;
    const name = `2024-01-${String(n).padStart(2, "0")}_变体日报.txt`;
    await writeFile(path.join(dir, name), lead + text);
    names.push(name);
  }
  return names;
}
