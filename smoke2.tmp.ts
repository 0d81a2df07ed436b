import { buildKernel } from './test/helpers/conform';
import { ConformProcess } from './checker/conform/process';
import { runThreadsRequest } from './checker/conform/threads';
import fc from 'fast-check';
import { concurrentCaseArb } from './generators/conform-concurrent';
(async () => {
  const b = buildKernel(null, [], 'concurrent');
  const proc = new ConformProcess(b.binary, 1000);
  await proc.request(Buffer.from([0x42, 0, 0, 0, 0, 0, 0, 0]), 0);
  const progs = fc.sample(concurrentCaseArb(), { numRuns: 3, seed: 1 });
  for (const p of progs) {
    console.log(JSON.stringify(p));
    const t = Date.now();
    const r = await runThreadsRequest(proc, { order: p.order, rmapIds: p.rmapIds, setup: p.setup, threads: p.threads, maxPoints: 10000, strategy: 'fixed', executions: 1, decisions: [], profile: true });
    console.log(Date.now() - t, r.executions.map((e) => [e.end, e.steps, e.detail]));
  }
  proc.close();
})().catch((e) => { console.error(e); process.exit(1); });
