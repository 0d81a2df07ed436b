import { describe, expect, it, vi } from 'vitest';
import { pinnedChecks } from '../helpers/manifest';
import { check, checkAsync, findLasso, missedStateProbability, replayPath, type CheckResult } from '../../checker/check';
import { engineFor } from '../../engine/registry';
import { FIXTURES } from '../fixtures/models';
import { FingerprintSet, FullStateSet, TableFullError, fingerprint } from '../../checker/visited';
import { SpilledLinks } from '../../checker/spilled-links';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { seqcountModel } from '../../model/seqcount/model';
import { buildModel } from '../../model/registry';
import type { Model, Property } from '../../model/core';
import { benchCheck } from '../../bench/check';
import { buildModelTrace, replayModelTrace } from '../../checker/model-trace';
import { ExecutionLoop } from '../../checker/random/scheduler';
import { RandomWalk } from '../../checker/random/random-walk';

const pinned = pinnedChecks('seqcount');

const summary = (r: CheckResult) => ({ verdict: r.verdict, property: r.property, states: r.states, maxDepth: r.maxDepth, unreached: r.unreached });

describe('checker: store modes, strategies and reduction agree on every pinned configuration', () => {
  it.each(pinned.map((p) => [p.name, p] as const))('%s', (_n, p) => {
    const m = seqcountModel(p.params);
    const full = check(m, { store: 'full', reduction: false });
    const fp = check(m, { store: 'fingerprint', reduction: false });
    expect(summary(fp)).toEqual(summary(full));
    expect(fp.transitions).toBe(full.transitions);
    expect(full.missedStateProbability).toBe(0);
    expect(fp.missedStateProbability).toBeGreaterThan(0);
    expect(fp.missedStateProbability).toBeLessThan(1e-9);
    const dfs = check(m, { strategy: 'dfs', reduction: false });
    expect(dfs.verdict).toBe(full.verdict);
    if (full.verdict === 'ok') expect(dfs.states).toBe(full.states);
    const reduced = check(m, { reduction: true, liveness: false });
    expect(reduced.verdict).toBe(full.verdict);
    expect(reduced.property).toBe(full.property);
    if (m.symmetry && full.verdict === 'ok') {
      expect(reduced.reduction.kind).toBe('symmetry');
      expect(reduced.states).toBeLessThan(full.states);
      // The sum of orbit sizes recovers the unreduced count exactly.
      expect(reduced.reduction.statesWithout).toBe(full.states);
      expect(reduced.unreached).toEqual([]);
    }
  });

  it('symmetry: a reduced counterexample still replays (stored states are concrete)', () => {
    const m = seqcountModel({ bug: 'no-retry', readers: 3 });
    const r = check(m, { reduction: true, liveness: false });
    expect(r.reduction.kind).toBe('symmetry');
    const states = replayPath(m, r.path!);
    expect(m.properties.find((p) => p.name === r.property)!.holds(states[states.length - 1])).toBe(false);
  });
});

describe('checker: the seqcount engine and the generic engine give the same check', () => {
  // same verdicts, counts, depths and paths, whatever the order, bound or reduction
  const cases: [Record<string, unknown>, Record<string, unknown>][] = [
    [{ variant: 'v2', readers: 2 }, {}],
    [{ variant: 'v2', readers: 2 }, { liveness: false }],
    [{ variant: 'v3', writers: 3 }, { strategy: 'dfs' }],
    [{ bug: 'no-retry', variant: 'v2' }, {}],
    [{ bug: 'no-begin-wait' }, { strategy: 'dfs' }],
    [{ variant: 'v1', readers: 2 }, { maxStates: 1000 }],
    [{ variant: 'v2', readers: 2 }, { maxDepth: 6 }],
    [{ variant: 'v1', ops: 2, seqBits: 2 }, { strategy: 'dfs', maxDepth: 9 }],
    [{ variant: 'v1', readers: 3 }, { store: 'full', liveness: false }],
  ];
  it.each(cases)('%j %j', (params, opts) => {
    const m = seqcountModel(params);
    expect(engineFor(m).kind).toBe('seqcount');
    const a = check(m, opts);
    const b = check(m, { ...opts, engine: 'generic' });
    const pick = (r: CheckResult) => [r.verdict, r.property, r.path, r.loopStart, r.states, r.transitions, r.maxDepth, r.incompleteReason, r.unreached, r.reduction, r.liveness?.holds];
    expect([a.engine, b.engine]).toEqual(['seqcount', 'generic']);
    expect(pick(a)).toEqual(pick(b));
  });
});

