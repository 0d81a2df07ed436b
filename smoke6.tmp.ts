import { buildKernel } from './test/helpers/conform';
import { runConformConcurrent } from './checker/conform/concurrent';
(async () => {
  const b = buildKernel(null, [], 'concurrent');
  for (const seed of [100, 101, 102, 103, 104]) {
    const r = await runConformConcurrent({ binary: b.binary, seed, strategy: (process.argv[2] ?? 'pct') as any, timeSeconds: 5 });
    console.log(seed, r.verdict, r.runs, JSON.stringify(r.finding));
    if (r.program) {
      console.log(JSON.stringify(r.program));
      for (const s of r.trace!.steps) console.log(s.step, 'T' + s.thread, s.point, s.word, s.location, '|', s.code, s.tags.join(','), s.events.join('; '), s.folio ? JSON.stringify(s.folio) : '');
      break;
    }
  }
})().catch((e) => { console.error(e); process.exit(1); });
