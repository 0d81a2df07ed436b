/** Aligned plain-text tables for people: numbers right-aligned, text left-aligned. */

const NUMERIC = /^[-+]?(\d[\d,_]*(\.\d+)?|0x[0-9a-f]+)(e[-+]?\d+)?%?$/i;

/** Narrowest a shrunk column gets (a cell wraps onto more lines rather than vanish). */
const MIN_COLUMN = 12;

/** Splits `text` into lines of at most `width` characters, at spaces where possible. */
export function wrapCell(text: string, width: number): string[] {
  if (text.length <= width) return [text];
  const out: string[] = [];
  let rest = text;
  while (rest.length > width) {
    let cut = rest.lastIndexOf(' ', width);
    if (cut <= 0) cut = width;
    out.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length) out.push(rest);
  return out;
}

/**
 * The table as text. With `maxWidth` (a terminal's columns) the widest text columns shrink until
 * the table fits and their cells wrap onto continuation lines; without it (piped output) every
 * cell stays on one line at full width.
 */
export function renderTable(headers: string[], rows: string[][], opts: { maxWidth?: number } = {}): string {
  const widths = headers.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const rightAligned = headers.map((_, c) => rows.length > 0 && rows.every((r) => NUMERIC.test(r[c] ?? '') || (r[c] ?? '') === ''));
  if (opts.maxWidth !== undefined) {
    const total = () => widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1);
    while (total() > opts.maxWidth) {
      let widest = -1;
      widths.forEach((w, c) => {
        if (!rightAligned[c] && w > MIN_COLUMN && (widest < 0 || w > widths[widest])) widest = c;
      });
      if (widest < 0) break;
      widths[widest] -= 1; // one at a time from the widest: the wide columns end up equally wide
    }
  }
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => (rightAligned[c] ? cell.padStart(widths[c]) : cell.padEnd(widths[c])))
      .join('  ')
      .trimEnd();
  const physical = (cells: string[]) => {
    const wrapped = headers.map((_, c) => wrapCell(cells[c] ?? '', widths[c]));
    const height = Math.max(...wrapped.map((w) => w.length));
    return Array.from({ length: height }, (_, i) => line(wrapped.map((w) => w[i] ?? ''))).join('\n');
  };
  return [physical(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(physical)].join('\n');
}
