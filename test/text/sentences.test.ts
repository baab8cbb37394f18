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

  it("keeps a quote with its speaker in traditional characters too", () => {
    expect(
      answerUnits("方案昨天公布。「我們希望多一些樹蔭。」市園林局局長周建國說。工程年內完工。"),
    ).toEqual([
      "方案昨天公布。",
      "「我們希望多一些樹蔭。」市園林局局長周建國說。",
      "工程年內完工。",
    ]);
  });

  it("keeps a quote with the next sentence when that one opens by naming the speaker", () => {
    expect(
      answerUnits(
        "“关键在精准、核心在实效。”座谈会上,市市场监管局局长许铨一语道破工作的核心思路。近年来,我市成立了综合党委。",
      ),
    ).toEqual([
      "“关键在精准、核心在实效。”座谈会上,市市场监管局局长许铨一语道破工作的核心思路。",
      "近年来,我市成立了综合党委。",
    ]);
  });

  it("leaves a quote alone when the next sentence names a speaker only late, or none", () => {
    const late =
      "“我们省心多了。”近年来,平湖立足县域实际,破解行业痛点,成立嘉兴市首个行业综合党委,建立15个部门协同机制,许多商户认为效果明显。";
    expect(answerUnits(late)).toEqual([
      "“我们省心多了。”",
      "近年来,平湖立足县域实际,破解行业痛点,成立嘉兴市首个行业综合党委,建立15个部门协同机制,许多商户认为效果明显。",
    ]);
    expect(answerUnits("“游客吃得踏实。”改造工程年内完工。")).toEqual([
      "“游客吃得踏实。”",
      "改造工程年内完工。",
    ]);
  });

  it("joins a sentence that ends in a colon with the one it introduces", () => {
    expect(answerUnits("他表示：今年要新建3所学校。其他不变。")).toEqual([
      "他表示：今年要新建3所学校。",
      "其他不变。",
    ]);
  });

  it("keeps a quote of several sentences whole, with its speaker, in either script's marks", () => {
    expect(
      answerUnits(
        "塔吊林立。“塔楼是为金融机构打造的。北塔高度为59.4米,共计13层。”工区经理薛英凯表示。工程继续。",
      ),
    ).toEqual([
      "塔吊林立。",
      "“塔楼是为金融机构打造的。北塔高度为59.4米,共计13层。”工区经理薛英凯表示。",
      "工程继续。",
    ]);
    expect(answerUnits("他說：「第一句。第二句。」隨後離開。")).toEqual([
      "他說：「第一句。第二句。」",
      "隨後離開。",
    ]);
  });

  it("ends a quote at its speaker even where the paper left a quotation mark open", () => {
    expect(
      answerUnits(
        "“我们以需求为切口,快速响应开展“特需增值服务”。中心负责人表示。通过设置8大服务板块,全力推进问题破难。数据显示,共处理诉求1045件。",
      ),
    ).toEqual([
      "“我们以需求为切口,快速响应开展“特需增值服务”。中心负责人表示。",
      "通过设置8大服务板块,全力推进问题破难。",
      "数据显示,共处理诉求1045件。",
    ]);
  });

  it("leaves a quote that runs on past the limit to be cut at its sentences", () => {
    const long = `“${"这是一句很长的引语,".repeat(20)}结束。`;
    const units = answerUnits(`${long}下一句。还有一句。”`);
    expect(units.length).toBeGreaterThan(1);
    expect(units[0]).toBe(long);
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
