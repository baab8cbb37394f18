import { describe, expect, it } from "vitest";
import { IdTable } from "../../src/store/id-table.js";

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
    // Two ids with the same 32-bit FNV-1a hash, found by the birthday bound.
    const fnv = (id: string): number => {
      let hash = 0x811c9dc5;
      for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193);
      return hash | 0;
    };
    const seen = new Map<number, string>();
    let pair: [string, string] | undefined;
    for (let i = 0; pair === undefined && i < 1_000_000; i++) {
      const id = `article-${i}`;
      const other = seen.get(fnv(id));
      if (other !== undefined) pair = [other, id];
      else seen.set(fnv(id), id);
    }
    expect(pair).toBeDefined();
    const ids = [...(pair ?? []), "x"];
    const table = new IdTable(ids.length, (ordinal) => ids[ordinal] ?? "");
    ids.forEach((id, i) => table.set(id, i));
    expect(table.size).toBe(3);
    ids.forEach((id, i) => expect(table.get(id)).toBe(i));
  });
});
