/**
 * Output files (issue #9 items 5, 13, 14, 15): every output location is checked before the work;
 * trace names carry what decides a trace's content; a verdict is printed even when its trace
 * cannot be written (exit 2); audit reports are reproducible; the vitest helper names traces like
 * the CLI and overwrites nothing.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { basename, join } from 'path';
import { ROOT, runCli } from '../helpers/cli';
import { expectNoCounterexample, expectTraceReplays } from '../../integrations/vitest';
import { modelTraceName } from '../../checker/trace-name';
import { buildModel } from '../../model/registry';

const tmp = () => mkdtempSync(join(tmpdir(), 'rmapcheck-outloc-'));
const TRACE = join(ROOT, 'test', 'traces', 'seqcount-no-retry-snapshot.json');
/** One `rmapcheck: error:` line and nothing else. */
const ONE_ERROR_LINE = /^rmapcheck: error: [^\n]+\n$/;

/** A regular file, to put a path under (root ignores permissions; a file in the way it cannot). */
function aFile(): string {
  const f = join(tmp(), 'plain-file');
  writeFileSync(f, 'keep me');
  return f;
}

/** The replayed verdict of a written trace: it reproduces its violation. */
function replays(path: string): boolean {
  return expectTraceReplays(path).reproduced;
}

describe('item 5: an output location that cannot be made or written is refused before any work', () => {
  // Configurations without a violation: before the fix they wrote nothing and said exit 0,
  // whatever --out was; the check must not depend on the result.
  const commands: Array<[string, (out: string) => string[]]> = [
    ['check', (out) => ['check', '--model', 'seqcount', '--variant', 'v1', '--out', out]],
    ['explore', (out) => ['explore', '--model', 'seqcount', '--variant', 'v1', '--runs', '20', '--seed', '1', '--out', out]],
    ['prove', (out) => ['prove', '--order', '6', '--out', out]],
    ['minimize --out', (out) => ['minimize', TRACE, '--out', join(out, 'min.json')]],
    ['view --out', (out) => ['view', TRACE, '--out', join(out, 'page.html')]],
  ];
  const places: Array<[string, () => string]> = [
    ['/proc', () => '/proc/rmapcheck-test-out'],
    ['/sys', () => '/sys/rmapcheck-test/out'],
    ['a path under a regular file', () => join(aFile(), 'sub')],
  ];
  for (const [name, argv] of commands)
    for (const [where, place] of places)
      it(`${name} on ${where}: one-line error, exit 2, nothing printed or written`, async () => {
        const out = place();
        const r = await runCli(...argv(out));
        expect(r.code).toBe(2);
        expect(r.out).toBe('');
        expect(r.err).toMatch(ONE_ERROR_LINE);
        expect(r.err).toMatch(/rmapcheck-test|plain-file/);
      });

  it('the issue\'s command: a counterexample with --out /proc/foo ends at once (it hung in a recursive mkdir)', () => {
    const t0 = Date.now();
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'rmapcheck.js'), 'prove', '--out', '/proc/foo'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(r.signal).toBeNull(); // not killed by the timeout
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^rmapcheck: error: cannot create output directory \/proc\/foo: \/proc is on the kernel's proc filesystem/);
    expect(r.stdout).toBe('');
    expect(Date.now() - t0).toBeLessThan(60_000);
  });

  it('a directory that exists as a file, and a missing deep directory (created only when a trace is written)', async () => {
    const f = aFile();
    const r = await runCli('check', '--model', 'seqcount', '--variant', 'v1', '--out', f);
    expect([r.code, r.err]).toEqual([2, `rmapcheck: error: output directory ${f} exists and is not a directory\n`]);
    expect(readFileSync(f, 'utf8')).toBe('keep me');
    const d = tmp();
    const deep = join(d, 'a', 'b', 'c');
    expect((await runCli('check', '--model', 'seqcount', '--variant', 'v1', '--out', deep)).code).toBe(0);
    expect(existsSync(join(d, 'a'))).toBe(false); // checked, not made: nothing to write
    const bug = await runCli('check', '--model', 'seqcount', '--bug', 'no-retry', '--out', deep, '--json');
    expect(bug.code).toBe(1);
    expect(replays(JSON.parse(bug.out).trace)).toBe(true);
    expect(readdirSync(deep).filter((n) => n.includes('probe') || n.endsWith('.tmp'))).toEqual([]);
  });

  it.skipIf(process.getuid?.() === 0)('a read-only directory (not testable as root, who may write anywhere)', async () => {
    const ro = join(tmp(), 'ro');
    mkdirSync(ro);
    chmodSync(ro, 0o500);
    const r = await runCli('check', '--model', 'seqcount', '--variant', 'v1', '--out', join(ro, 'out'));
    chmodSync(ro, 0o700);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(ONE_ERROR_LINE);
  });

  it('audit --report on an existing file, and on /proc: refused before the audit runs', async () => {
    const out = join(tmp(), 'traces');
    const f = aFile();
    const r = await runCli('audit', '--out', out, '--report', f);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(ONE_ERROR_LINE);
    expect(r.err).toContain(f);
    expect(existsSync(out)).toBe(false); // not one trace written: the audit did not start
    const p = await runCli('audit', '--out', out, '--report', '/proc/rmapcheck-report');
    expect(p.code).toBe(2);
    expect(p.err).toMatch(ONE_ERROR_LINE);
    expect(existsSync(out)).toBe(false);
  });
});

