/**
 * The C-litmus writer (issue #13): a litmus program in the format herd7 runs with the kernel's
 * model (`herd7 -conf linux-kernel.cfg FILE.litmus` in tools/memory-model). Only spellings that
 * linux-kernel.def defines are written: `atomic_long_*` operations are written as their `atomic_*`
 * twins (the def has no `atomic_long_*`; widths do not matter to ordering, barriers.md), the
 * location keeps its declared type. `parseLitmus(exportLitmus(p))` gives `p` back, up to the
 * instructions' `prim` spellings (test/lkmm/roundtrip.test.ts).
 */
import { UsageError } from '../model/errors';
import type { Condition, Expr, Instr, LitmusProgram, Location, Operand, Prop, RmwOrder } from './program';

/** Binding strength of each binary operator (C's), weakest first. */
const PRECEDENCE: Record<string, number> = { '||': 1, '&&': 2, '|': 3, '^': 4, '&': 5, '==': 6, '!=': 6, '<': 7, '<=': 7, '>': 7, '>=': 7, '+': 8, '-': 8 };

/** An expression in C, with the parentheses its tree needs (left-associative operators). */
export function exprText(e: Expr, outer = 0, right = false): string {
  switch (e.k) {
    case 'const':
      return e.value < 0 && outer > 0 ? `(${e.value})` : String(e.value);
    case 'reg':
      return e.reg;
    case 'not':
      return `!${exprText(e.a, 9)}`;
    case 'bin': {
      const p = PRECEDENCE[e.op];
      const s = `${exprText(e.a, p)} ${e.op} ${exprText(e.b, p, true)}`;
      return p < outer || (p === outer && right) ? `(${s})` : s;
    }
  }
}

function suffix(order: RmwOrder): string {
  return order === 'full' ? '' : `_${order}`;
}

/** An access instruction in the kernel's spelling (no `;`, no destination register). */
export function accessText(i: Instr, loc: Location): string {
  const atomic = loc.type !== 'int';
  switch (i.k) {
    case 'load':
      if (i.access === 'plain') return `*${i.loc}`;
      if (i.access === 'once') return atomic ? `atomic_read(${i.loc})` : `READ_ONCE(*${i.loc})`;
      return atomic ? `atomic_read_acquire(${i.loc})` : `smp_load_acquire(${i.loc})`;
    case 'store': {
      const v = exprText(i.value);
      if (i.access === 'plain') return `*${i.loc} = ${v}`;
      if (i.access === 'once') return atomic ? `atomic_set(${i.loc}, ${v})` : `WRITE_ONCE(*${i.loc}, ${v})`;
      return atomic ? `atomic_set_release(${i.loc}, ${v})` : `smp_store_release(${i.loc}, ${v})`;
    }
    case 'rmw': {
      const v = exprText(i.operand);
      const where = `rmw ${i.op} on ${i.loc}`;
      if (i.returns === 'none') {
        if (i.order !== 'relaxed') throw new UsageError(`${where}: a non-returning atomic has no ${i.order} form in linux-kernel.def`);
        if (i.op === 'xchg' || i.op === 'cmpxchg') throw new UsageError(`${where}: ${i.op} always returns its old value`);
        return `atomic_${i.op}(${v}, ${i.loc})`;
      }
      const s = suffix(i.order);
      if (i.op === 'xchg') return `${atomic ? 'atomic_' : ''}xchg${s}(${i.loc}, ${v})`;
      if (i.op === 'cmpxchg') {
        if (!i.expected) throw new UsageError(`${where}: cmpxchg without an expected value`);
        return `${atomic ? 'atomic_' : ''}cmpxchg${s}(${i.loc}, ${exprText(i.expected)}, ${v})`;
      }
      if (i.returns === 'old') return `atomic_fetch_${i.op}${s}(${v}, ${i.loc})`;
      if (i.op !== 'add' && i.op !== 'sub') throw new UsageError(`${where}: linux-kernel.def has no ${i.op}_return (use the fetch form)`);
      return `atomic_${i.op}_return${s}(${v}, ${i.loc})`;
    }
    default:
      throw new Error(`[internal bug] accessText of ${i.k}`);
  }
}

const FENCES: Record<string, string> = {
  rmb: 'smp_rmb()',
  wmb: 'smp_wmb()',
  mb: 'smp_mb()',
  mb__before_atomic: 'smp_mb__before_atomic()',
  mb__after_atomic: 'smp_mb__after_atomic()',
};

