/**
 * The masthead printed at the top of an edition or page ("平湖日报", "2026年3月10日 星期二",
 * "第A1版 要闻"): metadata of the edition, never article text.
 */

/** What a masthead tells. */
export interface MastheadMeta {
  paper?: string;
  /** ISO date "YYYY-MM-DD". */
  date?: string;
  /** The page as printed without "第…版", e.g. "A1" or "3". */
  page?: string;
}

/** Lines at the top of a text looked at for a masthead. */
const MAX_MASTHEAD_LINES = 8;
/** Characters a masthead line may hold besides what it is recognised by (a page name: "要闻"). */
const MAX_REST_CHARS = 10;

const DATE =
  /(\d{4})\s*(?:年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日|[-./](\d{1,2})[-./](\d{1,2})(?!\d))/u;
const PAGE = /第\s*([A-Za-z]?\s*\d{1,3})\s*版|(?<![A-Za-z\d])([A-Za-z]\d{1,2})\s*版/u;
const PAPER = /^\p{Script=Han}{2,8}(?:日报|晚报|时报|商报|早报|周报|新闻|报)$/u;
const PAPER_IN_LINE = /\p{Script=Han}{2,6}(?:日报|晚报|时报|商报|早报|周报)/u;
/** Parts of a masthead that carry nothing the index needs. */
const FILLER: readonly RegExp[] = [
  /星期[一二三四五六日天]|周[一二三四五六日]/gu,
  /农历\S{0,12}/gu,
  /(?:国内统一连续出版物号|国内统一刊号|邮发代号|代号)\s*[:：]?\s*[A-Z0-9-]*/gu,
  /CN\s*\d{2}\s*-\s*\d{4}(?:\s*\/\s*[A-Z]+)?/gu,
  /(?:今日|本期)\s*\d+\s*版/gu,
  /(?:总)?第\s*\d+\s*(?:期|号)/gu,
  /(?:责任编辑|版面编辑|美术编辑|校对|编辑|电话)\s*[:：]\s*\S{0,12}/gu,
  /[A-Z][A-Z\s]{3,}/gu,
];

/**
 * Reads a masthead from the first lines of a text: lines made of a paper name, a date, a weekday, a
 * page ("第A1版") and the like, before any sentence. Returns what they say and the lines without
 * them. Never throws.
 */
export function readMasthead(lines: readonly string[]): { meta: MastheadMeta; rest: string[] } {
  const meta: MastheadMeta = {};
  const rest: string[] = [];
  let looked = 0;
  let open = true;
  for (const line of lines) {
    const t = line.trim();
    if (!open || t === "") {
      rest.push(line);
      continue;
    }
    looked++;
    const found = mastheadLine(t);
    if (found === undefined) {
      rest.push(line);
      // A sentence or a credit line starts the articles: nothing below is a masthead.
      if (/[。！？；]|^■/u.test(t) || looked >= MAX_MASTHEAD_LINES) open = false;
      continue;
    }
    fillMasthead(meta, found);
  }
  return { meta, rest };
}

/** Fills what `meta` does not know yet from `found`. Never throws. */
export function fillMasthead(meta: MastheadMeta, found: MastheadMeta): void {
  if (meta.paper === undefined && found.paper !== undefined) meta.paper = found.paper;
  if (meta.date === undefined && found.date !== undefined) meta.date = found.date;
  if (meta.page === undefined && found.page !== undefined) meta.page = found.page;
}

/** What one line says when it is a masthead line, else undefined. Never throws. */
export function mastheadLine(line: string): MastheadMeta | undefined {
  const t = line.trim();
  if (t.length === 0 || t.length > 80 || /[。！？；，]/u.test(t)) return undefined;
  if (PAPER.test(t)) return { paper: t };
  let rest = t;
  const out: MastheadMeta = {};
  const date = DATE.exec(rest);
  if (date) {
    const [all, y = "", m1, d1, m2, d2] = date;
    const iso = isoDate(y, m1 ?? m2 ?? "", d1 ?? d2 ?? "");
    if (iso !== undefined) out.date = iso;
    rest = rest.replace(all, " ");
  }
  const page = PAGE.exec(rest);
  if (page) {
    out.page = (page[1] ?? page[2] ?? "").replace(/\s+/gu, "").toUpperCase();
    rest = rest.replace(page[0], " ");
  }
  if (out.date === undefined && out.page === undefined) return undefined;
  const paper = PAPER_IN_LINE.exec(rest);
  if (paper) {
    out.paper = paper[0];
    rest = rest.replace(paper[0], " ");
  }
  for (const filler of FILLER) rest = rest.replace(filler, " ");
  const left = rest.replace(/[\s:：|｜·•、,，()（）【】[\]-]+/gu, "");
  return Array.from(left).length <= MAX_REST_CHARS ? out : undefined;
}

function isoDate(y: string, m: string, d: string): string | undefined {
  const year = Number(y);
  const month = Number(m);
  const day = Number(d);
  const t = new Date(Date.UTC(year, month - 1, day));
  if (t.getUTCFullYear() !== year || t.getUTCMonth() !== month - 1 || t.getUTCDate() !== day)
    return undefined;
  return `${y}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}
