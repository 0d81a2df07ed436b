/**
 * The one small core every protocol implements (after Stateright's `Model` trait): semantics
 * only — initial states, enabled actions, next state, properties as data, a key, and a way to
 * print actions and states. Nothing here is for speed: checkers run a model on an engine
 * (engine/core.ts), the generic one or its protocol's fast one, checked against the model.
 */

/** How a property is judged over the reachable state graph. */
export type Expectation =
  /** `holds` is true in every reachable state (an invariant). */
  | 'always'
  /** `holds` is true in at least one reachable state; never reached is a failure, so that a
   *  check cannot pass vacuously. */
  | 'sometimes'
  /** on every path from an initial state `holds` becomes true: a path that ends (deadlock) or
   *  loops (a lasso in which the property's thread keeps stepping) without it is a violation. */
  | 'eventually';

export interface Property<S> {
  readonly name: string;
  readonly expectation: Expectation;
  /** One sentence, the formal statement is in docs/properties.md. */
  readonly description: string;
  readonly holds: (state: S) => boolean;
  /** For `eventually`: the thread whose own steps must appear in a lasso's loop for the loop to
   *  count (a reader that is scheduled yet never finishes, not one that is never scheduled). */
  readonly thread?: number;
}

/** What a race-inserting scheduler and a reduction may know about an action. */
export type ActionTag =
  | 'write-begin'
  | 'write-end'
  | 'read-begin'
  | 'read-body'
  | 'read-retry'
  | 'plain-load'
  | 'plain-store'
  | 'exclusive-attempt'
  | 'spin';

export interface ActionInfo {
  /** Index into `Model.threads`. */
  readonly thread: number;
  /** The step in the kernel's words, e.g. `seq += SHARED (begin)`. */
  readonly label: string;
  /** Shared words this action reads or writes (thread-local state excluded); two actions of
   *  different threads that touch disjoint words commute. */
  readonly reads: readonly string[];
  readonly writes: readonly string[];
  readonly tags: readonly ActionTag[];
  /** How the action runs on x86-64, for the triangular-race check (checker/triangular-race.ts):
   *  `locked` for a locked read-modify-write (`lock add`/`xadd`/`cmpxchg`, `xchg`) or a fence,
   *  which drains the thread's store buffer. Absent: its reads are plain loads and its writes
   *  plain stores (`mov`), which x86 may hold in the store buffer (the conservative default). */
  readonly x86?: 'locked';
}

export interface Model<S, A> {
  /** Registry name, e.g. `seqcount`. */
  readonly name: string;
  /** The parameters the model was built with, as recorded in traces. */
  readonly params: Readonly<Record<string, string | number | boolean>>;
  /** Thread names, e.g. `['W0', 'W1', 'R0']`. */
  readonly threads: readonly string[];
  initStates(): readonly S[];
  /** Enabled actions in a deterministic order; a trace records indices into this list. */
  actions(state: S): readonly A[];
  /** The successor; pure: `state` is not modified. */
  next(state: S, action: A): S;
  readonly properties: readonly Property<S>[];
  /** One canonical key per distinct state (equal states, equal keys). */
  key(state: S): string;
  describe(action: A): ActionInfo;
  /** Fields of a state for a person (and for replay comparison), in a fixed order. */
  view(state: S): Readonly<Record<string, string>>;
  /** Optional: true when every thread has finished. A state with no enabled action that is not `finished` is a `deadlock`; when this
   *  member is absent no state counts as finished, so every end state is a deadlock (TLC's
   *  default) — a terminating model must implement it. */
  finished?(state: S): boolean;
  /** Optional: interchangeable threads. Declaring it is a promise that permuting those threads maps reachable states to reachable states,
   *  enabled actions to enabled actions, and leaves every `always`/`sometimes` property and
   *  `finished` unchanged (the checker does not use it for `eventually` properties). */
  readonly symmetry?: Symmetry<S>;
}

/** A symmetry reduction's view of a model (see `Model.symmetry`). */
export interface Symmetry<S> {
  /** Equal for two states iff one is a permutation of the other (of the interchangeable
   *  threads); in particular `canonicalKey(s) == canonicalKey(t)` whenever `key(s) == key(t)`. */
  canonicalKey(state: S): string;
  /** How many distinct states (by `key`) the permutations of `state` give: the factor by
   *  which this representative stands for unreduced states. */
  orbitSize(state: S): number;
}

/** A model with its state and action types erased, as registries and checkers hold it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyModel = Model<any, any>;
