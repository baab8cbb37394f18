import { deflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { createHashedEmbedder, parseHashedEmbedderId } from "../../src/embeddings/hashed.js";
import {
  DF_BUCKETS,
  DF_BUCKET_BITS,
  decodeCorpusStats,
  encodeCorpusStats,
} from "../../src/embeddings/hashed-state.js";
import { dot, rankOf, readCmrc, readSamplePassages } from "./corpus.js";

function norm(vector: Float32Array): number {
  return Math.sqrt(dot(vector, vector));
}

const PASSAGES = [
  "天极集成电路是一家专注于半导体存储芯片封装测试的高技术企业,正在打造行业领先的存储封装测试基地。",
  "平湖市举办春季招聘会,200余家企业提供岗位5000多个,吸引求职者前来应聘。",
  "今天最高气温12度,明天多云转阴,局部偶有小雨,出门请带好雨具。",
];

describe("createHashedEmbedder", () => {
  it("returns unit vectors of the configured length", async () => {
    const embedder = createHashedEmbedder({ dimensions: 64 });
    const vectors = await embedder.embedDocuments(PASSAGES);
    expect(embedder.dimensions).toBe(64);
    expect(vectors).toHaveLength(3);
    for (const v of vectors) {
      expect(v).toBeInstanceOf(Float32Array);
      expect(v).toHaveLength(64);
      expect(norm(v)).toBeCloseTo(1, 5);
    }
  });

  it("defaults to 512 dimensions and names the feature set, adding non-default dimensions", () => {
    expect(createHashedEmbedder()).toMatchObject({ id: "hashed-ngram-v1", dimensions: 512 });
    expect(createHashedEmbedder({ dimensions: 384 }).id).toBe("hashed-ngram-v1-d384");
  });

  it("reads its options back from its id", () => {
    for (const dimensions of [1024, 384, 7]) {
      const id = createHashedEmbedder({ dimensions }).id;
      expect(createHashedEmbedder(parseHashedEmbedderId(id)).id).toBe(id);
    }
    for (const other of ["hashed-ngram-v1-d0", "hashed-ngram-v2", "Xenova/bge-small-zh-v1.5", ""]) {
      expect(parseHashedEmbedderId(other)).toBeUndefined();
    }
  });

  it("fits on an even sample when given more texts than it counts", async () => {
    const texts = Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? "平湖樱花" : "港区集装箱"));
    const sampled = createHashedEmbedder({ dimensions: 64, maxFitTexts: 5 });
    sampled.fit?.(texts);
    // Every second text: the five counted are all 平湖樱花, so 港区 reads as unseen.
    const whole = createHashedEmbedder({ dimensions: 64 });
    whole.fit?.(texts.filter((_, i) => i % 2 === 0).slice(0, 5));
    expect(await sampled.embedQuery("港区集装箱 平湖樱花")).toEqual(
      await whole.embedQuery("港区集装箱 平湖樱花"),
    );
  });

  it("rejects a dimension that is not a positive integer", () => {
    expect(() => createHashedEmbedder({ dimensions: 0 })).toThrow(/positive integer/);
    expect(() => createHashedEmbedder({ dimensions: 12.5 })).toThrow(/positive integer/);
  });

  it("gives the same vectors in every instance and run", async () => {
    const a = await createHashedEmbedder().embedDocuments(PASSAGES);
    const b = await createHashedEmbedder().embedDocuments(PASSAGES);
    expect(b).toEqual(a);
    // A fixed point guards against an unnoticed change of hashing or weights (which would need a
    // new feature-set id, because saved indexes hold vectors made the old way).
    const small = await createHashedEmbedder({ dimensions: 8 }).embedQuery("平湖日报");
    expect(Array.from(small, (v) => Math.round(v * 1e4) / 1e4)).toMatchInlineSnapshot(`
      [
        -0.4305,
        0,
        0,
        0.0646,
        0.3229,
        0.6888,
        0.2153,
        -0.4305,
      ]
    `);
  });

  it("embeds a question and a passage with the same features", async () => {
    const embedder = createHashedEmbedder();
    const [doc] = await embedder.embedDocuments([PASSAGES[0] ?? ""]);
    expect(await embedder.embedQuery(PASSAGES[0] ?? "")).toEqual(doc);
  });

  it("embeds text without features as the zero vector", async () => {
    const vector = await createHashedEmbedder().embedQuery(" ,。!");
    expect(norm(vector)).toBe(0);
  });

  it("embeds traditional Chinese close to its simplified form", async () => {
    const embedder = createHashedEmbedder();
    const traditional = await embedder.embedQuery(
      "天極集成電路是一家專注於半導體存儲芯片封裝測試的高技術企業",
    );
    const simplified = await embedder.embedQuery(
      "天极集成电路是一家专注于半导体存储芯片封装测试的高技术企业",
    );
    expect(dot(traditional, simplified)).toBeGreaterThan(0.99);
  });

  it("embeds full-width letters and digits like half-width ones", async () => {
    const embedder = createHashedEmbedder();
    const full = await embedder.embedQuery("ＧＤＰ增长５．２％");
    const half = await embedder.embedQuery("GDP增长5.2%");
    expect(dot(full, half)).toBeGreaterThan(0.99);
  });

  it("places a related question closer to its passage than to unrelated ones", async () => {
    const embedder = createHashedEmbedder();
    embedder.fit?.(PASSAGES);
    const passages = await embedder.embedDocuments(PASSAGES);
    const questions = ["哪家企业做存储芯片封装测试?", "招聘会有多少家企业参加?", "明天会下雨吗?"];
    for (const [i, question] of questions.entries()) {
      expect(rankOf(await embedder.embedQuery(question), passages, i)).toBe(1);
    }
  });

  it("matches an abbreviation with the phrase it shortens", async () => {
    const embedder = createHashedEmbedder();
    const question = await embedder.embedQuery("封测");
    const phrase = await embedder.embedQuery("封装测试");
    // Same characters, other order: only the abbreviation feature tells the two apart.
    const reordered = await embedder.embedQuery("测试封装");
    expect(dot(question, phrase)).toBeGreaterThan(dot(question, reordered) + 0.1);
  });
});

