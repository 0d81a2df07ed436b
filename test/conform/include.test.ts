// The kernel-compatibility headers (conform/include/): kernel-style code compiles unchanged,
// plain `.counter` accesses are instrumented through the runtime's own -fsanitize=thread hooks
// (no libtsan), BUILD_BUG_ON fails the build, and a WARN/BUG that fires is a finding that names
// the condition, the file and the line.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'child_process';
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { BASE_FLAGS, TSAN_FLAGS, conformRoot } from '../../checker/conform/build';
import { runSequential } from '../../checker/conform/sequential';
import { buildKernel, kernelCopy } from '../helpers/conform';

const KERNEL_STYLE = `
#include <linux/kernel.h>
#include <linux/atomic.h>
#include <linux/mmdebug.h>
struct thing { atomic_long_t seq; atomic_t count; atomic_long_t val; long word; };
bool thing_update(struct thing *t, long start, int d)
{
	long s = atomic_long_read(&t->seq);
	u64 m = max(s, start);
	u8 small = min_t(u8, 300, 7);

	BUILD_BUG_ON(sizeof(long) != 8);
	VM_WARN_ON(s < 0);
	VM_WARN_ON_ONCE(atomic_read(&t->count) > 5);
	VM_BUG_ON(d > 1000);
	if (atomic_long_try_cmpxchg(&t->seq, &s, s | 0x10000))
		return true;
	if (atomic_long_add_return(1, &t->seq) & 0x10000)
		while (atomic_long_read(&t->seq) & 0x10000)
			cpu_relax();
	smp_mb__after_atomic();
	preempt_disable();
	t->val.counter += d;			/* the exclusive writer's plain update */
	atomic_set(&t->count, atomic_read(&t->count) + d);
	WRITE_ONCE(t->word, READ_ONCE(t->word) + 1);
	atomic_inc_return_relaxed(&t->count);
	preempt_enable();
	smp_mb__before_atomic();
	atomic_long_sub(1, &t->seq);
	smp_rmb();
	smp_wmb();
	smp_mb();
	if (WARN_ON_ONCE(atomic_dec_and_test(&t->count)))
		BUG();
	switch (d) {
	case 0 ... 3:
		return atomic_long_read(&t->seq) != start + (long)m + small;
	default:
		return false;
	}
}
`;

function cc(args: string[]): { status: number; stderr: string; stdout: string } {
  const r = spawnSync('gcc', args, { encoding: 'utf8' });
  return { status: r.status ?? -1, stderr: r.stderr, stdout: r.stdout };
}

