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

  it("reads a capitalised compound of known words as its words, and keeps a name whole", async () => {
    const asked = await read("Which company owned the Beijing-to-Zhangjiajie coach?");
    expect(asked).toContain("北京");
    expect(asked).toContain("张家界");
    expect(await read("What did MiMo-V2-Flash score?")).toContain("MiMo-V2-Flash");
  });

  it("leaves a pinyin name that looks like a people's name as written", async () => {
    // "Zhonghuan" ends like "Korean", but it is 中环 in pinyin, not a people of 中华.
    const asked = await read("How tall is the Zhonghuan tower?");
    expect(asked).toContain("Zhonghuan");
    expect(asked).not.toContain("中华");
  });
});
