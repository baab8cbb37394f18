import { describe, expect, it } from "vitest";
import { compareAnswers, findQuantities } from "../../src/answer/comparison.js";
import type { Answer } from "../../src/types.js";
import { makeChunk } from "./llm-fixtures.js";

function answer(text: string, abstained = false): Answer {
  return { question: "", text, abstained, citations: [], passages: [] };
}

const parts = ["阿里长三角智算基地哪个总投资更大", "润泽智算中心哪个总投资更大"];

describe("findQuantities", () => {
  it("reads amounts with 万/亿 into one base unit", () => {
    expect(findQuantities("总投资143亿元,另有400万元")).toEqual([
      { text: "143亿元", value: 143e8, unit: "元" },
      { text: "400万元", value: 400e4, unit: "元" },
    ]);
  });
});

describe("compareAnswers", () => {
  it("names the larger of two amounts in one unit, with both numbers", () => {
    const line = compareAnswers("阿里长三角智算基地和润泽智算中心,哪个总投资更大?", parts, [
      answer("阿里巴巴长三角智能计算基地总投资143亿元,部分楼栋已竣工投运。[1]"),
      answer("该项目总投资468亿元，总用地面积344.8亩。[1]"),
    ]);
    expect(line).toBe("相比之下,润泽智算中心的总投资更大(468亿元,另一个为143亿元)。");
  });

  it("says two parts that found the one figure of one sentence cannot be compared, not that they are alike", () => {
    const years = ["平湖2024年的固定资产投资增速是多少", "平湖2025年的固定资产投资增速是多少"];
    const growth = "去年,我市固定资产投资增长8.1%,增速列嘉兴第一。[1]";
    const question = "平湖2024年和2025年的固定资产投资增速,哪一年更快?";
    expect(compareAnswers(question, years, [answer(growth), answer(growth)])).toBe(
      "报道里只找到同一句话中的一个数字(8.1%),两者无法比较。",
    );
    // Two sentences that state one figure do say the two are alike.
    const line = compareAnswers(question, years, [
      answer("2024年,我市固定资产投资增长8.1%。[1]"),
      answer(growth),
    ]);
    expect(line).toContain("相同");
  });

  it("compares the figure of the sentence that speaks of the part's subject, not one of another story the part quotes first", () => {
    const other = makeChunk({
      articleId: "motor",
      headline: "一批重大项目集中开工",
      paper: "平湖日报",
      date: "2026-03-01",
      text: "总投资28.1亿元的尼得科汽车马达项目,将推动平湖汽车产业抢抓新机遇。",
    });
    const runze = makeChunk({
      articleId: "runze",
      headline: "润泽智算中心加快建设",
      paper: "平湖日报",
      date: "2026-03-02",
      text: "润泽智算中心项目现场。该项目总投资468亿元,总用地面积344.8亩。",
    });
    const line = compareAnswers("阿里长三角智算基地和润泽智算中心,哪个总投资更大?", parts, [
      answer("阿里巴巴长三角智能计算基地总投资143亿元,部分楼栋已竣工投运。[1]"),
      {
        ...answer(
          "总投资28.1亿元的尼得科汽车马达项目,将推动平湖汽车产业抢抓新机遇。[1]该项目总投资468亿元,总用地面积344.8亩。[2]",
        ),
        citations: [
          { n: 1, chunk: other },
          { n: 2, chunk: runze },
        ],
      },
    ]);
    expect(line).toBe("相比之下,润泽智算中心的总投资更大(468亿元,另一个为143亿元)。");
  });

  it("reads the amount written beside the thing a part asks about, not another of its sentence", () => {
    const line = compareAnswers(
      "甲银行给A厂的研发贷,和融担公司给B厂配的纯信用担保贷款,哪笔钱更多?",
      ["甲银行给A厂的研发贷哪笔钱更多", "融担公司给B厂配的纯信用担保贷款哪笔钱更多"],
      [
        answer("甲银行向A厂投放了400万元的研发贷。[1]"),
        answer("融担公司为B厂提供3000万元的股权投资,还同步匹配500万元纯信用担保贷款。[1]"),
      ],
    );
    expect(line).toBe(
      "相比之下,融担公司给B厂配的纯信用担保贷款的钱更多(500万元,另一个为400万元)。",
    );
  });

  it("reads the amount before a few characters that qualify the thing asked about", () => {
    const line = compareAnswers(
      "甲银行给A厂的研发贷,和融担公司给B厂的担保贷款,哪笔钱更多?",
      ["甲银行给A厂的研发贷哪笔钱更多", "融担公司给B厂的担保贷款哪笔钱更多"],
      [
        answer("甲银行向A厂投放了400万元的研发贷。[1]"),
        answer("融担公司为B厂提供3000万元的股权投资,还同步匹配500万元纯信用担保贷款。[1]"),
      ],
    );
    expect(line).toBe("相比之下,融担公司给B厂的担保贷款的钱更多(500万元,另一个为400万元)。");
  });

  it("compares 万元 with 亿元 by value", () => {
    const line = compareAnswers(
      "甲项目和乙项目,哪个投资更大?",
      ["甲项目哪个投资更大", "乙项目哪个投资更大"],
      [answer("甲项目投资1.2亿元。[1]"), answer("乙项目投资9000万元。[1]")],
    );
    expect(line).toContain("甲项目");
  });

  it("names the smaller for 哪次更浅, with lengths written in 千米 and 公里", () => {
    const line = compareAnswers(
      "海城和天祝那两次地震,震源各有多深?哪次更浅?",
      ["海城震源各有多深,哪次更浅", "天祝那两次地震震源各有多深,哪次更浅"],
      [
        answer("海城发生4.3级地震,震源深度约10公里。[1]"),
        answer("天祝发生4.3级地震,震源深度6千米。[1]"),
      ],
    );
    expect(line).toBe("相比之下,天祝那两次地震震源更浅(6千米,另一个为10公里)。");
  });

  it("names the dearer for 哪家更贵", () => {
    const line = compareAnswers(
      "甲店和乙店的套餐,哪家更贵?",
      ["甲店的套餐哪家更贵", "乙店的套餐哪家更贵"],
      [answer("甲店套餐售价88元。[1]"), answer("乙店套餐售价128元。[1]")],
    );
    expect(line).toContain("乙店");
    expect(line).toContain("更贵");
  });

  it("compares the counts asked, not the year of a dateline, and names each event without the words of both", () => {
    const line = compareAnswers(
      "宁城黑城村办丧宴和巍山甸中村办丧事请客,这两回集体食物中毒各有多少人?哪回更多?",
      [
        "宁城黑城村办丧宴这两回集体食物中毒各有多少人,哪回更多",
        "巍山甸中村办丧事请客这两回集体食物中毒各有多少人,哪回更多",
      ],
      [
        answer("2008年4月2日\n黑城村四组发生73人集体食物中毒事件。[1]"),
        answer("2008-08-13\n2008年7月5日,甸中村一村民家中办丧事酬客,有286人中毒。[1]"),
      ],
    );
    expect(line).toBe("相比之下,巍山甸中村办丧事请客更多(286人,另一个为73人)。");
  });

  it("reads 哪边多 without 更, and passes over a dateline's year where no unit is asked", () => {
    const line = compareAnswers(
      "甲幼儿园和乙幼儿园的食物中毒,各有多少孩子中毒?哪边多?",
      ["甲幼儿园各有多少孩子中毒,哪边多", "乙幼儿园的食物中毒各有多少孩子中毒,哪边多"],
      [
        answer("2007年9月21日\n甲幼儿园59名儿童有明显中毒症状。[1]"),
        answer("近50名学生已被送到医院。[1]"),
      ],
    );
    expect(line).toBe("相比之下,甲幼儿园更多(59名,另一个为50名)。");
  });

  it("says nothing when the units differ or a part abstained", () => {
    const q = "甲项目和乙项目,哪个更大?";
    const p = ["甲项目哪个更大", "乙项目哪个更大"];
    expect(compareAnswers(q, p, [answer("占地30亩。[1]"), answer("投资3亿元。[1]")])).toBe(
      undefined,
    );
    expect(compareAnswers(q, p, [answer("投资3亿元。[1]"), answer("抱歉", true)])).toBe(undefined);
  });

  it("says nothing for a question that asks for both values but no winner", () => {
    expect(
      compareAnswers(
        "甲和乙的贷款各多少?",
        ["甲的贷款各多少", "乙的贷款各多少"],
        [answer("贷款400万元。[1]"), answer("贷款500万元。[1]")],
      ),
    ).toBe(undefined);
  });
});
