/**
 * The kernel primitives the C-litmus reader accepts, as the LKMM defines them
 * (tools/memory-model/linux-kernel.def): which event each makes and how it is ordered. One table
 * for the reader (lkmm/parse.ts) and the writer (lkmm/export.ts), so the two cannot disagree.
 * `atomic_long_*` reads like `atomic_*` (widths do not matter to ordering, barriers.md).
 */
import type { Fence, LoadAccess, RmwOp, RmwOrder, StoreAccess } from './program';

export type Primitive =
  | { readonly k: 'fence'; readonly fence: Fence }
  /** `deref`: the argument is written `*x` (READ_ONCE), else `x` (smp_load_acquire, atomic_read). */
  | { readonly k: 'load'; readonly access: LoadAccess; readonly deref: boolean }
  | { readonly k: 'store'; readonly access: StoreAccess; readonly deref: boolean; readonly thenMb?: boolean }
  | {
      readonly k: 'rmw';
      readonly op: RmwOp;
      readonly returns: 'none' | 'old' | 'new';
      readonly order: RmwOrder;
      /** atomic_inc(x): no operand, it is 1 (and dec: sub 1). */
      readonly implicitOne?: boolean;
      /** atomic_try_cmpxchg(x, &old, new). */
      readonly tryForm?: boolean;
      /** atomic_dec_and_test(x) and friends: the new value compared with 0 by `op`. */
      readonly test?: { readonly op: '==' | '<'; readonly base: string };
    };

function build(): Map<string, Primitive> {
  const m = new Map<string, Primitive>();
  m.set('smp_mb', { k: 'fence', fence: 'mb' });
  m.set('smp_rmb', { k: 'fence', fence: 'rmb' });
  m.set('smp_wmb', { k: 'fence', fence: 'wmb' });
  m.set('smp_mb__before_atomic', { k: 'fence', fence: 'mb__before_atomic' });
  m.set('smp_mb__after_atomic', { k: 'fence', fence: 'mb__after_atomic' });
  m.set('READ_ONCE', { k: 'load', access: 'once', deref: true });
  m.set('WRITE_ONCE', { k: 'store', access: 'once', deref: true });
  m.set('smp_load_acquire', { k: 'load', access: 'acquire', deref: false });
  m.set('smp_store_release', { k: 'store', access: 'release', deref: false });
  m.set('smp_store_mb', { k: 'store', access: 'once', deref: false, thenMb: true });
  const suffixes: [string, RmwOrder][] = [['', 'full'], ['_relaxed', 'relaxed'], ['_acquire', 'acquire'], ['_release', 'release']];
  for (const a of ['atomic', 'atomic_long']) {
    m.set(`${a}_read`, { k: 'load', access: 'once', deref: false });
    m.set(`${a}_read_acquire`, { k: 'load', access: 'acquire', deref: false });
    m.set(`${a}_set`, { k: 'store', access: 'once', deref: false });
    m.set(`${a}_set_release`, { k: 'store', access: 'release', deref: false });
    for (const op of ['add', 'sub', 'and', 'or', 'xor', 'andnot'] as const) m.set(`${a}_${op}`, { k: 'rmw', op, returns: 'none', order: 'relaxed' });
    m.set(`${a}_inc`, { k: 'rmw', op: 'add', returns: 'none', order: 'relaxed', implicitOne: true });
    m.set(`${a}_dec`, { k: 'rmw', op: 'sub', returns: 'none', order: 'relaxed', implicitOne: true });
    for (const [s, order] of suffixes) {
      for (const op of ['add', 'sub'] as const) m.set(`${a}_${op}_return${s}`, { k: 'rmw', op, returns: 'new', order });
      m.set(`${a}_inc_return${s}`, { k: 'rmw', op: 'add', returns: 'new', order, implicitOne: true });
      m.set(`${a}_dec_return${s}`, { k: 'rmw', op: 'sub', returns: 'new', order, implicitOne: true });
      for (const op of ['add', 'sub', 'and', 'or', 'xor', 'andnot'] as const) m.set(`${a}_fetch_${op}${s}`, { k: 'rmw', op, returns: 'old', order });
      m.set(`${a}_fetch_inc${s}`, { k: 'rmw', op: 'add', returns: 'old', order, implicitOne: true });
      m.set(`${a}_fetch_dec${s}`, { k: 'rmw', op: 'sub', returns: 'old', order, implicitOne: true });
      m.set(`${a}_xchg${s}`, { k: 'rmw', op: 'xchg', returns: 'old', order });
      m.set(`${a}_cmpxchg${s}`, { k: 'rmw', op: 'cmpxchg', returns: 'old', order });
      m.set(`${a}_try_cmpxchg${s}`, { k: 'rmw', op: 'cmpxchg', returns: 'old', order, tryForm: true });
      m.set(`${a}_add_negative${s}`, { k: 'rmw', op: 'add', returns: 'new', order, test: { op: '<', base: `${a}_add_return${s}` } });
    }
    m.set(`${a}_sub_and_test`, { k: 'rmw', op: 'sub', returns: 'new', order: 'full', test: { op: '==', base: `${a}_sub_return` } });
    m.set(`${a}_dec_and_test`, { k: 'rmw', op: 'sub', returns: 'new', order: 'full', implicitOne: true, test: { op: '==', base: `${a}_dec_return` } });
    m.set(`${a}_inc_and_test`, { k: 'rmw', op: 'add', returns: 'new', order: 'full', implicitOne: true, test: { op: '==', base: `${a}_inc_return` } });
  }
  for (const [s, order] of suffixes) {
    m.set(`xchg${s}`, { k: 'rmw', op: 'xchg', returns: 'old', order });
    m.set(`cmpxchg${s}`, { k: 'rmw', op: 'cmpxchg', returns: 'old', order });
  }
  return m;
}

/** Every accepted primitive by name. */
export const PRIMITIVES: ReadonlyMap<string, Primitive> = build();
