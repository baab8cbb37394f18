/**
 * Reading order of a newspaper page from its text runs' positions: the masthead taken out as
 * metadata, columns found by recursive XY cuts (vertical cuts at column gutters first, horizontal
 * cuts only next to a box wider than a column, such as a headline over several columns), and
 * paragraphs rebuilt from indents, gaps and short last lines, including a paragraph that goes on
 * at the top of the next column. Hand-written: PDF libraries give positioned text runs, and no
 * well-kept JavaScript library rebuilds newspaper columns from them.
 */
import type { Block } from "./blocks.js";
import { fillMasthead, mastheadLine, type MastheadMeta } from "./masthead.js";
import { joinWrapped } from "./wrap.js";

/** A piece of text at a position, in page coordinates with y growing downwards. */
export interface TextRun {
  text: string;
  /** Left edge and width. */
  x: number;
  width: number;
  /** Baseline. */
  y: number;
  /** Font size (em height). */
  size: number;
}

/** A line of a column: runs on one baseline close to each other. */
interface Line {
  text: string;
  x0: number;
  x1: number;
  top: number;
  bottom: number;
  size: number;
}

/** The share of the page's height from the top in which a masthead is looked for. */
const MASTHEAD_SHARE = 0.22;
/** A line this much larger than the body text is a heading. */
const HEADING_FACTOR = 1.25;
/** Runs further apart than this many em on one baseline are in different columns. */
const RUN_GAP_EM = 0.8;
/** A blank x-range at least this many em wide is a column gutter. */
const GUTTER_EM = 0.5;
/** A blank y-range at least this many em high next to a wide box separates bands of the page. */
const BAND_GAP_EM = 0.3;
/** A line at least this share of its column's width that ends no sentence is wrapped, not ended. */
const RAGGED_SHARE = 0.75;
/** A box wider than this share of the region's median line spans columns. */
const WIDE_FACTOR = 1.3;

/** A page read: its masthead and its headings and paragraphs in reading order. */
export interface PageLayout {
  masthead: MastheadMeta;
  blocks: Block[];
}

/**
 * Rebuilds one page: masthead rows near the top become metadata, the rest headings (a heading
 * run's largest size is level 1, kicker and subtitle level 2) and paragraphs in reading order.
 * Never throws.
 */
export function layoutPage(runs: readonly TextRun[], pageHeight: number): PageLayout {
  const usable = runs.filter((r) => r.text.trim() !== "" && r.size > 0);
  const { masthead, rest } = takeMastheadRows(usable, pageHeight);
  const lines = groupLines(rest);
  if (lines.length === 0) return { masthead, blocks: [] };
  const body = bodySize(lines);
  const leaves: Line[][] = [];
  cut(lines, body, leaves);
  return { masthead, blocks: toBlocks(leaves, body) };
}

/** Rows (runs on one baseline) near the top that read as a masthead. */
function takeMastheadRows(
  runs: readonly TextRun[],
  pageHeight: number,
): { masthead: MastheadMeta; rest: TextRun[] } {
  const masthead: MastheadMeta = {};
  const top = runs.filter((r) => r.y <= pageHeight * MASTHEAD_SHARE);
  const rows: TextRun[][] = [];
  for (const run of [...top].sort((a, b) => a.y - b.y || a.x - b.x)) {
    const row = rows.find((r) => Math.abs((r[0]?.y ?? 0) - run.y) < 0.4 * run.size);
    if (row) row.push(run);
    else rows.push([run]);
  }
  const taken = new Set<TextRun>();
  for (const row of rows) {
    row.sort((a, b) => a.x - b.x);
    const text = row.map((r) => r.text.trim()).join(" ");
    const found = mastheadLine(text);
    if (found === undefined) continue;
    fillMasthead(masthead, found);
    for (const r of row) taken.add(r);
  }
  return { masthead, rest: runs.filter((r) => !taken.has(r)) };
}

/** Joins runs into lines: same baseline, and close enough not to be in another column. */
function groupLines(runs: readonly TextRun[]): Line[] {
  const sorted = [...runs].sort((a, b) => a.y - b.y || a.x - b.x);
  const lines: { runs: TextRun[]; y: number }[] = [];
  for (const run of sorted) {
    const line = lines.find((l) => {
      const last = l.runs.at(-1);
      if (!last || Math.abs(l.y - run.y) >= 0.4 * run.size) return false;
      const gap = run.x - (last.x + last.width);
      return gap < RUN_GAP_EM * Math.max(run.size, last.size) && gap > -0.5 * run.size;
    });
    if (line) line.runs.push(run);
    else lines.push({ runs: [run], y: run.y });
  }
  return lines.map(({ runs: lineRuns }) => {
    let text = "";
    let end = Number.NEGATIVE_INFINITY;
    for (const r of lineRuns) {
      const spaced =
        r.x - end > 0.2 * r.size && /[A-Za-z0-9]$/u.test(text) && /^[A-Za-z0-9]/u.test(r.text);
      text += (spaced ? " " : "") + r.text;
      end = r.x + r.width;
    }
    const size = Math.max(...lineRuns.map((r) => r.size));
    const y = Math.max(...lineRuns.map((r) => r.y));
    return {
      text: text.trim(),
      x0: Math.min(...lineRuns.map((r) => r.x)),
      x1: Math.max(...lineRuns.map((r) => r.x + r.width)),
      top: y - 0.88 * size,
      bottom: y + 0.12 * size,
      size,
    };
  });
}

