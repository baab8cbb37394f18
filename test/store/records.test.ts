import { describe, expect, it } from "vitest";
import { memorySource } from "../../src/store/byte-source.js";
import { RecordFile, encodeRecords } from "../../src/store/records.js";

describe("RecordFile", () => {
  it("reads any record alone, empty and non-ASCII ones included", () => {
    const records = [{ a: 1 }, "嘉兴日报", [], { text: "x".repeat(70_000) }, null];
    const file = new RecordFile(memorySource(encodeRecords(records)), "test.rec");
    expect(file.count).toBe(records.length);
    for (const i of [3, 0, 4, 1, 2]) expect(file.get(i)).toEqual(records[i]);
    expect(() => file.get(records.length)).toThrow(RangeError);
  });

  it("refuses a table whose offsets go backwards", () => {
    const bytes = Buffer.from(encodeRecords([{ a: 1 }, { b: 2 }, { c: 3 }]));
    // Header 16 bytes, then float64 offsets: record 1 starts past record 2.
    bytes.writeDoubleLE(bytes.readDoubleLE(16 + 3 * 8), 16 + 8);
    expect(() => new RecordFile(memorySource(bytes), "test.rec")).toThrow(
      /test.rec has its record offsets out of order at record 1/u,
    );
  });
});
