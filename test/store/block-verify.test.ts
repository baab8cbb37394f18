import { mkdir, readFile, rm, truncate, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { IndexError } from "../../src/errors.js";
import { openIndex, writeIndex } from "../../src/store/embedded.js";
import type { IndexManifest } from "../../src/store/embedded.js";
import { openSegments } from "../../src/store/open-index.js";
import { chunkDocumentText } from "../../src/store/records.js";
import { analyzeChunk, writeSegment } from "../../src/store/segment.js";
import { SnapshotIndex } from "../../src/store/snapshot-index.js";
import { DEFAULT_BLOCK_BYTES } from "../../src/store/verified-source.js";
import { tokenize } from "../../src/text/words.js";
import type { BuildInput } from "../../src/store/types.js";
import {
  EDITION_A,
  EDITION_B,
  EDITION_C,
  type Story,
  combine,
  edition,
  tempIndexDir,
  testEmbedder,
} from "./fixtures.js";

/** Small blocks, so that the fixtures' files span many of them. */
const BLOCK_BYTES = 256;
const FIX = "npm run index -- --full";

const PLACES = ["当湖街道", "钟埭街道", "新埭镇", "独山港镇", "广陈镇", "林埭镇", "曹桥街道"];
const THINGS = ["公共自行车", "菜市场", "老年食堂", "文化礼堂", "污水管网", "停车场", "口袋公园"];
const ACTS = ["完成改造", "正式开放", "启动建设", "通过验收", "增加投入", "接受检查", "征求意见"];

/** `count` distinct stories of two paragraphs, made from a few lists (deterministic). */
function stories(count: number): Story[] {
  return Array.from({ length: count }, (_, i) => {
    const place = PLACES[i % PLACES.length] ?? "";
    const thing = THINGS[(i * 3) % THINGS.length] ?? "";
    const act = ACTS[(i * 5) % ACTS.length] ?? "";
    return {
      headline: `${place}${thing}${act}(第${i}号)`,
      paragraphs: [
        `记者从${place}获悉,辖区${thing}项目${act},共投入资金${i + 3}十万元,惠及居民${i * 7 + 11}户。`,
        `${place}有关负责人表示,下一步将围绕${thing}继续${act},预计第${i % 4}季度全部完成。`,
      ],
    };
  });
}

/** Awaits or calls something that must throw IndexError INDEX_CORRUPT naming `file` and the fix. */
async function expectCorrupt(f: () => unknown, file: string): Promise<IndexError> {
  const error: unknown = await (async () => f())().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(IndexError);
  const indexError = error as IndexError;
  expect(indexError.code).toBe("INDEX_CORRUPT");
  expect(indexError.message).toContain(file);
  expect(indexError.message).toContain(FIX);
  return indexError;
}

/** Flips one bit of the byte at `at` in a file. */
async function flipByte(path: string, at: number): Promise<void> {
  const bytes = await readFile(path);
  bytes[at] = (bytes[at] ?? 0) ^ 0x01;
  await writeFile(path, bytes);
}

/** The byte range of record `i` in a record file (header, f64 offset table, records). */
function recordRange(bytes: Buffer, i: number): [number, number] {
  const count = bytes.readUInt32LE(8);
  const dataStart = 16 + (count + 1) * 8;
  return [
    dataStart + bytes.readDoubleLE(16 + i * 8),
    dataStart + bytes.readDoubleLE(16 + (i + 1) * 8),
  ];
}

const blockOf = (at: number): number => Math.floor(at / BLOCK_BYTES);
/** Whether a byte range touches block `b`. */
const touches = ([from, to]: [number, number], b: number): boolean =>
  blockOf(from) <= b && blockOf(to - 1) >= b;

/** The byte ranges of one term's postings in lexical.bin. */
interface Postings {
  ids: [number, number];
  freqs: [number, number];
}

/** Per term of lexical.bin: the byte ranges of its doc ids and term frequencies. */
function postingRanges(bytes: Buffer): { dictionaryEnd: number; terms: Map<string, Postings> } {
  const [docCount = 0, termCount = 0, postingCount = 0, blobBytes = 0] = [8, 12, 16, 20].map((o) =>
    bytes.readUInt32LE(o),
  );
  const termChars = 24 + docCount * 4;
  const postingStart = termChars + (termCount + 1) * 4;
  const blob = postingStart + (termCount + 1) * 4;
  const docIds = Math.ceil((blob + blobBytes) / 4) * 4;
  const termFreqs = docIds + postingCount * 4;
  const text = bytes.subarray(blob, blob + blobBytes).toString("utf8");
  const terms = new Map<string, Postings>();
  for (let t = 0; t < termCount; t++) {
    const term = text.slice(
      bytes.readUInt32LE(termChars + t * 4),
      bytes.readUInt32LE(termChars + (t + 1) * 4),
    );
    const start = bytes.readUInt32LE(postingStart + t * 4);
    const end = bytes.readUInt32LE(postingStart + (t + 1) * 4);
    terms.set(term, {
      ids: [docIds + start * 4, docIds + end * 4],
      freqs: [termFreqs + start * 2, termFreqs + end * 2],
    });
  }
  return { dictionaryEnd: blob + blobBytes, terms };
}

describe("segments verified as they are read", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let input: BuildInput;
  let segmentDir: string;
  let sha256: string;
  /** (Re)writes the test segment. */
  async function writeTestSegment(): Promise<void> {
    const embedder = testEmbedder();
    const rows = await embedder.embedDocuments(input.chunks.map(chunkDocumentText));
    const vectors = new Float32Array(rows.length * embedder.dimensions);
    rows.forEach((row, i) => vectors.set(row, i * embedder.dimensions));
    segmentDir = join(dir, "segments", "seg-test");
    await rm(segmentDir, { recursive: true, force: true });
    await mkdir(segmentDir, { recursive: true });
    sha256 = await writeSegment(
      segmentDir,
      {
        articles: input.articles,
        chunks: input.chunks,
        analysis: input.chunks.map(analyzeChunk),
        vectors,
        embedder: { id: embedder.id, dimensions: embedder.dimensions },
      },
      { blockBytes: BLOCK_BYTES },
    );
  }
  beforeEach(async () => {
    ({ dir, cleanup } = await tempIndexDir());
    input = combine(
      EDITION_A,
      EDITION_B,
      EDITION_C,
      edition("2024-03-04", "2024-03-04", stories(12)),
    );
    await writeTestSegment();
  });
  afterEach(() => cleanup());

  const entry = () => ({
    name: "seg-test",
    sha256,
    articles: input.articles.length,
    chunks: input.chunks.length,
    deletedEditions: [],
  });

  /** The segment opened as `openIndex` opens segments, seen as a snapshot. */
  async function open(): Promise<SnapshotIndex> {
    const segments = await openSegments(dir, [entry()], { verifyOnRead: true });
    const manifest: IndexManifest = {
      formatVersion: 0,
      embedder: { id: "test", dimensions: 64 },
      createdAt: "",
      counts: { editions: 4, articles: input.articles.length, chunks: input.chunks.length },
      editions: [],
      segments: [entry()],
      checksums: {},
    };
    return new SnapshotIndex("test", manifest, segments);
  }

  /** Flips a byte in the middle of record `victim` of a record file; its bytes before, and where. */
  async function damageRecord(
    file: string,
    victim: number,
  ): Promise<{ bytes: Buffer; at: number }> {
    const path = join(segmentDir, file);
    const bytes = await readFile(path);
    const range = recordRange(bytes, victim);
    const at = Math.floor((range[0] + range[1]) / 2);
    await flipByte(path, at);
    return { bytes, at };
  }

  it("reads every record of an undamaged segment", async () => {
    const index = await open();
    try {
      expect(input.chunks.map((_, i) => index.chunkAt(i).id)).toEqual(
        input.chunks.map((c) => c.id),
      );
      for (const article of input.articles) {
        expect(index.getArticle(article.id)?.paragraphs).toEqual(article.paragraphs);
      }
      expect(index.searchLexical(tokenize("樱花"), 1)).toHaveLength(1);
    } finally {
      index.close();
    }
  });

  it("refuses a damaged chunk record when it is read, and serves the chunks in other blocks", async () => {
    const victim = input.chunks.length - 3;
    const { bytes, at } = await damageRecord("chunks.rec", victim);
    const damaged = blockOf(at);

    const index = await open();
    try {
      const intact = input.chunks
        .map((_, i) => i)
        .filter((i) => !touches(recordRange(bytes, i), damaged));
      expect(intact.length).toBeGreaterThan(input.chunks.length / 2);
      for (const i of intact) expect(index.chunkAt(i).id).toBe(input.chunks[i]?.id);
      const error = await expectCorrupt(() => index.chunkAt(victim), "chunks.rec");
      expect(error.message).toContain(`block ${damaged}`);
      // Also when reached through its article, and again on a second try.
      await expectCorrupt(
        () => index.chunksOfArticle(input.chunks[victim]?.articleId ?? ""),
        "chunks.rec",
      );
      await expectCorrupt(() => index.chunkAt(victim), "chunks.rec");
    } finally {
      index.close();
    }
  });

  it("refuses a damaged article body when it is read, and serves the others", async () => {
    const victim = input.articles.length - 2;
    const { bytes, at } = await damageRecord("bodies.rec", victim);

    const index = await open();
    try {
      input.articles.forEach((article, i) => {
        if (!touches(recordRange(bytes, i), blockOf(at))) {
          expect(index.getArticle(article.id)?.paragraphs).toEqual(article.paragraphs);
        }
      });
      // Its metadata lives in articles.rec and is still served; its body is not.
      const article = index.getArticle(input.articles[victim]?.id ?? "");
      expect(article?.headline).toBe(input.articles[victim]?.headline);
      await expectCorrupt(() => article?.paragraphs, "bodies.rec");
    } finally {
      index.close();
    }
  });

  it("refuses a damaged article record when it is read, and serves the others", async () => {
    const victim = 3;
    const { bytes, at } = await damageRecord("articles.rec", victim);

    const index = await open();
    try {
      input.articles.forEach((article, i) => {
        if (!touches(recordRange(bytes, i), blockOf(at))) {
          expect(index.getArticle(article.id)?.headline).toBe(article.headline);
        }
      });
      await expectCorrupt(() => index.getArticle(input.articles[victim]?.id ?? ""), "articles.rec");
      await expectCorrupt(() => index.articles(), "articles.rec");
    } finally {
      index.close();
    }
  });

  it("refuses damaged postings when a search reads them, and searches other terms", async () => {
    const path = join(segmentDir, "lexical.bin");
    const { dictionaryEnd, terms } = postingRanges(await readFile(path));
    // A term whose doc ids lie past what opening reads, and one whose postings avoid that block.
    const read = [...terms].filter(([, p]) => blockOf(p.ids[0]) > blockOf(dictionaryEnd));
    const [victim = "", victimPostings] = read[Math.floor(read.length / 2)] ?? [];
    const at = victimPostings?.ids[0] ?? 0;
    const damaged = blockOf(at);
    const [other = ""] =
      [...terms].find(([, p]) => !touches(p.ids, damaged) && !touches(p.freqs, damaged)) ?? [];
    expect(victim).not.toBe("");
    expect(other).not.toBe("");
    await flipByte(path, at);

    const index = await open();
    try {
      expect(index.searchLexical([other], 5).length).toBeGreaterThan(0);
      const error = await expectCorrupt(() => index.searchLexical([victim], 5), "lexical.bin");
      expect(error.message).toContain(`block ${damaged}`);
    } finally {
      index.close();
    }
  });

  it("refuses a damaged record file at open when asked to verify every byte then", async () => {
    const path = join(segmentDir, "chunks.rec");
    await flipByte(path, (await readFile(path)).length - 5);
    await expectCorrupt(
      () => openSegments(dir, [entry()]),
      "chunks.rec does not match its checksum",
    );
    // Opened to be verified on read, the same segment opens.
    (await open()).close();
  });

  it("refuses damaged vector codes at open, wherever the damage is", async () => {
    const path = join(segmentDir, "vectors.codes");
    const pristine = await readFile(path);
    for (let at = 0; at < pristine.length; at += Math.ceil(pristine.length / 12)) {
      await flipByte(path, at);
      await expectCorrupt(
        () => open(),
        `vectors.codes does not match its checksum in block ${blockOf(at)}`,
      );
      await writeFile(path, pristine);
    }
    (await open()).close();
  });

  it("refuses a damaged vector row when a search reads it", async () => {
    const path = join(segmentDir, "vectors.f32");
    const at = (await readFile(path)).length - 7;
    await flipByte(path, at);
    const index = await open();
    try {
      expect(index.searchLexical(tokenize("樱花"), 1)).toHaveLength(1);
      // The segment is smaller than a search's candidates: every row is read.
      const query = await testEmbedder().embedQuery("樱花");
      const error = await expectCorrupt(() => index.searchVector(query, 3), "vectors.f32");
      expect(error.message).toContain(`block ${blockOf(at)}`);
    } finally {
      index.close();
    }
  });

  it("refuses a truncated or emptied file at open", async () => {
    const files = ["chunks.rec", "bodies.rec", "articles.rec", "lexical.bin"];
    for (const file of [...files, "vectors.f32", "vectors.codes", "terms.rec"]) {
      const path = join(segmentDir, file);
      const pristine = await readFile(path);
      for (const size of [pristine.length - 1, 0]) {
        await truncate(path, size);
        const error = await expectCorrupt(() => open(), file);
        expect(error.message).toContain(
          `is ${size} bytes, its checksum table says ${pristine.length}`,
        );
      }
      await writeFile(path, pristine);
    }
  });
});