/** The size most characters are set in. */
function bodySize(lines: readonly Line[]): number {
  const count = new Map<number, number>();
  for (const l of lines) {
    const key = Math.round(l.size * 2) / 2;
    count.set(key, (count.get(key) ?? 0) + Array.from(l.text).length);
  }
  let best = 0;
  let most = -1;
  for (const [size, n] of count) if (n > most) [best, most] = [size, n];
  return best;
}

/** Recursive XY cut: appends the leaves (single-column groups of lines) in reading order. */
function cut(lines: readonly Line[], body: number, leaves: Line[][]): void {
  if (lines.length <= 1) {
    if (lines.length === 1) leaves.push([...lines]);
    return;
  }
  // Bands first: a story under a headline over several columns comes after everything above
  // it, even when its headline leaves a column gutter free all the way down the page.
  const bands = splitBands(lines, body);
  if (bands.length > 1) {
    for (const b of bands) cut(b, body, leaves);
    return;
  }
  const columns = splitAtGaps(
    lines,
    (l) => l.x0,
    (l) => l.x1,
    GUTTER_EM * body,
  );
  if (columns.length > 1) {
    for (const c of columns) cut(c, body, leaves);
    return;
  }
  leaves.push([...lines].sort((a, b) => a.top - b.top || a.x0 - b.x0));
}

