/**
 * From a litmus program to events: every path of every thread through its branches (and through
 * each cmpxchg's success or failure), as the memory events it makes, tagged as the LKMM tags them
 * (linux-kernel.bell: Once, Acquire, Release, Noreturn, Mb, Plain), its fences, the dependencies
 * between its events (data through registers, control through `if` conditions), and the steps
 * that compute its values once every read knows the write it reads from.
 */
import type { Expr, Fence, Instr, RmwOp } from './program';

/** A memory event of a path, before the path is combined with the others. */
export interface PathEvent {
  readonly kind: 'R' | 'W';
  readonly loc: string;
  readonly plain: boolean;
  readonly acquire: boolean;
  readonly release: boolean;
  /** The read or write of a successful full-barrier RMW (`Mb` in linux-kernel.bell). */
  readonly mb: boolean;
  /** The read of a non-value-returning RMW (atomic_add): smp_rmb does not order it. */
  readonly noreturn: boolean;
  /** An event of an RMW instruction (the bell's RMW set; a failed cmpxchg's read too). */
  readonly rmwInstr: boolean;
  /** Position in the thread's sequence of events and fences (program order). */
  readonly seq: number;
  /** The instruction as the kernel writes it, for people. */
  readonly label: string;
}

/** What a path does, in order, to compute its register values (lkmm/check.ts runs it). */
export type Step =
  | { readonly k: 'read'; readonly ev: number; readonly dst: string | null }
  | { readonly k: 'write'; readonly ev: number; readonly value: Expr }
  | {
      readonly k: 'rmw';
      readonly r: number;
      /** The write, or null for a failed cmpxchg. */
      readonly w: number | null;
      readonly op: RmwOp;
      readonly operand: Expr;
      readonly expected?: Expr;
      readonly returns: 'none' | 'old' | 'new';
      readonly dst: string | null;
    }
  | { readonly k: 'assign'; readonly dst: string; readonly value: Expr }
  /** The path took this branch: `cond` must be true (want) or false. */
  | { readonly k: 'guard'; readonly cond: Expr; readonly want: boolean };

export interface ThreadPath {
  readonly events: readonly PathEvent[];
  readonly fences: readonly { readonly fence: Fence; readonly seq: number }[];
  readonly steps: readonly Step[];
  /** Local event index pairs: data dependencies (read -> write whose value it feeds). */
  readonly data: readonly [number, number][];
  /** Local event index pairs: control dependencies (read -> event inside a branch it decides). */
  readonly ctrl: readonly [number, number][];
  /** The successful RMWs: [read, write] local indices. */
  readonly rmw: readonly [number, number][];
}

type Lin =
  | { readonly k: 'instr'; readonly i: Instr; readonly ctrl: readonly number[]; readonly ok?: boolean }
  | { readonly k: 'guard'; readonly id: number; readonly cond: Expr; readonly want: boolean; readonly ctrl: readonly number[] };

/** Every linear path through `body`: branches forked, cmpxchg forked into success and failure. */
function linearize(body: readonly Instr[], ctrl: readonly number[], ids: { next: number }): Lin[][] {
  let paths: Lin[][] = [[]];
  for (const i of body) {
    if (i.k === 'if') {
      const id = ids.next++;
      const inner = [...ctrl, id];
      const alts = [true, false].flatMap((want) =>
        linearize(want ? i.then : i.else, inner, ids).map((sub) => [{ k: 'guard' as const, id, cond: i.cond, want, ctrl }, ...sub]),
      );
      paths = paths.flatMap((p) => alts.map((a) => [...p, ...a]));
    } else if (i.k === 'rmw' && i.op === 'cmpxchg') {
      paths = paths.flatMap((p) => [true, false].map((ok) => [...p, { k: 'instr' as const, i, ctrl, ok }]));
    } else paths = paths.map((p) => [...p, { k: 'instr', i, ctrl }]);
  }
  return paths;
}

