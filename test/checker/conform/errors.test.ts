// What the C side can do wrong besides a wrong answer: not compile (a one-line error, exit 2),
// crash, hang, spin forever, or die without a word. Each is a finding (or the one-line error),
// shrunk like any divergence and replayed; rmapcheck itself neither crashes nor hangs.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { UsageError } from '../../../model/errors';
import { buildConformBinary, ownImplementation } from '../../../checker/conform/build';
import { runSequential } from '../../../checker/conform/sequential';
import { checkCase, layoutOfAdapter } from '../../../checker/conform/compare';
import { ConformProcess } from '../../../checker/conform/process';
import { runConform } from '../../../cli/conform';
import { buildKernel, kernelCopy } from '../../helpers/conform';
import type { SequentialResult } from '../../../checker/conform/sequential';
import { oneLineError } from '../../helpers/errors';

const usageError = oneLineError;

/** Re-runs the shrunk counterexample on a fresh process: the same divergence again. */
async function replay(binary: string, r: SequentialResult, stepLimitMs: number) {
  const proc = new ConformProcess(binary, stepLimitMs);
  try {
    await proc.request(Buffer.from([0x42, 0, 0, 0, 0, 0, 0, 0]), 0);
    return (await checkCase(proc, layoutOfAdapter(proc.info!), r.counterexample!)).divergence;
  } finally {
    proc.close();
  }
}

describe('conform: bad C code', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rmapcheck-conform-errors-'));
  const own = ownImplementation();

  it('a compile error, a link error, a missing compiler or file: one line naming the cause', async () => {
    const bad = join(dir, 'bad.c');
    writeFileSync(bad, '#include <rmapcheck/adapter.h>\nvoid rmc_adapter_info(struct rmc_adapter_info *info)\n{\n\tinfo->name = missing_symbol;\n}\n');
    const m = usageError(() => buildConformBinary({ impl: [bad] }));
    expect(m).toMatch(/^compiling bad\.c failed: .*bad\.c:4:\d+: error: 'missing_symbol' undeclared/);
    expect(m).not.toContain('\n');
    // the CLI runner lets the UsageError through (cli/main.ts prints it and exits 2)
    await expect(runConform({ impl: [bad], seed: 1, out: join(dir, 'out') })).rejects.toThrow(/^compiling bad\.c failed: .*error:/);

    const partial = join(dir, 'partial.c');
    writeFileSync(partial, '#include <rmapcheck/adapter.h>\nvoid rmc_adapter_info(struct rmc_adapter_info *info) { info->name = "x"; }\n');
    expect(usageError(() => buildConformBinary({ impl: [partial] }))).toMatch(/^linking the conformance binary failed: .*undefined reference to `rmc_adapter_/);
    expect(usageError(() => buildConformBinary({ impl: [own.impl], includeDirs: [own.includeDir], cc: 'no-such-cc' }))).toBe("C compiler 'no-such-cc' not found (choose one with --cc)");
    expect(usageError(() => buildConformBinary({ impl: [join(dir, 'nope.c')] }))).toBe(`--impl ${join(dir, 'nope.c')}: no such file`);
  });

  it('a crash (SIGSEGV) is a finding at the crashing operation, shrunk, and it replays', async () => {
    const k = kernelCopy([{ file: 'adapter.c', from: 'void rmc_adapter_unmap_pmd(unsigned int mm, enum rmc_path path) { unmap(mm, 1, 1, path); }', to: 'void rmc_adapter_unmap_pmd(unsigned int mm, enum rmc_path path) { *(volatile int *)0 = mm; }' }]);
    const b = buildKernel(k);
    const r = await runSequential({ binary: b.binary, seed: 3, runs: 200 });
    expect(r.divergence).toEqual({ op: 1, kind: 'crash', field: 'signal', expected: 'no crash', actual: 'SIGSEGV' });
    expect(r.counterexample!.ops.map((o) => o.op)).toEqual(['map-pmd', 'unmap-pmd']);
    expect(r.processStarts).toBeGreaterThan(1);
    expect(await replay(b.binary, r, 1000)).toEqual(r.divergence);
  });

  it('a process that dies without a word (SIGKILL) is a finding too', async () => {
    const k = kernelCopy([{ file: 'adapter.c', from: 'void rmc_adapter_ref(int delta) { folio_ref_add(&folio, delta); }', to: '#include <signal.h>\n#include <unistd.h>\nvoid rmc_adapter_ref(int delta) { if (delta < 0) kill(getpid(), SIGKILL); folio_ref_add(&folio, delta); }' }]);
    const r = await runSequential({ binary: buildKernel(k).binary, seed: 4, runs: 200 });
    expect(r.divergence).toMatchObject({ kind: 'crash', field: 'process', actual: 'SIGKILL' });
    expect(r.counterexample!.ops).toEqual([{ op: 'pin' }, { op: 'unpin' }]);
  });

  it('a hang is a finding at the hanging operation after the per-step limit, shrunk, and it replays', async () => {
    const k = kernelCopy([{ file: 'adapter.c', from: 'void rmc_adapter_ref(int delta) { folio_ref_add(&folio, delta); }', to: 'void rmc_adapter_ref(int delta) { while (delta < 0) barrier(); folio_ref_add(&folio, delta); }' }]);
    const b = buildKernel(k);
    const t0 = Date.now();
    const r = await runSequential({ binary: b.binary, seed: 5, runs: 100, stepLimitMs: 50 });
    expect(r.divergence).toMatchObject({ op: 1, kind: 'hang', field: 'time', expected: 'each operation within 50 ms' });
    expect(r.counterexample!.ops).toEqual([{ op: 'pin' }, { op: 'unpin' }]);
    expect(Date.now() - t0).toBeLessThan(60_000);
    expect((await replay(b.binary, r, 50))?.kind).toBe('hang');
  });

  it('a spin that cannot end in sequential mode is a livelock finding, not a hang', async () => {
    // the reader's begin waits while NO writer is active: with nobody else running, forever
    const k = kernelCopy([
      {
        file: 'include/linux/atomic_seqcount.h',
        from: '\twhile ((seq = atomic_long_read(&s->sequence)) & ATOMIC_SEQCOUNT_WRITERS_MASK)\n',
        to: '\twhile (!((seq = atomic_long_read(&s->sequence)) & ATOMIC_SEQCOUNT_WRITERS_MASK))\n',
      },
    ]);
    const r = await runSequential({ binary: buildKernel(k).binary, seed: 6, runs: 200 });
    expect(r.divergence).toMatchObject({ kind: 'livelock', field: 'spin' });
    expect(r.counterexample!.ops.at(-1)!.op).toBe('mapped-shared');
    expect(r.processStarts).toBe(1);
  });
});