describe('checker: the fixture models', () => {
  it.each(FIXTURES.map((f) => [f.name, f] as const))('%s: the hand-derived verdict, counts and counterexample length; the counterexample replays', (_n, f) => {
    const m = f.model();
    const x = f.expected;
    for (const strategy of ['bfs', 'dfs'] as const) {
      const r = check(m, { strategy, store: strategy === 'dfs' ? 'full' : 'fingerprint' });
      expect([r.verdict, r.property]).toEqual([x.verdict, x.property]);
      if (x.verdict === 'ok') expect([r.states, r.transitions]).toEqual([x.states, x.transitions]);
      if (r.path) {
        const states = replayPath(m, r.path);
        const last = states[states.length - 1];
        if (r.loopStart !== null) expect(m.key(states[r.loopStart])).toBe(m.key(last));
        else if (r.property === 'deadlock') expect(m.actions(last).length).toBe(0);
        else if (m.properties.find((p) => p.name === r.property)!.expectation === 'always') expect(m.properties.find((p) => p.name === r.property)!.holds(last)).toBe(false);
        if (strategy === 'bfs') expect([r.path.length - 1, r.loopStart]).toEqual([x.counterexampleSteps, x.loopStart]);
      }
    }
  });
});

describe('checker: bounds, abort, progress', () => {
  const m = seqcountModel({ variant: 'v2', readers: 2 });
  it('maxStates and maxDepth give incomplete with the figures so far', () => {
    const a = check(m, { maxStates: 100 });
    expect([a.verdict, a.states]).toEqual(['incomplete', 100]);
    expect(a.incompleteReason).toMatch(/maxStates/);
    const b = check(m, { maxDepth: 5 });
    expect(b.verdict).toBe('incomplete');
    expect(b.maxDepth).toBe(5);
    expect(b.incompleteReason).toMatch(/maxDepth/);
    const c = check(m, { maxDepth: 1000 });
    expect(c.verdict).toBe('ok');
  });

  it('an abort flag set from the progress callback stops the loop', () => {
    const signal = { aborted: false };
    const calls: number[] = [];
    const r = check(m, {
      signal,
      progressIntervalMs: 0,
      onProgress: (p) => {
        calls.push(p.states);
        signal.aborted = true;
      },
    });
    expect(calls.length).toBeGreaterThan(0);
    expect(r.verdict).toBe('incomplete');
    expect(r.incompleteReason).toBe('aborted');
    expect(r.states).toBeLessThan(8201);
  });

  it('checkAsync lets an AbortController stop it and otherwise agrees with check', async () => {
    const ac = new AbortController();
    ac.abort();
    const r = await checkAsync(seqcountModel({ variant: 'v2', readers: 2, counters: 2 }), { signal: ac.signal });
    expect(r.verdict).toBe('incomplete');
    const full = await checkAsync(seqcountModel({ variant: 'v1' }));
    expect(summary(full)).toEqual(summary(check(seqcountModel({ variant: 'v1' }))));
  });

  it('bench/check returns its figures (bounded here; speed is never asserted)', () => {
    const rows = benchCheck({ maxStates: 3000 });
    expect(rows.map((r) => [r.config, r.verdict, r.states])).toEqual([['seqcount v1 W=3 R=2 K=2 OPS=1 (seqcount engine, bfs)', 'incomplete', 3000]]);
    expect(rows[0].bytesPerState).toBeGreaterThan(0);
  });

  it('reports bytes per state and speed', () => {
    const r = check(m, { liveness: false });
    expect(r.bytesPerState).toBeGreaterThan(0);
    expect(r.statesPerSecond).toBeGreaterThan(0);
    expect(r.reduction.factor).toBeGreaterThan(1);
    // with the liveness check the pass is unreduced (symmetry would permute its reader), and says so
    const live = check(m);
    expect([live.reduction.kind, live.states]).toEqual(['none', 8201]);
    expect(live.reduction.how).toMatch(/liveness check needs the unreduced graph/);
  });
});

