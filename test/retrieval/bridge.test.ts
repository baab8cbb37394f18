import { analyzeQuery } from "../../src/retrieval/query.js";
import { describe, expect, it } from "vitest";
import {
  bridgeUnseenWords,
  isEnglishQuestion,
  mergeAlternatives,
  readEnglishQuestion,
  translateEnglishQuestion,
} from "../../src/retrieval/bridge.js";
import { aliasSpellings } from "../../src/retrieval/aliases.js";
import { analyzeTerms } from "../../src/retrieval/terms.js";
import { prepareLexicon } from "../../src/text/lexicon.js";
import { useSampleEngine } from "../helpers/sample-engine.js";

const sample = useSampleEngine("lnb-bridge-");

describe("isEnglishQuestion", () => {
  it("tells an English question from a Chinese one that names an English product", () => {
    expect(isEnglishQuestion("How much did the Alibaba computing base cost?")).toBe(true);
    expect(isEnglishQuestion("豆包手机拿到的那个 INJECT_EVENTS 权限到底能干嘛？")).toBe(false);
    expect(isEnglishQuestion("阿里巴巴长三角智能计算基地总投资多少?")).toBe(false);
  });
});

describe("translateEnglishQuestion", () => {
  it("asks in the archive's Chinese words, with a Chinese question word", async () => {
    const lexicon = await prepareLexicon();
    const asked = translateEnglishQuestion(
      "How much is the total investment of the Alibaba computing base?",
      lexicon,
      sample.engine.index,
    );
    expect(asked).toContain("投资");
    expect(asked).toContain("多少");
    expect(asked).not.toMatch(/\b(the|of|is)\b/u);
  });

  it("writes an English month as the archive does and keeps unknown names as written", async () => {
    const lexicon = await prepareLexicon();
    const asked = translateEnglishQuestion(
      "What did MiMo-V2-Flash score in November?",
      lexicon,
      sample.engine.index,
    );
    expect(asked).toContain("11月");
    expect(asked).toContain("MiMo-V2-Flash");
  });

  it("drops a possessive, glosses a plural by its singular too, and leaves question words alone", async () => {
    const lexicon = await prepareLexicon();
    const asked = translateEnglishQuestion(
      "How many companies did Pinghu's market regulator visit?",
      lexicon,
      sample.engine.index,
    );
    expect(asked).toContain("平湖");
    expect(asked).not.toContain("Pinghu's");
    // "companies" alone is glossed 公司行号, which the archive does not use; "company" is 公司.
    expect(asked).toContain("公司");
    // "how many" is the question word 多少, not the content word 若干.
    expect(asked).not.toContain("若干");
    expect(asked).toContain("多少");
  });

  it("asks how tall, how deep or how long with the question word for a measure, not for a method", async () => {
    const lexicon = await prepareLexicon();
    for (const [question, word] of [
      ["How tall is the north tower of the financial center?", /多高$/u],
      ["How deep was the focus of the earthquake?", /多深$/u],
    ] as const) {
      const asked = translateEnglishQuestion(question, lexicon, sample.engine.index);
      expect(asked).toMatch(word);
      expect(asked).not.toContain("怎么");
      expect(analyzeQuery(asked).answerType).toBe("number");
    }
    const long = translateEnglishQuestion(
      "How long is the new bridge?",
      lexicon,
      sample.engine.index,
    );
    expect(analyzeQuery(long).answerType).toBe("number");
  });

  it("reads a hyphenated word the lexicon and the archive do not know as its parts", async () => {
    const lexicon = await prepareLexicon();
    const asked = translateEnglishQuestion(
      "What happened in the mid-December report on the magnitude-7.6 earthquake?",
      lexicon,
      sample.engine.index,
    );
    expect(asked).toContain("12月");
    expect(asked).toContain("7.6");
    expect(asked).not.toContain("mid-December");
  });

  it("reads a province as English writes it, without its rank", async () => {
    const lexicon = await prepareLexicon();
    const asked = translateEnglishQuestion(
      "Which companies in Zhejiang did the city's leaders visit?",
      lexicon,
      sample.engine.index,
    );
    expect(asked).toContain("浙江");
  });
});

describe("bridgeUnseenWords", () => {
  it("gives a word the archive never uses the spelling of a synonym it does use", async () => {
    const lexicon = await prepareLexicon();
    const { index } = sample.engine;
    const { groups } = analyzeTerms(index, "有多少雇员");
    const added = bridgeUnseenWords(groups, lexicon, index);
    const group = groups.find((g) => g.surface === "雇员");
    expect(group?.spellings.flat()).toContain("员工");
    expect(group?.unseen).toBe(false);
    expect(added).toContain("员工");
  });

  it("leaves names and words the archive uses alone", async () => {
    const lexicon = await prepareLexicon();
    const { index } = sample.engine;
    const { groups } = analyzeTerms(index, "阿里巴巴的企业有多少");
    const before = JSON.stringify(groups);
    expect(bridgeUnseenWords(groups, lexicon, index)).toEqual([]);
    expect(JSON.stringify(groups)).toBe(before);
  });
});

