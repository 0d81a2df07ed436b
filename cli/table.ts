/** Aligned plain-text tables for people: numbers right-aligned, text left-aligned. */

const NUMERIC = /^[-+]?(\d[\d,_]*(\.\d+)?|0x[0-9a-f]+)(e[-+]?\d+)?%?$/i;

export function renderTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const rightAligned = headers.map((_, c) => rows.length > 0 && rows.every((r) => NUMERIC.test(r[c] ?? '') || (r[c] ?? '') === ''));
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => (rightAligned[c] ? cell.padStart(widths[c]) : cell.padEnd(widths[c])))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
