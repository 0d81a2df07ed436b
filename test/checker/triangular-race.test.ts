import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { afterAction, findTriangularRace, raceIn, tsoLine } from '../../checker/triangular-race';
import { replayPath } from '../../checker/random/replay';
import type { ActionInfo, AnyModel, Model } from '../../model/core';
import { seqcountModel } from '../../model/seqcount/model';
import { runCli } from '../helpers/cli';

/** One step of a straight-line test thread. */
interface Op {
  readonly k: 'store' | 'load' | 'xchg' | 'mfence';
  readonly loc?: string;
}
interface St {
  readonly pc: readonly number[];
  readonly mem: Readonly<Record<string, number>>;
}

/** Threads of straight-line loads and stores (x86 `mov`), `xchg` (locked) and `mfence`; an
 *  action carries its thread's pc so that `describe` names the op. */
function litmusModel(name: string, threads: readonly (readonly Op[])[]): Model<St, { thread: number; pc: number }> {
  const info = (t: number, op: Op): ActionInfo => {
    const loc = op.loc ? [op.loc] : [];
    const reads = op.k === 'load' || op.k === 'xchg' ? loc : [];
    const writes = op.k === 'store' || op.k === 'xchg' ? loc : [];
    const label = `${op.k}${op.loc ? ' ' + op.loc : ''}`;
    return op.k === 'xchg' || op.k === 'mfence' ? { thread: t, label, reads, writes, tags: [], x86: 'locked' } : { thread: t, label, reads, writes, tags: [] };
  };
  return {
    name,
    params: {},
    threads: threads.map((_, i) => `T${i}`),
    initStates: () => [{ pc: threads.map(() => 0), mem: { x: 0, y: 0 } }],
    actions: (s) => threads.flatMap((ops, t) => (s.pc[t] < ops.length ? [{ thread: t, pc: s.pc[t] }] : [])),
    next: (s, a) => {
      const op = threads[a.thread][a.pc];
      const pc = s.pc.slice();
      pc[a.thread]++;
      const mem = op.k === 'store' || op.k === 'xchg' ? { ...s.mem, [op.loc!]: a.thread + 1 } : s.mem;
      return { pc, mem };
    },
    properties: [],
    key: (s) => `${s.pc.join(',')}|${s.mem.x},${s.mem.y}`,
    describe: (a) => info(a.thread, threads[a.thread][a.pc]),
    view: (s) => ({ pc: s.pc.join(','), x: String(s.mem.x), y: String(s.mem.y) }),
    finished: (s) => s.pc.every((p, t) => p === threads[t].length),
  };
}

/** Store buffering (SB): each thread stores one location, then loads the other. */
const sb = (store: 'store' | 'xchg', fence: boolean) =>
  litmusModel(`sb-${store}${fence ? '-mfence' : ''}`, [0, 1].map((t) => {
    const [mine, other] = t === 0 ? ['x', 'y'] : ['y', 'x'];
    return [{ k: store, loc: mine }, ...(fence ? [{ k: 'mfence' as const }] : []), { k: 'load', loc: other }] as Op[];
  }));

/** The slow obvious search: every path (no state memo), buffers recomputed along it. Returns the
 *  length of a shortest path to a state with a triangular race, or null. */
function bruteForce(model: AnyModel, maxDepth = 40): number | null {
  let best: number | null = null;
  const go = (s: unknown, buffers: ReadonlyMap<string, string>[], depth: number): void => {
    if (best !== null && depth >= best) return;
    const acts = model.actions(s);
    const infos = acts.map((a: unknown) => model.describe(a) as ActionInfo);
    if (raceIn(infos, buffers)) {
      best = depth;
      return;
    }
    if (depth === maxDepth) return;
    acts.forEach((a: unknown, i: number) => go(model.next(s, a), afterAction(buffers, infos[i]) as ReadonlyMap<string, string>[], depth + 1));
  };
  for (const s of model.initStates()) go(s, model.threads.map(() => new Map()), 0);
  return best;
}

/** Replays a race's path and checks that its last state has that race. */
function replayRace(model: AnyModel, path: readonly number[]): void {
  const states = replayPath(model, path);
  let buffers: ReadonlyMap<string, string>[] = model.threads.map(() => new Map());
  for (let i = 1; i < path.length; i++) buffers = afterAction(buffers, model.describe(model.actions(states[i - 1])[path[i]])) as ReadonlyMap<string, string>[];
  const last = states[states.length - 1];
  expect(raceIn(model.actions(last).map((a: unknown) => model.describe(a)), buffers)).not.toBeNull();
}

describe('triangular races (x86-TSO: when the SC verdicts hold)', () => {
  it('store buffering with mov stores has one; with xchg or an mfence between, none', () => {
    const r = findTriangularRace(sb('store', false));
    expect(r.triangularRaceFree).toBe(false);
    expect(r.race).toMatchObject({ thread: 'T0', load: 'load y', location: 'y', buffered: [{ location: 'x', store: 'store x' }], writer: 'T1', write: 'store y' });
    replayRace(sb('store', false), r.race!.path);
    expect(r.race!.path.length - 1).toBe(bruteForce(sb('store', false)));
    for (const m of [sb('xchg', false), sb('store', true)]) {
      const ok = findTriangularRace(m);
      expect([ok.triangularRaceFree, ok.race]).toEqual([true, null]);
      expect(bruteForce(m)).toBeNull();
      expect(tsoLine(ok)).toMatch(/^x86-TSO: no triangular race in \d+ states .*the SC verdicts hold on x86-TSO/);
    }
  });

  it('the seqcount: free of them (its writes are locked RMWs, the exclusive body runs alone); the broken shared-plain-update has one', () => {
    for (const variant of ['v1', 'v2', 'v3']) {
      const m = seqcountModel({ variant });
      expect(findTriangularRace(m).triangularRaceFree, variant).toBe(true);
    }
    expect(bruteForce(seqcountModel({ variant: 'v2', readers: 0 }))).toBeNull();
    const bad = seqcountModel({ bug: 'shared-plain-update' });
    const r = findTriangularRace(bad);
    expect(r.triangularRaceFree).toBe(false);
    expect(r.race!.buffered.map((b) => b.location)).toEqual(['mapcount']);
    replayRace(bad, r.race!.path);
    expect(r.race!.path.length - 1).toBe(bruteForce(bad));
  });

  it('a bound stops the pass undecided', () => {
    const r = findTriangularRace(seqcountModel({ variant: 'v2' }), { maxStates: 10 });
    expect([r.triangularRaceFree, r.incompleteReason]).toEqual([null, 'the bound of 10 states (with store buffers) was reached']);
    expect(tsoLine(r)).toBe('x86-TSO: not judged: the bound of 10 states (with store buffers) was reached');
  });

  it('check reports it: a line and the tso field of --json', async () => {
    const ok = await runCli('check', '--model', 'seqcount', '--variant', 'v2', '--json');
    expect(JSON.parse(ok.out).tso).toMatchObject({ triangularRaceFree: true, race: null, incompleteReason: null });
    const bad = await runCli('check', '--model', 'seqcount', '--bug', 'shared-plain-update', '--json', '--out', mkdtempSync(join(tmpdir(), 'rmapcheck-tso-')));
    const j = JSON.parse(bad.out).tso;
    expect(j.triangularRaceFree).toBe(false);
    replayRace(seqcountModel({ bug: 'shared-plain-update' }), j.race.path);
    const text = await runCli('check', '--model', 'seqcount', '--variant', 'v1');
    expect(text.out).toMatch(/^x86-TSO: no triangular race in [\d,]+ states/m);
  });
});
