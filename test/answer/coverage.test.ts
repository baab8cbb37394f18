import { beforeAll, describe, expect, it } from "vitest";
import { ASK_FOR_TOPIC, composeCoverageAnswer } from "../../src/answer/coverage.js";
import type { NewsIndex } from "../../src/store/types.js";
import { useMadeUpArchive, type MadeUpStory } from "../helpers/made-up-archive.js";

/**
 * Made-up stories on kitchen appliances: one whose headline names soy-milk makers, a newer guide
 * that names them often, and a newer long review that names them once; no headline names the
 * juicer that the guide and the review mention.
 */
const ARTICLES: MadeUpStory[] = [
  {
    id: "standard",
    title: "豆浆机新国标下月实施",
    date: "2025-03-01",
    paper: "测试日报",
    text:
      "豆浆机新国家标准下月起实施，新标准对豆浆机的噪音和能耗提出了更高要求。" +
      "市场监管部门表示，不符合新标准的豆浆机将不得销售。",
  },
  {
    id: "guide",
    title: "厨房小家电选购指南",
    date: "2025-04-01",
    paper: "测试日报",
    text:
      "选购厨房小家电要看功率和容量。豆浆机宜选不锈钢内胆，豆浆机的刀头要便于清洗。" +
      "有老人的家庭可选带预约功能的豆浆机。榨汁机宜选低转速的，榨汁机的滤网要能拆洗。" +
      "空气炸锅宜选可视窗口的。",
  },
  {
    id: "review",
    title: "家电市场年度回顾",
    date: "2025-05-01",
    paper: "测试日报",
    text:
      "今年家电市场整体平稳，空调和冰箱销量小幅增长，洗衣机销量持平，彩电销量继续下滑。" +
      "业内人士分析，房地产市场调整影响了新房装修带动的家电需求，以旧换新补贴则拉动了部分换新消费。" +
      "线上渠道的销售额占比首次超过六成，直播带货成为不少品牌的重要渠道，线下门店则更多转向体验和服务。" +
      "在价格方面，原材料成本回落，多数品类的均价有所下降，高端产品的销量占比却在上升。" +
      "节能产品受到消费者青睐，一级能效空调的销量占比超过七成，变频洗衣机也成为主流。" +
      "智能家电的渗透率继续提高，能联网、能语音控制的产品越来越多，但也有消费者反映功能过于复杂。" +
      "出口方面，家电出口额同比增长，东南亚和中东市场增长较快，欧美市场需求偏弱。" +
      "厨房小家电中，豆浆机、空气炸锅和榨汁机的销量都有所下降，电饭煲和微波炉的销量大致持平。" +
      "售后服务方面，多个品牌延长了整机保修期，上门安装和旧机回收也更加便利。" +
      "渠道库存总体处于合理水平，部分品牌在年底前通过促销清理了老款产品的库存。" +
      "行业协会表示，将继续推动家电标准的修订，并加强对虚假宣传和以次充好的治理。" +
      "消费者调查显示，价格、能效和售后是大家选购家电时最看重的三个因素。" +
      "展望明年，业内预计家电市场将保持平稳，以旧换新政策和新品发布仍是主要的增长动力。",
  },
  {
    // A story exported with a label line above its text.
    id: "kettle",
    title: "电热水壶抽检结果公布",
    date: "2025-05-10",
    paper: "测试日报",
    text: "摘要\n市场监管局昨天公布电热水壶抽检结果，12批次中有2批次不合格。\n不合格产品已责令下架。",
  },
  {
    // A story that opens with its writer's preamble and a word on itself before the news.
    id: "bikes",
    title: "电动自行车新国标实施首月销量下滑三成",
    date: "2025-05-20",
    paper: "测试日报",
    text:
      "作为一名长期关注出行行业的记者，我这个月走访了本市多家车行。" +
      "本文将梳理电动自行车新国标对市场的影响。" +
      "新国标实施首月，全市电动自行车销量同比下滑三成。部分车行表示库存压力较大。",
  },
  {
    // A story on a county's meeting that names one of its towns once, far from its lead.
    id: "county",
    title: "嘉善召开乡村振兴工作推进会",
    date: "2025-05-25",
    paper: "测试日报",
    text:
      "嘉善昨天召开乡村振兴工作推进会,总结去年工作,部署今年任务。" +
      "会议要求各地加快农田建设,办好民生实事。" +
      "会上,凤桥镇等作交流发言。",
  },
];

