import { describe, expect, it } from "vitest";
import { readEnglishQuestion } from "../../src/retrieval/bridge.js";
import { archiveSpelling, spellingTerms } from "../../src/retrieval/pinyin-names.js";
import { prepareLexicon } from "../../src/text/lexicon.js";
import { useMadeUpArchive } from "../helpers/made-up-archive.js";

/** Stories that name a town, a firm and a loan no dictionary glosses, and words read alike. */
const engine = useMadeUpArchive("lnb-pinyin-names-", [
  {
    id: "park-1",
    title: "新仓镇今年将新建一批公园",
    date: "2023-04-10",
    paper: "测试报",
    text: "新仓镇今年将建设公园五座,打造公园城镇。镇里的老公园也将改造提升。",
  },
  {
    id: "yz-1",
    title: "姚庄镇今年将新建一批公园",
    date: "2023-04-10",
    paper: "测试报",
    text: "姚庄镇今年将新建公园十八座。镇里的老公园也将改造提升。",
  },
  {
    id: "hj-1",
    title: "恒聚生物获得首笔科创保贷款",
    date: "2026-03-02",
    paper: "测试报",
    text: "嘉善农商银行向恒聚生物发放科创保贷款四百万元。科创保是专为科技企业设计的信贷产品。",
  },
  {
    id: "car-1",
    title: "行车安全提示",
    date: "2026-03-03",
    paper: "测试报",
    text: "交警提醒,雨天行车要减速。行车途中不要接打电话。行车记录仪要保持开启。",
  },
  {
    id: "school-1",
    title: "哈达英格学校举办运动会",
    date: "2026-03-05",
    paper: "测试报",
    text: "哈达英格学校昨天举办春季运动会。英格兰足球队的教练到场观看。",
  },
  {
    id: "town-1",
    title: "新埭镇开展信贷服务进企业活动",
    date: "2026-03-04",
    paper: "测试报",
    text: "新埭镇联合银行开展信贷服务进企业活动,为企业解决信贷难题。",
  },
]);

async function read(question: string): Promise<string> {
  return readEnglishQuestion(question, await prepareLexicon(), engine().index).text;
}

describe("names an English question spells in pinyin", () => {
  it("are read as the archive writes them", async () => {
    const text = await read("How many parks will Yaozhuang build this year?");
    expect(text).toContain("姚庄");
    expect(text).not.toContain("Yaozhuang");
  });

  it("take the archive's word of three characters for three syllables", async () => {
    const lexicon = await prepareLexicon();
    expect(archiveSpelling("Kechuangbao", lexicon, engine().index)).toBe("科创保");
  });

  it("of four syllables are two words the archive writes side by side, a common word among them", async () => {
    // 哈达 (a ceremonial scarf) is a word the dictionary glosses; 英格 stands in 英格兰 too.
    const lexicon = await prepareLexicon();
    expect(archiveSpelling("Hadayingge", lexicon, engine().index)).toBe("哈达英格");
  });

  it("are read by the common readings of their characters, not by a rare one", async () => {
    // 行车 is read heng-ju only by the rare readings of 行 (道行) and 车 (chess's chariot), and
    // the archive writes it far more often than 恒聚.
    const lexicon = await prepareLexicon();
    expect(archiveSpelling("Hengju", lexicon, engine().index)).toBe("恒聚");
  });

  it("are not read as a common word, which English would write by its gloss", async () => {
    // 信贷 (credit) reads xin-dai; the town 新埭 is no word of the archive's vocabulary.
    const lexicon = await prepareLexicon();
    expect(archiveSpelling("Xindai", lexicon, engine().index)).not.toBe("信贷");
    expect(await read("Which town is Xindai in?")).not.toContain("信贷");
  });

  it("leave an English word that is no pinyin alone", async () => {
    const lexicon = await prepareLexicon();
    expect(archiveSpelling("Verizon", lexicon, engine().index)).toBeUndefined();
    expect(spellingTerms("Verizon", lexicon)).toEqual([]);
    expect(spellingTerms("Hengju", lexicon)).toContain("恒聚");
  });

  it("let an English question be answered from the story that names the town, of two alike", async () => {
    const answer = await engine().ask("How many parks will Yaozhuang build this year?");
    expect(answer.abstained).toBe(false);
    expect(answer.text).toContain("十八座");
    expect(answer.text).not.toContain("五座");
    expect(answer.citations.map((c) => c.chunk.headline)).toEqual(["姚庄镇今年将新建一批公园"]);
  });
});
