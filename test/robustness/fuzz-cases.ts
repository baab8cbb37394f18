/**
 * Fuzz cases for the edition parser: seeded mutations of the sample editions, and the
 * sentence-conservation oracle they are checked against.
 */
import { extractNotes, isColumnCreditLine, isNoiseLine } from "../../src/ingest/layout-noise.js";
import { compactLength } from "../../src/ingest/wrap.js";
import { compact } from "../../src/text/normalize.js";
import { endsSentence, splitSentences } from "../../src/text/sentences.js";
import type { Article } from "../../src/types.js";
import { sampleFiles, sampleText } from "../ingest/samples.js";
import { createRandom } from "./prng.js";
import type { Random } from "./prng.js";

/** Mutated editions per sample edition; five samples make 300 cases. */
export const CASES_PER_SAMPLE = 60;
export const SEED = 20_250_601;
/**
 * A parse that takes longer than this has hung: a normal one takes milliseconds. A hang
 * detector, not a performance assertion.
 */
export const PARSE_DEADLINE_MS = 20_000;

/** Snippets a mutation may insert: the layout's own markers, punctuation and odd characters. */
const SNIPPETS = [
  "。",
  "，",
  "！？",
  "；",
  "……",
  "■记者 张三",
  "■摄影 李四",
  "通讯员 王五",
  "本报讯 ",
  "（下转2版）",
  "(上接第1版)",
  "# ",
  "## 小标题",
  "》》专栏",
  "□增值化改革进行时",
  "栏目统筹:黄金凤",
  "地址:平湖市当湖街道",
  "电话:0573-12345678",
  "气温 12℃ 多云",
  "——访某某",
  "“",
  "”",
  "《",
  "》",
  "（",
  "）",
  "嘉善发布",
  "扫描二维码",
  "JIAXING DAILY",
  "\n",
  "\n\n",
  "   ",
  "\t",
  "😀",
  "𠮷",
  "\u200b",
  "\ufeff",
  "A",
  "2025",
  "平湖",
];

type Mutation = (text: string, rng: Random) => string;

const lines = (text: string): string[] => text.split("\n");
const at = (text: string, rng: Random): number => rng.int(text.length + 1);

/** Mutations of the kind real exports suffer: cuts, repeats, moves, stray markers, lost breaks. */
const MUTATIONS: Record<string, Mutation> = {
  deleteRange: (t, r) => {
    const start = at(t, r);
    return t.slice(0, start) + t.slice(start + r.int(400));
  },
  duplicateRange: (t, r) => {
    const start = at(t, r);
    const piece = t.slice(start, start + r.int(600));
    return t.slice(0, start) + piece + piece + t.slice(start + piece.length);
  },
  insertSnippet: (t, r) => {
    const i = at(t, r);
    return t.slice(0, i) + r.pick(SNIPPETS) + t.slice(i);
  },
  insertManySnippets: (t, r) => {
    let out = t;
    for (let k = 0; k < 20; k++) out = MUTATIONS.insertSnippet?.(out, r) ?? out;
    return out;
  },
  truncate: (t, r) => t.slice(0, at(t, r)),
  swapLines: (t, r) => {
    const ls = lines(t);
    const a = r.int(ls.length);
    const b = r.int(ls.length);
    [ls[a], ls[b]] = [ls[b] ?? "", ls[a] ?? ""];
    return ls.join("\n");
  },
  shuffleBlocks: (t, r) => {
    const blocks = t.split(/\n\s*\n/u);
    for (let i = blocks.length - 1; i > 0; i--) {
      const j = r.int(i + 1);
      [blocks[i], blocks[j]] = [blocks[j] ?? "", blocks[i] ?? ""];
    }
    return blocks.join("\n\n");
  },
  dropLineBreaks: (t, r) => {
    const start = at(t, r);
    const end = start + r.int(2000);
    return t.slice(0, start) + t.slice(start, end).replace(/\n/gu, "") + t.slice(end);
  },
  dropBlankLines: (t) => t.replace(/\n\s*\n/gu, "\n"),
  hardWrap: (t, r) => {
    const width = 8 + r.int(30);
    return lines(t)
      .flatMap((l) => Array.from(l.matchAll(new RegExp(`.{1,${width}}`, "gu")), (m) => m[0]))
      .join("\n");
  },
  repeatLine: (t, r) => {
    const ls = lines(t);
    const i = r.int(ls.length);
    ls.splice(i, 0, ...Array<string>(2 + r.int(50)).fill(ls[i] ?? ""));
    return ls.join("\n");
  },
  longLineWithoutPunctuation: (t, r) => {
    const i = at(t, r);
    return `${t.slice(0, i)}\n${"平湖新闻稿件内容".repeat(200 + r.int(2000))}\n${t.slice(i)}`;
  },
  stripPunctuation: (t) => t.replace(/[。！？；]/gu, ""),
  replaceChars: (t, r) => {
    const chars = Array.from(t);
    for (let k = 0; k < 30; k++) chars[r.int(chars.length)] = r.pick(SNIPPETS);
    return chars.join("");
  },
  crlf: (t) => t.replace(/\n/gu, "\r\n"),
  onlyHeadlines: (t) =>
    lines(t)
      .filter((l) => !/[。！？；]/u.test(l))
      .join("\n"),
};

