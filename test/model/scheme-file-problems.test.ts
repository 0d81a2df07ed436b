// A scheme file with several errors names each of them (issue #9, item 22): one UsageError, one
// line, every problem of every entry (shape, types, values, overlaps), not only the first.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, existsSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { parseSchemeFile } from '../../model/scheme-file';
import { UsageError } from '../../model/errors';
import { runCli } from '../helpers/cli';

const good = { name: 'tiny', orders: [2, 3], values: 2, chunkBits: 3, bound: 8, wordBits: 8, idBits: 6 };

function message(entries: unknown): string {
  try {
    parseSchemeFile(JSON.stringify(entries), 's.json');
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('scheme files with several problems', () => {
  it('names every shape problem of every entry, counted, on one line', () => {
    const msg = message([
      { ...good, colour: 'red', idBits: undefined },
      { ...good, name: '', orders: [4], values: 'two' },
      { ...good, name: 'b', orders: [6, 6], bound: -1 },
      7,
    ]);
    expect(msg).not.toContain('\n');
    for (const p of [
      'entry 0 has no "idBits"',
      'entry 0 has an unknown field "colour"',
      'entry 1: "name" must be a non-empty string',
      'entry 1: "orders" must be [lo, hi] with integers',
      'entry 1: "values" must be an integer',
      'entry 2: "bound" must be a non-negative integer',
      'entry 3 is not an object',
    ])
      expect(msg).toContain(p);
    expect(msg).toMatch(/^s\.json: 7 problems: /);
  });

  it('names shape problems and value problems of the well-formed entries together', () => {
    const msg = message([
      { ...good, colour: 'red' },
      { ...good, name: 'b', orders: [4, 4], chunkBits: 0, wordBits: 200, bound: 16 },
      { ...good, name: 'c', orders: [4, 5], bound: 32 },
    ]);
    expect(msg).not.toContain('\n');
    expect(msg).toContain('entry 0 has an unknown field "colour"');
    expect(msg).toContain('entry 1 (b): chunkBits 0 must be an integer in 1..32');
    expect(msg).toContain('entry 1 (b): wordBits 200 must be an integer in 8..128');
    expect(msg).toContain('order ranges overlap: b [4,4] and c [4,5]');
    expect(msg).toContain('entry 1 (b): values * chunkBits = 0 < idBits 6');
    expect(msg).toMatch(/^s\.json: 5 problems: /);
  });

  it('one problem is still named alone, without a count', () => {
    expect(message([{ ...good, colour: 'red' }])).toBe('s.json: entry 0 has an unknown field "colour"');
  });

  it('prove --scheme FILE: exit 2, one line with every problem, nothing written', async () => {
    const d = mkdtempSync(join(tmpdir(), 'rmapcheck-scheme-'));
    const f = join(d, 's.json');
    writeFileSync(f, JSON.stringify([{ ...good, colour: 'red' }, { ...good, name: 'x', orders: [4, 4], values: 1, bound: 'many' }]));
    const r = await runCli('prove', '--scheme', f, '--out', join(d, 'out'));
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^rmapcheck: error: [^\n]+\n$/);
    expect(r.err).toContain(`${f}: 2 problems: `);
    expect(r.err).toContain('entry 0 has an unknown field "colour"');
    expect(r.err).toContain('entry 1: "bound" must be a non-negative integer');
    expect(existsSync(join(d, 'out'))).toBe(false);
  });
});
