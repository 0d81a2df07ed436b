/**
 * Worker thread of a parallel check (parallel-check.ts): rebuilds the model and its engine,
 * then expands the rows of each breadth-first level it is handed (a shared cursor deals them
 * out in chunks), inserting successors into the shared store and keeping its new states as the
 * next level's rows in buffers of its own.
 */
import { parentPort, workerData } from 'worker_threads';
import { findModel } from '../model/registry';
import { engineFor } from '../engine/registry';
import { Successors, SUCCESSOR_HEADER } from '../engine/core';
import { CTL, SharedStore, type SharedBuffers } from './shared-store';
import type { LevelDone, LevelRows, ToCheckWorker, CheckWorkerSetup } from './parallel-check';

const port = parentPort!;
const CHUNK = 64;

try {
  const setup = workerData as CheckWorkerSetup;
  const model = findModel(setup.modelName).build(setup.params);
  const engine = engineFor(model);
  if (engine.kind !== setup.engine) throw new Error(`[internal bug] the worker's engine is ${engine.kind}, not ${setup.engine}`);
  const words = engine.words;
  const rowWords = words + 1;
  const succ = new Successors(words, Math.max(1, engine.maxActions));
  let store = new SharedStore(setup.buffers);
  const allHold = (1 << engine.eventually.length) - 1;
  // A direct-mapped cache of recently seen fingerprints with their store indices (this worker's
  // own): most duplicates are recent (two interleavings of independent steps meet a few states
  // later), and a hit here saves the shared table's cache miss. Every entry is in the table.
  const RECENT = 1 << 15;
  const recentHi = new Int32Array(RECENT);
  const recentLo = new Int32Array(RECENT);
  const recentAt = new Int32Array(RECENT).fill(-1);
  const insert = (lo: number, hi: number): number => {
    const r = (lo ^ (hi >>> 7)) & (RECENT - 1);
    if (recentAt[r] >= 0 && recentHi[r] === hi && recentLo[r] === lo) return ~recentAt[r];
    const at = store.insert(lo, hi);
    recentHi[r] = hi;
    recentLo[r] = lo;
    recentAt[r] = at >= 0 ? at : ~at;
    return at;
  };

  const level = (rows: readonly LevelRows[], total: number, depth: number): LevelDone => {
    const ctl = store.ctl;
    const out: LevelRows[] = [];
    let cap = Math.max(1024, Math.ceil(total / 4)) * rowWords;
    let buf = new Int32Array(new SharedArrayBuffer(4 * cap));
    let used = 0;
    const push = (src: Int32Array, off: number, index: number): void => {
      if (used + rowWords > cap) {
        out.push({ buf: buf.buffer as SharedArrayBuffer, count: used / rowWords });
        cap *= 2;
        buf = new Int32Array(new SharedArrayBuffer(4 * cap));
        used = 0;
      }
      for (let i = 0; i < words; i++) buf[used + i] = src[off + i];
      buf[used + words] = index;
      used += rowWords;
    };
    const views = rows.map((r) => new Int32Array(r.buf));
    const starts: number[] = [];
    let acc = 0;
    for (const r of rows) {
      starts.push(acc);
      acc += r.count;
    }
    const violations: LevelDone['violations'] = [];
    const reached = new Set<string>();
    const pending = [...engine.sometimes];
    let transitions = 0;
    let orbitSum = 0;
    let depthCut = false;
    const g = setup.graph;
    const maxStates = setup.maxStates;
    let b = 0;
    for (;;) {
      if (Atomics.load(ctl, CTL.stop) !== 0) break;
      const start = Atomics.add(ctl, CTL.cursor, CHUNK);
      if (start >= total) break;
      const end = Math.min(total, start + CHUNK);
      for (let r = start; r < end; r++) {
        while (b + 1 < rows.length && starts[b + 1] <= r) b++;
        while (starts[b] > r) b--;
        const src = views[b];
        const off = (r - starts[b]) * rowWords;
        const index = src[off + words];
        const n = engine.expand(src, off, succ, setup.reduced);
        if (n === 0) {
          if (!engine.finished(src, off)) violations.push({ property: -1, index, lo: 0, hi: 0 });
          else if (g) store.degree![index] = 0;
          continue;
        }
        if (depth >= setup.maxDepth) {
          depthCut = true;
          continue;
        }
        const record = g && store.holds![index] !== allHold;
        let base = 0;
        if (record) {
          base = Atomics.add(ctl, CTL.edges, n);
          store.first![index] = base;
          store.degree![index] = n;
        }
        const sb = succ.buf;
        for (let a = 0; a < n; a++) {
          transitions++;
          const so = a * succ.stride;
          const at = insert(sb[so] | 0, sb[so + 1] | 0);
          if (record) {
            store.target![base + a] = at >= 0 ? at : ~at;
            store.thread![base + a] = sb[so + 2];
          }
          if (at < 0) continue;
          if (at >= maxStates) {
            Atomics.store(ctl, CTL.stop, 2); // the state bound: the level ends, incomplete
            continue;
          }
          const ro = so + SUCCESSOR_HEADER;
          store.parent[at] = index;
          store.action[at] = a;
          if (setup.reduced) orbitSum += engine.orbitSize(sb, ro);
          const bad = engine.violated(sb, ro);
          if (bad >= 0) {
            violations.push({ property: bad, index: at, lo: sb[so] >>> 0, hi: sb[so + 1] >>> 0 });
            continue;
          }
          for (let i = pending.length - 1; i >= 0; i--)
            if (engine.holds(pending[i], sb, ro)) {
              reached.add(pending[i].name);
              pending.splice(i, 1);
            }
          if (g) {
            let h = 0;
            for (let i = 0; i < engine.eventually.length; i++) if (engine.holds(engine.eventually[i], sb, ro)) h |= 1 << i;
            store.holds![at] = h;
          }
          push(sb, ro, at);
        }
      }
    }
    if (used > 0) out.push({ buf: buf.buffer as SharedArrayBuffer, count: used / rowWords });
    return { type: 'level-done', out, violations, reached: [...reached], transitions, orbitSum, depthCut };
  };

  port.on('message', (m: ToCheckWorker) => {
    try {
      if (m.type === 'buffers') store = new SharedStore(m.buffers as SharedBuffers);
      else port.postMessage(level(m.rows, m.total, m.depth));
    } catch (e) {
      port.postMessage({ type: 'error', message: (e as Error).stack ?? String(e) });
    }
  });
  port.postMessage({ type: 'ready' });
} catch (e) {
  port.postMessage({ type: 'error', message: (e as Error).stack ?? String(e) });
}