/** One fuzz case: the mutated text and how it was made (for the failure message). */
export interface FuzzCase {
  label: string;
  text: string;
}

export function makeCases(): FuzzCase[] {
  const rng = createRandom(SEED);
  const names = Object.keys(MUTATIONS);
  const cases: FuzzCase[] = [];
  for (const file of sampleFiles()) {
    const original = sampleText(file);
    for (let k = 0; k < CASES_PER_SAMPLE; k++) {
      let text = original;
      const applied: string[] = [];
      for (let m = 1 + rng.int(4); m > 0; m--) {
        const name = rng.pick(names);
        text = MUTATIONS[name]?.(text, rng) ?? text;
        applied.push(name);
      }
      cases.push({ label: `${file} #${k} (${applied.join(", ")})`, text });
    }
  }
  return cases;
}

/**
 * The sentences the parser must keep: every sentence of the input (ended by 。！？；…) of at
 * least six characters, outside what the parser drops by design: masthead and promotion lines,
 * column-credit lines and the short column name above them. Continuation notes are cut out of
 * their line first (they are kept as notes), "#" heading markers are removed, and a "■" credit
 * glued to a line splits it.
 */
export function sentencesToKeep(text: string): string[] {
  const out: string[] = [];
  const ls = text.replace(/\r\n?/gu, "\n").split("\n");
  for (const [i, raw] of ls.entries()) {
    const { text: line } = extractNotes(raw.trim().replace(/^#{1,6}\s+/u, ""));
    if (isNoiseLine(line, true) || isColumnCreditLine(line)) continue;
    const next = ls[i + 1] ?? "";
    if (isColumnCreditLine(next) && compactLength(line) <= 12) continue;
    for (const part of line.split("■")) {
      for (const sentence of splitSentences(part)) {
        if (endsSentence(sentence) && compactLength(sentence) >= 6) out.push(compact(sentence));
      }
    }
  }
  return out;
}

/**
 * Everything the articles hold, compacted, as written and with continuation notes cut out (as the
 * oracle cuts them from each line; inside an ad block they stay in the text, and a note that a
 * wrap split is only recognised once the lines are joined).
 */
export function articleText(articles: readonly Article[]): { raw: string; withoutNotes: string } {
  const texts = articles.map((a) =>
    [a.column ?? "", a.headline, a.subtitle ?? "", ...a.credits, ...a.paragraphs].join(""),
  );
  return {
    raw: texts.map((t) => compact(t)).join("\u0001"),
    withoutNotes: texts.map((t) => compact(extractNotes(t).text)).join("\u0001"),
  };
}

/** True when the articles hold the sentence (in either form). */
export function holds(text: { raw: string; withoutNotes: string }, sentence: string): boolean {
  return text.raw.includes(sentence) || text.withoutNotes.includes(sentence);
}