// ---- small hand-built models for deadlock and liveness ----

/** A writer that toggles `seq` forever, and a reader that begins when `seq` is even and retries
 *  when it changed: a livelock (the reader keeps stepping, never finishes). With `readerWaits`
 *  false the reader's single step finishes it. */
interface LState {
  seq: number; // 0..3
  wpc: number; // 0, 1
  rpc: number; // 0 BEGIN, 1 RETRY, 2 DONE
  start: number;
}
function livelockModel(opts: { readerRetries: boolean; giveUp?: boolean }): Model<LState, number> {
  const done: Property<LState> = { name: 'reader-finishes', expectation: 'eventually', description: 'R0 finishes', holds: (s) => s.rpc === 2, thread: 1 };
  return {
    name: 'livelock',
    params: {},
    threads: ['W0', 'R0'],
    initStates: () => [{ seq: 0, wpc: 0, rpc: 0, start: 0 }],
    actions: (s) => {
      const out: number[] = [0];
      if (s.rpc === 0 && (s.seq % 2 === 0 || !opts.readerRetries)) out.push(1);
      if (s.rpc === 1) out.push(1);
      return out;
    },
    next: (s, a) => {
      if (a === 0) return { ...s, seq: (s.seq + 1) % 4, wpc: 1 - s.wpc };
      if (!opts.readerRetries) return { ...s, rpc: 2 };
      if (s.rpc === 0) return { ...s, rpc: 1, start: s.seq };
      return s.seq === s.start ? { ...s, rpc: 2, start: 0 } : { ...s, rpc: 0, start: 0 };
    },
    properties: [done],
    key: (s) => `${s.seq},${s.wpc},${s.rpc},${s.start}`,
    describe: (a) => ({ thread: a, label: a === 0 ? 'seq += 1' : 'read', reads: ['seq'], writes: a === 0 ? ['seq'] : [], tags: [] }),
    view: (s) => ({ seq: String(s.seq), R0: String(s.rpc) }),
  };
}

