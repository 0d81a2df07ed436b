import { buildKernel } from './test/helpers/conform';
import { runConformConcurrent } from './checker/conform/concurrent';
(async () => {
  for (const v of ['1', '2', '3']) {
    const b = buildKernel(null, [`CONFIG_ATOMIC_SEQCOUNT_VARIANT=${v}`], 'concurrent');
    for (const strategy of ['random', 'pct', 'race', 'dfs'] as const) {
      const t = Date.now();
      const r = await runConformConcurrent({ binary: b.binary, seed: Number(process.argv[2] ?? 1), strategy, runs: process.argv[3] ? Number(process.argv[3]) : undefined });
      console.log('V' + v, strategy, r.verdict, 'runs', r.runs, 'sched', r.schedules, 'pts', r.points, r.pointsPerSecond, (Date.now() - t) + 'ms', JSON.stringify(r.finding), JSON.stringify(r.dfs));
      if (r.program) console.log('  ', JSON.stringify(r.program), JSON.stringify(r.foundBy));
    }
  }
})().catch((e) => { console.error(e); process.exit(1); });
