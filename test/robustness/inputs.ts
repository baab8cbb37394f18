/**
 * Bad inputs for the indexer, generated at test time in a temp folder (big files are never
 * committed). Each case says what the indexer must do with it: skip it with a reason naming the
 * problem, or index it (and, for some, say what it read it despite).
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { REPO_DIR, SAMPLE_EDITIONS } from "../helpers/paths.js";

/** What the indexer must do with one input. */
export type Expectation =
  | { skip: RegExp }
  | { index: string; notice?: RegExp }
  | { lines: Record<number, RegExp>; index: string };

/** One bad input: its file name, its bytes, and the expectation. */
export interface BadInput {
  name: string;
  bytes: Buffer;
  expect: Expectation;
}

/** A small edition with one article whose body carries `fact` (to find it in the index). */
export function edition(headline: string, reporter: string, fact: string): string {
  return `${headline}\n\n■记者 ${reporter}\n\n本报讯 ${fact}\n\n据介绍，相关工作将持续推进。\n`;
}

/** UTF-16 big-endian bytes (Node only encodes little-endian). */
function utf16be(text: string): Buffer {
  const le = Buffer.from(text, "utf16le");
  const be = Buffer.alloc(le.length);
  for (let i = 0; i + 1 < le.length; i += 2) {
    be[i] = le[i + 1] ?? 0;
    be[i + 1] = le[i] ?? 0;
  }
  return be;
}

const jsonl = (records: readonly unknown[]): string =>
  records.map((r) => (typeof r === "string" ? r : JSON.stringify(r))).join("\n");

/**
 * Every input of issue 6 §1 except the two big ones (see writeBigInputs): empty, binary,
 * encodings, JSONL faults, a duplicated edition and awkward names.
 */
