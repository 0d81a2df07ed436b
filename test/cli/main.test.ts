import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, readdirSync, existsSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { runCli, spawnCli } from '../helpers/cli';
import { subId } from '../../model/subid';

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'rmapcheck-'));
}

describe('CLI contract', () => {
  it('subids --json has the documented shape', async () => {
    const r = await runCli('subids', '--bound', '4', '--bits', '3', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({ bound: 4, bits: 3, subids: ['0', '1', '5', '6', '25', '26', '30', '31'] });
  });

  it('subids agrees with the formula for a wip-v1 lookup table', async () => {
    const r = await runCli('subids', '--bound', '1024', '--bits', '6', '--json');
    const table = JSON.parse(r.out).subids as string[];
    expect(table).toHaveLength(64);
    table.forEach((s, i) => expect(BigInt(s)).toBe(subId(BigInt(i), 1024n)));
  });

  it('schemes --json lists wip-v1', async () => {
    const r = await runCli('schemes', '--json');
    const sets = JSON.parse(r.out);
    expect(sets[0].name).toBe('wip-v1');
    expect(sets[0].schemes).toHaveLength(6);
    expect(sets[0].schemes[2]).toEqual({ name: 'wip-v1/orders-6-9', orders: [6, 9], values: 3, chunkBits: 8, bound: '512', wordBits: 64, idBits: 24 });
  });

  it.each([
    [['subids', '--bound', 'x', '--bits', '3'], '--bound x: not an integer'],
    [['subids', '--bound', '4', '--bits', '17'], '--bits 17: out of range 1..16'],
    [['prove', '--scheme', 'nope'], "unknown scheme 'nope'"],
    [['prove', '--order', '16'], '--order 16: scheme wip-v1 covers orders 2..15'],
    [['replay', '/nonexistent/trace.json'], 'cannot read /nonexistent/trace.json: no such file'],
  ])('bad input %j: one line, exit 2', async (argv, expected) => {
    const r = await runCli(...argv);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toContain(expected);
    expect(r.out).toBe('');
  });

  it('unknown command and unknown option: exit 2', async () => {
    expect((await runCli('frobnicate')).code).toBe(2);
    expect((await runCli('schemes', '--frob')).code).toBe(2);
  });

  it('a scheme file with impossible parameters is refused, naming each problem', async () => {
    const d = tmp();
    const f = join(d, 's.json');
    writeFileSync(f, JSON.stringify([{ name: 'bad', orders: [2, 3], values: 1, chunkBits: 0, bound: 2, wordBits: 200, idBits: 6 }]));
    const r = await runCli('prove', '--scheme', f, '--out', join(d, 'out'));
    expect(r.code).toBe(2);
    expect(r.err).toContain('chunkBits 0');
    expect(r.err).toContain('wordBits 200');
    expect(r.err).toContain('bound 2 < P = 8');
    expect(existsSync(join(d, 'out'))).toBe(false);
  });

  it('prove of another scheme: its own verdicts, none of the series\' claims about wip-v1', async () => {
    const d = tmp();
    const f = join(d, 's.json');
    writeFileSync(f, JSON.stringify([{ name: 'mine', orders: [2, 3], values: 2, chunkBits: 4, bound: 64, wordBits: 64, idBits: 8 }]));
    const r = await runCli('prove', '--scheme', f, '--json', '--out', join(d, 'out'));
    const report = JSON.parse(r.out);
    expect(report.scheme).toBe(f);
    expect(report.orders.map((o: { verdict: string }) => o.verdict)).toEqual(['proved', 'proved']);
    expect(report.claims).toEqual([]);
    const text = await runCli('prove', '--scheme', f, '--out', join(d, 'out'));
    expect(text.out).not.toContain('Claims of the series');
    expect(JSON.parse((await runCli('prove', '--json', '--order', '2')).out).claims.length).toBeGreaterThan(30);
  });

  it('--out that is a file: exit 2, the file untouched', async () => {
    const d = tmp();
    const f = join(d, 'file');
    writeFileSync(f, 'keep me');
    const r = await runCli('prove', '--order', '9', '--out', f);
    expect(r.code).toBe(2);
    expect(r.err).toContain('exists and is not a directory');
    expect(readFileSync(f, 'utf8')).toBe('keep me');
  });

  it('the real binary prints a one-line error without a stack trace', () => {
    const r = spawnCli(['replay', '/nonexistent.json']);
    expect(r.code).toBe(2);
    expect(r.err).toBe('rmapcheck: error: cannot read /nonexistent.json: no such file\n');
    expect(r.err).not.toMatch(/at .*\.ts:/);
  });

  it('prove --json has the documented shape, and every refutation round-trips: find, write, read, replay, compare', async () => {
    const d = tmp();
    const r = await runCli('prove', '--json', '--out', d);
    expect(r.code).toBe(1); // wip-v1 has refuted orders
    const report = JSON.parse(r.out);
    expect(Object.keys(report)).toEqual(['scheme', 'wordBits', 'idBits', 'orders', 'minimalValues', 'claims']);
    expect([report.scheme, report.wordBits, report.idBits]).toEqual(['wip-v1', 64, 24]);
    expect(report.orders.map((o: { order: number }) => o.order)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    for (const o of report.orders) {
      expect(Object.keys(o)).toEqual(['order', 'pages', 'values', 'chunkBits', 'bound', 'verdict', 'method', 'certificate', 'counterexample']);
      expect(o.pages).toBe(2 ** o.order);
      expect(['proved', 'refuted']).toContain(o.verdict);
      expect(o.counterexample === null).toBe(o.verdict === 'proved');
    }
    const refuted = report.orders.filter((o: { verdict: string }) => o.verdict === 'refuted');
    expect(refuted.length).toBeGreaterThan(0);
    expect(readdirSync(d).sort()).toEqual(refuted.map((o: { order: number }) => `subid-wip-v1_orders-6-9-order${o.order}.json`).sort());
    for (const o of refuted) {
      const cx = o.counterexample;
      expect(Object.keys(cx)).toEqual(['query', 'mappings', 'mapcount', 'values', 'trace']);
      expect(cx.mappings.some((m: { rmapId: number }) => m.rmapId === cx.query)).toBe(true);
      expect(cx.mappings.length).toBeGreaterThan(1);
      expect(cx.mapcount).toBe(cx.mappings.reduce((a: number, m: { count: number }) => a + m.count, 0));
      expect(cx.mapcount).toBeLessThanOrEqual(o.pages);
      const rep = await runCli('replay', cx.trace, '--json');
      expect(rep.code).toBe(1);
      const replayed = JSON.parse(rep.out);
      expect(replayed.reproduced).toBe(true);
      expect(replayed.mismatches).toEqual([]);
      expect([replayed.expected, replayed.observed]).toEqual(['shared', 'exclusive']);
      expect(replayed.steps[replayed.steps.length - 1].values).toEqual(cx.values);
    }
    expect(report.minimalValues).toHaveLength(29);
    for (const c of report.claims) expect(Object.keys(c)).toEqual(['claim', 'holds', 'why']);
  });

  it('reruns are idempotent, but a trace file with other content is not overwritten without --force', async () => {
    const d = tmp();
    expect((await runCli('prove', '--order', '9', '--out', d)).code).toBe(1);
    expect((await runCli('prove', '--order', '9', '--out', d)).code).toBe(1);
    const f = join(d, 'subid-wip-v1_orders-6-9-order9.json');
    writeFileSync(f, 'precious');
    const r = await runCli('prove', '--order', '9', '--out', d);
    expect(r.code).toBe(2);
    expect(r.err).toContain('already exists with other content (use --force to overwrite)');
    expect(readFileSync(f, 'utf8')).toBe('precious');
    expect((await runCli('prove', '--order', '9', '--out', d, '--force')).code).toBe(1);
    expect(readFileSync(f, 'utf8')).toContain('rmapcheck-trace');
    expect(readdirSync(d).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('a proved order exits 0 and writes no trace', async () => {
    const d = join(tmp(), 'out');
    const r = await runCli('prove', '--order', '6', '--json', '--out', d);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).orders[0].verdict).toBe('proved');
    expect(existsSync(d)).toBe(false);
  });

  it('replay of a malformed trace: exit 2, one line', async () => {
    const d = tmp();
    const f = join(d, 't.json');
    writeFileSync(f, '{"format": "rmapcheck-trace", "formatVersion": 1, "toolV');
    const r = await runCli('replay', f);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toContain('not valid JSON');
  });
});
