import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, readdirSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { runCli } from '../helpers/cli';
import { check } from '../../checker/check';
import { verdictOf } from '../../cli/check';
import type { Model } from '../../model/core';

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'rmapcheck-check-'));
}

describe('check / models / model-trace replay', () => {
  it('check --json has the documented shape (seqcount V1, W=2 R=1 K=1 OPS=1: a few hundred states, ok)', async () => {
    const r = await runCli('check', '--model', 'seqcount', '--json', '--out', tmp());
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(Object.keys(j).slice(0, 14)).toEqual([
      'model', 'params', 'verdict', 'property', 'states', 'transitions', 'maxDepth', 'seconds',
      'statesPerSecond', 'bytesPerState', 'reduction', 'trace', 'traceLength', 'unreached',
    ]);
    expect(j.model).toBe('seqcount');
    expect(j.verdict).toBe('ok');
    expect(j.trace).toBeNull();
    expect(j.unreached).toEqual([]);
    expect(j.states).toBeGreaterThan(100);
    expect(j.states).toBeLessThan(1000);
  });

  it('a broken variant: violation, exit 1, its trace replays and reproduces (round trip)', async () => {
    const d = tmp();
    const r = await runCli('check', '--model', 'seqcount', '--bug', 'no-retry', '--json', '--out', d);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out);
    expect(j.verdict).toBe('violation');
    expect(j.trace).toBe(join(d, readdirSync(d)[0]));
    const rep = await runCli('replay', j.trace, '--json');
    expect(rep.code).toBe(1);
    const rj = JSON.parse(rep.out);
    expect(rj.reproduced).toBe(true);
    expect(rj.mismatches).toEqual([]);
    expect(rj.steps).toBe(j.traceLength);
    expect(rj.property).toBe(j.property);
    // the text output ends with a paste-back replay line
    const t = await runCli('check', '--model', 'seqcount', '--bug', 'no-retry', '--out', d);
    expect(t.out).toContain(`replay: npx rmapcheck replay ${j.trace}`);
  });

  it('two configurations with one bug write two trace files (the parameters are in the name)', async () => {
    const d = tmp();
    const a = await runCli('check', '--model', 'seqcount', '--bug', 'no-retry', '--set', 'writers=2', '--json', '--out', d);
    const b = await runCli('check', '--model', 'seqcount', '--bug', 'no-retry', '--set', 'writers=3', '--json', '--out', d);
    expect([a.code, b.code]).toEqual([1, 1]);
    expect(JSON.parse(a.out).trace).not.toBe(JSON.parse(b.out).trace);
    expect(readdirSync(d)).toHaveLength(2);
    // the same configuration again: the same file, unchanged (idempotent)
    const again = await runCli('check', '--model', 'seqcount', '--bug', 'no-retry', '--set', 'writers=2', '--json', '--out', d);
    expect([again.code, JSON.parse(again.out).trace]).toEqual([1, JSON.parse(a.out).trace]);
  });

  it('--expect-states and --links-on-disk: the same verdict and counterexample, which replays', async () => {
    const d = tmp();
    const plain = JSON.parse((await runCli('check', '--model', 'seqcount', '--bug', 'no-retry', '--json', '--out', d)).out);
    const e = tmp();
    const r = await runCli('check', '--model', 'seqcount', '--bug', 'no-retry', '--expect-states', '200000', '--links-on-disk', '--json', '--out', e);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out);
    expect([j.verdict, j.property, j.states, j.traceLength]).toEqual([plain.verdict, plain.property, plain.states, plain.traceLength]);
    expect(readFileSync(j.trace, 'utf8')).toBe(readFileSync(plain.trace, 'utf8'));
    expect(JSON.parse((await runCli('replay', j.trace, '--json')).out).reproduced).toBe(true);
  });

  it('a tampered model trace: replay names the first difference and exits 2', async () => {
    const d = tmp();
    const j = JSON.parse((await runCli('check', '--model', 'seqcount', '--bug', 'no-retry', '--json', '--out', d)).out);
    const trace = JSON.parse(readFileSync(j.trace, 'utf8'));
    trace.steps[1].state.mapcount = '7';
    const f = join(d, 'tampered.json');
    writeFileSync(f, JSON.stringify(trace));
    const rep = await runCli('replay', f, '--json');
    expect(rep.code).toBe(2);
    expect(JSON.parse(rep.out).mismatches[0]).toContain('step 2: mapcount');
    // a schedule that no longer fits the model is bad input
    trace.steps[0].choice = 99;
    writeFileSync(f, JSON.stringify(trace));
    const bad = await runCli('replay', f);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('step 1 chooses action 99');
  });

  it('a trace of a scenario file is self-contained: it replays after the file is gone', async () => {
    const d = tmp();
    const scenario = join(d, 'my-scenario.json');
    writeFileSync(scenario, readFileSync(join(__dirname, '..', '..', 'scenarios', 'torn-values.json'), 'utf8'));
    const j = JSON.parse((await runCli('check', '--model', 'rmap', '--bug', 'no-seqcount', '--scenario', scenario, '--json', '--out', d)).out);
    expect(j.verdict).toBe('violation');
    expect(JSON.parse(readFileSync(j.trace, 'utf8')).params.scenario).toContain('"threads"');
    rmSync(scenario);
    const rep = await runCli('replay', j.trace, '--json');
    expect(rep.code).toBe(1);
    expect(JSON.parse(rep.out).reproduced).toBe(true);
  });

  it('a sometimes-property never reached makes the verdict a violation of it (no vacuous pass)', () => {
    // A two-state counter whose `sometimes` goal (reaching 5) is unreachable.
    const model: Model<number, number> = {
      name: 'counter',
      params: {},
      threads: ['T0'],
      initStates: () => [0],
      actions: (s) => (s < 1 ? [0] : []),
      next: (s) => s + 1,
      finished: () => true,
      properties: [
        { name: 'small', expectation: 'always', description: 's <= 1', holds: (s) => s <= 1 },
        { name: 'reaches-5', expectation: 'sometimes', description: 's == 5', holds: (s) => s === 5 },
      ],
      key: (s) => String(s),
      describe: () => ({ thread: 0, label: 'inc', reads: [], writes: [], tags: [] }),
      view: (s) => ({ s: String(s) }),
    };
    const r = check(model, {});
    expect([r.verdict, r.unreached]).toEqual(['ok', ['reaches-5']]);
    expect(verdictOf(r)).toEqual({ verdict: 'violation', property: 'reaches-5' });
    const reached = check({ ...model, properties: [model.properties[0]] }, {});
    expect(verdictOf(reached)).toEqual({ verdict: 'ok', property: null });
  });

  it('models --json lists every model with parameters, variants and bugs', async () => {
    const j = JSON.parse((await runCli('models', '--json')).out);
    expect(j.map((m: { name: string }) => m.name)).toEqual(['seqcount', 'rmap', 'mmid']);
    for (const m of j) {
      expect(m.params.length).toBeGreaterThan(0);
      expect(m.variants.length).toBeGreaterThan(0);
      for (const b of m.bugs) expect(b.expected).toBe('counterexample');
    }
  });

  it.each([
    [['check', '--model', 'nope'], "unknown model 'nope'"],
    [['check', '--model', 'seqcount', '--variant', 'v9'], "unknown variant 'v9'"],
    [['check', '--model', 'seqcount', '--bug', 'frob'], "unknown bug 'frob'"],
    [['check', '--model', 'seqcount', '--set', 'writers=99'], 'writers must be an integer in'],
    [['check', '--model', 'seqcount', '--set', 'colour=red'], "unknown parameter 'colour'"],
    [['check', '--model', 'seqcount', '--set', 'writers'], '--set writers: expected key=value'],
    [['check', '--model', 'seqcount', '--strategy', 'zigzag'], '--strategy zigzag: expected bfs or dfs'],
    [['check', '--model', 'seqcount', '--max-states', '-3'], '--max-states -3: out of range'],
    [['check', '--model', 'seqcount', '--expect-states', '0'], '--expect-states 0: out of range'],
    [['check', '--model', 'seqcount', '--store', 'full', '--expect-states', '1000'], '--expect-states applies to the fingerprint store'],
    [['check', '--model', 'seqcount', '--store', 'full', '--links-on-disk'], '--links-on-disk applies to the fingerprint store'],
    [['check', '--model', 'seqcount', '--expect-states', '3000000000'], '--expect-states 3000000000: out of range'],
    [['check', '--model', 'seqcount', '--scenario', 'x.json'], '--scenario applies to the rmap and mmid models only'],
  ])('bad input %j: one line, exit 2', async (argv, expected) => {
    const r = await runCli(...argv);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toContain(expected);
  });

  it('a state bound gives verdict incomplete with exit 0 and says so', async () => {
    const r = await runCli('check', '--model', 'seqcount', '--set', 'writers=3', '--max-states', '50', '--out', tmp());
    expect(r.code).toBe(0);
    expect(r.out).toContain('incomplete');
    // an incomplete check is not judged for x86-TSO (its space is beyond the bound already)
    expect(r.out.split('\n')).toContain('x86-TSO: not judged (the check is incomplete)');
  });

  it('the x86-TSO pass: judged by default, skipped with --tso-time 0 (tso null), a bad --tso-time is exit 2', async () => {
    const on = JSON.parse((await runCli('check', '--model', 'seqcount', '--json', '--out', tmp())).out);
    expect([on.verdict, on.tso.triangularRaceFree, on.tso.states]).toEqual(['ok', true, 297]);
    const off = await runCli('check', '--model', 'seqcount', '--tso-time', '0', '--out', tmp());
    expect(off.out.split('\n')).toContain('x86-TSO: not judged (--tso-time 0)');
    expect(JSON.parse((await runCli('check', '--model', 'seqcount', '--tso-time', '0', '--json', '--out', tmp())).out).tso).toBeNull();
    const bad = await runCli('check', '--model', 'seqcount', '--tso-time', '-1', '--out', tmp());
    expect(bad.code).toBe(2);
    expect(bad.err.trim().split('\n')).toHaveLength(1);
  });
});