export async function badInputs(): Promise<BadInput[]> {
  const gbk = await readFile(path.join(REPO_DIR, "test", "fixtures", "ingest", "gbk-edition.txt"));
  const sample = await readFile(path.join(SAMPLE_EDITIONS, "001_442c48c22c8f00a5.txt"));
  const utf8Part = Buffer.from(
    edition(
      "濮院羊毛衫市场举行春季订货会",
      "陆一帆",
      "濮院羊毛衫市场春季订货会签约金额达六点八亿元。",
    ),
  );
  const damaged = Buffer.from(
    edition(
      "西塘古镇推出夜游线路",
      "程雨桐",
      "西塘古镇新推出的夜游线路全长四点二公里，串起十二处景点。",
    ),
  );
  // Cut the second byte of the first Chinese character of the body: a damaged UTF-8 sequence.
  const bodyAt = damaged.indexOf(Buffer.from("本报讯 西塘"));
  damaged[bodyAt + Buffer.from("本报讯 ").length + 1] = 0x20;
  return [
    { name: "empty.txt", bytes: Buffer.alloc(0), expect: { skip: /the file is empty/ } },
    // A second empty file is empty too, not a copy of the first.
    { name: "empty-too.txt", bytes: Buffer.alloc(0), expect: { skip: /the file is empty/ } },
    {
      name: "whitespace.txt",
      bytes: Buffer.from(" \n\t\n  \n"),
      expect: { skip: /no text, only whitespace/ },
    },
    {
      name: "photo.txt",
      bytes: Buffer.concat([
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
        Buffer.alloc(2048, 0x11),
      ]),
      expect: { skip: /a PNG image, not text/ },
    },
    {
      name: "archive.txt",
      bytes: Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(2048, 0x22)]),
      expect: { skip: /a ZIP archive/ },
    },
    {
      name: "noise.txt",
      bytes: Buffer.from(Array.from({ length: 4096 }, (_, i) => (i % 2 === 0 ? 0x80 : 0xff))),
      expect: { skip: /not readable as UTF-8, UTF-16 or GB18030/ },
    },
    { name: "gbk-edition.txt", bytes: gbk, expect: { index: "120名消防员" } },
    {
      name: "utf16le.txt",
      bytes: Buffer.concat([
        Buffer.from([0xff, 0xfe]),
        Buffer.from(
          edition(
            "海盐新建十座口袋公园",
            "周以安",
            "海盐县今年新建十座口袋公园，总面积约两万平方米。",
          ),
          "utf16le",
        ),
      ]),
      expect: { index: "十座口袋公园" },
    },
    {
      name: "utf16be-no-bom.txt",
      bytes: utf16be(
        edition(
          "海宁皮革城开设夜市",
          "吴清禾",
          "海宁皮革城夜市首批入驻商户三百二十家，营业到晚上十点。",
        ),
      ),
      expect: { index: "三百二十家" },
    },
    {
      name: "mixed-encodings.txt",
      bytes: Buffer.concat([utf8Part, Buffer.from("\n"), gbk]),
      expect: { index: "六点八亿元", notice: /mixed encodings: .*GBK.*line 9/ },
    },
    {
      name: "damaged-utf8.txt",
      bytes: damaged,
      expect: { index: "四点二公里", notice: /invalid UTF-8 byte sequences in 1 line.*line 5/ },
    },
    {
      name: "truncated.jsonl",
      bytes: Buffer.from(
        jsonl([
          {
            id: "t1",
            title: "南湖区开通三条公交新线",
            text: "南湖区开通三条公交新线，日均客流预计四千人次。",
          },
          '{"id": "t2", "title": "秀洲区新建', // cut off mid-record
        ]),
      ),
      expect: { index: "日均客流预计四千人次", lines: { 2: /invalid JSON .*truncated/ } },
    },
    {
      name: "fields.jsonl",
      bytes: Buffer.from(
        jsonl([
          { id: "f1", text: "缺少标题的记录。" },
          { id: { nested: 1 }, title: "标题", text: "编号是对象。" },
          { id: "f3", title: "标题", text: 42 },
          { id: "f4", title: "标题", text: "   " },
          [1, 2, 3],
          { id: "f6", title: ["数组"], text: "标题是数组。" },
          { id: "f7", title: "标题", text: "日期格式不对。", date: "去年春天" },
          {
            id: "../../etc/passwd",
            title: "嘉善县开出首张数据资产登记证",
            text: "嘉善县开出首张数据资产登记证书，编号为零零一。",
          },
        ]),
      ),
      expect: {
        index: "首张数据资产登记证书",
        lines: {
          1: /missing "title"/,
          2: /"id" must be a string or number, not an object/,
          3: /"text" must be a string, not a number/,
          4: /"text" is empty/,
          5: /not a JSON object/,
          6: /"title" must be a string, not an array/,
          7: /date "去年春天" is not YYYY-MM-DD/,
        },
      },
    },
    {
      name: "copy of 001.txt",
      bytes: sample,
      expect: { skip: /the same articles as .*001_442c48c22c8f00a5\.txt/ },
    },
    {
      name: "平湖 日报 第 2 版.txt",
      bytes: Buffer.from(
        edition(
          "当湖街道启用智慧养老服务站",
          "钟若溪",
          "当湖街道智慧养老服务站为辖区一千六百名老人提供助餐服务。",
        ),
      ),
      expect: { index: "一千六百名老人" },
    },
    {
      name: "2025-03-02_嘉善日报.txt",
      bytes: Buffer.from(
        edition("嘉善县开通跨省公交专线", "顾南星", "嘉善至吴江的跨省公交专线每天往返二十四班。"),
      ),
      expect: { index: "往返二十四班" },
    },
    {
      name: "notes.docx",
      bytes: Buffer.from("PK\u0003\u0004"),
      expect: { skip: /not a readable Word \(\.docx\) file/ },
    },
  ];
}

/** Bytes of the 50 MB edition file: sample editions repeated (only its size matters). */
export const BIG_FILE_BYTES = 50 * 1024 * 1024;
/** Bytes of the one-line file: one line of Chinese without any punctuation. */
export const LONG_LINE_BYTES = 10 * 1024 * 1024;

/** Writes the 50 MB file into `dir`; returns its name. */
export async function writeBigFile(dir: string): Promise<string> {
  const name = "archive-dump.txt";
  const sample = await readFile(path.join(SAMPLE_EDITIONS, "000_4fbab94a4f508d93.txt"));
  const copies = Math.ceil(BIG_FILE_BYTES / sample.length);
  await writeFile(
    path.join(dir, name),
    Buffer.concat(Array(copies).fill(sample)).subarray(0, BIG_FILE_BYTES),
  );
  return name;
}

/** The 10 MB single line: Chinese characters (3 bytes each in UTF-8), no punctuation, no break. */
export function longLine(): string {
  const words = "平湖经济开发区新材料产业园区项目建设推进会现场观摩活动";
  const chars = Math.floor(LONG_LINE_BYTES / 3);
  return words.repeat(Math.ceil(chars / words.length)).slice(0, chars);
}
