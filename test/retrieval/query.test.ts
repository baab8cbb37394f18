import { describe, expect, it } from "vitest";
import { analyzeQuery, detectAnswerType } from "../../src/retrieval/query.js";
import { fuseReciprocalRank } from "../../src/retrieval/fusion.js";

describe("analyzeQuery", () => {
  it("detects the answer type from question words", () => {
    expect(detectAnswerType("平湖现在一共有多少户经营主体?")).toBe("number");
    expect(detectAnswerType("凯鑫森新材料的厂子预计什么时候投产?")).toBe("date");
    expect(detectAnswerType("城东夜市晚上几点收摊?")).toBe("date");
    expect(detectAnswerType("图书馆星期几闭馆?")).toBe("date");
    expect(detectAnswerType("嘉兴市第四届红色故事讲解员大赛一等奖是谁?")).toBe("person");
    expect(detectAnswerType("大圭电子当初为什么融资困难?")).toBe("reason");
    expect(detectAnswerType("独山港一季度推进多少个重点项目,总投资多少?")).toBe("money");
    expect(detectAnswerType("平湖的人工智能基金有多大?")).toBe("money");
    expect(detectAnswerType("OpenClaw 这个开源 AI agent 以前叫啥名?")).toBe("alias");
    expect(detectAnswerType("这个镇原来叫什么?")).toBe("alias");
    // 几 as "a few" or "tens" asks no count.
    expect(detectAnswerType("那几个小孩吃的酸菜是谁家腌的?")).toBe("person");
    expect(detectAnswerType("几十个女技师一起送医,是吃坏了啥菜?")).not.toBe("number");
    expect(detectAnswerType("是哪位医生提醒家长近几天还得留意孩子的反应?")).toBe("person");
    expect(detectAnswerType("前几天那场火,是谁最先报的警?")).toBe("person");
    // Which two people, which villager: people, though 哪个村 alone asks a place.
    expect(detectAnswerType("比赛的二等奖是哪两位?")).toBe("person");
    expect(detectAnswerType("是哪个村民说不同意征地的?")).toBe("person");
    expect(detectAnswerType("他住在哪个村?")).toBe("place");
    expect(detectAnswerType("前几天那场火烧了几间房?")).toBe("number");
    // Nor in a word that holds it: 几内亚 (Guinea), 几乎 (almost).
    expect(detectAnswerType("1965年几内亚和法国断交后,采用新的货币叫什么?")).toBe("name");
    expect(detectAnswerType("他几乎拿下了所有奖项,是凭哪部电影?")).not.toBe("number");
    // Nor after a number: "20几所", "十几个" are round counts the question gives.
    expect(analyzeQuery("北京20幾所高等院校學生在哪裡舉行遊行集會?").answerType).toBe("place");
    expect(detectAnswerType("十几个人受伤,送到了哪家医院?")).toBe("name");
  });
  it("reads 西元几年, 几几年 and 哪一年 as asking a year, and 几年 as asking how long", () => {
    expect(analyzeQuery("他被殺是發生在西元幾年的事情?").answerType).toBe("date");
    expect(detectAnswerType("他是几几年出生的?")).toBe("date");
    expect(detectAnswerType("这事发生在哪一年?")).toBe("date");
    expect(detectAnswerType("公司成立几年了?")).toBe("number");
  });
  it("reads 在哪 as asking a place, but not 在哪一个世纪 or 在哪场比赛", () => {
    expect(detectAnswerType("事故发生在哪?")).toBe("place");
    expect(detectAnswerType("完形心理学派在哪一个世纪出现?")).not.toBe("place");
    expect(detectAnswerType("在哪场战役后,中共统一了全国币制?")).not.toBe("place");
  });
  it("reads a question that ends in 什么 as asking what, not whether", () => {
    expect(detectAnswerType("这份报告里11月的失业率是什么?")).not.toBe("yesno");
    expect(detectAnswerType("平湖今年还会新建学校吗?")).toBe("yesno");
  });
  it("reads 称为什么 and 成为什么 as asking what, not why", () => {
    expect(detectAnswerType("锣鼓经常用的节奏型称为什么?")).not.toBe("reason");
    expect(detectAnswerType("「大東亞戰爭」又被稱為什麼戰爭?")).not.toBe("reason");
    expect(analyzeQuery("在三叠纪,华北陆块成为什么的一部分?").kind).toBe("fact");
    expect(analyzeQuery("敷岛整修之后主要作为什么用途?").kind).toBe("fact");
    expect(detectAnswerType("盲点呈现为什么样的形状?")).not.toBe("reason");
  });
  it("reads 哪几家 as asking which ones, and 几家 as asking how many", () => {
    expect(detectAnswerType("陈利众去海宁看了哪几家企业?")).toBe("list");
    expect(detectAnswerType("这部作品由哪几个部分组成?")).toBe("list");
    expect(detectAnswerType("新增了几家企业?")).toBe("number");
    // 为什么 after 名称 or before 被称为 still asks why.
    expect(detectAnswerType("这条路的名称为什么改了?")).toBe("reason");
    expect(analyzeQuery("他为什么被称为诗仙?").kind).toBe("why_how");
  });
  it("reads the growth, share or rank of an amount as a number, not as money", () => {
    expect(detectAnswerType("平湖的固定资产投资增长了多少?")).toBe("number");
    expect(detectAnswerType("民间投资占固定资产投资的比重不低于多少?")).toBe("number");
    expect(detectAnswerType("平湖的民间投资在嘉兴排第几?")).toBe("number");
    expect(detectAnswerType("阿里长三角智算基地总投资多少?")).toBe("money");
    // 比重 is a share, not a comparison written with 比…低.
    expect(analyzeQuery("民间投资的比重不低于多少?").kind).toBe("fact");
    expect(analyzeQuery("今年的产值比去年高多少?").kind).toBe("comparison");
  });
  it("keeps a word that opens with a comparative (最低工资) and drops the comparative that asks", () => {
    expect(analyzeQuery("嘉兴市区最低工资标准是多少?").terms).toContain("最低工资");
    expect(analyzeQuery("平湖哪个镇的人口最多?").terms).not.toContain("最多");
  });
  it("drops a demonstrative and its classifier, and the 些 of a plural question word", () => {
    // jieba glues them into words no story writes ("那场", "顿饭", "过些").
    expect(analyzeQuery("那顿饭都吃了些啥?").terms).toEqual(["饭", "吃"]);
    expect(analyzeQuery("那场火烧了多久?").terms).not.toContain("那场");
    expect(analyzeQuery("这起车祸死了几个人?").terms).not.toContain("这起");
    expect(analyzeQuery("学生们都吃过些什么?").terms).not.toContain("过些");
  });
  it("reads 用意念 as a means of control, not as asking a purpose (用意)", () => {
    expect(detectAnswerType("用意念控制机器狗的患者多大年纪?")).toBe("number");
    expect(detectAnswerType("这个安排的用意是什么?")).toBe("reason");
  });
  it("classifies why/how, comparison and coverage questions", () => {
    expect(analyzeQuery("“30分钟我来办”具体是怎么个办法?").kind).toBe("why_how");
    expect(analyzeQuery("阿里长三角智算基地和润泽智算中心,哪个总投资更大?").kind).toBe(
      "comparison",
    );
    expect(analyzeQuery("最近平湖有什么新闻?").kind).toBe("coverage");
  });
  it("converts traditional questions to simplified terms", () => {
    const q = analyzeQuery("平湖設立的人工智慧專項基金總規模多少?");
    expect(q.simplified).toContain("设立");
    expect(q.terms).toContain("平湖");
  });
  it("expands abbreviations with their full forms", () => {
    const q = analyzeQuery("嘉善农商行给了多少贷款?");
    expect(q.expansions).toContain("银行");
  });
});

describe("fuseReciprocalRank", () => {
  it("ranks items found by both lists above items found by one", () => {
    const fused = fuseReciprocalRank([
      { keys: [1, 2, 3], weight: 1 },
      { keys: [3, 4, 1], weight: 1 },
    ]);
    expect(
      fused
        .slice(0, 2)
        .map((f) => f.key)
        .sort(),
    ).toEqual([1, 3]);
    expect(fused.map((f) => f.key)).toHaveLength(4);
  });
});
