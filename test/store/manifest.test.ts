import { describe, expect, it } from "vitest";
import { IndexError } from "../../src/errors.js";
import { encodeManifest, parseManifest } from "../../src/store/manifest.js";
import { INDEX_FORMAT_VERSION, type IndexManifest } from "../../src/store/types.js";

const HASH = (c: string): string => c.repeat(64);

function manifest(): IndexManifest {
  return {
    formatVersion: INDEX_FORMAT_VERSION,
    embedder: { id: "hashed-ngram-v1", dimensions: 512 },
    createdAt: "2026-11-22T21:41:43.867Z",
    counts: { editions: 3, articles: 40, chunks: 71 },
    editions: [
      {
        editionId: "2026-03-07_嘉兴日报.txt",
        source: "2026-03-07_嘉兴日报.txt",
        paper: "嘉兴日报",
        date: "2026-03-07",
        articleCount: 17,
        chunkCount: 29,
        contentHash: HASH("a"),
        segment: "seg-1",
        sourceFile: {
          size: 17463,
          mtimeMs: 1795366573643.1018,
          metaHash: HASH("b"),
          bytesHash: HASH("c"),
        },
      },
      {
        editionId: "feed.jsonl#平湖日报/2026-03-08",
        source: "feed.jsonl",
        paper: "平湖日报",
        date: null,
        articleCount: 3,
        chunkCount: 2,
        contentHash: HASH("d"),
        segment: "seg-2",
      },
      {
        editionId: "𠀋.txt",
        source: "𠀋.txt",
        paper: "",
        date: "2026-03-09",
        articleCount: 20,
        chunkCount: 40,
        contentHash: "short",
        segment: "seg-1",
        sourceFile: { size: 0, mtimeMs: 0, metaHash: "", bytesHash: HASH("e") },
      },
    ],
    segments: [
      { name: "seg-1", sha256: HASH("f"), articles: 37, chunks: 69, deletedEditions: [] },
      { name: "seg-2", sha256: HASH("0"), articles: 3, chunks: 2, deletedEditions: ["x"] },
    ],
    checksums: { "embedder.state": HASH("1") },
  };
}

describe("manifest.json", () => {
  it("reads back every field it writes, in ASCII with the editions in columns", () => {
    const bytes = encodeManifest(manifest());
    expect(bytes.every((b) => b < 0x80)).toBe(true);
    const stored = JSON.parse(bytes.toString("utf8")) as Record<string, unknown>;
    expect(stored.editions).toBeUndefined();
    expect(stored.editionColumns).toBeDefined();
    expect(parseManifest(bytes, "/index/snapshots/s1")).toEqual(manifest());
  });

  it("refuses manifests with the editions as objects, as written before columns", () => {
    const bytes = Buffer.from(JSON.stringify(manifest()), "utf8");
    expect(() => parseManifest(bytes, "/index/snapshots/s1")).toThrow(
      /damaged edition columns\. Rebuild it: npm run index -- --full/u,
    );
  });

  it("refuses damaged columns as a corrupt index, with the fix", () => {
    const stored = JSON.parse(encodeManifest(manifest()).toString("utf8")) as {
      editionColumns: Record<string, unknown>;
    };
    const damaged = (column: string, value: unknown): Buffer =>
      Buffer.from(
        JSON.stringify({
          ...stored,
          editionColumns: { ...stored.editionColumns, [column]: value },
        }),
      );
    for (const [column, value] of [
      ["chunkCount", [1, 2]],
      ["paper", ["a", 2, "c"]],
      ["segmentOf", [0, 1, 2]],
      ["contentHash", { joined: "ab", ends: "AQAAAA==" }],
      ["sourceBytesHash", "nope"],
    ] as const) {
      const error = (() => {
        try {
          parseManifest(damaged(column, value), "/index/snapshots/s1");
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error, column).toBeInstanceOf(IndexError);
      expect((error as IndexError).code).toBe("INDEX_CORRUPT");
      expect((error as IndexError).message).toMatch(/edition columns.*npm run index -- --full/u);
    }
  });
});