describe('checker: deadlock and liveness', () => {
  it('finds a lasso in which the reader keeps retrying while the writer loops', () => {
    const m = livelockModel({ readerRetries: true });
    for (const store of ['fingerprint', 'full'] as const) {
      const r = check(m, { store });
      expect([r.verdict, r.property]).toEqual(['violation', 'reader-finishes']);
      expect(r.loopStart).not.toBeNull();
      const states = replayPath(m, r.path!) as LState[];
      const last = states[states.length - 1];
      expect(m.key(last)).toBe(m.key(states[r.loopStart!]));
      for (const s of states) expect(s.rpc).not.toBe(2);
      // The reader (thread 1) steps inside the loop.
      const loopThreads = new Set<number>();
      for (let i = r.loopStart! + 1; i < r.path!.length; i++) loopThreads.add(m.describe(m.actions(states[i - 1])[r.path![i]]).thread);
      expect(loopThreads.has(1)).toBe(true);
    }
  });

  it('a cycle in which the property\'s thread never steps is not a violation', () => {
    // The writer loops forever, but the reader finishes whenever it is scheduled.
    const m = { ...livelockModel({ readerRetries: false }), finished: () => true };
    const r = check(m);
    expect(r.verdict).toBe('ok');
    expect(findLasso(m, m.properties[0])).toMatchObject({ kind: 'ok' });
  });

  it('a path that ends without the property is a violation with no loop', () => {
    const m: Model<number, number> = {
      name: 'giveup',
      params: {},
      threads: ['R0'],
      initStates: () => [0],
      actions: (s) => (s < 2 ? [0, 1] : []),
      next: (s, a) => (a === 0 ? 2 : 3), // 2: gave up, 3: succeeded
      properties: [{ name: 'succeeds', expectation: 'eventually', description: '', holds: (s) => s === 3, thread: 0 }],
      key: String,
      describe: () => ({ thread: 0, label: 'try', reads: [], writes: [], tags: [] }),
      view: (s) => ({ s: String(s) }),
      finished: (s) => s >= 2,
    };
    const r = check(m);
    expect([r.verdict, r.property, r.path, r.loopStart]).toEqual(['violation', 'succeeds', [0, 0], null]);
    // a path that ends exactly at the depth bound is still a violation (the bound only stops
    // expanding); one bound below it the search is incomplete, never ok
    for (const maxDepth of [1, 2, 5]) expect(findLasso(m, m.properties[0], { maxDepth })).toEqual({ kind: 'violation', path: [0, 0], loopStart: null });
    expect(findLasso(m, m.properties[0], { maxDepth: 0 }).kind).toBe('incomplete');
  });

  it('reports a deadlock (no enabled action, not finished) with a replayable path', () => {
    const m: Model<number, number> = {
      name: 'stuck',
      params: {},
      threads: ['T0'],
      initStates: () => [0],
      actions: (s) => (s < 3 ? [0] : []),
      next: (s) => s + 1,
      properties: [],
      key: String,
      describe: () => ({ thread: 0, label: 'step', reads: [], writes: [], tags: [] }),
      view: (s) => ({ s: String(s) }),
      finished: (s) => s === 4,
    };
    const r = check(m);
    expect([r.verdict, r.property, r.path]).toEqual(['violation', 'deadlock', [0, 0, 0, 0]]);
    expect(replayPath(m, r.path!)).toEqual([0, 1, 2, 3]);
    expect(check({ ...m, finished: undefined }).property).toBe('deadlock');
    expect(check({ ...m, finished: (s: number) => s === 3 }).verdict).toBe('ok');
  });

  it('replay does not call a finished final state a reproduced deadlock', () => {
    const m = seqcountModel({ variant: 'v3', readers: 1 });
    const ex = new ExecutionLoop(m).run(new RandomWalk().scheduler(0, 1n), 1000);
    expect(ex.end).toBe('finished');
    const r = replayModelTrace(buildModelTrace(m, ex.path, 'deadlock'));
    expect(r.mismatches).toEqual([]);
    expect(r.reproduced).toBe(false);
  });

  it('the seqcount readers always finish (no lasso, no deadlock)', () => {
    const r = check(seqcountModel({ variant: 'v3', readers: 2 }), { reduction: false });
    expect(r.verdict).toBe('ok');
  });
});

