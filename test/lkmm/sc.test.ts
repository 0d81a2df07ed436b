/**
 * Cross-check of the LKMM checker against a slow, obvious one: when every access is marked and
 * every two instructions of a thread are separated by smp_mb(), the LKMM allows exactly the
 * sequentially consistent outcomes. The SC side here interleaves the threads' instructions one
 * at a time on a single memory (an RMW is one step) and collects the final states; both sides
 * must give the same set of final states (on the clause's registers and locations) and the same
 * verdict, for every textbook test turned into its fully fenced form.
 */
import { describe, expect, it } from 'vitest';
import { parseLitmus } from '../../lkmm/parse';
import { checkLitmus } from '../../lkmm/check';
import type { Expr, Instr, LitmusProgram, Prop } from '../../lkmm/program';
import fc from 'fast-check';
import { textbookTests } from './litmus-files';
import { litmusProgram } from './arbitrary';

/** Every access marked, smp_mb() between every two instructions (and around each branch). */
function fullyFenced(p: LitmusProgram): LitmusProgram {
  const fence: Instr = { k: 'fence', fence: 'mb' };
  const walk = (is: readonly Instr[]): Instr[] =>
    is.flatMap((i, n): Instr[] => {
      const j: Instr =
        i.k === 'if' ? { ...i, then: walk(i.then), else: walk(i.else) }
        : i.k === 'load' ? { ...i, access: i.access === 'plain' ? 'once' : i.access }
        : i.k === 'store' ? { ...i, access: i.access === 'plain' ? 'once' : i.access }
        : i;
      return n === 0 ? [fence, j, fence] : [j, fence];
    });
  return { ...p, name: `${p.name}+sc`, threads: p.threads.map((t) => ({ ...t, body: walk(t.body.filter((i) => i.k !== 'fence')) })) };
}

function ev(e: Expr, regs: Record<string, number>): number {
  switch (e.k) {
    case 'const': return e.value;
    case 'reg': return regs[e.reg] ?? 0;
    case 'not': return ev(e.a, regs) ? 0 : 1;
    case 'bin': {
      const a = ev(e.a, regs);
      const b = ev(e.b, regs);
      const ops: Record<string, (x: number, y: number) => number> = {
        '+': (x, y) => x + y, '-': (x, y) => x - y, '&': (x, y) => x & y, '|': (x, y) => x | y, '^': (x, y) => x ^ y,
        '==': (x, y) => +(x === y), '!=': (x, y) => +(x !== y), '<': (x, y) => +(x < y), '<=': (x, y) => +(x <= y),
        '>': (x, y) => +(x > y), '>=': (x, y) => +(x >= y), '&&': (x, y) => +(!!x && !!y), '||': (x, y) => +(!!x || !!y),
      };
      return ops[e.op](a, b);
    }
  }
}

function operands(p: Prop, out: string[] = []): string[] {
  if (p.k === 'eq') {
    const s = p.lhs.k === 'reg' ? `${p.lhs.thread}:${p.lhs.reg}` : p.lhs.loc;
    if (!out.includes(s)) out.push(s);
  } else if (p.k === 'not') operands(p.a, out);
  else if (p.k === 'and' || p.k === 'or') {
    operands(p.a, out);
    operands(p.b, out);
  }
  return out;
}

function propHolds(p: Prop, get: (o: string) => number): boolean {
  switch (p.k) {
    case 'true': return true;
    case 'eq': return get(p.lhs.k === 'reg' ? `${p.lhs.thread}:${p.lhs.reg}` : p.lhs.loc) === p.value;
    case 'not': return !propHolds(p.a, get);
    case 'and': return propHolds(p.a, get) && propHolds(p.b, get);
    case 'or': return propHolds(p.a, get) || propHolds(p.b, get);
  }
}

interface ThreadState { readonly todo: readonly Instr[]; readonly regs: Readonly<Record<string, number>> }