describe("hashed embedder state", () => {
  it("restores exported state to give identical vectors", async () => {
    const fitted = createHashedEmbedder();
    fitted.fit?.(readSamplePassages());
    const state = fitted.exportState?.();
    expect(state).toBeInstanceOf(Uint8Array);

    const restored = createHashedEmbedder();
    restored.restoreState?.(state ?? new Uint8Array());
    const unfitted = createHashedEmbedder();
    const texts = ["平湖那家做内存芯片封测的公司叫啥?", ...PASSAGES];
    expect(await restored.embedDocuments(texts)).toEqual(await fitted.embedDocuments(texts));
    // The state must matter, or this round trip would prove nothing.
    expect(await unfitted.embedDocuments(texts)).not.toEqual(await fitted.embedDocuments(texts));
  });

  it("exports an unfitted state that restores to an unfitted embedder", async () => {
    const state = createHashedEmbedder().exportState?.() ?? new Uint8Array();
    const restored = createHashedEmbedder();
    restored.restoreState?.(state);
    expect(await restored.embedDocuments(PASSAGES)).toEqual(
      await createHashedEmbedder().embedDocuments(PASSAGES),
    );
  });

  it("refuses state that is not its own", () => {
    const embedder = createHashedEmbedder();
    embedder.fit?.(PASSAGES);
    const good = embedder.exportState?.() ?? new Uint8Array();
    const withByte = (offset: number, value: number): Uint8Array => {
      const copy = good.slice();
      copy[offset] = value;
      return copy;
    };
    const restore = (state: Uint8Array) => () => createHashedEmbedder().restoreState?.(state);

    expect(restore(new Uint8Array())).toThrow(/bad magic header/);
    expect(restore(new TextEncoder().encode("not a state at all, just some bytes"))).toThrow(
      /bad magic/,
    );
    expect(restore(withByte(4, 99))).toThrow(/format version 99/);
    expect(restore(withByte(6, 16))).toThrow(/table has another size/);
    expect(restore(withByte(14, "x".charCodeAt(0)))).toThrow(/feature set "xashed-ngram-v1"/);
    expect(restore(good.subarray(0, good.length - 40))).toThrow(/corrupt|truncated/);
    // A refused state leaves the message actionable.
    expect(restore(new Uint8Array())).toThrow(/Rebuild the index/);
  });
});

