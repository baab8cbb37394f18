/**
 * Lines that the page layout prints but that are not content: mastheads, app and QR-code blurbs,
 * column-credit lines, and continuation notes such as "(下转2版)".
 */

/** Masthead and promotion lines that may appear anywhere on a page. */
const NOISE_ANYWHERE: readonly RegExp[] = [
  // Official-account and app promotions: "嘉善发布", "平湖发布 今平湖客户端".
  /^\p{Script=Han}{2,4}发布(?:\s+\S{1,10}客户端)?$/u,
  /^\S{1,10}客户端$/u,
  // A Latin masthead such as "JIAXING DAILY" (two or more upper-case words, nothing else).
  /^[A-Z]{2,}(?:\s+[A-Z]{2,})+$/u,
  // QR-code blurbs next to photos: "扫描二维码", "观看视频", "扫一扫 看更多".
  /^(?:扫描|扫码|长按|微信扫|扫一扫)[^\s。，,！？；：]{0,12}(?:\s+[^\s。，,！？；：]{1,8})?$/u,
  /^(?:观看|收看|点击观看)(?:视频|直播)$/u,
];

/**
 * Short brand lines that only count as masthead noise above the first article ("嘉善版",
 * "最嘉善", "IN嘉善"): lower on the page the same shapes could be a short headline.
 */
const NOISE_IN_MASTHEAD: readonly RegExp[] = [
  /^\p{Script=Han}{2,4}版$/u,
  /^(?:最|爱|IN|In|in|i|I|@)\p{Script=Han}{2,3}$/u,
];

/** Column-credit lines (dropped together with the short column name printed just above them). */
const COLUMN_CREDIT = /栏目统筹|栏目主持|责任编辑|版面编辑|美术编辑|本版编辑|校对[:：]/u;

/** Continuation notes: "(下转2版)", "（上接第1版）". */
const CONTINUATION_NOTE =
  /[（(]\s*[上下]转\s*第?\s*[0-9０-９A-Za-z]+\s*版\s*[)）]|[（(]\s*[上下]接\s*第?\s*[0-9０-９A-Za-z]+\s*版\s*[)）]/gu;

/**
 * True for a masthead or promotion line; `inMasthead` widens the check to short brand lines. Never
 * throws.
 */
export function isNoiseLine(line: string, inMasthead: boolean): boolean {
  const t = line.trim();
  if (NOISE_ANYWHERE.some((re) => re.test(t))) return true;
  return inMasthead && NOISE_IN_MASTHEAD.some((re) => re.test(t));
}

/** True for a column-credit line such as "DIYI PINGLUN 栏目统筹:黄金凤". */
export function isColumnCreditLine(line: string): boolean {
  return COLUMN_CREDIT.test(line);
}

/**
 * A column label printed above an article: "》》“八大行动”这样干", "□增值化改革进行时",
 * "【观察】". Returns the label as printed, or undefined. Never throws.
 */
export function columnLabel(line: string): string | undefined {
  const t = line.trim();
  if (t.length > 30) return undefined;
  if (/^(?:》》|>>|□|◆|【[^】]{1,12}】$)/u.test(t) && !/[。！？；]/u.test(t)) return t;
  return undefined;
}

/** Removes continuation notes from a line and returns them separately. */
export function extractNotes(line: string): { text: string; notes: string[] } {
  const notes = line.match(CONTINUATION_NOTE)?.map((n) => n.trim()) ?? [];
  if (notes.length === 0) return { text: line, notes };
  return { text: line.replace(CONTINUATION_NOTE, "").trimEnd(), notes };
}
