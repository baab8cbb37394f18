import { describe, expect, it } from "vitest";
import { holdsSoundAlike, soundAlike } from "../../src/text/sound-alike.js";

describe("sound-alike names", () => {
  it("takes characters with a reading in common as alike, tones and zh/z, sh/s, -ng/-n aside", () => {
    expect(soundAlike("降", "绛")).toBe(true);
    expect(soundAlike("士", "斯")).toBe(true);
    expect(soundAlike("庆", "琴")).toBe(true);
    expect(soundAlike("降", "海")).toBe(false);
  });

  it("finds a word in a text with at most one character typed by sound", () => {
    const text = "山西新绛县海泉中学74名学生出现食物中毒症状";
    expect(holdsSoundAlike(text, "新降")).toBe(true);
    expect(holdsSoundAlike(text, "海泉")).toBe(true);
    expect(holdsSoundAlike(text, "心降")).toBe(false);
    expect(holdsSoundAlike(text, "新疆")).toBe(true);
    expect(holdsSoundAlike(text, "降")).toBe(false);
    expect(holdsSoundAlike("mimo模型", "mino")).toBe(false);
  });
});