describe('checker: replay and stores', () => {
  it('replayPath names a bad index', () => {
    const m = seqcountModel({ variant: 'v1' });
    expect(() => replayPath(m, [1])).toThrow(/initial-state index 1/);
    expect(() => replayPath(m, [0, 5])).toThrow(/step 1 chooses action 5 but only 3 are enabled/);
    expect(replayPath(m, [0, 0, 0])).toHaveLength(3);
  });

  it('fingerprint is deterministic (pinned) and both stores index and link alike', () => {
    const out = new Uint32Array(2);
    fingerprint('0|0|0|BEGIN.0.0.0.0', out);
    const a = [out[0], out[1]];
    fingerprint('0|0|0|BEGIN.0.0.0.0', out);
    expect([out[0], out[1]]).toEqual(a);
    fingerprint('', out);
    expect([out[0], out[1]]).toEqual([79988742, 1217125560]);
    for (const store of [new FingerprintSet({ trackIndex: true }, 8), new FullStateSet({ trackIndex: true })]) {
      for (let i = 0; i < 1000; i++) expect(store.insert(`k${i}`, i - 1, i % 300)).toBe(i);
      for (let i = 0; i < 1000; i++) expect(store.insert(`k${i}`, 0, 0)).toBe(~i);
      expect(store.size).toBe(1000);
      expect([store.parentOf(999), store.actionOf(999), store.actionOf(299)]).toEqual([998, 99, 299]);
    }
    // the ordered table on crowded high halves (one home slot), including the largest ones
    const set = new FingerprintSet({ trackIndex: true }, 8);
    const his = [0, 1, 0xfffffffe, 0xffffffff, 0x80000000];
    for (let i = 0; i < 2000; i++) expect(set.insertFingerprint((i * 2654435761) >>> 0, his[i % 5], -1, 0)).toBe(i);
    for (let i = 1999; i >= 0; i--) expect(set.insertFingerprint((i * 2654435761) >>> 0, his[i % 5], -1, 0)).toBe(~i);
    expect(set.size).toBe(2000);
  });

  it('spilled links read back what was written, across chunks, and leave no file', () => {
    const linksBefore = readdirSync(tmpdir()).filter((f) => f.startsWith('rmapcheck-links-'));
    const links = new SpilledLinks(4);
    for (let i = 0; i < 23; i++) links.set(i, i - 1, (i * 37) % 300);
    for (let i = 22; i >= 0; i--) expect([links.parentOf(i), links.actionOf(i)]).toEqual([i - 1, (i * 37) % 300]);
    expect(() => links.set(30, 0, 0)).toThrow(/out of order/);
    // the file is unlinked from the start: no directory of ours is left in the temp dir
    expect(readdirSync(tmpdir()).filter((f) => f.startsWith('rmapcheck-links-'))).toEqual(linksBefore);
    links.close();
    links.close();
    // through the fingerprint store, with the default chunk (65536): three chunks in the file
    const set = new FingerprintSet({ linksOnDisk: true });
    for (let i = 0; i < 200_000; i++) expect(set.insertFingerprint(Math.imul(i, 2654435761) >>> 0, i, i - 1, i % 250)).toBe(i);
    for (const i of [0, 1, 65535, 65536, 131071, 150_000, 199_999]) expect([set.parentOf(i), set.actionOf(i)]).toEqual([i - 1, i % 250]);
    set.close();
  });

  it('a pre-sized table and links on disk give the same check (counterexample included)', () => {
    for (const params of [{ bug: 'no-retry', readers: 2 }, { variant: 'v2', readers: 2 }]) {
      const m = seqcountModel(params);
      const plain = check(m, { reduction: false });
      const big = check(m, { reduction: false, expectedStates: 100_000, linksOnDisk: true });
      const summary = (r: CheckResult) => [r.verdict, r.property, r.states, r.transitions, r.maxDepth, r.path];
      expect(summary(big)).toEqual(summary(plain));
    }
    expect(() => check(seqcountModel({}), { expectedStates: 2 ** 31 })).toThrow(/out of range/);
  });

  it('a counterexample found past the first links chunk is read back from the file; the table is sized up front', () => {
    // aba, v2, 3 writers, 2 readers: the violation comes after 89,888 states (> 65,536 links
    // in memory), so its path's links come from the file
    const m = seqcountModel({ bug: 'aba', variant: 'v2', readers: 2, writers: 3 });
    const plain = check(m, { reduction: false, liveness: false });
    expect(plain.states).toBeGreaterThan(65_536);
    const big = check(m, { reduction: false, liveness: false, expectedStates: 4_000_000, linksOnDisk: true });
    expect([big.verdict, big.property, big.states, big.path]).toEqual([plain.verdict, plain.property, plain.states, plain.path]);
    expect(m.properties.find((p) => p.name === big.property)!.holds(replayPath(m, big.path!).at(-1)!)).toBe(false);
    // a table for 4M states (>= 8 bytes a slot at load <= 0.9), and no links in memory beyond one
    // chunk (memoryBytes: bytesPerState leaves out the fixed cost, which this table is)
    expect(big.memoryBytes).toBeGreaterThan((8 * 4_000_000) / 0.9);
    expect(plain.memoryBytes).toBeLessThan((8 * 4_000_000) / 0.9);
    expect(big.bytesPerState).toBe(8);
  });

  it('the reduced fast path finds the same counterexamples as the exact reduced run', () => {
    for (const params of [{ bug: 'no-retry', readers: 3 }, { bug: 'no-begin-wait', readers: 2 }, { bug: 'aba', variant: 'v2', readers: 2 }]) {
      const m = seqcountModel(params);
      const fast = check(m, { liveness: false });
      const exact = check(m, { liveness: false, store: 'full' });
      expect(fast.reduction.kind).toBe('symmetry');
      const summary = (r: CheckResult) => [r.verdict, r.property, r.states, r.reduction.statesWithout, r.path ? r.path.length : null];
      expect(summary(fast)).toEqual(summary(exact));
      expect(fast.verdict).toBe('violation');
      expect(m.properties.find((p) => p.name === fast.property)!.holds(replayPath(m, fast.path!).at(-1)!)).toBe(false);
    }
  });

  it('missed-state probability: ~x while small, 1 - e^-x at the W=4 scale, never above 1', () => {
    expect(missedStateProbability(1e6, 4e6) / ((1e6 * 4e6) / 2 ** 64)).toBeCloseTo(1, 6);
    expect(missedStateProbability(1_438_568_913, 6_354_004_602)).toBeCloseTo(1 - Math.exp(-0.4955169), 6);
    expect(missedStateProbability(3e9, 3e10)).toBeLessThanOrEqual(1);
  });

  it('a fingerprint table that cannot grow ends the check as incomplete, with the states so far', () => {
    const m = seqcountModel({ variant: 'v2', readers: 2 });
    const real = FingerprintSet.prototype.insertFingerprint;
    let calls = 0;
    const spy = vi.spyOn(FingerprintSet.prototype, 'insertFingerprint').mockImplementation(function (this: FingerprintSet, lo, hi, parent, action) {
      if (++calls > 500) throw new TableFullError('the fingerprint table is full (test)');
      return real.call(this, lo, hi, parent, action);
    });
    try {
      const r = check(m, { reduction: false, liveness: false });
      expect([r.verdict, r.incompleteReason]).toEqual(['incomplete', 'the fingerprint table is full (test)']);
      expect(r.states).toBeGreaterThan(0);
    } finally {
      spy.mockRestore();
    }
  });

  it('one pass: with the liveness check the counts are the safety pass\'s, and the recorded graph is counted in memory', () => {
    for (const store of ['fingerprint', 'full'] as const) {
      const m = seqcountModel({ variant: 'v2', readers: 2 });
      const safety = check(m, { store, liveness: false, reduction: false });
      const both = check(m, { store, reduction: false });
      expect([both.verdict, both.states, both.transitions]).toEqual([safety.verdict, safety.states, safety.transitions]);
      // the graph: the states the liveness check may enter, and their edges
      expect(both.liveness!.states).toBe(safety.states);
      expect(both.liveness!.transitions).toBeLessThanOrEqual(safety.transitions);
      expect(both.liveness!.bytes).toBeGreaterThan(0);
      expect(both.liveness!.holds).toEqual(['reader-finishes-R0', 'reader-finishes-R1']);
    }
  });

  it('maxStates: a space of exactly that many states completes; one state fewer is incomplete', () => {
    const m = seqcountModel({ variant: 'v1' }); // 297 states
    for (const store of ['fingerprint', 'full'] as const) {
      expect(check(m, { store, maxStates: 297, reduction: false })).toMatchObject({ verdict: 'ok', states: 297 });
      expect(check(m, { store, maxStates: 296, reduction: false })).toMatchObject({ verdict: 'incomplete', states: 296, incompleteReason: 'the bound maxStates=296 was reached' });
    }
    expect(check(seqcountModel({ variant: 'v1' }), { maxStates: 297, reduction: false }).verdict).toBe('ok');
  });

  it('the W=3 R=2 K=2 bench configuration has 1,199,116 states (the figure the README and bench quote)', () => {
    const r = check(seqcountModel({ variant: 'v1', writers: 3, readers: 2, counters: 2, ops: 1 }), { reduction: false, liveness: false });
    expect([r.verdict, r.states, r.transitions, r.maxDepth]).toEqual(['ok', 1_199_116, 4_427_071, 25]);
    // with the reduction: the sum of the orbit sizes is the unreduced count
    const reduced = check(seqcountModel({ variant: 'v1', writers: 3, readers: 2, counters: 2, ops: 1 }), { liveness: false });
    expect([reduced.states, reduced.reduction.statesWithout]).toEqual([605_987, 1_199_116]);
  });

  it('fingerprint store without indices (recent cache in front of the table) agrees with a Set', () => {
    // fingerprints that share low halves (one recent-cache slot) or high halves (one home slot),
    // repeated near and far apart, against an exact Set, across several table growths
    const set = new FingerprintSet({}, 8);
    const exact = new Set<string>();
    let x = 12345;
    for (let i = 0; i < 60000; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      const lo = i % 3 === 0 ? 0x10000 * (x % 7) : x % 5000; // few distinct low halves
      const hi = i % 97 === 0 ? 0xffffffff : (x >>> 3) % 3000; // (at most OVERFLOW at the top)
      const k = `${lo}:${hi === 0xffffffff ? 0xfffffffe : hi}`;
      const n = set.insertFingerprint(lo, hi, -1, 0);
      expect(n >= 0).toBe(!exact.has(k));
      if (n >= 0) expect(n).toBe(exact.size);
      exact.add(k);
    }
    expect(set.size).toBe(exact.size);
    expect(exact.size).toBeGreaterThan(5000);
  });
});

