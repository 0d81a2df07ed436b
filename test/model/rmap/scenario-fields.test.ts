// Scenario files: an unknown field anywhere (inside an op, a thread, an MM, an initial mapping)
// is refused like an unknown top-level field, in one line naming the field and where it is; a
// typo such as "pages" for "page" must not silently map page 0.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { rmapModel, PRESET_SCENARIOS, type ScenarioJson } from '../../../model/rmap';
import { oneLineError } from '../../helpers/errors';
import { runCli, ROOT } from '../../helpers/cli';
import { smallScenario } from '../../helpers/scenarios';

const base = () => smallScenario([{ op: 'pin' }, { op: 'map', mm: 'B', n: 1, page: 2 }, { op: 'unpin' }]);

/** The error for the base scenario with `edit` applied. */
function refusal(edit: (s: Record<string, any>) => void): string {
  const s = base();
  edit(s);
  return oneLineError(() => rmapModel({ scenario: s }));
}

describe('unknown fields inside a scenario', () => {
  it('the base scenario and every preset and shipped scenario file are accepted', () => {
    expect(rmapModel({ scenario: base() }).threads).toEqual(['W0', 'R0']);
    for (const name of Object.keys(PRESET_SCENARIOS)) expect(rmapModel({ scenario: name }).name).toBe('rmap');
    for (const f of readdirSync(join(ROOT, 'scenarios')).filter((x) => x.endsWith('.json'))) expect(rmapModel({ scenario: join(ROOT, 'scenarios', f) }).name).toBe('rmap');
  });

  it.each<[string, (s: Record<string, any>) => void, string]>([
    ['a typo in a map op', (s) => (s.threads[0].ops[1] = { op: 'map', mm: 'B', pages: 2 }), 'thread "W0" op 1 (map): unknown field "pages" (fields: op, mm, n, page)'],
    ['a field of another op', (s) => (s.threads[1].ops[0].page = 0), 'thread "R0" op 0 (mapped-shared): unknown field "page" (fields: op, mm)'],
    ['a field on an op without operands', (s) => (s.threads[0].ops[0].mm = 'A'), 'thread "W0" op 0 (pin): unknown field "mm" (fields: op)'],
    ['a fork with a count', (s) => s.threads[0].ops.splice(1, 0, { op: 'fork', from: 'A', to: 'B', n: 2 }), 'thread "W0" op 1 (fork): unknown field "n" (fields: op, from, to, page, pmd)'],
    ['an unknown thread field', (s) => (s.threads[1].repeats = true), 'thread "R0": unknown field "repeats" (fields: name, ops, repeat)'],
    ['an unknown MM field', (s) => (s.mms[1].id = 7), 'MM "B": unknown field "id" (fields: name, rmapId)'],
    ['an unknown initial field', (s) => (s.initial[0].pte = 1), 'initial[0]: unknown field "pte" (fields: mm, ptes, page, pmd)'],
  ])('%s', (_name, edit, expected) => {
    expect(refusal(edit)).toBe(`scenario inline: ${expected}`);
  });

  it('through the CLI: check --scenario FILE says which op, exit 2, no trace written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rmapcheck-scenario-'));
    const s = base();
    s.name = 'typo';
    (s.threads[0].ops[1] as Record<string, unknown>).count = 1;
    const file = join(dir, 'typo.json');
    writeFileSync(file, JSON.stringify(s));
    const r = await runCli('check', '--model', 'rmap', '--scenario', file, '--out', join(dir, 'out'));
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toBe('rmapcheck: error: scenario typo: thread "W0" op 1 (map): unknown field "count" (fields: op, mm, n, page)\n');
    expect(readdirSync(dir)).toEqual(['typo.json']);
  });
});
