/** Telegram's limit on the length of one message's text. */
export const TELEGRAM_MAX_MESSAGE_CHARS = 4096;

/** One piece of Telegram HTML: a tag, an entity or a single code point of text. */
interface Atom {
  raw: string;
  /** "open"/"close" for tags; "text" for an entity or a code point. */
  kind: "open" | "close" | "text";
  /** Tag name, for tags. */
  name?: string;
}

const TAG = /^<(\/?)([a-zA-Z][\w-]*)(?:\s[^>]*)?>/u;
const ENTITY = /^&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);/u;

/** Cuts HTML into atoms, so that a split never falls inside a tag, an entity or a surrogate pair. */
function atomize(html: string): Atom[] {
  const atoms: Atom[] = [];
  let i = 0;
  while (i < html.length) {
    const rest = html.slice(i, i + 256);
    const ch = html[i];
    if (ch === "<") {
      const m = TAG.exec(rest);
      if (m) {
        atoms.push({
          raw: m[0],
          kind: m[1] === "/" ? "close" : "open",
          name: (m[2] ?? "").toLowerCase(),
        });
        i += m[0].length;
        continue;
      }
    } else if (ch === "&") {
      const m = ENTITY.exec(rest);
      if (m) {
        atoms.push({ raw: m[0], kind: "text" });
        i += m[0].length;
        continue;
      }
    }
    const cp = String.fromCodePoint(html.codePointAt(i) ?? 0);
    atoms.push({ raw: cp, kind: "text" });
    i += cp.length;
  }
  return atoms;
}

/** How good a break after this atom is: paragraph > line > sentence > anywhere. */
function breakQuality(atom: Atom, next: Atom | undefined): number {
  if (atom.kind !== "text") return 0;
  if (atom.raw === "\n") return next?.raw === "\n" ? 2 : 3;
  if ("。！？；!?;".includes(atom.raw)) return 2;
  if ("，,、 ".includes(atom.raw)) return 1;
  return 0;
}

const closeTag = (open: Atom): string => `</${open.name ?? ""}>`;

/** True when the HTML has visible text (not only tags and whitespace). */
function hasVisibleText(html: string): boolean {
  return html.replace(/<[^>]*>/gu, "").trim() !== "";
}

/**
 * Splits Telegram HTML into messages of at most `maxChars` UTF-16 units each, preferring to break
 * between paragraphs, then lines, then sentences. A tag open at a break is closed at the end of one
 * part and reopened at the start of the next, so each part parses on its own. Length is measured
 * on the HTML itself, which is never shorter than what Telegram counts. Throws when `maxChars` is
 * too small to hold the tags open at a break.
 */
export function splitHtml(html: string, maxChars = TELEGRAM_MAX_MESSAGE_CHARS): string[] {
  if (html.length <= maxChars) return hasVisibleText(html) ? [html] : [];
  const atoms = atomize(html);
  const parts: string[] = [];
  let stack: Atom[] = [];
  let start = 0;
  while (start < atoms.length) {
    const prefix = stack.map((a) => a.raw).join("");
    const localStack = [...stack];
    let length = prefix.length;
    let closing = localStack.reduce((n, a) => n + closeTag(a).length, 0);
    // The last break of each quality seen so far: atom index (exclusive), part length, stack there.
    const lastBreak: ({ end: number; length: number; stack: Atom[] } | undefined)[] = [];
    let end = start;
    let fits = true;
    while (end < atoms.length) {
      const atom = atoms[end] as Atom;
      let nextClosing = closing;
      if (atom.kind === "open") nextClosing += closeTag(atom).length;
      if (atom.kind === "close") nextClosing -= closeTag(atom).length;
      if (length + atom.raw.length + Math.max(closing, nextClosing) > maxChars) {
        fits = false;
        break;
      }
      length += atom.raw.length;
      closing = nextClosing;
      if (atom.kind === "open") localStack.push(atom);
      if (atom.kind === "close") {
        const at = localStack.map((a) => a.name).lastIndexOf(atom.name);
        if (at >= 0) localStack.splice(at, 1);
      }
      end++;
      lastBreak[breakQuality(atom, atoms[end])] = { end, length, stack: [...localStack] };
    }
    if (fits) {
      const body = atoms
        .slice(start, end)
        .map((a) => a.raw)
        .join("");
      const part = prefix + body + [...localStack].reverse().map(closeTag).join("");
      if (hasVisibleText(part)) parts.push(part);
      break;
    }
    // The best break that keeps the part at least half full; else the last possible one.
    let best = lastBreak.reduce<(typeof lastBreak)[number]>(
      (a, b) => (b && (!a || b.end > a.end) ? b : a),
      undefined,
    );
    for (let q = 3; q >= 1; q--) {
      const candidate = lastBreak[q];
      if (candidate && candidate.length >= maxChars / 2) {
        best = candidate;
        break;
      }
    }
    if (!best || best.end === start) {
      throw new Error(
        `splitHtml: maxChars=${maxChars} is too small for the tags open at this point; use at least a few hundred characters.`,
      );
    }
    const body = atoms
      .slice(start, best.end)
      .map((a) => a.raw)
      .join("");
    const part = prefix + body + [...best.stack].reverse().map(closeTag).join("");
    if (hasVisibleText(part)) parts.push(part.replace(/\s+((?:<\/[^>]+>)*)$/u, "$1"));
    stack = best.stack;
    start = best.end;
    // A new message starting with blank lines looks broken; drop them.
    while (start < atoms.length && /^\s$/u.test(atoms[start]?.raw ?? "")) start++;
  }
  return parts;
}
