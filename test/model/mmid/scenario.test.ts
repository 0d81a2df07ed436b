/**
 * mmid scenarios as data (docs/scenarios.md, "mmid model scenarios"): every preset parses, bad
 * scenarios are refused with one line naming the problem, and the ops the presets do not use
 * (new folio, PMD map and fork, pins) run and keep every property, also on a folio of order 9.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'fs';
import { join } from 'path';
import { check } from '../../../checker/check';
import { explore } from '../../../checker/random/explore';
import { UsageError } from '../../../model/errors';
import { MMID_SCENARIOS, MMID_SCENARIO_NAMES, mmidModel, parseMmidScenario } from '../../../model/mmid';

const A = [{ name: 'A' }];

describe('mmid scenario parsing', () => {
  it('docs/scenarios.md: its mmidModel call builds what it says, and its example is the preset', () => {
    const doc = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'scenarios.md'), 'utf8');
    const part = doc.slice(doc.indexOf('# mmid model scenarios'));
    const call = /`(mmidModel\(\{[^`]*\}\))`/.exec(part)![1];
    const m = new Function('mmidModel', `return ${call}`)(mmidModel);
    expect(m.params).toEqual({ scenario: 'worker-pool', variant: 'no-page-mapcount', bits: 32, countBits: 16, bug: 'none' });
    const example = JSON.parse(/```json\n([\s\S]*?)```/.exec(part)![1]);
    const { description: _d, ...preset } = MMID_SCENARIOS['fork-child-exit'] as Record<string, unknown>;
    expect(example).toEqual(preset);
  });

  it('every preset parses, and its name is its file name', () => {
    for (const n of MMID_SCENARIO_NAMES) expect(parseMmidScenario(MMID_SCENARIOS[n], n).name).toBe(n);
  });

  it.each<[string, unknown, string]>([
    ['not an object', [], 'must be a JSON object'],
    ['an unknown top field', { order: 2, mms: A, threads: [], colour: 1 }, 'unknown field "colour"'],
    ['an order out of range', { order: 1, mms: A, threads: [] }, 'order 1 must be an integer in 2..9'],
    ['no MMs', { order: 2, mms: [], threads: [] }, 'mms must be a non-empty list'],
    ['an MM twice', { order: 2, mms: [{ name: 'A' }, { name: 'A' }], threads: [] }, 'MM "A" is listed twice'],
    ['an unknown MM', { order: 2, mms: A, threads: [{ name: 'T', ops: [{ op: 'map', mm: 'B' }] }] }, 'unknown MM "B"'],
    ['pages outside the folio', { order: 2, mms: A, threads: [{ name: 'T', ops: [{ op: 'map', mm: 'A', page: 3, n: 2 }] }] }, 'pages 3..4 are outside'],
    ['an unknown op field', { order: 2, mms: A, threads: [{ name: 'T', ops: [{ op: 'map', mm: 'A', pages: 2 }] }] }, 'unknown field "pages"'],
    ['an initial mapping of an MM not yet live', { order: 2, mms: [{ name: 'A', live: false }], initial: [{ mm: 'A', ptes: 1 }], threads: [{ name: 'T', ops: [{ op: 'pin' }] }] }, 'is not live at the start'],
    ['a fork to itself', { order: 2, mms: A, threads: [{ name: 'T', ops: [{ op: 'fork', from: 'A', to: 'A' }] }] }, 'fork from "A" to itself'],
    ['new-folio not first', { order: 2, mms: A, threads: [{ name: 'T', ops: [{ op: 'pin' }, { op: 'new-folio', mm: 'A' }] }] }, "new-folio must be a thread's first op"],
    ['a writer beside a migration', { order: 2, mms: A, initial: [{ mm: 'A', ptes: 1 }], threads: [{ name: 'T', ops: [{ op: 'migrate' }] }, { name: 'U', ops: [{ op: 'map', mm: 'A', page: 1 }] }] }, 'must only read'],
    ['an unknown sometimes property', { order: 2, mms: A, threads: [{ name: 'T', ops: [{ op: 'pin' }] }], notReached: ['nope'] }, 'notReached must be a list'],
    ['an expect on an unknown variant', { order: 2, mms: A, threads: [{ name: 'T', ops: [{ op: 'pin' }] }], expect: { 'warn-cow-entire': ['v2'] } }, 'expect must map property names'],
  ])('refuses %s with one line', (_what, data, message) => {
    let err: unknown = null;
    try {
      mmidModel({ scenario: data as object });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toContain(message);
    expect((err as Error).message).not.toContain('\n');
  });
});

describe('ops beyond the presets', () => {
  it('a new folio (visible only to its thread until its PTEs are set), forked into a new MM, with a PMD map/unmap, a pin and a COW fault', () => {
    const scenario = {
      order: 2,
      mms: [{ name: 'A' }, { name: 'B', live: false }],
      threads: [
        { name: 'T0', ops: [{ op: 'new-folio', mm: 'A', n: 2 }, { op: 'create', mm: 'B' }, { op: 'fork', from: 'A', to: 'B', page: 1 }, { op: 'exit', mm: 'B' }] },
        { name: 'T1', ops: [{ op: 'pin' }, { op: 'unpin' }] },
        { name: 'R0', ops: [{ op: 'cow', mm: 'A', page: 0 }] },
      ],
    };
    for (const variant of ['page-mapcount', 'no-page-mapcount']) {
      const r = check(mmidModel({ scenario, variant }), {});
      expect([r.verdict, r.property, r.unreached], variant).toEqual(['ok', null, []]);
    }
    const pmd = { order: 2, mms: [{ name: 'A' }, { name: 'B', live: false }], initial: [{ mm: 'A', pmd: true }], threads: [{ name: 'T0', ops: [{ op: 'create', mm: 'B' }, { op: 'fork', from: 'A', to: 'B', pmd: true }, { op: 'unmap-pmd', mm: 'A' }, { op: 'map-pmd', mm: 'A' }] }, { name: 'R0', ops: [{ op: 'maybe-shared' }] }] };
    const r = check(mmidModel({ scenario: pmd, variant: 'no-page-mapcount' }), {});
    expect([r.verdict, r.property]).toEqual(['ok', null]);
  });

  it('an op that can never run ends in a deadlock (an unmap of a PTE nobody maps)', () => {
    const r = check(mmidModel({ scenario: { order: 2, mms: A, initial: [{ mm: 'A', ptes: 1 }], threads: [{ name: 'T0', ops: [{ op: 'unmap', mm: 'A', page: 1 }] }] } }), {});
    expect([r.verdict, r.property]).toEqual(['violation', 'deadlock']);
  });

  it('order 9 (P = 512): fork of a 256-PTE batch, exit and COW run at random with every property kept', async () => {
    const scenario = { order: 9, mms: [{ name: 'P' }, { name: 'C', live: false }], initial: [{ mm: 'P', ptes: 256 }], threads: [{ name: 'T0', ops: [{ op: 'create', mm: 'C' }, { op: 'fork', from: 'P', to: 'C', n: 256 }, { op: 'exit', mm: 'C' }] }, { name: 'R0', ops: [{ op: 'cow', mm: 'P', page: 7 }] }] };
    const r = await explore(mmidModel({ scenario }), { strategy: 'random', seed: 1n, runs: 30 });
    expect([r.verdict, r.property]).toEqual(['ok', null]);
    expect(r.executions).toBe(30);
  });
});