function regsOf(e: Expr, out: Set<string> = new Set()): Set<string> {
  if (e.k === 'reg') out.add(e.reg);
  else if (e.k === 'not') regsOf(e.a, out);
  else if (e.k === 'bin') {
    regsOf(e.a, out);
    regsOf(e.b, out);
  }
  return out;
}

/** The paths of one thread, each with its events, fences, steps and dependencies. */
export function threadPaths(body: readonly Instr[], describe: (i: Instr, part?: 'R' | 'W') => string): ThreadPath[] {
  return linearize(body, [], { next: 0 }).map((lin) => {
    const events: PathEvent[] = [];
    const fences: { fence: Fence; seq: number }[] = [];
    const steps: Step[] = [];
    const data: [number, number][] = [];
    const ctrl: [number, number][] = [];
    const rmw: [number, number][] = [];
    /** register -> the reads its value comes from */
    const deps = new Map<string, Set<number>>();
    const guardDeps = new Map<number, Set<number>>();
    let seq = 0;
    const depsOf = (e: Expr) => {
      const s = new Set<number>();
      for (const r of regsOf(e)) for (const d of deps.get(r) ?? []) s.add(d);
      return s;
    };
    const event = (ev: Omit<PathEvent, 'seq'>, ctrlIds: readonly number[]): number => {
      const idx = events.length;
      events.push({ ...ev, seq: seq++ });
      for (const g of ctrlIds) for (const r of guardDeps.get(g) ?? []) ctrl.push([r, idx]);
      return idx;
    };
    const base = { plain: false, acquire: false, release: false, mb: false, noreturn: false, rmwInstr: false };
    for (const item of lin) {
      if (item.k === 'guard') {
        guardDeps.set(item.id, depsOf(item.cond));
        steps.push({ k: 'guard', cond: item.cond, want: item.want });
        continue;
      }
      const i = item.i;
      switch (i.k) {
        case 'fence':
          fences.push({ fence: i.fence, seq: seq++ });
          break;
        case 'assign':
          deps.set(i.dst, depsOf(i.value));
          steps.push({ k: 'assign', dst: i.dst, value: i.value });
          break;
        case 'load': {
          const ev = event({ ...base, kind: 'R', loc: i.loc, plain: i.access === 'plain', acquire: i.access === 'acquire', label: describe(i) }, item.ctrl);
          deps.set(i.dst, new Set([ev]));
          steps.push({ k: 'read', ev, dst: i.dst });
          break;
        }
        case 'store': {
          const ev = event({ ...base, kind: 'W', loc: i.loc, plain: i.access === 'plain', release: i.access === 'release', label: describe(i) }, item.ctrl);
          for (const d of depsOf(i.value)) data.push([d, ev]);
          steps.push({ k: 'write', ev, value: i.value });
          break;
        }
        case 'rmw': {
          const ok = item.ok ?? true;
          const full = ok && i.order === 'full';
          const r = event({ ...base, kind: 'R', loc: i.loc, rmwInstr: true, mb: full, acquire: ok && i.order === 'acquire', noreturn: i.returns === 'none', label: describe(i, 'R') + (ok ? '' : ' (fails)') }, item.ctrl);
          let w: number | null = null;
          if (ok) {
            w = event({ ...base, kind: 'W', loc: i.loc, rmwInstr: true, mb: full, release: i.order === 'release', label: describe(i, 'W') }, item.ctrl);
            rmw.push([r, w]);
            for (const d of depsOf(i.operand)) data.push([d, w]);
            if (i.expected) for (const d of depsOf(i.expected)) data.push([d, w]);
          }
          if (i.dst !== undefined && i.returns !== 'none') deps.set(i.dst, new Set([r]));
          steps.push({ k: 'rmw', r, w, op: i.op, operand: i.operand, ...(i.expected ? { expected: i.expected } : {}), returns: i.returns, dst: i.returns === 'none' ? null : i.dst ?? null });
          break;
        }
        case 'if':
          throw new Error('[internal bug] if after linearize');
      }
    }
    return { events, fences, steps, data, ctrl, rmw };
  });
}
