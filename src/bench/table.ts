/** Plain-text tables for the benchmark report. */

/** A cell: a number (formatted), a string, or undefined (printed as "-"). */
export type Cell = number | string | undefined;

/**
 * Formats a number for a table: integers with thousands separators, others with up to three
 * significant decimals (at least one); "-" for undefined or NaN. Never throws.
 */
export function formatCell(value: Cell): string {
  if (value === undefined) return "-";
  if (typeof value === "string") return value;
  if (!Number.isFinite(value)) return "-";
  if (Number.isInteger(value)) return value.toLocaleString("en-US");
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 1 : abs >= 1 ? 2 : 3;
  return value.toFixed(digits);
}

/**
 * Lays out rows under a header: the first column left-aligned, the others right-aligned, padded by
 * display width (CJK characters count double). Never throws.
 */
export function formatTable(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const cells = [header.map(String), ...rows.map((r) => header.map((_, i) => formatCell(r[i])))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => displayWidth(r[i] ?? ""))));
  const line = (r: readonly string[]): string =>
    r
      .map((c, i) => {
        const pad = " ".repeat((widths[i] ?? 0) - displayWidth(c));
        return i === 0 ? c + pad : pad + c;
      })
      .join("  ")
      .trimEnd();
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  return [line(cells[0] ?? []), rule, ...cells.slice(1).map(line)].join("\n");
}

/** Terminal width of a string: East Asian wide characters take two columns. */
function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text)
    width +=
      /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(
        ch,
      )
        ? 2
        : 1;
  return width;
}
