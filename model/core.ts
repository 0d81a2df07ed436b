/**
 * The one small core every protocol implements and every checker depends on (after Stateright's
 * `Model` trait): initial states, enabled actions, next state, properties as data, and a way to
 * print actions and states. Checkers never look inside a state except through this interface.
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
  /** Optional (added for the checker, backward compatible): true when every thread has
   *  finished. A state with no enabled action that is not `finished` is a `deadlock`; when this
   *  member is absent no state counts as finished, so every end state is a deadlock (TLC's
   *  default) — a terminating model must implement it. */
  finished?(state: S): boolean;
  /** Optional (added for the checker, backward compatible): interchangeable threads. Declaring
   *  it is a promise that permuting those threads maps reachable states to reachable states,
   *  enabled actions to enabled actions, and leaves every `always`/`sometimes` property and
   *  `finished` unchanged (the checker does not use it for `eventually` properties). */
  readonly symmetry?: Symmetry<S>;
  /** Optional (added for the checker's speed, backward compatible): a 64-bit hash of the state
   *  as two unsigned 32-bit halves in `out[0]`, `out[1]`, used by the fingerprint store instead
   *  of hashing `key(state)`. Contract: a function of `key(state)` (equal keys, equal
   *  fingerprints), well mixed (the missed-state estimate assumes uniform 64-bit values). */
  fingerprint?(state: S, out: Uint32Array): void;
  /** Optional (added for the checker's speed, backward compatible): states as fixed-size rows of
   *  32-bit words and successors written into a reused state, so that the exhaustive checker
   *  keeps its frontier in flat typed arrays and allocates nothing per transition. Used only
   *  together with `fingerprint`. */
  readonly flat?: FlatStates<S, A>;
}

/** See `Model.flat`. Contract: `decode(encode(s))` has the key of `s`, and `nextInto(s, a, out)`
 *  leaves in `out` a state with the key of `next(s, a)`. */
export interface FlatStates<S, A> {
  /** 32-bit words per state. */
  readonly words: number;
  /** A state that `nextInto` and `decode` may overwrite. */
  scratch(): S;
  encode(state: S, buf: Int32Array, offset: number): void;
  /** Overwrites `out` (from `scratch`) with the state at `offset`; returns `out`. */
  decode(buf: Int32Array, offset: number, out: S): S;
  /** Optional (added for the checker's speed, backward compatible): writes `actions(state)` into
   *  `out[0..n-1]` (a reused array, longer entries left as they are) and returns n, so that
   *  the checker allocates no action list per state. */
  actionsInto?(state: S, out: A[]): number;
  /** Overwrites `out` (from `scratch`, not `state` itself) with the successor. */
  nextInto(state: S, action: A, out: S): void;
  /** Optional, with `undo` (added for the checker's speed, backward compatible): steps `state`
   *  itself to `next(state, action)` and writes the successor's `Model.fingerprint` to `out`,
   *  given the fingerprint (`lo`, `hi`) of `state`, without copying or rehashing the state. */
  stepInPlace?(state: S, action: A, lo: number, hi: number, out: Uint32Array): void;
  /** Optional, with `undo` and `Symmetry.fingerprint`: as `stepInPlace`, but `lo`, `hi` and
   *  `out` are `symmetry.fingerprint`s (of `state`, and of the successor). */
  stepInPlaceSymmetric?(state: S, action: A, lo: number, hi: number, out: Uint32Array): void;
  /** Optional (with `stepInPlace`): right after `stepInPlace(state, ...)`, writes the encoding of
   *  the stepped `state` at `offset`, given `parentRow` = the encoding of `state` before the
   *  step (a copy of the row, then only the fields the step wrote); also after
   *  `stepInPlaceSymmetric`. */
  encodeStepped?(state: S, parentRow: Int32Array, buf: Int32Array, offset: number): void;
  /** Restores the `state` of the last `stepInPlace` exactly (only that one step is undone). */
  undo?(state: S): void;
}

/** A symmetry reduction's view of a model (see `Model.symmetry`). */
export interface Symmetry<S> {
  /** Equal for two states iff one is a permutation of the other (of the interchangeable
   *  threads); in particular `canonicalKey(s) == canonicalKey(t)` whenever `key(s) == key(t)`. */
  canonicalKey(state: S): string;
  /** How many distinct states (by `key`) the permutations of `state` give: the factor by
   *  which this representative stands for unreduced states. */
  orbitSize(state: S): number;
  /** Optional (added for the checker's speed, backward compatible): a 64-bit hash of
   *  `canonicalKey(state)` as `Model.fingerprint` writes one (equal canonical keys, equal
   *  fingerprints; well mixed), so that the reduced check needs no key string. */
  fingerprint?(state: S, out: Uint32Array): void;
}

/** A model with its state and action types erased, as registries and checkers hold it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyModel = Model<any, any>;
