// The package people install: `npm pack` (prepack compiles to dist/), install the tarball into an
// empty folder from the local npm cache, and run the installed `rmapcheck` bin and library from there.
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ROOT } from '../helpers/cli';
import { figuresOf, pinnedConfig, pinnedWith } from '../helpers/manifest';

const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

describe('npm package', () => {
  let app = '';
  let files: string[] = [];

  beforeAll(() => {
    const dir = mkdtempSync(join(tmpdir(), 'rmapcheck-pack-'));
    const pack = spawnSync(NPM, ['pack', '--json', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8' });
    // the build's own output (tsc errors go to stdout) when prepack fails
    expect(pack.status, `npm pack failed:\n${pack.stdout}\n${pack.stderr}`).toBe(0);
    const packed = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('\n[') + 1));
    files = packed[0].files.map((f: { path: string }) => f.path);
    app = join(dir, 'app');
    execFileSync('mkdir', ['-p', app]);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
    const tarball = join(dir, readdirSync(dir).find((f) => f.endsWith('.tgz'))!);
    execFileSync(NPM, ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], { cwd: app, stdio: 'pipe' });
  });

  it('packs compiled JavaScript, declarations, bin, schemas and scenarios; the installed bin runs the audit', () => {
    for (const f of [
      'bin/rmapcheck.js',
      'dist/cli/main.js',
      'dist/index.js',
      'dist/index.d.ts',
      'dist/viewer/html.js',
      'dist/integrations/vitest.mjs',
      'dist/integrations/vitest-core.js',
      'dist/integrations/vitest.d.ts',
      'dist/schemas/trace.schema.json',
      'dist/scenarios/torn-values.json',
      'dist/scenarios/large-order9.json',
      'schemas/trace.schema.json',
      'scenarios/torn-values.json',
    ])
      expect(files, f).toContain(f);
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    expect(files.filter((f) => f.startsWith('test/'))).toEqual([]);

    const audit = spawnSync('npx', ['rmapcheck', 'audit', '--json', '--out', 'out'], { cwd: app, encoding: 'utf8' });
    expect(audit.stderr).toBe('');
    expect(audit.status).toBe(1); // the audit refutes orders 7..9 of the series
    const json = JSON.parse(audit.stdout);
    expect(json.prove.orders.filter((o: { verdict: string }) => o.verdict === 'refuted').map((o: { order: number }) => o.order)).toEqual([7, 8, 9]);
    expect(json.models.length).toBeGreaterThan(20);
    expect(json.models.every((m: { asExpected: boolean }) => m.asExpected)).toBe(true);

    // a trace the installed package wrote replays and renders with the installed package
    const trace = json.models.find((m: { trace: string | null }) => m.trace !== null).trace;
    const replay = spawnSync('npx', ['rmapcheck', 'replay', trace], { cwd: app, encoding: 'utf8' });
    expect(replay.status).toBe(1);
    expect(replay.stdout).toContain('violation reproduces: yes');
    const view = spawnSync('npx', ['rmapcheck', 'view', trace], { cwd: app, encoding: 'utf8' });
    expect(view.status).toBe(0);
    // the library entry and its types
    const lib = spawnSync(process.execPath, ['-e', "const r = require('rmapcheck'); process.stdout.write(typeof r.parseTrace + ' ' + r.TOOL_VERSION)"], { cwd: app, encoding: 'utf8' });
    expect(lib.stdout).toMatch(/^function \d+\.\d+\.\d+/);
  });

  it("the installed library: the README's example prints what the README shows, and agrees with the manifest", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf("## The library: `require('rmapcheck')`"));
    const script = /```js\n([\s\S]*?)```/.exec(section)![1];
    const shown = /```text\n([\s\S]*?)```/.exec(section)![1];
    writeFileSync(join(app, 'example.js'), script);
    const run = spawnSync(process.execPath, ['example.js'], { cwd: app, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(shown);
    // the shown figures are the pinned ones
    const pinned = figuresOf(pinnedWith('seqcount', { bug: 'no-retry', variant: 'v1' })!);
    expect(shown.split('\n')[0]).toBe(`${pinned.verdict} ${pinned.property} ${pinned.states} ${pinned.counterexampleLength}`);
  });

  it('the installed library: check and explore on a tiny correct configuration, the model registry and rmapModel', () => {
    const script = `
      const r = require('rmapcheck');
      const model = r.buildModel('seqcount', { variant: 'v1' });
      const c = r.check(model);
      const e = r.exploreSync(model, { strategy: 'random', seed: 5n, runs: 200 });
      const rm = r.rmapModel({ scenario: 'torn-values', variant: 'v2', p20: true, bug: 'none' });
      r.explore(r.rmapModel({ scenario: 'large-order9' }), { strategy: 'race', seed: 1n, runs: 3 }).then((big) =>
        process.stdout.write(JSON.stringify({
          check: [c.verdict, c.states, c.transitions],
          explore: [e.verdict, e.executions],
          models: r.MODELS.map((m) => m.name),
          found: r.findModel('rmap').name,
          rmap: [rm.name, rm.params.scenario, rm.params.variant],
          big: [big.executions, big.params.scenario],
          functions: ['check', 'checkAsync', 'explore', 'exploreSync', 'buildModel', 'findModel', 'rmapModel', 'seqcountModel', 'replayModelTrace', 'replaySubIdTrace', 'replayTraceFile', 'minimizeCounterexample', 'proveSchemeSet', 'parseTrace', 'serializeTrace'].filter((f) => typeof r[f] !== 'function'),
        })));`;
    const run = spawnSync(process.execPath, ['-e', script], { cwd: app, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const out = JSON.parse(run.stdout);
    const v1 = figuresOf(pinnedConfig('seqcount', 'v1'));
    expect(out.check).toEqual([v1.verdict, v1.states, v1.transitions]);
    expect(out.explore[0]).not.toBe('violation'); // check proved there is none
    expect(out.explore[1]).toBe(200);
    expect(out.models).toEqual(['seqcount', 'rmap', 'mmid']);
    expect(out.found).toBe('rmap');
    expect(out.rmap).toEqual(['rmap', 'torn-values', 'v2']);
    expect(out.big).toEqual([3, 'large-order9']);
    expect(out.functions).toEqual([]);
  });

  it('the installed declarations type-check a consumer of the library', () => {
    const consumer = join(app, 'consumer.ts');
    writeFileSync(
      consumer,
      [
        "import { check, explore, buildModel, rmapModel, type CheckResult, type ExploreReport, type CheckVerdict } from 'rmapcheck';",
        "const r: CheckResult = check(buildModel('seqcount', { variant: 'v2' }));",
        'const v: CheckVerdict = r.verdict;',
        "const e: Promise<ExploreReport> = explore(rmapModel({ scenario: 'torn-values' }), { strategy: 'pct', seed: 1n, runs: 10 });",
        'export { v, e };',
      ].join('\n'),
    );
    const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '--strict', '--skipLibCheck', '--target', 'ES2022', '--module', 'commonjs', '--moduleResolution', 'node', '--types', 'node', '--typeRoots', join(ROOT, 'node_modules', '@types'), consumer], { cwd: app, encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
  });

  it('the installed bin runs conform: the package ships conform/ (headers, runtime, its own implementation)', () => {
    for (const f of ['conform/include/rmapcheck/adapter.h', 'conform/include/linux/atomic.h', 'conform/runtime/main.c', 'conform/kernel/adapter.c', 'conform/kernel/mm/rmap_id.c']) expect(files, f).toContain(f);
    const run = spawnSync('npx', ['rmapcheck', 'conform', '--runs', '20', '--seed', '1', '--json', '--out', 'out'], { cwd: app, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const j = JSON.parse(run.stdout);
    expect([j.verdict, j.runs, j.mode]).toEqual(['ok', 20, 'sequential']);
    expect(j.impl[0]).toBe(join(app, 'node_modules', 'rmapcheck', 'conform', 'kernel', 'adapter.c'));
  });

  it('the installed bin takes every scenario by name (the package ships scenarios/)', () => {
    const run = spawnSync('npx', ['rmapcheck', 'explore', '--model', 'rmap', '--scenario', 'large-mixed', '--seed', '1', '--runs', '5', '--json', '--out', 'out'], { cwd: app, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const j = JSON.parse(run.stdout);
    expect([j.params.scenario, j.executions]).toEqual(['large-mixed', 5]);
  });

  it('the installed bin runs the mmid model on a preset, compare on its workloads, and litmus on an export (scenarios/mmid/, workloads/, lkmm/)', () => {
    const mmid = spawnSync('npx', ['rmapcheck', 'check', '--model', 'mmid', '--scenario', 'pmd-unmap-vs-cow', '--variant', 'page-mapcount', '--json', '--out', 'out'], { cwd: app, encoding: 'utf8' });
    expect(mmid.stderr).toBe('');
    expect([mmid.status, JSON.parse(mmid.stdout).property]).toEqual([1, 'warn-cow-entire']);
    const cmp = spawnSync('npx', ['rmapcheck', 'compare', '--seed', '1', '--runs', '2', '--json', '--out', 'out'], { cwd: app, encoding: 'utf8' });
    expect(cmp.stderr).toBe('');
    expect(cmp.status).toBe(0);
    const names = JSON.parse(cmp.stdout).workloads.map((w: { name: string }) => w.name);
    expect(names).toContain('double-fork');
    expect(names.filter((n: string) => n.startsWith('random-'))).toHaveLength(2);
    const exp = spawnSync('npx', ['rmapcheck', 'litmus', '--export', '--model', 'seqcount', '--variant', 'v1', '--out', 'lit'], { cwd: app, encoding: 'utf8' });
    expect(exp.status).toBe(0);
    const lit = spawnSync('npx', ['rmapcheck', 'litmus', join('lit', 'seqcount-v1-reader-vs-shared.litmus'), '--json'], { cwd: app, encoding: 'utf8' });
    expect(lit.stderr).toBe('');
    expect([lit.status, JSON.parse(lit.stdout).verdict]).toEqual([0, 'never']);
  });
});
