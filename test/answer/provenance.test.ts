import { describe, expect, it } from "vitest";
import {
  asksProvenance,
  composeProvenanceAnswer,
  provenanceTopic,
} from "../../src/answer/provenance.js";
import { ABSTAIN_TEXT } from "../../src/answer/extractive.js";
import type { AbstainReason, Answer } from "../../src/types.js";
import { useSampleEngine } from "../helpers/sample-engine.js";
import { useMadeUpArchive } from "../helpers/made-up-archive.js";

const sample = useSampleEngine("lnb-provenance-");

describe("asksProvenance", () => {
  it("tells a question about a story's paper, date or writer from one about its content", () => {
    expect(asksProvenance("高裕家居的报道是哪家报纸哪天登的?")).toBe("paper-date");
    expect(asksProvenance("这条新闻登在什么报上?")).toBe("paper-date");
    expect(asksProvenance("阿里巴巴那个基地的报道是谁写的?")).toBe("writer");
    expect(asksProvenance("这篇报道的记者是谁?")).toBe("writer");
    expect(asksProvenance("郁金香花海那张照片是谁拍的?")).toBe("writer");
    // A film "是谁拍的" asks for its director, which the story tells.
    expect(asksProvenance("《候机大厅》是谁拍的?")).toBeUndefined();
    // The date of an event, or a report that the story mentions, is content.
    expect(asksProvenance("中华书局是哪天发的情况说明?")).toBeUndefined();
    expect(asksProvenance("国青男篮后来怎么样了?有啥报道?")).toBeUndefined();
    expect(asksProvenance("是谁在《求是》上撰文说医保限额要提高?")).toBeUndefined();
  });

  it("leaves what the story is about as the topic", () => {
    expect(provenanceTopic("高裕家居的报道是哪家报纸哪天登的?")).toBe("高裕家居");
    // The year or month it ran is the paper's date too, not a time the story must state.
    expect(provenanceTopic("红色故事讲解员大赛的消息是哪份报纸哪一年登的?")).toBe(
      "红色故事讲解员大赛",
    );
    // A title keeps the words that ask elsewhere (新闻, 报道); a paper's name says where the
    // story ran, which the story need not name.
    expect(provenanceTopic("《新闻联播》里讲北斗的那篇报道是哪天登的?")).toBe(
      "《新闻联播》里讲北斗",
    );
    expect(provenanceTopic("楼市降价那篇《每日经济新闻》稿子是哪位记者写的?")).toBe("楼市降价");
  });
});

describe("reporters' questions on the sample editions", () => {
  it("says the paper and the date in the text, cited, with the story's own sentence", async () => {
    const answer = await sample.engine.ask("阿里巴巴长三角智能计算基地的报道是哪家报纸哪天登的?");
    expect(answer.abstained).toBe(false);
    expect(answer.text).toMatch(/^这篇报道是嘉兴日报 2026年3月7日刊发的《/u);
    expect(answer.text).toContain("143亿元");
    expect(answer.citations[0]?.chunk.paper).toBe("嘉兴日报");
    expect(answer.citations[0]?.chunk.date).toBe("2026-03-07");
  });

  it("names the story's byline when asked who wrote it", async () => {
    const answer = await sample.engine.ask("阿里巴巴长三角智能计算基地的报道是谁写的?");
    expect(answer.abstained).toBe(false);
    const article = sample.engine.index.getArticle(answer.citations[0]?.chunk.articleId ?? "");
    expect(article?.byline.length).toBeGreaterThan(0);
    for (const name of article?.byline ?? []) expect(answer.text).toContain(name);
  });
});

describe("who took a page's picture", () => {
  it("is named from the photo credit, without the mark the page sets before it", async () => {
    const answer = await sample.engine.ask("姚家荡公园郁金香花海那张照片是谁拍的?");
    expect(answer.abstained).toBe(false);
    expect(answer.text).toMatch(/^《[^》]+》\(嘉兴日报 2026年3月7日\)的署名是:摄影 记者 盛佳淳/u);
  });
});

describe("who wrote an exported story", () => {
  const archive = useMadeUpArchive("lnb-credit-", [
    {
      id: "act",
      title: "18岁女孩第四次考美国高考",
      date: "2026-02-01",
      paper: "测试日报",
      text: `${"在城南一所大学设置的考场里,只有18岁女孩林晓一人参加考试。".repeat(6)}\n她说还会再考一次。\n(记者:吴启明)`,
    },
  ]);

  it("is named from the credit its text prints at the end", async () => {
    const answer = await archive().ask("18岁女孩林晓第四次考美国高考那篇报道,署名记者是谁?");
    expect(answer.abstained).toBe(false);
    expect(answer.text).toContain("吴启明");
    expect(answer.text).not.toContain("没有署名记者");
  });

  it("is named from the story a decline found nearest, where that story holds most of the subject", () => {
    const index = archive().index;
    const story = index.articles().find((a) => a.headline === "18岁女孩第四次考美国高考");
    const chunk = story && index.chunksOfArticle(story.id)[0];
    if (!chunk) throw new Error("the made-up story is not indexed");
    const declined = (reason: AbstainReason, subject: number): Answer => ({
      question: "女孩第四次考美国高考那篇稿子是哪位记者写的?",
      text: ABSTAIN_TEXT,
      abstained: true,
      abstainReason: reason,
      citations: [],
      passages: [],
      nearest: { sentence: "她说还会再考一次。", chunk, subject },
    });
    const named = composeProvenanceAnswer(index, "writer", declined("weak-support", 0.6));
    expect(named.abstained).toBe(false);
    expect(named.text).toContain("吴启明");
    expect(named.text).toContain("她说还会再考一次。[1]");
    expect(named.citations.map((c) => c.chunk.articleId)).toEqual([story?.id]);
    // A story that holds less of the subject than it lacks is another story; a name the archive
    // lacks declines whatever the story.
    expect(composeProvenanceAnswer(index, "writer", declined("weak-support", 0.3)).abstained).toBe(
      true,
    );
    expect(
      composeProvenanceAnswer(index, "writer", declined("missing-entity", 0.9)).abstained,
    ).toBe(true);
  });
});

describe("who wrote a story that credits its writer in the dateline", () => {
  const archive = useMadeUpArchive("lnb-credit-dateline-", [
    {
      id: "homes",
      title: "城东楼盘暗中促销",
      date: "2026-02-02",
      paper: "测试日报",
      text:
        "本报记者 柯文远 报道 近日城东多个楼盘推出办卡、赠车位等名目繁多的优惠。" +
        "有楼盘表示,周末购房还可再享折扣。",
    },
  ]);

  it("is named from the dateline", async () => {
    const answer = await archive().ask("城东楼盘暗中促销那篇报道是谁写的?");
    expect(answer.abstained).toBe(false);
    expect(answer.text).toContain("的署名是:本报记者 柯文远");
    expect(answer.text).not.toContain("没有署名记者");
  });
});
