import { describe, expect, it } from "vitest";
import { questionFacts } from "../../src/answer/candidates.js";
import { analyzeQuery } from "../../src/retrieval/query.js";
import { buildTermGroups } from "../../src/retrieval/terms.js";
import { useMadeUpArchive, type MadeUpStory } from "../helpers/made-up-archive.js";

/** A story of one year, whose sentences name no month. */
const HARVEST: MadeUpStory = {
  id: "harvest",
  title: "柳湾村2024年水稻亩产再创新高",
  date: "2024-10-20",
  paper: "测试日报",
  text: "2024年,柳湾村种植水稻1200亩,平均亩产达到680公斤,比上年增加30公斤。村里新建的烘干中心在秋收时投入使用。",
};

describe("a question about another month than the story speaks of", () => {
  const archive = useMadeUpArchive("lnb-other-time-", [
    {
      id: "cars",
      title: "青石市11月新能源汽车销量创新高",
      date: "2025-12-12",
      paper: "测试日报",
      text: "青石市统计局在2025年12月10日发布的数据显示,11月份青石市新能源汽车销量达到3.2万辆,同比增长41%。其中出口车辆为6800辆。统计局表示,年底前销量有望继续增长。",
    },
    HARVEST,
    {
      id: "exports",
      title: "青石市11月汽车出口创新高",
      date: "2025-12-15",
      paper: "测试日报",
      text:
        "2025年11月，青石市汽车出口量达到5.2万辆，这是青石市汽车月度出口量首次突破5万辆。" +
        "11月，青石市新能源汽车出口量达到1.8万辆，环比增长17%。" +
        "海关表示，出口主要面向东南亚和中东市场。",
    },
  ]);

  it("declines a month the story does not report, and says which sentence speaks of another", async () => {
    const answer = await archive().ask("2025年12月青石市新能源汽车卖了多少辆?");
    expect(answer.abstained).toBe(true);
    expect(answer.abstainReason).toBe("other-time");
    expect(answer.text).toContain("另一个时间");
    expect(answer.text).toContain("11月份");
    expect(answer.citations[0]?.chunk.headline).toBe("青石市11月新能源汽车销量创新高");
  });

  it("answers the month the story reports, though its release date names another", async () => {
    const answer = await archive().ask("2025年11月青石市新能源汽车卖了多少辆?");
    expect(answer.abstained).toBe(false);
    expect(answer.text).toContain("3.2万辆");
  });

  it("declines a month written in numerals", async () => {
    const answer = await archive().ask("青石市2025年十二月的新能源汽车销量是多少辆?");
    expect(answer.abstained).toBe(true);
    expect(answer.abstainReason).toBe("other-time");
  });

  it("answers first with the asked figure though only another sentence repeats the asked month", async () => {
    const answer = await archive().ask("2025年11月青石市新能源车出口了多少辆?");
    expect(answer.abstained).toBe(false);
    expect(answer.text).toMatch(/^11月，青石市新能源汽车出口量达到1\.8万辆/u);
  });

  it("leaves the asked month out of the words matched in a story that states it", () => {
    const question = "2025年11月青石市新能源车出口了多少辆?";
    const query = analyzeQuery(question);
    const groups = buildTermGroups(archive().index, query.simplified);
    const facts = questionFacts(query, groups, []);
    const surfaces = (of: readonly { surface: string }[]) => of.map((g) => g.surface);
    expect(surfaces(facts.groups)).toEqual(expect.arrayContaining(["2025", "11", "出口"]));
    expect(surfaces(facts.untimed.groups)).toEqual(expect.arrayContaining(["出口"]));
    expect(surfaces(facts.untimed.groups)).not.toContain("2025");
    expect(surfaces(facts.untimed.groups)).not.toContain("11");
    expect(facts.timeUnits).toContain("2025");
    expect(facts.times.get("年")).toEqual(new Set([2025]));
    expect(facts.times.get("月")).toEqual(new Set([11]));
  });

  it("matches a number of the asked time only with its unit, and leaves the unit alone out", () => {
    const query = analyzeQuery("2025年11月青石市新能源车出口了多少辆?");
    const facts = questionFacts(query, buildTermGroups(archive().index, query.simplified), []);
    const eleven = facts.groups.find((g) => g.surface === "11");
    expect(eleven?.spellings).toEqual([["11", "月"]]);
    expect(eleven?.parts).toEqual([]);
    expect(facts.groups.map((g) => g.surface)).not.toContain("月");
  });

  it("answers a question that pins no time", async () => {
    const answer = await archive().ask("柳湾村水稻亩产多少公斤?");
    expect(answer.abstained).toBe(false);
    expect(answer.text).toContain("680公斤");
  });
});

describe("a question that shares only its time with the archive's stories", () => {
  // The sample editions and one more story: one edition counts "优胜奖11名", another says
  // "平湖经开将在2025年迎来产值突破700亿元".
  const archive = useMadeUpArchive("lnb-time-number-", [HARVEST]);

  it("does not take the 11 of 11名 for the 11 of 11月", async () => {
    const answer = await archive().ask("11月12月中国汽车出口了多少万辆?");
    expect(answer.abstained).toBe(true);
    expect(answer.text).not.toContain("11名");
  });

  it("declines instead of quoting a number of a story that shares only the year", async () => {
    const answer = await archive().ask("2025年12月中国汽车出口了多少万辆?");
    expect(answer.abstained).toBe(true);
    expect(answer.abstainReason).toBe("unrelated");
  });

  it("answers from a sentence that holds a part of a word jieba cut with the next one", async () => {
    // jieba cuts "陈伟去嘉善" as 陈伟去 + 嘉善; the story writes 陈伟.
    const answer = await archive().ask("陈伟去嘉善调研是哪天?");
    expect(answer.abstained).toBe(false);
    expect(answer.text).toContain("陈伟");
  });

  it("still answers from the story that holds the question's words and year", async () => {
    const answer = await archive().ask("2024年柳湾村水稻亩产多少公斤?");
    expect(answer.abstained).toBe(false);
    expect(answer.text).toContain("680公斤");
  });
});
