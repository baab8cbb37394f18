import * as OpenCC from "opencc-js";

const toSimplifiedConverter = OpenCC.Converter({ from: "t", to: "cn" });
const twToSimplified = OpenCC.Converter({ from: "tw", to: "cn" });

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

let traditionalChars: Set<string> | undefined;
let traditionalPattern: RegExp | undefined;

/**
 * A character class of the characters OpenCC changes: one native regex test tells whether a text
 * needs converting (faster than looking each character up, and run on every passage sentence).
 */
function getTraditionalPattern(): RegExp {
  if (traditionalPattern) return traditionalPattern;
  const chars = [...getTraditionalChars()].sort();
  traditionalPattern = new RegExp(`[${chars.join("")}]`, "u");
  return traditionalPattern;
}

/**
 * Characters that OpenCC changes on their own, found once by converting the whole CJK block.
 * Most text (simplified news) contains none of them and can skip the slow phrase conversion.
 */
function getTraditionalChars(): Set<string> {
  if (traditionalChars) return traditionalChars;
  const block: string[] = [];
  for (let cp = 0x3400; cp <= 0x9fff; cp++) block.push(String.fromCodePoint(cp));
  const converted = Array.from(toSimplifiedConverter(twToSimplified(block.join(""))));
  traditionalChars = new Set();
  if (converted.length === block.length) {
    block.forEach((ch, i) => {
      if (converted[i] !== ch) traditionalChars?.add(ch);
    });
  } else {
    // A conversion that changed the length cannot be aligned: keep converting everything.
    for (const ch of block) traditionalChars.add(ch);
  }
  return traditionalChars;
}

/** Converts traditional Chinese (Taiwan or generic) to simplified; simplified text passes through. */
export function toSimplified(text: string): string {
  return getTraditionalPattern().test(text) ? toSimplifiedConverter(twToSimplified(text)) : text;
}

/** Removes all whitespace: the form in which passages and evidence spans are compared. */
export function compact(text: string): string {
  return text.replace(/\s+/gu, "");
}

/** The canonical form for matching: simplified, half-width, lower-case, whitespace folded. */
export function normalizeForMatch(text: string): string {
  return toHalfWidth(toSimplified(text)).toLowerCase().replace(/\s+/gu, " ").trim();
}
