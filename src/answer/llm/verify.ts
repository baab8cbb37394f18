import type { Citation, Passage } from "../../types.js";
import { splitSentences, endsSentence } from "../../text/sentences.js";
import { tokenize } from "../../text/words.js";
import { toHalfWidth } from "../../text/normalize.js";
import { extractQuantities } from "./numbers.js";
import { DEFAULT_MAX_PASSAGE_CHARS, passageMaterial } from "./passage-block.js";

/** Why the verifier dropped a sentence of the model's answer. */
export type DropReason =
  /** The sentence cites nothing. */
  | "uncited"
  /** Every number it cites is outside 1..passages.length. */
  | "invalid-citation"
  /** A number or amount of the sentence is in none of its cited passages. */
  | "unsupported-number"
  /** Too few of its content terms are in its cited passages. */
  | "unsupported-terms"
  /** Nothing in it could be checked (no content terms, no numbers). */
  | "no-content";

/** A sentence the verifier removed, for logs and tests. */
export interface DroppedSentence {
  sentence: string;
  reason: DropReason;
  /** What was missing, e.g. "missing 100亿" or "share 0.20 < 0.5". */
  detail?: string;
}

/** The verified answer: kept sentences with renumbered [n] markers, and their citations. */
export interface VerifiedAnswer {
  /** Kept sentences, each followed by its markers; "" when nothing was kept. */
  text: string;
  /** Citations numbered 1..k in order of first use, with chunks from the passages. */
  citations: Citation[];
  dropped: DroppedSentence[];
}

/** Options of the verifier. */
export interface VerifyOptions {
  /** Share of a sentence's content terms that its cited passages must hold. Defaults to 0.5. */
  minTermShare?: number;
  /** Characters of passage text the model was shown; must match the prompt. Defaults to 1200. */
  maxPassageChars?: number;
}

/** [1], [1][2], [1,2], [1、2], 【1】, ［1］: the citation forms models write. */
const MARKER = /[[［【]\s*(\d{1,3}(?:\s*[,，、;；]\s*\d{1,3})*)\s*[\]］】]/gu;
const LEADING_MARKERS = /^(\s*[[［【]\s*\d{1,3}(?:\s*[,，、;；]\s*\d{1,3})*\s*[\]］】])+/u;
const NUMERIC_TERM = /^[\d.,%‰]+$|^[零〇一二两三四五六七八九十百千万亿]+$/u;

/** Removes reasoning blocks and markdown decoration that some models add around the answer. */
export function cleanModelText(text: string): string {
  return (
    text
      .replace(/<think>[\s\S]*?<\/think>/giu, "")
      // An unclosed <think> means the answer never started.
      .replace(/<think>[\s\S]*$/iu, "")
      .replace(/\*\*|__|^#+\s*/gmu, "")
      .replace(/^\s*(?:[-*•·]|\d{1,2}[.、)）])\s+/gmu, "")
      .trim()
  );
}

interface Sentence {
  body: string;
  cited: number[];
}

/** Splits the answer into sentences, moving markers that open a sentence ("。[1]") back to the one before. */
function splitAnswer(text: string): Sentence[] {
  const out: Sentence[] = [];
  for (const line of text.split(/\n+/u)) {
    for (const raw of splitSentences(line)) {
      let sentence = raw;
      const lead = LEADING_MARKERS.exec(sentence);
      const last = out.at(-1);
      if (lead && last) {
        last.cited.push(...markerNumbers(lead[0]));
        sentence = sentence.slice(lead[0].length);
      }
      const cited = markerNumbers(sentence);
      const body = sentence.replace(MARKER, "").trim();
      if (!/[\p{L}\p{N}]/u.test(body)) {
        // A stray marker with no words: it belongs to the sentence before.
        if (last) last.cited.push(...cited);
        continue;
      }
      out.push({ body, cited });
    }
  }
  return out;
}

/** The citation numbers of every marker in the text, in order. */
function markerNumbers(text: string): number[] {
  const out: number[] = [];
  for (const m of text.matchAll(MARKER)) {
    for (const n of (m[1] ?? "").split(/[,，、;；\s]+/u)) if (n !== "") out.push(Number(n));
  }
  return out;
}

interface Material {
  terms: Set<string>;
  quantities: Set<string>;
}

/**
 * The cited passages that support something in the sentence: taken greedily, most supportive
 * first, each kept only when it adds a term or number the ones before did not. A citation that
 * adds nothing (it merely shares the town's name, or repeats a passage already cited) is removed.
 * Returns them in the order they were cited.
 */
