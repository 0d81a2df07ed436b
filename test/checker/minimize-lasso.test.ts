// Issue #9 item 26: a liveness counterexample (lasso) has a shortest stem and a short loop.
// `check` reports the lasso whose stem is a shortest path to a state on a qualifying loop (a
// cycle of not-P states with a step of the property's thread), with a shortest such loop from
// there; `minimize` accepts a lasso trace and writes a shorter lasso that replays. The figures
// are checked against distances computed here independently (all-pairs breadth-first search over
// the not-P graph), never against pinned numbers.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { AnyModel, Model, Property } from '../../model/core';
import { buildModel } from '../../model/registry';
import { findLasso } from '../../checker/check';
import { check, replayPath } from '../../checker/check';
import { buildModelTrace, modelOfTrace, pathOfTrace, replayModelTrace } from '../../checker/model-trace';
import { minimizeLasso } from '../../checker/minimize';
import { parseTrace, serializeTrace, type ModelTrace } from '../../checker/trace';
import { runCli } from '../helpers/cli';

const TRACES = join(__dirname, '..', 'traces');

/**
 * The not-P graph of `model` (reachable from the initial states through states where P does not
 * hold) and, by all-pairs BFS: the distance from the initial states to every state; which states
 * lie on a qualifying loop (a cycle through a step of P's thread) and the shortest such loop
 * through each; and the end states (no enabled action). Quadratic: small models only.
 */
function reference(model: AnyModel, prop: Property<unknown>) {
  const ids = new Map<string, number>();
  const states: unknown[] = [];
  const succ: { to: number; thread: boolean }[][] = [];
  const id = (s: unknown): number => {
    const k = model.key(s);
    let i = ids.get(k);
    if (i === undefined) {
      i = states.length;
      ids.set(k, i);
      states.push(s);
      succ.push([]);
    }
    return i;
  };
  const inits = model.initStates().filter((s) => !prop.holds(s)).map(id);
  for (let h = 0; h < states.length; h++) {
    const s = states[h];
    for (const a of model.actions(s)) {
      const w = model.next(s, a);
      if (prop.holds(w)) continue;
      succ[h].push({ to: id(w), thread: prop.thread === undefined || model.describe(a).thread === prop.thread });
    }
  }
  const n = states.length;
  const bfs = (from: number[]): Int32Array => {
    const d = new Int32Array(n).fill(-1);
    const q = [...new Set(from)];
    for (const f of q) d[f] = 0;
    for (let h = 0; h < q.length; h++) for (const e of succ[q[h]]) if (d[e.to] < 0) (d[e.to] = d[q[h]] + 1), q.push(e.to);
    return d;
  };
  const all = Array.from({ length: n }, (_, i) => bfs([i]));
  const depth = bfs(inits);
  // the shortest loop through s containing a thread step u -> w: d(s, u) + 1 + d(w, s)
  const loopAt = new Int32Array(n).fill(-1);
  for (let u = 0; u < n; u++)
    for (const e of succ[u]) {
      if (!e.thread) continue;
      for (let s = 0; s < n; s++) {
        if (all[s][u] < 0 || all[e.to][s] < 0) continue;
        const len = all[s][u] + 1 + all[e.to][s];
        if (loopAt[s] < 0 || len < loopAt[s]) loopAt[s] = len;
      }
    }
  const ends = new Set<number>();
  for (let s = 0; s < n; s++) if (model.actions(states[s]).length === 0) ends.add(s);
  let stemMin = Infinity;
  for (let s = 0; s < n; s++) if (depth[s] >= 0 && (loopAt[s] >= 0 || ends.has(s))) stemMin = Math.min(stemMin, depth[s]);
  let loopMin = Infinity;
  for (let s = 0; s < n; s++) if (depth[s] === stemMin && loopAt[s] >= 0) loopMin = Math.min(loopMin, loopAt[s]);
  return { stemMin, loopMin, keyIndex: ids, loopAt, depth, n };
}

/** The lasso's shape: `path` has the initial-state index, then one action per step. */
function shape(model: AnyModel, prop: Property<unknown>, path: readonly number[], loopStart: number | null) {
  const states = replayPath(model, path);
  expect(states.every((s) => !prop.holds(s))).toBe(true);
  if (loopStart !== null) {
    expect(model.key(states[loopStart])).toBe(model.key(states[states.length - 1]));
    const loopThreads = path.slice(loopStart + 1).map((a, i) => model.describe(model.actions(states[loopStart + i])[a]).thread);
    if (prop.thread !== undefined) expect(loopThreads).toContain(prop.thread);
  } else expect(model.actions(states[states.length - 1])).toEqual([]);
  return { stem: loopStart ?? path.length - 1, loop: loopStart === null ? 0 : path.length - 1 - loopStart, end: states[states.length - 1] };
}

