import { describe, expect, it } from "vitest";
import { withoutGluedWord } from "../../src/answer/extractive.js";
import { useMadeUpArchive } from "../helpers/made-up-archive.js";

describe("the story a question is about", () => {
  const archive = useMadeUpArchive("lnb-focus-", [
    {
      id: "named",
      title: "华锐电子重大食物中毒事件",
      date: "2026-02-24",
      paper: "测试日报",
      text: "深圳华锐公司2月23日所发生的63名员工疑似食物中毒,目前已造成2人死亡。其余员工正在医院接受治疗,病情稳定。",
    },
    {
      id: "other",
      title: "南岗区一家工厂数百人食物中毒",
      date: "2026-02-25",
      paper: "测试日报",
      text: "2月24日中午,南岗区一家鞋厂的员工集体食物中毒,200多人被送往医院,目前无人死亡。卫生部门已对食堂留样进行检测。",
    },
  ]);

  it("is the one that names what it asks about, not another that shares more of its wording", async () => {
    const answer = await archive().ask("深圳华锐那回员工集体食物中毒,死了几个?");
    expect(answer.abstained).toBe(false);
    expect(answer.text).toContain("2人死亡");
    expect(answer.citations[0]?.chunk.headline).toBe("华锐电子重大食物中毒事件");
  });

  it("answers a question about the other story from that story", async () => {
    const answer = await archive().ask("南岗区那家鞋厂员工集体食物中毒,送医的有多少人?");
    expect(answer.abstained).toBe(false);
    expect(answer.text).toContain("200多人");
    expect(answer.text).not.toContain("63名");
  });
});

describe("a place the story names by a place within it", () => {
  const archive = useMadeUpArchive("lnb-place-within-", [
    {
      id: "feast",
      title: "巍山县处置一起食物中毒事件",
      date: "2026-07-13",
      paper: "测试日报",
      text: "7月5日,巍山县大仓镇甸中村一村民家中因办丧事酬客,引发一起较大食物中毒事件,有286人中毒。经对症治疗,中毒者已全部治愈。",
    },
  ]);

  it("answers a question that names the province the story leaves unsaid", async () => {
    const answer = await archive().ask("云南巍山甸中村办丧事请客那回,有多少人中毒?");
    expect(answer.abstained).toBe(false);
    expect(answer.text).toContain("286人");
  });

  it("still declines a question about a place the story is not in", async () => {
    const answer = await archive().ask("广西巍山甸中村办丧事请客那回,有多少人中毒?");
    expect(answer.abstained).toBe(true);
  });
});

describe("withoutGluedWord", () => {
  it("takes off a function word jieba cut into a name, keeping two characters", () => {
    expect(withoutGluedWord("由约翰")).toBe("约翰");
    expect(withoutGluedWord("于北魏")).toBe("北魏");
    expect(withoutGluedWord("和澳洲")).toBe("澳洲");
    expect(withoutGluedWord("大大的")).toBe("大大");
    expect(withoutGluedWord("于是")).toBe("于是");
    expect(withoutGluedWord("北魏")).toBe("北魏");
  });
});

describe("a story the question names by a figure", () => {
  const archive = useMadeUpArchive("lnb-focus-figure-", [
    {
      id: "quake-62",
      title: "智利北部海域发生6.2级地震",
      date: "2026-04-11",
      paper: "测试日报",
      text: "4月10日晚,智利伊基克市西南海域发生6.2级地震。智利大学地震服务局说,震源深度38.9公里,目前尚无人员伤亡的报告。",
    },
    {
      id: "quake-76",
      title: "智利强震再修正为7.6级",
      date: "2026-04-03",
      paper: "测试日报",
      text: "智利北部海域发生7.6级强烈地震,地震震源深度20公里。当局一度发布海啸预警,伊基克市部分居民连夜撤离。",
    },
  ]);

  it("is the story that holds the figure, though another shares more of the question's wording", async () => {
    const answer = await archive().ask("4月10日智利伊基克西南海域那次6.2级地震震源多深?");
    expect(answer.abstained).toBe(false);
    expect(answer.text).toContain("38.9公里");
  });
});
