import { describe, expect, it } from "vitest";
import {
  askedAlone,
  decomposeQuestion,
  narrowPart,
  ownWordsOfParts,
} from "../../src/retrieval/decompose.js";
import { compact } from "../../src/text/normalize.js";
import { useMadeUpArchive } from "../helpers/made-up-archive.js";
import { useSampleEngine } from "../helpers/sample-engine.js";

const sample = useSampleEngine("lnb-compound-");

describe("decomposeQuestion", () => {
  it("splits two questions asked one after the other", () => {
    expect(decomposeQuestion("A项目总投资多少?B项目总投资多少?")).toEqual([
      "A项目总投资多少",
      "A项目总投资 B项目总投资多少",
    ]);
  });

  it("gives a later part the first part's subject without its comparison, or its time where it names its own", () => {
    expect(decomposeQuestion("2026年考研报名人数比2023年峰值少了多少?2023年当时有多少人?")).toEqual(
      ["2026年考研报名人数比2023年峰值少了多少", "考研报名人数 2023年当时有多少人"],
    );
    expect(decomposeQuestion("嘉善去年GDP比前年增长了多少,今年目标是多少?")).toEqual([
      "嘉善去年GDP比前年增长了多少",
      "嘉善GDP 今年目标是多少",
    ]);
  });

  it("does not give a later part that names its own place the first part's subject", () => {
    const parts = decomposeQuestion(
      "阿里巴巴长三角智能计算基地总投资多少?桐乡今年有多少个项目开工?",
    );
    expect(parts).toEqual(["阿里巴巴长三角智能计算基地总投资多少", "桐乡今年有多少个项目开工"]);
  });

  it("does not give a later part that names its own person the first part's subject", () => {
    // jieba does not know 陈利众: the name is read from its surname.
    expect(
      decomposeQuestion("御辰东是哪年落户新埭的?陈利众在新埭第一站去的那家能源装备公司叫啥?"),
    ).toEqual(["御辰东是哪年落户新埭的", "陈利众在新埭第一站去的那家能源装备公司叫啥"]);
  });

  it("answers one by one questions asked one after another, each naming its own story, though a clause of one asks nothing", () => {
    expect(
      decomposeQuestion(
        "鸡西那3所小学的孩子上吐下泻,是吃了谁家送的饭?清远宝树制衣厂那回员工吃完食堂晚饭出事,最后认定是什么性质的中毒?",
      ),
    ).toEqual([
      "鸡西那3所小学的孩子上吐下泻,是吃了谁家送的饭",
      "清远宝树制衣厂那回员工吃完食堂晚饭出事,最后认定是什么性质的中毒",
    ]);
    // A Latin name names a story as well as a place or a person does.
    expect(
      decomposeQuestion("MiniMax前三季度净亏多少?OpenAI要是不上广告,2026年预计亏多少?"),
    ).toEqual(["MiniMax前三季度净亏多少", "OpenAI要是不上广告,2026年预计亏多少"]);
  });

  it("reads a later question that points back as one about the first one's subject", () => {
    const parts = decomposeQuestion("御辰东落户在哪个镇?它在新埭投了多少钱?");
    expect(parts).toHaveLength(2);
    expect(parts[1]).toContain("御辰东");
  });

  it("gives B what A names before a time that B's parallels, and A the head after B's time", () => {
    expect(decomposeQuestion("平湖2024年和2025年的固定资产投资分别增长了多少?")).toEqual([
      "平湖2024年的固定资产投资分别增长了多少",
      "平湖2025年的固定资产投资分别增长了多少",
    ]);
    expect(decomposeQuestion("2025年12月18号和19号两天A股开盘时沪指分别报多少点?")).toEqual([
      "2025年12月18号两天A股开盘时沪指分别报多少点",
      "2025年12月19号两天A股开盘时沪指分别报多少点",
    ]);
    // A month after a year's half: the year is B's too.
    expect(decomposeQuestion("2025年上半年和11月,新能源车占新车总销量的比例分别是多少?")[1]).toBe(
      "2025年11月新能源车占新车总销量的比例分别是多少",
    );
    expect(decomposeQuestion("平湖2024年和2025年的固定资产投资增速,哪一年更快?")[0]).toBe(
      "平湖2024年的固定资产投资增速,哪一年更快",
    );
  });

  it("gives A what B's clause asks where a later clause asks of both", () => {
    expect(decomposeQuestion("摩尔线程和智谱2024年的收入各是多少?谁更高?")[0]).toBe(
      "摩尔线程的收入各是多少,谁更高",
    );
    // B's own noun phrase is not A's: the later clause alone is shared.
    expect(decomposeQuestion("香港干德道那个豪宅单位和梅铎长子买的悉尼豪宅,哪个更贵?")).toEqual([
      "香港干德道那个豪宅单位哪个更贵",
      "梅铎长子买的悉尼豪宅哪个更贵",
    ]);
  });

  it("does not give B a place that A names before its time where B names its own", () => {
    expect(
      decomposeQuestion(
        "新疆哈密2014年那次5.1级地震和2009年察布查尔那次5.0级地震,哪次震源更深?",
      )[1],
    ).toBe("2009年察布查尔那次5.0级地震哪次震源更深");
  });

  it("splits A,和B,哪笔…更多, where a comma stands before 和", () => {
    expect(decomposeQuestion("甲银行给A厂的研发贷,和融担公司给B厂的担保贷款,哪笔钱更多?")).toEqual([
      "甲银行给A厂的研发贷哪笔钱更多",
      "融担公司给B厂的担保贷款哪笔钱更多",
    ]);
  });

  it("splits A跟B where jieba tags 跟 as a preposition", () => {
    expect(decomposeQuestion("经适房跟限价房各卖出去多少套?")).toEqual([
      "经适房各卖出去多少套",
      "限价房各卖出去多少套",
    ]);
  });

  it("splits A的X和B的Y where jieba glues 和 to the next character", () => {
    // jieba cuts "产值和平湖" as 产值 / 和平 / 湖.
    expect(
      decomposeQuestion("到2025年,嘉善姚庄镇的规上工业产值和平湖经开的产值,各自要冲到多少亿?"),
    ).toEqual([
      "到2025年 嘉善姚庄镇的规上工业产值各自要冲到多少亿",
      "到2025年 平湖经开的产值各自要冲到多少亿",
    ]);
  });

  it("splits A和B in a later clause, the clauses before it saying what both parts are about", () => {
    expect(
      decomposeQuestion("昆明火车站暴恐案,3月2日零时和2日早上6点通报的死亡人数分别是多少?"),
    ).toEqual([
      "昆明火车站暴恐案 3月2日零时的死亡人数分别是多少",
      // B's day is of A's month.
      "昆明火车站暴恐案 3月2日早上6点通报的死亡人数分别是多少",
    ]);
  });

  it("gives a bare A the head B shares, and an A with a head of its own only the question", () => {
    expect(decomposeQuestion("平湖和嘉善的GDP分别是多少?")).toEqual([
      "平湖的GDP分别是多少",
      "嘉善的GDP分别是多少",
    ]);
    expect(decomposeQuestion("嘉善农商行给昊柏的贷款和融担给大圭电子的担保贷款各多少?")).toEqual([
      "嘉善农商行给昊柏的贷款各多少",
      "融担给大圭电子的担保贷款各多少",
    ]);
  });

  it("asks each part of a comparison on its own, without the words that compare the two", () => {
    const parts = decomposeQuestion("姚庄镇2025年的产值目标和平湖经开2025年的产值目标,哪个更高?");
    expect(parts.map(askedAlone)).toEqual([
      "姚庄镇2025年的产值目标是多少",
      "平湖经开2025年的产值目标是多少",
    ]);
    // A size keeps its sense, whose units the answer gives; 更贵 asks the price.
    expect(askedAlone("A地震哪次震源更深")).toBe("A地震震源多深");
    expect(askedAlone("梅铎长子买的悉尼豪宅哪个更贵")).toBe("梅铎长子买的悉尼豪宅多少钱");
    // Comparing words after a part that asks already go; 各 stays.
    expect(askedAlone("摩尔线程的收入各是多少,谁更高")).toBe("摩尔线程的收入各是多少");
  });

  it("does not split a title, a quote, or 和 that relates A to B", () => {
    for (const question of [
      "《关于托勒密和哥白尼两大世界体系的对话》这本书里两个主角是谁?",
      "男性逐渐取代女性取得主导地位,其原因和两个产业的发展有关,一个是农业,另一个是?",
      "杰米·海纳曼和他的搭档相比以什么特点著称?",
    ]) {
      expect(decomposeQuestion(question)).toEqual([question]);
    }
    expect(decomposeQuestion("A项目和B项目相比,哪个总投资更大?")).toHaveLength(2);
  });

  it("does not take 几 for a question where it means a few or tens", () => {
    for (const question of [
      "霍城那几个小孩吃了自家腌的酸菜,为啥会中毒?",
      "西汉高速刚通车没几天就三十多辆车连环撞,咋回事?",
      "那家洗脚城几十个女技师一起难受送医,是吃坏了啥菜?",
    ]) {
      expect(decomposeQuestion(question)).toEqual([question]);
    }
    expect(decomposeQuestion("那辆客车核载几个人,实际拉了多少?")).toHaveLength(2);
  });
});

