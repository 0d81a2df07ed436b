/**
 * The mmid model (issue 12, "The model"): every pinned configuration of test/manifest.json
 * (each preset x variant, each bug x variant, the 32-bit configurations) checked again through
 * the library, with every counterexample replayed; a critical section run alone in the concurrent
 * model against tracking.ts's sequential result; the precision claims; the facts the presets are
 * there to show (id reuse, a false "maybe shared" cleared by migration, a SHARED bit lost by the
 * plain unlock of a broken variant).
 */
import { describe, expect, it } from 'vitest';
import { check, replayPath } from '../../../checker/check';
import { findModel } from '../../../model/registry';
import { MMID_BUGS, MMID_SCENARIOS, MMID_SCENARIO_NAMES, MMID_VARIANTS, expectedFindings, mmidModel, parseMmidScenario, type MmidModel, type MmidState } from '../../../model/mmid';
import { F_FOREIGN } from '../../../model/mmid/state';
import { insAt } from '../../../model/mmid/step';
import { addMappings, removeMappings, type MmOwnerState } from '../../../model/mmid/tracking';
import { checkFigures, figuresOf, pinnedConfigs } from '../../helpers/manifest';

const pins = pinnedConfigs('mmid');

/** Every state reachable from the initial one (BFS over the model itself). */
function reachable(m: MmidModel): MmidState[] {
  const s0 = m.initStates()[0];
  const seen = new Set([m.key(s0)]);
  const out = [s0];
  for (let i = 0; i < out.length; i++)
    for (const a of m.actions(out[i])) {
      const t = m.next(out[i], a);
      const k = m.key(t);
      if (!seen.has(k)) {
        seen.add(k);
        out.push(t);
      }
    }
  return out;
}

describe('mmid pins (test/manifest.json), through the library', () => {
  it('pins every preset on every variant, every bug on every variant, and the 32-bit configurations', () => {
    for (const sc of MMID_SCENARIO_NAMES) for (const v of MMID_VARIANTS) expect(pins.some((p) => p.section === 'mmid.presets' && p.params.scenario === sc && p.params.variant === v), `${sc} ${v}`).toBe(true);
    for (const b of MMID_BUGS) for (const v of b.variants) expect(pins.some((p) => p.section === 'mmid.bugs' && p.params.bug === b.name && p.params.variant === v), `${b.name} ${v}`).toBe(true);
    expect(pins.filter((p) => p.section === 'mmid.configs' && p.params.bits === 32).length).toBeGreaterThan(0);
  });

  it.each(pins.map((p) => [p.name, p] as const))('%s', (_n, pin) => {
    const m = findModel('mmid').build(pin.params) as MmidModel;
    const r = check(m, { store: 'full', reduction: false });
    expect(checkFigures(r)).toEqual(figuresOf(pin));
    if (r.verdict === 'ok') {
      // no sometimes property left unreached: the check did not pass vacuously
      expect(r.unreached).toEqual([]);
      return;
    }
    // the expected property: the bug's declared one, or a finding the scenario file records
    const expected = pin.section === 'mmid.bugs' ? [MMID_BUGS.find((b) => b.name === pin.params.bug)!.property] : expectedFindings(m.sc, m.variant);
    expect(expected).toContain(r.property);
    const states = replayPath(m, r.path!);
    const prop = m.properties.find((p) => p.name === r.property)!;
    expect(prop.holds(states[states.length - 1])).toBe(false);
    expect(states.slice(0, -1).every((s) => prop.holds(s))).toBe(true);
  });
});

