import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { IndexError } from "../../src/errors.js";
import { sha256Hex } from "../../src/store/durable-fs.js";
import { INDEX_FORMAT_VERSION, openIndex, writeIndex } from "../../src/store/embedded.js";
import { decodeCatalog } from "../../src/store/segment-format.js";
import type { SegmentMeta } from "../../src/store/segment-format.js";
import { EDITION_A, EDITION_B, combine, tempIndexDir, testEmbedder } from "./fixtures.js";

/** The live snapshot's folder name and its manifest, parsed as stored. */
async function liveManifest(
  dir: string,
): Promise<{ name: string; stored: Record<string, unknown> }> {
  const [name = ""] = (await readFile(join(dir, "CURRENT"), "utf8")).trim().split(" ");
  const file = join(dir, "snapshots", name, "manifest.json");
  return { name, stored: JSON.parse(await readFile(file, "utf8")) as Record<string, unknown> };
}

/** Writes a manifest for the live snapshot and points CURRENT at it, checksum and all. */
async function replaceManifest(dir: string, name: string, manifest: unknown): Promise<void> {
  const bytes = Buffer.from(JSON.stringify(manifest));
  await writeFile(join(dir, "snapshots", name, "manifest.json"), bytes);
  await writeFile(join(dir, "CURRENT"), `${name} ${sha256Hex(bytes)}\n`);
}

/**
 * Rewrites the live snapshot's one segment with `change` (its files and parsed `segment.json`),
 * then brings the checksums up to CURRENT, as an older writer would have left them consistent.
 */
async function rewriteSegment(
  dir: string,
  change: (segment: string, meta: SegmentMeta) => Promise<void>,
): Promise<void> {
  const { name, stored } = await liveManifest(dir);
  const segments = stored.segments as { name: string; sha256: string }[];
  for (const entry of segments) {
    const segment = join(dir, "segments", entry.name);
    const meta = JSON.parse(await readFile(join(segment, "segment.json"), "utf8")) as SegmentMeta;
    await change(segment, meta);
    const metaBytes = Buffer.from(JSON.stringify(meta));
    await writeFile(join(segment, "segment.json"), metaBytes);
    entry.sha256 = sha256Hex(metaBytes);
  }
  await replaceManifest(dir, name, stored);
}

async function refusal(opening: Promise<unknown>): Promise<IndexError> {
  const error = await opening.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(IndexError);
  return error as IndexError;
}

describe("one on-disk format for the embedded index", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempIndexDir()));
  afterEach(() => cleanup());

  it("refuses an index of the previous format with the rebuild command, and an index run rebuilds it", async () => {
    await writeIndex(combine(EDITION_A, EDITION_B), { indexDir: dir, embedder: testEmbedder() });
    const { name, stored } = await liveManifest(dir);
    await replaceManifest(dir, name, { ...stored, formatVersion: INDEX_FORMAT_VERSION - 1 });

    const error = await refusal(openIndex(dir, testEmbedder()));
    expect(error.code).toBe("INDEX_VERSION");
    expect(error.message).toContain(`format version ${INDEX_FORMAT_VERSION - 1}`);
    expect(error.message).toContain("Rebuild it: npm run index -- --full");

    const rebuilt = await writeIndex(combine(EDITION_A, EDITION_B), {
      indexDir: dir,
      embedder: testEmbedder(),
    });
    expect(rebuilt.fullRebuildReason).toContain(`format version ${INDEX_FORMAT_VERSION - 1}`);
    expect(rebuilt.embedded).toBe(rebuilt.chunks);
    const index = await openIndex(dir, testEmbedder());
    expect(index.manifest.counts.chunks).toBe(rebuilt.chunks);
    index.close();
  });

  it("refuses a manifest that lists editions as objects, as older indexes did", async () => {
    await writeIndex(EDITION_A, { indexDir: dir, embedder: testEmbedder() });
    const { name, stored } = await liveManifest(dir);
    const index = await openIndex(dir, testEmbedder());
    const editions = index.manifest.editions;
    index.close();
    const older: Record<string, unknown> = { ...stored, editions };
    delete older.editionColumns;
    await replaceManifest(dir, name, older);

    const error = await refusal(openIndex(dir, testEmbedder()));
    expect(error.code).toBe("INDEX_CORRUPT");
    expect(error.message).toContain("edition columns");
    expect(error.message).toContain("npm run index -- --full");
  });

  it("refuses a segment whose catalog holds plain lists, as older segments did", async () => {
    await writeIndex(EDITION_A, { indexDir: dir, embedder: testEmbedder() });
    await rewriteSegment(dir, async (segment, meta) => {
      const catalog = decodeCatalog(await readFile(join(segment, "catalog.json")));
      const plain = Buffer.from(
        JSON.stringify({
          ids: Array.from({ length: catalog.ids.length }, (_, i) => catalog.ids.get(i)),
          editions: catalog.editions,
          editionOf: [...catalog.editionOf],
          chunkCounts: [...catalog.chunkCounts],
        }),
      );
      await writeFile(join(segment, "catalog.json"), plain);
      meta.checksums["catalog.json"] = sha256Hex(plain);
      delete meta.blocks["catalog.json"];
    });

    const error = await refusal(openIndex(dir, testEmbedder()));
    expect(error.code).toBe("INDEX_CORRUPT");
    expect(error.message).toContain("catalog.json ids are not packed");
    expect(error.message).toContain("npm run index -- --full");
  });

  it("refuses a segment without block tables or term records, as older segments were written", async () => {
    await writeIndex(EDITION_A, { indexDir: dir, embedder: testEmbedder() });
    await rewriteSegment(dir, (_segment, meta) => {
      delete (meta as Partial<SegmentMeta>).blocks;
      return Promise.resolve();
    });
    const noBlocks = await refusal(openIndex(dir, testEmbedder()));
    expect(noBlocks.message).toContain("lists no block tables");

    await writeIndex(EDITION_B, { indexDir: dir, embedder: testEmbedder(), full: true });
    await rewriteSegment(dir, (_segment, meta) => {
      delete meta.checksums["terms.rec"];
      delete meta.blocks["terms.rec"];
      return Promise.resolve();
    });
    const noTerms = await refusal(openIndex(dir, testEmbedder()));
    expect(noTerms.code).toBe("INDEX_CORRUPT");
    expect(noTerms.message).toContain("terms.rec");
    expect(noTerms.message).toContain("npm run index -- --full");
  });
});
