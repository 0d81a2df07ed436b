/**
 * The liveness check of `check` as a person sees it (issue #9 items 19 and 25, issue #11): it runs
 * on the graph the one pass recorded; an interrupt during it says so (verdict incomplete, the
 * safety pass done, which properties are decided); its progress shows the graph's figures;
 * `--no-liveness` says what it did not check.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { checkAsync, type Progress } from '../../checker/check';
import { seqcountModel } from '../../model/seqcount/model';
import { runCheck, checkProgressText } from '../../cli/check';

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'rmapcheck-liveness-'));
}

/** seqcount v2 with two readers: 8,201 states (4,440 under reader symmetry, which the liveness
 *  check does not use); two `eventually` properties (reader-finishes-R0, -R1). */
const CONFIG = { model: 'seqcount', variant: 'v2', set: { readers: '2' }, reduction: true, force: false, progress: false };

describe('check: an interrupt during the liveness check', () => {
  it('says the liveness check was interrupted (verdict incomplete), that the safety pass completed, and what is decided', async () => {
    const signal = { aborted: false };
    // abort once the liveness check runs (as a SIGINT between slices would)
    const stopAt = (p: Progress) => {
      if (p.phase === 'liveness') signal.aborted = true;
    };
    // a graph big enough that the liveness check takes more than one slice (57,063 states)
    const big = { ...CONFIG, variant: 'v1', set: { writers: '3', readers: '2' } };
    const r = await runCheck({ ...big, out: tmp(), signal, progressIntervalMs: 0, onProgress: stopAt });
    const j = r.json as Record<string, unknown>;
    expect(r.exitCode).toBe(0);
    expect([j.verdict, j.incompleteReason, j.incompletePhase, j.safetyComplete]).toEqual(['incomplete', 'aborted', 'liveness', true]);
    expect(j.states).toBe(57063);
    const live = j.liveness as { properties: string[]; holds: string[]; undecided: string[]; stoppedIn: string; states: number };
    expect(live.properties).toEqual(['reader-finishes-R0', 'reader-finishes-R1']);
    expect(live.undecided.length + live.holds.length).toBe(2);
    expect(live.undecided).toContain(live.stoppedIn);
    expect(live.states).toBe(57063);
    expect(r.text).toMatch(/^incomplete \(aborted in the liveness check\) +57,063 /m);
    expect(r.text).toMatch(/^incomplete: interrupted during the liveness check \(of reader-finishes-R\d, on the recorded graph of 57,063 states, without the reduction\)\.$/m);
    expect(r.text).toContain('the safety pass had completed: no safety violation in 57,063 states.');
    expect(r.text).not.toContain('the run stopped before exploring every state');
  });

  it('an interrupt during the safety pass says that pass (the liveness check did not run)', async () => {
    const signal = { aborted: true };
    const r = await runCheck({ ...CONFIG, out: tmp(), signal });
    const j = r.json as Record<string, unknown>;
    expect([j.verdict, j.incompleteReason, j.incompletePhase, j.safetyComplete]).toEqual(['incomplete', 'aborted', 'safety', false]);
    expect(r.text).toMatch(/^incomplete \(aborted\) /m);
    expect(r.text).toContain('incomplete: the run stopped before exploring every state; no violation found so far.');
  });
});

describe('check: liveness figures and --no-liveness', () => {
  it('one pass: the liveness check reports the recorded graph, no second exploration', async () => {
    const m = seqcountModel({ variant: 'v2', readers: 2 });
    const seen: Progress[] = [];
    const r = await checkAsync(m, { progressIntervalMs: 0, onProgress: (p) => seen.push(p) });
    expect([r.verdict, r.states, r.reduction.kind]).toEqual(['ok', 8201, 'none']);
    expect(r.liveness).toMatchObject({ holds: ['reader-finishes-R0', 'reader-finishes-R1'], undecided: [], states: 8201 });
    const live = seen.filter((p) => p.phase === 'liveness');
    expect(live.length).toBeGreaterThan(0);
    for (const p of live) expect([p.states, p.transitions]).toEqual([r.liveness!.states, r.liveness!.transitions]);
    expect(checkProgressText(live[0])).toMatch(/^liveness: on the recorded graph of 8,201 states and [\d,]+ edges, memory [\d.]+ [KM]iB$/);
    expect(checkProgressText(seen[0])).toMatch(/^safety: [\d,]+ states, [\d,]+ states\/s, depth \d+, frontier [\d,]+, memory /);
  });

  it('--no-liveness: safety only, with the symmetry reduction; the text names what was not checked', async () => {
    const r = await runCheck({ ...CONFIG, liveness: false, out: tmp() });
    const j = r.json as Record<string, unknown>;
    expect([j.verdict, j.states, j.liveness]).toEqual(['ok', 4440, null]);
    expect(r.text).toContain('liveness: not checked (--no-liveness): reader-finishes-R0, reader-finishes-R1');
    expect(r.text).toMatch(/symmetry x1\.8\d/);
  });
});
