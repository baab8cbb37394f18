/**
 * Chinese shortens a name by keeping one character of each of its parts: 中科院 for 中国科学院,
 * 脑智 for 脑科学与智能技术. Hand-written: the test is a bounded in-order character match, and no
 * maintained package offers one for Chinese names.
 */

const HAN = /^\p{Script=Han}+$/u;
/** A full name spans at most this many times the characters of its short form. */
const SPAN_PER_CHAR = 3;

/**
 * True when `text` holds `word`, or a longer name it abbreviates: a run that opens with the
 * word's first character and holds the others in order, at most SPAN_PER_CHAR times the word's
 * length ("中国科学院" for "中科院"). Words of two to four Han characters only: a longer one is no
 * abbreviation, and one character matches anything.
 */
export function holdsAbbreviated(text: string, word: string): boolean {
  if (text.includes(word)) return true;
  const chars = [...word];
  if (chars.length < 2 || chars.length > 4 || !HAN.test(word)) return false;
  const span = SPAN_PER_CHAR * chars.length;
  for (let at = text.indexOf(chars[0] ?? ""); at >= 0; at = text.indexOf(chars[0] ?? "", at + 1)) {
    const window = text.slice(at, at + span);
    // Punctuation ends a name: "山东,西部" is not 山西.
    const name = window.split(/[^\p{Script=Han}]/u)[0] ?? "";
    let from = 1;
    let held = true;
    for (const c of chars.slice(1)) {
      const found = name.indexOf(c, from);
      if (found < 0) {
        held = false;
        break;
      }
      from = found + 1;
    }
    if (held) return true;
  }
  return false;
}
