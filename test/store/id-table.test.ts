import { describe, expect, it } from "vitest";
import { IdTable, idHash } from "../../src/store/id-table.js";
import { PackedStrings } from "../../src/store/packed-strings.js";

describe("IdTable", () => {
  it("finds every id it holds and nothing else", () => {
    const ids = Array.from({ length: 5000 }, (_, i) => (i * 2654435761).toString(16).slice(-8));
    const unique = [...new Set(ids)];
    const table = new IdTable(unique.length, (ordinal) => unique[ordinal] ?? "");
    unique.forEach((id, i) => table.set(id, i));
    expect(table.size).toBe(unique.length);
    unique.forEach((id, i) => expect(table.get(id)).toBe(i));
    for (const absent of ["", "x", "zzzzzzzz", `${unique[0]}#`])
      expect(table.get(absent)).toBeUndefined();
  });

  it("keeps one entry per id, the latest ordinal", () => {
    const ids = ["a", "b", "a"];
    const table = new IdTable(3, (ordinal) => ids[ordinal] ?? "");
    ids.forEach((id, i) => table.set(id, i));
    expect(table.size).toBe(2);
    expect(table.get("a")).toBe(2);
    expect(table.get("b")).toBe(1);
  });

  it("refuses more ids than it was sized for, twice over", () => {
    const ids = Array.from({ length: 40 }, (_, i) => `id-${i}`);
    const table = new IdTable(4, (ordinal) => ids[ordinal] ?? "");
    // 16 slots, at most half full.
    for (let i = 0; i < 8; i++) table.set(ids[i] ?? "", i);
    expect(() => table.set(ids[8] ?? "", 8)).toThrow(RangeError);
  });

  it("tells apart ids whose hashes are equal", () => {
    const ids = [...collidingPair(), "x"];
    const table = new IdTable(ids.length, (ordinal) => ids[ordinal] ?? "");
    ids.forEach((id, i) => table.set(id, i));
    expect(table.size).toBe(3);
    ids.forEach((id, i) => expect(table.get(id)).toBe(i));
  });

  it("takes ids by their hashes in packed strings as it takes them by value", () => {
    const [first = "", second = ""] = collidingPair();
    const ids = [first, "平湖日报#1", second, first, "x", "平湖日报#1"];
    const packed = PackedStrings.of(ids);
    const hashes = packed.hashes(idHash);
    expect(Array.from(hashes)).toEqual(ids.map((id) => idHash(id)));
    const byHash = new IdTable(ids.length, (ordinal) => packed.get(ordinal));
    ids.forEach((_, i) => byHash.setHashed(i, hashes[i] ?? 0));
    expect(byHash.size).toBe(4);
    expect([first, second, "x", "平湖日报#1", "y"].map((id) => byHash.get(id))).toEqual([
      3,
      2,
      4,
      5,
      undefined,
    ]);
  });
});

/** Two ids with the same 32-bit FNV-1a hash, found by the birthday bound. */
function collidingPair(): [string, string] {
  const seen = new Map<number, string>();
  for (let i = 0; i < 1_000_000; i++) {
    const id = `article-${i}`;
    const other = seen.get(idHash(id));
    if (other !== undefined) return [other, id];
    seen.set(idHash(id), id);
  }
  throw new Error("no two ids of the first million share a hash");
}