/** T0 counts c up to N (then finishes); R0 toggles r forever and never finishes. A depth-first
 *  search runs T0 to the end first and finds the loop there (stem N); yet R0 loops at once. */
interface CState {
  c: number;
  r: number;
}
function counterModel(N: number): Model<CState, number> {
  return {
    name: 'counter-spin',
    params: {},
    threads: ['T0', 'R0'],
    initStates: () => [{ c: 0, r: 0 }],
    actions: (s) => (s.c < N ? [0, 1] : [1]),
    next: (s, a) => (a === 0 ? { ...s, c: s.c + 1 } : { ...s, r: 1 - s.r }),
    properties: [{ name: 'finishes:R0', expectation: 'eventually', description: 'R0 finishes', holds: () => false, thread: 1 }],
    key: (s) => `${s.c},${s.r}`,
    describe: (a) => ({ thread: a, label: a === 0 ? 'c += 1' : 'r = 1 - r', reads: [], writes: [], tags: [] }),
    view: (s) => ({ c: String(s.c), r: String(s.r) }),
  };
}

describe('lasso: shortest stem and a short loop', () => {
  it('a loop reachable at once is reported with stem 0, not after the depth-first search\'s detour', () => {
    const m = counterModel(10);
    const p = m.properties[0] as Property<unknown>;
    const ref = reference(m, p);
    expect([ref.stemMin, ref.loopMin]).toEqual([0, 2]);
    for (const store of ['fingerprint', 'full'] as const) {
      const r = findLasso(m, m.properties[0], { store });
      if (r.kind !== 'violation') throw new Error(`expected a lasso, got ${r.kind}`);
      const sh = shape(m, p, r.path, r.loopStart);
      expect([sh.stem, sh.loop]).toEqual([ref.stemMin, ref.loopMin]);
    }
  });

  it('the rmap livelock: the stem is a shortest path to a state on a qualifying loop, the loop a shortest one there; it replays', () => {
    for (const seqcount of ['v1', 'v2']) {
      const m = buildModel('rmap', { scenario: 'livelock', variant: seqcount });
      const r = check(m, { reduction: false });
      expect([r.verdict, r.property]).toEqual(['violation', 'finishes:R0']);
      const p = m.properties.find((q) => q.name === r.property)!;
      const ref = reference(m, p);
      const sh = shape(m, p, r.path!, r.loopStart);
      // no longer than the BFS-shortest stem (and no shorter: nothing is)
      expect(sh.stem).toBe(ref.stemMin);
      expect(r.loopStart).not.toBeNull();
      expect(sh.loop).toBe(ref.loopMin);
      expect(sh.loop).toBe(ref.loopAt[ref.keyIndex.get(m.key(sh.end))!]);
      const t = buildModelTrace(m, r.path!, p.name, { loopStart: r.loopStart });
      expect(replayModelTrace(parseTrace(serializeTrace(t), 'memory') as ModelTrace).reproduced).toBe(true);
    }
  });

  it('rmapcheck check --scenario livelock prints and writes the short lasso, and it replays', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rmapcheck-lasso-'));
    const r = await runCli('check', '--model', 'rmap', '--scenario', 'livelock', '--out', dir, '--json');
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out) as { trace: string; property: string };
    const t = parseTrace(readFileSync(j.trace, 'utf8'), j.trace) as ModelTrace;
    const m = modelOfTrace(t, j.trace);
    const ref = reference(m, m.properties.find((q) => q.name === t.property.name)!);
    expect(t.loopStart).toBe(ref.stemMin);
    expect(t.steps.length - t.loopStart!).toBe(ref.loopMin);
    const text = await runCli('check', '--model', 'rmap', '--scenario', 'livelock', '--out', dir);
    expect(text.out).toContain(`(the steps from @${t.loopStart! + 1} on repeat forever: a lasso)`);
    const rep = await runCli('replay', j.trace);
    expect(rep.code).toBe(1);
    expect(rep.out).toContain('violation reproduces: yes');
  });
});

