/**
 * Uniform random walk: at each step, every enabled action is equally likely. Each execution draws
 * from its own PRNG seeded with the execution seed (scheduler.ts `executionSeed`).
 */
import { Prng } from '../../model/prng';
import type { Scheduler, Strategy } from './scheduler';

/** Every enabled action (and initial state) equally likely, drawn from `rng`; a single choice
 *  draws nothing (so that PCT and race insertion, which fall back to it, keep their streams). */
export function uniformScheduler(rng: Prng): Scheduler {
  return {
    initial: (count) => (count === 1 ? 0 : rng.below(count)),
    choose: (_state, actions) => (actions.length === 1 ? 0 : rng.below(actions.length)),
  };
}

export class RandomWalk implements Strategy {
  readonly name = 'random' as const;

  scheduler(_index: number, seed: bigint): Scheduler {
    return uniformScheduler(new Prng(seed));
  }

}