function minimalSupport(
  cited: readonly number[],
  terms: ReadonlySet<string>,
  quantities: ReadonlySet<string>,
  materialOf: (n: number) => Material,
): number[] {
  const supports = (n: number): string[] => {
    const m = materialOf(n);
    return [
      ...[...terms].filter((t) => m.terms.has(t)).map((t) => `t:${t}`),
      // A number outweighs any number of terms: it is what a citation must carry.
      ...[...quantities].filter((q) => m.quantities.has(q)).map((q) => `q:${q}`),
    ];
  };
  const weight = (items: string[]): number =>
    items.reduce((w, item) => w + (item.startsWith("q:") ? 1000 : 1), 0);
  const byStrength = [...cited].sort((a, b) => weight(supports(b)) - weight(supports(a)));
  const covered = new Set<string>();
  const kept = new Set<number>();
  for (const n of byStrength) {
    const gain = supports(n).filter((item) => !covered.has(item));
    if (gain.length === 0) continue;
    kept.add(n);
    for (const item of gain) covered.add(item);
  }
  return cited.filter((n) => kept.has(n));
}

/**
 * Verifies a model's answer against the passages it was given (numbered from 1). A sentence is
 * kept only when it cites passages that exist, every number in it appears in a cited passage,
 * and its cited passages hold at least `minTermShare` of its content terms. Citations that add no
 * support beyond the sentence's other citations are removed from it. Kept citations are renumbered 1..k in order
 * of first use. Pure; never throws.
 */
export function verifyLlmAnswer(
  text: string,
  passages: readonly Passage[],
  options: VerifyOptions = {},
): VerifiedAnswer {
  const minTermShare = options.minTermShare ?? 0.5;
  const maxChars = options.maxPassageChars ?? DEFAULT_MAX_PASSAGE_CHARS;
  const materials = new Map<number, Material>();
  const materialOf = (n: number): Material => {
    let m = materials.get(n);
    if (!m) {
      const passage = passages[n - 1];
      const source = passage ? passageMaterial(passage, maxChars) : "";
      m = { terms: new Set(tokenize(source)), quantities: extractQuantities(source) };
      materials.set(n, m);
    }
    return m;
  };

  const dropped: DroppedSentence[] = [];
  const kept: Sentence[] = [];
  for (const { body, cited } of splitAnswer(cleanModelText(text))) {
    const drop = (reason: DropReason, detail?: string): void => {
      const entry: DroppedSentence = { sentence: body, reason };
      if (detail !== undefined) entry.detail = detail;
      dropped.push(entry);
    };
    if (cited.length === 0) {
      drop("uncited");
      continue;
    }
    const valid = [...new Set(cited)].filter(
      (n) => Number.isInteger(n) && n >= 1 && n <= passages.length,
    );
    if (valid.length === 0) {
      drop("invalid-citation", `cites ${cited.join(",")} of ${passages.length} passages`);
      continue;
    }
    const quantities = extractQuantities(body);
    const terms = new Set(tokenize(toHalfWidth(body)).filter((t) => !NUMERIC_TERM.test(t)));
    if (terms.size === 0 && quantities.size === 0) {
      drop("no-content");
      continue;
    }
    const relevant = minimalSupport(valid, terms, quantities, materialOf);
    if (relevant.length === 0) {
      drop("unsupported-terms", `shares no term with passages ${valid.join(",")}`);
      continue;
    }
    const missing = [...quantities].filter(
      (q) => !relevant.some((n) => materialOf(n).quantities.has(q)),
    );
    if (missing.length > 0) {
      drop("unsupported-number", `missing ${missing.join(",")}`);
      continue;
    }
    if (terms.size > 0) {
      let found = 0;
      for (const t of terms) if (relevant.some((n) => materialOf(n).terms.has(t))) found++;
      const share = found / terms.size;
      if (share < minTermShare) {
        drop("unsupported-terms", `share ${share.toFixed(2)} < ${minTermShare}`);
        continue;
      }
    }
    kept.push({ body, cited: relevant });
  }

  const citations: Citation[] = [];
  const renumbered = new Map<number, number>();
  const parts = kept.map(({ body, cited }) => {
    const markers = cited.map((n) => {
      let k = renumbered.get(n);
      if (k === undefined) {
        k = citations.length + 1;
        renumbered.set(n, k);
        const passage = passages[n - 1];
        // `relevant` only holds numbers within 1..passages.length.
        if (passage) citations.push({ n: k, chunk: passage.chunk });
      }
      return `[${k}]`;
    });
    return `${endsSentence(body) ? body : `${body}。`}${markers.join("")}`;
  });
  return { text: parts.join(""), citations, dropped };
}
