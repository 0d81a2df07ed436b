/**
 * Ctrl-C during a long run: the run stops, prints what it found so far (verdict `incomplete` for
 * an exhaustive check) and exits normally, without a stack trace.
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'child_process';
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ROOT } from './helpers/cli';

function interrupt(args: string[], afterMs: number): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [join(ROOT, 'bin', 'rmapcheck.js'), ...args], { cwd: ROOT });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => p.kill('SIGINT'), afterMs);
    p.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}

// bin/rmapcheck.js takes a Ctrl-C from its first line on (cli/interrupt.ts): one that arrives
// while the sources are still loading makes the run start aborted, so these delays only need
// the node process itself to have started.
describe('Ctrl-C', () => {
  it('check: stops with verdict incomplete and prints the figures so far', async () => {
    const out = mkdtempSync(join(tmpdir(), 'rmapcheck-int-'));
    const r = await interrupt(['check', '--model', 'seqcount', '--set', 'writers=4', '--set', 'readers=2', '--set', 'counters=3', '--json', '--out', out], 1500);
    expect(r.err).not.toMatch(/at .*\.ts:\d+/);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.verdict).toBe('incomplete');
    expect(j.incompleteReason).toMatch(/abort|interrupt/i);
    expect(j.states).toBeGreaterThan(0);
  });

  it('explore: stops between executions and reports what it ran', async () => {
    const out = mkdtempSync(join(tmpdir(), 'rmapcheck-int-'));
    const r = await interrupt(['explore', '--model', 'rmap', '--scenario', 'torn-values', '--time', '600', '--seed', '3', '--json', '--out', out], 4000);
    expect(r.err).not.toMatch(/at .*\.ts:\d+/);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.verdict).toBe('ok');
    expect(j.executions).toBeGreaterThan(0);
  });
});

