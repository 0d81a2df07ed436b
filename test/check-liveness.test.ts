/**
 * The liveness pass of `check` as a person sees it (issue #9 items 19 and 25): an interrupt during
 * it says so (verdict incomplete, the safety pass done, which properties are decided), and its
 * progress shows figures that mean something: its states against the space without the
 * reduction (which it does not use), and its DFS stack rather than "depth 0, frontier 0".
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { checkAsync, type Progress } from '../checker/explore';
import { seqcountPackedModel } from '../model/seqcount/packed';
import { runCheck, checkProgressText } from '../cli/check';

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'rmapcheck-liveness-'));
}

/** seqcount v2 with two readers: 4,440 states with the reduction, 8,201 without; two
 *  `eventually` properties (reader-finishes-R0, -R1). */
const CONFIG = { model: 'seqcount', variant: 'v2', set: { readers: '2' }, reduction: true, force: false, progress: false };

describe('check: an interrupt during the liveness pass', () => {
  it('says the liveness pass was interrupted (verdict incomplete), that the safety pass completed, and what is decided', async () => {
    const signal = { aborted: false };
    // abort once the second property's search runs (as a SIGINT between slices would)
    const stopAt = (p: Progress) => {
      if (p.phase === 'liveness: reader-finishes-R1') signal.aborted = true;
    };
    const r = await runCheck({ ...CONFIG, out: tmp(), signal, progressIntervalMs: 0, onProgress: stopAt });
    expect(r.exitCode).toBe(0);
    const j = r.json as Record<string, unknown>;
    expect([j.verdict, j.incompleteReason, j.incompletePhase, j.safetyComplete]).toEqual(['incomplete', 'aborted', 'liveness', true]);
    expect(j.states).toBe(4440);
    expect(j.liveness).toMatchObject({
      properties: ['reader-finishes-R0', 'reader-finishes-R1'],
      holds: ['reader-finishes-R0'],
      undecided: ['reader-finishes-R1'],
      stoppedIn: 'reader-finishes-R1',
    });
    expect((j.liveness as { states: number }).states).toBeGreaterThan(4440); // the first search's, unreduced
    expect(r.text).toMatch(/^incomplete \(aborted in the liveness pass\) +4,440 /m);
    expect(r.text).toMatch(/^incomplete: interrupted during the liveness pass \(lasso search for reader-finishes-R1; [\d,]+ states searched, without the reduction\)\.$/m);
    expect(r.text).toContain('the safety pass had completed: no safety violation in 4,440 states. liveness: reader-finishes-R0 holds; not decided: reader-finishes-R1.');
    expect(r.text).not.toContain('the run stopped before exploring every state');
  });

  it('an interrupt during the safety pass says that pass (the liveness pass did not run)', async () => {
    const signal = { aborted: true };
    const r = await runCheck({ ...CONFIG, out: tmp(), signal });
    const j = r.json as Record<string, unknown>;
    expect([j.verdict, j.incompleteReason, j.incompletePhase, j.safetyComplete, j.liveness]).toEqual(['incomplete', 'aborted', 'safety', false, null]);
    expect(r.text).toMatch(/^incomplete \(aborted\) /m);
    expect(r.text).toContain('incomplete: the run stopped before exploring every state; no violation found so far.');
  });
});

describe('check: liveness progress figures', () => {
  it('reports its states against the space without the reduction, its DFS stack and its own rate', async () => {
    const m = seqcountPackedModel({ variant: 'v2', readers: 2 });
    const seen: Progress[] = [];
    const r = await checkAsync(m, { progressIntervalMs: 0, onProgress: (p) => seen.push(p) });
    expect([r.verdict, r.states, r.reduction.statesWithout]).toEqual(['ok', 4440, 8201]);
    const live = seen.filter((p) => p.phase.startsWith('liveness'));
    expect(live.length).toBeGreaterThan(0);
    // the lasso search stores more states than the reduced safety pass (so "states" alone would
    // read as more than the space has), never more than the space without the reduction
    expect(Math.max(...live.map((p) => p.states))).toBeGreaterThan(r.states);
    for (const p of live) {
      expect(p.bound).toBe(8201);
      expect(p.states).toBeLessThanOrEqual(8201);
      expect(p.frontier).toBeLessThanOrEqual(p.maxDepth);
    }
    expect(Math.max(...live.map((p) => p.maxDepth))).toBeGreaterThan(0);
    for (const p of seen.filter((q) => q.phase === 'safety')) expect(p.bound).toBeNull();
    const text = checkProgressText(live[live.length - 1]);
    expect(text).toMatch(/^liveness: reader-finishes-R\d: [\d,]+ states of at most 8,201 \(the space without the reduction\), [\d,]+ states\/s, DFS depth \d+ \(deepest \d+\), memory [\d.]+ [KM]iB$/);
    expect(text).not.toContain('depth 0, frontier 0');
    expect(checkProgressText(seen[0])).toMatch(/^safety: [\d,]+ states, [\d,]+ states\/s, depth \d+, frontier [\d,]+, memory /);
  });
});
