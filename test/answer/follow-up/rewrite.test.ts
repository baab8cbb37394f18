import { describe, expect, it } from "vitest";
import { analyzeDependence } from "../../../src/answer/follow-up/dependence.js";
import { rewriteFollowUp } from "../../../src/answer/follow-up/rewrite.js";
import type { ConversationTurn } from "../../../src/answer/llm/memory.js";
import { readEvalQuestions } from "../../helpers/eval-questions.js";
import { useSampleEngine } from "../../helpers/sample-engine.js";

const sample = useSampleEngine("follow-up-rewrite-");

/** The id of the sample article whose headline holds `headline`; throws when there is none. */
function articleId(headline: string): string {
  const article = sample.engine.index.articles().find((a) => a.headline.includes(headline));
  if (!article) throw new Error(`no sample article with headline ${headline}`);
  return article.id;
}

/** A history of one earlier turn, citing the sample articles whose headlines hold `headlines`. */
function after(question: string, answer?: string, ...headlines: string[]): ConversationTurn[] {
  const turn: ConversationTurn = { question, atMs: 0 };
  if (answer !== undefined) turn.answer = answer;
  if (headlines.length > 0) turn.articleIds = headlines.map(articleId);
  return [turn];
}

/** Rewrites against the sample index. */
function rewrite(question: string, history: readonly ConversationTurn[]): string {
  return rewriteFollowUp(question, history, sample.engine.index);
}

/** Previous turns of several kinds, each with the article its answer cited. */
function previousTurns(): ConversationTurn[][] {
  return [
    after(
      "平湖的人工智能专项基金有多大?",
      "平湖……设立总规模3亿元的人工智能专项基金……[1]",
      "算力经济浙江研讨会",
    ),
    after(
      "高裕家居主要生产什么产品?",
      "浙江高裕家居科技股份有限公司主要从事记忆棉床垫、枕头以及智能电动床的研发、生产和销售。[1]",
      "陈伟在嘉善开展",
    ),
    after(
      "第134期创新学堂什么时候举行的?",
      "7月1日晚,我市举行第134期创新学堂主题学习活动。[1]",
      "第134期创新学堂举行",
    ),
    after("那平湖呢?"),
  ];
}

describe("rewriteFollowUp: a pronoun or demonstrative that points back", () => {
  it("writes out the full name of the company the previous turn was about: 它在哪个镇?", () => {
    const history = after(
      "高裕家居主要生产什么产品?",
      "浙江高裕家居科技股份有限公司主要从事记忆棉床垫、枕头以及智能电动床的研发、生产和销售。[1]",
      "陈伟在嘉善开展",
    );
    expect(rewrite("它在哪个镇?", history)).toBe("浙江高裕家居科技股份有限公司在哪个镇?");
    expect(rewrite("这家公司去年营收多少?", history)).toBe(
      "浙江高裕家居科技股份有限公司去年营收多少?",
    );
  });

  it("finds the full name in the cited article even when the answer uses the short one", () => {
    const history = after("高裕家居的床垫卖得怎么样?", "高裕家居产销两旺。[1]", "陈伟在嘉善开展");
    expect(rewrite("它在哪个镇?", history)).toBe("浙江高裕家居科技股份有限公司在哪个镇?");
  });

  it("keeps the short name when the previous answer cited nothing", () => {
    expect(rewrite("它在哪个镇?", after("高裕家居主要生产什么产品?"))).toContain("高裕家居");
  });

  it("takes the company a previous 哪家… question got as its answer", () => {
    const history = after(
      "哪家公司获得了嘉善农商银行的科技成果转化贷?",
      "昊柏(嘉兴)人工智能科技有限公司获得了400万元研发资金。[1]",
    );
    expect(rewrite("它和哪所大学合作?", history)).toBe(
      "昊柏(嘉兴)人工智能科技有限公司和哪所大学合作?",
    );
  });

  it("takes what the previous answer named for a subject described by a superlative", () => {
    const history = after(
      "嘉兴最高的楼有多高?",
      "长三角(嘉善)金融创新中心项目于2021年初开工建设,其中1#楼建筑高度达到199.75米。[1]",
      "2#楼北塔顺利封顶",
    );
    expect(rewrite("它什么时候竣工?", history)).toBe("长三角(嘉善)金融创新中心什么时候竣工?");
  });

  it("keeps a superlative description whole when the previous answer named nothing", () => {
    expect(rewrite("它有多少层?", after("嘉兴最高的楼叫什么?", "抱歉,没有找到。"))).toBe(
      "嘉兴最高的楼有多少层?",
    );
  });

  it("puts no company or action for 他 when the previous turn named no person", () => {
    const rewritten = rewrite("他是什么职务?", after("谁去调研了高裕家居?", "抱歉,没有找到。"));
    expect(rewritten).not.toMatch(/^(?:高裕家居|调研)是/u);
    expect(rewritten).toContain("他是什么职务");
  });

  it("replaces 这家公司 with the company the previous question named", () => {
    expect(
      rewrite("这家公司和哪所大学合作?", after("昊柏人工智能科技有限公司在研究什么项目?")),
    ).toBe("昊柏人工智能科技有限公司和哪所大学合作?");
  });

  it("takes the person the previous answer named for 他", () => {
    const history = after(
      "第134期创新学堂是谁主持的?",
      "市委副书记、政法委书记陈王进主持。[1]",
      "第134期创新学堂举行",
    );
    expect(rewrite("他是什么职务?", history)).toBe("陈王进是什么职务?");
  });
});