describe('a critical section alone in the concurrent model is tracking.ts\'s', () => {
  /** Runs thread 0's critical section (from its lock step to the end of its unlock) on `view`. */
  function runSection(m: MmidModel, view: MmOwnerState): MmOwnerState {
    const prog = m.programs[0];
    const lockPc = prog.ins.findIndex((i) => i.kind === 'lock');
    const s0 = m.initStates()[0];
    let s: MmidState = { ...s0, ...view, th: s0.th.map((x, k) => (k === 0 ? { ...x, pc: lockPc } : x)) };
    let steps = 0;
    while (insAt(m, 0, s.th[0].pc)?.holds || s.th[0].pc === lockPc) {
      const a = m.actions(s).find((x) => x.thread === 0)!;
      s = m.next(s, a);
      steps++;
    }
    expect(s.lock).toBe(false);
    // lock, atomic_read(total), one step per store, the unlock's read and store
    expect(steps).toBeGreaterThanOrEqual(5);
    return { total: s.total, ids: s.ids, counts: s.counts, shared: s.shared };
  }

  // MM ids as the initial state allocates them: A = 1, B = 2, C = 3
  const mms = [{ name: 'A' }, { name: 'B' }, { name: 'C' }];
  const base = { order: 2, mms, initial: [{ mm: 'A', ptes: 4 }, { mm: 'B', ptes: 4 }, { mm: 'C', ptes: 4 }] };
  const views: MmOwnerState[] = [];
  const idChoices: [number, number][] = [[0, 0], [1, 0], [0, 2], [1, 2], [2, 1], [3, 1], [0, 3]];
  for (const ids of idChoices)
    for (const c0 of ids[0] ? [1, 2, 3] : [0])
      for (const c1 of ids[1] ? [1, 2, 4] : [0])
        for (const extra of [0, 1, 3])
          for (const shared of [false, true]) if (c0 + c1 + extra > 0) views.push({ total: c0 + c1 + extra, ids, counts: [c0, c1], shared });

  it.each(MMID_VARIANTS)('add n for B on many states (%s)', (variant) => {
    let n = 0;
    for (const page of [0, 1])
      for (const batch of [1, 2]) {
        const m = mmidModel({ variant, scenario: { ...base, threads: [{ name: 'T0', ops: [{ op: 'map', mm: 'B', n: batch, page }] }] } });
        for (const v of views) {
          expect(runSection(m, v), JSON.stringify(v)).toEqual(addMappings(v, 2, batch));
          n++;
        }
      }
    expect(n).toBeGreaterThan(500);
  });

  it.each(MMID_VARIANTS)('remove n of A on every state where A has them (%s)', (variant) => {
    for (const batch of [1, 2]) {
      const m = mmidModel({ variant, scenario: { ...base, threads: [{ name: 'T0', ops: [{ op: 'unmap', mm: 'A', n: batch }] }] } });
      for (const v of views) if (v.total >= batch) expect(runSection(m, v), JSON.stringify(v)).toEqual(removeMappings(v, 1, batch));
    }
  });

  it('32-bit with a narrow count: the overflowing add frees the slot and sets SHARED, as tracking.ts does', () => {
    const m = mmidModel({ bits: 32, countBits: 3, scenario: { ...base, threads: [{ name: 'T0', ops: [{ op: 'map', mm: 'A', n: 2 }] }] } });
    const v: MmOwnerState = { total: 3, ids: [1, 0], counts: [3, 0], shared: false };
    expect(runSection(m, v)).toEqual(addMappings(v, 1, 2, m.limits));
    expect(runSection(m, v)).toEqual({ total: 5, ids: [0, 0], counts: [0, 0], shared: true });
  });
});

describe('the model is deterministic and its states are values', () => {
  it('next twice gives equal keys, and never changes its argument', () => {
    for (const name of ['double-fork-daemon', 'split-after-false-shared']) {
      const m = mmidModel({ scenario: name });
      for (const s of reachable(m).slice(0, 400)) {
        const before = m.key(s);
        for (const a of m.actions(s)) expect(m.key(m.next(s, a))).toBe(m.key(m.next(s, a)));
        expect(m.key(s)).toBe(before);
      }
    }
  });
});