describe('item 13: trace names carry what changes the trace', () => {
  it('check with bfs, then dfs, into one directory: two traces, both runs exit 1', async () => {
    const d = tmp();
    const bfs = await runCli('check', '--model', 'seqcount', '--bug', 'no-retry', '--out', d, '--json');
    const dfs = await runCli('check', '--model', 'seqcount', '--bug', 'no-retry', '--strategy', 'dfs', '--out', d, '--json');
    expect([bfs.code, dfs.code, dfs.err]).toEqual([1, 1, '']);
    const [a, b] = [JSON.parse(bfs.out), JSON.parse(dfs.out)];
    expect(a.traceLength).not.toBe(b.traceLength); // really two different traces
    expect(a.trace).not.toBe(b.trace);
    expect(basename(b.trace)).toMatch(/-dfs\.json$/);
    expect(readdirSync(d).sort()).toEqual([basename(a.trace), basename(b.trace)].sort());
    expect(replays(a.trace) && replays(b.trace)).toBe(true);
    expect(JSON.parse(readFileSync(b.trace, 'utf8')).steps.length).toBe(b.traceLength);
  });

  it('explore minimized, then raw (--no-minimize), same seed: two traces', async () => {
    const d = tmp();
    const args = ['explore', '--model', 'seqcount', '--bug', 'no-retry', '--set', 'writers=3', '--set', 'readers=2', '--set', 'counters=2', '--seed', '1', '--runs', '2000', '--out', d, '--json'];
    const min = JSON.parse((await runCli(...args)).out);
    const r = await runCli(...args, '--no-minimize');
    expect([r.code, r.err]).toEqual([1, '']);
    const raw = JSON.parse(r.out);
    expect(min.minimizedTraceLength).toBeLessThan(raw.minimizedTraceLength);
    expect(basename(raw.trace)).toMatch(/-random-seed1-raw\.json$/);
    expect(readdirSync(d).length).toBe(2);
    expect(replays(min.trace) && replays(raw.trace)).toBe(true);
  });

  it('every setting that changes a trace changes its name; a default adds nothing', () => {
    const m = buildModel('seqcount', { bug: 'no-retry' });
    const names = [
      modelTraceName(m, 'snapshot'),
      modelTraceName(m, 'snapshot', { kind: 'check', strategy: 'dfs' }),
      modelTraceName(m, 'snapshot', { kind: 'check', reduction: false }),
      modelTraceName(m, 'snapshot', { kind: 'check', maxDepth: 7 }),
      modelTraceName(m, 'snapshot', { kind: 'explore', strategy: 'pct', seed: 1n }),
      modelTraceName(m, 'snapshot', { kind: 'explore', strategy: 'pct', seed: 2n }),
      modelTraceName(m, 'snapshot', { kind: 'explore', strategy: 'race', seed: 1n }),
      modelTraceName(m, 'snapshot', { kind: 'explore', strategy: 'pct', seed: 1n, pctDepth: 4 }),
      modelTraceName(m, 'snapshot', { kind: 'explore', strategy: 'pct', seed: 1n, depth: 50 }),
      modelTraceName(m, 'snapshot', { kind: 'explore', strategy: 'pct', seed: 1n, shard: { index: 1, count: 4 } }),
      modelTraceName(m, 'snapshot', { kind: 'explore', strategy: 'pct', seed: 1n, minimized: false }),
      modelTraceName(buildModel('seqcount', { bug: 'no-retry', set: { readers: '2' } }), 'snapshot'),
    ];
    expect(new Set(names).size).toBe(names.length);
    expect(modelTraceName(m, 'snapshot', { kind: 'check', strategy: 'bfs', reduction: true })).toBe(names[0]);
    expect(names[0]).toMatch(/^seqcount-v1-no-retry-snapshot-[0-9a-f]{6}\.json$/);
  });
});

