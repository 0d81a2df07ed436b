import { buildKernel, kernelCopy } from './test/helpers/conform';
import { runConformConcurrent, buildConcurrentTrace, serializeConcurrentTrace, replayConcurrentTrace, parseConcurrentTrace } from './checker/conform/concurrent';
import { join } from 'path';
(async () => {
  const edit = { file: 'mm/rmap_id.c', from: '} while (raw_read_atomic_seqcount_retry(&folio->_rmap_atomic_seqcount, start));', to: '} while (0);' };
  const dir = kernelCopy([edit]);
  const b = buildKernel(dir, [], 'concurrent');
  const r = await runConformConcurrent({ binary: b.binary, seed: 1, strategy: 'race', sourceRoot: dir });
  const t = buildConcurrentTrace(r, { impl: b.impl, includeDirs: [join(dir, 'include')], defines: [], cc: b.cc, flags: b.userFlags, hash: b.hash }, 1);
  const text = serializeConcurrentTrace(t);
  console.log(text.slice(0, 1500));
  for (const s of t.steps) console.log(s.step, 'T' + s.thread, s.point, s.access, s.word, s.location, '|', s.code, s.tags.join(','), s.events.join('; '), s.folio ? JSON.stringify(s.folio) : '');
  const rp = await replayConcurrentTrace(parseConcurrentTrace(text, 'x'));
  console.log(rp.reproduced, rp.mismatches, rp.rebuilt, rp.sourcesChanged);
})().catch((e) => { console.error(e); process.exit(1); });