/** Groups along one axis, split wherever a blank range at least `minGap` wide crosses them all. */
function splitAtGaps(
  lines: readonly Line[],
  start: (l: Line) => number,
  end: (l: Line) => number,
  minGap: number,
): Line[][] {
  const sorted = [...lines].sort((a, b) => start(a) - start(b));
  const groups: Line[][] = [];
  let current: Line[] = [];
  let reach = Number.NEGATIVE_INFINITY;
  for (const line of sorted) {
    if (current.length > 0 && start(line) - reach >= minGap) {
      groups.push(current);
      current = [];
    }
    current.push(line);
    reach = Math.max(reach, end(line));
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/**
 * Horizontal bands: cuts at blank y-ranges above a heading or a box wider than a column (a
 * headline over several columns, an advertisement), and under a headline block that stands alone
 * over the columns of its story; never between two rows of ordinary column lines, whose gaps line
 * up across columns by chance, and never under a row of headlines side by side, each of which
 * belongs to the column below it.
 */
function splitBands(lines: readonly Line[], body: number): Line[][] {
  const widths = lines.map((l) => l.x1 - l.x0).sort((a, b) => a - b);
  const median = widths[Math.floor(widths.length / 2)] ?? 0;
  const wide = (l: Line): boolean =>
    l.x1 - l.x0 > WIDE_FACTOR * median || l.size >= HEADING_FACTOR * body;
  const sorted = [...lines].sort((a, b) => a.top - b.top);
  const bands: Line[][] = [];
  let current: Line[] = [];
  let reach = Number.NEGATIVE_INFINITY;
  let reachLine: Line | undefined;
  const heading = (l: Line): boolean => l.size >= HEADING_FACTOR * body;
  // The next line of the same column (wider than the region's other columns) is no band edge.
  const sameColumn = (a: Line | undefined, b: Line): boolean =>
    a !== undefined &&
    !heading(a) &&
    !heading(b) &&
    Math.abs(a.x0 - b.x0) <= 2.5 * body &&
    Math.abs(a.x1 - b.x1) <= 2.5 * body;
  for (const line of sorted) {
    const headlineBlock =
      current.every(heading) &&
      splitAtGaps(
        current,
        (l) => l.x0,
        (l) => l.x1,
        GUTTER_EM * body,
      ).length === 1;
    if (
      current.length > 0 &&
      line.top - reach >= BAND_GAP_EM * body &&
      ((wide(line) &&
        !(reachLine !== undefined && heading(reachLine)) &&
        !sameColumn(reachLine, line)) ||
        headlineBlock)
    ) {
      bands.push(current);
      current = [];
    }
    current.push(line);
    if (line.bottom >= reach) {
      reach = line.bottom;
      reachLine = line;
    }
  }
  if (current.length > 0) bands.push(current);
  return bands;
}

/** Headings and paragraphs from the leaves in reading order. */
function toBlocks(leaves: readonly Line[][], body: number): Block[] {
  const blocks: Block[] = [];
  let open: { text: string; full: boolean; lines: number } | undefined;
  let headingRun: Line[] = [];
  const flushHeadings = (): void => {
    if (headingRun.length === 0) return;
    const largest = Math.max(...headingRun.map((l) => l.size));
    // Lines of one size in a row are one heading wrapped over several lines.
    let previous: { level: number; size: number } | undefined;
    for (const line of headingRun) {
      const level = line.size >= largest - 0.25 ? 1 : 2;
      const last = blocks.at(-1);
      if (previous && previous.size === line.size && last?.kind === "heading") {
        last.text = joinLines(last.text, line.text);
      } else blocks.push({ kind: "heading", level, text: line.text });
      previous = { level, size: line.size };
    }
    headingRun = [];
  };
  // Single lines that end no sentence (an advertisement's address and hotline, a credit) stay
  // together in one block, as the edition parser expects the lines of a box.
  let lastSingle: { leaf: number; block: Block } | undefined;
  let leafIndex = 0;
  const closeParagraph = (): void => {
    if (open) {
      const single = open.lines === 1 && !/[。！？”]$/u.test(open.text);
      if (single && lastSingle?.leaf === leafIndex && blocks.at(-1) === lastSingle.block) {
        lastSingle.block.text += `\n${open.text}`;
      } else {
        const block: Block = { kind: "paragraph", text: open.text };
        blocks.push(block);
        lastSingle = single ? { leaf: leafIndex, block } : undefined;
      }
    }
    open = undefined;
  };
  for (const [k, cutLeaf] of leaves.entries()) {
    leafIndex = k;
    const leaf = mergeBaselines(cutLeaf);
    const textLines = leaf.filter((l) => l.size < HEADING_FACTOR * body);
    const left = Math.min(...textLines.map((l) => l.x0));
    const right = Math.max(...textLines.map((l) => l.x1));
    let previous: Line | undefined;
    for (const line of leaf) {
      if (line.size >= HEADING_FACTOR * body) {
        closeParagraph();
        headingRun.push(line);
        previous = line;
        continue;
      }
      flushHeadings();
      const indented = line.x0 > left + 0.8 * line.size;
      const gap = previous ? line.top - previous.bottom : 0;
      const startsNew =
        open === undefined ||
        indented ||
        (previous !== undefined && gap > 0.7 * line.size) ||
        !open.full;
      if (startsNew) {
        closeParagraph();
        open = { text: line.text, full: false, lines: 1 };
      } else if (open) {
        open.text = joinLines(open.text, line.text);
        open.lines++;
      }
      // A line that reaches the column's right edge goes on in the next line (or column).
      // Ragged (unjustified) lines end short of the edge too: a long line that ends no sentence
      // goes on as well.
      if (open) {
        open.full =
          line.x1 >= right - 1.2 * line.size ||
          (line.x1 - line.x0 >= RAGGED_SHARE * (right - left) &&
            !/[。！？；…」』”）)]$/u.test(line.text));
      }
      previous = line;
    }
  }
  flushHeadings();
  closeParagraph();
  return blocks;
}

/** Joins a wrapped line: a number cut at the column edge ("20" + "00") takes no space. */
function joinLines(left: string, right: string): string {
  return /\d$/u.test(left) && /^\d/u.test(right) ? left + right : joinWrapped(left, right);
}

/**
 * Within one column, runs on one baseline are one line however far apart: justified text
 * stretches the space after "本报讯" or between words wider than a column gutter.
 */
function mergeBaselines(leaf: readonly Line[]): Line[] {
  const out: Line[] = [];
  for (const line of leaf) {
    const same = out.find(
      (l) =>
        Math.abs(l.bottom - 0.12 * l.size - (line.bottom - 0.12 * line.size)) < 0.4 * line.size,
    );
    if (
      same === undefined ||
      Math.max(same.size, line.size) > 1.1 * Math.min(same.size, line.size)
    ) {
      out.push({ ...line });
      continue;
    }
    const [a, b] = same.x0 <= line.x0 ? [same, line] : [line, same];
    const latin = /[A-Za-z0-9]$/u.test(a.text) && /^[A-Za-z0-9]/u.test(b.text);
    same.text = `${a.text}${latin ? " " : ""}${b.text}`;
    same.x0 = Math.min(a.x0, b.x0);
    same.x1 = Math.max(a.x1, b.x1);
    same.top = Math.min(a.top, b.top);
    same.bottom = Math.max(a.bottom, b.bottom);
  }
  return out.sort((a, b) => a.top - b.top || a.x0 - b.x0);
}