describe('lasso replay', () => {
  it('reproduces a lasso only if the property\'s thread steps in its loop; a loopStart outside the trace is bad input', () => {
    const m = buildModel('rmap', { scenario: 'livelock' });
    const r = check(m, { reduction: false });
    expect([r.verdict, r.loopStart !== null]).toEqual(['violation', true]);
    const prop = m.properties.find((p) => p.name === r.property)!;
    expect(replayModelTrace(buildModelTrace(m, r.path!, prop.name, { loopStart: r.loopStart })).reproduced).toBe(true);
    // from the loop's start, step only the other threads until a state repeats: a loop the
    // reader never steps in (it is not scheduled, not livelocked)
    const states = replayPath(m, r.path!);
    let s = states[r.loopStart!];
    const path = r.path!.slice(0, r.loopStart! + 1);
    const seen = new Map<string, number>([[m.key(s), r.loopStart!]]);
    let loopStart = -1;
    for (let i = 0; i < 1000 && loopStart < 0; i++) {
      const acts = m.actions(s);
      const a = acts.findIndex((x) => m.describe(x).thread !== prop.thread);
      expect(a).toBeGreaterThanOrEqual(0);
      path.push(a);
      s = m.next(s, acts[a]);
      loopStart = seen.get(m.key(s)) ?? -1;
      seen.set(m.key(s), path.length - 1);
    }
    expect(loopStart).toBeGreaterThanOrEqual(0);
    const otherLoop = buildModelTrace(m, path, prop.name, { loopStart });
    expect(replayModelTrace(otherLoop).mismatches).toEqual([]);
    expect(replayModelTrace(otherLoop).reproduced).toBe(false);
    expect(() => replayModelTrace({ ...otherLoop, loopStart: path.length + 5 })).toThrow(/loopStart .* is not a step of the trace/);
  });
});