describe('the mmap lock (a fork or exit of X write-locks X; every other op of X read-locks it)', () => {
  /** Thread k is inside op `op` (started it, not finished): its pc is past the op's first step. */
  const inside = (m: MmidModel, s: MmidState, k: number): number => {
    const i = insAt(m, k, s.th[k].pc);
    return i && !i.first ? i.op : -1;
  };
  /** Per MM, the lock as the threads' positions say it is held: -1 a writer, n readers, 0 free. */
  function lockFromPcs(m: MmidModel, s: MmidState): number[] {
    const w = m.sc.mms.map(() => 0);
    const r = m.sc.mms.map(() => 0);
    s.th.forEach((_, k) => {
      const op = inside(m, s, k);
      const h = op >= 0 ? m.programs[k].mmap[op] : null;
      if (h) for (const x of h.mms) (h.write ? w : r)[x]++;
    });
    w.forEach((c, x) => expect(c === 0 || (c === 1 && r[x] === 0), `MM ${m.sc.mms[x].name}: ${c} writers, ${r[x]} readers`).toBe(true));
    return w.map((c, x) => (c ? -1 : r[x]));
  }

  it('the stored lock is the one the threads\' positions give, in every reachable state of every preset; a change of it is declared', () => {
    let held = 0;
    // one variant: the lock does not depend on the configuration's steps
    for (const n of MMID_SCENARIO_NAMES) {
      const m = mmidModel({ scenario: n, variant: 'no-page-mapcount' });
      for (const s of reachable(m)) {
        expect(s.mmap, n).toEqual(lockFromPcs(m, s));
        if (s.mmap.some((c) => c !== 0)) held++;
        for (const a of m.actions(s)) {
          const t = m.next(s, a);
          const info = m.describe(a);
          m.sc.mms.forEach((x, k) => {
            if (t.mmap[k] !== s.mmap[k]) expect([info.reads, info.writes].map((ws) => ws.includes(`mmap:${x.name}`)), `${n}: ${info.label}`).toEqual([true, true]);
          });
        }
      }
    }
    expect(held).toBeGreaterThan(500);
  });

  it('a fork of P and a COW fault in P never overlap: the fault runs wholly before the fork (reuse) or after it (copy)', () => {
    for (const n of ['fork-full-vs-cow', 'fork-child-exit'])
      for (const variant of MMID_VARIANTS) {
        const m = mmidModel({ scenario: n, variant });
        const t = m.threads.indexOf('T0');
        const r = m.threads.indexOf('R0');
        const forkOp = m.sc.threads[t].ops.findIndex((o) => o.kind === 'fork');
        const all = reachable(m);
        const inFork = (s: MmidState) => inside(m, s, t) === forkOp;
        const inCow = (s: MmidState) => inside(m, s, r) === 0;
        expect(all.some(inFork) && all.some(inCow), `${n} ${variant}: both run`).toBe(true);
        expect(all.filter((s) => inFork(s) && inCow(s)), `${n} ${variant}`).toEqual([]);
        // a blocked fork shows as such: the COW holds P for reading, the fork's first step waits
        expect(all.some((s) => inCow(s) && !inFork(s) && m.view(s).mmap_lock.startsWith('P:R1') && !m.actions(s).some((a) => a.thread === t) && insAt(m, t, s.th[t].pc)?.op === forkOp)).toBe(true);
        const ends = all.filter((s) => m.finished(s));
        expect(new Set(ends.map((s) => s.th[r].ans))).toEqual(new Set([3, 4]));
      }
  });

  it('readers share the lock: two COW faults of A, and a map and a COW fault of A, overlap (R2)', () => {
    const scenario = {
      order: 2,
      mms: [{ name: 'A' }],
      initial: [{ mm: 'A', ptes: 2 }],
      threads: [
        { name: 'R0', ops: [{ op: 'cow', mm: 'A', page: 0 }] },
        { name: 'R1', ops: [{ op: 'cow', mm: 'A', page: 1 }] },
        { name: 'T0', ops: [{ op: 'map', mm: 'A', page: 2 }] },
      ],
    };
    const m = mmidModel({ scenario });
    const all = reachable(m);
    const both = (a: number, b: number) => all.filter((s) => inside(m, s, a) === 0 && inside(m, s, b) === 0);
    for (const [a, b] of [[0, 1], [2, 0]]) {
      const s = both(a, b);
      expect(s.length, `${m.threads[a]} and ${m.threads[b]}`).toBeGreaterThan(0);
      expect(s.every((x) => x.mmap[0] >= 2 && /^A:R[23]$/.test(m.view(x).mmap_lock))).toBe(true);
    }
    expect(all.some((s) => s.mmap[0] === 3)).toBe(true);
    const r = check(m, { store: 'full', reduction: false });
    // (the map's reference, taken between a fault's step 5 and its locked check, makes ref > total there)
    expect([r.verdict, r.property, r.unreached]).toEqual(['ok', null, []]);
  });
});

