/**
 * Final clean-up of an article's paragraphs.
 */
import { endsSentence } from "../text/sentences.js";
import { joinWrapped } from "./wrap.js";

/** A body part of an article before clean-up. */
export interface BodyPart {
  text: string;
  /** A sub-head: never joined to its neighbours. */
  subhead: boolean;
  /** Continuation notes found in the part: the text goes on on another page. */
  notes: string[];
}

/**
 * Rejoins paragraphs that a wrap split mid-sentence: a body paragraph that does not end a
 * sentence (and was not cut by a continuation note) continues in the next body paragraph.
 * Sub-heads are never joined. Never throws.
 */
export function mergeWraps(body: readonly BodyPart[]): string[] {
  const out: { text: string; open: boolean }[] = [];
  for (const part of body) {
    const prev = out.at(-1);
    if (prev?.open && !part.subhead && !part.text.startsWith("本报讯")) {
      prev.text = joinWrapped(prev.text, part.text);
      prev.open = part.notes.length === 0 && !endsSentence(prev.text);
      continue;
    }
    out.push({
      text: part.text,
      open: !part.subhead && part.notes.length === 0 && !endsSentence(part.text),
    });
  }
  return out.map((p) => p.text.trim()).filter((t) => t.length > 0);
}

/** Drops exact repeats of a paragraph within one article (whitespace ignored). Never throws. */
export function dropDuplicates(paragraphs: readonly string[]): string[] {
  const seen = new Set<string>();
  return paragraphs.filter((p) => {
    const key = p.replace(/\s+/gu, "");
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
