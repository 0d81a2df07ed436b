/**
 * PCT's probability bound (Theorem 1 of the paper cited in pct.ts): what a PCT run reports with
 * its result. Apart from pct.ts because scheduler.ts's `Strategy` carries it too.
 */

export interface PctBound {
  /** Bug depth d the run is tuned for. */
  readonly depth: number;
  /** Threads n. */
  readonly threads: number;
  /** Steps k (longest probe execution). */
  readonly steps: number;
  /** The paper's lower bound 1 / (n * k^(d-1)) for one execution. */
  readonly probability: number;
  /** Executions that find a depth-d bug with probability >= 99% under the bound. */
  readonly runsFor99: number;
}

/** The paper's bound for n threads, k steps and bug depth d. */
export function pctBound(threads: number, steps: number, depth: number): PctBound {
  const p = 1 / (threads * steps ** (depth - 1));
  const runsFor99 = p >= 1 ? 1 : Math.ceil(Math.log(0.01) / Math.log1p(-p));
  return { depth, threads, steps, probability: p, runsFor99 };
}
