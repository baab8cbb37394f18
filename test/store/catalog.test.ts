import { describe, expect, it } from "vitest";
import { PackedStrings } from "../../src/store/packed-strings.js";
import { decodeCatalog, encodeCatalog } from "../../src/store/segment-format.js";

describe("PackedStrings", () => {
  it("gives back every string, empty and non-ASCII ones included", () => {
    const strings = ["951d05c1ccf33c4a", "", "嘉兴日报#1", "a\nb", "x"];
    const packed = PackedStrings.of(strings);
    expect(packed.length).toBe(strings.length);
    expect(strings.map((_, i) => packed.get(i))).toEqual(strings);
    expect(packed.get(-1)).toBe("");
    expect(packed.get(strings.length)).toBe("");
    expect(PackedStrings.of([]).length).toBe(0);
  });

  it("refuses offsets that go backwards, past the end, or leave characters over", () => {
    expect(() => PackedStrings.fromJoined("abcd", Uint32Array.of(3, 2, 4))).toThrow(/backwards/);
    expect(() => PackedStrings.fromJoined("abcd", Uint32Array.of(2, 5))).toThrow(/end at 5/);
    expect(() => PackedStrings.fromJoined("abcd", Uint32Array.of(2, 3))).toThrow(/hold 4/);
  });
});

describe("catalog.json", () => {
  const ids = ["0aee5069536115af", "嘉兴-2026-03-07-1", "jsonl id with\nnewline"];
  const editions = ["2026-03-07_嘉兴日报.txt", "2026-03-08_𠀋日报.txt"];

  it("reads back what it writes, packed", () => {
    const bytes = encodeCatalog(ids, editions, [0, 0, 1], [2, 1, 70_000]);
    // ASCII throughout (edition names escaped), so that it decodes to a one-byte string.
    expect(bytes.every((b) => b < 0x80)).toBe(true);
    const stored = JSON.parse(bytes.toString("utf8")) as Record<string, unknown>;
    expect(stored.editions).toEqual(editions);
    expect(typeof stored.ids).toBe("string");
    expect(typeof stored.chunkCounts).toBe("string");
    const catalog = decodeCatalog(bytes);
    expect(Array.from({ length: catalog.ids.length }, (_, i) => catalog.ids.get(i))).toEqual(ids);
    expect(catalog.editions).toEqual(editions);
    expect([...catalog.editionOf]).toEqual([0, 0, 1]);
    expect([...catalog.chunkCounts]).toEqual([2, 1, 70_000]);
  });

  it("refuses the plain lists that segments written before packing held", () => {
    const text = JSON.stringify({ ids, editions, editionOf: [0, 1, 1], chunkCounts: [1, 2, 3] });
    expect(() => decodeCatalog(Buffer.from(text, "utf8"))).toThrow(/not packed/u);
  });

  it("refuses a catalog of the wrong shape", () => {
    const good = JSON.parse(encodeCatalog(ids, editions, [0, 0, 1], [1, 1, 1]).toString("utf8"));
    const bad = (change: Record<string, unknown>): Buffer =>
      Buffer.from(JSON.stringify({ ...good, ...change }), "utf8");
    expect(() => decodeCatalog(Buffer.from("null"))).toThrow(/editions/);
    expect(() => decodeCatalog(bad({ chunkCounts: "AAA" }))).toThrow(/chunkCounts/);
    expect(() => decodeCatalog(bad({ editionOf: [0, -1, 1] }))).toThrow(/editionOf/);
    expect(() => decodeCatalog(bad({ ids: 7 }))).toThrow(/ids/);
    expect(() => decodeCatalog(bad({ idEnds: undefined }))).toThrow(/idEnds/);
    expect(() => decodeCatalog(bad({ ids: "short" }))).toThrow(/hold 5/);
  });
});
