// `rmapcheck view`: bad input fails with one line and exit 2, leaving no file behind.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, writeFileSync, existsSync, chmodSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { runCli } from '../helpers/cli';

const TRACE = join(__dirname, '..', 'traces', 'seqcount-no-retry-snapshot.json');

describe('rmapcheck view', () => {
  it('writes the page, next to the trace by default', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rmapcheck-view-'));
    const copy = join(dir, 't.json');
    writeFileSync(copy, readFileSync(TRACE));
    const r = await runCli('view', copy);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`wrote ${join(dir, 't.html')}`);
    expect(readFileSync(join(dir, 't.html'), 'utf8')).toMatch(/^<!DOCTYPE html>/);
    const j = await runCli('view', copy, '--out', join(dir, 'x.html'), '--json');
    expect(JSON.parse(j.out)).toMatchObject({ out: join(dir, 'x.html'), kind: 'model', steps: 5, property: 'snapshot' });
  });

  it('an invalid trace: one-line error, exit 2, no output file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rmapcheck-view-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, readFileSync(TRACE, 'utf8').slice(0, 200));
    const r = await runCli('view', bad, '--out', join(dir, 'bad.html'));
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/^rmapcheck: error: .*bad\.json: not valid JSON/);
    const wrong = join(dir, 'wrong.json');
    writeFileSync(wrong, JSON.stringify({ ...JSON.parse(readFileSync(TRACE, 'utf8')), steps: 'none' }));
    const w = await runCli('view', wrong, '--out', join(dir, 'wrong.html'));
    expect(w.code).toBe(2);
    expect(w.err).toMatch(/does not match the schema at \/steps/);
    expect(readdirSync(dir).sort()).toEqual(['bad.json', 'wrong.json']);
  });

  it('an unwritable output path: one-line error, exit 2, no partial file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rmapcheck-view-'));
    const missing = await runCli('view', TRACE, '--out', join(dir, 'no', 'such', 'dir', 'x.html'));
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/^rmapcheck: error: cannot write .*x\.html: ENOENT\n$/);
    const ro = join(dir, 'ro');
    mkdirSync(ro);
    chmodSync(ro, 0o500);
    const denied = await runCli('view', TRACE, '--out', join(ro, 'x.html'));
    chmodSync(ro, 0o700);
    // root ignores directory permissions; the error path is what matters when it applies
    if (denied.code !== 0) {
      expect(denied.code).toBe(2);
      expect(denied.err.trim().split('\n')).toHaveLength(1);
    }
    expect(readdirSync(ro).filter((n) => n.includes('.tmp'))).toEqual([]);
    // an existing different file is not replaced without --force
    const out = join(dir, 'keep.html');
    writeFileSync(out, 'mine');
    const keep = await runCli('view', TRACE, '--out', out);
    expect(keep.code).toBe(2);
    expect(keep.err).toContain('already exists with other content (use --force to overwrite)');
    expect(readFileSync(out, 'utf8')).toBe('mine');
    expect((await runCli('view', TRACE, '--out', out, '--force')).code).toBe(0);
    expect(existsSync(out) && readFileSync(out, 'utf8').startsWith('<!DOCTYPE html>')).toBe(true);
  });
});
