// The concurrent mode's foundation: the adapter compiled with -fsanitize=thread, its operations
// run as cooperative threads in one C process, every marked access, barrier, spin and plain
// access to a registered word a scheduling point, the schedule chosen by the runtime's scheduler
// (here: a fixed decision list). And what the C side can do wrong — crash, hang, spin or retry
// without end — is a finding of the execution, never a failure of rmapcheck.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'fs';
import { join } from 'path';
import { ConformProcess } from '../../../checker/conform/process';
import { ProgramChecker } from '../../../checker/conform/concurrent-check';
import { layoutOfAdapter } from '../../../checker/conform/compare';
import { runThreadsRequest, type Decision, type ExecEvent, type ThreadsRequest } from '../../../checker/conform/threads';
import { buildConcurrentTrace, parseConcurrentTrace, replayConcurrentTrace, runConformConcurrent, serializeConcurrentTrace } from '../../../checker/conform/concurrent';
import type { ConformOp } from '../../../checker/conform/ops';
import type { ConcurrentCase } from '../../../generators/conform-concurrent';
import { buildKernel, kernelCopy } from '../../helpers/conform';

const T0: ConformOp[] = [{ op: 'map', mm: 0, page: 0, nr: 1, path: 'exclusive' }];
const T1: ConformOp[] = [{ op: 'map', mm: 1, page: 1, nr: 1, path: 'exclusive' }, { op: 'mapped-shared', mm: 1 }];
const ALTERNATE = Array.from({ length: 200 }, (_, i) => i % 2);
const WORDS = ['', 'seq', 'mapcount', 'entire', 'refcount', 'values'];

async function withProcess<T>(binary: string, f: (p: ConformProcess) => Promise<T>): Promise<T> {
  const proc = new ConformProcess(binary, 1000);
  try {
    await proc.request(Buffer.from([0x42, 0, 0, 0, 0, 0, 0, 0]), 0);
    return await f(proc);
  } finally {
    proc.close();
  }
}

const program = (threads: ConformOp[][], setup: ConformOp[] = []): ConcurrentCase => ({ order: 2, rmapIds: [1, 2], setup, threads });
const request = (p: ConcurrentCase, decisions: number[], maxPoints = 10_000): ThreadsRequest => ({ ...p, strategy: 'fixed', executions: 1, decisions, maxPoints, record: true });
const decisionsOf = (events: ExecEvent[]) => events.filter((e): e is Extract<ExecEvent, { kind: 'decision' }> => e.kind === 'decision') as Decision[];

