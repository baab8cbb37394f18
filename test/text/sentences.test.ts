import { describe, expect, it } from "vitest";
import { answerUnits } from "../../src/text/sentences.js";

describe("answerUnits", () => {
  it("keeps a quote with the short sentence that names its speaker", () => {
    expect(
      answerUnits("方案昨天公布。“我们希望多一些树荫。”市园林局局长周建国表示。工程年内完工。"),
    ).toEqual([
      "方案昨天公布。",
      "“我们希望多一些树荫。”市园林局局长周建国表示。",
      "工程年内完工。",
    ]);
  });

  it("joins a sentence that ends in a colon with the one it introduces", () => {
    expect(answerUnits("他表示：今年要新建3所学校。其他不变。")).toEqual([
      "他表示：今年要新建3所学校。",
      "其他不变。",
    ]);
  });

  it("leaves a long sentence that merely ends in 表示 on its own", () => {
    const text =
      "今天。会议由市政府主办，来自各地的代表和专家学者共二百余人参加了会议并发表意见表示。";
    expect(answerUnits(text)).toEqual([
      "今天。",
      "会议由市政府主办，来自各地的代表和专家学者共二百余人参加了会议并发表意见表示。",
    ]);
  });
});
