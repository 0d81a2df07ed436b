// Flag parsing (issue #9, item 21): one integer syntax for every integer option and every --set
// value (decimal or 0x hex), and commander's own errors worded and prefixed like ours.
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { runCli, spawnCli } from '../helpers/cli';

/** A fresh output directory (the runs here find nothing, so nothing is written). */
const out = () => join(mkdtempSync(join(tmpdir(), 'rmapcheck-flags-')), 'out');

/** The one-line `rmapcheck: error: ...` refusal with exit 2 and nothing on stdout. */
function expectUsageError(r: { code: number; out: string; err: string }, expected: string | RegExp): void {
  expect(r.code, r.err).toBe(2);
  expect(r.out).toBe('');
  expect(r.err).toMatch(/^rmapcheck: error: [^\n]+\n$/);
  if (typeof expected === 'string') expect(r.err).toContain(expected);
  else expect(r.err).toMatch(expected);
}

describe('integers: decimal or 0x hex, for every integer option and --set value', () => {
  it('--bound 0x10 means --bound 16 (as --seed 0x10 means seed 16)', async () => {
    const hex = await runCli('subids', '--bound', '0x10', '--bits', '0x3', '--json');
    const dec = await runCli('subids', '--bound', '16', '--bits', '3', '--json');
    expect(hex.code, hex.err).toBe(0);
    expect(hex.out).toBe(dec.out);
    expect(JSON.parse(hex.out).bound).toBe(16);
    expect((await runCli('subids', '--bound', '0X1F', '--bits', '2', '--json')).out).toBe((await runCli('subids', '--bound', '31', '--bits', '2', '--json')).out);
  });

  it('check: hex in --set and in --max-states / --max-depth; the same run as decimal', async () => {
    const hex = await runCli('check', '--model', 'seqcount', '--set', 'writers=0x2', '--set', 'readers=0x1', '--max-states', '0x10000', '--max-depth', '0x40', '--json', '--out', out());
    const dec = await runCli('check', '--model', 'seqcount', '--set', 'writers=2', '--set', 'readers=1', '--max-states', '65536', '--max-depth', '64', '--json', '--out', out());
    expect(hex.code, hex.err).toBe(0);
    const [h, d] = [JSON.parse(hex.out), JSON.parse(dec.out)];
    expect(h.params).toEqual(d.params);
    expect(h.params.writers).toBe(2);
    expect([h.verdict, h.states, h.transitions]).toEqual([d.verdict, d.states, d.transitions]);
  });

  it('rmap: --set seqBits=0x2 is seqBits=2', async () => {
    const r = await runCli('check', '--model', 'rmap', '--scenario', 'cow-vs-unmap', '--set', 'seqBits=0x2', '--max-states', '1', '--json', '--out', out());
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out).params.seqBits).toBe(2);
  });

  it('explore: --runs 0x10 and --depth 0x40 are 16 and 64', async () => {
    const r = await runCli('explore', '--model', 'seqcount', '--seed', '1', '--runs', '0x10', '--depth', '0x40', '--json', '--out', out());
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    expect([j.executions, j.depth]).toEqual([16, 64]);
  });

  it.each([
    ['writers=0b10', 'writers'],
    ['writers=0o2', 'writers'],
    ['writers=1e0', 'writers'],
    ['writers=2.0', 'writers'],
    ['writers=+2', 'writers'],
    ['writers=0x', 'writers'],
  ])('--set %s (not decimal, not 0x hex) is refused', async (set, name) => {
    expectUsageError(await runCli('check', '--model', 'seqcount', '--set', set, '--out', out()), name);
  });

  it.each([
    [['subids', '--bound', '0b10', '--bits', '3'], '--bound 0b10: not an integer (decimal or 0x hex)'],
    [['subids', '--bound', '1e3', '--bits', '3'], '--bound 1e3: not an integer'],
    [['subids', '--bound', '0x', '--bits', '3'], '--bound 0x: not an integer'],
    [['subids', '--bound', '0x20000000000000', '--bits', '3'], '--bound 0x20000000000000: out of range 1..9007199254740991'],
    [['subids', '--bound', '99999999999999999999', '--bits', '3'], '--bound 99999999999999999999: out of range'],
    [['prove', '--order', '0x10'], '--order 16: scheme wip-v1 covers orders 2..15'],
    [['check', '--model', 'rmap', '--set', 'seqBits=2.5'], 'seqBits'],
  ])('%j: refused in one line', async (argv, expected) => {
    expectUsageError(await runCli(...argv), expected);
  });
});

describe("commander's own errors: one line with the rmapcheck prefix, exit 2", () => {
  it.each([
    [['frobnicate'], "rmapcheck: error: unknown command 'frobnicate'"],
    [['shemes'], "rmapcheck: error: unknown command 'shemes' (Did you mean schemes?)"],
    [['schemes', '--frob'], "rmapcheck: error: unknown option '--frob'"],
    [['replay'], "rmapcheck: error: missing required argument 'FILE'"],
    [['subids', '--bound'], "rmapcheck: error: option '--bound <N>' argument missing"],
    [['subids', '--bits', '3'], "rmapcheck: error: required option '--bound <N>' not specified"],
    [['schemes', 'extra'], "rmapcheck: error: too many arguments for 'schemes'"],
  ])('%j', async (argv, expected) => {
    const r = await runCli(...argv);
    expectUsageError(r, expected);
    expect(r.err.startsWith(expected)).toBe(true);
  });

  it('no arguments: the help on stderr, nothing on stdout, exit 2 (usage)', async () => {
    const r = await runCli();
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^Usage: rmapcheck \[options\] \[command\]/);
    expect(r.err).toContain('Commands:');
  });

  it('asked-for help and the version still go to stdout with exit 0', async () => {
    for (const argv of [['--help'], ['help'], ['check', '--help'], ['--version']]) {
      const r = await runCli(...argv);
      expect(r.code, argv.join(' ')).toBe(0);
      expect(r.err).toBe('');
      expect(r.out.length).toBeGreaterThan(0);
    }
  });

  it('the real binary without arguments: help on stderr, empty stdout, exit 2', () => {
    const r = spawnCli([]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^Usage: rmapcheck /);
    expect(r.err).not.toMatch(/at .*\.(ts|js):\d+/);
  });
});