describe('item 13: a verdict is never lost when its trace cannot be written', () => {
  /** Runs `argv` into a fresh directory where the trace's own name is taken by other content. */
  async function withTraceInTheWay(argv: string[]) {
    const first = JSON.parse((await runCli(...argv, '--out', tmp(), '--json')).out);
    const d = tmp();
    const taken = join(d, basename(first.trace));
    writeFileSync(taken, 'precious');
    return { d, taken, json: await runCli(...argv, '--out', d, '--json'), text: await runCli(...argv, '--out', d) };
  }

  for (const [name, argv] of [
    ['check', ['check', '--model', 'seqcount', '--bug', 'no-retry']],
    ['explore', ['explore', '--model', 'seqcount', '--bug', 'no-retry', '--seed', '1', '--runs', '100']],
  ] as const)
    it(`${name}: the verdict and the counterexample are printed, the path tried is named, exit 2`, async () => {
      const { d, taken, json, text } = await withTraceInTheWay([...argv]);
      expect(json.code).toBe(2);
      const j = JSON.parse(json.out);
      expect([j.verdict, j.property, j.trace]).toEqual(['violation', 'snapshot', null]);
      expect(j.writeErrors).toEqual([`${taken} already exists with other content (use --force to overwrite)`]);
      expect(json.err).toBe(`rmapcheck: error: ${j.writeErrors[0]}\n`);
      expect(text.code).toBe(2);
      expect(text.out).toMatch(/violation|VIOLATION/);
      expect(text.out).toContain('step');
      expect(text.out).toContain(`trace not written: ${taken} already exists`);
      expect(text.out).not.toContain('replay:');
      expect(text.err).toMatch(ONE_ERROR_LINE);
      expect(readFileSync(taken, 'utf8')).toBe('precious');
      expect(readdirSync(d)).toEqual([basename(taken)]);
    });
});