describe("indexes verified as they are read", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempIndexDir()));
  afterEach(() => cleanup());

  /** A file of the live snapshot's only segment. */
  async function segmentFile(file: string): Promise<string> {
    const [name = ""] = (await readFile(join(dir, "CURRENT"), "utf8")).trim().split(" ");
    const manifest = JSON.parse(
      await readFile(join(dir, "snapshots", name, "manifest.json"), "utf8"),
    ) as IndexManifest;
    return join(dir, "segments", manifest.segments[0]?.name ?? "", file);
  }

  it("opens an index whose chunk records are damaged, and refuses only the damaged chunk", async () => {
    const input = edition("2024-05-01", "2024-05-01", stories(150));
    await writeIndex(input, { indexDir: dir, embedder: testEmbedder() });
    const path = await segmentFile("chunks.rec");
    const bytes = await readFile(path);
    // Default blocks: the last chunk lies in a later block than the first.
    const last = input.chunks.length - 1;
    const [lastStart] = recordRange(bytes, last);
    expect(Math.floor(lastStart / DEFAULT_BLOCK_BYTES)).toBeGreaterThan(
      Math.floor(recordRange(bytes, 0)[1] / DEFAULT_BLOCK_BYTES),
    );
    await flipByte(path, lastStart + 10);

    const index = await openIndex(dir, testEmbedder());
    try {
      expect(index.chunkAt(0).id).toBe(input.chunks[0]?.id);
      await expectCorrupt(() => index.chunkAt(last), "chunks.rec");
    } finally {
      index.close();
    }
  });
});
