import { IngestError } from "../errors.js";

/**
 * The encodings an input file may be in. "utf-8+gb18030" is a file whose lines mix the two (e.g.
 * exports of two systems concatenated); each line is read in its own encoding.
 */
export type TextEncodingName =
  "utf-8" | "utf-8-bom" | "utf-16le" | "utf-16be" | "gb18030" | "utf-8+gb18030";

/** Decoded text of one file and the encoding it was read with. */
export interface DecodedText {
  /** The text with the BOM stripped and line endings normalised to "\n". */
  text: string;
  encoding: TextEncodingName;
  /**
   * Problems the file was read despite, in English with the fix: lines in another encoding than
   * the rest, or byte sequences that no encoding reads (kept as U+FFFD). Absent when there are none.
   */
  warnings?: string[];
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
/**
 * Valid multi-byte characters needed per invalid sequence for a line to count as UTF-8 with a few
 * damaged bytes (a cut character) rather than GBK, of which UTF-8 reads almost nothing.
 */
const MIN_VALID_PER_DAMAGED = 4;
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
    throw new IngestError(file, "the file is empty; export the edition again or remove the file", {
      zh: "文件是空的,请重新导出或删除它",
    });
  }
  const magic = MAGIC_NUMBERS.find((m) => m.bytes.every((b, i) => bytes[i] === b));
  if (magic) {
    throw new IngestError(file, `the file is ${magic.name}, not text; ${FIX}`, {
      zh: "文件不是文本(是图片、压缩包或其他二进制文件),请另存为纯文本或改用正确的扩展名",
    });
  }

  const decoded = decodeByPattern(bytes, file);
  const text = decoded.text.replace(/^\uFEFF/u, "").replace(/\r\n?/gu, "\n");
  if (text.trim().length === 0) {
    throw new IngestError(
      file,
      "the file holds no text, only whitespace; export the edition again",
      { zh: "文件里只有空白,没有文字,请重新导出" },
    );
  }
  if (controlRatio(text) > MAX_CONTROL_RATIO) {
    throw new IngestError(
      file,
      `the file looks like binary data (many control characters); ${FIX}`,
      { zh: "文件看起来是二进制数据,不是文本" },
    );
  }
  const out: DecodedText = { text, encoding: decoded.encoding };
  if (decoded.warnings) out.warnings = decoded.warnings;
  return out;
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
      { zh: "文件含有 NUL 字节,是二进制数据,不是文本" },
    );
  }

  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes), encoding: "utf-8" };
  } catch {
    // Not UTF-8 as a whole: GBK (older Windows tools; GB18030 extends it), a mix of UTF-8 and GBK
    // lines, or UTF-8 with a few damaged bytes. Decoding the whole file as GB18030 would turn the
    // UTF-8 parts into plausible-looking garbage, so each line is read in its own encoding.
  }
  return decodeLineByLine(bytes, file);
}

/** How one line of a file that is not UTF-8 as a whole is read. */
type LineKind = "ascii" | "utf-8" | "damaged-utf-8" | "gb18030" | "ambiguous";

/**
 * Reads each line in its own encoding: UTF-8 (strict, or with a few damaged bytes), else GB18030.
 * A line that is valid UTF-8 with only two-byte sequences (Latin, Greek, Cyrillic letters) is
 * ambiguous, since short GBK text can happen to be valid UTF-8 ("元" is D4 AA, which UTF-8
 * reads as "Ԫ"): it follows the encoding of the file's other non-ASCII lines.
 */
