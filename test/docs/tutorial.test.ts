// docs/tutorial.md shows real output (issue #9, item 24): every `$ npx rmapcheck ...` block is run
// here, in order, from an empty folder as the tutorial says, and what it prints must be what the
// tutorial shows — trace names included — up to the figures that depend on the machine (seconds,
// rates, bytes per state).
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { runCli, ROOT } from '../helpers/cli';

interface Block {
  args: string[];
  shown: string;
}

/** The tutorial's console blocks: one `$ npx rmapcheck ARGS` line, then what it printed. */
function blocks(): Block[] {
  const text = readFileSync(join(ROOT, 'docs', 'tutorial.md'), 'utf8');
  return [...text.matchAll(/```console\n\$ npx rmapcheck ([^\n]*)\n([\s\S]*?)```/g)].map((m) => ({ args: m[1].trim().split(/\s+/), shown: m[2] }));
}

/** Table columns whose figures depend on the machine (and, below, sizes, rates and seconds in text). */
const TIMED_COLUMNS = new Set(['seconds', 'states/s', 'bytes/state']);

/** The text with machine-dependent figures replaced by `#` (and those tables' padding collapsed). */
function normalize(text: string): string[] {
  const out: string[] = [];
  let timed: number[] | null = null; // the timed columns of the table being read
  for (const line of text.replace(/\n+$/, '').split('\n')) {
    if (timed !== null && line.trim() === '') timed = null;
    const cells = line.trim().split(/\s{2,}/);
    if (timed === null && cells.some((c) => TIMED_COLUMNS.has(c))) {
      timed = cells.map((c, i) => (TIMED_COLUMNS.has(c) ? i : -1)).filter((i) => i >= 0);
      out.push(cells.join(' '));
      continue;
    }
    // a line of one cell after a table (the probability and memory lines) is text, not a row
    if (timed !== null && cells.length > 1) {
      if (/^[-\s]+$/.test(line)) continue; // the dash line: widths follow the figures
      out.push(cells.map((c, i) => (timed!.includes(i) ? '#' : c)).join(' '));
      continue;
    }
    if (timed !== null && /^[-\s]+$/.test(line)) continue;
    out.push(
      line
        .replace(/\bin [\d.]+ s\b/g, 'in # s')
        .replace(/\bafter [\d.]+ s\b/g, 'after # s')
        .replace(/[\d,.]+ (executions|steps)\/s\b/g, '# $1/s')
        .replace(/[\d,.]+ (B|KiB|MiB|GiB|bytes)\b/g, '# $1')
        .replace(/\b\d+% /g, '#% '),
    );
  }
  return out;
}

describe('docs/tutorial.md', () => {
  it('every command prints what the tutorial shows (trace names included)', async () => {
    const all = blocks();
    expect(all.map((b) => b.args[0])).toEqual(['check', 'replay', 'view', 'explore', 'minimize']);
    const cwd = process.cwd();
    process.chdir(mkdtempSync(join(tmpdir(), 'rmapcheck-tutorial-')));
    try {
      for (const b of all) {
        const r = await runCli(...b.args);
        expect(r.err, `npx rmapcheck ${b.args.join(' ')}`).toBe('');
        const [shown, printed] = [normalize(b.shown), normalize(r.out)];
        const i = shown.findIndex((l, k) => l !== printed[k]);
        if (i >= 0) expect(printed[i], `npx rmapcheck ${b.args.join(' ')}: the tutorial's line ${i + 1} of this output differs; the output:\n${r.out}`).toBe(shown[i]);
        expect(printed.length, `npx rmapcheck ${b.args.join(' ')}: line count`).toBe(shown.length);
      }
    } finally {
      process.chdir(cwd);
    }
  });
});