describe('concurrent mode: cooperative threads under a decision list', () => {
  const b = buildKernel(null, [], 'concurrent');

  it('interleaves two writers racing to be exclusive: one wins, the other spins, no update is lost', async () => {
    await withProcess(b.binary, async (proc) => {
      const p = program([T0, T1]);
      const r = await runThreadsRequest(proc, request(p, ALTERNATE));
      const e = r.executions[0];
      expect(e.end).toBe('finished');
      expect(r.words).toEqual(WORDS.slice(1));
      const points = decisionsOf(e.events);
      expect(points.length).toBe(e.steps);
      expect(e.events.filter((x) => x.kind === 'warning')).toEqual([]);
      // V3: both see no writer, both add EXCL; T0's add-return came first, so T0 is exclusive
      const firstRmw = points.filter((x) => x.tag === 'rmw-return').map((x) => x.thread);
      expect(firstRmw.slice(0, 2)).toEqual([0, 1]);
      // the exclusive writer's plain .counter updates are points (through the __tsan_* hooks)
      const plain = points.filter((x) => x.tag === 'plain');
      expect(plain.length).toBeGreaterThan(0);
      expect(new Set(plain.map((x) => x.thread))).toEqual(new Set([0]));
      expect(new Set(plain.map((x) => WORDS[x.word]))).toEqual(new Set(['entire', 'values']));
      // the loser spun while the exclusive bit was set, and was descheduled meanwhile
      const spin = points.findIndex((x) => x.tag === 'spin' && x.thread === 1);
      expect(spin).toBeGreaterThan(0);
      expect(points.slice(0, spin).some((x) => x.thread === 1 && (x.tags & (1 << 8)) !== 0)).toBe(false);
      // no lost update: both mappings counted, values = subid(1) + subid(2) for order 2
      const last = e.events.filter((x): x is Extract<ExecEvent, { kind: 'quiescent' }> => x.kind === 'quiescent').at(-1)!;
      expect([last.obs.mapcount, last.obs.refcount]).toEqual([2, 2]);
      expect(last.obs.values[0]).toBe(1n + 5n);
      expect(last.obs.seq).toBe(2n * 0x100000000n);
      const answers = e.events.flatMap((x) => (x.kind === 'end' ? [[x.thread, x.op, x.answer]] : []));
      expect(answers).toContainEqual([1, 1, 1]);
      // and the checker agrees: nothing wrong with this execution
      const checker = new ProgramChecker(p, layoutOfAdapter(proc.info!));
      expect(checker.check(e, 10_000)).toBeNull();
    });
  });

  it('is deterministic: the same decisions give the same execution, byte for byte; other decisions another one', async () => {
    await withProcess(b.binary, async (proc) => {
      const p = program([T0, T1]);
      const a = await runThreadsRequest(proc, request(p, ALTERNATE));
      const again = await runThreadsRequest(proc, request(p, ALTERNATE));
      expect(Buffer.compare(a.raw, again.raw)).toBe(0);
      const other = await runThreadsRequest(proc, request(p, ALTERNATE.map((d) => 1 - d)));
      expect(decisionsOf(other.executions[0].events).filter((x) => x.tag === 'rmw-return')[0].thread).toBe(1);
      expect(Buffer.compare(a.raw, other.raw)).not.toBe(0);
    });
  });

  it('a writer that never ends its section leaves every other thread spinning: a livelock finding, found at once', async () => {
    // (before the strategies were wired, the runtime let spinning threads run and the execution
    // only ended at its point bound; spin points now deschedule a thread until another stores)
    // (preemption is enabled again, so that the one thing wrong is the seqcount left with a writer)
    const k = kernelCopy([{ file: 'adapter.c', from: '\t__folio_write_large_rmap_end(&folio, exclusive);\n}', to: '\tif (count > 0)\n\t\t__folio_write_large_rmap_end(&folio, exclusive);\n\telse\n\t\tpreempt_enable();\n}' }]);
    await withProcess(buildKernel(k, [], 'concurrent').binary, async (proc) => {
      // the reader starts (so no quiescent moment shows the writer bit left behind), the writer
      // runs; mapcount 2 after the unmap: the reader goes into its seqcount loop and waits
      const p = program([[{ op: 'unmap', mm: 0, page: 0, nr: 1, path: 'auto' }], [{ op: 'mapped-shared', mm: 0 }]], [{ op: 'map', mm: 0, page: 0, nr: 3, path: 'auto' }]);
      const r = await runThreadsRequest(proc, request(p, [1, 0], 5_000));
      const e = r.executions[0];
      expect(e.end).toBe('deadlock');
      expect(e.steps).toBeLessThan(100);
      // the reader's last action read the seqcount, saw the writer bit and reached cpu_relax()
      const last = decisionsOf(e.events).at(-1)!;
      expect([last.thread, last.tag, WORDS[last.word]]).toEqual([1, 'read', 'seq']);
      const f = new ProgramChecker(p, layoutOfAdapter(proc.info!)).check(e, 5_000);
      expect(f).toMatchObject({ property: 'no-livelock', kind: 'livelock', actual: 'every unfinished thread spins: nobody can end the waits', length: e.steps });
    });
  });

  it('a reader that retries without end while nobody spins is cut at the point bound: a livelock finding', async () => {
    const k = kernelCopy([{ file: 'mm/rmap_id.c', from: '} while (raw_read_atomic_seqcount_retry(&folio->_rmap_atomic_seqcount, start));', to: '} while (1);' }]);
    await withProcess(buildKernel(k, [], 'concurrent').binary, async (proc) => {
      const p = program([[{ op: 'map', mm: 1, page: 0, nr: 1, path: 'auto' }], [{ op: 'mapped-shared', mm: 0 }]], [{ op: 'map', mm: 0, page: 0, nr: 2, path: 'auto' }]);
      const r = await runThreadsRequest(proc, request(p, [], 2_000));
      const e = r.executions[0];
      expect(e.end).toBe('bounded');
      expect(e.steps).toBe(2_000);
      const f = new ProgramChecker(p, layoutOfAdapter(proc.info!)).check(e, 2_000);
      expect(f?.property).toBe('no-livelock');
      expect(f?.actual).toBe('unfinished after 2000 decisions (T1 in flight)');
    });
  });

  it('a crash in one interleaving is a finding of that execution; the next request gets a fresh process', async () => {
    const k = kernelCopy([{ file: 'adapter.c', from: 'bool rmc_adapter_mapped_shared(unsigned int mm) { return', to: 'bool rmc_adapter_mapped_shared(unsigned int mm) { if (folio_mapcount(&folio) == 3) *(volatile int *)0 = 1; return' }]);
    await withProcess(buildKernel(k, [], 'concurrent').binary, async (proc) => {
      const p = program([[{ op: 'map', mm: 1, page: 0, nr: 1, path: 'auto' }], [{ op: 'mapped-shared', mm: 0 }]], [{ op: 'map', mm: 0, page: 0, nr: 2, path: 'auto' }]);
      // T0 maps first: the reader sees mapcount 3 and the adapter dereferences NULL
      const r = await runThreadsRequest(proc, { ...request(p, []), executions: 1 });
      const e = r.executions.at(-1)!;
      expect(e.end).toBe('crash');
      expect(e.detail).toBe('SIGSEGV');
      const f = new ProgramChecker(p, layoutOfAdapter(proc.info!)).check(e, 10_000);
      expect(f).toMatchObject({ property: 'no-crash', kind: 'crash', actual: 'SIGSEGV in T1 op 0: folio_mapped_shared(folio, MM0)', thread: 1, op: 0 });
      // the reader first: no crash, in a new process
      const ok = await runThreadsRequest(proc, request(p, [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]));
      expect(ok.executions[0].end).toBe('finished');
      expect(proc.starts).toBe(2);
    });
  });

  it('a step that runs over the time limit is a hang finding (the runtime\'s watchdog), not a hang of rmapcheck', async () => {
    const k = kernelCopy([{ file: 'adapter.c', from: 'bool rmc_adapter_mapped_shared(unsigned int mm) { return', to: 'bool rmc_adapter_mapped_shared(unsigned int mm) { if (folio_mapcount(&folio) == 3) for (volatile int x = 0;; x++) ; return' }]);
    const proc = new ConformProcess(buildKernel(k, [], 'concurrent').binary, 200);
    try {
      await proc.request(Buffer.from([0x42, 0, 0, 0, 0, 0, 0, 0]), 0);
      const p = program([[{ op: 'map', mm: 1, page: 0, nr: 1, path: 'auto' }], [{ op: 'mapped-shared', mm: 0 }]], [{ op: 'map', mm: 0, page: 0, nr: 2, path: 'auto' }]);
      const t = Date.now();
      const r = await runThreadsRequest(proc, request(p, []));
      expect(Date.now() - t).toBeLessThan(5_000);
      const e = r.executions.at(-1)!;
      expect(e.end).toBe('hang');
      expect(new ProgramChecker(p, layoutOfAdapter(proc.info!)).check(e, 10_000)).toMatchObject({ property: 'no-hang', kind: 'hang', thread: 1, op: 0 });
    } finally {
      proc.close();
    }
  });

  it('a VM_WARN_ON that fires in an interleaving is a finding named after its condition and line; a VM_BUG_ON stops its thread', async () => {
    const warn = kernelCopy([{ file: 'adapter.c', from: 'bool rmc_adapter_mapped_shared(unsigned int mm) { return', to: 'bool rmc_adapter_mapped_shared(unsigned int mm) { VM_WARN_ON(folio_mapcount(&folio) == 3); return' }]);
    const bug = kernelCopy([{ file: 'adapter.c', from: 'bool rmc_adapter_mapped_shared(unsigned int mm) { return', to: 'bool rmc_adapter_mapped_shared(unsigned int mm) { VM_BUG_ON(folio_mapcount(&folio) == 3); return' }]);
    const p = program([[{ op: 'map', mm: 1, page: 0, nr: 1, path: 'auto' }], [{ op: 'mapped-shared', mm: 0 }]], [{ op: 'map', mm: 0, page: 0, nr: 2, path: 'auto' }]);
    const line = readFileSync(join(warn, 'adapter.c'), 'utf8').split('\n').findIndex((l) => l.includes('VM_WARN_ON(folio_mapcount')) + 1;
    await withProcess(buildKernel(warn, [], 'concurrent').binary, async (proc) => {
      const e = (await runThreadsRequest(proc, request(p, []))).executions[0];
      const f = new ProgramChecker(p, layoutOfAdapter(proc.info!)).check(e, 10_000);
      expect(f).toMatchObject({ property: `VM_WARN_ON(folio_mapcount(&folio) == 3) at adapter.c:${line}`, kind: 'warning', thread: 1, op: 0 });
      // the reader first: mapcount 2, no warning, nothing wrong
      const quiet = (await runThreadsRequest(proc, request(p, Array.from({ length: 40 }, () => 1)))).executions[0];
      expect(new ProgramChecker(p, layoutOfAdapter(proc.info!)).check(quiet, 10_000)).toBeNull();
    });
    await withProcess(buildKernel(bug, [], 'concurrent').binary, async (proc) => {
      const e = (await runThreadsRequest(proc, request(p, []))).executions[0];
      expect(e.end).toBe('finished');
      expect(e.events.some((x) => x.kind === 'end' && x.thread === 1)).toBe(false);
      const f = new ProgramChecker(p, layoutOfAdapter(proc.info!)).check(e, 10_000);
      expect(f).toMatchObject({ property: `VM_BUG_ON(folio_mapcount(&folio) == 3) at adapter.c:${line}`, kind: 'bug', thread: 1, op: 0 });
    });
  });

  it('through the runner: a crash is the finding, its trace ends with the decision that crashed, and it replays', async () => {
    const k = kernelCopy([{ file: 'adapter.c', from: 'bool rmc_adapter_mapped_shared(unsigned int mm) { return', to: 'bool rmc_adapter_mapped_shared(unsigned int mm) { if (folio_mapcount(&folio) == 3) *(volatile int *)0 = 1; return' }]);
    const built = buildKernel(k, [], 'concurrent');
    const r = await runConformConcurrent({ binary: built.binary, seed: 1, sourceRoot: k });
    expect(r.verdict).toBe('violation');
    expect(r.finding).toMatchObject({ property: 'no-crash', kind: 'crash' });
    expect(r.finding!.actual).toMatch(/^SIGSEGV in T\d op \d: folio_mapped_shared\(folio, MM\d\)$/);
    const t = buildConcurrentTrace(r, { impl: built.impl, includeDirs: [join(k, 'include')], defines: [], cc: built.cc, flags: built.userFlags, hash: built.hash, inputs: built.inputs }, 1);
    expect(t.schedule.length).toBe(r.traceLength);
    expect(t.steps.length).toBe(r.traceLength);
    const last = t.steps.at(-1)!;
    // the crashing action: from the reader's read of the mapcount (folio_mapcount in the edited
    // adapter line) on, where it stores through NULL
    expect(last.thread).toBe(r.finding!.thread);
    expect([last.point, last.word, last.location, last.code]).toEqual(['read', 'mapcount', 'include/linux/mm.h:26', 'return atomic_read(&folio->_total_mapcount) + 1;']);
    const replay = await replayConcurrentTrace(parseConcurrentTrace(serializeConcurrentTrace(t), 'crash.json'));
    expect(replay).toMatchObject({ reproduced: true, mismatches: [] });
  });
});
