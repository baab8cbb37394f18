import * as OpenCC from "opencc-js";

const toSimplifiedConverter = OpenCC.Converter({ from: "t", to: "cn" });
const twToSimplified = OpenCC.Converter({ from: "tw", to: "cn" });

/** Maps full-width ASCII (！-～) and the ideographic space to their half-width forms. */
export function toHalfWidth(text: string): string {
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
  return toSimplifiedConverter(twToSimplified(text));
}

/** Removes all whitespace: the form in which passages and evidence spans are compared. */
export function compact(text: string): string {
  return text.replace(/\s+/gu, "");
}

/** The canonical form for matching: simplified, half-width, lower-case, whitespace folded. */
export function normalizeForMatch(text: string): string {
  return toHalfWidth(toSimplified(text)).toLowerCase().replace(/\s+/gu, " ").trim();
}
