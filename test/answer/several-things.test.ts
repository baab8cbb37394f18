import { describe, expect, it } from "vitest";
import { askedSlot } from "../../src/retrieval/evidence.js";
import { analyzeQuery } from "../../src/retrieval/query.js";
import { statesList } from "../../src/retrieval/answer-type.js";
import { useMadeUpArchive } from "../helpers/made-up-archive.js";

/**
 * A story whose lead restates the news and whose third sentence names the two firms: "哪两家"
 * asks for the firms, each by name.
 */
const engine = useMadeUpArchive("lnb-several-", [
  {
    id: "drones",
    title: "首批低空物流航线获批",
    date: "2026-02-10",
    paper: "测试日报",
    text:
      "本报讯 市交通运输局昨天正式公布首批低空物流航线运营许可,标志着低空物流从试飞迈向商业运营的关键一步。" +
      "首批航线将在城区和港区之间开展配送试点。" +
      "两条获批航线的运营企业分别是云翼物流和海鸥速运,今年夏天开始常态化运营。" +
      "市交通运输局表示,将根据试点情况逐步扩大航线范围。",
  },
  {
    id: "station",
    title: "城南站换乘通道启用",
    date: "2026-02-12",
    paper: "测试日报",
    text:
      "城南站新的换乘通道昨天正式启用。" +
      "城南站的两条换乘通道分别位于路口东西两侧,乘客可在付费区内换乘两条线路。" +
      "城南站是地铁3号线和7号线的换乘站。",
  },
]);

describe("a question that asks for a number of things", () => {
  it("is a list question, and only a count of things marks a sentence that lists them", () => {
    expect(analyzeQuery("首批低空物流航线是哪两家企业运营的?").answerType).toBe("list");
    expect(askedSlot(analyzeQuery("首批低空物流航线是哪两家企业运营的?")).asksSeveral).toBe(true);
    // "哪些" may be answered by one sentence or another: it asks for no count.
    expect(askedSlot(analyzeQuery("低空物流有哪些新进展?")).asksSeveral).toBeUndefined();
    expect(statesList("运营企业分别是云翼物流和海鸥速运")).toBe(true);
    expect(statesList("新建公园、绿道和口袋公园")).toBe(true);
    expect(statesList("市交通运输局昨天正式公布首批航线")).toBe(false);
  });

  it("of two is answered by the sentence that joins them with 和, as by one that lists them", async () => {
    expect(askedSlot(analyzeQuery("城南站是哪两条线路的换乘站?")).asksPair).toBe(true);
    expect(askedSlot(analyzeQuery("首批航线是哪三家企业运营的?")).asksPair).toBeUndefined();
    const answer = await engine().ask("城南站是哪两条线路的换乘站?");
    expect(answer.abstained).toBe(false);
    expect(answer.text).toContain("3号线和7号线");
  });

  it("is answered by the sentence that names them, not by the lead", async () => {
    const answer = await engine().ask("首批低空物流航线是哪两家企业运营的?");
    expect(answer.abstained).toBe(false);
    expect(answer.text).toContain("云翼物流");
    expect(answer.text).toContain("海鸥速运");
  });
});
