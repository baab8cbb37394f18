import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { UNKNOWN_META } from "../../../src/ingest/metadata.js";
import { htmlReader } from "../../../src/ingest/readers/html.js";
import { EDITION, FORMATS_DIR, expectSameSentences } from "./formats.js";

async function readHtml(name: string) {
  const bytes = await readFile(path.join(FORMATS_DIR, name));
  return htmlReader.read(bytes, { file: name, source: name, meta: { ...UNKNOWN_META } });
}

const [lead, side] = EDITION.pages[0]?.articles ?? [];

describe("e-paper HTML pages", () => {
  it("reads a UTF-8 page's fields: 引题, headline, author, paper, date and page", async () => {
    const { articles, encoding } = await readHtml("article-utf8.html");
    expect(encoding).toBe("utf-8");
    expect(articles).toHaveLength(1);
    expect(articles[0]).toMatchObject({
      headline: "平湖新能源产业园一期项目开工",
      subtitle: "全力打造长三角产业协同示范区",
      byline: ["张晓明", "陆文静"],
      paper: "平湖日报",
      date: "2026-03-10",
      page: "A1",
      notes: ["(下转A2版)"],
    });
  });

  it("keeps the body only: no navigation, links, script or footer, entities decoded", async () => {
    const { articles } = await readHtml("article-utf8.html");
    expectSameSentences(articles[0], lead ?? { headline: "", paragraphs: [] });
    const text = articles[0]?.paragraphs.join("\n") ?? "";
    expect(text).not.toMatch(/[<>&]|nbsp|上一篇|往期|版权|document|广告|第A2版:综合/u);
  });

  it("reads a GB2312 page with its fields in the page header and the body in #ozoom", async () => {
    const { articles, encoding } = await readHtml("article-gbk.html");
    expect(encoding).toBe("gb2312");
    expect(articles).toHaveLength(1);
    expect(articles[0]).toMatchObject({
      headline: "乍浦港区新增两条集装箱航线",
      byline: ["王丽"],
      paper: "平湖日报",
      date: "2026-03-10",
      page: "A1",
    });
    expectSameSentences(articles[0], side ?? { headline: "", paragraphs: [] });
    expect(articles[0]?.paragraphs.join("")).not.toMatch(/首页|分享|版权/u);
  });

  it("detects GBK without a charset declaration", async () => {
    const bytes = await readFile(path.join(FORMATS_DIR, "article-gbk.html"));
    const undeclared = Buffer.from(
      bytes.toString("latin1").replace(/<meta[^>]*charset=gb2312">/u, ""),
      "latin1",
    );
    const { articles } = await htmlReader.read(undeclared, {
      file: "x.html",
      source: "x.html",
      meta: { ...UNKNOWN_META },
    });
    expect(articles[0]?.headline).toBe("乍浦港区新增两条集装箱航线");
  });
});

describe("e-paper pages of unknown layout", () => {
  it("finds the article of a page laid out in tables with <br> paragraphs (Readability)", async () => {
    // Hand-written after the GBK-era e-paper systems: no article fields, the site name as title.
    const { articles } = await readHtml("article-tables.html");
    expect(articles).toHaveLength(1);
    expect(articles[0]).toMatchObject({
      headline: "南湖区新建口袋公园12个",
      byline: ["李明"],
      paper: "嘉兴日报",
      date: "2026-03-12",
      page: "03",
    });
    expect(articles[0]?.paragraphs).toHaveLength(3);
    expect(articles[0]?.paragraphs.join("")).not.toMatch(/首页|下一篇|版权/u);
  });
});

describe("fields as e-paper systems write them", () => {
  const read = async (html: string) =>
    (
      await htmlReader.read(Buffer.from(html), {
        file: "p.html",
        source: "p.html",
        meta: { ...UNKNOWN_META },
      })
    ).articles;

  it("reads a Founder page's enpproperty comment", async () => {
    const html = `<html><head><title>平湖日报</title></head><body>
<!--enpproperty <articleid>1234</articleid><date>2026-03-10</date><author>记者 王丽</author>
<title>乍浦港区新增两条集装箱航线</title><introtitle>港口开放再提速</introtitle>
<subtitle></subtitle><nodename>A1版:要闻</nodename>/enpproperty-->
<div class="nav"><a href="node_2.htm">下一版</a></div>
<founder-content><p>本报讯 3月9日,乍浦港区新开通两条集装箱航线。</p></founder-content>
</body></html>`;
    const [article] = await read(html);
    expect(article).toMatchObject({
      headline: "乍浦港区新增两条集装箱航线",
      subtitle: "港口开放再提速",
      byline: ["王丽"],
      date: "2026-03-10",
      page: "A1",
      paragraphs: ["本报讯 3月9日,乍浦港区新开通两条集装箱航线。"],
    });
  });

  it("reads 引题 and 副题 around the headline, and date and page from the byline line", async () => {
    const html = `<html><head><meta charset="utf-8"><title>当湖街道开展消防检查--平湖日报</title></head>
<body><div class="article"><h3>守护群众生命财产安全</h3><h1>当湖街道开展春季消防安全检查</h1>
<h2>督促整改隐患87处</h2><p class="sec">本报记者 沈佳 《 平湖日报 》( 2026年03月10日 第 02 版)</p>
<div id="ozoom"><p>本报讯 近日,当湖街道对辖区内的商场开展春季消防安全检查。</p>
<p>检查组共走访场所126家。</p></div></div>
<div class="footer">版权所有</div></body></html>`;
    const [article] = await read(html);
    expect(article).toMatchObject({
      headline: "当湖街道开展春季消防安全检查",
      subtitle: "守护群众生命财产安全 ——督促整改隐患87处",
      paper: "平湖日报",
      date: "2026-03-10",
      page: "02",
      paragraphs: [
        "本报讯 近日,当湖街道对辖区内的商场开展春季消防安全检查。",
        "检查组共走访场所126家。",
      ],
    });
  });
});