describe('minimize: lasso traces', () => {
  it('the committed 203-step livelock lasso becomes a lasso with a shortest stem that replays', async () => {
    const src = join(TRACES, 'rmap-livelock-finishes-R0.json');
    const before = parseTrace(readFileSync(src, 'utf8'), src) as ModelTrace;
    expect(before.loopStart).not.toBeNull();
    const out = join(mkdtempSync(join(tmpdir(), 'rmapcheck-lasso-min-')), 'min.json');
    const r = await runCli('minimize', src, '--out', out);
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    const t = parseTrace(readFileSync(out, 'utf8'), out) as ModelTrace;
    expect([t.kind, t.property.name, t.property.expectation]).toEqual(['model', before.property.name, 'eventually']);
    expect(t.loopStart).not.toBeNull();
    expect(t.steps.length).toBeLessThan(before.steps.length);
    expect(t.loopStart!).toBeLessThan(before.loopStart!);
    // the stem is no longer than the shortest one of the model the trace was recorded on (a
    // smaller scenario may shorten it further)
    const orig = modelOfTrace(before, src);
    const ref = reference(orig, orig.properties.find((q) => q.name === before.property.name)!);
    expect(t.loopStart!).toBeLessThanOrEqual(ref.stemMin);
    expect(replayModelTrace(t, out).reproduced).toBe(true);
    expect(r.out).toContain(`${before.steps.length} -> ${t.steps.length} steps`);
    const rep = await runCli('replay', out);
    expect([rep.code, rep.out.includes('violation reproduces: yes')]).toEqual([1, true]);
  });

  it('minimizeLasso: the detour of a long stem is cut and the loop kept; the result replays as a lasso', () => {
    const m = counterModel(6);
    const p = m.properties[0] as Property<unknown>;
    // stem: T0 six times; loop: R0 twice
    const path = [0, 0, 0, 0, 0, 0, 0, 0, 0];
    shape(m, p, path, 6);
    const min = minimizeLasso(m as AnyModel, path, 6, p.name, { scenario: false });
    const sh = shape(m, p, min.path, min.loopStart);
    expect([sh.stem, sh.loop]).toEqual([0, 2]);
    expect(min.log.join('\n')).toMatch(/8 -> 2 steps/);
  });

  it('minimizeLasso: a thread the livelock does not need is dropped from the scenario; the result replays', () => {
    const sc = JSON.parse(readFileSync(join(__dirname, '..', '..', 'scenarios', 'livelock.json'), 'utf8'));
    sc.mms.push({ name: 'C', rmapId: 3 });
    sc.threads.push({ name: 'W1', ops: [{ op: 'map', mm: 'C', page: 3 }] });
    delete sc.expect;
    const m = buildModel('rmap', { scenario: JSON.stringify(sc) });
    const r = findLasso(m, m.properties.find((q) => q.name === 'finishes:R0')!);
    if (r.kind !== 'violation' || r.loopStart === null) throw new Error('expected a lasso');
    const min = minimizeLasso(m, r.path, r.loopStart, 'finishes:R0');
    expect(min.log.some((l) => l.startsWith('scenario without thread W1'))).toBe(true);
    expect(min.model.threads).toEqual(['W0', 'R0']);
    expect(min.path.length).toBeLessThanOrEqual(r.path.length);
    const t = buildModelTrace(min.model, min.path, 'finishes:R0', { loopStart: min.loopStart });
    expect(replayModelTrace(parseTrace(serializeTrace(t), 'memory') as ModelTrace).reproduced).toBe(true);
  });

  it('minimizeLasso refuses a path that is not a lasso violation of the property', () => {
    const m = counterModel(3) as AnyModel;
    // the loop closes but R0 never steps in it: not a violation (T0 alone does not loop here,
    // so use a path whose end differs from its loop start)
    expect(() => minimizeLasso(m, [0, 0, 0], 1, 'finishes:R0')).toThrow(/not a lasso violation/);
    expect(() => minimizeLasso(m, [0, 1, 1], 0, 'no-such')).toThrow(/no eventually property/);
  });

  it('rmapcheck minimize refuses a lasso trace that does not reproduce (exit 2, one line, no output file)', async () => {
    const src = join(TRACES, 'rmap-livelock-finishes-R0.json');
    const t = parseTrace(readFileSync(src, 'utf8'), src) as ModelTrace;
    const m = modelOfTrace(t, src);
    const prop = m.properties.find((q) => q.name === t.property.name)!;
    // from the loop's start, step only the other threads until a state repeats: a loop in which
    // the reader never steps (it is not scheduled, not livelocked)
    const path = pathOfTrace(t).slice(0, t.loopStart! + 1);
    let s = replayPath(m, path).at(-1)!;
    const seen = new Map<string, number>([[m.key(s), t.loopStart!]]);
    let loopStart = -1;
    while (loopStart < 0) {
      const acts = m.actions(s);
      path.push(acts.findIndex((x) => m.describe(x).thread !== prop.thread));
      s = m.next(s, acts[path[path.length - 1]]);
      loopStart = seen.get(m.key(s)) ?? -1;
      seen.set(m.key(s), path.length - 1);
    }
    const dir = mkdtempSync(join(tmpdir(), 'rmapcheck-lasso-bad-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, serializeTrace(buildModelTrace(m, path, prop.name, { loopStart })));
    const out = join(dir, 'min.json');
    const r = await runCli('minimize', bad, '--out', out);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/^rmapcheck: error: .*(does not reproduce|not a lasso violation)/);
    expect(existsSync(out)).toBe(false);
  });
});
