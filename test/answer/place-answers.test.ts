import { describe, expect, it } from "vitest";
import { useMadeUpArchive } from "../helpers/made-up-archive.js";

/** A branch's reopening, whose only places are the ones its name holds: no address is given. */
const engine = useMadeUpArchive("lnb-place-", [
  {
    id: "branch",
    title: "嘉禾银行平湖支行重装开业",
    date: "2026-03-06",
    paper: "测试日报",
    text:
      "本报讯 昨天上午,嘉禾银行平湖支行举行重装开业仪式,以全新面貌服务平湖百姓。" +
      "重装后的支行增设了自助设备和便民服务台。",
  },
]);

describe("answers to where", () => {
  it("decline where the story names only the places the question names", async () => {
    const answer = await engine().ask("嘉禾银行平湖支行重装后的新地址在哪里?");
    expect(answer.abstained).toBe(true);
  });
});
