import { describe, expect, it } from "vitest";
import { useMadeUpArchive } from "../helpers/made-up-archive.js";

describe("a story that says the asked fact is not known yet", () => {
  const archive = useMadeUpArchive("lnb-unknown-", [
    {
      id: "fire",
      title: "青石镇一家具仓库凌晨起火",
      date: "2026-02-10",
      paper: "测试日报",
      text: "2月9日凌晨3时许,青石镇工业园区一家具仓库发生火灾,消防部门出动6辆消防车,大火于清晨6时被扑灭,过火面积约800平方米。火灾未造成人员伤亡。目前,起火原因正在调查之中。",
    },
    {
      id: "market",
      title: "白沙路夜市一排摊位起火",
      date: "2026-02-12",
      paper: "测试日报",
      text: "2月11日晚,白沙路夜市一排摊位起火,12个摊位被烧毁。由于夜市通道被私搭的雨棚堵住,消防车无法驶入,消防员只能铺设水带从路口灭火。火灾原因正在调查中。",
    },
    {
      id: "spill",
      title: "柳湾村一化工厂储罐泄漏",
      date: "2026-02-11",
      paper: "测试日报",
      text: "2月10日下午,柳湾村一家化工厂的储罐发生泄漏,附近200多名村民被紧急疏散。经调查,泄漏系储罐阀门老化所致。环保部门已对周边水体进行采样检测。",
    },
    {
      id: "poisoning",
      title: "红旗小学数十名学生午餐后呕吐",
      date: "2026-02-13",
      paper: "测试日报",
      text: "2月12日中午,红旗小学46名学生在食堂吃过午餐后陆续出现呕吐、腹痛症状,被送往县医院救治,目前均无生命危险。疾控部门已提取午餐留样送检,检验结果还没有出来。",
    },
    {
      id: "van",
      title: "环城高速一面包车撞上护栏",
      date: "2026-02-14",
      paper: "测试日报",
      text: "2月13日上午,环城高速北段一辆面包车撞上护栏,车上5名乘客受伤,被紧急送往市第二医院抢救。截至发稿时,仍有一名伤者尚未脱离危险。",
    },
  ]);

  it("declines a question about a test's result where the story says it is not out yet", async () => {
    const answer = await archive().ask("红旗小学学生午餐后呕吐,食物留样检验结果是什么?");
    expect(answer.abstained).toBe(true);
    expect(answer.abstainReason).toBe("still-unknown");
    expect(answer.text).toContain("检验结果还没有出来");
  });

  it("declines a question about how things turned out, where the story went to print before", async () => {
    const answer = await archive().ask("环城高速那辆面包车撞护栏,伤得最重的那个后来抢救过来没有?");
    expect(answer.abstained).toBe(true);
    expect(answer.abstainReason).toBe("still-unknown");
    expect(answer.text).toContain("尚未脱离危险");
  });

  it("declines a why question with the story's own words, cited, instead of its lead", async () => {
    const answer = await archive().ask("青石镇那个家具仓库着火,最后查明是什么原因?");
    expect(answer.abstained).toBe(true);
    expect(answer.abstainReason).toBe("still-unknown");
    expect(answer.text).toContain("起火原因正在调查之中");
    expect(answer.citations[0]?.chunk.headline).toBe("青石镇一家具仓库凌晨起火");
  });

  it("answers where the story gives the cause, though it says more is being tested", async () => {
    const answer = await archive().ask("柳湾村那个化工厂储罐为什么会泄漏?");
    expect(answer.abstained).toBe(false);
    expect(answer.text).toContain("阀门老化");
  });

  it("answers a why question that asks about something else than the cause under investigation", async () => {
    const answer = await archive().ask("白沙路夜市那场火,消防车为啥开不进去?");
    expect(answer.abstainReason).not.toBe("still-unknown");
    expect(answer.text).toContain("雨棚");
  });

  it("answers what the story does say about the same event", async () => {
    const answer = await archive().ask("青石镇家具仓库那场火出动了几辆消防车?");
    expect(answer.abstained).toBe(false);
    expect(answer.text).toContain("6辆消防车");
  });
});

describe("a cause asked by name that the story does not give", () => {
  const archive = useMadeUpArchive("lnb-no-cause-", [
    {
      id: "workshop",
      title: "东岭镇一服装作坊发生火灾",
      date: "2026-03-02",
      paper: "测试日报",
      text: "3月1日下午2时10分,东岭镇一家庭作坊(主要生产童装)发生火灾,2时40分,火势被扑灭。镇党政主要负责同志第一时间赶到现场,组织灭火和人员疏散。火灾造成1人轻伤。",
    },
    {
      id: "warehouse",
      title: "西湾物流园一仓库起火",
      date: "2026-03-04",
      paper: "测试日报",
      text: "3月3日晚,西湾物流园一座仓库起火,过火面积约500平方米。经消防部门勘查,火灾系仓库内电动叉车充电线路短路引发。事故未造成人员伤亡。",
    },
    {
      id: "policy",
      title: "新西兰早期移民政策",
      date: "2026-03-05",
      paper: "测试日报",
      text: "新西兰早期移民主要来自英国与爱尔兰,当时新西兰奉行和澳洲类似的白澳政策。二战后政策逐步放宽。",
    },
  ]);

  it("declines instead of answering with the lead that retells the fire", async () => {
    for (const question of [
      "东岭镇那家童装作坊着火,起火原因是啥?",
      "东岭镇那家童装作坊着火,起火原因查清楚了吗?",
    ]) {
      const answer = await archive().ask(question);
      expect(answer.abstained, question).toBe(true);
      expect(answer.abstainReason, question).toBe("untyped");
    }
  });

  it("answers a question that names a cause to ask something else", async () => {
    const answer = await archive().ask(
      "新西兰移民主要来自英国与爱尔兰,主要原因是当时新西兰奉行和澳洲类似的哪一种移民政策?",
    );
    expect(answer.abstained).toBe(false);
    expect(answer.text).toContain("白澳政策");
  });

  it("answers where the story gives the cause", async () => {
    const answer = await archive().ask("西湾物流园那个仓库起火是什么原因?");
    expect(answer.abstained).toBe(false);
    expect(answer.text).toContain("短路");
  });

  it("answers what else the story says of the same fire", async () => {
    const answer = await archive().ask("东岭镇那家童装作坊的火几点扑灭的?");
    expect(answer.abstained).toBe(false);
    expect(answer.text).toContain("2时40分");
  });
});

describe("a finding not out yet, in a story that gives a reason for something else", () => {
  const archive = useMadeUpArchive("lnb-unknown-finding-", [
    {
      id: "school",
      title: "青云小学数十名学生疑似食物中毒",
      date: "2026-02-16",
      paper: "测试日报",
      text:
        "2月15日傍晚,青云小学38名寄宿学生晚餐后出现腹痛、恶心症状。" +
        "由于学生集中发病,医生初步诊断为疑似食物中毒。" +
        "卫生部门已对学校食堂的食品进行采样。" +
        "目前检验结果还没有出来,事故原因正在调查中。",
    },
  ]);

  it("declines what the tests found, quoting that the result is not out", async () => {
    const answer = await archive().ask("青云小学那次食物中毒,化验最后查出是什么引起的?");
    expect(answer.abstained).toBe(true);
    expect(answer.abstainReason).toBe("still-unknown");
    expect(answer.text).toContain("检验结果还没有出来");
  });
});
