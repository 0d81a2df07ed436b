// Issue #9 items 24 (viewer part) and 28 (scenario header): the viewer's ground-truth box shows
// what a correct reader would have answered at each instant of the failing reader's read window
// (the model's oracle, on the replayed states), old traces included; a trace whose scenario is
// inline JSON (a minimized one) shows the scenario as tables of MMs and threads, not raw JSON.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { parseTrace, serializeTrace, type ModelTrace } from '../../checker/trace';
import { buildModelTrace, modelOfTrace, pathOfTrace, replayModelTrace } from '../../checker/model-trace';
import { renderTraceHtml, escapeHtml } from '../../viewer/html';
import { traceView } from '../../viewer/view-model';
import { buildModel } from '../../model/registry';
import { check } from '../../checker/check';
import { runCli } from '../helpers/cli';

const load = (name: string) => {
  const f = join(__dirname, '..', 'traces', name);
  return parseTrace(readFileSync(f, 'utf8'), f) as ModelTrace;
};

/** The steps of `thread` in a trace. */
const stepsOf = (t: ModelTrace, thread: string) => t.steps.filter((s) => s.thread === thread).map((s) => s.step);

/** The series' decision from a recorded `tracked` field ("A:1 C:1 D:0"), judged here from the
 *  text, independently of the model: one mapping -> exclusive iff it is mm's; otherwise exclusive
 *  iff every tracked mapping is mm's (no entire mapping, at most P mappings in these traces). */
function idealFromText(tracked: string, mm: string): string {
  const counts = tracked.split(' ').map((x) => x.split(':')).map(([m, c]) => [m, Number(c)] as const);
  const total = counts.reduce((a, [, c]) => a + c, 0);
  const mine = counts.find(([m]) => m === mm)![1];
  return total > 0 && mine === total ? 'exclusive' : 'shared';
}

