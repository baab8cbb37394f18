import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { wrapBlock } from "../../src/corpus/hard-wrap.js";
import { createRng } from "../../src/corpus/prng.js";
import { REPO_DIR } from "../helpers/paths.js";

describe("createRng", () => {
  it("repeats its sequence for the same seed and keys, and differs for other keys", () => {
    const draw = (seed: number, ...keys: number[]): number[] => {
      const rng = createRng(seed, ...keys);
      return Array.from({ length: 5 }, () => rng.int(0, 1_000_000));
    };
    expect(draw(1, 2, 3)).toEqual(draw(1, 2, 3));
    expect(draw(1, 2, 4)).not.toEqual(draw(1, 2, 3));
    expect(draw(2, 2, 3)).not.toEqual(draw(1, 2, 3));
  });

  it("keeps int within its bounds, both included", () => {
    const rng = createRng(5);
    const seen = new Set(Array.from({ length: 500 }, () => rng.int(3, 5)));
    expect([...seen].sort()).toEqual([3, 4, 5]);
  });
});

describe("wrapBlock", () => {
  it("wraps body text at the width and never starts a line with closing punctuation", () => {
    const text = "一二三四五六七八九十，一二三四五六七八九十。“一二三四五六七八九十”";
    const lines = wrapBlock({ lines: [text], wrap: true }, 10).split("\n");
    expect(lines).toEqual([
      "一二三四五六七八九十，",
      "一二三四五六七八九十。",
      "“一二三四五六七八九",
      "十”",
    ]);
    expect(lines.join("")).toBe(text);
  });

  it("prints headline and credit blocks as they are", () => {
    expect(wrapBlock({ lines: ["一二三四五六七八九十一二", "■记者 王伟"], wrap: false }, 5)).toBe(
      "一二三四五六七八九十一二\n■记者 王伟",
    );
  });
});

describe("npm run make-corpus", () => {
  it("exits with an English error and the fix when --out is inside the repository", () => {
    const out = path.join(REPO_DIR, "data", "generated-corpus");
    const run = spawnSync(
      process.execPath,
      [
        "--import",
        "tsx",
        path.join(REPO_DIR, "scripts", "make-corpus.ts"),
        "--out",
        out,
        "--years",
        "0.01",
      ],
      { cwd: REPO_DIR, encoding: "utf8" },
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/inside the repository.*Write the corpus outside it/su);
  });
});
