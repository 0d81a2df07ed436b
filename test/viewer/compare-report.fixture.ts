// A `compare` result built by hand for the report's tests (they do not depend on the runner):
// presets, a workload file with a hostile name, and a randomized family over MMs and history
// lengths; the counts follow a formula so that every design differs on every workload, and one
// design answers no reader call on one workload (the "no reader calls" case).
import type { CompareResult, CompareWorkload, DesignCounts, DesignName, WorkloadParams } from '../../checker/compare/result';

export const HOSTILE = `<script>alert("x")</script>&'"`;

function counts(design: DesignName, readerCalls: number, falseShared: number, extra: Partial<DesignCounts> = {}): DesignCounts {
  return {
    design,
    readerCalls,
    falseShared,
    falseExclusive: 0,
    cowDecisions: Math.floor(readerCalls / 3),
    lostReuse: Math.floor(falseShared / 2),
    traces: [],
    wrongReuse: 0,
    warnings: 0,
    cowReuses: Math.floor(readerCalls / 5),
    falseSharedRate: readerCalls > 0 ? falseShared / readerCalls : 0,
    ...extra,
  };
}

function params(p: Partial<WorkloadParams>): WorkloadParams {
  return { mms: 2, operations: 10, pages: 16, order: 4, folio: 'anon', source: 'preset', maxConcurrentMms: 2, forkDepth: 1, run: null, runSeed: null, ...p };
}

function workload(name: string, p: Partial<WorkloadParams>, rmap: DesignCounts, mmid: DesignCounts): CompareWorkload {
  return { name, params: params(p), designs: [rmap, mmid], trulyShared: Math.floor(rmap.readerCalls / 2), oracleReuses: rmap.cowReuses };
}

/** The randomized family: MMs 2..6 and history lengths 40..640 (two runs per MM count). */
export const RANDOM: ReadonlyArray<{ mms: number; operations: number }> = [
  { mms: 2, operations: 40 },
  { mms: 2, operations: 80 },
  { mms: 3, operations: 160 },
  { mms: 3, operations: 40 },
  { mms: 4, operations: 320 },
  { mms: 4, operations: 80 },
  { mms: 5, operations: 640 },
  { mms: 6, operations: 160 },
];

export function fixture(): CompareResult {
  const workloads: CompareWorkload[] = [
    workload('double-fork-daemon', { mms: 3, operations: 12, maxConcurrentMms: 3, forkDepth: 2 }, counts('rmap-id', 30, 0), counts('mm-id', 30, 4, { traces: ['rmapcheck-out/compare/double-fork-daemon-mm-id-falseShared.json'] })),
    workload('worker-pool', { mms: 5, operations: 30, maxConcurrentMms: 5 }, counts('rmap-id', 120, 3, { traces: ['rmapcheck-out/compare/worker-pool-rmap-id-falseShared.json'] }), counts('mm-id', 120, 41, {
      traces: ['rmapcheck-out/compare/worker-pool-mm-id-falseShared.json', 'rmapcheck-out/compare/worker-pool-mm-id-lostReuse.json', 'rmapcheck-out/compare/a b#c?d.json', 'rmapcheck-out/compare/x.json'],
    })),
    workload('three-mms-file-folio', { mms: 3, operations: 9, folio: 'file', forkDepth: 0, maxConcurrentMms: 3 }, counts('rmap-id', 0, 0), counts('mm-id', 18, 6)),
    workload('one-mm-several-vmas', { mms: 1, operations: 8, folio: 'file', forkDepth: 0, maxConcurrentMms: 1, pages: 4, order: 2 }, counts('rmap-id', 16, 0), counts('mm-id', 16, 0)),
    workload(HOSTILE, { source: 'file' }, counts('rmap-id', 10, 1, { falseExclusive: 2, traces: [`javascript:alert(1)/${HOSTILE}.json`] }), counts('mm-id', 10, 2, { warnings: 1 })),
    // a long, wide name (a workload file's path): the chart shortens it to fit its margin
    workload(`workloads/${'W'.repeat(40)}.json`, { source: 'file', mms: 4, maxConcurrentMms: 4 }, counts('rmap-id', 20, 2), counts('mm-id', 20, 5)),
    ...RANDOM.map((r, i) =>
      workload(
        `random-mixed-${i}`,
        { ...r, source: 'random', run: i, runSeed: String(1000 + i), maxConcurrentMms: Math.min(r.mms, 3), forkDepth: r.mms - 1, ...[{ order: 2, pages: 4 }, { order: 4, pages: 16 }, { order: 9, pages: 512 }][i % 3] },
        counts('rmap-id', r.operations, Math.floor((r.mms - 2) * r.operations / 40)),
        counts('mm-id', r.operations, Math.floor((r.mms - 1) * r.operations / 12)),
      ),
    ),
  ];
  const total = (design: DesignName): DesignCounts => {
    const ds = workloads.map((w) => w.designs.find((d) => d.design === design)!);
    const sum = (k: 'readerCalls' | 'falseShared' | 'falseExclusive' | 'cowDecisions' | 'lostReuse' | 'wrongReuse' | 'warnings' | 'cowReuses') => ds.reduce((a, d) => a + d[k], 0);
    return counts(design, sum('readerCalls'), sum('falseShared'), {
      falseExclusive: sum('falseExclusive'), cowDecisions: sum('cowDecisions'), lostReuse: sum('lostReuse'), wrongReuse: sum('wrongReuse'),
      warnings: sum('warnings'), cowReuses: sum('cowReuses'), traces: ds.flatMap((d) => d.traces),
    });
  };
  return {
    seed: '42',
    workloads,
    verdict: 'violation',
    scheme: 'wip-v1',
    order: null,
    runs: RANDOM.length,
    totals: [total('rmap-id'), total('mm-id')],
    seconds: 0.5,
    readerCallsPerSecond: { 'rmap-id': 123456.7, 'mm-id': 234567.8 },
    repeat: 'rmapcheck compare --seed 42 --runs 8',
  };
}

/** An empty result: nothing ran. */
export function emptyFixture(): CompareResult {
  return { seed: '1', workloads: [], verdict: 'incomplete', scheme: 'wip-v1', order: null, runs: 0, totals: [], seconds: 0, readerCallsPerSecond: { 'rmap-id': 0, 'mm-id': 0 }, repeat: 'rmapcheck compare --seed 1' };
}