describe('viewer: the ground truth of a reader counterexample', () => {
  it('an old rmap trace (expected "linearizable holds"): the ideal decision at each instant of the read window, beside the answer', () => {
    const t = load('rmap-no-retry-linearizable.json');
    expect(t.expected).toBe('linearizable holds'); // as recorded before the fix
    const v = traceView(t);
    const r0 = stepsOf(t, 'R0');
    const from = r0[0] - 1; // the instant its first step reads at
    const to = t.steps.length - 1; // the state before the answering step
    expect(v.extraColumns).toEqual(['ideal decision for A']);
    const states = [t.initial.state, ...t.steps.map((s) => s.state)];
    v.steps.forEach((s, i) => {
      if (i < from || i > to) expect(s.extras[0] ?? '').toBe(i === t.steps.length ? 'R0 answered exclusive' : '');
      else expect(s.extras[0]).toBe(`${idealFromText(states[i].tracked, 'A')} (tracked ${states[i].tracked})`);
    });
    // the answer differs from the ideal decision at every instant: linearizability fails
    expect(states.slice(from, to + 1).every((s) => idealFromText(s.tracked, 'A') === 'shared')).toBe(true);
    expect(v.expected).toBe(`shared: the ideal decision for A (from the tracked mappings) at every instant of R0's read window (the states after steps ${from}..${to})`);
    expect(v.observed).toBe(`R0 answered exclusive at step ${t.steps.length}`);
    const html = renderTraceHtml(t);
    expect(html).toContain(`<b>ground truth</b><span>${escapeHtml(v.expected)}</span>`);
    expect(html).not.toContain('<span>linearizable holds</span>');
  });

  it('a seqcount snapshot: the words a read sees at each instant, and where a writer is in its section', () => {
    const t = load('seqcount-no-retry-snapshot.json');
    const v = traceView(t);
    expect(v.extraColumns).toEqual(['a read at this instant sees']);
    const states = [t.initial.state, ...t.steps.map((s) => s.state)];
    const from = stepsOf(t, 'R0')[0] - 1;
    for (let i = from; i < t.steps.length; i++) {
      const words = `mapcount=${states[i].mapcount} val=[${states[i]['val[0]']}]`;
      // the recorded seq field names the shared writers in it
      const busy = !/shared writers 0/.test(states[i].seq);
      expect(v.steps[i].extras[0]).toBe(busy ? `${words} (a writer is in its section)` : words);
    }
    expect(v.expected).toMatch(/^mapcount=0 val=\[0\]: the protected words at an instant of R0's read window/);
    expect(v.observed).toBe(`R0 took the snapshot mapcount=1 val=[0] at step ${t.steps.length}`);
  });

  it('new traces record the ground truth in expected/observed; a trace with no reader window keeps the property', () => {
    const m = buildModel('rmap', { bug: 'no-retry', scenario: 'torn-values' });
    const r = check(m, { liveness: false });
    expect(r.property).toBe('linearizable');
    const t = buildModelTrace(m, r.path!, r.property!);
    expect(t.expected).toMatch(/^shared: the ideal decision for A .* at every instant of R0's read window/);
    expect(t.observed).toMatch(/^R0 answered exclusive at step \d+$/);
    expect(replayModelTrace(parseTrace(serializeTrace(t), 'memory') as ModelTrace).reproduced).toBe(true);
    expect(traceView(t).expected).toBe(t.expected);
    // an invariant (no reader): the property's own statement, no per-instant column
    const lost = buildModel('seqcount', { bug: 'shared-plain-update', set: { readers: '0' } });
    const l = check(lost, { liveness: false });
    expect(l.verdict).toBe('violation');
    const lt = buildModelTrace(lost, l.path!, l.property!);
    expect([lt.expected, lt.observed]).toEqual([`${l.property} holds`, `${l.property} violated`]);
    expect(traceView(lt).extraColumns).toEqual([]);
  });
});

describe('viewer: the scenario of an rmap trace', () => {
  it('a minimized trace (inline scenario JSON): tables of MMs and threads in the header, no raw JSON', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'rmapcheck-view-sc-')), 'min.json');
    const r = await runCli('minimize', join(__dirname, '..', 'traces', 'rmap-no-retry-linearizable.json'), '--out', out);
    expect(r.code).toBe(1);
    const t = parseTrace(readFileSync(out, 'utf8'), out) as ModelTrace;
    const sc = JSON.parse(String(t.params.scenario));
    const html = renderTraceHtml(t);
    // no raw JSON of the scenario anywhere in the header
    expect(html).not.toContain(escapeHtml(String(t.params.scenario)));
    expect(html).not.toContain('scenario={');
    const v = traceView(t);
    expect(v.scenario).not.toBeNull();
    expect(v.scenario!.mms.map((x) => [x.name, x.rmapId])).toEqual(sc.mms.map((x: { name: string; rmapId: number }) => [x.name, String(x.rmapId)]));
    expect(v.scenario!.threads.map((x) => x.name)).toEqual(t.threads);
    for (const th of sc.threads as { name: string; ops: { op: string }[] }[]) {
      const row = v.scenario!.threads.find((x) => x.name === th.name)!;
      expect(row.ops).toHaveLength(th.ops.length);
      th.ops.forEach((op, k) => expect(row.ops[k].startsWith(op.op)).toBe(true));
    }
    expect(html).toMatch(/<table class="scenario-mms">/);
    expect(html).toMatch(/<table class="scenario-threads">/);
    for (const mm of sc.mms as { name: string }[]) expect(html).toContain(`<td class="mono">${escapeHtml(mm.name)}</td>`);
    // the model the page describes is the trace's: it replays
    expect(replayModelTrace(t, out).reproduced).toBe(true);
    expect(pathOfTrace(t).length).toBe(t.steps.length + 1);
    expect(modelOfTrace(t, out).threads).toEqual(t.threads);
  });

  it('a preset scenario: its name, and the same tables', () => {
    const t = load('rmap-livelock-finishes-R0.json');
    const v = traceView(t);
    expect(v.scenario?.name).toBe('livelock');
    expect(v.params.find(([k]) => k === 'scenario')?.[1]).toBe('livelock');
    expect(v.scenario!.threads.map((x) => x.name)).toEqual(['W0', 'R0']);
    expect(v.scenario!.threads.find((x) => x.name === 'W0')!.repeat).toBe(true);
  });
});
