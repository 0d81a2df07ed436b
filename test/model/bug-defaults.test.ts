/**
 * Issue #9 items 6 and 7: every deliberately broken variant runs, by default, at a configuration
 * where it shows (per variant it applies to; a variant it does not apply to is refused), `models`
 * says which, the manifest pins the verdict of every variant x bug at those defaults, and the
 * audit runs all of them. A `violation` always names its property and has a trace, or says which
 * `sometimes` property was never reached.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { runCli } from '../helpers/cli';
import { pinnedBugDefault, type PinnedCheck, checkFigures } from '../helpers/manifest';
import { MODELS, buildModel } from '../../model/registry';
import { check, replayPath } from '../../checker/check';
import { auditConfigurations } from '../../cli/audit';
import { UsageError } from '../../model/errors';

type Pinned = PinnedCheck;

const tmp = (): string => mkdtempSync(join(tmpdir(), 'rmapcheck-bugdefaults-'));

/** Every (model, bug, variant) the models declare. */
const CASES = MODELS.flatMap((m) => m.bugs.flatMap((b) => b.variants.map((v) => [m.name, b.name, v] as const)));

/** The manifest entry pinning bug `bug` of `model` on `variant` at the bug's defaults. */
function pinnedAt(model: string, bug: string, variant: string): Pinned | undefined {
  if (model !== 'seqcount' && model !== 'rmap' && model !== 'mmid') return undefined;
  return pinnedBugDefault(model, bug, variant);
}

describe('every bug at its own defaults, on every variant it applies to', () => {
  it('each bug declares the variants it applies to (the first is its default) and, per variant, the parameters it runs with', () => {
    for (const m of MODELS)
      for (const b of m.bugs) {
        expect(b.variants.length, `${m.name} ${b.name}`).toBeGreaterThan(0);
        for (const v of b.variants) expect(m.variants).toContain(v);
        expect(Object.keys(b.defaults).sort()).toEqual([...b.variants].sort());
      }
  });

  it.each(CASES)('%s --bug %s --variant %s: a counterexample, pinned in test/manifest.json, that replays', (model, bug, variant) => {
    const m = buildModel(model, { bug, variant });
    const r = check(m, { store: 'full', reduction: false });
    const got: Pinned = checkFigures(r);
    expect(got.verdict).toBe('violation');
    expect(pinnedAt(model, bug, variant)).toEqual(got);
    // the counterexample replays to a state that violates the property
    const states = replayPath(m, r.path!);
    const prop = m.properties.find((p) => p.name === r.property)!;
    expect(prop.holds(states[states.length - 1])).toBe(false);
  });

  it('without --variant a bug runs on its first variant, with that variant\'s defaults', () => {
    for (const m of MODELS)
      for (const b of m.bugs) expect(buildModel(m.name, { bug: b.name }).params, `${m.name} ${b.name}`).toEqual(buildModel(m.name, { bug: b.name, variant: b.variants[0] }).params);
  });

  it('a variant a bug does not apply to is refused with a one-line usage error', () => {
    for (const m of MODELS)
      for (const b of m.bugs)
        for (const v of m.variants.filter((x) => !b.variants.includes(x))) {
          let err: unknown = null;
          try {
            buildModel(m.name, { bug: b.name, variant: v });
          } catch (e) {
            err = e;
          }
          expect(err, `${m.name} ${b.name} ${v}`).toBeInstanceOf(UsageError);
          expect((err as Error).message).not.toContain('\n');
        }
  });

  it('explicit --set values and --scenario override a bug\'s defaults', () => {
    expect(buildModel('seqcount', { bug: 'shared-plain-update', variant: 'v2', set: { writers: '2' } }).params.writers).toBe(2);
    expect(buildModel('seqcount', { bug: 'shared-plain-update', variant: 'v2' }).params.writers).toBe(3);
    expect(buildModel('rmap', { bug: 'no-retry', scenario: 'mapped-shared-vs-map' }).params.scenario).toBe('mapped-shared-vs-map');
    expect(buildModel('rmap', { bug: 'no-retry' }).params.scenario).toBe('torn-values');
  });

  it('the audit runs every variant x bug at the bug\'s defaults, each expected to give a counterexample', () => {
    const configs = auditConfigurations();
    for (const [model, bug, variant] of CASES)
      expect(
        configs.filter((c) => c.model === model && c.bug === bug && c.variant === variant && c.scenario === null && Object.keys(c.set).length === 0 && c.expected === 'counterexample').length,
        `${model} ${bug} ${variant}`,
      ).toBe(1);
  });
});

