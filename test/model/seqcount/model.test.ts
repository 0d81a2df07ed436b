import { describe, expect, it } from 'vitest';
import { SEQCOUNT_DESCRIPTOR, seqcountModel, type SeqState } from '../../../model/seqcount/model';
import { LAYOUTS, layoutOf, shrink } from '../../../model/seqcount/layout';
import { check, replayPath } from '../../../checker/check';
import { UsageError } from '../../../model/errors';
import type { Model } from '../../../model/core';
import { findModel } from '../../../model/registry';
import { pinnedChecks, checkFigures } from '../../helpers/manifest';

const pinned = pinnedChecks('seqcount');

/** Every reachable state (full-state BFS, no bounds). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function reachable<S>(m: Model<S, any>): S[] {
  const seen = new Set<string>();
  const out: S[] = [];
  for (const s of m.initStates()) if (!seen.has(m.key(s))) (seen.add(m.key(s)), out.push(s));
  for (let i = 0; i < out.length; i++)
    for (const a of m.actions(out[i])) {
      const t = m.next(out[i], a);
      if (!seen.has(m.key(t))) (seen.add(m.key(t)), out.push(t));
    }
  return out;
}

describe('seqcount: pinned manifest (full-state BFS, reductions off)', () => {
  it.each(pinned.map((p) => [p.name, p] as const))('%s', (_name, p) => {
    const r = check(seqcountModel(p.params), { store: 'full', reduction: false });
    expect(checkFigures(r)).toEqual({
      verdict: p.verdict,
      property: p.property,
      states: p.states,
      transitions: p.transitions,
      maxDepth: p.maxDepth,
      counterexampleLength: p.counterexampleLength,
    });
  });

  it('pins the page\'s reference configuration V1, W=2 R=1 K=1 OPS=1 ("a few hundred states")', () => {
    const r = check(seqcountModel({ variant: 'v1', writers: 2, readers: 1, counters: 1, ops: 1 }), { store: 'full', reduction: false });
    expect([r.verdict, r.states, r.maxDepth]).toEqual(['ok', 297, 12]);
  });

  it('covers every variant and every bug', () => {
    const names = new Set(pinned.map((p) => String(p.params.bug ?? p.params.variant)));
    for (const v of SEQCOUNT_DESCRIPTOR.variants) expect(names).toContain(v.name);
    for (const b of SEQCOUNT_DESCRIPTOR.bugs) expect(names).toContain(b.name);
  });

  it('is listed by the registry with its own descriptors, passed through unchanged', () => {
    const entry = findModel('seqcount');
    expect(entry.params).toBe(SEQCOUNT_DESCRIPTOR.params);
    expect(entry.bugs).toBe(SEQCOUNT_DESCRIPTOR.bugs);
    expect(entry.variants).toEqual(SEQCOUNT_DESCRIPTOR.variants.map((v) => v.name));
  });
});

describe('seqcount: verdicts', () => {
  it('every bug yields a counterexample at its default parameters', () => {
    for (const b of SEQCOUNT_DESCRIPTOR.bugs) {
      const r = check(seqcountModel({ bug: b.name }), { store: 'full' });
      expect([b.name, r.verdict]).toEqual([b.name, 'violation']);
    }
  });

  it('every correct variant passes with every sometimes property reached', () => {
    for (const variant of ['v1', 'v2', 'v3']) {
      const m = seqcountModel({ variant });
      const r = check(m, { store: 'full' });
      expect(r.verdict).toBe('ok');
      expect(r.unreached).toEqual([]);
      expect(m.properties.filter((p) => p.expectation === 'sometimes').length).toBeGreaterThanOrEqual(variant === 'v1' ? 1 : 3);
    }
    const wrap = seqcountModel({ variant: 'v1', readers: 0, seqBits: 1 });
    expect(wrap.properties.map((p) => p.name)).toContain('sequence-wraps');
    expect(check(wrap).unreached).toEqual([]);
  });

  it('every counterexample replays to a state violating the named property', () => {
    for (const p of pinned.filter((x) => x.verdict === 'violation')) {
      const m = seqcountModel(p.params);
      for (const strategy of ['bfs', 'dfs'] as const) {
        const r = check(m, { strategy });
        expect(r.verdict).toBe('violation');
        const states = replayPath(m, r.path!);
        const last = states[states.length - 1];
        const prop = m.properties.find((x) => x.name === r.property)!;
        expect(prop.holds(last), `${p.name} ${strategy}`).toBe(false);
        // No earlier state on the path violates an always-property (the first violation is reported).
        for (const s of states.slice(0, -1))
          for (const q of m.properties.filter((x) => x.expectation === 'always')) expect(q.holds(s)).toBe(true);
        if (strategy === 'bfs') expect(r.path!.length - 1).toBe(p.counterexampleLength);
      }
    }
  });

  it('the ABA counterexample really wraps: the reader retries against an equal seq after 2^seqBits sections', () => {
    const m = seqcountModel({ bug: 'aba' });
    const r = check(m);
    const states = replayPath(m, r.path!) as SeqState[];
    const last = states[states.length - 1];
    expect(last.writers.reduce((n, w) => n + w.ops, 0)).toBe(2);
    expect(last.seq).toBe(0n);
    expect(last.violation).toMatch(/snapshot/);
  });
});

describe('seqcount: determinism and describe/view', () => {
  it('same state, same actions and same successors, twice', () => {
    for (const params of [{ variant: 'v1', readers: 2 }, { variant: 'v2' }, { variant: 'v3' }, { bug: 'shared-plain-update', variant: 'v2', writers: 3 }]) {
      const m1 = seqcountModel(params);
      const m2 = seqcountModel(params);
      for (const s of reachable(m1)) {
        const a1 = m1.actions(s);
        const a2 = m2.actions(s);
        expect(a2).toEqual(a1);
        for (let i = 0; i < a1.length; i++) {
          expect(m2.key(m2.next(s, a2[i]))).toBe(m1.key(m1.next(s, a1[i])));
          expect(m1.describe(a1[i])).toEqual(m2.describe(a2[i]));
        }
      }
    }
  });

  it('describes steps in the kernel\'s words with shared words and tags', () => {
    const labels = (params: Record<string, unknown>): Set<string> => {
      const m = seqcountModel(params);
      const out = new Set<string>();
      for (const s of reachable(m)) for (const a of m.actions(s)) out.add(m.describe(a).label);
      return out;
    };
    expect([...labels({ variant: 'v1' })]).toEqual(expect.arrayContaining(['seq += SHARED', 'seq += STEP - SHARED', 'atomic val[0] += 1', 'rm = mapcount']));
    expect([...labels({ variant: 'v2', counters: 2 })]).toEqual(
      expect.arrayContaining(['cmpxchg(seq, s, s|EXCL); s = 0', 't = val[1] (plain)', 'spin while read(seq) & EXCL', 'seq += STEP - EXCL']),
    );
    const m = seqcountModel({ variant: 'v3' });
    const tags = new Set<string>();
    for (const s of reachable(m))
      for (const a of m.actions(s)) {
        const d = m.describe(a);
        d.tags.forEach((t) => tags.add(t));
        expect(m.threads[d.thread]).toBeDefined();
        for (const w of [...d.reads, ...d.writes]) expect(w).toMatch(/^(seq|mapcount|val\[\d\])$/);
      }
    expect([...tags].sort()).toEqual(
      ['exclusive-attempt', 'plain-load', 'plain-store', 'read-begin', 'read-body', 'read-retry', 'spin', 'write-begin', 'write-end'],
    );
  });

  it('views seq decoded and each thread\'s live locals', () => {
    const m = seqcountModel({ variant: 'v2' });
    const s = m.next(m.initStates()[0], m.actions(m.initStates()[0])[0]); // W0: s = read(seq)
    const v = m.view(s);
    expect(Object.keys(v)).toEqual(['seq', 'mapcount', 'val[0]', 'W0', 'W1', 'R0']);
    expect(v.seq).toBe('0x0000000000000000 (shared writers 0, exclusive 0, sequence 0)');
    expect(v.W0).toBe('CAS ops=0 s=0x0000000000000000');
  });
});

describe('seqcount: parameters and layouts', () => {
  it('rejects unknown names and out-of-range values with a one-line UsageError', () => {
    const bad: Record<string, unknown>[] = [
      { variant: 'v4' },
      { bug: 'no-such-bug' },
      { colour: 1 },
      { writers: 0 },
      { writers: 7 },
      { ops: 1.5 },
      { word: 48 },
      { variant: 'v3', word: 32 },
      { bug: 'no-exclusive-wait', variant: 'v1' },
      { bug: 'aba', seqBits: 0 },
    ];
    for (const p of bad) {
      expect(() => seqcountModel(p), JSON.stringify(p)).toThrow(UsageError);
      try {
        seqcountModel(p);
      } catch (e) {
        expect((e as Error).message).not.toContain('\n');
      }
    }
  });

  it('accepts string values (as a CLI passes them) and records the parameters', () => {
    const m = seqcountModel({ variant: 'v2', writers: '3', readers: '2' });
    expect(m.params).toMatchObject({ variant: 'v2', writers: 3, readers: 2, counters: 1, ops: 1, seqBits: 0, word: 64, bug: 'none' });
    expect(m.threads).toEqual(['W0', 'W1', 'W2', 'R0', 'R1']);
  });

  it('model.params rebuilds the same model (as replay does from a trace)', () => {
    for (const raw of [{ bug: 'aba' }, { variant: 'v3', readers: 2 }, { bug: 'shared-plain-update' }]) {
      const m = seqcountModel(raw);
      const again = seqcountModel(m.params);
      expect(again.params).toEqual(m.params);
      expect(again.properties.map((p) => p.name)).toEqual(m.properties.map((p) => p.name));
      expect(check(again, { store: 'full' }).states).toBe(check(m, { store: 'full' }).states);
    }
  });

  it('layouts are the table of seqcount.md and shrink narrows the sequence field', () => {
    expect(layoutOf('v1', 64)).toMatchObject({ shared: 1n, sharedMask: 0xffffn, excl: null, writersMask: 0xffffn, step: 0x10000n, width: 64 });
    expect(layoutOf('v2', 64)).toMatchObject({ excl: 0x10000n, exclMask: 0x10000n, writersMask: 0x1ffffn, step: 0x20000n });
    expect(layoutOf('v3', 64)).toMatchObject({ excl: 0x10000n, exclMask: 0xffff0000n, writersMask: 0xffffffffn, step: 0x100000000n });
    expect(layoutOf('v1', 32)).toMatchObject({ sharedMask: 0x7fn, step: 0x80n, width: 32 });
    expect(layoutOf('v2', 32)).toMatchObject({ excl: 0x80n, writersMask: 0xffn, step: 0x100n });
    expect(LAYOUTS).toHaveLength(5);
    expect(shrink(layoutOf('v2', 64), 2)).toMatchObject({ width: 19, seqBits: 2, writerBits: 17 });
    expect(() => shrink(layoutOf('v1', 32), 26)).toThrow(UsageError);
  });
});