describe('kernel-compatibility headers', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rmapcheck-headers-'));
  const src = join(dir, 'thing.c');
  writeFileSync(src, KERNEL_STYLE);
  const include = `-I${join(conformRoot(), 'include')}`;

  it('compile a kernel-style file without a warning, plain and instrumented', () => {
    for (const extra of [[], TSAN_FLAGS]) {
      const r = cc([...BASE_FLAGS, '-Wextra', '-Werror', ...extra, include, '-c', src, '-o', join(dir, 'thing.o')]);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    }
  });

  it('instrument the plain .counter access with __tsan_* hooks, and the marked accesses only as volatile ones', () => {
    const asm = cc([...BASE_FLAGS, ...TSAN_FLAGS, include, '-S', src, '-o', '-']);
    expect(asm.status).toBe(0);
    // `t->val.counter += d` is a plain load and a plain store of 8 bytes
    expect(asm.stdout).toMatch(/__tsan_read8\b/);
    expect(asm.stdout).toMatch(/__tsan_write8\b/);
    // atomic_*/READ_ONCE/WRITE_ONCE: volatile, which the runtime ignores (they made their own point)
    expect(asm.stdout).toMatch(/__tsan_volatile_read8\b/);
    expect(asm.stdout).toMatch(/rmc_sched_point_slow/);
  });

  it('fail the build on a BUILD_BUG_ON that is true', () => {
    const bad = join(dir, 'bad.c');
    writeFileSync(bad, '#include <linux/build_bug.h>\nvoid f(void) { BUILD_BUG_ON(sizeof(int) != 2); }\n');
    const r = cc([...BASE_FLAGS, include, '-c', bad, '-o', join(dir, 'bad.o')]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('BUILD_BUG_ON failed');
  });

  it('link an instrumented adapter with the runtime alone (no libtsan): the concurrent build of the own implementation', () => {
    const b = buildKernel(null, [], 'concurrent');
    expect(b.userFlags).toEqual(expect.arrayContaining(TSAN_FLAGS));
    const ldd = spawnSync('ldd', [b.binary], { encoding: 'utf8' });
    expect(ldd.stdout).not.toContain('libtsan');
  });

  it('report a VM_WARN_ON that fires as a finding with its condition, file and line', async () => {
    const k = kernelCopy([
      {
        file: 'mm/rmap_id.c',
        from: 'void __folio_add_large_rmap_val(struct folio *folio, int count, struct mm_struct *mm)\n{\n\tconst unsigned long c = count;\n',
        to: 'void __folio_add_large_rmap_val(struct folio *folio, int count, struct mm_struct *mm)\n{\n\tconst unsigned long c = count;\n\n\tVM_WARN_ON(count > 3);\n',
      },
    ]);
    const r = await runSequential({ binary: buildKernel(k).binary, seed: 11, runs: 200 });
    expect(r.verdict).toBe('violation');
    expect(r.divergence).toMatchObject({ kind: 'warning', field: 'WARN' });
    expect(r.divergence!.actual).toMatch(/^VM_WARN_ON\(count > 3\) at rmap_id\.c:\d+$/);
    // the shrunk case: one shared-path map of 4 PTEs
    expect(r.counterexample!.ops).toEqual([{ op: 'map', mm: 0, page: 0, nr: 4, path: 'shared' }]);
  });

  it('report a BUG_ON that fires, abandon only that operation, and keep serving', async () => {
    const k = kernelCopy([
      {
        file: 'mm/memory.c',
        from: '\tstart = raw_read_atomic_seqcount(&folio->_rmap_atomic_seqcount);\n',
        to: '\tstart = raw_read_atomic_seqcount(&folio->_rmap_atomic_seqcount);\n\tBUG_ON(folio_ref_count(folio) > 2);\n',
      },
    ]);
    const r = await runSequential({ binary: buildKernel(k).binary, seed: 12, runs: 200 });
    expect(r.divergence).toMatchObject({ kind: 'bug', field: 'BUG' });
    expect(r.divergence!.actual).toMatch(/^BUG_ON\(folio_ref_count\(folio\) > 2\) at memory\.c:\d+$/);
    expect(r.counterexample!.ops.at(-1)!.op).toBe('cow-reuse');
    expect(r.counterexample!.ops.length).toBe(2);
    // every abandoned operation (the search and the shrinking met many) left the process running
    expect(r.processStarts).toBe(1);
  });

  it('report a warning of the start-up code (the P15 table check) before any operation', async () => {
    // one entry of the 64-entry table of the 4-value scheme is wrong
    const k = kernelCopy([{ file: 'mm/rmap_id.c', from: '0x40300c01ul, 0x40300c02ul, 0x40301002ul, 0x40301003ul,', to: '0x40300c01ul, 0x40300c02ul, 0x40301002ul, 0x40301004ul,' }]);
    const r = await runSequential({ binary: buildKernel(k).binary, seed: 13, runs: 10 });
    expect(r.verdict).toBe('violation');
    expect(r.divergence).toMatchObject({ op: -1, kind: 'warning' });
    expect(r.divergence!.actual).toMatch(/^VM_WARN_ON\(rmap_subid_4_table\[i\] != calc_rmap_subid\(1u << RMAP_SUBID_4_MAX_ORDER, i\)\) at rmap_id\.c:\d+$/);
    expect(r.runs).toBe(0);
  });
});
