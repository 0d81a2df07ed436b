/** Compare traces: written, read back with every field checked, replayed on the reference
 *  (rmap-ID on model/folio.ts); bad, truncated and other-version files are one-line errors. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'fs';
import { join } from 'path';
import { WIP_V1 } from '../../../model/scheme';
import { parseWorkloadText } from '../../../model/workload/workload';
import { workloadPreset } from '../../../model/workload/presets';
import { compareOne, runDesign, schemeFor } from '../../../checker/compare/run';
import { MmIdDesign } from '../../../checker/compare/designs';
import { buildCompareTrace, compareSteps, compareTraceName, parseCompareTrace, replayCompare, serializeCompareTrace } from '../../../checker/compare/trace';
import type { CowEvent } from '../../../model/workload/history';
import { oneLineError } from '../../helpers/errors';

const fixture = parseWorkloadText(readFileSync(join(__dirname, 'false-exclusive-order9.json'), 'utf8'), 'fixture');

function traceOf(name: string, design: 0 | 1, kind: string) {
  const w = name === fixture.name ? fixture : workloadPreset(name);
  const scheme = schemeFor(WIP_V1, w.order);
  const calls = compareOne(w, WIP_V1).passes[design].disagreements.filter((d) => d.kind === kind);
  return buildCompareTrace(w, design === 0 ? 'rmap-id' : 'mm-id', scheme, 'preset', null, calls);
}

// the shared helper: a one-line UsageError
const err = oneLineError;

describe('compare traces', () => {
  it('round trip: the rmap-ID false "exclusive" of the order-9 wrap-around replays on the reference', () => {
    const t = traceOf(fixture.name, 0, 'falseExclusive');
    expect(t.calls).toEqual([{ kind: 'falseExclusive', op: 9, call: 0, mm: 'q', answer: 'exclusive', truth: 'shared', rule: 'values match' }]);
    const text = serializeCompareTrace(t);
    const { trace, scheme } = parseCompareTrace(text, 't.json');
    expect(trace).toEqual(t);
    expect(replayCompare(trace, scheme, 't.json')).toMatchObject({ reproduced: true, confirmed: [true] });
    // ... and the COW reuse it grants is unsafe; mm-id copies there (SHARED set)
    expect(traceOf(fixture.name, 0, 'wrongReuse').calls.map((c) => [c.op, c.answer, c.truth])).toEqual([[11, 'reuse', 'copy']]);
    expect(compareOne(fixture, WIP_V1).passes[1].disagreements).toEqual([]);
    expect(compareTraceName(t)).toMatch(/^compare-false-exclusive-order9-rmap-id-falseExclusive-[0-9a-f]{12}\.json$/);
  });

  it('a recorded call that does not happen is not reproduced; the step table shows each call', () => {
    const t = traceOf('double-fork', 1, 'falseShared');
    expect(t.workload.ops.length).toBe(t.calls[t.calls.length - 1].op + 1);
    const scheme = schemeFor(WIP_V1, t.workload.order);
    expect(replayCompare(t, scheme, 't').reproduced).toBe(true);
    const moved = { ...t, calls: t.calls.map((c, i) => (i === 0 ? { ...c, op: 1, call: 0 } : c)) };
    expect(replayCompare(moved, scheme, 't')).toMatchObject({ reproduced: false, confirmed: [false, true, true] });
    const steps = compareSteps(t, scheme, 't');
    expect(steps.length).toBe(t.workload.ops.length);
    expect(steps[7]).toMatchObject({ op: 7, operation: 'read by C2', calls: [{ mm: 'C2', answer: 'shared', truth: 'exclusive', rule: 'SHARED set' }] });
    expect(steps[7].truth).toBe('C2(3): 16 PTEs; refcount 16');
    expect(steps[7].state).toEqual({ total: '16', slot0: '(0, 0)', slot1: '(0, 0)', SHARED: 'set' });
  });

  it('refuses bad, truncated, other-version and tampered files in one line', () => {
    const text = serializeCompareTrace(traceOf('double-fork', 1, 'falseShared'));
    const j = JSON.parse(text);
    const m = (x: unknown) => err(() => parseCompareTrace(typeof x === 'string' ? x : JSON.stringify(x), 'f.json'));
    expect(m(text.slice(0, text.length / 2))).toMatch(/^f\.json: not valid JSON/);
    expect(m({ ...j, formatVersion: 3 })).toBe('f.json: a compare trace of format version 3; this rmapcheck 0.1.0 reads version 4 only');
    expect(m({ ...j, kind: 'subid' })).toMatch(/not a compare trace/);
    const { calls: _calls, ...noCalls } = j;
    expect(m(noCalls)).toBe('f.json: compare trace has no "calls" (truncated?)');
    expect(m({ ...j, design: 'x' })).toBe('f.json: compare trace "design" must be one of rmap-id, mm-id');
    expect(m({ ...j, calls: [{ ...j.calls[0], op: 99 }] })).toMatch(/op 99 is beyond the workload's 13 operations/);
    expect(m({ ...j, workload: { ...j.workload, ops: [{ op: 'zap' }] } })).toMatch(/^f\.json: "workload": workload op 0 unknown op "zap"/);
    expect(m({ ...j, scheme: { ...j.scheme, values: 0 } })).toMatch(/"scheme"/);
    for (const bad of [text.slice(0, 40), '{}', '[]']) expect(m(bad)).not.toContain('\n');
  });

  it('a sanity check that fires is counted and listed (mm-id step 3, an entire mapping seen by the PTE path)', () => {
    const d = new MmIdDesign(16);
    d.track({ e: 'new', id: 1, n: 16 });
    const ev: CowEvent = { e: 'cow', op: 0, mm: 'A', id: 1, page: 0, refcount: 16, entire: 1, swapRefs: 0, locked: false, shared: false, oracleReuse: true };
    const p = runDesign(d, [ev]);
    expect([p.warnings, p.cowDecisions]).toEqual([1, 1]);
    expect(p.disagreements).toEqual([{ kind: 'warning', op: 0, call: 0, mm: 'A', answer: '3: entire mapcount 1 != 0', truth: 'no warning', rule: '11: reuse' }]);
  });
});