describe("the engine with the lexicon", () => {
  it("answers an English question from the Chinese archive, cited", async () => {
    const answer = await sample.engine.ask(
      "How much is the total investment of the Alibaba Yangtze River Delta intelligent computing base?",
    );
    expect(answer.abstained).toBe(false);
    expect(answer.text).toContain("143亿元");
    expect(answer.citations[0]?.chunk.paper).toBe("嘉兴日报");
  });
});

describe("English words in other forms than the lexicon's", () => {
  it("glosses an inflected word by its lemma and a plain hyphenated compound by its words", async () => {
    const lexicon = await prepareLexicon();
    const asked = translateEnglishQuestion(
      "How long have people in Haiyan been growing their famous big-head turnips?",
      lexicon,
      sample.engine.index,
    );
    // "growing" is glossed as "grow" is; "big-head" as big and head.
    expect(asked).not.toContain("growing");
    expect(asked).toContain("大头");
    // "how long have … been" asks for a duration, not a length.
    expect(asked).toMatch(/多久$/u);
    const power = translateEnglishQuestion(
      "How many companies came to the computing-power conference?",
      lexicon,
      sample.engine.index,
    );
    expect(power).toContain("算力");
    // A capitalised compound is a name, kept as written.
    expect(
      translateEnglishQuestion("What did it score on SWE-bench?", lexicon, sample.engine.index),
    ).toContain("SWE-bench");
  });

  it("glosses a noun in -ing as written where the archive writes its gloss, not by its verb", async () => {
    const lexicon = await prepareLexicon();
    const asked = translateEnglishQuestion(
      "How many rowing teams took part in the race on East Lake?",
      lexicon,
      sample.engine.index,
    );
    // "rowing" is 赛艇 (the sample pages' word), not the 列 of "row".
    expect(asked).toContain("赛艇");
    expect(asked).not.toMatch(/(^| )列( |$)/u);
    const tower = translateEnglishQuestion(
      "How tall is the north tower of the building?",
      lexicon,
      sample.engine.index,
    );
    // "building" is 建筑, not the 建设 of "build".
    expect(tower).toContain("建筑");
    expect(tower).not.toContain("建设");
    // A plural's own gloss is another sense ("minutes": 纪要): it is glossed by its singular.
    expect(
      translateEnglishQuestion("Within 30 minutes, what happens?", lexicon, sample.engine.index),
    ).not.toContain("纪要");
  });

  it("glosses an adjective the lexicon lists only as the word it is made from", async () => {
    const lexicon = await prepareLexicon();
    const asked = translateEnglishQuestion(
      "How many companies may use the geographical indication mark?",
      lexicon,
      sample.engine.index,
    );
    // "geographical" is glossed as "geography" is.
    expect(asked).toContain("地理");
  });

  it("answers an English question whose words the lexicon lists in another form", async () => {
    const answer = await sample.engine.ask(
      "How long have people in Haiyan been growing their famous big-head turnips?",
    );
    expect(answer.abstained).toBe(false);
    expect(answer.text).toContain("700多年");
  });
});

describe("mergeAlternatives", () => {
  it("makes the glosses of one English name one group that either spelling covers", async () => {
    const lexicon = await prepareLexicon();
    const english = readEnglishQuestion(
      "How tall is the north tower of the Jiashan Financial Innovation Center?",
      lexicon,
      sample.engine.index,
    );
    const jiashan = english.alternatives.find((a) => a.includes("嘉善"));
    expect(jiashan).toEqual(expect.arrayContaining(["嘉善", "嘉善县"]));
    const { groups } = analyzeTerms(sample.engine.index, analyzeQuery(english.text).simplified);
    const merged = mergeAlternatives(groups, english.alternatives);
    const names = merged.filter((g) => g.spellings.some((s) => s.join("") === "嘉善县"));
    expect(names).toHaveLength(1);
    expect(names[0]?.spellings.map((s) => s.join(""))).toContain("嘉善");
    expect(merged.length).toBeLessThan(groups.length);
  });

  it("answers an English question whose place has two glosses from the story that writes one", async () => {
    const answer = await sample.engine.ask(
      "How tall is the north tower of Building 2 of the Yangtze River Delta (Jiashan) Financial Innovation Center?",
    );
    expect(answer.abstained).toBe(false);
    expect(answer.text).toContain("59.4米");
  });
});

