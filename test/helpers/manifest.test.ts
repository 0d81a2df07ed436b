// The manifest loader (test/helpers/manifest.ts): the file matches its schema, the schema
// refuses what a slip would make of it, and the unified view keeps every pinned value (each
// number and name of the file appears in it, and nothing else).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'fs';
import { MANIFEST_PATH, configsOf, conformPin, conformPins, conformPinsOf, figuresOf, pinnedBugDefault, pinnedChecks, pinnedConfig, pinnedConfigs, pinnedWith, validateManifest } from './manifest';

const raw = (): unknown => JSON.parse(readFileSync(MANIFEST_PATH, 'utf8'));

/** Every leaf value under `x` that is a number (the pinned figures), as sorted strings. */
function numbers(x: unknown): string[] {
  if (typeof x === 'number') return [String(x)];
  if (Array.isArray(x)) return x.flatMap(numbers);
  if (x && typeof x === 'object') return Object.values(x).flatMap(numbers);
  return [];
}

describe('test/manifest.json through its loader', () => {
  it('matches test/manifest.schema.json', () => {
    expect(() => validateManifest(raw())).not.toThrow();
  });

  it.each<[string, (m: any) => void]>([
    ['a figure of the wrong type', (m) => (m.seqcount[0].states = '297')],
    ['a missing figure', (m) => delete m.seqcount[0].transitions],
    ['an unknown key in a check', (m) => (m.seqcount[0].state = 1)],
    ['an unknown verdict', (m) => (m.rmap.bugDefaults['no-retry'].v1.verdict = 'fail')],
    ['a preset with transitions it does not pin', (m) => (m.rmap.presets.livelock.v1.transitions = 1)],
    ['a variant that is not one', (m) => (m.rmap.bugDefaults['no-retry'].V1 = m.rmap.bugDefaults['no-retry'].v1)],
    ['an unknown strategy', (m) => (m.conform.concurrentMutants[0].byStrategy.bfs = { property: 'I1', field: 'seq', traceLength: 1 })],
    ['a negative length', (m) => (m.conform.mutants[0].traceLength = -1)],
    ['an unknown section', (m) => (m.spin = [])],
  ])('the schema refuses %s', (_what, edit) => {
    const m = raw();
    edit(m);
    expect(() => validateManifest(m)).toThrow(/does not match test\/manifest\.schema\.json: \//);
  });

  it('the unified view keeps every pinned number, and adds none', () => {
    const m = raw() as any;
    validateManifest(m);
    const fromFile = numbers(m).sort();
    const pins = conformPinsOf(m);
    // a concurrent mutant's seed is repeated on each of its strategies' pins: count it once
    const seeds = new Map(pins.filter((p) => p.mode === 'concurrent').map((p) => [p.id, p.seed]));
    const viewed = [
      ...numbers(configsOf(m).map(({ model: _m, name: _n, section: _s, params, ...figures }) => ({ params, figures }))),
      ...numbers(pins.map(({ seed, ...rest }) => (rest.mode === 'sequential' ? { seed, ...rest } : rest))),
      ...numbers([...seeds.values()]),
    ].sort();
    expect(viewed).toEqual(fromFile);
  });

  it('names are unique per model, and each pin is found by name and by its parameters', () => {
    for (const c of pinnedConfigs()) {
      expect(pinnedConfig(c.model, c.name)).toBe(c);
      expect(pinnedWith(c.model, c.params, c.section)).toBe(c);
    }
    expect(() => pinnedConfig('seqcount', 'no-such-config')).toThrow(/pins no seqcount configuration named 'no-such-config'/);
  });

  it('every section of every model is presented in the one shape', () => {
    const sections = new Set(pinnedConfigs().map((c) => `${c.model}:${c.section}`));
    expect([...sections].sort()).toEqual(['mmid:mmid.bugs', 'mmid:mmid.configs', 'mmid:mmid.presets', 'rmap:rmap.bugDefaults', 'rmap:rmap.bugs', 'rmap:rmap.presets', 'seqcount:seqcount']);
    // the sections that pin all six figures give them all; the others refuse to pretend
    for (const c of pinnedConfigs(undefined, 'rmap.bugDefaults')) expect(Object.keys(figuresOf(c)).length).toBe(6);
    for (const c of pinnedConfigs('seqcount')) expect(Object.keys(figuresOf(c)).length).toBe(6);
    const preset = pinnedConfigs('rmap', 'rmap.presets')[0];
    expect(() => figuresOf(preset)).toThrow(/does not pin every figure/);
    expect(() => pinnedChecks('rmap')).toThrow(/does not pin every figure/);
    expect(pinnedChecks('seqcount').map((c) => c.name)).toEqual(pinnedConfigs('seqcount').map((c) => c.name));
  });

  it('bug defaults of both models are found the same way', () => {
    const m = raw() as any;
    expect(pinnedBugDefault('rmap', 'no-retry', 'v1')).toEqual(m.rmap.bugDefaults['no-retry'].v1);
    const row = m.seqcount.find((e: any) => e.params.bug === 'no-retry' && e.params.variant === 'v2' && Object.keys(e.params).length === 2);
    const { name: _n, params: _p, ...figures } = row;
    expect(pinnedBugDefault('seqcount', 'no-retry', 'v2')).toEqual(figures);
    expect(pinnedBugDefault('seqcount', 'no-such-bug', 'v1')).toBeUndefined();
  });

  it('conformance pins: one per sequential mutant, one per concurrent mutant and strategy', () => {
    const m = raw() as any;
    expect(conformPins('sequential').map((p) => p.id)).toEqual(m.conform.mutants.map((x: any) => x.id));
    const perStrategy = m.conform.concurrentMutants.reduce((a: number, x: any) => a + Object.keys(x.byStrategy).length, 0);
    expect(conformPins('concurrent').length).toBe(perStrategy);
    const first = m.conform.concurrentMutants[0];
    const [strategy, p] = Object.entries(first.byStrategy)[0] as [any, any];
    expect(conformPin(first.id, strategy)).toMatchObject({ mode: 'concurrent', strategy, seed: first.seed, ...p });
    expect(() => conformPin(first.id)).toThrow(/pins no conformance mutant/);
  });
});
