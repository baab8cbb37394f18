import { describe, expect, it } from "vitest";
import { readEnglishQuestion } from "../../src/retrieval/bridge.js";
import { prepareLexicon } from "../../src/text/lexicon.js";
import { useMadeUpArchive } from "../helpers/made-up-archive.js";

/** Stories that name countries, cities and a building whose English name is pinyin. */
const engine = useMadeUpArchive("lnb-english-names-", [
  {
    id: "mad-1",
    title: "摩洛哥团伙涉马德里爆炸案",
    date: "2004-03-17",
    paper: "测试报",
    text: "西班牙警方认为,摩洛哥战斗旅成立于1993年。澳大利亚和日本政府发表声明。",
  },
  {
    id: "bus-1",
    title: "北京开往张家界的客车翻覆",
    date: "2011-10-13",
    paper: "测试报",
    text: "一辆北京开往湖南张家界的大客车在二广高速翻覆,客车属于张家界汽运公司。中华路口附近的中环大厦高187米。",
  },
  {
    id: "boj-1",
    title: "日本央行加息",
    date: "2025-12-20",
    paper: "测试报",
    text: "日本央行宣布将短期政策利率上调至0.75%。多家银行随后上调了存款利率。",
  },
  {
    id: "eton-1",
    title: "英国高中生转投美国名校",
    date: "2009-05-04",
    paper: "测试报",
    text: "伊顿公学每年260名毕业生中,大约有25人去美国名校求学。美洲其他国家的大学也在招生。",
  },
  {
    id: "moon-1",
    title: "澳洲官员涉贪渎被判刑",
    date: "2009-09-27",
    paper: "测试报",
    text: "移民部前资深官员David Moon曾经批准110名中国移民入籍。另一名官员戴维也受到调查。",
  },
  {
    id: "icbc-1",
    title: "工商银行支持工业企业",
    date: "2025-06-01",
    paper: "测试报",
    text: "由于订单增加,平湖工业产值增长。工商银行为产业园区的企业发放贷款。4月以来贷款增长两成。",
  },
]);

/** The words an English question is read as, against the made-up archive. */
async function read(question: string): Promise<string> {
  return readEnglishQuestion(question, await prepareLexicon(), engine().index).text;
}

describe("English names of several words", () => {
  it("are read by the words of their gloss where the archive does not write the gloss whole", async () => {
    // "Bank of Japan" is 日本银行; the archive writes 日本 and 银行, and 日本央行.
    const asked = await read("What level did the Bank of Japan raise its policy rate to?");
    expect(asked).toContain("日本 银行");
    expect(asked).not.toContain("Bank");
  });
});

describe("English names of peoples, places and compounds", () => {
  it("reads a people's name as its country's", async () => {
    expect(await read("When was the Moroccan group founded?")).toContain("摩洛哥");
    const said = await read("What did the Australian and Japanese governments say?");
    expect(said).toContain("澳大利亚");
    expect(said).toContain("日本");
    // CC-CEDICT's own glosses of the demonym: the Australian dollar, ANZAC.
    expect(said).not.toContain("澳元");
  });

  it("reads a people's name as the country the dictionary names its people after", async () => {
    // CC-CEDICT glosses "American" as 美国人, and "America" only as 美洲 and 美利坚.
    const asked = await read("How many Eton graduates go on to top American universities?");
    expect(asked).toContain("美国");
    expect(asked).not.toContain("美洲");
  });

  it("keeps a name the archive prints in Latin letters as one spelling of it with its glosses", async () => {
    const question = "How many Chinese migrants did official David Moon approve?";
    const { alternatives } = readEnglishQuestion(question, await prepareLexicon(), engine().index);
    expect(alternatives).toContainEqual(["David", "戴维"]);
    // The story writes David, not 戴维, beside Moon: the name is there, and the count answers.
    const answer = await engine().ask(question);
    expect(answer.abstained).toBe(false);
    expect(answer.text).toContain("110名");
  });

  it("names a part of a two-part English question it cannot answer in the asker's words", async () => {
    const answer = await engine().ask(
      "How many Chinese migrants did official David Moon approve, and which xylophonist played at the ceremony?",
    );
    expect(answer.text).toContain("110名");
    // The part as asked, with the first part's words it is read with; not its Chinese glosses.
    expect(answer.text).toContain("关于“which xylophonist played at the ceremony, How many");
  });

  it("reads a capitalised compound of known words as its words, and keeps a name whole", async () => {
    const asked = await read("Which company owned the Beijing-to-Zhangjiajie coach?");
    expect(asked).toContain("北京");
    expect(asked).toContain("张家界");
    expect(await read("What did MiMo-V2-Flash score?")).toContain("MiMo-V2-Flash");
  });

  it("reads a pinyin name that looks like a people's name as the name it spells", async () => {
    // "Zhonghuan" ends like "Korean", but it is 中环 in pinyin, not a people of 中华.
    const asked = await read("How tall is the Zhonghuan tower?");
    expect(asked).toContain("中环");
    expect(asked).not.toContain("中华");
  });

  it("reads a lowercase word as a common word and 'since' as no cause", async () => {
    const text = await read("Since April, how much has industrial output grown in Pinghu?");
    // CC-CEDICT glosses "industrial" with the Industrial and Commercial Bank (工商银行) too, and
    // "since" with 由于 (because).
    expect(text).not.toContain("工商银行");
    expect(text).not.toContain("由于");
    expect(text).toContain("4月");
  });
});
