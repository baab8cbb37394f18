import { describe, expect, it } from "vitest";
import { parseEdition } from "../../src/ingest/parse-edition.js";
import { compact } from "../../src/text/normalize.js";
import { endsSentence, splitSentences } from "../../src/text/sentences.js";
import type { Article, EditionMeta } from "../../src/types.js";
import { readFixture, sampleArticles, sampleFiles, sampleText } from "./samples.js";

const NEWS_KINDS = new Set(["news", "commentary", "interview"]);
const UNKNOWN: EditionMeta = {
  paper: "unknown",
  date: null,
  datePrecision: "unknown",
  dateEstimated: false,
};

function find(file: string, headline: string): Article {
  const article = sampleArticles(file).find((a) => a.headline === headline);
  if (!article) throw new Error(`${file}: no article headed ${headline}`);
  return article;
}

/**
 * What counts as content of a sample edition, for the conservation test: every line except
 * - blank lines and the masthead lines listed here,
 * - credit lines (starting with ■, 通讯员 or 实习生, names-only lines under them, and a "■…"
 *   credit glued to the end of a headline),
 * - column labels (》》…, □…, "第134期评论" and its 栏目统筹 line),
 * - continuation notes "(下转2版)", and markdown "#" markers.
 * The garbled doubled headline of 003 counts in its repaired form. Whitespace is ignored.
 */
const MASTHEAD = new Set([
  "嘉善版",
  "嘉善发布",
  "最嘉善",
  "IN嘉善",
  "JIAXING DAILY",
  "平湖发布 今平湖客户端",
  "扫描二维码",
  "观看视频",
]);
const COLUMN = /^(?:》》|□)|栏目统筹|^第\d+期评论$/u;
const NOTE = /[（(]下转\d+版[)）]/gu;
const REPAIRED: Record<string, string> = { "““满格满格””干劲拼项目干劲拼项目": "“满格”干劲拼项目" };

