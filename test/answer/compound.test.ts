import { describe, expect, it } from "vitest";
import { decomposeQuestion } from "../../src/retrieval/decompose.js";
import { compact } from "../../src/text/normalize.js";
import { useSampleEngine } from "../helpers/sample-engine.js";

const sample = useSampleEngine("lnb-compound-");

describe("decomposeQuestion", () => {
  it("splits two questions asked one after the other", () => {
    expect(decomposeQuestion("A项目总投资多少?B项目总投资多少?")).toEqual([
      "A项目总投资多少",
      "A项目总投资 B项目总投资多少",
    ]);
  });

  it("does not give a later part that names its own place the first part's subject", () => {
    const parts = decomposeQuestion(
      "阿里巴巴长三角智能计算基地总投资多少?桐乡今年有多少个项目开工?",
    );
    expect(parts).toEqual(["阿里巴巴长三角智能计算基地总投资多少", "桐乡今年有多少个项目开工"]);
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
