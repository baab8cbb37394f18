import { spawn } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_DIR } from "../helpers/paths.js";
import { FORMATS_DIR } from "../ingest/readers/formats.js";

const TSX = path.join(REPO_DIR, "node_modules", ".bin", "tsx");

let tmp: string;
beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), "lnb-watch-"));
});
afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

describe("npm run index -- --watch", () => {
  it("indexes a file dropped in a watched folder, then stops on SIGINT", async () => {
    const editions = path.join(tmp, "inbox");
    await fs.mkdir(editions);
    await fs.copyFile(path.join(FORMATS_DIR, "article-gbk.html"), path.join(editions, "a1.html"));
    const child = spawn(
      TSX,
      ["scripts/index.ts", "--editions", editions, "--index", path.join(tmp, "index"), "--watch"],
      { cwd: REPO_DIR, env: { ...process.env, TELEGRAM_BOT_TOKEN: "" } },
    );
    let stdout = "";
    const waiters: { pattern: RegExp; resolve: () => void }[] = [];
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
      for (const w of waiters.filter((w) => w.pattern.test(stdout))) w.resolve();
    });
    const closed = new Promise<number>((resolve) => child.on("close", (c) => resolve(c ?? -1)));
    const seen = (pattern: RegExp): Promise<void> =>
      pattern.test(stdout)
        ? Promise.resolve()
        : new Promise((resolve) => waiters.push({ pattern, resolve }));

    await seen(/watching:/u);
    expect(stdout).toMatch(/editions:\s+1 \(added 1/u);
    await fs.copyFile(path.join(FORMATS_DIR, "edition-a2.docx"), path.join(editions, "a2.docx"));
    await seen(/changed:.*a2\.docx[\s\S]*editions:\s+2 \(added 1, changed 0, removed 0\)/u);
    await fs.copyFile(path.join(FORMATS_DIR, "scan.pdf"), path.join(editions, "scan.pdf"));
    await seen(/changed:.*scan\.pdf[\s\S]*scan\.pdf: the PDF holds only images/u);
    child.kill("SIGINT");
    expect(await closed).toBe(0);
  }, 60_000);
});