describe("a part's own words", () => {
  it("are the words no other part holds", () => {
    const parts = decomposeQuestion("东湖实业在滨江拿那块地花了多少?后来被传逃税的金额又是多少?");
    expect(ownWordsOfParts(parts)[1]).toEqual(expect.arrayContaining(["逃税", "金额"]));
    expect(ownWordsOfParts(parts)[1]).not.toContain("东湖");
    expect(ownWordsOfParts(["A项目总投资多少", "A项目总投资 多少"])).toEqual([[], []]);
  });

  it("narrow an inherited part to its clause and the first name it inherited", () => {
    expect(narrowPart("郭台铭在重庆拿那块黄金地花了 后来被传逃税的金额又是多少")).toBe(
      "郭台铭 后来被传逃税的金额又是多少",
    );
    expect(narrowPart("桐乡今年有多少个项目开工")).toBeUndefined();
  });
});

describe("a part that another part's sentence seems to answer", () => {
  const archive = useMadeUpArchive("lnb-parts-", [
    {
      id: "land",
      title: "东湖实业10亿元拿下滨江地块",
      date: "2025-03-01",
      paper: "测试日报",
      text: "东湖实业昨日以10亿元竞得滨江一块商业用地，成交金额创今年新高。该地块将建商业综合体。",
    },
    {
      id: "tax",
      title: "东湖实业被曝欠缴税款",
      date: "2025-05-01",
      paper: "测试日报",
      text: "有媒体报道称，东湖实业被税务部门追缴逃税税款，金额达3.5亿元。公司对此暂未回应。",
    },
  ]);

  it("is answered with a sentence of its own, from the story that holds its own words", async () => {
    const answer = await archive().ask(
      "东湖实业在滨江拿那块地花了多少?后来被传逃税的金额又是多少?",
    );
    expect(answer.abstained).toBe(false);
    expect(answer.text).toContain("10亿元");
    expect(answer.text).toContain("3.5亿元");
  });

  it("is said to be missing where no sentence holds its own words", async () => {
    const answer = await archive().ask("东湖实业在滨江拿那块地花了多少?后来被罚款的金额又是多少?");
    expect(answer.text).toContain("10亿元");
    expect(answer.text).not.toContain("3.5亿元");
    expect(answer.text).toMatch(/关于“[^”]*罚款[^”]*”,已收录的报道里没有找到答案。/u);
  });
});

