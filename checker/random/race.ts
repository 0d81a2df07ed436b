/**
 * Race insertion: executions steered into the race windows the action tags of `describe()`
 * expose (model/core.ts `ActionTag`), instead of waiting for a uniform walk to stumble on them.
 *
 * A window is a list of phases. In a phase the scheduler prefers the actions of some threads
 * (uniformly among them), avoids others (they run only when nothing else is enabled: spins and
 * waits stay sound, nothing is forced), and the phase ends when its event happens — a thread
 * executed an action with a given tag a given number of times, or a number of steps passed. After the last phase (the window was hit) the execution continues as a uniform walk.
 * Counts drawn in a range (how many read steps happen inside a section, how many sections pass a
 * stalled reader) are drawn from the execution's PRNG.
 *
 * Windows, from a deterministic probe of which tags each thread shows (`profileModel`):
 * - reader-in-writer(W#k, R): R's read steps inside W's k-th write section;
 * - writer-across-reader(R, W#k): W's k-th section starts after R's read-begin, R reads inside
 *   it, W ends it, then R's retry check;
 * - exclusive-race(W1#k, W2): both writers make their exclusive attempt before either proceeds;
 * - plain-race(W1#k, W2): another writer's plain store between W1's k-th plain load and its store
 *   (a lost update unless the exclusive bit keeps W2 out);
 * - stalled-reader(R): R begins, writers complete sections while R is stalled, R reads, more
 *   sections, R's retry check (a narrow sequence field wraps: ABA);
 * - reader-amid-writers(R): as stalled-reader, counting writer steps instead of sections, so
 *   that R's reads also fall inside several writers' sections at once.
 *
 * Execution i < (number of windows) aims at window i (a systematic pass over every window);
 * later executions are, with probability 1/2 each, a uniform walk or aimed at a window drawn from
 * their PRNG, ignoring a phase's preference at a step with probability 1/4 (so that the threads
 * the window does not name interleave too).
 */
import { uniformScheduler } from './random-walk';
import type { ActionTag, AnyModel } from '../../model/core';
import { Prng } from '../../model/prng';
import { threadFn } from '../model-queries';
import type { ModelProfile, Scheduler, Strategy } from './scheduler';

type Count = number | readonly [number, number];

type Until =
  /** `thread` (-1: any thread) executed an action tagged `tag`, `count` times in this phase. */
  | { readonly kind: 'tag'; readonly thread: number; readonly tag: ActionTag; readonly count: Count }
  /** `count` steps were taken in this phase. */
  | { readonly kind: 'steps'; readonly count: Count };

interface Phase {
  readonly prefer: readonly number[];
  readonly avoid: readonly number[];
  readonly until: Until;
}

export interface RaceWindow {
  readonly name: string;
  readonly phases: readonly Phase[];
}

/** The race windows of a model, from its profile (see the file comment). */
export function raceWindows(model: AnyModel, profile: ModelProfile): RaceWindow[] {
  const t = model.threads;
  const n = profile.threads;
  const count = (th: number, tag: ActionTag): number => profile.tags[th][tag] ?? 0;
  const all = Array.from({ length: n }, (_, i) => i);
  const writers = all.filter((i) => count(i, 'write-begin') > 0);
  const readers = all.filter((i) => count(i, 'read-begin') > 0);
  const sections = (w: number): number => Math.max(1, count(w, 'write-end'));
  /** Read steps of one read attempt (a probe execution may retry several times). */
  const body = (r: number): number => Math.max(1, Math.ceil(count(r, 'read-body') / Math.max(1, count(r, 'read-begin'))));
  const totalSections = writers.reduce((a, w) => a + sections(w), 0);
  const tag = (thread: number, tg: ActionTag, c: Count): Until => ({ kind: 'tag', thread, tag: tg, count: c });
  /** The phase that lets W finish k-1 sections first (none for k = 1). */
  const before = (w: number, k: number, hold: number): Phase[] =>
    k > 1 ? [{ prefer: [w], avoid: [hold], until: tag(w, 'write-end', k - 1) }] : [];
  const out: RaceWindow[] = [];
  for (const w of writers)
    for (const r of readers) {
      if (r === w) continue;
      for (let k = 1; k <= sections(w); k++) {
        out.push({
          name: `reader-in-writer(${t[w]}#${k},${t[r]})`,
          phases: [
            ...before(w, k, r),
            { prefer: [w], avoid: [r], until: tag(w, 'write-begin', 1) },
            { prefer: [r], avoid: [w], until: tag(r, 'read-body', [1, body(r)]) },
            { prefer: [w], avoid: [r], until: tag(w, 'write-end', 1) },
          ],
        });
        out.push({
          name: `writer-across-reader(${t[r]},${t[w]}#${k})`,
          phases: [
            ...before(w, k, r),
            { prefer: [r], avoid: [w], until: tag(r, 'read-begin', 1) },
            { prefer: [w], avoid: [r], until: tag(w, 'write-begin', 1) },
            { prefer: [r], avoid: [w], until: tag(r, 'read-body', [0, body(r)]) },
            { prefer: [w], avoid: [r], until: tag(w, 'write-end', 1) },
            { prefer: [r], avoid: [], until: tag(r, 'read-retry', 1) },
          ],
        });
      }
    }
  const excl = all.filter((i) => count(i, 'exclusive-attempt') > 0);
  for (const a of excl)
    for (const b of excl) {
      if (a === b) continue;
      for (let k = 1; k <= sections(a); k++)
        out.push({
          name: `exclusive-race(${t[a]}#${k},${t[b]})`,
          phases: [
            ...before(a, k, b),
            { prefer: [a], avoid: [b], until: tag(a, 'exclusive-attempt', 1) },
            { prefer: [b], avoid: [a], until: tag(b, 'exclusive-attempt', 1) },
          ],
        });
    }
  const plain = all.filter((i) => count(i, 'plain-load') > 0);
  for (const a of plain)
    for (const b of writers) {
      if (a === b) continue;
      for (let k = 1; k <= Math.min(4, count(a, 'plain-load')); k++)
        out.push({
          name: `plain-race(${t[a]}#${k},${t[b]})`,
          phases: [
            { prefer: [a], avoid: [b], until: tag(a, 'plain-load', k) },
            { prefer: [b], avoid: [a], until: tag(b, 'plain-store', 1) },
            { prefer: [a], avoid: [], until: tag(a, 'plain-store', 1) },
          ],
        });
    }
  if (writers.length > 0)
    for (const r of readers) {
      const others = writers.filter((w) => w !== r);
      if (others.length === 0) continue;
      const writerSteps = others.reduce((a, w) => a + profile.steps[w], 0);
      out.push({
        name: `stalled-reader(${t[r]})`,
        phases: [
          { prefer: [r], avoid: [], until: tag(r, 'read-begin', 1) },
          { prefer: others, avoid: [r], until: tag(-1, 'write-end', [0, totalSections]) },
          { prefer: [r], avoid: others, until: tag(r, 'read-body', [1, body(r)]) },
          { prefer: others, avoid: [r], until: tag(-1, 'write-end', [0, totalSections]) },
          { prefer: [r], avoid: [], until: tag(r, 'read-retry', 1) },
        ],
      });
      out.push({
        name: `reader-amid-writers(${t[r]})`,
        phases: [
          { prefer: [r], avoid: [], until: tag(r, 'read-begin', 1) },
          { prefer: others, avoid: [r], until: { kind: 'steps', count: [0, writerSteps] } },
          { prefer: [r], avoid: others, until: tag(r, 'read-body', [1, body(r)]) },
          { prefer: others, avoid: [r], until: { kind: 'steps', count: [0, writerSteps] } },
          { prefer: [r], avoid: [], until: tag(r, 'read-retry', 1) },
        ],
      });
    }
  return out;
}

