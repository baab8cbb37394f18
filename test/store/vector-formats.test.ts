import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/store/durable-fs.js";
import { openIndex, writeIndex } from "../../src/store/index.js";
import type { SegmentMeta } from "../../src/store/segment-format.js";
import { VectorIndex } from "../../src/store/vectors.js";
import { blockTable, storeBlockTable } from "../../src/store/verified-source.js";
import {
  EDITION_A,
  EDITION_B,
  EDITION_C,
  combine,
  rewriteLiveSnapshot,
  tempIndexDir,
  testEmbedder,
} from "./fixtures.js";

/**
 * Rewrites the live snapshot's only segment as segments were written before the compact vector
 * format: an hnswlib graph of the same vectors instead of rows and codes, and the checksums that
 * cover it up to CURRENT.
 */
async function toGraphSegment(dir: string): Promise<void> {
  const manifest = await rewriteLiveSnapshot(dir, async (segment, meta) => {
    const bytes = await readFile(join(segment, "vectors.f32"));
    const rows = new Float32Array(new Uint8Array(bytes).buffer);
    await VectorIndex.build(rows, meta.chunks, meta.embedder.dimensions).write(
      join(segment, "vectors.hnsw"),
    );
    const graph = await readFile(join(segment, "vectors.hnsw"));
    for (const file of ["vectors.f32", "vectors.codes"]) {
      await rm(join(segment, file));
      delete meta.checksums[file];
      delete meta.blocks?.[file];
    }
    meta.checksums["vectors.hnsw"] = sha256Hex(graph);
    if (meta.blocks) meta.blocks["vectors.hnsw"] = storeBlockTable(blockTable(graph));
  });
  expect(manifest.segments).toHaveLength(1);
}

describe("indexes holding segments of the older hnswlib format", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempIndexDir()));
  afterEach(() => cleanup());

  it("open and search as before, and take new editions in compact segments beside them", async () => {
    const embedder = testEmbedder();
    await writeIndex(combine(EDITION_A, EDITION_B), { indexDir: dir, embedder });
    const query = await embedder.embedQuery("樱花开放");
    const compact = await openIndex(dir, testEmbedder());
    const expected = compact.searchVector(query, 5);
    compact.close();

    await toGraphSegment(dir);
    const old = await openIndex(dir, testEmbedder());
    try {
      const hits = old.searchVector(query, 5);
      expect(hits.map((h) => h.chunkIndex)).toEqual(expected.map((h) => h.chunkIndex));
      hits.forEach((h, i) => expect(h.score).toBeCloseTo(expected[i]?.score ?? NaN, 5));
    } finally {
      old.close();
    }

    await writeIndex(combine(EDITION_A, EDITION_B, EDITION_C), {
      indexDir: dir,
      embedder: testEmbedder(),
    });
    const mixed = await openIndex(dir, testEmbedder());
    try {
      const [older, newer] = mixed.manifest.segments.map((s) => join(dir, "segments", s.name));
      const meta = async (segment = ""): Promise<SegmentMeta> =>
        JSON.parse(await readFile(join(segment, "segment.json"), "utf8")) as SegmentMeta;
      expect(Object.keys((await meta(older)).checksums)).toContain("vectors.hnsw");
      expect(Object.keys((await meta(newer)).checksums)).toContain("vectors.codes");
      const port = await testEmbedder().embedQuery("独山港区集装箱吞吐量");
      const [top] = mixed.searchVector(port, 3);
      expect(mixed.chunkAt(top?.chunkIndex ?? -1).headline).toBe("独山港区集装箱吞吐量创新高");
    } finally {
      mixed.close();
    }
  });
});
