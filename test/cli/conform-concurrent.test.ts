// Concurrent mode as a user runs it: `rmapcheck conform --mode concurrent` on a concurrency mutant
// finds it (exit 1, the manifest's property and schedule length), writes the trace; `replay`
// re-runs the schedule on the rebuilt code (exit 1: reproduced) and `view` draws it.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { runCli } from '../helpers/cli';
import { kernelCopy } from '../helpers/conform';
import { CONCURRENCY_MUTANTS } from '../helpers/conform-concurrent';
import { conformPin } from '../helpers/manifest';

describe('conform --mode concurrent through the CLI', () => {
  it.each([['reader-no-retry', 'race'], ['shared-plain-store', 'random']])('%s (--strategy %s): violation, trace, replay reproduces, view writes a page', async (id, strategy) => {
    const m = CONCURRENCY_MUTANTS.find((x) => x.id === id)!;
    const pinned = conformPin(id, strategy as 'race' | 'random');
    const dir = kernelCopy([m.edit]);
    const out = mkdtempSync(join(tmpdir(), 'rmapcheck-conform-ccli-'));
    const args = ['conform', '--mode', 'concurrent', '--strategy', strategy, '--impl', join(dir, 'adapter.c'), '-I', join(dir, 'include'), ...m.defines.flatMap((d) => ['-D', d]), '--seed', '1', '--out', out];
    const r = await runCli(...args, '--json');
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ mode: 'concurrent', verdict: 'violation', property: pinned.property, traceLength: pinned.traceLength });
    expect(typeof j.trace).toBe('string');
    // the text form names the same finding and prints the replay line
    const t = await runCli(...args, '--force');
    expect(t.code).toBe(1);
    expect(t.out).toContain(`replay: npx rmapcheck replay ${j.trace}`);
    const replay = await runCli('replay', j.trace);
    expect(replay.err).toBe('');
    expect(replay.code).toBe(1);
    expect(replay.out).toMatch(/reproduces: yes/);
    const page = join(out, 'page.html');
    const view = await runCli('view', j.trace, '--out', page);
    expect(view.code).toBe(0); // view writes a page (exit 0 for every trace kind)
    expect(existsSync(page)).toBe(true);
  });
});