export class RaceInsertion implements Strategy {
  readonly name = 'race' as const;
  readonly windows: readonly string[];
  private readonly list: readonly RaceWindow[];
  /** A phase longer than this is abandoned (its event cannot happen any more). */
  private readonly phaseBudget: number;

  constructor(
    private readonly model: AnyModel,
    profile: ModelProfile,
  ) {
    this.list = raceWindows(model, profile);
    this.windows = this.list.map((w) => w.name);
    this.phaseBudget = 4 * profile.maxSteps + 16;
    this.threadOf = threadFn(model);
  }
  private readonly threadOf: (action: unknown) => number;

  scheduler(index: number, seed: bigint): Scheduler {
    const rng = new Prng(seed);
    const model = this.model;
    const uniform = uniformScheduler(rng);
    if (this.list.length === 0) return uniform;
    const systematic = index < this.list.length;
    // after the systematic pass, every other execution (by its PRNG) is a plain uniform walk
    if (!systematic && rng.below(2) === 0) return uniform;
    const window = systematic ? index : rng.below(this.list.length);
    // after the systematic pass, a step ignores the phase's preference with probability 1/4, so
    // that the threads a window does not name still interleave (e.g. a second writer)
    const noise = systematic ? 0 : 0x4000_0000;
    // draw the counts; phases with a count of 0 are dropped
    const phases: { prefer: readonly number[]; avoid: readonly number[]; until: Until; need: number }[] = [];
    for (const p of this.list[window].phases) {
      const c = p.until.count;
      const need = typeof c === 'number' ? c : c[0] + rng.below(c[1] - c[0] + 1);
      if (need > 0) phases.push({ ...p, need });
    }
    let phase = 0;
    let seen = 0;
    let inPhase = 0;
    let abandoned = false;
    const budget = this.phaseBudget;
    const next = (): void => {
      phase++;
      seen = 0;
      inPhase = 0;
    };
    const threadOf = this.threadOf;
    // the preferred / allowed action indices of a step, in arrays reused across steps (entries
    // past the counts are stale); the PRNG draws are those of the reference (uniform among them)
    const pref: number[] = [];
    const allow: number[] = [];
    return {
      initial: uniform.initial,
      choose: (state, actions, step) => {
        if (abandoned || phase >= phases.length) return uniform.choose(state, actions, step);
        const p = phases[phase];
        let np = 0;
        let na = 0;
        for (let i = 0; i < actions.length; i++) {
          const x = threadOf(actions[i]);
          if (p.prefer.includes(x)) pref[np++] = i;
          if (!p.avoid.includes(x)) allow[na++] = i;
        }
        const c =
          np > 0 && !(noise > 0 && rng.next32() < noise && na > 0)
            ? pref[np === 1 ? 0 : rng.below(np)]
            : na > 0
              ? allow[na === 1 ? 0 : rng.below(na)]
              : rng.below(actions.length);
        const u = p.until;
        if (u.kind === 'steps') {
          if (++seen >= p.need) next();
        } else if (u.thread < 0 || threadOf(actions[c]) === u.thread) {
          if (model.describe(actions[c]).tags.includes(u.tag) && ++seen >= p.need) next();
        }
        if (phase < phases.length && ++inPhase > budget) abandoned = true;
        return c;
      },
      race: () => ({ window, hit: !abandoned && phase >= phases.length }),
    };
  }

}
