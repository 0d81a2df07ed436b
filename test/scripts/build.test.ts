/**
 * scripts/build.js (`npm run build`, `prepare`, and the tests' set-up): dist/ always matches the
 * sources. Run on a copy of the sources, never on the checkout's dist/, which other test files'
 * processes are running meanwhile.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, relative, sep } from 'path';
import { ROOT } from '../helpers/cli';

/** What the build does not read (test/ and bench/ are not built; conform/ is C). */
const NOT_COPIED = new Set(['node_modules', 'dist', '.git', 'test', 'bench', 'docs', 'conform', 'rmapcheck-out', 'coverage', '.scratch']);

let copy = '';

function build(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [join(copy, 'scripts', 'build.js'), ...args], { cwd: copy, encoding: 'utf8', timeout: 240_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(() => {
  copy = mkdtempSync(join(tmpdir(), 'rmapcheck-build-'));
  cpSync(ROOT, copy, { recursive: true, filter: (src) => !NOT_COPIED.has(relative(ROOT, src).split(sep)[0]) });
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
}, 240_000);

describe('npm run build', () => {
  it('builds dist/ from nothing; the bin then runs it; a second build writes nothing', () => {
    const first = build();
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/^build: dist\/ updated \(\d+ file\(s\) written\) in [\d.]+ s\n$/);
    const version = spawnSync(process.execPath, [join(copy, 'bin', 'rmapcheck.js'), '--version'], { cwd: copy, encoding: 'utf8' });
    expect([version.stdout, version.status]).toEqual([`${JSON.parse(readFileSync(join(copy, 'package.json'), 'utf8')).version}\n`, 0]);
    for (const f of ['index.d.ts', 'integrations/vitest.mjs', 'schemas/trace.schema.json', 'scenarios/large-order9.json']) expect(existsSync(join(copy, 'dist', f)), f).toBe(true);
    const main = join(copy, 'dist', 'cli', 'main.js');
    const before = statSync(main).mtimeMs;
    const again = build();
    expect([again.out, again.err, again.code]).toEqual([expect.stringMatching(/^build: dist\/ up to date in [\d.]+ s\n$/), '', 0]);
    expect(statSync(main).mtimeMs).toBe(before);
  }, 300_000);

  it('type errors fail it with tsc\'s message (--allow-type-errors, the tests\' set-up, warns); stale outputs go, missing ones come back', () => {
    // a source with a type error, and one that is built and then deleted (as a rename leaves its
    // old name behind)
    writeFileSync(join(copy, 'model', 'zz-typo.ts'), "export const n: number = 'not a number';\n");
    writeFileSync(join(copy, 'model', 'zz-gone.ts'), 'export const gone = 1;\n');
    const strict = build();
    expect(strict.code).toBe(1);
    expect(strict.err).toMatch(/^build: tsc -p tsconfig.build.json failed:\nmodel\/zz-typo.ts\(1,14\): error TS2322/);
    const lax = build('--allow-type-errors');
    expect(lax.code).toBe(0);
    expect(lax.err).toMatch(/^build: warning: dist\/ built despite 1 type error\(s\) \(npm run typecheck shows them\); first:\nmodel\/zz-typo.ts\(1,14\)/);
    for (const f of ['model/zz-typo.js', 'model/zz-gone.js', 'model/zz-gone.d.ts']) expect(existsSync(join(copy, 'dist', f)), f).toBe(true);

    rmSync(join(copy, 'model', 'zz-typo.ts'));
    rmSync(join(copy, 'model', 'zz-gone.ts'));
    // leftovers of older builds: a file and a whole folder without sources, a dropped asset
    mkdirSync(join(copy, 'dist', 'old-folder'));
    writeFileSync(join(copy, 'dist', 'old-folder', 'x.js'), '');
    writeFileSync(join(copy, 'dist', 'checker', 'renamed.d.ts'), '');
    writeFileSync(join(copy, 'dist', 'scenarios', 'dropped.json'), '{}');
    // and an output deleted by hand, which tsc --build alone would not notice
    rmSync(join(copy, 'dist', 'model', 'errors.js'));
    const r = build();
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/stale removed/);
    for (const f of ['model/zz-typo.js', 'model/zz-gone.js', 'model/zz-gone.d.ts', 'old-folder', 'checker/renamed.d.ts', 'scenarios/dropped.json']) expect(existsSync(join(copy, 'dist', f)), f).toBe(false);
    expect(existsSync(join(copy, 'dist', 'model', 'errors.js'))).toBe(true);
    const models = spawnSync(process.execPath, [join(copy, 'bin', 'rmapcheck.js'), 'models', '--json'], { cwd: copy, encoding: 'utf8' });
    expect([models.stderr, models.status]).toEqual(['', 0]);
  }, 600_000);
});