describe("rewriteFollowUp: a place in the previous answer's list", () => {
  it("puts the first or second organisation the previous answer named for 第一个, 第2个, 后者", () => {
    const history = after(
      "平湖今年有哪些大项目?",
      "阿里巴巴长三角智能计算基地总投资143亿元。[1]润泽智算中心项目总投资468亿元。[2]",
    );
    expect(rewrite("第一个投了多少?", history)).toBe("阿里巴巴长三角智能计算基地投了多少?");
    expect(rewrite("第2个在哪个镇?", history)).toBe("润泽智算中心在哪个镇?");
    expect(rewrite("后者什么时候建成?", history)).toBe("润泽智算中心什么时候建成?");
    expect(analyzeDependence("第一个投了多少?")).toEqual({
      kind: "ordinal",
      phrase: "第一个",
      position: 1,
    });
  });

  it("leaves an ordinal that a description follows alone: 第一个登上月球的人是谁?", () => {
    expect(analyzeDependence("第一个登上月球的人是谁?").kind).toBe("standalone");
  });

  it("keeps the previous question's words when its answer listed fewer", () => {
    expect(rewrite("第三个投了多少?", after("平湖今年有哪些大项目?", "抱歉,没有找到。"))).toContain(
      "第三个投了多少",
    );
  });
});

describe("rewriteFollowUp: an attribute asked alone", () => {
  it("asks 老板是谁? and 地址在哪? of the company the previous turn was about", () => {
    const history = after(
      "高裕家居主要生产什么产品?",
      "浙江高裕家居科技股份有限公司主要从事记忆棉床垫、枕头以及智能电动床的研发、生产和销售。[1]",
      "陈伟在嘉善开展",
    );
    expect(rewrite("老板是谁?", history)).toBe("浙江高裕家居科技股份有限公司老板是谁?");
    expect(rewrite("地址在哪?", history)).toBe("浙江高裕家居科技股份有限公司地址在哪?");
    expect(analyzeDependence("总投资多少?").kind).toBe("elided");
  });

  it("leaves an attribute with its own owner alone", () => {
    expect(analyzeDependence("高裕家居的老板是谁?").kind).toBe("standalone");
    expect(analyzeDependence("平湖的天气怎么样?").kind).toBe("standalone");
  });
});