describe("hashed embedder retrieval quality", () => {
  it("finds the gold CMRC 2018 paragraph for most questions", async () => {
    // Measured with the defaults (1024 dimensions) on these 300 questions: hit@1 0.853, hit@5 0.963.
    // The thresholds sit well below, so the test catches a real regression without being flaky.
    const { articles, questions } = readCmrc(300);
    const embedder = createHashedEmbedder();
    const texts = articles.map((a) => a.text);
    embedder.fit?.(texts);
    const passages = await embedder.embedDocuments(texts);
    const indexOf = new Map(articles.map((a, i) => [a.id, i]));
    let hit1 = 0;
    let hit5 = 0;
    for (const q of questions) {
      const gold = indexOf.get(q.file);
      expect(gold, `gold article ${q.file}`).toBeDefined();
      const rank = rankOf(await embedder.embedQuery(q.question), passages, gold ?? -1);
      if (rank === 1) hit1++;
      if (rank <= 5) hit5++;
    }
    expect(hit1 / questions.length).toBeGreaterThan(0.75);
    expect(hit5 / questions.length).toBeGreaterThan(0.88);
    // The saved state stays small: the index stores it.
    expect(embedder.exportState?.().length).toBeLessThan(4 * 1024 * 1024);
  });

  it("ranks the passage a paraphrased question asks about near the top of the sample editions", async () => {
    const passages = readSamplePassages();
    const gold = passages.findIndex((p) =>
      p.includes("天极集成电路是一家专注于半导体存储芯片封装测试"),
    );
    expect(gold).toBeGreaterThanOrEqual(0);
    const embedder = createHashedEmbedder();
    embedder.fit?.(passages);
    const vectors = await embedder.embedDocuments(passages);
    const question = await embedder.embedQuery("平湖那家做内存芯片封测的公司叫啥?");
    // Measured rank 1 of 114 passages; the question shares only 平湖, 芯片, 公司 and the
    // abbreviation 封测 with it, so top 3 leaves room for hashing noise.
    expect(rankOf(question, vectors, gold)).toBeLessThanOrEqual(3);
  });
});

describe("corpus statistics as stored", () => {
  const FEATURES = "hashed-ngram-v1";
  /** A state whose table is `varints` as given (one per bucket, or damaged on purpose). */
  function stateOf(documents: number, varints: Uint8Array): Uint8Array {
    const name = Buffer.from(FEATURES, "utf8");
    const header = Buffer.alloc(14);
    header.write("HNGE", 0, "ascii");
    header.writeUInt16LE(1, 4);
    header.writeUInt8(DF_BUCKET_BITS, 6);
    header.writeUInt32LE(documents, 8);
    header.writeUInt16LE(name.length, 12);
    return new Uint8Array(Buffer.concat([header, name, deflateRawSync(varints)]));
  }

  it("reads back counts of every varint length, up to the document count", () => {
    const df = new Uint32Array(DF_BUCKETS);
    const documents = 2 ** 31;
    const samples = [0, 1, 127, 128, 300, 16_383, 16_384, 2_097_151, 2_097_152, 2 ** 28, documents];
    samples.forEach((count, i) => (df[i * 977] = count));
    const decoded = decodeCorpusStats(encodeCorpusStats({ documents, df }, FEATURES), FEATURES);
    expect(decoded.documents).toBe(documents);
    expect(Buffer.from(decoded.df.buffer).equals(Buffer.from(df.buffer))).toBe(true);
    expect(samples.map((_, i) => decoded.df[i * 977])).toEqual(samples);
  });

  it("refuses a table that is truncated, overlong, too large or followed by more bytes", () => {
    const ones = new Uint8Array(DF_BUCKETS).fill(1);
    const decode = (documents: number, varints: Uint8Array) => () =>
      decodeCorpusStats(stateOf(documents, varints), FEATURES);
    expect(decode(10, ones)).not.toThrow();
    expect(decode(10, ones.subarray(0, DF_BUCKETS - 1))).toThrow(/truncated/);
    // The last count starts a varint that never ends.
    const open = ones.slice();
    open[DF_BUCKETS - 1] = 0x81;
    expect(decode(10, open)).toThrow(/truncated/);
    // Six bytes are more than any count below 2^35 needs.
    const overlong = Buffer.concat([Buffer.from([0x81, 0x80, 0x80, 0x80, 0x80, 0x00]), ones]);
    expect(decode(10, overlong.subarray(0, DF_BUCKETS + 5))).toThrow(/corrupt/);
    expect(decode(0, ones)).toThrow(/exceeds the document count/);
    expect(decode(10, Buffer.concat([ones, Buffer.from([1])]))).toThrow(/trailing bytes/);
  });
});
