// One-line slips of the kind reviewers miss, made in copies of rmapcheck's own implementation:
// `conform` catches each on its default budget, shrinks it to the minimal sequence pinned in
// test/manifest.json ("conform"), writes the conformance trace, and the trace replays (rebuilds
// the copy, re-runs, same divergence).
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { runConform } from '../../../cli/conform';
import { parseConformTrace, replayConformTrace } from '../../../checker/conform/trace';
import { MUTANT_EDITS, mutantKernel, pinnedMutants } from '../../helpers/conform-mutants';

describe('conform catches one-line mutants of the own implementation', () => {
  const out = mkdtempSync(join(tmpdir(), 'rmapcheck-conform-mutants-'));

  it('every sequential mutant is pinned in the manifest, and every pinned one exists', () => {
    const pinned = pinnedMutants().map((m) => m.id);
    expect(pinned.length).toBeGreaterThanOrEqual(4);
    for (const id of pinned) expect(MUTANT_EDITS[id], id).toBeDefined();
  });

  for (const m of pinnedMutants()) {
    it(`${m.description}: ${m.expected}, shrunk to ${m.traceLength} operation(s), and the trace replays`, async () => {
      expect(m.expected).toBe('counterexample');
      const k = mutantKernel(m.id);
      const r = await runConform({ impl: [k.impl], include: [k.include], seed: m.seed, out });
      const json = r.json as { verdict: string; property: string; traceLength: number; trace: string; firstDivergence: { op: number; field: string; expected: string; actual: string } };
      expect(r.exitCode).toBe(1);
      expect(json.verdict).toBe('violation');
      expect(json.property).toBe(m.property);
      expect(json.firstDivergence.field).toBe(m.field);
      expect(json.firstDivergence.expected).not.toBe(json.firstDivergence.actual);
      expect(json.traceLength).toBe(m.traceLength);
      expect(r.text).toContain(`trace: ${json.trace}`);

      const trace = parseConformTrace(readFileSync(json.trace, 'utf8'), json.trace);
      expect(trace.case.ops.length).toBe(m.traceLength);
      expect(trace.steps.length).toBe(trace.divergence.op + 1);
      const replay = await replayConformTrace(trace);
      expect(replay.reproduced).toBe(true);
      expect(replay.divergence).toMatchObject(json.firstDivergence);
      expect(replay.referenceMismatches).toEqual([]);
      expect(replay.mismatches).toEqual([]);
    });
  }

  it('the same seed gives the same verdict, counterexample and trace (determinism)', async () => {
    const k = mutantKernel('unmap-adds');
    const run = () => runConform({ impl: [k.impl], include: [k.include], seed: 99, out: mkdtempSync(join(tmpdir(), 'rmapcheck-conform-det-')) });
    const [a, b] = [await run(), await run()];
    const strip = (j: unknown) => ({ ...(j as Record<string, unknown>), trace: null, opsPerSecond: null, seconds: null, build: null });
    expect(strip(a.json)).toEqual(strip(b.json));
    const ta = readFileSync((a.json as { trace: string }).trace, 'utf8');
    const tb = readFileSync((b.json as { trace: string }).trace, 'utf8');
    expect(ta).toBe(tb);
  });
});