describe("rewriteFollowUp: a question that leaves its subject out", () => {
  it("puts the event of the previous turn into 谁主持的?", () => {
    const history = after(
      "第134期创新学堂什么时候举行的?",
      "7月1日晚,我市举行第134期创新学堂主题学习活动。[1]",
      "第134期创新学堂举行",
    );
    expect(rewrite("谁主持的?", history)).toBe("第134期创新学堂是谁主持的?");
  });

  it("puts the subject of the previous turn into 投了多少钱? and 在哪个镇?", () => {
    const history = after(
      "阿里巴巴长三角智能计算基地在哪里?",
      "阿里巴巴长三角智能计算基地总投资143亿元。[1]",
      "陈伟在嘉善开展",
    );
    expect(rewrite("投了多少钱?", history)).toBe("阿里巴巴长三角智能计算基地投了多少钱?");
    expect(rewrite("什么时候建成的?", history)).toBe("阿里巴巴长三角智能计算基地是什么时候建成的?");
    expect(rewrite("在哪个镇?", history)).toBe("阿里巴巴长三角智能计算基地在哪个镇?");
  });
});

describe("rewriteFollowUp: 那…呢 and 还有呢", () => {
  it("substitutes a new place into the previous question: 那平湖呢?", () => {
    expect(rewrite("那平湖呢?", after("嘉兴的人工智能专项基金有多大?"))).toBe(
      "平湖的人工智能专项基金有多大?",
    );
    expect(rewrite("平湖呢", after("嘉兴的人工智能专项基金有多大?"))).toBe(
      "平湖的人工智能专项基金有多大?",
    );
    expect(rewrite("那独山港呢?", after("平湖一季度推进多少个重点项目?"))).toBe(
      "独山港一季度推进多少个重点项目?",
    );
    expect(rewrite("那平湖多少?", after("嘉兴的人工智能专项基金有多大?"))).toBe(
      "平湖的人工智能专项基金有多大?",
    );
  });

  it("swaps a whole name, not its first word: 那阿里巴巴呢? after a question about 高裕家居", () => {
    expect(rewrite("那阿里巴巴呢?", after("高裕家居主要生产什么产品?"))).toBe(
      "阿里巴巴主要生产什么产品?",
    );
  });

  it("gives a new place a place's turn, and keeps a company the previous question names", () => {
    expect(rewrite("那嘉善呢?", after("阿里巴巴那个基地投了多少钱?"))).toBe(
      "嘉善:阿里巴巴那个基地投了多少钱?",
    );
    expect(rewrite("那嘉善呢?", after("阿里巴巴在平湖的基地投了多少钱?"))).toBe(
      "阿里巴巴在嘉善的基地投了多少钱?",
    );
  });

  it("chains follow-ups through the stored standalone question", () => {
    const first = rewrite("那平湖呢?", after("嘉兴的人工智能专项基金有多大?"));
    expect(rewrite("那嘉善呢?", after(first))).toBe("嘉善的人工智能专项基金有多大?");
  });

  it("substitutes an organisation for an organisation, and a time for a time", () => {
    expect(rewrite("那润泽智算中心呢?", after("阿里长三角智算基地总投资多少?"))).toBe(
      "润泽智算中心总投资多少?",
    );
    expect(rewrite("那平湖农商银行呢?", after("嘉善农商行给了多少贷款?"))).toBe(
      "平湖农商银行给了多少贷款?",
    );
    expect(rewrite("那2024年呢?", after("平湖2025年人工智能产业营收增长多少?"))).toBe(
      "平湖2024年人工智能产业营收增长多少?",
    );
  });

  it("swaps a month for the month and keeps the year: 那11月呢?", () => {
    expect(rewrite("那11月呢?", after("2025年12月中国汽车出口了多少万辆?"))).toBe(
      "2025年11月中国汽车出口了多少万辆?",
    );
    expect(rewrite("那10月份呢?", after("2025年平湖新能源车销量多少?"))).toBe(
      "2025年10月份平湖新能源车销量多少?",
    );
    expect(rewrite("那2024年3月呢?", after("2025年12月中国汽车出口了多少万辆?"))).toBe(
      "2024年3月中国汽车出口了多少万辆?",
    );
  });

  it("repeats the previous question for 还有呢?", () => {
    expect(rewrite("还有呢?", after("平湖一季度推进多少个重点项目?"))).toBe(
      "平湖一季度推进多少个重点项目?",
    );
  });

  it("keeps the previous question and adds the new subject when nothing of its kind can be swapped", () => {
    const out = rewrite("那光伏呢?", after("平湖的人工智能专项基金有多大?"));
    expect(out).toContain("光伏");
    expect(out).toContain("平湖的人工智能专项基金有多大");
  });
});

