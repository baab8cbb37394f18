/** Hard wraps as a narrow newspaper column prints them. */

/** A block of lines: `wrap` lines are body text to hard-wrap, the others are printed as they are. */
export interface Block {
  lines: string[];
  wrap: boolean;
}

/** Hard-wraps body lines at `width` characters, keeping closing punctuation on the line it closes; never throws. */
export function wrapBlock(block: Block, width: number): string {
  if (!block.wrap) return block.lines.join("\n");
  return block.lines.flatMap((line) => wrapLine(line, width)).join("\n");
}

const NO_LINE_START = /[，。、；：！？”’）》」』,.;:!?)]/u;

function wrapLine(line: string, width: number): string[] {
  const chars = Array.from(line);
  const lines: string[] = [];
  let i = 0;
  while (i < chars.length) {
    let end = Math.min(chars.length, i + width);
    while (end < chars.length && NO_LINE_START.test(chars[end] ?? "")) end++;
    lines.push(chars.slice(i, end).join("").trim());
    i = end;
  }
  return lines.filter((l) => l.length > 0);
}
