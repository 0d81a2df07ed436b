import { buildKernel, kernelCopy } from './test/helpers/conform';
import { runConformConcurrent } from './checker/conform/concurrent';
const MUT: Record<string, { edit: any; defines: string[] }> = {
  excl: { edit: { file: 'include/linux/atomic_seqcount.h', from: 'if (!(old & ATOMIC_SEQCOUNT_WRITERS_MASK) &&\n\t\t    atomic_long_try_cmpxchg(', to: 'if (atomic_long_try_cmpxchg(' }, defines: ['CONFIG_ATOMIC_SEQCOUNT_VARIANT=2'] },
  plain: { edit: { file: 'mm/rmap_id.c', from: 'atomic_long_add(get_rmap_subid_2(mm, 0) * c, &folio->_rmap_val0);', to: 'folio->_rmap_val0.counter += get_rmap_subid_2(mm, 0) * c;' }, defines: [] },
  noretry: { edit: { file: 'mm/rmap_id.c', from: '} while (raw_read_atomic_seqcount_retry(&folio->_rmap_atomic_seqcount, start));', to: '} while (0);' }, defines: [] },
};
(async () => {
  for (const m of process.argv[2].split(',')) {
    const dir = kernelCopy([MUT[m].edit]);
    const b = buildKernel(dir, MUT[m].defines, 'concurrent');
    for (const strategy of (process.argv[3] ?? 'random,pct,race,dfs').split(',') as any[]) {
      const t = Date.now();
      const r = await runConformConcurrent({ binary: b.binary, seed: Number(process.argv[4] ?? 1), strategy, runs: process.argv[5] ? Number(process.argv[5]) : undefined });
      console.log(m, strategy, r.verdict, 'runs', r.runs, 'sched', r.schedules, 'pts', r.points, r.pointsPerSecond, (Date.now() - t) + 'ms', 'len', r.traceLength, 'orig', r.originalLength, JSON.stringify(r.finding), JSON.stringify(r.foundBy));
      if (r.program) console.log('  ', JSON.stringify(r.program), r.trace?.nondeterministic, r.trace?.origin);
    }
  }
})().catch((e) => { console.error(e); process.exit(1); });
