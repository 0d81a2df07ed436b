/**
 * PCT, probabilistic concurrency testing: S. Burckhardt, P. Kothari, M. Musuvathi, S. Nagarakatte,
 * "A Randomized Scheduler with Probabilistic Guarantees of Finding Bugs", ASPLOS 2010
 * (https://www.microsoft.com/en-us/research/wp-content/uploads/2016/02/asplos277-pct.pdf).
 *
 * Each execution gives the n threads random distinct priorities d, d+1, ..., d+n-1 and picks d-1
 * priority change points k_1..k_{d-1} uniformly in 1..k. At every step the enabled thread with
 * the highest priority runs; when step k_i is reached, the thread about to run gets priority i
 * (below every initial priority), i.e. it is preempted there. Theorem 1 of the paper: a bug of
 * depth d (d ordering constraints between steps) is found by one execution with probability at
 * least 1 / (n * k^(d-1)); so ceil(ln(0.01) / ln(1 - p)) executions find it with 99%
 * probability.
 *
 * k is the longest execution of the model's deterministic probe (scheduler.ts `profileModel`),
 * not learned across executions (shuttle learns it), so that every execution is a function of
 * its own seed and executions can be split over workers.
 */
import { uniformScheduler } from './random-walk';
import type { AnyModel } from '../../model/core';
import { UsageError } from '../../model/errors';
import { Prng } from '../../model/prng';
import { threadFn } from '../model-queries';
import type { ModelProfile, Scheduler, Strategy } from './scheduler';
import { pctBound, type PctBound } from './pct-bound';

export class Pct implements Strategy {
  readonly name = 'pct' as const;
  readonly pctBound: PctBound;

  constructor(
    private readonly model: AnyModel,
    profile: ModelProfile,
    /** Bug depth d >= 1 (default 3, as shuttle). */
    readonly depth = 3,
  ) {
    if (!Number.isInteger(depth) || depth < 1 || depth > 16) throw new UsageError(`--pct-depth ${depth}: must be an integer in 1..16`);
    this.pctBound = pctBound(model.threads.length, profile.maxSteps, depth);
    this.threadOf = threadFn(model);
  }
  private readonly threadOf: (action: unknown) => number;

  scheduler(_index: number, seed: bigint): Scheduler {
    const rng = new Prng(seed);
    const n = this.model.threads.length;
    const d = this.depth;
    const k = this.pctBound.steps;
    // priorities: a random permutation of d .. d+n-1 (Fisher-Yates)
    const prio = Array.from({ length: n }, (_, i) => d + i);
    for (let i = n - 1; i > 0; i--) {
      const j = rng.below(i + 1);
      [prio[i], prio[j]] = [prio[j], prio[i]];
    }
    // change point i (1..d-1) at step changeAt[i-1] (1-based steps)
    const changeAt = Array.from({ length: d - 1 }, () => 1 + rng.below(k));
    const threadOf = this.threadOf;
    // the highest-priority enabled action (ties: uniform among one thread's actions)
    const pick = (actions: readonly unknown[]): number => {
      let best = -1;
      let bestPrio = -1;
      let ties = 0;
      for (let a = 0; a < actions.length; a++) {
        const p = prio[threadOf(actions[a])];
        if (p > bestPrio) {
          bestPrio = p;
          best = a;
          ties = 1;
        } else if (p === bestPrio && rng.below(++ties) === 0) best = a; // several actions of one thread
      }
      return best;
    };
    return {
      initial: uniformScheduler(rng).initial,
      choose: (_state, actions, step) => {
        let a = pick(actions);
        for (let i = 0; i < changeAt.length; i++)
          if (changeAt[i] === step + 1) {
            prio[threadOf(actions[a])] = i + 1;
            a = pick(actions);
          }
        return a;
      },
    };
  }

}
