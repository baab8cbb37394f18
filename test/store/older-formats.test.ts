import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/store/durable-fs.js";
import { openIndex, writeIndex } from "../../src/store/index.js";
import { decodeCatalog } from "../../src/store/segment-format.js";
import { tokenize } from "../../src/text/segment.js";
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
 * Rewrites the live snapshot as indexes were written before packed catalogs and edition
 * columns: `catalog.json` with plain lists, `manifest.json` with edition objects, and the
 * checksums that cover them up to CURRENT.
 */
async function toPlainJson(dir: string): Promise<void> {
  await rewriteLiveSnapshot(dir, async (segment, meta) => {
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
  });
  const [name = ""] = (await readFile(join(dir, "CURRENT"), "utf8")).trim().split(" ");
  const manifest = await readFile(join(dir, "snapshots", name, "manifest.json"), "utf8");
  expect(manifest).toContain('"editions":[{');
}

describe("indexes written before packed catalogs and edition columns", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempIndexDir()));
  afterEach(() => cleanup());

  it("open and answer as before, and take new editions", async () => {
    const embedder = testEmbedder();
    await writeIndex(combine(EDITION_A, EDITION_B), { indexDir: dir, embedder });
    const query = await embedder.embedQuery("樱花开放");
    const terms = tokenize("独山港区集装箱");
    const observe = async (): Promise<unknown> => {
      const index = await openIndex(dir, testEmbedder());
      try {
        const [edition] = index.manifest.editions;
        const ids = index.articleIdsOfEdition?.(edition?.editionId ?? "") ?? [];
        return {
          editions: index.manifest.editions,
          vector: index.searchVector(query, 5).map((h) => h.chunkIndex),
          lexical: index.searchLexical(terms, 5),
          ids,
          headlines: ids.map((id) => index.getArticle(id)?.headline),
          chunkArticle: Array.from({ length: index.chunkCount }, (_, c) =>
            index.articleIdOfChunk(c),
          ),
        };
      } finally {
        index.close();
      }
    };
    const packed = await observe();
    await toPlainJson(dir);
    expect(await observe()).toEqual(packed);

    await writeIndex(combine(EDITION_A, EDITION_B, EDITION_C), {
      indexDir: dir,
      embedder: testEmbedder(),
    });
    const index = await openIndex(dir, testEmbedder());
    try {
      expect(index.manifest.editions.map((e) => e.editionId)).toEqual(
        combine(EDITION_A, EDITION_B, EDITION_C)
          .articles.map((a) => a.editionId)
          .filter((id, i, all) => all.indexOf(id) === i),
      );
      const [top] = index.searchLexical(tokenize("独山港区集装箱吞吐量"), 1);
      expect(index.chunkAt(top?.chunkIndex ?? -1).headline).toBe("独山港区集装箱吞吐量创新高");
    } finally {
      index.close();
    }
  });
});