describe("a part that asks only another measure of the same thing", () => {
  const archive = useMadeUpArchive("lnb-measure-parts-", [
    {
      id: "yard",
      title: "南港村一回收站停车场起火",
      date: "2025-08-06",
      paper: "测试日报",
      text: "昨天凌晨，南港村一家汽车回收站的停车场突发火灾，200多辆废旧摩托车被烧毁。消防部门出动5辆消防车扑救。回收站负责人说，停车场占地8000平方米。",
    },
    {
      id: "tower",
      title: "滨江大厦北塔封顶",
      date: "2025-09-01",
      paper: "测试日报",
      text: "滨江大厦北塔昨日封顶，北塔高度为59.4米，共计13层。大厦预计明年投用。",
    },
    {
      id: "exam-2026",
      title: "南港市考研报名人数再降",
      date: "2025-12-10",
      paper: "测试日报",
      text: "2026年南港市考研报名人数降至3.4万，比2023年的峰值减少了1.3万。专家认为，学生的选择更趋理性。",
    },
    {
      id: "exam-trend",
      title: "南港市考研热降温",
      date: "2025-03-02",
      paper: "测试日报",
      text: "南港市考研报名人数已连续两年下降，从2023年的4.7万降至2025年的3.9万。",
    },
  ]);

  it("is answered from another sentence when the first part's sentence gives no such measure", async () => {
    const answer = await archive().ask("南港村回收站停车场着火,烧了多少辆摩托?那停车场一共多大?");
    expect(answer.text).toContain("200多辆");
    expect(answer.text).toContain("8000平方米");
  });

  it("takes a count of people that the sentence found for the part states without 人", async () => {
    const answer = await archive().ask(
      "2026年南港市考研报名人数比2023年峰值少了多少?2023年当时有多少人?",
    );
    expect(answer.text).toContain("1.3万");
    expect(answer.text).toContain("4.7万");
  });

  it("keeps the one sentence that gives both measures", async () => {
    const answer = await archive().ask("滨江大厦北塔有多高?一共几层?");
    expect(answer.text).toContain("59.4米");
    expect(answer.text).toContain("13层");
    expect(answer.citations).toHaveLength(1);
    expect(answer.text).not.toContain("明年投用");
  });
});