describe('the liveness pass runs in slices', () => {
  it('reports its progress by phase and stops on an abort with verdict incomplete', async () => {
    const m = seqcountModel({ variant: 'v2', readers: 2 });
    const phases = new Set<string>();
    const full = await checkAsync(m, { progressIntervalMs: 0, onProgress: (p) => phases.add(p.phase) });
    expect(full.verdict).toBe('ok');
    expect([...phases]).toEqual(['safety', 'liveness']);
    // an abort raised while the liveness check runs (as a SIGINT handler would, between slices;
    // a graph of 57,063 states takes more than one slice)
    const big = seqcountModel({ variant: 'v1', writers: 3, readers: 2, counters: 1 });
    const signal = { aborted: false };
    const r = await checkAsync(big, { signal, progressIntervalMs: 0, onProgress: (p) => { if (p.phase.startsWith('liveness')) signal.aborted = true; } });
    expect([r.verdict, r.incompleteReason, r.incompletePhase]).toEqual(['incomplete', 'aborted', 'liveness']);
    expect(r.states).toBe(57063);
    // a timer can interrupt it too: the check yields to the event loop during the lasso search
    const timed = { aborted: false };
    let safetyDone = false;
    const t = await checkAsync(seqcountModel({ variant: 'v1', writers: 3, readers: 2, counters: 1 }), {
      signal: timed,
      progressIntervalMs: 0,
      onProgress: (p) => {
        if (p.phase.startsWith('liveness') && !safetyDone) {
          safetyDone = true;
          setTimeout(() => (timed.aborted = true), 1);
        }
      },
    });
    expect([t.verdict, t.incompleteReason]).toEqual(['incomplete', 'aborted']);
  });
});