describe('precision claims and what the presets show', () => {
  it('with at most two MMs the SHARED bit at rest is exact (exact-two-mms holds in every two-MM preset)', () => {
    const two = MMID_SCENARIO_NAMES.filter((n) => parseMmidScenario(MMID_SCENARIOS[n], n).mms.length <= 2);
    expect(two.length).toBeGreaterThanOrEqual(4);
    for (const n of two)
      for (const variant of MMID_VARIANTS) {
        const m = mmidModel({ scenario: n, variant });
        const p = m.properties.find((x) => x.name === 'exact-two-mms')!;
        expect(reachable(m).every((s) => p.holds(s)), `${n} ${variant}`).toBe(true);
      }
  });

  it('with three MMs a false "maybe shared" at rest is reachable, and a reader then answers "maybe shared" for one MM', () => {
    for (const n of ['file-three-mms', 'double-fork-daemon', 'split-after-false-shared']) {
      const m = mmidModel({ scenario: n });
      const p = m.properties.find((x) => x.name === 'false-shared-at-rest')!;
      expect(reachable(m).some((s) => p.holds(s)), n).toBe(true);
    }
    // file-three-mms: the reader finished with "maybe shared" while only C still maps
    const m = mmidModel({ scenario: 'file-three-mms' });
    const r = m.threads.indexOf('R0');
    expect(reachable(m).some((s) => m.finished(s) && s.th[r].ans === 2 && s.mapped.filter((c) => c > 0).length === 1)).toBe(true);
  });

  it('split/migration rebuilds the tracking: every end state of split-after-false-shared has C in slot 0 and SHARED clear', () => {
    const m = mmidModel({ scenario: 'split-after-false-shared' });
    const all = reachable(m);
    // before the migration a false "maybe shared" of C is latched (false-shared-persists watches it)
    expect(all.some((s) => s.falseOwner === 2 && s.shared)).toBe(true);
    const ends = all.filter((s) => m.finished(s));
    expect(ends.length).toBeGreaterThan(0);
    for (const s of ends) expect([s.ids, s.counts, s.shared]).toEqual([[3, 0], [2, 0], false]);
  });

  it('an exited MM\'s id is reused by a later MM (worker-pool: W2 may get W1\'s id 2)', () => {
    const m = mmidModel({ scenario: 'worker-pool' });
    expect(reachable(m).some((s) => s.mmIds[2] === 2)).toBe(true);
  });

  it('shared-outside-lock: the set_bit can land inside another holder\'s plain unlock and be lost for good', () => {
    // map-vs-cow: B's add sets SHARED after its unlock while A's COW holds the lock (a fork of A
    // could not overlap A's fault: the mmap lock)
    const m = mmidModel({ bug: 'shared-outside-lock', scenario: 'map-vs-cow' });
    const sound = m.properties.find((p) => p.name === 'not-shared-sound')!;
    // every set_bit done, the lock free, and still SHARED clear with two MMs mapping
    const lost = reachable(m).filter((s) => (s.flags & F_FOREIGN) !== 0 && s.th.every((x) => x.ds === 0) && !sound.holds(s));
    expect(lost.length).toBeGreaterThan(0);
    const correct = mmidModel({ scenario: 'map-vs-cow' });
    expect(reachable(correct).every((s) => (s.flags & F_FOREIGN) === 0)).toBe(true);
  });
});
