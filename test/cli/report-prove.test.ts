// `prove` as a person reads it (issue #9, items 24 and 25): the "fewest values per order 2..30"
// table its JSON has, and lines of a readable width in a pipe (the terminal's width on a TTY).
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { runCli } from '../helpers/cli';
import { PIPE_WIDTH, renderProve, runProve } from '../../cli/report-prove';
import { WIP_V1 } from '../../model/scheme';

const tmp = () => mkdtempSync(join(tmpdir(), 'rmapcheck-prove-'));

/** The rows of the text table headed by `title` (after its header and dash lines), up to a blank line. */
function tableAfter(text: string, title: string): string[][] {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => l.startsWith(title));
  expect(at, `no "${title}" in:\n${text}`).toBeGreaterThanOrEqual(0);
  const rows: string[][] = [];
  for (let i = at + 3; i < lines.length && lines[i].trim() !== ''; i++) rows.push(lines[i].trim().split(/\s+/));
  return rows;
}

describe('prove text output', () => {
  it('has the fewest-values table of its JSON: every order 2..30, grouped into ranges', async () => {
    const d = tmp();
    const text = await runCli('prove', '--out', d);
    const json = JSON.parse((await runCli('prove', '--json', '--out', d)).out);
    expect(json.minimalValues).toHaveLength(29);
    const rows = tableAfter(text.out, 'Fewest 64-bit values per order 2..30');
    const expanded: { order: number; values: number; chunkBits: number }[] = [];
    for (const [orders, values, chunkBits] of rows) {
      const [lo, hi] = orders.split('..').map(Number);
      for (let k = lo; k <= (hi ?? lo); k++) expanded.push({ order: k, values: Number(values), chunkBits: Number(chunkBits) });
    }
    expect(expanded).toEqual(json.minimalValues);
    expect(rows.length).toBeLessThan(29); // grouped: one row per run of orders with the same answer
  });

  it('a scheme file gets the table too (the JSON always has it)', async () => {
    const d = tmp();
    const f = join(d, 's.json');
    writeFileSync(f, JSON.stringify([{ name: 'mine', orders: [2, 3], values: 2, chunkBits: 4, bound: 64, wordBits: 64, idBits: 8 }]));
    const r = await runCli('prove', '--scheme', f, '--out', join(d, 'out'));
    expect(r.out).toContain('Fewest 64-bit values per order 2..30');
  });

  it(`in a pipe, every line is at most ${PIPE_WIDTH} columns; the JSON keeps the full text`, async () => {
    expect(PIPE_WIDTH).toBe(100);
    const d = tmp();
    const r = await runCli('prove', '--out', join(d, 'o'));
    expect(r.code).toBe(1);
    const long = r.out.split('\n').filter((l) => l.length > PIPE_WIDTH);
    expect(long, long.join('\n')).toEqual([]);
    // nothing cut off: every claim's full text is in the JSON, and every word of it in the text
    const json = JSON.parse((await runCli('prove', '--json', '--out', join(d, 'o'))).out);
    const words = new Set(r.out.split(/\s+/));
    for (const c of json.claims) for (const w of `${c.claim} ${c.why}`.split(/\s+/)) expect(words, w).toContain(w);
    expect(json.claims.some((c: { why: string }) => c.why.length > PIPE_WIDTH)).toBe(true);
  });

  it('a replay line keeps its path whole (it is pasted into a shell), even past the width', async () => {
    const d = join(tmp(), 'a-rather-long-output-directory-name-for-the-counterexample-traces-of-this-run');
    const r = await runCli('prove', '--order', '7', '--out', d);
    const replay = r.out.split('\n').filter((l) => l.startsWith('replay: '));
    expect(replay).toEqual([`replay: npx rmapcheck replay ${join(d, 'subid-wip-v1_orders-6-9-order7.json')}`]);
    expect(r.out.split('\n').filter((l) => l.length > PIPE_WIDTH && !l.startsWith('replay: '))).toEqual([]);
  });

  it.each([80, 132])('at a terminal width of %i columns every line fits', (width) => {
    const text = renderProve(runProve(WIP_V1, undefined, null, false), { maxWidth: width });
    const long = text.split('\n').filter((l) => l.length > width);
    expect(long, long.join('\n')).toEqual([]);
  });
});
