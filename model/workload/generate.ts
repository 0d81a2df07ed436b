/**
 * Randomized workload families for `compare`: from a seed, the family's parameters (folio order
 * P in {4, 16, 512}, anon or file, most MMs at a time, fork depth, batch sizes, history length)
 * and then a history valid by construction (each operation is chosen among those the ground
 * truth allows now, model/workload/history.ts). Only the project's PRNG (model/prng.ts).
 */
import { Prng } from '../prng';
import { History } from './history';
import { PMD_ORDER, type FolioKind, type Workload, type WorkloadOp } from './workload';

/** The orders a family draws from: P = 4, 16, 512. */
export const FAMILY_ORDERS = [2, 4, 9] as const;

/** One history's family parameters. */
export interface FamilyParams {
  order: number;
  folio: FolioKind;
  /** Most live MMs at one time. */
  maxMms: number;
  /** Deepest fork chain. */
  maxForkDepth: number;
  /** Largest PTE batch (map/unmap). */
  maxBatch: number;
  /** Operations to draw. */
  length: number;
}

const GOLDEN = 0x9e3779b97f4a7c15n;

/** The seed of history `run` of a family seeded `seed` (each history replays on its own). */
export function runSeed(seed: bigint, run: number): bigint {
  return BigInt.asUintN(64, seed + BigInt(run + 1) * GOLDEN);
}

function pick<T>(rng: Prng, xs: readonly T[]): T {
  return xs[rng.below(xs.length)];
}

/** Family parameters from the PRNG; the order is drawn from `orders` (`--order`: one). */
export function drawFamily(rng: Prng, orders: readonly number[] = FAMILY_ORDERS): FamilyParams {
  const k = pick(rng, orders);
  const P = 2 ** k;
  return {
    order: k,
    folio: rng.below(4) === 0 ? 'file' : 'anon',
    maxMms: 2 + rng.below(7),
    maxForkDepth: 1 + rng.below(4),
    maxBatch: 1 + rng.below(P),
    length: 40 + rng.below(201),
  };
}

type Candidate = [weight: number, make: () => WorkloadOp | null];

/** One random history of the family seeded `seed`, run `run`. */
export function randomWorkload(seed: bigint, run: number, orders: readonly number[] = FAMILY_ORDERS): { workload: Workload; family: FamilyParams; seed: bigint } {
  const s = runSeed(seed, run);
  const rng = new Prng(s);
  const f = drawFamily(rng, orders);
  const P = 2 ** f.order;
  const h = new History(f.order, f.folio);
  const ops: WorkloadOp[] = [];
  let names = 0;
  const push = (op: WorkloadOp) => {
    h.apply(op);
    ops.push(op);
  };
  const anon = f.folio === 'anon';
  const first = `M${names++}`;
  if (!anon) push({ op: 'mm', mm: first });
  const pmd = f.order === PMD_ORDER && rng.below(3) === 0;
  push(pmd ? { op: 'new', mm: first, pmd: true } : { op: 'new', mm: first, pages: rng.below(3) === 0 ? 1 + rng.below(P) : P });

  const mappers = () => h.liveMms().filter((m) => h.mappingsOf(m) > 0);
  const mappedPage = (ptes: Uint16Array): number => {
    for (let t = 0; t < 8; t++) {
      const p = rng.below(P);
      if (ptes[p] > 0) return p;
    }
    const all: number[] = [];
    ptes.forEach((c, p) => c > 0 && all.push(p));
    return pick(rng, all);
  };
  const candidates: Candidate[] = [
    [5, () => ({ op: 'read', mm: pick(rng, mappers()).name })],
    [0.5, () => ({ op: 'read' })],
    [
      2,
      () => {
        const parents = h.liveMms().filter((m) => m.depth < f.maxForkDepth);
        if (h.liveMms().length >= f.maxMms || parents.length === 0) return null;
        return { op: 'fork', parent: pick(rng, parents).name, child: `M${names++}` };
      },
    ],
    [
      1.5,
      () => {
        // keep the folio alive: the last MM that maps it does not exit
        const live = h.liveMms().filter((m) => h.mappingsOf(m) === 0 || h.mappers > 1);
        return live.length ? { op: 'exit', mm: pick(rng, live).name } : null;
      },
    ],
    [
      2,
      () => {
        const ms = mappers().filter((m) => m.pteTotal > 0);
        if (ms.length === 0) return null;
        const m = pick(rng, ms);
        const start = mappedPage(m.ptes);
        let count = 1;
        const want = 1 + rng.below(f.maxBatch);
        while (count < want && start + count < P && m.ptes[start + count] > 0) count++;
        if (count >= h.total) return null;
        return { op: 'unmap', mm: m.name, start, count };
      },
    ],
    [
      anon ? 0 : 2,
      () => {
        const m = pick(rng, h.liveMms());
        const start = rng.below(P);
        const count = Math.min(P - start, 1 + rng.below(f.maxBatch));
        for (let p = start; p < start + count; p++) if (m.ptes[p] >= 3) return null; // three VMAs at most
        return { op: 'map', mm: m.name, start, count };
      },
    ],
    [anon ? 0 : 1, () => (h.liveMms().length < f.maxMms ? { op: 'mm', mm: `M${names++}` } : null)],
    [
      anon ? 3 : 0,
      () => {
        const ms = mappers().filter((m) => m.pteTotal > 0 && m.pmds === 0);
        if (ms.length === 0) return null;
        const m = pick(rng, ms);
        return { op: 'cow', mm: m.name, page: mappedPage(m.ptes) };
      },
    ],
    [
      f.order === PMD_ORDER && !anon ? 0.5 : 0,
      () => {
        const ms = h.liveMms().filter((m) => m.pmds === 0);
        return ms.length ? { op: 'map-pmd', mm: pick(rng, ms).name } : null;
      },
    ],
    [
      f.order === PMD_ORDER ? 0.3 : 0,
      () => {
        const ms = h.liveMms().filter((m) => m.pmds > 0);
        return ms.length && h.total > 1 ? { op: 'unmap-pmd', mm: pick(rng, ms).name } : null;
      },
    ],
    [
      anon && f.order === PMD_ORDER ? 1 : 0,
      () => {
        const ms = h.liveMms().filter((m) => m.pmds > 0);
        return ms.length ? { op: 'remap-pmd', mm: pick(rng, ms).name } : null;
      },
    ],
    [0.3, () => ({ op: rng.below(2) ? ('migrate' as const) : ('split' as const) })],
    [anon ? 0.3 : 0, () => ({ op: h.swapcache ? ('swap-free' as const) : ('swap-add' as const) })],
    [0.3, () => (h.pins > 0 && rng.below(2) ? { op: 'unpin' as const } : { op: 'pin' as const })],
    [0.2, () => ({ op: h.locked ? ('unlock' as const) : ('lock' as const) })],
  ];
  const weight = candidates.reduce((a, [w]) => a + w, 0);
  while (ops.length < f.length && h.allocated && h.total > 0) {
    let x = rng.unit() * weight;
    let i = 0;
    while (i < candidates.length - 1 && x >= candidates[i][0]) x -= candidates[i++][0];
    const op = candidates[i][1]();
    if (op) push(op);
  }
  return { workload: { name: `random-${run}`, description: `random history ${run} of the family seeded ${seed}`, order: f.order, folio: f.folio, ops }, family: f, seed: s };
}
