import { IngestError } from "../errors.js";

/** The encodings an input file may be in. */
export type TextEncodingName = "utf-8" | "utf-8-bom" | "utf-16le" | "utf-16be" | "gb18030";

/** Decoded text of one file and the encoding it was read with. */
export interface DecodedText {
  /** The text with the BOM stripped and line endings normalised to "\n". */
  text: string;
  encoding: TextEncodingName;
}

/** Signatures of the binary formats people most often drop into an editions folder by mistake. */
const MAGIC_NUMBERS: readonly { name: string; bytes: readonly number[] }[] = [
  { name: "a PNG image", bytes: [0x89, 0x50, 0x4e, 0x47] },
  { name: "a JPEG image", bytes: [0xff, 0xd8, 0xff] },
  { name: "a GIF image", bytes: [0x47, 0x49, 0x46, 0x38] },
  { name: "a PDF document", bytes: [0x25, 0x50, 0x44, 0x46] },
  { name: "a ZIP archive (or a .docx/.xlsx file)", bytes: [0x50, 0x4b, 0x03, 0x04] },
  { name: "a ZIP archive (or a .docx/.xlsx file)", bytes: [0x50, 0x4b, 0x05, 0x06] },
  { name: "a GZIP archive", bytes: [0x1f, 0x8b] },
  { name: "a legacy Office document (.doc/.xls)", bytes: [0xd0, 0xcf, 0x11, 0xe0] },
];

const FIX = "save the edition as plain text (.txt, preferably UTF-8) and index it again";

/** Share of control characters above which decoded text is treated as binary data. */
const MAX_CONTROL_RATIO = 0.01;
/** Share of U+FFFD replacement characters above which a GB18030 decode is treated as unreadable. */
const MAX_REPLACEMENT_RATIO = 0.005;
/** How many leading bytes the UTF-16 heuristic and the NUL check look at. */
const SNIFF_BYTES = 8192;

/**
 * Decodes an input file: UTF-8 (with or without BOM), UTF-16 LE/BE (BOM, or the NUL-byte pattern
 * of mostly-ASCII line breaks and digits), otherwise GB18030/GBK. Strips the BOM and normalises
 * line endings to "\n". Throws IngestError for empty files, binary files (magic numbers, NUL
 * bytes, control characters) and text that no supported encoding reads cleanly.
 */
export function decodeText(bytes: Uint8Array, file: string): DecodedText {
  if (bytes.length === 0) {
    throw new IngestError(file, "the file is empty; export the edition again or remove the file");
  }
  const magic = MAGIC_NUMBERS.find((m) => m.bytes.every((b, i) => bytes[i] === b));
  if (magic) {
    throw new IngestError(file, `the file is ${magic.name}, not text; ${FIX}`);
  }

  const decoded = decodeByPattern(bytes, file);
  const text = decoded.text.replace(/^\uFEFF/u, "").replace(/\r\n?/gu, "\n");
  if (text.trim().length === 0) {
    throw new IngestError(
      file,
      "the file holds no text, only whitespace; export the edition again",
    );
  }
  if (controlRatio(text) > MAX_CONTROL_RATIO) {
    throw new IngestError(
      file,
      `the file looks like binary data (many control characters); ${FIX}`,
    );
  }
  return { text, encoding: decoded.encoding };
}

/** Picks the encoding from the BOM, the NUL-byte pattern, UTF-8 validity, then GB18030. */
function decodeByPattern(bytes: Uint8Array, file: string): DecodedText {
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) {
    return { text: decodeStrict("utf-8", bytes.subarray(3), file), encoding: "utf-8-bom" };
  }
  if (startsWith(bytes, [0xff, 0xfe])) {
    return { text: decodeStrict("utf-16le", bytes.subarray(2), file), encoding: "utf-16le" };
  }
  if (startsWith(bytes, [0xfe, 0xff])) {
    return { text: decodeStrict("utf-16be", bytes.subarray(2), file), encoding: "utf-16be" };
  }

  const utf16 = guessUtf16WithoutBom(bytes);
  if (utf16) return { text: decodeStrict(utf16, bytes, file), encoding: utf16 };
  if (bytes.subarray(0, SNIFF_BYTES).includes(0)) {
    throw new IngestError(
      file,
      `the file contains NUL bytes, so it is binary data, not text; ${FIX}`,
    );
  }

  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes), encoding: "utf-8" };
  } catch {
    // Not UTF-8: Chinese text from older Windows tools is usually GBK, which GB18030 extends.
  }
  const text = new TextDecoder("gb18030").decode(bytes);
  const replacements = countMatches(text, /\uFFFD/gu);
  if (replacements / Math.max(1, text.length) > MAX_REPLACEMENT_RATIO) {
    throw new IngestError(
      file,
      "the file is not readable as UTF-8, UTF-16 or GB18030 text; re-save it as UTF-8 and index it again",
    );
  }
  return { text, encoding: "gb18030" };
}

/**
 * UTF-16 without a BOM shows NUL bytes on one side of each code unit: line breaks, digits and
 * half-width punctuation are ASCII even in Chinese text. NULs spread over both sides mean binary.
 */
function guessUtf16WithoutBom(bytes: Uint8Array): "utf-16le" | "utf-16be" | undefined {
  const n = Math.min(bytes.length, SNIFF_BYTES) & ~1;
  if (n < 2) return undefined;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < n; i++) {
    if (bytes[i] === 0) {
      if (i % 2 === 0) evenZeros++;
      else oddZeros++;
    }
  }
  const zeros = evenZeros + oddZeros;
  const units = n / 2;
  if (zeros === 0 || zeros / units < 0.01) return undefined;
  if (oddZeros >= 0.95 * zeros) return "utf-16le";
  if (evenZeros >= 0.95 * zeros) return "utf-16be";
  return undefined;
}

function decodeStrict(
  encoding: "utf-8" | "utf-16le" | "utf-16be",
  bytes: Uint8Array,
  file: string,
): string {
  try {
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch (cause) {
    throw new IngestError(
      file,
      `the file claims to be ${encoding.toUpperCase()} but holds invalid byte sequences; re-save it as UTF-8`,
      { cause },
    );
  }
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

/** Share of C0/C1 control characters other than tab, line feed, carriage return and form feed. */
function controlRatio(text: string): number {
  let controls = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const allowed = c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d;
    if (!allowed && (c < 0x20 || (c >= 0x7f && c <= 0x9f))) controls++;
  }
  return controls / Math.max(1, text.length);
}

function countMatches(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}