describe("rewriteFollowUp: questions that stand alone", () => {
  it("leaves a question with its own subject alone after any previous turn", () => {
    for (const own of [
      // 那个 is modified by 阿里巴巴: the question names its subject.
      "阿里巴巴那个基地投了多少钱,什么时候建好?",
      // 那个 introduces a description of the subject.
      "那个做记忆棉床垫的公司叫啥?",
      "平湖那家做内存芯片封测的公司叫啥?",
      "那平湖有多少家企业?",
      "阿里巴巴长三角智能计算基地总投资是多少?",
      "嘉兴南湖机场开通了哪些客运航线?",
      "什么是算力经济?",
      "该怎么申请人工智能专项基金?",
      "这个月平湖有什么新闻?",
    ]) {
      for (const history of previousTurns()) {
        expect(rewrite(own, history), own).toBe(own);
      }
    }
  });

  it("leaves every public eval question unchanged after any previous turn", () => {
    const questions = readEvalQuestions();
    expect(questions.length).toBeGreaterThan(200);
    const changed: string[] = [];
    for (const { id, question } of questions) {
      for (const history of previousTurns()) {
        if (rewrite(question, history) !== question) changed.push(`${id}: ${question}`);
      }
    }
    expect(changed).toEqual([]);
  });

  it("leaves the first question of a chat unchanged", () => {
    expect(rewrite("那平湖呢?", [])).toBe("那平湖呢?");
    expect(rewrite("它在哪个镇?", [])).toBe("它在哪个镇?");
  });
});

describe("analyzeDependence", () => {
  it("tells the ways a question leans on the previous turn", () => {
    expect(analyzeDependence("它在哪个镇?")).toEqual({
      kind: "anaphor",
      phrase: "它",
      person: false,
    });
    expect(analyzeDependence("这家公司去年营收多少?")).toEqual({
      kind: "anaphor",
      phrase: "这家公司",
      person: false,
    });
    expect(analyzeDependence("他是什么职务?")).toEqual({
      kind: "anaphor",
      phrase: "他",
      person: true,
    });
    expect(analyzeDependence("这次会议谁主持的?")).toMatchObject({
      kind: "anaphor",
      phrase: "这次会议",
    });
    expect(analyzeDependence("谁主持的?")).toEqual({ kind: "elided" });
    expect(analyzeDependence("那平湖的呢?")).toEqual({ kind: "swap", subject: "平湖" });
    expect(analyzeDependence("还有吗")).toEqual({ kind: "more" });
  });

  it("finds a subject of its own in questions that use the same words", () => {
    for (const own of [
      "阿里巴巴那个基地投了多少钱,什么时候建好?",
      "那个做记忆棉床垫的公司叫啥?",
      "梁修身出生在哪里?",
      "这个鲤鱼门天后庙建于哪一年?",
      "嘉兴这次新增了几家地理标志专用标志使用企业?",
      "“30分钟我来办”具体是怎么个办法?",
      "Who hosted it?",
    ]) {
      expect(analyzeDependence(own).kind, own).toBe("standalone");
    }
  });
});
