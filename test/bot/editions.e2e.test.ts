import { copyFile, mkdtemp, readFile, rm } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startInbox } from "../../src/bot/inbox.js";
import type { EditionWatch } from "../../src/ingest/watch.js";
import { ADMIN_ID, startHarness } from "./helpers/harness.js";
import type { Harness } from "./helpers/harness.js";
import { FORMATS_DIR } from "../ingest/readers/formats.js";

const admin = { userId: ADMIN_ID };

let h: Harness;
let server: http.Server;
let origin: string;
let inboxDir: string;
let inbox: EditionWatch;

beforeAll(async () => {
  // An e-paper site on 127.0.0.1: an article page, a redirect off the allowed host, a big file.
  const page = await readFile(path.join(FORMATS_DIR, "article-gbk.html"));
  server = http.createServer((req, res) => {
    if (req.url === "/html/2026-03/10/content_2.htm") {
      res.writeHead(200, { "content-type": "text/html; charset=gb2312" });
      res.end(page);
    } else if (req.url === "/away") {
      res.writeHead(302, { location: "http://localhost:1/evil.pdf" });
      res.end();
    } else if (req.url === "/big.pdf") {
      res.writeHead(200, { "content-type": "application/pdf" });
      res.end(Buffer.alloc(200 * 1024, 0x20));
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  inboxDir = await mkdtemp(path.join(os.tmpdir(), "editions-inbox-"));
  h = await startHarness({
    maxUploadBytes: 100 * 1024,
    editionSources: [new URL(origin).host],
    inboxDir,
  });
  inbox = startInbox({
    dir: inboxDir,
    indexJobs: h.deps.indexJobs,
    logger: h.deps.logger,
    notifyAdmins: async (text) => {
      await h.bot.api.sendMessage(ADMIN_ID, text);
    },
    debounceMs: 200,
    stableMs: 100,
  });
  await inbox.ready;
});
afterAll(async () => {
  await inbox?.close();
  await h?.stop();
  server?.close();
  await rm(inboxDir, { recursive: true, force: true });
});

async function sendDocument(fileName: string, bytes: Buffer): Promise<void> {
  const fileId = h.tg.addFile(fileName, bytes);
  await h.tg.sendMessage(admin, undefined, {
    document: {
      file_id: fileId,
      file_unique_id: `u${fileId}`,
      file_name: fileName,
      file_size: bytes.length,
      mime_type: "application/octet-stream",
    },
  });
}

async function ask(question: string): Promise<string> {
  await h.tg.sendMessage(admin, question);
  const [answer] = await h.waitForMessages(ADMIN_ID);
  return answer?.text ?? "";
}

describe("editions as newsrooms publish them", () => {
  it("fetches an e-paper page from an allowed host and indexes it", async () => {
    await h.tg.sendMessage(admin, `${origin}/html/2026-03/10/content_2.htm`);
    const [received, indexed] = await h.waitForMessages(ADMIN_ID, 2);
    expect(received?.text).toContain("<b>已收到“content_2.htm”</b>");
    expect(received?.text).toContain("识别出 1 篇文章(gb2312 编码),平湖日报 2026年3月10日");
    expect(received?.text).toContain("《乍浦港区新增两条集装箱航线》");
    expect(indexed?.text).toMatch(/^索引已更新:6 期/u);
    const answer = await ask("乍浦港区新开通了到哪里的集装箱航线?");
    expect(answer).toContain("大阪");
    expect(answer).toContain("平湖日报 2026年3月10日 A1版《乍浦港区新增两条集装箱航线》");
  });

  it("refuses links to other hosts, other schemes, redirects away and files over the cap", async () => {
    await h.tg.sendMessage(admin, "http://epaper.example.com/html/content_1.htm");
    await h.tg.sendMessage(admin, `ftp://${new URL(origin).host}/edition.pdf`);
    await h.tg.sendMessage(admin, `${origin}/away`);
    await h.tg.sendMessage(admin, `${origin}/big.pdf`);
    const [other, ftp, away, big] = await h.waitForMessages(ADMIN_ID, 4);
    expect(other?.text).toBe(
      `没有导入这个链接:“epaper.example.com”不在允许获取版面的网站之列(${new URL(origin).host})。如需添加,请联系运维设置 EDITION_SOURCES。`,
    );
    expect(ftp?.text).toBe("没有导入这个链接:只能从 http 或 https 链接获取版面,不接受 ftp 链接。");
    expect(away?.text).toMatch(/^没有导入这个链接:“localhost:1”不在允许获取版面的网站之列/u);
    expect(big?.text).toBe("没有导入这个链接:链接的文件超过 0.1 MB 的上限,请拆分后再发送。");
    expect(h.deps.indexJobs.pending).toBe(0);
  });

  it("answers from an uploaded PDF edition, citing its page", async () => {
    const before = await ask("东湖樱花的最佳观赏期持续到什么时候?");
    expect(before).not.toContain("3月20日");
    await sendDocument(
      "pinghu.pdf",
      await readFile(path.join(FORMATS_DIR, "pinghu-2026-03-10.pdf")),
    );
    const [received, indexed] = await h.waitForMessages(ADMIN_ID, 2);
    expect(received?.text).toContain("识别出 7 篇文章(PDF 文件),平湖日报 2026年3月10日");
    expect(received?.text).toContain("《东湖樱花进入最佳观赏期》");
    expect(indexed?.text).toMatch(/^索引已更新:7 期/u);
    const answer = await ask("东湖樱花的最佳观赏期持续到什么时候?");
    expect(answer).toContain("3月20日");
    expect(answer).toContain("[1] 平湖日报 2026年3月10日 A1版《东湖樱花进入最佳观赏期》");
  });

  it("indexes a file dropped in the inbox without a restart, and tells a skipped file once", async () => {
    await copyFile(path.join(FORMATS_DIR, "scan.pdf"), path.join(inboxDir, "scan.pdf"));
    const [skipped] = await h.waitForMessages(ADMIN_ID);
    expect(skipped?.text).toContain("跳过 1 项:");
    expect(skipped?.text).toContain(
      "• scan.pdf:这是只有图片的 PDF(扫描件),没有文字层,需要先做 OCR 才能导入",
    );

    await copyFile(path.join(FORMATS_DIR, "edition-a2.docx"), path.join(inboxDir, "a2.docx"));
    const [added] = await h.waitForMessages(ADMIN_ID);
    expect(added?.text).toContain("收件箱有新的版面文件。\n新增:a2.docx\n索引已更新:8 期");
    expect(added?.text).not.toContain("scan.pdf");
    const answer = await ask("新埭镇春季招聘会当天初步达成就业意向的有多少人?");
    expect(answer).toContain("430");
    expect(answer).toMatch(/平湖日报 2026年3月10日 A2版《新埭镇举办春季招聘会》/u);
  });
});