describe('models says which configuration each bug uses', () => {
  it('--json: variants and per-variant defaults of every bug', async () => {
    const j = JSON.parse((await runCli('models', '--json')).out);
    for (const m of MODELS) {
      const jm = j.find((x: { name: string }) => x.name === m.name);
      for (const b of m.bugs) {
        const jb = jm.bugs.find((x: { name: string }) => x.name === b.name);
        expect(jb.variants).toEqual(b.variants);
        expect(jb.defaults).toEqual(b.defaults);
      }
    }
  });

  it('text: each bug\'s row shows its variants and the parameters it runs with', async () => {
    const text = (await runCli('models')).out;
    const lines = text.split('\n');
    const row = (name: string) => lines.find((l) => l.startsWith(name + ' '))!;
    expect(row('shared-plain-update')).toMatch(/writers=3/);
    expect(row('shared-plain-update')).toMatch(/readers=0/);
    // both models call the ABA bug `aba`: seqcount's row, then rmap's
    const aba = lines.filter((l) => l.startsWith('aba '));
    expect(aba).toHaveLength(2);
    expect(aba[0]).toMatch(/seqBits=1/);
    expect(aba[1]).toMatch(/scenario=torn-values/);
    expect(row('no-exclusive-wait ')).toBeDefined();
    for (const m of MODELS)
      for (const b of m.bugs)
        for (const v of b.variants) {
          const r = lines.filter((l) => l.startsWith(b.name + ' ')).join('\n');
          expect(r, `${m.name} ${b.name}`).toContain(v);
          for (const [k, x] of Object.entries(b.defaults[v] ?? {})) expect(r, `${m.name} ${b.name} ${v}`).toContain(`${k}=${x}`);
        }
  });
});

describe('through the CLI, as a user runs it', () => {
  it.each([
    [['--model', 'seqcount', '--variant', 'v2', '--bug', 'shared-plain-update'], 'no-lost-update'],
    [['--model', 'seqcount', '--variant', 'v3', '--bug', 'shared-plain-update'], 'no-lost-update'],
    [['--model', 'rmap', '--bug', 'aba'], 'linearizable'],
    [['--model', 'rmap', '--bug', 'no-retry'], 'linearizable'],
    [['--model', 'rmap', '--bug', 'no-exclusive-wait'], 'I7'],
    [['--model', 'rmap', '--variant', 'v2', '--bug', 'shared-plain-update'], 'I9'],
  ])('check %j: violation of %s with a trace that replays', async (args, property) => {
    const d = tmp();
    const r = await runCli('check', ...args, '--json', '--out', d);
    expect(r.code, r.err).toBe(1);
    const j = JSON.parse(r.out);
    expect([j.verdict, j.property]).toEqual(['violation', property]);
    expect(j.trace).not.toBeNull();
    const rep = await runCli('replay', j.trace, '--json');
    expect(rep.code).toBe(1);
    const rj = JSON.parse(rep.out);
    expect([rj.reproduced, rj.property, rj.steps]).toEqual([true, property, j.traceLength]);
  });

  it('explore --model rmap --bug aba runs on the bug\'s scenario', async () => {
    const r = await runCli('explore', '--model', 'rmap', '--bug', 'aba', '--seed', '1', '--runs', '50', '--json', '--no-minimize', '--out', tmp());
    expect(JSON.parse(r.out).params.scenario).toBe('torn-values');
  });

  it('a sometimes property never reached: the violation says which, in text and JSON', async () => {
    const d = tmp();
    const args = ['check', '--model', 'rmap', '--bug', 'no-retry', '--scenario', 'mapped-shared-vs-map', '--out', d];
    const j = JSON.parse((await runCli(...args, '--json')).out);
    expect([j.verdict, j.property, j.trace]).toEqual(['violation', 'reader-retried', null]);
    expect(j.reason).toBe('sometimes property reader-retried never reached');
    const t = await runCli(...args);
    expect(t.code).toBe(1);
    expect(t.out).toContain('sometimes property reader-retried never reached');
  });

  it('a bug on a variant it does not apply to: one-line error, exit 2', async () => {
    for (const args of [
      ['--model', 'seqcount', '--variant', 'v2', '--bug', 'no-seqcount'],
      ['--model', 'rmap', '--variant', 'v1', '--bug', 'no-exclusive-wait'],
    ]) {
      const r = await runCli('check', ...args, '--out', tmp());
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toMatch(/^rmapcheck: error: .*(applies to variant|needs seqcount)/);
    }
  });
});
