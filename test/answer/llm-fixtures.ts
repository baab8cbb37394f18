import type { Answer, Chunk, Passage } from "../../src/types.js";

/** A chunk built by hand with every field of src/types.ts. */
export function makeChunk(
  fields: Pick<Chunk, "articleId" | "text" | "headline" | "paper" | "date">,
): Chunk {
  return {
    id: `${fields.articleId}#0`,
    ordinal: 0,
    sentenceStart: 0,
    sentenceEnd: 3,
    source: `${fields.articleId}.txt`,
    kind: "news",
    byline: [],
    ...fields,
  };
}

/** Passages ranked 1..n in the given order. */
export function rank(chunks: readonly Chunk[]): Passage[] {
  return chunks.map((chunk, i) => ({ chunk, rank: i + 1, score: 1 / (i + 1) }));
}

/** 平湖日报, March 2026: the AI fund (3亿元), 44 companies, revenue +45%. */
export const PINGHU_FUND = makeChunk({
  articleId: "pinghu-compute",
  paper: "平湖日报",
  date: "2026-03",
  headline: "推动算力资源高效转化 算力经济浙江研讨会在平召开",
  text:
    "2025年,平湖44家人工智能相关企业人工智能产业营收同比增长45%,投资同比增长118%,均领跑嘉兴。" +
    "平湖的创新生态更是为算力经济的发展构建了强大的磁吸力,率先出台了人工智能专项政策,设立总规模3亿元的人工智能专项基金," +
    "同时落地了毛军发院士工作站、上交大平湖智能光电研究院等十余家研究机构。",
});

/** 嘉兴日报, 7 March 2026: Alibaba's Yangtze Delta computing base, 143亿元. */
export const ALIBABA_BASE = makeChunk({
  articleId: "jiaxing-chenwei",
  paper: "嘉兴日报",
  date: "2026-03-07",
  headline: "陈伟在嘉善开展“六千争先”再攀高服务企业、服务项目工作",
  text:
    "阿里巴巴长三角智能计算基地总投资143亿元,正在建设数据中心园区,部分楼栋已竣工投运。" +
    "陈伟考察展厅、集控中心,听取基地功能布局、建设进展、日常运维情况。",
});

/** 嘉兴日报·嘉善版, 28 March 2023: 嘉善农商银行 lends 昊柏 400万元. */
export const HAOBAI_LOAN = makeChunk({
  articleId: "jiashan-haobai",
  paper: "嘉兴日报·嘉善版",
  date: "2023-03-28",
  headline: "以科创金融为支点打造多样化金融服务",
  text:
    "昊柏(嘉兴)人工智能科技有限公司是一家致力于人工智能算法研发的科技型软件开发企业,近期正与湖北师范大学合作研究“基于精准语义的智能教育系统关键技术研发”项目。" +
    "嘉善农商银行联合县科技局共同创新开发了专项科技金融信贷产品“科技成果转化贷”,3月初向企业投放了400万元的研发资金。",
});

/** The extractive answer the composer falls back to. */
export function extractiveAnswer(question: string, passages: readonly Passage[]): Answer {
  const first = passages[0];
  return {
    question,
    text: first ? `${first.chunk.text.split("。")[0] ?? ""}。[1]` : "抱歉,没有找到。",
    abstained: first === undefined,
    citations: first ? [{ n: 1, chunk: first.chunk }] : [],
    passages: [...passages],
  };
}
