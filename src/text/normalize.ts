import { createRequire } from "node:module";
import type * as OpenCC from "opencc-js";
import { TRADITIONAL_CHARS } from "./traditional-chars.js";

const require = createRequire(import.meta.url);
let converter: ((text: string) => string) | undefined;

/**
 * OpenCC's traditional-to-simplified conversion (Taiwan phrases first, then characters), loaded
 * on first use: a process that only ever sees simplified text never loads its dictionaries.
 */
function openccConverter(): (text: string) => string {
  if (converter === undefined) {
    const opencc = require("opencc-js/t2cn") as typeof OpenCC;
    const fromTaiwan = opencc.Converter({ from: "tw", to: "cn" });
    const fromTraditional = opencc.Converter({ from: "t", to: "cn" });
    converter = (text) => fromTraditional(fromTaiwan(text));
  }
  return converter;
}

/**
 * Builds OpenCC's converter now rather than for the first text that needs it: about 30 ms of
 * this thread, which a start spends while it waits for the index's files. Nearly every answer
 * needs it: 么 (什么) and 著, which OpenCC changes on their own, make 94 % of the triggers, and one
 * in 60-80 lines of news holds one (sample editions, generated corpus), so the bodies of an
 * answer's 40 candidates almost surely do. Never throws.
 */
export function loadTraditionalConverter(): void {
  try {
    openccConverter();
  } catch {
    // Left for the first text that needs it, which then reports why it cannot be loaded.
  }
}

/** True once OpenCC's converter is built. Never throws. */
export function traditionalConverterLoaded(): boolean {
  return converter !== undefined;
}

/**
 * The characters of the CJK blocks U+3400..U+9FFF that OpenCC changes on their own, found by
 * converting the whole range (`npm run generate` writes them to traditional-chars.ts). Most text
 * (simplified news) contains none of them and skips the slow phrase conversion.
 */
export function traditionalChars(): string {
  const block: string[] = [];
  for (let cp = 0x3400; cp <= 0x9fff; cp++) block.push(String.fromCodePoint(cp));
  const converted = Array.from(openccConverter()(block.join("")));
  // A conversion that changed the length could not be aligned: then every character counts.
  if (converted.length !== block.length) return block.join("");
  return block.filter((ch, i) => converted[i] !== ch).join("");
}

/** One native regex test tells whether a text needs converting; run on every passage sentence. */
const TRADITIONAL = new RegExp(`[${TRADITIONAL_CHARS}]`, "u");

const FULL_WIDTH = /[\u3000\uff01-\uff5e]/u;

/** Maps full-width ASCII (！-～) and the ideographic space to their half-width forms. */
export function toHalfWidth(text: string): string {
  if (!FULL_WIDTH.test(text)) return text;
  let out = "";
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (code === 0x3000) out += " ";
    else if (code >= 0xff01 && code <= 0xff5e) out += String.fromCodePoint(code - 0xfee0);
    else out += ch;
  }
  return out;
}

/** Converts traditional Chinese (Taiwan or generic) to simplified; simplified text passes through. */
export function toSimplified(text: string): string {
  return TRADITIONAL.test(text) ? openccConverter()(text) : text;
}

const HAN = /\p{Script=Han}/u;

/**
 * The distinct characters of Script=Han in `text`. Every candidate sentence of every question is
 * reduced to these, so the common cases are decided by code: nothing below U+2E80 is Han, and
 * all of U+4E00..U+9FFF is; the regex decides the rest.
 */
export function hanCharSet(text: string): Set<string> {
  const chars = new Set<string>();
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x2e80) continue;
    if (code >= 0x4e00 && code <= 0x9fff) {
      chars.add(text.charAt(i));
      continue;
    }
    const ch = String.fromCodePoint(text.codePointAt(i) ?? code);
    if (ch.length === 2) i++;
    if (HAN.test(ch)) chars.add(ch);
  }
  return chars;
}

/** Removes all whitespace: the form in which passages and evidence spans are compared. */
export function compact(text: string): string {
  return text.replace(/\s+/gu, "");
}

/** The canonical form for matching: simplified, half-width, lower-case, whitespace folded. */
export function normalizeForMatch(text: string): string {
  return toHalfWidth(toSimplified(text)).toLowerCase().replace(/\s+/gu, " ").trim();
}

/** The text as a regular expression that matches it literally ("a.b" → "a\.b"). */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/gu, "\\$&");
}
