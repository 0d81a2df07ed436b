/**
 * Small constructors for the litmus intermediate form (lkmm/program.ts), so that the protocol
 * generators read like the kernel code they transcribe: `rmw('seq', 'add', 1, ...)`, `fence('rmb')`.
 * Nothing here knows a protocol.
 */
import type { Condition, Expr, Fence, Instr, LitmusProgram, Location, LocationType, Name, Prop, RmwOp, RmwOrder, Thread } from '../program';

export const c = (value: number): Expr => ({ k: 'const', value });
export const reg = (r: Name): Expr => ({ k: 'reg', reg: r });
export const bin = (op: Extract<Expr, { k: 'bin' }>['op'], a: Expr | Name, b: Expr | number): Expr => ({
  k: 'bin',
  op,
  a: typeof a === 'string' ? reg(a) : a,
  b: typeof b === 'number' ? c(b) : b,
});
export const not = (a: Expr): Expr => ({ k: 'not', a });

/** `dst = atomic_long_read(loc)` (marked, `once`), or a plain read of `loc` (`loc->counter`). */
export function load(dst: Name, loc: Name, access: 'once' | 'plain' | 'acquire', prim?: string): Instr {
  return prim === undefined ? { k: 'load', dst, loc, access } : { k: 'load', dst, loc, access, prim };
}

/** A store of `value` (an expression over the thread's registers). */
export function store(loc: Name, value: Expr, access: 'once' | 'plain' | 'release', prim?: string): Instr {
  return prim === undefined ? { k: 'store', loc, value, access } : { k: 'store', loc, value, access, prim };
}

/** A read-modify-write; `dst` and `returns` only for the value-returning ones. */
export function rmw(
  loc: Name,
  op: RmwOp,
  operand: Expr | number,
  order: RmwOrder,
  prim: string,
  ret?: { readonly dst: Name; readonly returns: 'old' | 'new'; readonly expected?: Expr },
): Instr {
  const value = typeof operand === 'number' ? c(operand) : operand;
  const base = { k: 'rmw' as const, loc, op, operand: value, order, prim };
  if (!ret) return { ...base, returns: 'none' };
  return ret.expected === undefined
    ? { ...base, returns: ret.returns, dst: ret.dst }
    : { ...base, returns: ret.returns, dst: ret.dst, expected: ret.expected };
}

export const fence = (f: Fence): Instr => ({ k: 'fence', fence: f });
export const assign = (dst: Name, value: Expr | number): Instr => ({ k: 'assign', dst, value: typeof value === 'number' ? c(value) : value });
export const when = (cond: Expr, then: readonly Instr[], otherwise: readonly Instr[] = []): Instr => ({ k: 'if', cond, then, else: otherwise });

// ------------------------------------------------------------------ the final condition

export const regIs = (thread: number, r: Name, value: number): Prop => ({ k: 'eq', lhs: { k: 'reg', thread, reg: r }, value });
export const locIs = (loc: Name, value: number): Prop => ({ k: 'eq', lhs: { k: 'loc', loc }, value });
export const pnot = (a: Prop): Prop => ({ k: 'not', a });
export const TRUE: Prop = { k: 'true' };
export function and(...ps: readonly Prop[]): Prop {
  return ps.length === 0 ? TRUE : ps.slice(1).reduce<Prop>((a, b) => ({ k: 'and', a, b }), ps[0]);
}
export function or(...ps: readonly Prop[]): Prop {
  if (ps.length === 0) return pnot(TRUE);
  return ps.slice(1).reduce<Prop>((a, b) => ({ k: 'or', a, b }), ps[0]);
}
export const exists = (prop: Prop): Condition => ({ quantifier: 'exists', prop });

// ------------------------------------------------------------------ programs

/** The shared locations an instruction list touches, in first-use order. */
export function locationsOf(body: readonly Instr[], out: Name[] = []): Name[] {
  for (const i of body) {
    if (i.k === 'load' || i.k === 'store' || i.k === 'rmw') {
      if (!out.includes(i.loc)) out.push(i.loc);
    } else if (i.k === 'if') {
      locationsOf(i.then, out);
      locationsOf(i.else, out);
    }
  }
  return out;
}

/** A program whose threads' parameter lists are the locations each one uses (in `locations`'s
 *  order, so that every thread declares a location the same way). */
export function program(
  name: string,
  comment: string,
  locations: readonly { readonly name: Name; readonly type: LocationType; readonly init?: number }[],
  bodies: readonly (readonly Instr[])[],
  condition: Condition,
): LitmusProgram {
  const locs: Location[] = locations.map((l) => ({ name: l.name, type: l.type, init: l.init ?? 0 }));
  const threads: Thread[] = bodies.map((body, i) => {
    const used = locationsOf(body);
    return { name: `P${i}`, params: locs.map((l) => l.name).filter((n) => used.includes(n)), body };
  });
  return { name, comment, locations: locs, threads, condition };
}

/** Events (loads, stores, RMWs, fences) on the longest path of each thread, summed: the size
 *  measure of the "about 12 events". */
export function eventCount(p: LitmusProgram): number {
  const longest = (body: readonly Instr[]): number => {
    let n = 0;
    for (const i of body) {
      if (i.k === 'if') n += Math.max(longest(i.then), longest(i.else));
      else if (i.k !== 'assign') n += 1;
    }
    return n;
  };
  return p.threads.reduce((s, t) => s + longest(t.body), 0);
}

/** RMWs on `loc` on the longest path (in RMWs) of each thread, summed: the "6 RMWs on
 *  one location" bound. */
export function rmwCount(p: LitmusProgram, loc: Name): number {
  const count = (body: readonly Instr[]): number =>
    body.reduce((s, i) => s + (i.k === 'rmw' && i.loc === loc ? 1 : i.k === 'if' ? Math.max(count(i.then), count(i.else)) : 0), 0);
  return p.threads.reduce((s, t) => s + count(t.body), 0);
}
