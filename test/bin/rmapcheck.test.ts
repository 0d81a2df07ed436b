/**
 * bin/rmapcheck.js runs the compiled dist/ only (issue #11: no ts-node at run time), in a checkout
 * too, and says in one line what to run when dist/ was never built.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ROOT } from '../helpers/cli';

const BIN = join(ROOT, 'bin', 'rmapcheck.js');

function run(bin: string, args: string[], cwd: string, nodeArgs: string[] = []) {
  const r = spawnSync(process.execPath, [...nodeArgs, bin, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** A package-shaped folder: the real bin, and TypeScript sources that must never be run. */
function layout(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `rmapcheck-bin-${name}-`));
  mkdirSync(join(dir, 'bin'));
  cpSync(BIN, join(dir, 'bin', 'rmapcheck.js'));
  mkdirSync(join(dir, 'cli'));
  writeFileSync(join(dir, 'cli', 'main.ts'), "throw new Error('the sources were loaded');\n");
  return dir;
}

describe('bin/rmapcheck.js', () => {
  it('without dist/ (sources present): one line naming what to run, exit 2, nothing on stdout', () => {
    const dir = layout('missing');
    const r = run(join(dir, 'bin', 'rmapcheck.js'), ['--version'], dir);
    expect(r.out).toBe('');
    expect(r.err).toBe('rmapcheck: error: dist/cli/main.js is missing (not built): run `npm install` or `npm run build` in .\n');
    expect(r.code).toBe(2);
    // from elsewhere the folder to run it in is named in full
    const elsewhere = run(join(dir, 'bin', 'rmapcheck.js'), ['models'], tmpdir());
    expect(elsewhere.err).toBe(`rmapcheck: error: dist/cli/main.js is missing (not built): run \`npm install\` or \`npm run build\` in ${dir}\n`);
    expect(elsewhere.code).toBe(2);
  });

  it('with dist/ beside the sources it runs dist/, passing the arguments and the exit code through', () => {
    const dir = layout('dist');
    mkdirSync(join(dir, 'dist', 'cli'), { recursive: true });
    writeFileSync(join(dir, 'dist', 'cli', 'main.js'), "exports.main = async (argv) => { process.stdout.write('compiled ' + argv.join(' ') + '\\n'); return 1; };\n");
    const r = run(join(dir, 'bin', 'rmapcheck.js'), ['check', '--json'], dir);
    expect([r.out, r.err, r.code]).toEqual(['compiled check --json\n', '', 1]);
  });

  it('in this checkout: --version loads dist/ and neither ts-node nor typescript', () => {
    // a preloaded probe lists, at exit, every module file the process loaded
    const dir = mkdtempSync(join(tmpdir(), 'rmapcheck-bin-probe-'));
    const probe = join(dir, 'probe.js');
    const list = join(dir, 'loaded.json');
    writeFileSync(probe, `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(list)}, JSON.stringify(Object.keys(require.cache))));\n`);
    const r = run(BIN, ['--version'], ROOT, ['-r', probe]);
    const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
    expect([r.out, r.err, r.code]).toEqual([`${version}\n`, '', 0]);
    const loaded: string[] = JSON.parse(readFileSync(list, 'utf8'));
    expect(loaded).toContain(join(ROOT, 'dist', 'cli', 'main.js'));
    expect(loaded.filter((f) => /[\\/]node_modules[\\/](ts-node|typescript)[\\/]/.test(f) || /\.ts$/.test(f))).toEqual([]);
  });
});