const archive = useMadeUpArchive("lnb-coverage-", ARTICLES);
let index: NewsIndex;
beforeAll(() => {
  index = archive().index;
});

/** The ids of the made-up articles a coverage answer lists, in its order. */
function listed(question: string): string[] {
  const answer = composeCoverageAnswer(index, question, new Date("2025-06-01T12:00:00+08:00"));
  expect(answer?.abstained).toBe(false);
  return (answer?.citations ?? []).map(
    (c) => ARTICLES.find((a) => a.title === c.chunk.headline)?.id ?? c.chunk.headline,
  );
}

describe("coverage answers", () => {
  it("list the stories about the topic, not a newer one that names it in passing", () => {
    expect(listed("有哪些关于豆浆机的报道?")).toEqual(["guide", "standard"]);
  });

  it("list the story that names a topic most where no headline names it", () => {
    expect(listed("有哪些提到榨汁机的报道?")).toEqual(["guide"]);
  });

  it("quote the sentence that names the topic where neither headline nor summary does", () => {
    const answer = composeCoverageAnswer(
      index,
      "有哪些提到榨汁机的报道?",
      new Date("2025-06-01T12:00:00+08:00"),
    );
    expect(answer?.text).toContain("《厨房小家电选购指南》:榨汁机宜选低转速的");
  });

  it("quote the sentence that names a place asked about where the lead names only its county", () => {
    const answer = composeCoverageAnswer(
      index,
      "哪些报道提到了嘉善的凤桥镇?",
      new Date("2025-06-01T12:00:00+08:00"),
    );
    expect(answer?.text).toContain("《嘉善召开乡村振兴工作推进会》:会上,凤桥镇等作交流发言。");
  });

  it("read the kind a demonstrative gives the topic as no word of it", () => {
    expect(listed("榨汁机这种产品在哪些报道里出现过?")).toEqual(["guide"]);
  });

  it("read what followed and the event pointed at as no words of the topic", () => {
    expect(listed("豆浆机后来都有啥新闻?")).toEqual(["guide", "standard"]);
    expect(listed("那次豆浆机新国标之后都有哪些后续报道?")).toEqual(["standard"]);
  });

  it("say the archive names the topic nowhere, rather than answer from its other words", () => {
    const answer = composeCoverageAnswer(
      index,
      "冰淇淋最近有哪些新闻?",
      new Date("2025-06-01T12:00:00+08:00"),
    );
    expect(answer?.abstained).toBe(true);
    expect(answer?.text).toBe("抱歉,已收录的报道里没有提到“冰淇淋”的报道。");
    expect(answer?.citations).toEqual([]);
  });

  it("ask for the topic where the question names none", () => {
    const answer = composeCoverageAnswer(
      index,
      "后来都有啥新闻?",
      new Date("2025-06-01T12:00:00+08:00"),
    );
    expect(answer?.abstained).toBe(true);
    expect(answer?.text).toBe(ASK_FOR_TOPIC);
    expect(answer?.citations).toEqual([]);
  });

  it("sum a story up with its first sentence, not the label above it", () => {
    const answer = composeCoverageAnswer(
      index,
      "有哪些电热水壶的报道?",
      new Date("2025-06-01T12:00:00+08:00"),
    );
    expect(answer?.text).toContain("》:市场监管局昨天公布电热水壶抽检结果");
  });

  it("sum a story up with the sentence that states its headline's news, not a preamble", () => {
    const answer = composeCoverageAnswer(
      index,
      "有哪些电动自行车的报道?",
      new Date("2025-06-01T12:00:00+08:00"),
    );
    expect(answer?.text).toContain("》:新国标实施首月，全市电动自行车销量同比下滑三成。[1]");
  });

  it("list every story whose headline names the topic, newest first", () => {
    expect(listed("家电方面有哪些报道?")).toEqual(["review", "guide"]);
  });
});