/** Every interleaving: the final states (as the LKMM checker prints them) and the verdict. */
function scOutcomes(p: LitmusProgram): { states: string[]; verdict: string } {
  const ops = operands(p.condition.prop);
  const finals = new Map<string, boolean>();
  const seen = new Set<string>();
  const step = (mem: Record<string, number>, ts: readonly ThreadState[]): void => {
    const key = JSON.stringify([mem, ts]);
    if (seen.has(key)) return;
    seen.add(key);
    if (ts.every((t) => t.todo.length === 0)) {
      const get = (o: string) => (o.includes(':') ? ts[Number(o.split(':')[0])].regs[o.split(':')[1]] ?? 0 : mem[o]);
      finals.set(ops.map((o) => `${o}=${get(o)}`).join('; ') + ';', propHolds(p.condition.prop, get));
      return;
    }
    ts.forEach((t, n) => {
      if (!t.todo.length) return;
      const [i, ...rest] = t.todo;
      const regs = { ...t.regs };
      const m = { ...mem };
      let todo: readonly Instr[] = rest;
      switch (i.k) {
        case 'fence': break;
        case 'assign': regs[i.dst] = ev(i.value, regs); break;
        case 'load': regs[i.dst] = m[i.loc]; break;
        case 'store': m[i.loc] = ev(i.value, regs); break;
        case 'if': todo = [...(ev(i.cond, regs) ? i.then : i.else), ...rest]; break;
        case 'rmw': {
          const old = m[i.loc];
          const v = ev(i.operand, regs);
          const fns: Record<string, () => number> = { add: () => old + v, sub: () => old - v, or: () => old | v, and: () => old & v, andnot: () => old & ~v, xor: () => old ^ v, xchg: () => v, cmpxchg: () => (old === ev(i.expected!, regs) ? v : old) };
          const now = fns[i.op]();
          m[i.loc] = now;
          if (i.dst !== undefined && i.returns !== 'none') regs[i.dst] = i.returns === 'new' ? now : old;
          break;
        }
      }
      step(m, ts.map((x, k) => (k === n ? { todo, regs } : x)));
    });
  };
  step(Object.fromEntries(p.locations.map((l) => [l.name, l.init])), p.threads.map((t) => ({ todo: t.body, regs: {} })));
  const pos = [...finals.values()].filter(Boolean).length;
  return { states: [...finals.keys()].sort(), verdict: pos === 0 ? 'never' : pos === finals.size ? 'always' : 'sometimes' };
}

describe('LKMM checker against sequential consistency (every access marked, smp_mb between all)', () => {
  for (const t of textbookTests()) {
    it(`${t.file}: the same final states and verdict as every interleaving`, () => {
      const p = fullyFenced(parseLitmus(t.text, t.file));
      const r = checkLitmus(p);
      const sc = scOutcomes(p);
      expect(r.dataRace).toBe(false);
      expect(r.states).toEqual(sc.states);
      expect(r.verdict).toBe(sc.verdict);
    });
  }

  it('random programs, fully fenced: exactly the SC final states; unfenced: at least them (fast-check)', () => {
    fc.assert(
      fc.property(litmusProgram({ maxInstrs: 3, threads: 2 }), (p) => {
        const sc = scOutcomes(p);
        const weak = checkLitmus(p);
        for (const s of sc.states) expect(weak.states).toContain(s);
        const fenced = fullyFenced(p);
        const r = checkLitmus(fenced);
        expect(r.states).toEqual(scOutcomes(fenced).states);
        expect(r.dataRace).toBe(false);
      }),
      { numRuns: 150, seed: 7 },
    );
  });

  it('the unfenced versions allow more than SC somewhere (the comparison is not vacuous)', () => {
    const weaker = textbookTests().filter((t) => {
      const p = parseLitmus(t.text, t.file);
      const marked = { ...p, threads: p.threads.map((th) => ({ ...th, body: th.body.filter((i) => i.k !== 'fence') })) };
      return checkLitmus(marked).states.length > scOutcomes(marked).states.length;
    });
    expect(weaker.map((t) => t.file)).toEqual(expect.arrayContaining(['SB+poonceonces.litmus', 'MP+poonceonces.litmus', 'LB+poonceonces.litmus', 'IRIW+poonceonces+OnceOnce.litmus']));
  });
});
