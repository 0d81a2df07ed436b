/**
 * Uniform random walk: at each step, every enabled action is equally likely. Each execution draws
 * from its own PRNG seeded with the execution seed (scheduler.ts `executionSeed`).
 */
import { Prng } from '../../model/prng';
import type { Scheduler, Strategy } from './scheduler';

export class RandomWalk implements Strategy {
  readonly name = 'random' as const;

  scheduler(_index: number, seed: bigint): Scheduler {
    const rng = new Prng(seed);
    return {
      initial: (count) => (count === 1 ? 0 : rng.below(count)),
      choose: (_state, actions) => (actions.length === 1 ? 0 : rng.below(actions.length)),
    };
  }

  info(): Record<string, unknown> {
    return {};
  }
}
