// The one conformance test of the engine layer: every registered fast engine against its model,
// on every reachable state of every pinned configuration — rows (encode/decode), successors
// (order, threads, keys), fingerprints (equal iff keys equal; reduced: iff canonical keys
// equal), the first violated `always` property, every other property, `finished`, orbit sizes.
// The generic engine runs the fixture models the same way.
import { describe, expect, it } from 'vitest';
import type { AnyModel } from '../../model/core';
import { findModel } from '../../model/registry';
import { engineFor } from '../../engine/registry';
import { Successors, SUCCESSOR_HEADER, type Engine } from '../../engine/core';
import { rowFingerprint } from '../../engine/hash';
import { pinnedConfigs } from '../helpers/manifest';
import { FIXTURES } from '../fixtures/models';

/** Checks `engine` against `model` on every state reachable in the model (breadth-first by key);
 *  returns the number of states. */
function conform(model: AnyModel, engine: Engine, maxStates = 50_000): number {
  const always = model.properties.filter((p) => p.expectation === 'always');
  const others = model.properties.filter((p) => p.expectation !== 'always');
  const seen = new Map<string, unknown>();
  const fps = new Map<string, string>();
  const reducedFps = new Map<string, string>();
  const canon = new Map<string, string>();
  const fp = new Uint32Array(2);
  const succ = new Successors(engine.words);
  const row = new Int32Array(engine.words);
  const note = (key: string, lo: number, hi: number, into: Map<string, string>, what: string) => {
    const f = `${lo >>> 0}:${hi >>> 0}`;
    const before = into.get(f);
    if (before !== undefined && before !== key) throw new Error(`${what} fingerprint ${f} of two states: ${before} / ${key}`);
    into.set(f, key);
    if (what === 'plain') {
      const k = canon.get(key);
      if (k !== undefined && k !== f) throw new Error(`two fingerprints of one state ${key}`);
      canon.set(key, f);
    }
  };
  const queue: unknown[] = [];
  expect(engine.initialCount).toBe(model.initStates().length);
  model.initStates().forEach((s, i) => {
    engine.initial(i, row, 0);
    expect(model.key(engine.decode(row, 0))).toBe(model.key(s));
    engine.retain(row, 0);
    if (!seen.has(model.key(s))) {
      seen.set(model.key(s), s);
      queue.push(s);
    }
  });
  for (let head = 0; head < queue.length && head < maxStates; head++) {
    const s = queue[head];
    const key = model.key(s);
    // the row of s: as the engine reached it (through the successor buffer below) or, for the
    // initial states, as it wrote it
    const r = rows.get(key) ?? (() => {
      const i = model.initStates().findIndex((x) => model.key(x) === key);
      engine.initial(i, row, 0);
      engine.retain(row, 0);
      return row.slice();
    })();
    expect(model.key(engine.decode(r, 0))).toBe(key);
    engine.fingerprint(r, 0, false, fp);
    note(key, fp[0], fp[1], fps, 'plain');
    if (engine.kind !== 'generic') {
      // a dense engine's fingerprint is engine/hash.ts's rowFingerprint of its row (the generated
      // code inlines it)
      const ref = new Uint32Array(2);
      rowFingerprint(r, 0, engine.words, ref);
      expect([fp[0], fp[1]]).toEqual([ref[0], ref[1]]);
    }
    const st = new Uint32Array(2);
    engine.stateFingerprint(s, false, st);
    expect([st[0], st[1]]).toEqual([fp[0], fp[1]]);
    if (engine.symmetric) {
      engine.fingerprint(r, 0, true, fp);
      note(model.symmetry!.canonicalKey(s), fp[0], fp[1], reducedFps, 'reduced');
      expect(engine.orbitSize(r, 0)).toBe(model.symmetry!.orbitSize(s));
    }
    const bad = always.findIndex((p) => !p.holds(s));
    expect(engine.violated(r, 0)).toBe(bad);
    for (const p of others) expect([p.name, engine.holds(p, r, 0)]).toEqual([p.name, p.holds(s)]);
    expect(engine.finished(r, 0)).toBe(model.finished?.(s) ?? false);
    const acts = model.actions(s);
    const n = engine.expand(r, 0, succ, false);
    expect(n).toBe(acts.length);
    const kept: Array<[string, Int32Array]> = [];
    for (let a = 0; a < n; a++) {
      const t = model.next(s, acts[a]);
      const o = a * succ.stride;
      const tk = model.key(t);
      expect(succ.buf[o + 2]).toBe(model.describe(acts[a]).thread);
      expect(model.key(engine.decode(succ.buf, o + SUCCESSOR_HEADER))).toBe(tk);
      note(tk, succ.buf[o], succ.buf[o + 1], fps, 'plain');
      engine.retain(succ.buf, o + SUCCESSOR_HEADER);
      kept.push([tk, succ.buf.slice(o + SUCCESSOR_HEADER, o + SUCCESSOR_HEADER + engine.words)]);
      if (!seen.has(tk)) {
        seen.set(tk, t);
        queue.push(t);
      }
    }
    if (engine.symmetric) {
      // the reduced fingerprints expand writes are those of the canonical form
      const m = engine.expand(r, 0, succ, true);
      for (let a = 0; a < m; a++) note(model.symmetry!.canonicalKey(model.next(s, acts[a])), succ.buf[a * succ.stride], succ.buf[a * succ.stride + 1], reducedFps, 'reduced');
      for (let a = 0; a < m; a++) engine.retain(succ.buf, a * succ.stride + SUCCESSOR_HEADER);
    }
    for (const [k, v] of kept) if (!rows.has(k)) rows.set(k, v);
    rows.delete(key);
  }
  rows.clear();
  return Math.min(queue.length, maxStates);
}
const rows = new Map<string, Int32Array>();

describe('engine conformance: the seqcount engine against the BigInt reference', () => {
  const configs = pinnedConfigs('seqcount');
  const extra: Array<Record<string, string | number>> = [
    { variant: 'v1', readers: 3, writers: 1 },
    { variant: 'v3', readers: 2, counters: 2 },
    { variant: 'v2', word: 32, seqBits: 2, ops: 2, readers: 2 },
    { variant: 'v3', bug: 'no-begin-wait', readers: 2 },
  ];
  it('covers every pinned seqcount configuration', () => {
    expect(configs.length).toBeGreaterThan(20);
  });
  it.each([...configs.map((c) => [c.name, c.params] as const), ...extra.map((p) => [JSON.stringify(p), p] as const)])('%s', (_name, params) => {
    const model = findModel('seqcount').build(params);
    const engine = engineFor(model);
    expect(engine.kind).toBe('seqcount');
    expect(conform(model, engine)).toBeGreaterThan(10);
  });
  it('a model that is not as model/seqcount builds it runs on the generic engine', () => {
    const model = findModel('seqcount').build({});
    const changed = { ...model, properties: model.properties.filter((p) => p.name !== 'snapshot') };
    expect(engineFor(changed).kind).toBe('generic');
  });
});

describe('engine conformance: the generic engine on the fixture models', () => {
  it.each(FIXTURES.map((f) => [f.name, f] as const))('%s', (_n, f) => {
    const model = f.model() as AnyModel;
    const engine = engineFor(model);
    expect(engine.kind).toBe('generic');
    expect(conform(model, engine)).toBeGreaterThan(1);
  });
});
