import { describe, expect, it } from "vitest";
import { askedSlot } from "../../src/retrieval/evidence.js";
import { analyzeQuery } from "../../src/retrieval/query.js";
import { useMadeUpArchive } from "../helpers/made-up-archive.js";

/** A festival organised by a body, not by a person: the story names no one who organised it. */
const engine = useMadeUpArchive("lnb-organisers-", [
  {
    id: "reading",
    title: "城南读书节开幕",
    date: "2026-04-23",
    paper: "测试日报",
    text:
      "本报讯 第五届城南读书节昨天在城南公园开幕,三千多名市民参加了开幕式。" +
      "本届城南读书节由城南文化促进中心主办,将持续一个月。" +
      "活动期间还将举办二十场讲座。",
  },
]);

describe("who organised something", () => {
  it("may be a body where the question asks who organised, paid for or made it", () => {
    expect(askedSlot(analyzeQuery("城南读书节是谁主办的?")).bodyMayAnswer).toBe(true);
    expect(askedSlot(analyzeQuery("这个项目由谁投资?")).bodyMayAnswer).toBe(true);
    // Who spoke or who came is a person.
    expect(askedSlot(analyzeQuery("开幕式上谁讲了话?")).bodyMayAnswer).toBeUndefined();
  });

  it("is answered by the sentence that names the body", async () => {
    const answer = await engine().ask("城南读书节是谁主办的?");
    expect(answer.abstained).toBe(false);
    expect(answer.text).toContain("城南文化促进中心");
  });
});
