/**
 * What only a real process shows (issue #9 items 4, 12, 20): a closed stdout, SIGTERM and SIGHUP
 * like Ctrl-C, and a signal that arrives while start-up is still loading the sources.
 */
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'child_process';
import { mkdtempSync, readdirSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ROOT } from '../helpers/cli';

const BIN = join(ROOT, 'bin', 'rmapcheck.js');
const SEND_SIGNAL = join(ROOT, 'test', 'helpers', 'send-signal.js');
/** A stack frame or Node's own error dump: never printed for anything the user did. */
const STACK = /\n\s+at |EPIPE|Error:/;

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
}

/**
 * Runs the CLI and has it receive `signal` while start-up is under way or 1 s into the run
 * (test/helpers/send-signal.js sends it from inside, at exactly that point).
 */
function runWithSignal(args: string[], signal: NodeJS.Signals, at: 'startup' | 'run'): Promise<Ended> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['-r', SEND_SIGNAL, BIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, RMAPCHECK_TEST_SIGNAL: signal, RMAPCHECK_TEST_SIGNAL_AT: at },
    });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('close', (code, sig) => resolve({ code, signal: sig, out, err }));
  });
}

const BIG_CHECK = ['check', '--model', 'seqcount', '--set', 'writers=4', '--set', 'readers=2', '--set', 'counters=3', '--json'];

describe('a closed stdout', () => {
  it('subids | head -1: the run ends quietly with 141 (128 + SIGPIPE), no EPIPE stack', () => {
    const r = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" subids --bound 4 --bits 16 | head -1; exit "\${PIPESTATUS[0]}"`], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(r.stdout).toMatch(/^chunk\s+subid\s+hex\s*\n$/);
    expect(r.stderr).not.toMatch(STACK);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(141);
  });
});

describe('SIGTERM and SIGHUP stop a long run like Ctrl-C', () => {
  it('check + SIGTERM during the run: the report is printed with verdict incomplete', async () => {
    const out = mkdtempSync(join(tmpdir(), 'rmapcheck-term-'));
    const r = await runWithSignal([...BIG_CHECK, '--out', out], 'SIGTERM', 'run');
    expect(r.err).not.toMatch(STACK);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.verdict).toBe('incomplete');
    expect(j.incompleteReason).toMatch(/abort|interrupt/);
    expect(j.states).toBeGreaterThan(0);
  });

  it('explore --json + SIGHUP during the run: the report of the executions that ran', async () => {
    const out = mkdtempSync(join(tmpdir(), 'rmapcheck-hup-'));
    const r = await runWithSignal(['explore', '--model', 'rmap', '--scenario', 'torn-values', '--time', '600', '--seed', '3', '--json', '--out', out], 'SIGHUP', 'run');
    expect(r.err).not.toMatch(STACK);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.stopped).toBe('aborted');
    expect(j.verdict).toBe('incomplete');
    expect(j.executions).toBeGreaterThan(0);
    expect(readdirSync(out)).toEqual([]); // nothing found, nothing written
  });

  it('SIGTERM during start-up: the long run starts stopped and reports at once', async () => {
    const out = mkdtempSync(join(tmpdir(), 'rmapcheck-term0-'));
    const r = await runWithSignal([...BIG_CHECK, '--out', out], 'SIGTERM', 'startup');
    expect(r.err).not.toMatch(STACK);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).verdict).toBe('incomplete');
  });
});

describe('a signal during start-up is not swallowed', () => {
  it('Ctrl-C while loading ends a short command (schemes) with 130 before it prints anything', async () => {
    const r = await runWithSignal(['schemes'], 'SIGINT', 'startup');
    expect(r.out).toBe('');
    expect(r.err).toBe('');
    expect(r.code).toBe(130);
  });

  it('SIGTERM while loading ends a short command with 143', async () => {
    const r = await runWithSignal(['models', '--json'], 'SIGTERM', 'startup');
    expect(r.out).toBe('');
    expect(r.err).toBe('');
    expect(r.code).toBe(143);
  });
});
