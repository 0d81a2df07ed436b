/**
 * The randomized strategies of checker/random/ applied to a C program: the C runtime makes
 * their decisions (conform/runtime/sched.c mirrors random-walk.ts, pct.ts and race.ts draw for
 * draw, a pipe round trip per decision would be far too slow), parameterized here by the very
 * objects the model checker uses: PCT's bound from `Pct`, race insertion's windows from
 * `raceWindows`, each execution's seed from `executionSeed`.
 *
 * They see the program through a facade `Model` (`facadeModel`): its threads are the program's,
 * an action is "thread t runs its next scheduling point", described by the action tags the
 * runtime classified. The profile they size themselves from (`ModelProfile`) comes from a fixed
 * probe of the program: each thread first (the lowest, then the highest) without preemption, as
 * scheduler.ts `profileModel` begins, so that it depends on the program alone. (profileModel
 * adds 32 uniform walks; here those would be random-walk executions, finding what PCT or race
 * insertion is then credited with.)
 *
 * test/conform-concurrent-strategies.test.ts feeds the recorded enabled sets of C executions to
 * the TS schedulers (`RandomWalk`, `Pct`, `RaceInsertion` over the facade) and checks that they
 * choose what the C runtime chose, decision by decision.
 */
import type { ActionInfo, ActionTag, AnyModel } from '../../model/core';
import { Pct } from '../random/pct';
import { raceWindows } from '../random/race';
import type { ModelProfile } from '../random/scheduler';
import { ACTION_TAGS, type ExecutionRecord, type SchedulerKind } from './threads';

export type ConcurrentStrategyName = 'random' | 'pct' | 'race' | 'dfs';
export const CONCURRENT_STRATEGIES: readonly ConcurrentStrategyName[] = ['random', 'pct', 'race', 'dfs'];

/** An action of the facade: a thread's next scheduling point at one decision. */
export interface FacadeAction {
  readonly thread: number;
  /** What running it does (ACTION_TAGS bits), when known (the action the C side took). */
  readonly tags: number;
}

export function tagsOf(bits: number): ActionTag[] {
  return ACTION_TAGS.filter((_, i) => bits & (1 << i));
}

/** The program's threads as a `Model` for the strategies (see the file comment). */
export function facadeModel(nrThreads: number): AnyModel {
  const threads = Array.from({ length: nrThreads }, (_, t) => `T${t}`);
  return {
    name: 'conform-concurrent',
    params: { threads: nrThreads },
    threads,
    initStates: () => [null],
    actions: () => [],
    next: (s: unknown) => s,
    properties: [],
    key: () => '',
    describe: (a: FacadeAction): ActionInfo => ({ thread: a.thread, label: threads[a.thread], reads: [], writes: [], tags: tagsOf(a.tags) }),
    view: () => ({}),
  };
}

/** The profile of a program from its probe executions (run with `profile`). */
export function profileOf(executions: readonly ExecutionRecord[], nrThreads: number): ModelProfile {
  const tags: Partial<Record<ActionTag, number>>[] = Array.from({ length: nrThreads }, () => ({}));
  const steps = new Array<number>(nrThreads).fill(0);
  let maxSteps = 1;
  for (const e of executions) {
    if (!e.profile) continue;
    maxSteps = Math.max(maxSteps, e.steps);
    for (let t = 0; t < nrThreads; t++) {
      steps[t] = Math.max(steps[t], e.profile.steps[t]);
      ACTION_TAGS.forEach((tag, i) => {
        const k = e.profile!.tags[t][i];
        if (k > 0) tags[t][tag] = Math.max(tags[t][tag] ?? 0, k);
      });
    }
  }
  return { threads: nrThreads, tags, steps, maxSteps };
}

export interface StrategyPlan {
  readonly kind: SchedulerKind;
  /** The runtime's parameters (threads.ts ThreadsRequest.params). */
  readonly params: number[];
  /** Race insertion: the windows' names (as `RaceInsertion.windows`). */
  readonly windows: readonly string[];
  /** PCT: the paper's bound for this program. */
  readonly pct: { readonly depth: number; readonly steps: number; readonly probability: number } | null;
}

/** The runtime's parameters for `name` on a program with this profile. */
export function strategyPlan(name: ConcurrentStrategyName, nrThreads: number, profile: ModelProfile, o: { pctDepth?: number; bound?: number } = {}): StrategyPlan {
  const model = facadeModel(nrThreads);
  switch (name) {
    case 'random':
      return { kind: 'random', params: [], windows: [], pct: null };
    case 'pct': {
      const b = new Pct(model, profile, o.pctDepth ?? 3).pctBound;
      return { kind: 'pct', params: [b.depth, b.steps], windows: [], pct: { depth: b.depth, steps: b.steps, probability: b.probability } };
    }
    case 'race': {
      const windows = raceWindows(model, profile);
      // race.ts RaceInsertion.phaseBudget
      const params = [4 * profile.maxSteps + 16, windows.length];
      for (const w of windows) {
        params.push(w.phases.length);
        for (const p of w.phases) {
          const mask = (ts: readonly number[]) => ts.reduce((m, t) => m | (1 << t), 0);
          const u = p.until;
          const c = u.count;
          const range = typeof c !== 'number';
          params.push(mask(p.prefer), mask(p.avoid), (u.kind === 'steps' ? 1 : 0) | (range ? 0x100 : 0), u.kind === 'tag' ? u.thread >>> 0 : 0, u.kind === 'tag' ? ACTION_TAGS.indexOf(u.tag as (typeof ACTION_TAGS)[number]) : 0, range ? c[0] : c, range ? c[1] : c);
        }
      }
      return { kind: 'race', params, windows: windows.map((w) => w.name), pct: null };
    }
    case 'dfs':
      return { kind: 'dfs', params: [o.bound ?? 2], windows: [], pct: null };
  }
}
