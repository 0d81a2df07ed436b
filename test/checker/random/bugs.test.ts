import { describe, expect, it } from 'vitest';
import { buildModel } from '../../../model/registry';
import { BUGS } from '../../../model/rmap';
import { SEQCOUNT_DESCRIPTOR } from '../../../model/seqcount/model';
import { exploreSync } from '../../../checker/random/run';
import { buildModelTrace, modelOfTrace, pathOfTrace, replayModelTrace } from '../../../checker/model-trace';
import { parseTrace, serializeTrace, type ModelTrace } from '../../../checker/trace';
import { replayPath } from '../../../checker/check';
import { ExecutionLoop } from '../../../checker/random/scheduler';
import { PathReplay } from '../../../checker/random/replay';

const cases: [string, string, Record<string, string>][] = [
  ...SEQCOUNT_DESCRIPTOR.bugs.map((b) => ['seqcount', b.name, { bug: b.name }] as [string, string, Record<string, string>]),
  ...BUGS.map((b) => ['rmap', b.name, { bug: b.name, scenario: b.scenario }] as [string, string, Record<string, string>]),
];

/** Executions each strategy gets per bug: every bug must fall to at least one of them. */
const BUDGET = 4000;

describe('every deliberately broken variant is found, and its counterexample round-trips', () => {
  it.each(cases)('%s %s', (name, _bug, req) => {
    const model = buildModel(name, req);
    const found: string[] = [];
    for (const strategy of ['race', 'pct', 'random'] as const) {
      if (found.length > 0) break;
      const r = exploreSync(model, { strategy, seed: 2024n, runs: BUDGET, coverage: false });
      if (r.verdict !== 'violation') continue;
      found.push(strategy);
      const trace = r.trace!;
      expect(trace.seed).toBe('2024');
      expect(r.minimizedTraceLength).toBeLessThanOrEqual(r.rawTraceLength!);
      // find, write, read, replay: reproduced, with no mismatch
      const text = serializeTrace(trace);
      const back = parseTrace(text, 'memory');
      expect(back).toEqual(trace);
      if (back.kind !== 'model') throw new Error('expected a model trace');
      const replay = replayModelTrace(back);
      expect(replay.mismatches).toEqual([]);
      expect(replay.reproduced).toBe(true);
      expect(serializeTrace(replay.replayed)).toBe(text);
      // the replay strategy runs the same path through the explorer's loop: same violation
      // (the minimized trace may be on a smaller scenario: rebuild the model from the trace)
      const rebuilt = buildModelTrace(modelFor(back), pathOfTrace(back), back.property.name, { seed: 2024n });
      expect(rebuilt).toEqual(trace);
      const ex = new ExecutionLoop(modelFor(back)).run(new PathReplay(pathOfTrace(back)).scheduler(), 1_000_000);
      expect(ex.violation).toBe(r.property);
      expect(ex.path).toEqual(pathOfTrace(back));
      expect(replayPath(modelFor(back), ex.path).length).toBe(ex.path.length);
    }
    expect(found.length).toBeGreaterThan(0);
  }, 30_000);
});

function modelFor(t: ModelTrace) {
  return modelOfTrace(t, 'memory');
}
