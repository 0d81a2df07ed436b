/**
 * The engine layer: what every checker runs on. A `Model` (model/core.ts) is the protocol's
 * semantics only; an `Engine` is one way to run a model fast: states as dense rows of 32-bit
 * words, successors written into a reused buffer with their 64-bit fingerprints, and the
 * properties judged on rows. `genericEngine(model)` runs any model (a row is a handle to a model
 * state); a protocol may register a fast engine (engine/registry.ts), complete and typed, which
 * test/engine/conformance.test.ts checks against its model on every reachable state of every
 * pinned configuration.
 *
 * Contract (what the conformance test checks):
 * - rows are canonical: two reachable states have equal rows iff they have equal `key`s, so the
 *   fingerprint of a row (`fingerprint`) is a function of the key; `reduced` fingerprints are
 *   equal iff the `symmetry.canonicalKey`s are;
 * - `expand` writes the successors in the order of `model.actions(state)`, each with the thread
 *   of its action (`describe(a).thread`): successor i decodes to a state with the key of
 *   `model.next(state, actions[i])`;
 * - `violated`, `holds` and `finished` agree with the model's properties and `finished`.
 */
import type { AnyModel, Property } from '../model/core';

/** Words before each successor's row in a `Successors` buffer: fingerprint low, high, thread. */
export const SUCCESSOR_HEADER = 3;

/** The reused buffer `expand` writes into: successor i at `i * stride`: [lo, hi, thread, row...]. */
export class Successors {
  buf: Int32Array;
  readonly stride: number;
  constructor(readonly words: number, capacity = 16) {
    this.stride = words + SUCCESSOR_HEADER;
    this.buf = new Int32Array(this.stride * capacity);
  }
  /** Makes room for `n` successors (an engine calls it before writing more than it has room for). */
  ensure(n: number): void {
    if (n * this.stride > this.buf.length) {
      const b = new Int32Array(Math.max(n, 2 * (this.buf.length / this.stride)) * this.stride);
      b.set(this.buf);
      this.buf = b;
    }
  }
}

export interface Engine {
  readonly model: AnyModel;
  /** What runs the model: `generic`, or the registered engine's name (e.g. `seqcount`). */
  readonly kind: string;
  /** 32-bit words per row. */
  readonly words: number;
  /** Most actions a state can have (Infinity when unknown: the generic engine). A parallel
   *  check sizes its shared arrays by it, so it runs only on engines that know it. */
  readonly maxActions: number;
  /** The model's properties by expectation, in the model's order. */
  readonly always: readonly Property<unknown>[];
  readonly sometimes: readonly Property<unknown>[];
  readonly eventually: readonly Property<unknown>[];
  /** The engine can compute the symmetry reduction's fingerprints (`model.symmetry` exists). */
  readonly symmetric: boolean;
  /** Number of initial states; `initial(i, ...)` writes the i-th one's row. */
  readonly initialCount: number;
  initial(i: number, buf: Int32Array, off: number): void;
  /** Writes the successors of the row at `src[off..]` into `out` (see `Successors`), each with
   *  its fingerprint (of the canonical form when `reduced`); returns how many (0: none enabled). */
  expand(src: Int32Array, off: number, out: Successors, reduced: boolean): number;
  /** The row's fingerprint as two unsigned 32-bit halves in `out[0]`, `out[1]`. */
  fingerprint(src: Int32Array, off: number, reduced: boolean, out: Uint32Array): void;
  /** Index into `always` of the first property violated by the row, or -1. */
  violated(src: Int32Array, off: number): number;
  /** `property.holds` on the row, for a property of `sometimes` or `eventually`. */
  holds(property: Property<unknown>, src: Int32Array, off: number): boolean;
  finished(src: Int32Array, off: number): boolean;
  /** With `symmetric`: how many states the row's permutations give (`symmetry.orbitSize`). */
  orbitSize(src: Int32Array, off: number): number;
  /** A successor row in `Successors` is kept (copied into the frontier); rows of dense engines
   *  are self-contained, the generic engine's are handles it must keep until `release`. */
  retain(src: Int32Array, off: number): void;
  /** A kept row was expanded and is not needed any more. */
  release(src: Int32Array, off: number): void;
  /** The model state of a row (for a person, a trace, a property the engine cannot judge). */
  decode(src: Int32Array, off: number): unknown;
  /** The fingerprint (`reduced`: of the canonical form) of a model state, equal to that of its row:
   *  what the randomized explorer's coverage count and the lasso search use. */
  stateFingerprint(state: unknown, reduced: boolean, out: Uint32Array): void;
}
