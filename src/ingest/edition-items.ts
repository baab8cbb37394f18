/**
 * First stage of edition parsing: raw lines -> typed items (text, heading, credit, column, ad,
 * note), with layout noise dropped and hard-wrapped lines joined back into paragraphs.
 */
import { endsSentence } from "../text/sentences.js";
import { parseCreditLine, splitGluedCredit, type CreditLine } from "./credits.js";
import { isHeadingLike } from "./heading.js";
import { columnLabel, extractNotes, isColumnCreditLine, isNoiseLine } from "./layout-noise.js";
import { compactLength, joinWrapped, SENTENCE_END } from "./wrap.js";

/** One item of an edition, in reading order. */
export type EditionItem =
  | TextItem
  | { type: "heading"; text: string; level: number; notes: string[] }
  | { type: "credit"; credits: CreditLine[]; notes: string[] }
  | { type: "column"; text: string; notes: string[] }
  | { type: "ad"; lines: string[]; notes: string[] }
  | { type: "note"; notes: string[] };

/** A paragraph (or heading-like line) of running text. */
export interface TextItem {
  type: "text";
  text: string;
  /** Continuation notes removed from the text, e.g. "(下转2版)". */
  notes: string[];
  /** Raw block (blank-line separated group of lines) the text came from. */
  block: number;
}

/** Items of one edition and what the layout looks like. */
export interface EditionItems {
  items: EditionItem[];
  /** True when the text is hard-wrapped at a fixed width (a narrow newspaper column). */
  hardWrapped: boolean;
}

/** Lines of an address, hotline or contact: the block they are in is an advertisement or notice. */
const AD_LINE =
  /^(?:地址|电话|联系电话|热线|招生热线|咨询热线|报名热线|服务热线|订购热线|订餐热线|联系人|网址|邮编|微信)\s*[:：]|(?:热线|电话)\s*[:：]?\s*\d[\d-]{6,}/u;

/** Share of lines at most this long above which an edition counts as hard-wrapped. */
const WRAP_MAX_LINE_CHARS = 24;
const WRAP_MIN_SHARE = 0.7;
/** A sentence-final line shorter than this share of the wrap width ends its paragraph. */
const SHORT_LINE_SHARE = 0.7;

/** Splits edition text into items; never throws. */
export function readEditionItems(text: string): EditionItems {
  const blocks = splitBlocks(text);
  const lengths = blocks.flat().map(compactLength);
  const hardWrapped =
    lengths.length >= 10 &&
    lengths.filter((n) => n <= WRAP_MAX_LINE_CHARS).length / lengths.length >= WRAP_MIN_SHARE;
  const width = hardWrapped ? median(lengths) : Number.POSITIVE_INFINITY;

  const items: EditionItem[] = [];
  let inMasthead = true;
  for (const [blockIndex, rawLines] of blocks.entries()) {
    const lines = rawLines.flatMap((l) => splitGluedCredit(l) ?? [l]);
    if (isAdBlock(lines)) {
      const kept = lines.filter((l) => !isNoiseLine(l, false));
      if (kept.length > 0) items.push({ type: "ad", lines: kept, notes: [] });
      inMasthead = false;
      continue;
    }
    let previousLineWasCredit = false;
    let previousLineEndedShort = false;
    for (const rawLine of lines) {
      const { text: line, notes } = extractNotes(rawLine);
      const last = items.at(-1);
      if (line.trim().length === 0) {
        if (notes.length > 0) items.push({ type: "note", notes });
        previousLineWasCredit = false;
        continue;
      }
      const heading = /^(#{1,6})\s+(.+)$/u.exec(line);
      if (heading) {
        items.push({
          type: "heading",
          text: (heading[2] ?? "").trim(),
          level: heading[1]?.length ?? 1,
          notes,
        });
        previousLineWasCredit = false;
        continue;
      }
      if (isNoiseLine(line, inMasthead)) continue;
      if (isColumnCreditLine(line)) {
        // The short line printed just above a column credit is the column's name ("第134期评论").
        if (last?.type === "text" && last.block === blockIndex && compactLength(last.text) <= 12)
          items.pop();
        continue;
      }
      const label = columnLabel(line);
      if (label !== undefined) {
        items.push({ type: "column", text: label, notes });
        previousLineWasCredit = false;
        continue;
      }
      const credit = parseCreditLine(line, previousLineWasCredit);
      if (credit) {
        // Credit lines split over several lines (or blank-separated blocks) form one credit.
        if (last?.type === "credit") last.credits.push(credit);
        else items.push({ type: "credit", credits: [credit], notes });
        previousLineWasCredit = true;
        inMasthead = false;
        continue;
      }
      previousLineWasCredit = false;
      if (SENTENCE_END.test(line)) inMasthead = false;

      const trimmed = line.trim();
      const continues =
        last?.type === "text" &&
        last.block === blockIndex &&
        (hardWrapped
          ? !previousLineEndedShort
          : !endsSentence(last.text) && !isHeadingLike(last.text, false));
      if (continues) {
        last.text = joinWrapped(last.text, trimmed);
        last.notes.push(...notes);
      } else {
        items.push({ type: "text", text: trimmed, notes, block: blockIndex });
      }
      previousLineEndedShort =
        notes.length > 0 ||
        (endsSentence(trimmed) && compactLength(trimmed) < SHORT_LINE_SHARE * width);
    }
  }
  return { items, hardWrapped };
}

/** Groups non-blank lines into blocks separated by blank lines; lines are trimmed. */
function splitBlocks(text: string): string[][] {
  const blocks: string[][] = [];
  let current: string[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line.length === 0) {
      if (current.length > 0) blocks.push(current);
      current = [];
    } else current.push(line);
  }
  if (current.length > 0) blocks.push(current);
  return blocks;
}

function isAdBlock(lines: readonly string[]): boolean {
  return lines.some((l) => AD_LINE.test(l)) && !lines.some((l) => l.startsWith("本报讯"));
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}
