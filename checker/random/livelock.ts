/**
 * `eventually` properties in random executions. An execution cut at the depth bound proves
 * nothing by itself, but its path may already contain a lasso: a state that repeats, with a step
 * of the property's thread between the two occurrences and the property false in every state up
 * to the repetition. That is exactly the counterexample the exhaustive lasso search
 * (checker/liveness.ts) looks for, so it is reported as a violation with a lasso trace (`replay`
 * reproduces it, `check` finds one too). A cut execution without such a lasso leaves the property
 * undecided; when the property's thread was still stepping in the second half of the execution,
 * that is a suspected livelock (more depth, or `check`, decides it).
 *
 * Only executions that end at the depth bound are judged (an execution that ends otherwise ended
 * in a state where the models' `eventually` properties hold, or in a deadlock, reported as such).
 */
import type { AnyModel, Property } from '../../model/core';
import type { Engine } from '../../engine/core';
import { engineFor } from '../../engine/registry';
import { replayPath } from '../check';
import { threadFn } from '../model-queries';

export interface Lasso {
  readonly property: string;
  /** The path up to the second occurrence of the repeated state. */
  readonly path: number[];
  /** Index of the first occurrence (the trace's `loopStart`). */
  readonly loopStart: number;
}

export interface DepthJudgement {
  /** The shortest lasso of any `eventually` property in the path, or null. */
  readonly lasso: Lasso | null;
  /** Per `eventually` property (model order): never held and no lasso. */
  readonly undecided: boolean[];
  /** Per `eventually` property: undecided, and its thread stepped in the second half of the path. */
  readonly stepping: boolean[];
}

export class LivenessJudge {
  readonly eventually: readonly Property<unknown>[];
  private readonly threadOf: (action: unknown) => number;
  private readonly fp = new Uint32Array(2);
  private readonly engine: Engine;

  constructor(readonly model: AnyModel) {
    this.eventually = model.properties.filter((p) => p.expectation === 'eventually');
    this.threadOf = threadFn(model);
    this.engine = engineFor(model);
  }

  /** Judges an execution that stopped at the depth bound (`path`: the checker's convention;
   *  `states`: its states s_0 .. s_n, replayed from the path when not given). */
  judge(path: readonly number[], states: readonly unknown[] = replayPath(this.model, path)): DepthJudgement {
    const m = this.model;
    const n = this.eventually.length;
    // first[j]: the earliest index whose state equals state j (by 64-bit fingerprint; a
    // candidate lasso is confirmed on the keys below)
    const seen = new Map<string, number>();
    const first = states.map((s, j) => {
      this.engine.stateFingerprint(s, false, this.fp);
      const k = `${this.fp[0]}:${this.fp[1]}`;
      const i = seen.get(k);
      if (i !== undefined) return i;
      seen.set(k, j);
      return j;
    });
    // thread of step j (the action from state j-1 to state j)
    const stepThread = states.map((s, j) => (j === 0 ? -1 : this.threadOf(m.actions(states[j - 1])[path[j]])));
    let lasso: Lasso | null = null;
    const undecided = new Array<boolean>(n).fill(false);
    const stepping = new Array<boolean>(n).fill(false);
    this.eventually.forEach((p, q) => {
      const t = p.thread;
      // steps[j]: steps of thread t among steps 1..j
      let count = 0;
      const steps = stepThread.map((x, j) => (j > 0 && (t === undefined || x === t) ? ++count : count));
      for (let j = 0; j < states.length; j++) {
        if (p.holds(states[j])) return;
        const i = first[j];
        if (i < j && steps[j] - steps[i] > 0 && m.key(states[i]) === m.key(states[j])) {
          if (lasso === null || j < lasso.path.length - 1) lasso = { property: p.name, path: path.slice(0, j + 1), loopStart: i };
          return;
        }
      }
      undecided[q] = true;
      const half = Math.floor((states.length - 1) / 2);
      stepping[q] = steps[states.length - 1] - steps[half] > 0;
    });
    return { lasso, undecided, stepping };
  }
}
