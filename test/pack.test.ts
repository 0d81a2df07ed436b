// The package people install: `npm pack` (prepack compiles to dist/), install the tarball into an
// empty folder from the local npm cache, and run the installed `rmapcheck` bin from there.
import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ROOT } from './helpers/cli';

const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

describe('npm package', () => {
  it('packs compiled JavaScript, declarations, bin, schemas and scenarios; the installed bin runs the audit', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rmapcheck-pack-'));
    const pack = spawnSync(NPM, ['pack', '--json', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8' });
    // the build's own output (tsc errors go to stdout) when prepack fails
    expect(pack.status, `npm pack failed:\n${pack.stdout}\n${pack.stderr}`).toBe(0);
    const packed = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('\n[') + 1));
    const files: string[] = packed[0].files.map((f: { path: string }) => f.path);
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

    const app = join(dir, 'app');
    execFileSync('mkdir', ['-p', app]);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
    const tarball = join(dir, readdirSync(dir).find((f) => f.endsWith('.tgz'))!);
    execFileSync(NPM, ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], { cwd: app, stdio: 'pipe' });

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
});
