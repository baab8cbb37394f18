import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fileSource, memorySource, mergeRanges } from "../../src/store/byte-source.js";

describe("mergeRanges", () => {
  it("sorts, clips to the file and merges ranges that overlap or touch", () => {
    expect(
      mergeRanges(
        [
          [500, 100],
          [0, 10],
          [10, 5],
          [540, 100],
          [990, 50],
          [2000, 10],
          [300, 0],
          [-5, 3],
        ],
        1000,
      ),
    ).toEqual([
      [0, 15],
      [500, 140],
      [990, 10],
    ]);
    expect(mergeRanges([], 1000)).toEqual([]);
  });
});

describe("fileSource.prefetch", () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), "byte-source-"))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("reads ahead, leaves what is read unchanged, and resolves once the file is closed too", async () => {
    const bytes = randomBytes(100_000);
    const path = join(dir, "rows.f32");
    await writeFile(path, bytes);
    const source = fileSource(path);
    await source.prefetch?.([
      [0, 4096],
      [50_000, 20_000],
      [99_000, 5_000],
    ]);
    expect(Buffer.from(source.read(50_000, 20_000))).toEqual(bytes.subarray(50_000, 70_000));
    expect(Buffer.from(source.read(99_000, 1_000))).toEqual(bytes.subarray(99_000));
    const pending = source.prefetch?.([[0, 100_000]]);
    source.close();
    await expect(pending).resolves.toBeUndefined();
    await expect(source.prefetch?.([[0, 10]])).resolves.toBeUndefined();
  });

  it("is absent where the bytes are already in memory", () => {
    expect(memorySource(new Uint8Array(4)).prefetch).toBeUndefined();
  });
});
