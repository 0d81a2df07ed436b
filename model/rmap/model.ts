/**
 * The concurrent rmap model (rmap-ops.md): a folio of P pages under a scheme, MMs with rmap IDs,
 * and threads stepping through the compiled instructions of `program.ts`. Assembled from its
 * parts: the state and its key (state.ts), the transitions (step.ts), the ground truth
 * (truth.ts), the properties (properties.ts) and the printing (view.ts). Semantics only: the
 * checkers' speed comes from the engine layer (engine/rmap/fingerprint.ts hashes its states).
 */
import type { ActionInfo, Model, Property } from '../core';
import type { Bug, Program } from './program';
import { compileThread } from './program';
import { rmapProperties } from './properties';
import type { Scenario } from './scenario';
import { initialState, stateKey, type Rmap, type RmapAction, type RmapState } from './state';
import { actionsOf, allFinished, nextState } from './step';
import { idealExclusive, pteExclusive, quiet } from './truth';
import { describeAction, stateView } from './view';

export type { RmapAction, RmapState, ThreadState } from './state';
export { ANS_NONE, ANS_EXCLUSIVE, ANS_SHARED, ANS_REUSE, ANS_COPY, G_WIN, G_CAN_EX, G_CAN_SH, G_PTE_EX, G_RETRIED, G_COW_OK, G_REUSE_SAFE } from './state';

export interface RmapModelOptions {
  readonly scenario: Scenario;
  readonly bug: Bug | null;
  readonly params: Readonly<Record<string, string | number | boolean>>;
}

export class RmapModel implements Model<RmapState, RmapAction>, Rmap {
  readonly name = 'rmap';
  readonly params: Readonly<Record<string, string | number | boolean>>;
  readonly threads: readonly string[];
  readonly properties: readonly Property<RmapState>[];
  /** Per thread, its compiled instructions (program.ts). */
  readonly programs: readonly Program[];
  readonly sc: Scenario;
  readonly bug: Bug | null;

  constructor(opts: RmapModelOptions) {
    this.sc = opts.scenario;
    this.bug = opts.bug;
    this.params = opts.params;
    this.threads = this.sc.threads.map((t) => t.name);
    this.programs = this.sc.threads.map((t) => compileThread(this.sc, t.ops, t.repeat, this.bug));
    this.properties = rmapProperties(this);
  }

  initStates(): readonly RmapState[] {
    return [initialState(this)];
  }

  actions(s: RmapState): readonly RmapAction[] {
    return actionsOf(this, s);
  }

  next(s: RmapState, a: RmapAction): RmapState {
    return nextState(this, s, a);
  }

  finished(s: RmapState): boolean {
    return allFinished(this, s);
  }

  key(s: RmapState): string {
    return stateKey(s);
  }

  describe(a: RmapAction): ActionInfo {
    return describeAction(this, a);
  }

  view(s: RmapState): Readonly<Record<string, string>> {
    return stateView(this, this.threads, s);
  }

  /** The ideal decision for `mm` from the tracked mappings of `s` (truth.ts). */
  idealExclusive(s: RmapState, mm: number): boolean {
    return idealExclusive(this, s, mm);
  }

  /** No other MM than `mm` has the folio in its page tables in `s` (truth.ts). */
  pteExclusive(s: RmapState, mm: number): boolean {
    return pteExclusive(s, mm);
  }

  /** No thread is between its mapcount update and its last value update. */
  quiet(s: RmapState): boolean {
    return quiet(this, s);
  }
}
