import { describe, expect, it } from "vitest";
import { buildCorpusAliases, companyShortForms } from "../../src/retrieval/corpus-aliases.js";

describe("companyShortForms", () => {
  it("derives the name without legal form, place and trade: 浙江百康光学股份有限公司 -> 百康光学 -> 百康", () => {
    expect(companyShortForms("浙江百康光学股份有限公司")).toEqual([
      "浙江百康光学股份有限公司",
      "浙江百康光学",
      "百康光学",
      "百康",
    ]);
  });

  it("drops a place in parentheses inside the name", () => {
    const forms = companyShortForms("凯鑫森(浙江)新材料产业有限公司");
    expect(forms).toContain("凯鑫森新材料产业");
    expect(forms).toContain("凯鑫森");
  });

  it("never shortens a name to an ordinary word", () => {
    expect(companyShortForms("房地产经纪有限公司")).toEqual(["房地产经纪有限公司"]);
  });
});

describe("buildCorpusAliases", () => {
  const aliases = buildCorpusAliases([
    "近日，帅燮琅走访了浙江景兴纸业股份有限公司，了解企业发展情况。",
    "在浙江天极集成电路技术有限公司，他深入生产一线。",
    "长三角(嘉善)金融创新中心(以下简称“金融中心”)今年封顶。",
    "今天天气晴，最高气温12度。",
  ]);

  it("finds the registered names in article text, without the words before them", () => {
    const names = aliases.groups.map((g) => g[0]);
    expect(names).toContain("浙江景兴纸业股份有限公司");
    expect(names).toContain("浙江天极集成电路技术有限公司");
    expect(names.some((n) => n?.includes("走访"))).toBe(false);
  });

  it("matches a question that uses a short form to the full name", () => {
    const found = aliases.find("景兴去年发展得怎么样?");
    expect(found).toHaveLength(1);
    expect(found[0]?.[0]).toBe("景兴");
    expect(found[0]).toContain("浙江景兴纸业股份有限公司");
  });

  it("learns the abbreviations an article defines", () => {
    const found = aliases.find("金融中心什么时候封顶?");
    expect(found[0]).toContain("长三角(嘉善)金融创新中心");
  });

  it("finds nothing in a question that names no known company", () => {
    expect(aliases.find("明天会下雨吗?")).toEqual([]);
  });
});
