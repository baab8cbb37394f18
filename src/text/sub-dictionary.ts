/**
 * jieba's dictionary, read but not built: a start can segment its first texts exactly as jieba
 * would before jieba has built its trie of 349,000 words (about 0.1 s on the main thread).
 *
 * jieba segments a text with the dictionary words that occur in it and the dictionary's total
 * frequency (each word's weight is log(freq / total)). A dictionary holding only the words of the
 * text, plus one filler word that can never match (it is not made of the characters jieba looks
 * words up for) carrying the rest of the total, gives jieba the same words, the same weights and
 * so the same cut, search cut and tags. Finding the words of a text is a binary search of the
 * dictionary file, which jieba ships sorted by bytes (test/text/sub-dictionary.test.ts checks it,
 * and that the cuts agree).
 */

/** Space, newline and carriage return in the dictionary's lines ("word freq tag"). */
const SPACE = 0x20;
const NEWLINE = 0x0a;
const RETURN = 0x0d;
/**
 * The filler word: a private-use character, which jieba's word pattern (Han, letters, digits
 * and a few signs) never hands to the dictionary, so it matches nothing in any text.
 */
const FILLER = "\uE000";

export class SortedDictionary {
  private constructor(
    private readonly bytes: Buffer,
    /** Byte offset of each line's start, and of its word's end. */
    private readonly lineStarts: Uint32Array,
    private readonly wordEnds: Uint32Array,
    /** Where each line ends (before its newline). */
    private readonly lineEnds: Uint32Array,
    /** The sum of every word's frequency, as jieba counts it. */
    readonly total: number,
    /** Bytes of the longest word. */
    private readonly longestWord: number,
  ) {}

  /**
   * Indexes the lines of a jieba dictionary file (sorted by bytes, one "word freq [tag]" per
   * line). Throws an Error naming the line when one has no frequency.
   */
  static parse(bytes: Buffer): SortedDictionary {
    let lines = 0;
    for (let at = bytes.indexOf(NEWLINE); at >= 0; at = bytes.indexOf(NEWLINE, at + 1)) lines++;
    if (bytes.length > 0 && bytes[bytes.length - 1] !== NEWLINE) lines++;
    const lineStarts = new Uint32Array(lines);
    const wordEnds = new Uint32Array(lines);
    const lineEnds = new Uint32Array(lines);
    let total = 0;
    let longestWord = 0;
    let line = 0;
    for (let start = 0; start < bytes.length && line < lines; line++) {
      let end = bytes.indexOf(NEWLINE, start);
      if (end < 0) end = bytes.length;
      const next = end + 1;
      if (end > start && bytes[end - 1] === RETURN) end--;
      let wordEnd = start;
      while (wordEnd < end && bytes[wordEnd] !== SPACE) wordEnd++;
      let freq = 0;
      let digits = 0;
      for (let at = wordEnd + 1; at < end; at++, digits++) {
        const digit = (bytes[at] ?? 0) - 0x30;
        if (digit < 0 || digit > 9) break;
        freq = freq * 10 + digit;
      }
      if (digits === 0) throw new Error(`jieba's dictionary has no frequency on line ${line + 1}`);
      lineStarts[line] = start;
      wordEnds[line] = wordEnd;
      lineEnds[line] = end;
      total += freq;
      longestWord = Math.max(longestWord, wordEnd - start);
      start = next;
    }
    return new SortedDictionary(
      bytes,
      lineStarts.subarray(0, line),
      wordEnds.subarray(0, line),
      lineEnds.subarray(0, line),
      total,
      longestWord,
    );
  }

  /** Number of words. */
  get size(): number {
    return this.lineStarts.length;
  }

  /**
   * A jieba dictionary holding the lines of every word that occurs in `text`, and the filler
   * word that brings its total to this dictionary's. Never throws.
   */
  subDictionary(text: string): Buffer {
    const key = Buffer.from(text, "utf8");
    // Byte offsets where a character starts (UTF-8 continuation bytes are 10xxxxxx).
    const starts: number[] = [];
    for (let at = 0; at < key.length; at++) if (((key[at] ?? 0) & 0xc0) !== 0x80) starts.push(at);
    starts.push(key.length);
    const found = new Set<number>();
    for (let s = 0; s < starts.length - 1; s++) {
      const from = starts[s] ?? 0;
      let lo = 0;
      for (let e = s + 1; e < starts.length; e++) {
        const to = starts[e] ?? 0;
        if (to - from > this.longestWord) break;
        // The first line whose word is not below the key; a longer key starts no earlier.
        lo = this.lowerBound(key, from, to, lo);
        if (lo >= this.size || !this.wordStartsWith(lo, key, from, to)) break;
        if ((this.wordEnds[lo] ?? 0) - (this.lineStarts[lo] ?? 0) === to - from) found.add(lo);
      }
    }
    const lines: Buffer[] = [];
    let subTotal = 0;
    for (const line of [...found].sort((a, b) => a - b)) {
      const start = this.lineStarts[line] ?? 0;
      lines.push(this.bytes.subarray(start, this.lineEnds[line]), Buffer.from("\n"));
      subTotal += this.frequency(line);
    }
    // Tagged "x", the tag jieba gives a word it does not know: a text holding the filler itself
    // gets the same tags either way.
    lines.push(Buffer.from(`${FILLER} ${Math.max(1, this.total - subTotal)} x\n`));
    return Buffer.concat(lines);
  }

  /** The frequency on a line (parsed again: it is needed only for the few words found). */
  private frequency(line: number): number {
    let freq = 0;
    const end = this.lineEnds[line] ?? 0;
    for (let at = (this.wordEnds[line] ?? 0) + 1; at < end; at++) {
      const digit = (this.bytes[at] ?? 0) - 0x30;
      if (digit < 0 || digit > 9) break;
      freq = freq * 10 + digit;
    }
    return freq;
  }

  /** The first line at or after `from` whose word is not below key[start..end) in byte order. */
  private lowerBound(key: Buffer, start: number, end: number, from: number): number {
    let lo = from;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const order = this.bytes.compare(
        key,
        start,
        end,
        this.lineStarts[mid] ?? 0,
        this.wordEnds[mid] ?? 0,
      );
      if (order < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Whether the word on `line` begins with key[start..end). */
  private wordStartsWith(line: number, key: Buffer, start: number, end: number): boolean {
    const wordStart = this.lineStarts[line] ?? 0;
    const length = end - start;
    if ((this.wordEnds[line] ?? 0) - wordStart < length) return false;
    return this.bytes.compare(key, start, end, wordStart, wordStart + length) === 0;
  }
}
