import { describe, expect, it } from "vitest";
import { askedMeasureWords, askedUnits, statesCount } from "../../src/retrieval/measures.js";
import { normalizeForMatch } from "../../src/text/normalize.js";

/** Whether `text` may state the count `question` asks, both in matching form. */
const states = (question: string, text: string): boolean =>
  statesCount(normalizeForMatch(text), askedUnits(normalizeForMatch(question)));

/** The units a question asks in, read from its matching form. */
const unitsOf = (question: string): string[] => askedUnits(normalizeForMatch(question));

describe("the measure words a count question asks with", () => {
  it("reads the measure word after 几 or 多少, with those that count the same things", () => {
    expect(askedMeasureWords("一共有几层")).toEqual(["层"]);
    expect(askedMeasureWords("有多少人受伤")).toEqual(["人", "名", "位", "人次"]);
    expect(askedMeasureWords("地震规模是几级")).toEqual(["级"]);
    expect(askedMeasureWords("适宜的水温是多少度")).toEqual(["度"]);
  });

  it("finds none where 几 asks nothing or the measure word begins another word", () => {
    expect(askedMeasureWords("集美那个大货车连撞好几辆车的事,司机是哪儿人")).toEqual([]);
    expect(askedMeasureWords("那几个小孩吃的酸菜是谁家腌的")).toEqual([]);
    expect(askedMeasureWords("二十几所高校的学生在哪里集会")).toEqual([]);
    expect(askedMeasureWords("有多少年轻人参加了游行")).toEqual([]);
    expect(askedMeasureWords("县里有多少度假村")).toEqual([]);
    expect(askedMeasureWords("殖民统治期间有多少台湾同胞被杀害")).toEqual([]);
  });
});

describe("the units a size question asks in", () => {
  it("reads a length from 多高, a length or a time from 多长, a time from 多久", () => {
    expect(unitsOf("滨湖国际大厦有多高?")).toContain("米");
    expect(unitsOf("滨湖国际大厦有多高?")).not.toContain("层");
    expect(unitsOf("任期是多长?")).toEqual(expect.arrayContaining(["公里", "年"]));
    expect(unitsOf("排队要等多久?")).toContain("小时");
    expect(unitsOf("排队要等多久?")).not.toContain("米");
  });

  it("reads an area where 多大 asks of one, and the measure word where a count is asked", () => {
    expect(unitsOf("鹤庆县的面积有多大?")).toContain("平方公里");
    expect(unitsOf("鹤庆县的面积有多大?")).not.toContain("岁");
    expect(unitsOf("北塔有多高,一共几层?")).toEqual(["层"]);
  });

  it("reads the units of the quantity a question names, whatever asks it", () => {
    expect(unitsOf("这种毒品多少剂量就能致命?")).toContain("毫克");
    expect(unitsOf("他的体重是多少?")).toContain("公斤");
    expect(unitsOf("两地距离是多少?")).toContain("公里");
    expect(unitsOf("当天最高气温多少?")).toContain("℃");
    expect(unitsOf("这段高铁时速是多少?")).toContain("公里");
    expect(unitsOf("他身高多少?")).not.toContain("岁");
    expect(states("这种毒品多少剂量就能致命?", "仅2毫克即可致命。")).toBe(true);
    expect(states("这种毒品多少剂量就能致命?", "已造成7万人死亡。")).toBe(false);
    expect(unitsOf("粮食播种面积约占总播种面积多少比例?")).toContain("%");
    expect(states("短兵的一般长度是多少?", "一般长度为80-95cm。")).toBe(true);
  });

  it("reads an amount of money where 多大 asks the size of a fund or an investment", () => {
    expect(unitsOf("平湖的人工智能基金有多大?")).toContain("元");
    expect(unitsOf("平湖的人工智能基金有多大?")).not.toContain("平方米");
    expect(states("平湖的人工智能基金有多大?", "设立总规模3亿元的人工智能专项基金。")).toBe(true);
    expect(unitsOf("总投资多少?")).toEqual([]);
  });

  it("reads a unit written after the question word", () => {
    expect(unitsOf("植物园占地几英亩?")).toEqual(["英亩"]);
    expect(states("植物园占地几英亩?", "栗山拥有92英亩的植物园。")).toBe(true);
  });

  it("reads a unit of power, rate or data written in Latin letters, in any case", () => {
    expect(unitsOf("那台样机实测传输速率能到多少Gbps?")).toEqual(["gbps"]);
    expect(unitsOf("电池片一年产能有多少GW?")).toEqual(["gw"]);
    expect(unitsOf("一共用了多少GPU?")).toEqual([]);
  });

  it("reads nothing from a 多 that ends a name", () => {
    expect(unitsOf("梅多长子买那套悉尼豪宅花了多少钱?")).toEqual([]);
    expect(unitsOf("多伦多大学的主要校区是哪个?")).toEqual([]);
  });
});

describe("a text that states the asked count", () => {
  it("counts with the asked measure word or one that counts the same things", () => {
    expect(states("大楼一共几层?", "大楼地上13层,地下2层。")).toBe(true);
    expect(states("有多少人受伤?", "事故造成30名乘客受伤。")).toBe(true);
  });

  it("may count with no measure word, or with a Latin unit", () => {
    expect(states("全市有多少人?", "全市人口达2,790,060,为全省之最。")).toBe(true);
    expect(states("跟踪距离是多少米?", "搜索距离75km,跟踪距离40km。")).toBe(true);
  });

  it("takes 个, the general measure word, for any other, and any number for 个", () => {
    expect(states("车间里有多少台机器人?", "目前100多个AGV机器人在车间里运送物料。")).toBe(true);
    expect(states("一巢生几个蛋?", "一巢只生一枚蛋。")).toBe(true);
  });

  it("states a size with a number in its units, the end of a range too", () => {
    expect(states("大厦有多高?", "50层高的滨湖国际大厦着火。")).toBe(false);
    expect(states("大厦有多高?", "大厦总高度187米。")).toBe(true);
    expect(states("雌狸大约有多长?", "雌狸长65-70厘米,尾巴与雄狸一样长。")).toBe(true);
    expect(states("参考视频要多长?", "上传一段2-5秒的参考视频即可。")).toBe(true);
  });

  it("does not hold when every number counts other things", () => {
    expect(states("新食堂有几层?", "新食堂可同时容纳600名学生就餐,比原来多出一倍。")).toBe(false);
    expect(states("司机被判了几年?", "事故造成4人死亡,1人受伤。")).toBe(false);
  });

  it("states a size asked in Latin letters only in that unit", () => {
    expect(states("电池片一年产能有多少GW?", "项目建成后年产高效电池片10GW。")).toBe(true);
    expect(states("电池片一年产能有多少GW?", "年产能达到10 gw。")).toBe(true);
    expect(states("电池片一年产能有多少GW?", "目前100多个AGV机器人在13道工序中运送物料。")).toBe(
      false,
    );
    expect(states("传输速率能到多少Gbps?", "6G的性能将达到5G的十倍以上。")).toBe(false);
  });

  it("does not read a code, a date or a clock time as a count", () => {
    expect(states("用了多少张卡?", "虽然模型总参数只有309B,激活参数15B。")).toBe(false);
    expect(states("用了多少张卡?", "性能与DeepSeek-V3.2相当。")).toBe(false);
    expect(states("用了多少张卡?", "2011-11-8 9:14:27 昨天凌晨发生事故。")).toBe(false);
  });
});
