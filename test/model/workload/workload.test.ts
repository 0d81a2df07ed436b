/** The workload format (shape errors in one line), the presets folder, and the ground truth's
 *  one-line errors for histories that cannot happen. */
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'fs';
import { describeOp, parseWorkloadText, toWorkload } from '../../../model/workload/workload';
import { WORKLOAD_PRESET_NAMES, workloadPresets, workloadsDir } from '../../../model/workload/presets';
import { runHistory } from '../../../model/workload/history';
import { oneLineError } from '../../helpers/errors';

const base = { name: 'w', order: 4, folio: 'anon' };
// the shared helper: a one-line UsageError
const err = oneLineError;

describe('workload format', () => {
  it('every file in workloads/ is a preset, in the listed order, and each history is valid', () => {
    expect(readdirSync(workloadsDir()).filter((f) => f.endsWith('.json')).sort()).toEqual(WORKLOAD_PRESET_NAMES.map((n) => `${n}.json`).sort());
    for (const w of workloadPresets()) {
      const h = runHistory(w);
      expect(h.events.some((e) => e.e === 'read'), `${w.name} has reader calls`).toBe(true);
    }
    // the four, and every P of the family
    expect(WORKLOAD_PRESET_NAMES).toEqual(expect.arrayContaining(['double-fork', 'worker-pool', 'file-three-mms', 'file-several-vmas']));
    expect(new Set(workloadPresets().map((w) => 2 ** w.order))).toEqual(new Set([4, 16, 512]));
  });

  it('names every shape problem, in one line', () => {
    expect(err(() => toWorkload([], 'f.json'))).toBe('f.json: a workload must be a JSON object { name, description, order, folio, ops }');
    expect(err(() => toWorkload({ ...base, ops: [] }, 'f'))).toBe('f: workload "ops" must be a non-empty list of operations');
    expect(err(() => toWorkload({ ...base, order: 10, ops: [{ op: 'new', mm: 'A' }] }, 'f'))).toBe('f: workload "order" must be an integer in 2..9');
    const m = err(() => toWorkload({ ...base, extra: 1, ops: [{ op: 'new', mm: 'A', x: 1 }, { op: 'map', mm: 'A', start: 14, count: 4 }, { op: 'zap' }] }, 'f'));
    expect(m).toContain('4 problems');
    expect(m).toContain('unknown field "extra"');
    expect(m).toContain('op 0 (new) has an unknown field "x"');
    expect(m).toContain('op 1 (map) pages 14..17 are beyond the folio\'s P = 16');
    expect(m).toContain('op 2 unknown op "zap"');
    expect(m).not.toContain('\n');
    expect(err(() => parseWorkloadText('{"name": "w", "order": 4,', 'g.json'))).toMatch(/^g\.json: not valid JSON/);
  });

  it('a history that cannot happen is refused, naming the operation', () => {
    const w = (ops: unknown[], folio = 'anon') => toWorkload({ ...base, folio, ops }, 'f');
    expect(err(() => runHistory(w([{ op: 'read', mm: 'A' }]), 'f'))).toBe('f: workload w: op 0 (read by A): the folio is not allocated (a "new" first)');
    expect(err(() => runHistory(w([{ op: 'new', mm: 'A', pages: 4 }, { op: 'unmap', mm: 'A', start: 3, count: 2 }]), 'f'))).toBe('f: workload w: op 1 (unmap A pages 3..4): A does not map page 4');
    expect(err(() => runHistory(w([{ op: 'new', mm: 'A' }, { op: 'fork', parent: 'A', child: 'A' }]), 'f'))).toContain('MM A exists already');
    expect(err(() => runHistory(w([{ op: 'new', mm: 'A' }, { op: 'cow', mm: 'A', page: 0 }], 'file'), 'f'))).toContain('always copies');
    expect(err(() => runHistory(w([{ op: 'new', mm: 'A', pmd: true }]), 'f'))).toContain('a PMD maps a folio of order 9 only');
    expect(err(() => runHistory(w([{ op: 'new', mm: 'A' }, { op: 'mm', mm: 'B', id: 1 }]), 'f'))).toContain('id 1 is held by a live MM');
  });

  it('describes operations in words', () => {
    expect(describeOp({ op: 'fork', parent: 'P', child: 'C1' })).toBe('fork P -> C1');
    expect(describeOp({ op: 'unmap', mm: 'C', start: 0, count: 4 })).toBe('unmap C pages 0..3');
    expect(describeOp({ op: 'read' })).toBe('read by every MM');
  });

  it('fork gives the child its own lowest free id; exit frees it for a later MM', () => {
    const h = runHistory(toWorkload({ ...base, ops: [{ op: 'new', mm: 'P' }, { op: 'fork', parent: 'P', child: 'C' }, { op: 'exit', mm: 'C' }, { op: 'fork', parent: 'P', child: 'D' }, { op: 'read' }] }, 'f'));
    const adds = h.events.filter((e) => e.e === 'add').map((e) => (e as { id: number }).id);
    expect(adds).toEqual([2, 2]); // C and then D: id 2, reused
    expect(h.figures()).toEqual({ mms: 3, maxConcurrentMms: 2, forkDepth: 1 });
  });
});