describe('item 14: prove and audit find output conflicts before they write', () => {
  it('prove --out with one conflicting file: no trace written, every verdict printed, exit 2', async () => {
    const d = tmp();
    writeFileSync(join(d, 'subid-wip-v1_orders-6-9-order8.json'), 'precious');
    const r = await runCli('prove', '--out', d, '--json');
    expect(r.code).toBe(2);
    const j = JSON.parse(r.out);
    expect(j.orders.filter((o: { verdict: string }) => o.verdict === 'refuted').map((o: { order: number }) => o.order)).toEqual([7, 8, 9]);
    expect(j.orders.every((o: { counterexample: { trace: string | null } | null }) => o.counterexample === null || o.counterexample.trace === null)).toBe(true);
    expect(j.writeErrors).toEqual([`${join(d, 'subid-wip-v1_orders-6-9-order8.json')} already exists with other content (use --force to overwrite)`]);
    expect(readdirSync(d)).toEqual(['subid-wip-v1_orders-6-9-order8.json']); // orders 7 and 9 not written either
    expect(r.err).toMatch(ONE_ERROR_LINE);
    const text = await runCli('prove', '--out', d);
    expect(text.code).toBe(2);
    expect(text.out).toContain('refuted');
    expect(text.out).toContain('counterexample (not saved)');
    expect(text.out).toContain(`traces not written:\n  ${join(d, 'subid-wip-v1_orders-6-9-order8.json')} already exists`);
  });

  it('audit --out with a prove trace in the way: stops before its model checks', async () => {
    const d = tmp();
    writeFileSync(join(d, 'subid-wip-v1_orders-6-9-order7.json'), 'precious');
    const t0 = Date.now();
    const r = await runCli('audit', '--out', d, '--explore-seconds', '0');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(ONE_ERROR_LINE);
    expect(r.err).toContain('the audit stopped before its model checks');
    expect(readdirSync(d)).toEqual(['subid-wip-v1_orders-6-9-order7.json']);
    expect(Date.now() - t0).toBeLessThan(30_000);
  });

  it('audit --report DIR twice: the report is reproducible, the second run needs no --force', async () => {
    const d = tmp();
    const argv = ['audit', '--out', join(d, 'traces'), '--report', join(d, 'report'), '--explore-seconds', '0.3'];
    const first = await runCli(...argv);
    expect([first.code, first.err]).toEqual([1, '']); // findings: wip-v1 orders 7..9
    const md = readFileSync(join(d, 'report', 'report.md'), 'utf8');
    const html = readFileSync(join(d, 'report', 'report.html'), 'utf8');
    const second = await runCli(...argv);
    expect([second.code, second.err]).toEqual([1, '']);
    expect(readFileSync(join(d, 'report', 'report.md'), 'utf8')).toBe(md);
    expect(readFileSync(join(d, 'report', 'report.html'), 'utf8')).toBe(html);
    // the timings are in the audit's own output, not in the report
    expect(first.out).toMatch(/Summary: .* \d+\.\d s\./);
    expect(md).not.toMatch(/\| seconds \||\| steps\/s \||first violation s/);
    expect(md).toContain('## Randomized exploration at real size');
  });

  it('audit with a model trace in the way: runs to its end, prints every verdict, names the trace not written, exit 2', async () => {
    const traces = tmp();
    const check = JSON.parse((await runCli('check', '--model', 'seqcount', '--variant', 'v1', '--bug', 'no-retry', '--out', traces, '--json')).out);
    writeFileSync(check.trace, 'precious'); // the audit checks this configuration too, under this name
    const r = await runCli('audit', '--out', traces, '--explore-seconds', '0', '--json');
    expect(r.code).toBe(2);
    const j = JSON.parse(r.out);
    const row = j.models.find((m: { config: { model: string; variant: string; bug: string } }) => m.config.model === 'seqcount' && m.config.bug === 'no-retry' && [null, 'v1'].includes(m.config.variant));
    expect([row.verdict, row.property, row.trace]).toEqual(['violation', 'snapshot', null]);
    expect(j.writeErrors).toEqual([`${check.trace} already exists with other content (use --force to overwrite)`]);
    expect(j.models.filter((m: { trace: string | null }) => m.trace !== null).length).toBeGreaterThan(5); // the others written
    expect(r.err).toBe(`rmapcheck: error: ${j.writeErrors[0]}\n`);
    expect(readFileSync(check.trace, 'utf8')).toBe('precious');
  });
});

describe('item 15: rmapcheck/vitest names traces like the CLI and overwrites nothing', () => {
  const failure = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a counterexample'); }, (e: Error) => e.message);

  it('two configurations violating one property get two trace files, each its own', async () => {
    const out = tmp();
    const a = await failure(expectNoCounterexample({ model: 'seqcount', bug: 'no-retry' }, { out }));
    const b = await failure(expectNoCounterexample({ model: 'seqcount', bug: 'no-retry', set: { readers: '2' } }, { out }));
    const pathA = /replay: npx rmapcheck replay (\S+)/.exec(a)![1];
    const pathB = /replay: npx rmapcheck replay (\S+)/.exec(b)![1];
    expect(pathA).not.toBe(pathB);
    expect(basename(pathA)).toBe(modelTraceName(buildModel('seqcount', { bug: 'no-retry' }), 'snapshot'));
    expect(readdirSync(out).sort()).toEqual([basename(pathA), basename(pathB)].sort());
    expect(JSON.parse(readFileSync(pathA, 'utf8')).params.readers).not.toBe(JSON.parse(readFileSync(pathB, 'utf8')).params.readers);
    expect(replays(pathA) && replays(pathB)).toBe(true);
    // the same test again rewrites its own file unchanged
    expect(await failure(expectNoCounterexample({ model: 'seqcount', bug: 'no-retry' }, { out }))).toBe(a);
  });

  it('a file with other content at the name is kept, and the failure says the trace was not written', async () => {
    const out = tmp();
    const name = modelTraceName(buildModel('seqcount', { bug: 'no-retry' }), 'snapshot');
    writeFileSync(join(out, name), 'precious');
    const msg = await failure(expectNoCounterexample({ model: 'seqcount', bug: 'no-retry' }, { out }));
    expect(msg).toContain('snapshot is violated in 5 steps');
    expect(msg).toContain(`trace not written: ${join(out, name)} already exists with other content`);
    expect(msg).not.toContain('replay:');
    expect(readFileSync(join(out, name), 'utf8')).toBe('precious');
  });
});