function sourceBlocks(text: string): string[] {
  const blocks: string[] = [];
  for (const block of text.split(/\n\s*\n/u)) {
    let previousWasCredit = false;
    const kept: string[] = [];
    for (const raw of block.split("\n")) {
      let line = raw
        .trim()
        .replace(/^#+\s*/u, "")
        .replace(NOTE, "")
        .trim();
      if (line.length === 0) continue;
      const credit: boolean =
        line.startsWith("■") ||
        /^(?:通讯员|实习生)\s/u.test(line) ||
        (previousWasCredit && /^[\p{Script=Han}\s/]{2,14}$/u.test(line) && /[\s/]/u.test(line));
      previousWasCredit = credit;
      if (credit || MASTHEAD.has(line) || COLUMN.test(line)) continue;
      line = line.replace(/■.*$/u, "");
      kept.push(REPAIRED[line] ?? line);
    }
    const content = compact(kept.join(""));
    if (content.length > 0) blocks.push(content);
  }
  return blocks;
}

/** Headline and subtitle count as content when printed (not derived from the body or a default). */
function articleContent(article: Article, source: string): string {
  const body = compact(article.paragraphs.join(""));
  const parts: string[] = [];
  for (const heading of [article.headline, article.subtitle ?? ""]) {
    const h = compact(heading);
    if (h.length > 0 && source.includes(h) && !body.startsWith(h)) parts.push(h);
  }
  return parts.join("") + body;
}

function occurrences(haystack: string, needle: string): number {
  let count = 0;
  for (
    let at = haystack.indexOf(needle);
    at >= 0;
    at = haystack.indexOf(needle, at + needle.length)
  )
    count++;
  return count;
}

describe("parseEdition on the sample editions", () => {
  const expected = readFixture<Record<string, string[]>>("headlines.json");

  it("covers every sample edition in the headline fixture", () => {
    expect(Object.keys(expected).sort()).toEqual(sampleFiles());
  });

  for (const file of sampleFiles()) {
    it(`finds the news, commentary and interview headlines of ${file} in order`, () => {
      const headlines = sampleArticles(file)
        .filter((a) => NEWS_KINDS.has(a.kind))
        .map((a) => a.headline);
      expect(headlines).toEqual(expected[file]);
    });
  }

  it("titles photos from the nearby title line, or the first clause of the caption", () => {
    const photos = (file: string): string[] =>
      sampleArticles(file)
        .filter((a) => a.kind === "photo")
        .map((a) => a.headline);
    expect(photos("000_4fbab94a4f508d93.txt")).toEqual(["春暖花开"]);
    expect(photos("002_c46a323090806ea5.txt")).toEqual(["智慧春管"]);
    expect(photos("003_f806f993ff43849d.txt")).toEqual(["工业“智”友"]);
    expect(photos("004_52660507d51a0aa1.txt")).toEqual([
      "破浪前行",
      "昨天,新仓镇中心幼儿园举行大班毕业告别活动",
    ]);
    const photo = find("003_f806f993ff43849d.txt", "工业“智”友");
    expect(photo.paragraphs).toHaveLength(1);
    expect(photo.byline).toEqual(["王强", "陈明远"]);
  });

  it("recognises weather boxes with and without a heading, and the ad block", () => {
    const weather000 = find("000_4fbab94a4f508d93.txt", "天气预报");
    expect(weather000.kind).toBe("weather");
    expect(weather000.paragraphs.join("")).toContain("明天多云转阴局部偶有小雨");
    const kinds004 = sampleArticles("004_52660507d51a0aa1.txt").map((a) => a.kind);
    expect(kinds004.slice(-2)).toEqual(["ad", "weather"]);
    const ad = find("004_52660507d51a0aa1.txt", "嘉兴市交通学校");
    expect(ad.kind).toBe("ad");
    expect(ad.paragraphs).toContain("招生热线:85087171(驾校)、85087980(全日制)");
  });

  it("classifies commentary and interviews and keeps subtitles and columns apart", () => {
    expect(find("001_442c48c22c8f00a5.txt", "扛起争当共同富裕先行典范的“嘉善担当”")).toMatchObject({
      kind: "commentary",
      byline: ["本报评论员"],
      credits: ["■本报评论员"],
    });
    expect(find("004_52660507d51a0aa1.txt", "奏响绿色发展“进行曲”")).toMatchObject({
      kind: "commentary",
      byline: ["言成声"],
    });
    expect(find("002_c46a323090806ea5.txt", "锻造高质量项目矩阵")).toMatchObject({
      kind: "interview",
      column: "》》“八大行动”这样干",
      subtitle: "——访市发改局党组成员、副局长、长三角一体化发展中心主任,项目推进行动队队长俞春峰",
    });
    expect(find("002_c46a323090806ea5.txt", "让“小个专”实现“大作为”").subtitle).toBe(
      "平湖深耕党建引领激活市场动能",
    );
    expect(find("000_4fbab94a4f508d93.txt", "实干争先 笃行攀高").subtitle).toBe(
      "——2025嘉兴推进组织工作纪事",
    );
    expect(
      find("004_52660507d51a0aa1.txt", "“30分钟我来办” 提升企业获得感 “平服365”力解企业愁与盼")
        .column,
    ).toBe("□增值化改革进行时");
  });

  it("reads bylines and keeps the credit lines as printed", () => {
    const first001 = sampleArticles("001_442c48c22c8f00a5.txt")[0];
    expect(first001?.byline).toEqual(["周奕", "蔡培源", "胡凌霄"]);
    expect(first001?.credits).toEqual(["■全媒体记者 周 奕", "蔡培源 胡凌霄"]);
    expect(sampleArticles("001_442c48c22c8f00a5.txt")[2]?.byline).toEqual(["唐芳园", "李婧"]);
    expect(sampleArticles("001_442c48c22c8f00a5.txt")[1]?.byline).toEqual(["许一楠", "袁震"]);
    expect(sampleArticles("003_f806f993ff43849d.txt")[1]?.credits).toEqual([
      "■记 者 荣怡婷",
      "通讯员 曹金凤 陶佳迪",
    ]);
    const glued = find(
      "004_52660507d51a0aa1.txt",
      "“30分钟我来办” 提升企业获得感 “平服365”力解企业愁与盼",
    );
    expect(glued.credits).toEqual(["■记者 荣怡婷", "通讯员 唐嘉诚"]);
    expect(
      find("004_52660507d51a0aa1.txt", "农创嘉乡 智创未来 “田园五镇”农创赛呼唤“新农人”").byline,
    ).toEqual(["徐玉霞", "徐俞萌", "李凤超", "赵红"]);
  });

  it("moves continuation notes out of the text", () => {
    for (const file of sampleFiles()) {
      for (const a of sampleArticles(file)) {
        expect(a.paragraphs.join("")).not.toMatch(/[下上]转\d+版/u);
      }
    }
    expect(
      find(
        "000_4fbab94a4f508d93.txt",
        "拼经济 抢开局 “增信降本”赋能企业发展 嘉兴财金协同 打出助企“组合拳”",
      ).notes,
    ).toEqual(["(下转2版)"]);
    expect(sampleArticles("003_f806f993ff43849d.txt")[5]?.notes).toEqual(["（下转2版）"]);
  });

  it("drops masthead and layout noise", () => {
    for (const file of sampleFiles()) {
      const all = sampleArticles(file)
        .flatMap((a) => [a.headline, a.subtitle ?? "", ...a.paragraphs])
        .join("\n");
      for (const noise of [
        "嘉善发布",
        "最嘉善",
        "IN嘉善",
        "JIAXING DAILY",
        "今平湖客户端",
        "扫描二维码",
        "观看视频",
        "栏目统筹",
        "DIYI PINGLUN",
        "■",
      ]) {
        expect(all, `${file}: ${noise}`).not.toContain(noise);
      }
    }
  });

  it("keeps in-article sub-heads inside their article as paragraphs", () => {
    const finance = find(
      "000_4fbab94a4f508d93.txt",
      "拼经济 抢开局 “增信降本”赋能企业发展 嘉兴财金协同 打出助企“组合拳”",
    );
    expect(finance.paragraphs).toContain("财金协同“增信”,贷得到贷得快");
    const marks = find(
      "000_4fbab94a4f508d93.txt",
      "我市地理标志专用标志覆盖率再创新高 共富路上,地标赋能“嘉”乡味",
    );
    expect(marks.paragraphs).toContain("标准破局 从“有品无标”到“有标可依”");
    expect(marks.paragraphs).toContain("精准滴灌 让企业“想用”更“会用”");
    const interview = find("002_c46a323090806ea5.txt", "锻造高质量项目矩阵");
    expect(interview.paragraphs).toContain("投资结构再优化");
    expect(interview.paragraphs).toContain("项目推进全流程");
  });

  it("drops an exactly repeated paragraph once", () => {
    const meeting = sampleArticles("001_442c48c22c8f00a5.txt")[0];
    const repeated = meeting?.paragraphs.filter((p) => p.startsWith("会上,县发改局")) ?? [];
    expect(repeated).toHaveLength(1);
  });

  for (const file of sampleFiles()) {
    it(`puts every sentence of ${file} into exactly one article`, () => {
      const blocks = sourceBlocks(sampleText(file));
      const source = blocks.join("\u0001");
      const articles = sampleArticles(file).map((a) => articleContent(a, blocks.join("")));
      const joined = articles.join("\u0001");
      // Pieces are sentences of a block; at a wrap they are the two halves of a sentence.
      const pieces = blocks.flatMap((b) => splitSentences(b)).filter((p) => p.length >= 2);
      for (const piece of pieces) {
        const inArticles = occurrences(joined, piece);
        expect(inArticles, `lost: ${piece}`).toBeGreaterThanOrEqual(1);
        expect(inArticles, `duplicated: ${piece}`).toBeLessThanOrEqual(occurrences(source, piece));
      }
      // Nothing added or lost overall, except repeated paragraphs dropped by design.
      const seen = new Set<string>();
      let dropped = 0;
      for (const b of blocks) {
        if (b.length >= 20 && seen.has(b)) dropped += b.length;
        seen.add(b);
      }
      const total = (xs: string[]): number => xs.reduce((n, x) => n + x.length, 0);
      expect(total(articles)).toBe(total(blocks) - dropped);
    });
  }

  it("rejoins paragraphs broken mid-sentence by the layout", () => {
    const starts: Record<string, string[]> = {
      "000_4fbab94a4f508d93.txt": [
        "产业的核心驱动",
        "理标志",
        "多作贡献",
        "有力支撑",
        "推动上下游",
        "拿标、规范用标",
        "角城市群",
        "心一线配置",
      ],
      "001_442c48c22c8f00a5.txt": [
        "来越多",
        "动,持续开展",
        "筑高度",
        "成封顶",
        "则采用",
        "研工作者",
        "高等院校",
        "农商银行立足",
        "推进机制",
        "工程,更是",
        "裕,百姓",
      ],
      "002_c46a323090806ea5.txt": [
        "践行“八八战略”",
        "实物、影像",
        "平湖走过的足迹",
        "嘱托、感恩奋进",
        "湖“小个专”",
        "的组织覆盖",
        "服务站”",
        "精细化服务",
        "政策,切实",
        "元化模式",
        "财政资金1000万元",
      ],
      "004_52660507d51a0aa1.txt": [
        "引,推动航空航天",
        "推动全市新材料",
        "由嘉兴、苏州",
        "模。”广陈镇",
        "项颇丰",
        "要有问题",
        "么’,围绕",
        "表示。对于",
      ],
    };
    for (const [file, fragments] of Object.entries(starts)) {
      const paragraphs = sampleArticles(file).flatMap((a) => a.paragraphs);
      for (const fragment of fragments) {
        expect(
          paragraphs.some((p) => p.startsWith(fragment)),
          `${file}: ${fragment}`,
        ).toBe(false);
        expect(
          paragraphs.some((p) => p.includes(fragment)),
          `${file}: ${fragment} kept`,
        ).toBe(true);
      }
    }
  });

  it("leaves no paragraph of the hard-wrapped edition 003 unfinished", () => {
    for (const article of sampleArticles("003_f806f993ff43849d.txt")) {
      for (const p of article.paragraphs) {
        expect(endsSentence(p), `${article.headline}: …${p.slice(-20)}`).toBe(true);
        expect(p, "starts with a closing mark or particle").not.toMatch(
          /^[，。、；：！？”’）》的了着]/u,
        );
      }
    }
  });

  it("ends a paragraph without punctuation only for sub-heads, ads and cut-off article ends", () => {
    for (const file of sampleFiles()) {
      for (const article of sampleArticles(file)) {
        if (article.kind === "ad") continue;
        article.paragraphs.forEach((p, i) => {
          const subhead = compact(p).length <= 22 && !/[。！？；]/u.test(p);
          const last = i === article.paragraphs.length - 1;
          expect(endsSentence(p) || subhead || last, `${file}: ${p.slice(0, 30)}`).toBe(true);
        });
      }
    }
  });

  it("gives stable, unique ids, positions in order and the manifest's metadata", () => {
    for (const file of sampleFiles()) {
      const articles = sampleArticles(file);
      const again = parseEdition(sampleText(file), UNKNOWN, file);
      expect(again.map((a) => a.id)).toEqual(articles.map((a) => a.id));
      expect(new Set(articles.map((a) => a.id)).size).toBe(articles.length);
      expect(articles.map((a) => a.position)).toEqual(articles.map((_, i) => i));
      for (const a of articles) {
        expect(a.id).toMatch(/^[0-9a-f]{16}$/u);
        expect(a.contentHash).toMatch(/^[0-9a-f]{40}$/u);
        expect(a.editionId).toBe(file);
        expect(a.source).toBe(file);
      }
    }
    expect(sampleArticles("002_c46a323090806ea5.txt")[0]).toMatchObject({
      paper: "平湖日报",
      date: "2026-03",
      datePrecision: "month",
      dateEstimated: true,
    });
  });
});

describe("parseEdition on small editions", () => {
  it("keeps text before the first headline in an article of its own", () => {
    const text = [
      "上接前文的一段正文，没有标题。",
      "",
      "新建公园开放",
      "",
      "■记者 王小明",
      "",
      "本报讯 昨天，城东公园正式开放。",
    ].join("\n");
    const articles = parseEdition(text, UNKNOWN, "x.txt");
    expect(articles.map((a) => a.headline)).toEqual(["上接前文的一段正文", "新建公园开放"]);
    expect(articles[0]?.paragraphs).toEqual(["上接前文的一段正文，没有标题。"]);
    expect(articles[1]?.byline).toEqual(["王小明"]);
  });

  it("reads the byline from a 本报讯（记者 …） lead when no credit line is printed", () => {
    const text = "# 城市书房开放\n\n本报讯（记者 赵六 通讯员 钱七）昨天，第十家城市书房开放。";
    const [article] = parseEdition(text, UNKNOWN, "m.txt");
    expect(article).toMatchObject({
      headline: "城市书房开放",
      byline: ["赵六", "钱七"],
      credits: [],
    });
    expect(article?.paragraphs[0]).toBe(
      "本报讯（记者 赵六 通讯员 钱七）昨天，第十家城市书房开放。",
    );
  });

  it("turns plain text without any layout into one article", () => {
    const articles = parseEdition("第一句话。第二句话。\n\n第三句话。", UNKNOWN, "plain.txt");
    expect(articles).toHaveLength(1);
    expect(articles[0]?.paragraphs).toEqual(["第一句话。第二句话。", "第三句话。"]);
  });

  it("keeps a headline with no body as a headline-only article", () => {
    const text =
      "市区道路改造启动\n\n■记者 李华\n\n本报讯 今天，道路改造启动。\n\n明日预告 重要会议召开";
    const articles = parseEdition(text, UNKNOWN, "h.txt");
    expect(articles.map((a) => [a.headline, a.paragraphs.length])).toEqual([
      ["市区道路改造启动", 1],
      ["明日预告 重要会议召开", 0],
    ]);
  });

  it("changes the content hash but not the id when a later paragraph changes", () => {
    const base =
      "标题一\n\n■记者 甲乙\n\n本报讯 第一段内容在这里，足够长，超过五十个字符的限制，这样后面的改动不会影响编号，因为编号只看标题和正文开头。\n\n第二段。";
    const [a] = parseEdition(base, UNKNOWN, "s.txt");
    const [b] = parseEdition(base.replace("第二段。", "第二段改了。"), UNKNOWN, "s.txt");
    expect(a?.id).toBe(b?.id);
    expect(a?.contentHash).not.toBe(b?.contentHash);
  });
});
