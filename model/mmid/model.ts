/**
 * The concurrent mmid model (mm-owner.md): MM owner tracking of one large folio, MMs with ids,
 * and threads stepping through the compiled instructions of program.ts. Assembled from its
 * parts: the state and its key (state.ts), the transitions (step.ts), the properties
 * (properties.ts) and the printing (view.ts). Runs on the generic engine.
 */
import type { ActionInfo, Model, Property } from '../core';
import { compileThread, type MmidBug, type MmidVariant, type Program } from './program';
import { mmidProperties } from './properties';
import type { Scenario } from './scenario';
import { initialState, stateKey, type Mmid, type MmidAction, type MmidState } from './state';
import { actionsOf, allFinished, nextState } from './step';
import { describeAction, stateView } from './view';

export interface MmidModelOptions {
  readonly scenario: Scenario;
  readonly variant: MmidVariant;
  readonly bug: MmidBug | null;
  readonly limits: Mmid['limits'];
  readonly params: Readonly<Record<string, string | number | boolean>>;
}

export class MmidModel implements Model<MmidState, MmidAction>, Mmid {
  readonly name = 'mmid';
  readonly params: Readonly<Record<string, string | number | boolean>>;
  readonly threads: readonly string[];
  readonly properties: readonly Property<MmidState>[];
  readonly programs: readonly Program[];
  readonly sc: Scenario;
  readonly variant: MmidVariant;
  readonly bug: MmidBug | null;
  readonly limits: Mmid['limits'];

  constructor(o: MmidModelOptions) {
    this.sc = o.scenario;
    this.variant = o.variant;
    this.bug = o.bug;
    this.limits = o.limits;
    this.params = o.params;
    this.threads = this.sc.threads.map((t) => t.name);
    this.programs = this.sc.threads.map((t) => compileThread(this.sc, this.variant, t.ops, this.bug));
    this.properties = mmidProperties(this);
  }

  initStates(): readonly MmidState[] {
    return [initialState(this)];
  }
  actions(s: MmidState): readonly MmidAction[] {
    return actionsOf(this, s);
  }
  next(s: MmidState, a: MmidAction): MmidState {
    return nextState(this, s, a);
  }
  finished(s: MmidState): boolean {
    return allFinished(this, s);
  }
  key(s: MmidState): string {
    return stateKey(s);
  }
  describe(a: MmidAction): ActionInfo {
    return describeAction(this, a);
  }
  view(s: MmidState): Readonly<Record<string, string>> {
    return stateView(this, this.threads, s);
  }
}
