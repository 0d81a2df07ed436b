/**
 * Replay as a strategy (after shuttle's replay.rs): the scheduler follows a recorded schedule
 * instead of drawing one, so a counterexample re-runs through the same execution loop, property
 * checks included, as it was found.
 *
 * - `PathReplay`: the checker's path (initial-state index, then action indices), exactly.
 * - `ThreadReplay`: a sequence of thread indices, each step running that thread's (first)
 *   enabled action and skipping a step whose thread has none. A schedule survives edits in this
 *   form (dropping steps, threads or operations), which is what the minimizer needs.
 */
import type { AnyModel } from '../../model/core';
import type { Model } from '../../model/core';
import { ExecutionLoop, type Scheduler, type Strategy } from './scheduler';
import { threadFn } from '../model-queries';

/** Raised when a recorded path chooses an action that is not enabled. */
export class ReplayDivergence extends Error {
  override name = 'ReplayDivergence';
}

export class PathReplay implements Strategy {
  readonly name = 'replay' as const;

  constructor(readonly path: readonly number[]) {}

  scheduler(): Scheduler {
    const path = this.path;
    return {
      initial: (count) => {
        if (!(path.length > 0 && path[0] >= 0 && path[0] < count))
          throw new ReplayDivergence(`replay: initial-state index ${path[0]} out of range 0..${count - 1}`);
        return path[0];
      },
      choose: (_s, actions, step) => {
        if (step + 1 >= path.length) return -1;
        const c = path[step + 1];
        if (!(c >= 0 && c < actions.length))
          throw new ReplayDivergence(
            `replay: step ${step + 1} chooses action ${c} but only ${actions.length} are enabled (the model changed, or its action order is not deterministic)`,
          );
        return c;
      },
    };
  }

}

export class ThreadReplay implements Strategy {
  readonly name = 'replay' as const;

  constructor(
    private readonly model: AnyModel,
    readonly initial: number,
    readonly threads: readonly number[],
  ) {}

  scheduler(): Scheduler {
    const seq = this.threads;
    const threadOf = threadFn(this.model);
    let i = 0;
    return {
      initial: (count) => (this.initial < count ? this.initial : 0),
      choose: (_s, actions) => {
        for (; i < seq.length; i++) {
          for (let a = 0; a < actions.length; a++)
            if (threadOf(actions[a]) === seq[i]) {
              i++;
              return a;
            }
        }
        return -1;
      },
    };
  }

}

/** The thread sequence of a path (for `ThreadReplay`). */
export function threadsOfPath(model: AnyModel, path: readonly number[]): number[] {
  const states = replayPath(model, path);
  const threadOf = threadFn(model);
  return path.slice(1).map((c, i) => threadOf(model.actions(states[i])[c]));
}

/**
 * The states s_0 .. s_n along a recorded path (initial-state index, then action indices): the
 * replay strategy through the execution loop, with no property judged. Throws naming the step
 * when an index is out of range (the model changed, or its `actions` order is not
 * deterministic, e.g. it iterates a Map or Set built in varying order).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function replayPath<S>(model: Model<S, any>, path: readonly number[]): S[] {
  if (path.length === 0) throw new Error('replay: empty path (it must start with the initial-state index)');
  const states: S[] = [];
  const ex = new ExecutionLoop(model).run(new PathReplay(path).scheduler(), path.length - 1, (s) => states.push(s as S), false);
  if (ex.path.length < path.length)
    throw new ReplayDivergence(
      `replay: step ${ex.path.length} chooses action ${path[ex.path.length]} but only 0 are enabled (the model changed, or its action order is not deterministic)`,
    );
  return states;
}
