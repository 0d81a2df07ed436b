// The concurrency mutants of the own implementation (test/helpers/conform-concurrent.ts): concurrent
// mode finds each on its defaults (seed 1) with every strategy, the violation and the length of
// the minimized schedule are pinned (test/manifest.json), the trace replays (rebuilds the copy, re-runs the schedule:
// the same finding at the same step, every step as recorded), and the same seed gives the same
// trace, byte for byte.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { buildConcurrentTrace, parseConcurrentTrace, replayConcurrentTrace, runConformConcurrent, serializeConcurrentTrace } from '../../../checker/conform/concurrent';
import type { ConcurrentStrategyName } from '../../../checker/conform/concurrent-strategy';
import { buildKernel, kernelCopy } from '../../helpers/conform';
import { CONCURRENCY_MUTANTS } from '../../helpers/conform-concurrent';
import { conformPins } from '../../helpers/manifest';

/** Pinned in test/manifest.json (conform.concurrentMutants), seed 1, defaults: per strategy the
 *  property, field and decisions of the minimized schedule. */
const PINNED: Record<string, Record<ConcurrentStrategyName, [string, string, number]>> = {};
for (const p of conformPins('concurrent')) {
  expect(p.expected).toBe('counterexample');
  (PINNED[p.id] ??= {} as Record<ConcurrentStrategyName, [string, string, number]>)[p.strategy as ConcurrentStrategyName] = [p.property, p.field, p.traceLength];
}

const out = mkdtempSync(join(tmpdir(), 'rmapcheck-conform-concurrent-'));

async function run(id: string, strategy: ConcurrentStrategyName) {
  const m = CONCURRENCY_MUTANTS.find((x) => x.id === id)!;
  const dir = kernelCopy([m.edit]);
  const b = buildKernel(dir, m.defines, 'concurrent');
  const r = await runConformConcurrent({ binary: b.binary, seed: 1, strategy, sourceRoot: dir });
  const identity = { impl: b.impl, includeDirs: [join(dir, 'include')], defines: [...m.defines], cc: b.cc, flags: b.userFlags, hash: b.hash, inputs: b.inputs };
  return { r, text: r.verdict === 'violation' ? serializeConcurrentTrace(buildConcurrentTrace(r, identity, 1)) : null };
}

describe('conform concurrent mode catches the concurrency mutants of the own implementation', () => {
  for (const m of CONCURRENCY_MUTANTS)
    it(`${m.description}: found by every strategy on its defaults, pinned, and the trace replays`, async () => {
      for (const strategy of ['random', 'pct', 'race', 'dfs'] as const) {
        const { r, text } = await run(m.id, strategy);
        const [property, field, length] = PINNED[m.id][strategy];
        expect({ strategy, verdict: r.verdict, property: r.finding?.property, field: r.finding?.field, traceLength: r.traceLength }).toEqual({ strategy, verdict: 'violation', property, field, traceLength: length });
        expect(r.foundBy?.by).toBe('strategy');
        expect(r.foundBy?.strategy).toBe(strategy);
        expect(r.divergence?.field).toBe(field);
        expect(r.trace!.nondeterministic).toBe(false);
        expect(r.trace!.schedule.length).toBe(length);
        // the trace, from its file
        const file = join(out, `${m.id}-${strategy}.json`);
        writeFileSync(file, text!);
        const t = parseConcurrentTrace(readFileSync(file, 'utf8'), file);
        expect(t.mode).toBe('concurrent');
        expect(t.property.name).toBe(property);
        expect(t.steps.length).toBe(length);
        expect(t.steps.every((s, i) => s.step === i + 1 && s.thread === t.schedule[i])).toBe(true);
        // where a plain access or an atomic happened, the source line is named
        expect(t.steps.filter((s) => s.point !== 'op').every((s) => s.location !== null && /:\d+$/.test(s.location) && s.code)).toBe(true);
        const replay = await replayConcurrentTrace(t);
        expect({ strategy, reproduced: replay.reproduced, mismatches: replay.mismatches, sourcesChanged: replay.sourcesChanged }).toEqual({ strategy, reproduced: true, mismatches: [], sourcesChanged: false });
        expect(replay.steps.map((s) => [s.thread, s.point, s.word, s.location])).toEqual(t.steps.map((s) => [s.thread, s.point, s.word, s.location]));
      }
    });

  it('the same seed gives the same schedule and a byte-identical trace', async () => {
    const a = await run('reader-no-retry', 'race');
    const b = await run('reader-no-retry', 'race');
    expect(a.text).not.toBeNull();
    expect(b.text).toBe(a.text);
    expect(b.r.trace!.schedule).toEqual(a.r.trace!.schedule);
    expect({ runs: b.r.runs, schedules: b.r.schedules, points: b.r.points }).toEqual({ runs: a.r.runs, schedules: a.r.schedules, points: a.r.points });
  });
});