describe("compound questions on the sample editions", () => {
  it("answers the part the archive holds and says which part it does not", async () => {
    const answer = await sample.engine.ask(
      "阿里巴巴长三角智能计算基地总投资多少?桐乡今年一季度有多少个重大项目集中开工?",
    );
    expect(answer.abstained).toBe(false);
    expect(answer.text).toContain("143亿元");
    expect(answer.text).toContain(
      "关于“桐乡今年一季度有多少个重大项目集中开工”,已收录的报道里没有找到答案。",
    );
  });
});

describe("questions asked one after another about two stories of the sample editions", () => {
  it("answers each from its own story", async () => {
    const answer = await sample.engine.ask(
      "阿里巴巴长三角智能计算基地总投资多少?平湖经开那边,2025年产值要突破多少亿?",
    );
    expect(answer.abstained).toBe(false);
    expect(answer.text).toContain("143亿元");
    expect(answer.text).toContain("700 亿元");
  });
});

describe("compound questions over two stories of the sample editions", () => {
  it("answers each part from its own story", async () => {
    const answer = await sample.engine.ask(
      "到2025年,嘉善姚庄镇的规上工业产值和平湖经开的产值,各自要冲到多少亿?",
    );
    expect(answer.text).toContain("800亿元");
    expect(answer.text).toContain("700 亿元");
  });
});

describe("declines", () => {
  it("shows the closest sentence of the same story, cited, when the asked fact is missing", async () => {
    const answer = await sample.engine.ask("阿里巴巴长三角智能计算基地什么时候全部建成?");
    expect(answer.abstained).toBe(true);
    if (answer.citations.length > 0) {
      expect(answer.text).toMatch(/^已收录的报道里没有找到这个问题的确切答案。/u);
      const quoted = /一句是:(.+)\[1\]$/u.exec(answer.text)?.[1] ?? "";
      expect(compact(answer.citations[0]?.chunk.text ?? "")).toContain(compact(quoted));
    }
  });
});
