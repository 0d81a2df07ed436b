// The typed library API of `require('rmapcheck')` (index.ts; issue #9, item 24): the checker,
// the explorer, the model registry and models, traces, replay, minimize and prove, under
// unambiguous names, and the README's list of them complete. The packed tarball is tested in
// test/package/pack.test.ts.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'fs';
import { join } from 'path';
import * as lib from '../index';
import type { CheckResult, ExploreReport, ModelEntry, CheckVerdict, ExploreOptions, SeqcountParams, RmapModel } from '../index';
import { ROOT } from './helpers/cli';
import { figuresOf, pinnedConfig, pinnedWith } from './helpers/manifest';

const pinned = (name: string) => figuresOf(pinnedConfig('seqcount', name));

describe('library API (index.ts)', () => {
  it('the registry: MODELS, findModel, buildModel, parseSets', () => {
    expect(lib.MODELS.map((m: ModelEntry) => m.name)).toEqual(['seqcount', 'rmap', 'mmid']);
    expect(lib.findModel('rmap').bugs.map((b) => b.name)).toContain('no-retry');
    const m = lib.buildModel('seqcount', { variant: 'v2', set: lib.parseSets(['readers=2']) });
    expect(m.params).toMatchObject({ variant: 'v2', readers: 2 });
    expect(() => lib.findModel('nope')).toThrow(lib.UsageError);
  });

  it('check and checkAsync on the seqcount engine and on the generic one agree with the manifest', async () => {
    const v1 = pinned('v1');
    const fast: CheckResult = lib.check(lib.seqcountModel({ variant: 'v1' }));
    const reference: CheckResult = await lib.checkAsync(lib.seqcountModel({ variant: 'v1' }), { engine: 'generic' });
    const verdict: CheckVerdict = fast.verdict;
    expect([verdict, fast.states, fast.transitions, fast.engine]).toEqual([v1.verdict, v1.states, v1.transitions, 'seqcount']);
    expect([reference.verdict, reference.states, reference.engine]).toEqual([v1.verdict, v1.states, 'generic']);
    const params: SeqcountParams = lib.seqcountParams({ variant: 'v3' });
    expect(params.variant).toBe('v3');
  });

  it('a counterexample from check: trace built, written as text, read back and replayed', () => {
    const model = lib.buildModel('seqcount', { bug: 'no-retry' });
    const r = lib.check(model);
    const row = figuresOf(pinnedWith('seqcount', { bug: 'no-retry', variant: 'v1' })!);
    expect([r.verdict, r.property]).toEqual([row.verdict, row.property]);
    const trace = lib.buildModelTrace(model, r.path!, r.property!, { loopStart: r.loopStart });
    const text = lib.serializeTrace(trace);
    const back = lib.parseTrace(text, 'memory');
    expect(back.kind).toBe('model');
    const replay = lib.replayModelTrace(back as typeof trace, 'memory');
    expect(replay.mismatches).toEqual([]);
    expect(replay.reproduced).toBe(true);
    const min = lib.minimizeCounterexample(model, r.path!, r.property!);
    expect(min.path.length).toBeLessThanOrEqual(r.path!.length);
    expect(lib.replayModelTrace(lib.buildModelTrace(min.model, min.path, r.property!), 'min').reproduced).toBe(true);
  });

  it('explore: finds and replays the no-retry violation; finds none where check proves there is none', async () => {
    const options: ExploreOptions = { strategy: 'random', seed: 7n, runs: 2000 };
    const bad: ExploreReport = await lib.explore(lib.buildModel('seqcount', { bug: 'no-retry' }), options);
    expect(bad.verdict).toBe('violation');
    expect(lib.replayModelTrace(bad.trace!, 'explore').reproduced).toBe(true);
    const good = lib.buildModel('seqcount', { variant: 'v1' });
    expect(lib.check(good).verdict).toBe('ok');
    const ok = lib.exploreSync(good, { strategy: 'pct', seed: 1n, runs: 300 });
    expect(ok.verdict).not.toBe('violation');
    expect(ok.executions).toBe(300);
  });

  it("rmapModel exactly as docs/scenarios.md shows it, and every scenario name", () => {
    const doc = readFileSync(join(ROOT, 'docs', 'scenarios.md'), 'utf8');
    const call = /`(rmapModel\(\{[^`]*\}\))`/.exec(doc)![1];
    const m: RmapModel = new Function('rmapModel', `return ${call}`)(lib.rmapModel);
    expect(m.name).toBe('rmap');
    expect(m.params).toMatchObject({ scenario: 'torn-values', variant: 'v2', p20: true, bug: 'none' });
    expect(lib.SCENARIO_NAMES).toContain('large-mixed');
    expect(lib.RMAP_BUGS.map((b) => b.name)).toContain('aba');
    expect(lib.SEQCOUNT_DESCRIPTOR.bugs.map((b) => b.name)).toContain('aba');
  });

  it('prove and its independent checker', () => {
    const proofs = lib.proveSchemeSet(lib.WIP_V1);
    expect(proofs.filter((p) => p.verdict === 'refuted').map((p) => p.order)).toEqual([7, 8, 9]);
    for (const p of proofs) expect(lib.verifyCertificate(p.scheme, p.order, p.certificate).ok).toBe(true);
    const cx = proofs.find((p) => p.verdict === 'refuted')!;
    const trace = lib.buildSubIdTrace(cx.scheme, cx.order, [], { mm: 'q', rmapId: cx.counterexample!.query });
    expect(trace.kind).toBe('subid');
  });

  it("the README's list of the library's names: every value export listed, every listed name exported", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const from = readme.indexOf('## The library');
    expect(from).toBeGreaterThan(0);
    const section = readme.slice(from, readme.indexOf('\n## ', from + 5));
    // the list: lines "- **What**: `name`, `name`, ..."
    const listed = section
      .split('\n')
      .filter((l) => l.startsWith('- **'))
      .flatMap((l) => [...l.matchAll(/`([A-Za-z_][A-Za-z0-9_]*)`/g)].map((m) => m[1]));
    expect(listed.length).toBeGreaterThan(40);
    const values = Object.keys(lib).filter((k) => k !== 'default' && k !== '__esModule');
    expect(values.filter((k) => !listed.includes(k)), 'exported but not in the README').toEqual([]);
    const exported = exportedNames();
    expect(listed.filter((k) => !exported.has(k)), 'in the README but not exported').toEqual([]);
  });
});

/**
 * Every name index.ts exports, types included. index.ts re-exports by explicit lists only (no
 * `export *`), so its export clauses name everything; a star export would fail here.
 */
function exportedNames(): Set<string> {
  const text = readFileSync(join(ROOT, 'index.ts'), 'utf8');
  expect(text).not.toMatch(/export \*/);
  const names = new Set<string>();
  for (const m of text.matchAll(/export (?:type )?\{([^}]*)\}/g))
    for (const item of m[1].split(',').map((x) => x.trim()).filter(Boolean)) names.add(item.replace(/^type /, '').split(/\s+as\s+/).pop()!);
  return names;
}
