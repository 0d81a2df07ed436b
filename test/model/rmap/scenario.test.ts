/** Scenario and parameter validation: one test per bad input, each a one-line UsageError. */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../model/errors';
import { PRESET_NAMES, PRESET_SCENARIOS, rmapModel, type ScenarioJson } from '../../../model/rmap';
import { oneLineError } from '../../helpers/errors';
import { smallScenario } from '../../helpers/scenarios';

const base = () => smallScenario();

const err = oneLineError;

const bad = (edit: (s: ScenarioJson & Record<string, unknown>) => void): string => {
  const s = base() as ScenarioJson & Record<string, unknown>;
  edit(s);
  return err(() => rmapModel({ scenario: s }));
};

describe('rmap scenario validation', () => {
  it('accepts the base scenario and every preset', () => {
    expect(rmapModel({ scenario: base() }).threads).toEqual(['W0', 'R0']);
    for (const p of PRESET_NAMES) expect(rmapModel({ scenario: p }).name).toBe('rmap');
  });
  it('unknown MM', () => {
    expect(bad((s) => (s.threads[0].ops = [{ op: 'map', mm: 'Z' }]))).toMatch(/unknown MM "Z"/);
  });
  it('rmap ID out of range (0 is init_mm)', () => {
    expect(bad((s) => (s.mms[0].rmapId = 0))).toMatch(/rmap ID 0 is out of range 1\.\.16777215/);
  });
  it('rmap ID too large for the scheme', () => {
    expect(bad((s) => (s.mms[0].rmapId = 2 ** 24))).toMatch(/out of range/);
  });
  it('duplicated rmap ID', () => {
    expect(bad((s) => (s.mms[1].rmapId = 1))).toMatch(/"A" and "B" have the same rmap ID 1/);
  });
  it('duplicated MM name', () => {
    expect(bad((s) => (s.mms[1].name = 'A'))).toMatch(/MM "A" is listed twice/);
  });
  it('more mappings than pages', () => {
    expect(bad((s) => (s.threads[0].ops = [{ op: 'map', mm: 'B', n: 3, page: 1 }]))).toMatch(/more mappings than pages: up to 5 mappings of a folio of 4 pages/);
  });
  it('PMD remap may reach P + 1, but not more', () => {
    const ok = base();
    ok.initial = [{ mm: 'A', pmd: true }];
    ok.threads = [
      { name: 'W0', ops: [{ op: 'remap-pmd', mm: 'A' }] },
      { name: 'R0', ops: [{ op: 'mapped-shared', mm: 'A' }] },
    ];
    expect(rmapModel({ scenario: ok }).sc.pages).toBe(4);
    ok.initial = [{ mm: 'A', pmd: true }, { mm: 'B', ptes: 1, page: 0 }];
    expect(err(() => rmapModel({ scenario: ok }))).toMatch(/more mappings than pages/);
  });
  it('unknown op', () => {
    expect(bad((s) => ((s.threads[0].ops as unknown[]) = [{ op: 'mprotect', mm: 'A' }]))).toMatch(/unknown op "mprotect"/);
  });
  it('unmap of more than the MM holds', () => {
    expect(bad((s) => (s.threads[0].ops = [{ op: 'unmap', mm: 'B', n: 1, page: 2 }]))).toMatch(/can go below 0/);
  });
  it('a reader whose MM may stop mapping the folio', () => {
    expect(bad((s) => (s.threads[0].ops = [{ op: 'unmap', mm: 'A', n: 2, page: 0 }]))).toMatch(/needs MM "A"'s mappings to stay mapped/);
  });
  it('pages outside the folio', () => {
    expect(bad((s) => (s.threads[0].ops = [{ op: 'map', mm: 'B', n: 2, page: 3 }]))).toMatch(/pages 3\.\.4 are outside the folio's 4 pages/);
  });
  it('order out of range', () => {
    expect(bad((s) => (s.order = 10))).toMatch(/order 10 must be an integer in 2\.\.9/);
  });
  it('unknown seqcount variant', () => {
    expect(bad((s) => ((s as Record<string, unknown>).seqcount = 'v4'))).toMatch(/seqcount "v4" must be one of v1, v2, v3/);
  });
  it('seqBits out of range', () => {
    expect(bad((s) => (s.seqBits = 0))).toMatch(/seqBits 0 must be an integer in 1\.\.48/);
  });
  it('invalid custom scheme', () => {
    expect(bad((s) => (s.scheme = { values: 1, chunkBits: 6, bound: 2, wordBits: 14, idBits: 6 }))).toMatch(/invalid scheme: bound 2 < P = 4/);
  });
  it('unknown top-level field', () => {
    expect(bad((s) => (s.colour = 'red'))).toMatch(/unknown field "colour"/);
  });
  it('a repeating thread must undo its own changes', () => {
    expect(bad((s) => (s.threads[0].repeat = true))).toMatch(/repeats but does not undo/);
  });
  it('new-anon needs an unmapped folio', () => {
    expect(bad((s) => (s.threads[0].ops = [{ op: 'new-anon', mm: 'B', n: 1, page: 3 }]))).toMatch(/new-anon needs an unmapped folio/);
  });
  it('swapcache-del without an add', () => {
    expect(bad((s) => (s.threads[0].ops = [{ op: 'swapcache-del' }]))).toMatch(/swapcache-del without a swapcache-add/);
  });
  it('unknown notReached property', () => {
    expect(bad((s) => (s.notReached = ['sunrise']))).toMatch(/notReached must be a list/);
  });
});

describe('rmap parameters', () => {
  it('unknown scenario', () => {
    expect(err(() => rmapModel({ scenario: 'no-such-preset' }))).toMatch(/unknown scenario 'no-such-preset' \(presets: /);
  });
  it('unknown bug', () => {
    expect(err(() => rmapModel({ bug: 'typo' }))).toMatch(/unknown bug 'typo'/);
  });
  it('unknown parameter', () => {
    expect(err(() => rmapModel({ threads: 3 }))).toMatch(/unknown parameter 'threads'/);
  });
  it('unknown variant', () => {
    expect(err(() => rmapModel({ variant: 'v9' }))).toMatch(/unknown seqcount variant 'v9'/);
  });
  it('seqBits out of range', () => {
    expect(err(() => rmapModel({ seqBits: 99 }))).toMatch(/seqBits must be an integer in 0\.\.48/);
  });
  it('no-exclusive-wait needs an exclusive writer', () => {
    expect(err(() => rmapModel({ bug: 'no-exclusive-wait', variant: 'v1' }))).toMatch(/needs seqcount v2 or v3/);
  });
  it('invalid JSON text', () => {
    expect(err(() => rmapModel({ scenario: '{ "order": ' }))).toMatch(/not valid JSON/);
  });
  it('params are recorded so that a trace rebuilds the same model', () => {
    const m = rmapModel({ scenario: 'livelock', variant: 'v2', p20: true });
    expect(m.params).toEqual({ scenario: 'livelock', variant: 'v2', p20: true, seqBits: 2, bug: 'none' });
    const again = rmapModel(m.params);
    expect(again.key(again.initStates()[0])).toBe(m.key(m.initStates()[0]));
    const inline = rmapModel({ scenario: PRESET_SCENARIOS['cow-vs-unmap'] as ScenarioJson });
    expect(rmapModel(inline.params).params).toEqual(inline.params);
  });
  it('reads the old name of variant (traces recorded before the rename), records the new one', () => {
    const old = rmapModel({ scenario: 'livelock', seqcount: 'v3' });
    expect(old.params).toEqual(rmapModel({ scenario: 'livelock', variant: 'v3' }).params);
    expect(old.params).not.toHaveProperty('seqcount');
    expect(old.sc.layout.variant).toBe('v3');
    expect(err(() => rmapModel({ seqcount: 'v1', variant: 'v2' }))).toMatch(/parameter 'seqcount' is the old name of 'variant': give one/);
  });
  it('names the renamed bug', () => {
    expect(err(() => rmapModel({ bug: 'narrow-seq' }))).toMatch(/bug 'narrow-seq' is now called 'aba'/);
  });
});