describe("English question words read where Chinese puts them", () => {
  it("asks about the phrase after 'how many', not about the question's last word", async () => {
    const lexicon = await prepareLexicon();
    const { index } = sample.engine;
    const text = translateEnglishQuestion(
      "How many AI-related companies are there in Pinghu, says the story on the conference?",
      lexicon,
      index,
    );
    // "AI" is the abbreviation the archive prints, not the lowercase word glossed 哀; "related"
    // is read with AI, not glossed together with "companies" (关联公司).
    expect(text).toContain("AI");
    expect(text).not.toContain("哀");
    expect(text).not.toContain("关联公司");
    expect(text).toMatch(/公司.*多少/u);
    const { groups } = analyzeTerms(index, analyzeQuery(text).simplified);
    const asked = groups.filter((g) => g.asked).map((g) => g.surface);
    expect(asked).toContain("公司");
    expect(asked).not.toContain("会议");
  });

  it("asks for a figure when 'what' asks for a rate, a price or a share", async () => {
    const lexicon = await prepareLexicon();
    const text = translateEnglishQuestion(
      "What is the total investment of the Alibaba computing base?",
      lexicon,
      sample.engine.index,
    );
    expect(text).toContain("投资");
    // 投资多少 asks for an amount of money, as the Chinese question does.
    expect(analyzeQuery(text).answerType).toBe("money");
    const thing = translateEnglishQuestion(
      "What was the theme of the conference?",
      lexicon,
      sample.engine.index,
    );
    expect(analyzeQuery(thing).answerType).not.toBe("number");
  });

  it("asks for a share or a number with the question word alone, not with their glosses", async () => {
    const lexicon = await prepareLexicon();
    const text = translateEnglishQuestion(
      "What share of the guarantees goes to tech companies?",
      lexicon,
      sample.engine.index,
    );
    // "share" is 分 and 股 (stock) to the dictionary: words of every story, and another sense.
    expect(text).toMatch(/^多少 ，/u);
    expect(text).not.toContain("股");
  });

  it("answers a count of an abbreviation's companies from the Chinese archive", async () => {
    const answer = await sample.engine.ask("How many AI-related enterprises does Pinghu have?");
    expect(answer.abstained).toBe(false);
    expect(answer.text).toContain("44家");
  });
});

describe("abbreviations in Latin letters", () => {
  it("match as words of their own, not inside a longer word", () => {
    expect(aliasSpellings("AI芯片企业有几家").map((g) => g[0])).toContain("ai");
    expect(aliasSpellings("Dubai机场在哪").map((g) => g[0])).not.toContain("ai");
    const { groups } = analyzeTerms(sample.engine.index, "kitadaito island 有多少人");
    const surfaces = groups.map((g) => g.surface);
    expect(surfaces).toContain("kitadaito");
    expect(surfaces).not.toContain("ai");
  });
});

describe("curated spellings in Chinese", () => {
  it("are not read across the question's words", () => {
    const firsts = (q: string) => aliasSpellings(q).map((g) => g[0]);
    // 中学/车祸: no 学车, which would make 驾校 a word of the question.
    expect(firsts("驻马店古城乡中学车祸中遇难的学生叫什么名字?")).not.toContain("学车");
    expect(firsts("在平湖想学车,驾校报名电话是多少?")).toContain("学车");
    expect(firsts("内存条最近涨价了吗?")).toContain("内存");
    expect(firsts("平湖农商行的行长是谁?")).toContain("农商行");
  });
});

describe("English question words in their place", () => {
  it("takes the question word that comes first, not the first one listed", async () => {
    const lexicon = await prepareLexicon();
    const text = translateEnglishQuestion(
      "Which organization hosted the seminar on how computing power drives growth?",
      lexicon,
      sample.engine.index,
    );
    expect(text).toContain("哪个");
    expect(text).not.toContain("怎么");
    expect(analyzeQuery(text).answerType).not.toBe("method");
  });

  it("reads 'what is X doing' as asking after the verb, and 'what is the X' as asking X", async () => {
    const lexicon = await prepareLexicon();
    const { index } = sample.engine;
    const subject = translateEnglishQuestion("What is Pinghu planning for 2026?", lexicon, index);
    expect(subject).toMatch(/什么$/u);
    const asked = translateEnglishQuestion("What is the total investment of it?", lexicon, index);
    expect(asked).toMatch(/投资 多少/u);
  });

  it("writes a month and its day as the archive does", async () => {
    const lexicon = await prepareLexicon();
    const text = translateEnglishQuestion(
      "What happened in Pinghu on March 6, 2026?",
      lexicon,
      sample.engine.index,
    );
    expect(text).toContain("3月6日");
    expect(text).toContain("2026");
    expect(text).not.toContain(",");
  });
});
