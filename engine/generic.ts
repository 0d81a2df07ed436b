/**
 * The engine every model runs on when its protocol registers no fast one: a row is one word, a
 * handle to a model state the engine holds (from `retain` until `release`); successors come from
 * `model.actions` and `model.next`; fingerprints hash `key` (or `symmetry.canonicalKey`), unless
 * the protocol registers a faster fingerprint of its states (engine/registry.ts), which must be a
 * function of the key.
 */
import type { AnyModel, Property } from '../model/core';
import { Successors, type Engine } from './core';
import { fingerprint } from './hash';

/** A 64-bit fingerprint of a model state (equal keys, equal fingerprints). */
export type StateFingerprint = (state: unknown, out: Uint32Array) => void;

export function genericEngine(model: AnyModel, ownFingerprint: StateFingerprint | null = null): Engine {
  return new GenericEngine(model, ownFingerprint);
}

class GenericEngine implements Engine {
  readonly kind = 'generic';
  readonly words = 1;
  readonly maxActions = Infinity;
  readonly always: readonly Property<unknown>[];
  readonly sometimes: readonly Property<unknown>[];
  readonly eventually: readonly Property<unknown>[];
  readonly symmetric: boolean;
  readonly initialCount: number;
  private readonly inits: readonly unknown[];
  /** Rows kept by the traversal (frontier rows), by handle. */
  private readonly kept = new Map<number, unknown>();
  /** The successors of the last `expand`, by handle (dropped at the next one unless kept). */
  private provisional = new Map<number, unknown>();
  private nextHandle = 0;
  private readonly plain: StateFingerprint;
  private readonly reducedFp: StateFingerprint;

  constructor(
    readonly model: AnyModel,
    own: StateFingerprint | null,
  ) {
    const p = model.properties;
    this.always = p.filter((x) => x.expectation === 'always');
    this.sometimes = p.filter((x) => x.expectation === 'sometimes');
    this.eventually = p.filter((x) => x.expectation === 'eventually');
    this.symmetric = model.symmetry !== undefined;
    this.inits = model.initStates();
    this.initialCount = this.inits.length;
    this.plain = own ?? ((s, out) => fingerprint(model.key(s), out));
    const sym = model.symmetry;
    this.reducedFp = sym ? (s, out) => fingerprint(sym.canonicalKey(s), out) : this.plain;
  }

  private handle(state: unknown, into: Map<number, unknown>): number {
    const h = this.nextHandle;
    this.nextHandle = (h + 1) & 0x7fffffff;
    into.set(h, state);
    return h;
  }

  private state(src: Int32Array, off: number): unknown {
    const h = src[off];
    const s = this.kept.get(h) ?? this.provisional.get(h);
    if (s === undefined) throw new Error(`[internal bug] generic engine: row handle ${h} is not held`);
    return s;
  }

  initial(i: number, buf: Int32Array, off: number): void {
    buf[off] = this.handle(this.inits[i], this.provisional);
  }

  expand(src: Int32Array, off: number, out: Successors, reduced: boolean): number {
    const m = this.model;
    const s = this.state(src, off);
    this.provisional = new Map();
    const acts = m.actions(s);
    const n = acts.length;
    out.ensure(n);
    const buf = out.buf;
    const stride = out.stride;
    const fp = this.fp;
    const f = reduced ? this.reducedFp : this.plain;
    for (let a = 0; a < n; a++) {
      const t = m.next(s, acts[a]);
      const o = a * stride;
      f(t, fp);
      buf[o] = fp[0] | 0;
      buf[o + 1] = fp[1] | 0;
      buf[o + 2] = m.describe(acts[a]).thread;
      buf[o + 3] = this.handle(t, this.provisional);
    }
    return n;
  }

  private readonly fp = new Uint32Array(2);

  fingerprint(src: Int32Array, off: number, reduced: boolean, out: Uint32Array): void {
    (reduced ? this.reducedFp : this.plain)(this.state(src, off), out);
  }

  violated(src: Int32Array, off: number): number {
    const s = this.state(src, off);
    const a = this.always;
    for (let i = 0; i < a.length; i++) if (!a[i].holds(s)) return i;
    return -1;
  }

  holds(property: Property<unknown>, src: Int32Array, off: number): boolean {
    return property.holds(this.state(src, off));
  }

  finished(src: Int32Array, off: number): boolean {
    return this.model.finished?.(this.state(src, off)) ?? false;
  }

  orbitSize(src: Int32Array, off: number): number {
    return this.model.symmetry?.orbitSize(this.state(src, off)) ?? 1;
  }

  retain(src: Int32Array, off: number): void {
    const h = src[off];
    const s = this.provisional.get(h);
    if (s !== undefined) this.kept.set(h, s);
  }

  release(src: Int32Array, off: number): void {
    this.kept.delete(src[off]);
  }

  decode(src: Int32Array, off: number): unknown {
    return this.state(src, off);
  }

  stateFingerprint(state: unknown, reduced: boolean, out: Uint32Array): void {
    (reduced ? this.reducedFp : this.plain)(state, out);
  }
}