function decodeLineByLine(bytes: Uint8Array, file: string): DecodedText {
  const strictUtf8 = new TextDecoder("utf-8", { fatal: true });
  const lossyUtf8 = new TextDecoder("utf-8");
  const gb18030 = new TextDecoder("gb18030");
  const lines: { bytes: Uint8Array; kind: LineKind; text: string }[] = [];
  for (let start = 0; start <= bytes.length;) {
    let end = bytes.indexOf(0x0a, start);
    if (end < 0) end = bytes.length;
    const line = bytes.subarray(start, end);
    start = end + 1;
    lines.push(classifyLine(line, strictUtf8, lossyUtf8));
  }
  const numbers = (kind: LineKind): number[] =>
    lines.flatMap((l, i) => (l.kind === kind ? [i + 1] : []));
  const gbLines = numbers("gb18030");
  const utf8Lines = [...numbers("utf-8"), ...numbers("damaged-utf-8")].sort((a, b) => a - b);
  const ambiguousAs: LineKind = gbLines.length > utf8Lines.length ? "gb18030" : "utf-8";
  for (const l of lines) if (l.kind === "ambiguous") l.kind = ambiguousAs;
  const text = lines
    .map((l) => (l.kind === "gb18030" ? gb18030.decode(l.bytes) : l.text))
    .join("\n");
  const gbText = lines
    .filter((l) => l.kind === "gb18030")
    .map((l) => gb18030.decode(l.bytes))
    .join("");
  if (countMatches(gbText, /\uFFFD/gu) / Math.max(1, gbText.length) > MAX_REPLACEMENT_RATIO) {
    throw new IngestError(
      file,
      "the file is not readable as UTF-8, UTF-16 or GB18030 text; re-save it as UTF-8 and index it again",
      { zh: "无法按 UTF-8、UTF-16 或 GBK 读取,请另存为 UTF-8 后再导入" },
    );
  }
  const finalGb = numbers("gb18030");
  const finalUtf8 = [...numbers("utf-8"), ...numbers("damaged-utf-8")].sort((a, b) => a - b);
  const damaged = numbers("damaged-utf-8");
  const warnings: string[] = [];
  const mixed = finalUtf8.length > 0 && finalGb.length > 0;
  if (mixed) {
    warnings.push(
      `mixed encodings: ${finalGb.length} line(s) in GBK/GB18030 (first: line ${finalGb[0]}) ` +
        `and ${finalUtf8.length} in UTF-8 (first: line ${finalUtf8[0]}); each line was read in ` +
        "its own encoding; re-save the file as UTF-8 to be sure",
    );
  }
  if (damaged.length > 0) {
    warnings.push(
      `invalid UTF-8 byte sequences in ${damaged.length} line(s) (first: line ${damaged[0]}), ` +
        "kept as U+FFFD; the rest of the text was read; export the file again to recover them",
    );
  }
  const encoding: TextEncodingName = mixed
    ? "utf-8+gb18030"
    : finalGb.length > 0
      ? "gb18030"
      : "utf-8";
  return warnings.length > 0 ? { text, encoding, warnings } : { text, encoding };
}

/** The part of TextDecoder used here. */
interface Decoder {
  decode(input: Uint8Array): string;
}

function classifyLine(
  line: Uint8Array,
  strictUtf8: Decoder,
  lossyUtf8: Decoder,
): { bytes: Uint8Array; kind: LineKind; text: string } {
  if (line.every((b) => b < 0x80))
    return { bytes: line, kind: "ascii", text: lossyUtf8.decode(line) };
  try {
    const text = strictUtf8.decode(line);
    // Chinese in UTF-8 takes three bytes a character; only two-byte characters may be GBK.
    const kind = /[\u0800-\u{10FFFF}]/u.test(text) ? "utf-8" : "ambiguous";
    return { bytes: line, kind, text };
  } catch {
    // Not valid UTF-8: damaged UTF-8 or another encoding, told apart below.
  }
  const text = lossyUtf8.decode(line);
  const damaged = countMatches(text, /\uFFFD/gu);
  // Damaged UTF-8 still holds many valid multi-byte characters; GBK holds (almost) none.
  const validMultiByte = countMatches(text, /[\u0080-\uFFFC\uFFFE-\u{10FFFF}]/gu);
  const kind = validMultiByte >= MIN_VALID_PER_DAMAGED * damaged ? "damaged-utf-8" : "gb18030";
  return { bytes: line, kind, text };
}

/** Share of text-like characters a UTF-16 reading of NUL-holding bytes needs to be taken. */
const MIN_UTF16_TEXT_SHARE = 0.9;

/**
 * UTF-16 without a BOM shows NUL bytes: line breaks, digits and half-width punctuation are ASCII
 * even in Chinese text, and so are frequent characters such as 一 (U+4E00) and 开 (U+5F00) on the
 * other side. Which byte order it is shows in the result: the right one reads as Chinese and
 * ASCII text, the wrong one as characters from all over Unicode. Binary data reads as neither.
 */
function guessUtf16WithoutBom(bytes: Uint8Array): "utf-16le" | "utf-16be" | undefined {
  const n = Math.min(bytes.length, SNIFF_BYTES) & ~1;
  if (n < 2) return undefined;
  const sample = bytes.subarray(0, n);
  let zeros = 0;
  for (const b of sample) if (b === 0) zeros++;
  if (zeros === 0 || zeros / (n / 2) < 0.01) return undefined;
  const le = textShare(new TextDecoder("utf-16le").decode(sample));
  const be = textShare(new TextDecoder("utf-16be").decode(sample));
  if (le >= MIN_UTF16_TEXT_SHARE && le > be) return "utf-16le";
  if (be >= MIN_UTF16_TEXT_SHARE && be > le) return "utf-16be";
  return undefined;
}

/** Share of characters that are printable ASCII, line breaks, CJK or CJK/full-width punctuation. */
function textShare(text: string): number {
  const matches = text.match(
    /[\t\n\r\u0020-\u007E\u00A0-\u00FF\u2010-\u2027\u3000-\u303F\u3400-\u4DBF\u4E00-\u9FFF\uFF00-\uFFEF]/gu,
  );
  return (matches?.length ?? 0) / Math.max(1, text.length);
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
      { cause, zh: "文件的编码有误(含有无效字节),请另存为 UTF-8 后再导入" },
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