function instrLines(i: Instr, locs: ReadonlyMap<string, Location>, indent: string): string[] {
  const loc = (name: string) => {
    const l = locs.get(name);
    if (!l) throw new UsageError(`location ${name} is not declared`);
    return l;
  };
  switch (i.k) {
    case 'fence':
      return [`${indent}${FENCES[i.fence]};`];
    case 'assign':
      return [`${indent}${i.dst} = ${exprText(i.value)};`];
    case 'load':
      return [`${indent}${i.dst} = ${accessText(i, loc(i.loc))};`];
    case 'store':
      return [`${indent}${accessText(i, loc(i.loc))};`];
    case 'rmw':
      return [`${indent}${i.dst !== undefined && i.returns !== 'none' ? `${i.dst} = ` : ''}${accessText(i, loc(i.loc))};`];
    case 'if': {
      const out = [`${indent}if (${exprText(i.cond)}) {`, ...i.then.flatMap((j) => instrLines(j, locs, indent + '\t'))];
      if (i.else.length) out.push(`${indent}} else {`, ...i.else.flatMap((j) => instrLines(j, locs, indent + '\t')));
      out.push(`${indent}}`);
      return out;
    }
  }
}

/** The registers of a thread in order of first appearance (its `int r0;` declarations). */
export function threadRegisters(body: readonly Instr[]): string[] {
  const seen = new Set<string>();
  const expr = (e: Expr): void => {
    if (e.k === 'reg') seen.add(e.reg);
    else if (e.k === 'not') expr(e.a);
    else if (e.k === 'bin') {
      expr(e.a);
      expr(e.b);
    }
  };
  const walk = (is: readonly Instr[]): void => {
    for (const i of is) {
      if (i.k === 'load') seen.add(i.dst);
      else if (i.k === 'assign') {
        expr(i.value);
        seen.add(i.dst);
      } else if (i.k === 'store') expr(i.value);
      else if (i.k === 'rmw') {
        expr(i.operand);
        if (i.expected) expr(i.expected);
        if (i.dst !== undefined) seen.add(i.dst);
      } else if (i.k === 'if') {
        expr(i.cond);
        walk(i.then);
        walk(i.else);
      }
    }
  };
  walk(body);
  return [...seen];
}

function operandText(o: Operand): string {
  return o.k === 'reg' ? `${o.thread}:${o.reg}` : o.loc;
}

/** A proposition in herd's syntax: `\/` binds weaker than `/\`, `~` strongest. */
export function propText(p: Prop, outer = 0): string {
  switch (p.k) {
    case 'true':
      return 'true';
    case 'eq':
      return `${operandText(p.lhs)}=${p.value}`;
    case 'not':
      return `~${propText(p.a, 3)}`;
    case 'and':
    case 'or': {
      const prec = p.k === 'or' ? 1 : 2;
      const s = `${propText(p.a, prec)} ${p.k === 'or' ? '\\/' : '/\\'} ${propText(p.b, prec + 1)}`;
      return prec < outer ? `(${s})` : s;
    }
  }
}

export function conditionText(c: Condition): string {
  return `${c.quantifier} (${propText(c.prop)})`;
}

/** The program as a C-litmus file (ends with a newline). */
export function exportLitmus(p: LitmusProgram): string {
  const locs = new Map(p.locations.map((l) => [l.name, l]));
  const out: string[] = [`C ${p.name}`, ''];
  if (p.comment !== undefined) out.push(`(*${p.comment.replace(/\*\)/g, '* )')}*)`, '');
  // every location, zeros too: the reader lists them in this order
  out.push('{', ...p.locations.map((l) => `\t${l.name}=${l.init};`), '}', '');
  for (const t of p.threads) {
    const params = t.params.map((name) => {
      const l = locs.get(name);
      if (!l) throw new UsageError(`${t.name}: parameter ${name} is not a location of the program`);
      return `${l.type} *${name}`;
    });
    out.push(`${t.name}(${params.join(', ')})`, '{');
    const regs = threadRegisters(t.body);
    for (const r of regs) out.push(`\tint ${r};`);
    if (regs.length) out.push('');
    for (const i of t.body) out.push(...instrLines(i, locs, '\t'));
    out.push('}', '');
  }
  out.push(conditionText(p.condition), '');
  return out.join('\n');
}
