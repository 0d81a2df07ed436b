/**
 * The mmid model from the command line (issue 12): `models` lists it, `check --model mmid` gives
 * the pinned figures through the real bin, every counterexample it writes replays (exit 1, the
 * same property and length), `minimize` and `view` take its traces, a scenario file works and
 * its trace replays from anywhere, and bad input is one line with exit 2 and no output file.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { runCli, spawnCli } from '../helpers/cli';
import { figuresOf, pinnedConfig } from '../helpers/manifest';
import { MMID_BUGS, MMID_SCENARIOS } from '../../model/mmid';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'rmapcheck-mmid-'));
const figures = (j: { verdict: string; property: string | null; states: number; transitions: number; maxDepth: number; traceLength: number | null }) => ({
  verdict: j.verdict,
  property: j.property,
  states: j.states,
  transitions: j.transitions,
  maxDepth: j.maxDepth,
  counterexampleLength: j.traceLength,
});

/** Replays `trace` through the bin: exit 1, reproduced, `property`, `steps`. */
function replays(trace: string, property: string, steps: number, cwd?: string): void {
  const rep = spawnCli(['replay', trace, '--json'], cwd);
  expect(rep.code, rep.err).toBe(1);
  const rj = JSON.parse(rep.out);
  expect([rj.reproduced, rj.property, rj.steps, rj.mismatches]).toEqual([true, property, steps, []]);
}

describe('rmapcheck models', () => {
  it('lists mmid with its variants, parameters and bugs (text and --json)', async () => {
    const j = JSON.parse((await runCli('models', '--json')).out);
    const m = j.find((x: { name: string }) => x.name === 'mmid');
    expect(m.variants).toEqual(['page-mapcount', 'no-page-mapcount']);
    expect(m.params.map((p: { name: string }) => p.name)).toEqual(['scenario', 'variant', 'bits', 'countBits', 'bug']);
    expect(m.bugs.map((b: { name: string }) => b.name)).toEqual(MMID_BUGS.map((b) => b.name));
    const text = (await runCli('models')).out;
    expect(text).toMatch(/^mmid: MM owner tracking/m);
    for (const b of MMID_BUGS) expect(text).toMatch(new RegExp(`^${b.name} +page-mapcount no-page-mapcount +scenario=${b.scenario}`, 'm'));
  });
});

describe('check --model mmid through bin/rmapcheck.js', () => {
  it.each([
    ['preset-file-three-mms-no-page-mapcount', ['--scenario', 'file-three-mms', '--variant', 'no-page-mapcount']],
    ['remap-32bit-overflow', ['--scenario', 'remap-pmd-reader', '--set', 'bits=32', '--set', 'countBits=3']],
  ])('%s: the pinned figures, exit 0', (pin, args) => {
    const r = spawnCli(['check', '--model', 'mmid', ...args, '--json', '--out', tmp()]);
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    expect(figures(j)).toEqual(figuresOf(pinnedConfig('mmid', pin)));
    expect(j.unreached).toEqual([]);
  });

  it.each([
    ['bug-cow-no-recheck-no-page-mapcount', ['--bug', 'cow-no-recheck', '--variant', 'no-page-mapcount']],
    ['bug-shared-outside-lock-page-mapcount', ['--bug', 'shared-outside-lock']],
    ['preset-pmd-unmap-vs-cow-page-mapcount', ['--scenario', 'pmd-unmap-vs-cow']],
  ])('%s: the pinned counterexample, exit 1, and its trace replays', (pin, args) => {
    const d = tmp();
    const r = spawnCli(['check', '--model', 'mmid', ...args, '--json', '--out', d]);
    expect(r.code, r.err).toBe(1);
    const j = JSON.parse(r.out);
    const p = figuresOf(pinnedConfig('mmid', pin));
    expect(figures(j)).toEqual(p);
    expect(j.trace).toBe(join(d, readdirSync(d)[0]));
    replays(j.trace, p.property!, p.counterexampleLength!);
  });

  it('minimize and view take an mmid trace', async () => {
    const d = tmp();
    const j = JSON.parse((await runCli('check', '--model', 'mmid', '--bug', 'slot0-no-shared', '--json', '--out', d)).out);
    const min = join(d, 'min.json');
    const mr = await runCli('minimize', j.trace, '--out', min, '--json');
    expect(mr.code, mr.err).toBe(1);
    const mj = JSON.parse(mr.out);
    expect([mj.property, mj.rawTraceLength]).toEqual(['not-shared-sound', j.traceLength]);
    expect(mj.minimizedTraceLength).toBeLessThanOrEqual(j.traceLength);
    const rep = JSON.parse((await runCli('replay', min, '--json')).out);
    expect([rep.reproduced, rep.property, rep.steps]).toEqual([true, 'not-shared-sound', mj.minimizedTraceLength]);
    const html = join(d, 'trace.html');
    const v = await runCli('view', j.trace, '--out', html);
    expect(v.code, v.err).toBe(0);
    expect(existsSync(html)).toBe(true);
  });

  it('a scenario file: checked like a preset, and its trace replays from another directory (the scenario is recorded)', () => {
    const d = tmp();
    const file = join(d, 'mine.json');
    writeFileSync(file, JSON.stringify(MMID_SCENARIOS['slot0-reuse']));
    const out = join(d, 'out');
    const r = spawnCli(['check', '--model', 'mmid', '--scenario', file, '--bug', 'slot0-no-shared', '--json', '--out', out]);
    expect(r.code, r.err).toBe(1);
    const j = JSON.parse(r.out);
    const p = figuresOf(pinnedConfig('mmid', 'bug-slot0-no-shared-page-mapcount'));
    expect(figures(j)).toEqual(p);
    replays(j.trace, p.property!, p.counterexampleLength!, tmp());
  });
});

describe('bad input: one line, exit 2, nothing written', () => {
  it.each([
    [['--set', 'bits=31'], 'mmid: bits must be 64 or 32'],
    [['--set', 'bits=32', '--set', 'countBits=1'], 'mmid: countBits must be an integer in 2..16'],
    [['--set', 'bits=32', '--set', 'countBits=2'], 'too narrow for a folio of 4 pages'],
    [['--set', 'countBits=8'], 'countBits applies to bits=32 only'],
    [['--set', 'frob=1'], "mmid: unknown parameter 'frob'"],
    [['--variant', 'v2'], "mmid: unknown variant 'v2'"],
    [['--bug', 'no-retry'], "mmid: unknown bug 'no-retry'"],
    [['--scenario', 'no-such-preset'], "mmid: unknown scenario 'no-such-preset'"],
    [['--scenario', '{"order": 2, "mms": [{"name": "A"}], "threads": [{"name": "T", "ops": [{"op": "fly", "mm": "A"}]}]}'], 'unknown op "fly"'],
    [['--scenario', '{"order": 10, "mms": [{"name": "A"}], "threads": []}'], 'order 10 must be an integer in 2..9'],
  ])('check --model mmid %j', async (args, expected) => {
    const d = tmp();
    const r = await runCli('check', '--model', 'mmid', ...args, '--out', d);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toContain(expected);
    expect(readdirSync(d)).toEqual([]);
  });

  it('through the bin: no stack trace', () => {
    const r = spawnCli(['check', '--model', 'mmid', '--variant', 'nope', '--out', tmp()]);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toEqual([expect.stringMatching(/^rmapcheck: error: mmid: unknown variant 'nope'/)]);
  });
});
