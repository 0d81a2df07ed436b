/**
 * The `replay:` and `repeat:` lines a person pastes into a shell (issue #9 item 18): quoted so
 * that paths with spaces, quotes or non-ASCII letters and an inline JSON scenario arrive as the
 * arguments they were. Each line is run by bash with `npx` standing for a recorder of its
 * arguments, and those arguments are run again; one line is pasted for real.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'child_process';
import { mkdirSync, mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ROOT, runCli } from '../helpers/cli';
import { shellCommand } from '../../cli/shell';
import { repeatLine } from '../../cli/explore';

/** What bash passes to `npx` when it runs `line`. */
function argvOf(line: string): string[] {
  const out = execFileSync('bash', ['-c', `npx() { printf '%s\\0' "$@"; }\n${line}`], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

/** The command of the output line that starts with `prefix` (e.g. `replay: `). */
function lineOf(text: string, prefix: string): string {
  const l = text.split('\n').find((x) => x.startsWith(prefix));
  expect(l, `a "${prefix}" line in:\n${text}`).toBeDefined();
  return l!.slice(prefix.length);
}

const base = mkdtempSync(join(tmpdir(), 'rmapcheck-shell-'));
const WEIRD = join(base, "out dir ü € it's $HOME `x`");
mkdirSync(WEIRD);

describe('shell quoting', () => {
  it('any argument survives bash: spaces, quotes, $, backquotes, !, newlines, backslashes, unicode, a leading = or ~, empty', () => {
    const args = ['plain', '', "it's", 'a b', '$HOME', '`date`', '!x', 'line\nbreak', "tab\t'\\n'\\", 'ü€', '=x', '~root', '--set=a=b', '{"a": [1, "b"]}', '*', 'a;b|c&d'];
    const line = shellCommand(args);
    expect(line).not.toContain('\n'); // one line, to copy and paste
    expect(argvOf(`npx ${line}`)).toEqual(args);
    expect(shellCommand(['rmapcheck', 'replay', 'out/x-1.json'])).toBe('rmapcheck replay out/x-1.json'); // plain stays plain
  });

  it('explore: the replay and repeat lines, with an --out path and an inline JSON scenario, run the same thing', async () => {
    const scenario = readFileSync(join(ROOT, 'scenarios', 'torn-values.json'), 'utf8'); // with newlines and quotes
    const argv = ['explore', '--model', 'rmap', '--bug', 'no-retry', '--scenario', scenario, '--seed', '5', '--runs', '20000', '--out', WEIRD];
    const text = await runCli(...argv);
    expect(text.code).toBe(1);
    const j = JSON.parse((await runCli(...argv, '--json')).out);
    expect(argvOf(lineOf(text.out, 'replay: '))).toEqual(['rmapcheck', 'replay', j.trace]);
    const repeat = argvOf(lineOf(text.out, 'repeat: '));
    expect(repeat.slice(0, 2)).toEqual(['rmapcheck', 'explore']);
    expect(repeat).toContain(scenario);
    const again = JSON.parse((await runCli(...repeat.slice(1), '--json', '--out', WEIRD)).out);
    expect([again.verdict, again.property, again.violationExecution, again.executions, again.trace]).toEqual([j.verdict, j.property, j.violationExecution, j.executions, j.trace]);
    // the audit's rows use the same line (a scenario path with a space)
    const row = repeatLine({ model: 'rmap', scenario: join(WEIRD, 'large order9.json'), runs: 7 }, 1n, 'race');
    expect(argvOf(`npx ${row}`)).toEqual(['rmapcheck', 'explore', '--model', 'rmap', '--scenario', join(WEIRD, 'large order9.json'), '--strategy', 'race', '--seed', '1', '--runs', '7']);
  });

  it('check, minimize and prove: the replay line names the trace written', async () => {
    const check = await runCli('check', '--model', 'seqcount', '--bug', 'no-retry', '--out', WEIRD, '--force');
    const checkTrace = JSON.parse((await runCli('check', '--model', 'seqcount', '--bug', 'no-retry', '--out', WEIRD, '--json')).out).trace;
    expect(argvOf(lineOf(check.out, 'replay: '))).toEqual(['rmapcheck', 'replay', checkTrace]);
    const min = join(WEIRD, 'min ü.json');
    const minimize = await runCli('minimize', checkTrace, '--out', min, '--force');
    expect(argvOf(lineOf(minimize.out, 'replay: '))).toEqual(['rmapcheck', 'replay', min]);
    const prove = await runCli('prove', '--order', '7', '--out', WEIRD, '--force');
    const proveTrace = JSON.parse((await runCli('prove', '--order', '7', '--out', WEIRD, '--json')).out).orders[0].counterexample.trace;
    expect(argvOf(lineOf(prove.out, 'replay: '))).toEqual(['rmapcheck', 'replay', proveTrace]);
  });

  it('a replay line pasted into a shell for real reproduces the violation', async () => {
    const text = await runCli('check', '--model', 'seqcount', '--bug', 'no-retry', '--out', WEIRD, '--force');
    const r = spawnSync('bash', ['-c', lineOf(text.out, 'replay: ')], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('violation reproduces: yes');
  });
});
