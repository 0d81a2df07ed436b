/**
 * The slow obvious judge of a litmus program under sequential consistency, for the generator's
 * tests: every interleaving of the threads' events (each load, store, RMW atomic; fences are
 * no-ops under SC), the final registers and memory of each, and the condition over them. An
 * outcome SC allows, the LKMM allows too, so a Sometimes here must be a Sometimes of the LKMM
 * checker; a Never under the LKMM implies a Never here.
 */
import type { Expr, Instr, LitmusProgram, Operand, Prop } from '../../../lkmm/program';

interface Th {
  readonly todo: readonly Instr[];
  readonly regs: Readonly<Record<string, number>>;
}

function evalExpr(e: Expr, regs: Readonly<Record<string, number>>): number {
  switch (e.k) {
    case 'const':
      return e.value;
    case 'reg':
      return regs[e.reg] ?? 0;
    case 'not':
      return evalExpr(e.a, regs) === 0 ? 1 : 0;
    case 'bin': {
      const a = evalExpr(e.a, regs);
      const b = evalExpr(e.b, regs);
      const ops: Record<string, (x: number, y: number) => number> = {
        '+': (x, y) => x + y, '-': (x, y) => x - y, '&': (x, y) => x & y, '|': (x, y) => x | y, '^': (x, y) => x ^ y,
        '==': (x, y) => +(x === y), '!=': (x, y) => +(x !== y), '<': (x, y) => +(x < y), '<=': (x, y) => +(x <= y),
        '>': (x, y) => +(x > y), '>=': (x, y) => +(x >= y), '&&': (x, y) => +(x !== 0 && y !== 0), '||': (x, y) => +(x !== 0 || y !== 0),
      };
      return ops[e.op](a, b);
    }
  }
}

/** Runs register-only instructions (assign, if) until the next event or the end. */
function settle(t: Th): Th {
  let todo = t.todo;
  let regs = t.regs;
  while (todo.length > 0) {
    const i = todo[0];
    if (i.k === 'assign') {
      regs = { ...regs, [i.dst]: evalExpr(i.value, regs) };
      todo = todo.slice(1);
    } else if (i.k === 'if') todo = [...(evalExpr(i.cond, regs) !== 0 ? i.then : i.else), ...todo.slice(1)];
    else if (i.k === 'fence') todo = todo.slice(1);
    else break;
  }
  return { todo, regs };
}

// written apart from lkmm/check.ts on purpose: the slow judge must not share the fast one's bugs
function rmwValue(op: string, old: number, v: number): number {
  switch (op) {
    case 'add': return old + v;
    case 'sub': return old - v;
    case 'or': return old | v;
    case 'and': return old & v;
    case 'andnot': return old & ~v;
    case 'xor': return old ^ v;
    default: return v; // xchg (cmpxchg is handled by the caller)
  }
}

/** One event of thread `t` on `mem`. */
function step(t: Th, mem: Record<string, number>): Th {
  const i = t.todo[0];
  const regs = { ...t.regs };
  if (i.k === 'load') regs[i.dst] = mem[i.loc];
  else if (i.k === 'store') mem[i.loc] = evalExpr(i.value, t.regs);
  else if (i.k === 'rmw') {
    const old = mem[i.loc];
    const v = evalExpr(i.operand, t.regs);
    let nv: number;
    if (i.op === 'cmpxchg') nv = old === evalExpr(i.expected!, t.regs) ? v : old;
    else nv = rmwValue(i.op, old, v);
    mem[i.loc] = nv;
    if (i.dst !== undefined) regs[i.dst] = i.returns === 'new' ? nv : old;
  } else throw new Error(`[internal bug] step on ${i.k}`);
  return settle({ todo: t.todo.slice(1), regs });
}

function value(o: Operand, threads: readonly Th[], mem: Readonly<Record<string, number>>): number {
  return o.k === 'loc' ? mem[o.loc] : threads[o.thread].regs[o.reg] ?? 0;
}

function holds(p: Prop, threads: readonly Th[], mem: Readonly<Record<string, number>>): boolean {
  switch (p.k) {
    case 'true': return true;
    case 'eq': return value(p.lhs, threads, mem) === p.value;
    case 'not': return !holds(p.a, threads, mem);
    case 'and': return holds(p.a, threads, mem) && holds(p.b, threads, mem);
    case 'or': return holds(p.a, threads, mem) || holds(p.b, threads, mem);
  }
}

/** Every SC interleaving's final state: does the condition's proposition hold in some / all? */
export function scOutcomes(p: LitmusProgram): { some: boolean; all: boolean; finals: number } {
  let some = false;
  let all = true;
  const seen = new Set<string>();
  const finals = new Set<string>();
  const go = (threads: readonly Th[], mem: Record<string, number>): void => {
    const key = JSON.stringify([threads.map((t) => [t.todo.length, t.todo[0] ?? null, t.regs]), mem]);
    if (seen.has(key)) return;
    seen.add(key);
    let any = false;
    threads.forEach((t, i) => {
      if (t.todo.length === 0) return;
      any = true;
      const m = { ...mem };
      const next = threads.slice();
      next[i] = step(t, m);
      go(next, m);
    });
    if (!any) {
      finals.add(key);
      const h = holds(p.condition.prop, threads, mem);
      some ||= h;
      all &&= h;
    }
  };
  const mem: Record<string, number> = {};
  for (const l of p.locations) mem[l.name] = l.init;
  go(p.threads.map((t) => settle({ todo: t.body, regs: {} })), mem);
  return { some, all, finals: finals.size };
}

/** The SC verdict of the program's condition, in herd7's words. */
export function scVerdict(p: LitmusProgram): 'never' | 'sometimes' | 'always' {
  const o = scOutcomes(p);
  const q = p.condition.quantifier;
  if (q === 'forall') return o.all ? 'always' : 'sometimes';
  const v = o.all ? 'always' : o.some ? 'sometimes' : 'never';
  if (q === 'exists') return v;
  return v === 'never' ? 'always' : v === 'always' ? 'never' : 'sometimes';
}
