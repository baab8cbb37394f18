import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { evictFromPageCache, filesUnder } from "../../src/bench/page-cache.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lnb-page-cache-"));
  dirs.push(dir);
  return dir;
}

/** Resident bytes of `file` by util-linux's fincore, or undefined where it cannot tell. */
function residentBytes(file: string): number | undefined {
  const run = spawnSync("fincore", ["--bytes", "--noheadings", "--output", "RES", file], {
    encoding: "utf8",
  });
  const bytes = Number(run.stdout?.trim());
  return run.status === 0 && Number.isFinite(bytes) ? bytes : undefined;
}

/** The file system type of `dir` (stat -f), or undefined. */
function fileSystem(dir: string): string | undefined {
  const run = spawnSync("stat", ["-f", "-c", "%T", dir], { encoding: "utf8" });
  return run.status === 0 ? run.stdout.trim() : undefined;
}

describe("filesUnder", () => {
  it("lists the regular files of a tree in a stable order, and nothing for a missing path", () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, "b"));
    fs.writeFileSync(path.join(dir, "b", "x.bin"), "x");
    fs.writeFileSync(path.join(dir, "a.json"), "{}");
    expect(filesUnder(dir)).toEqual([path.join(dir, "a.json"), path.join(dir, "b", "x.bin")]);
    expect(filesUnder(path.join(dir, "a.json"))).toEqual([path.join(dir, "a.json")]);
    expect(filesUnder(path.join(dir, "missing"))).toEqual([]);
  });
});

describe("evictFromPageCache", () => {
  it("drops a file just written and read from the page cache", () => {
    const dir = tempDir();
    const file = path.join(dir, "store.bin");
    fs.writeFileSync(file, Buffer.alloc(4 << 20, 7));
    fs.readFileSync(file);
    const before = residentBytes(file);
    const eviction = evictFromPageCache([dir]);
    if (process.platform !== "linux") {
      expect(eviction).toEqual({ unsupported: expect.stringContaining("not on Linux") });
      return;
    }
    expect(eviction).toEqual({ files: 1, bytes: 4 << 20 });
    // Where fincore can tell, the pages are gone (tmpfs keeps them: they are the file).
    const fs_ = fileSystem(dir);
    if (before === undefined || before === 0 || fs_ === undefined || fs_ === "tmpfs") return;
    expect(residentBytes(file)).toBeLessThan(before / 4);
  });

  it("counts nothing for paths that do not exist", () => {
    const eviction = evictFromPageCache([path.join(tempDir(), "none")]);
    if (process.platform === "linux") expect(eviction).toEqual({ files: 0, bytes: 0 });
  });
});
