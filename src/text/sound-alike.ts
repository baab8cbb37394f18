import { pinyin } from "pinyin-pro";

/**
 * Names typed by sound: a question typed with a pinyin input method often holds a homophone of
 * the name the paper printed ("新降" for 新绛, "迪士尼" for 迪斯尼). pinyin-pro (MIT) gives each
 * character's readings; the matching that uses them is this project's own.
 */

const HAN = /^\p{Script=Han}$/u;
const readingsOf = new Map<string, readonly string[]>();

/**
 * The readings of a Han character without tones, with the initials and finals that speakers and
 * input methods confuse made one (zh/z, ch/c, sh/s, -ng/-n).
 */
function readings(char: string): readonly string[] {
  let out = readingsOf.get(char);
  if (out === undefined) {
    const raw = HAN.test(char)
      ? pinyin(char, { toneType: "none", type: "array", multiple: true })
      : [];
    out = [
      ...new Set(
        raw.map((r) =>
          r
            .toLowerCase()
            .replace(/^([zcs])h/u, "$1")
            .replace(/ng$/u, "n"),
        ),
      ),
    ];
    readingsOf.set(char, out);
  }
  return out;
}

/** True when two Han characters share a reading (fuzzily, as `readings` makes them). */
export function soundAlike(a: string, b: string): boolean {
  if (a === b) return true;
  const rb = readings(b);
  return readings(a).some((r) => rb.includes(r));
}

/**
 * True when `text` holds `word` as written, or with one of its characters replaced by one that
 * sounds alike ("新绛" for "新降"). Words shorter than two characters must match as written: one
 * sound-alike character of two is as far as a typo goes without matching common words.
 */
export function holdsSoundAlike(text: string, word: string): boolean {
  if (text.includes(word)) return true;
  const chars = [...word];
  if (chars.length < 2 || !chars.every((c) => HAN.test(c))) return false;
  const units = [...text];
  for (let start = 0; start + chars.length <= units.length; start++) {
    let differing = -1;
    let ok = true;
    for (let i = 0; i < chars.length; i++) {
      if (units[start + i] === chars[i]) continue;
      if (differing !== -1) {
        ok = false;
        break;
      }
      differing = i;
    }
    if (
      ok &&
      differing !== -1 &&
      soundAlike(units[start + differing] ?? "", chars[differing] ?? "")
    ) {
      return true;
    }
  }
  return false;
}
