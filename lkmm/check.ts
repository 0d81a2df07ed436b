/**
 * rmapcheck's axiomatic LKMM checker ("herd-lite", issue #13): every candidate execution of a
 * litmus program, judged by the Linux kernel memory model (lkmm/lkmm.ts), and the verdict on its
 * final clause as herd7 gives it.
 *
 * Candidates are built per combination of thread paths (lkmm/events.ts): for each location a
 * coherence order (the initial write first, each thread's writes in program order) and for each
 * read the write it reads from, chosen so that every thread sees the location's writes in a
 * non-decreasing order (the coherence axiom, per location) and every RMW reads from the write
 * just before its own (atomicity); then the values follow from rf, and a candidate whose values
 * contradict its path (a branch not taken, a cmpxchg that would not fail) is dropped.
 */
import { UsageError } from '../model/errors';
import type { Expr, Instr, LitmusProgram, Location, Prop, RmwOp } from './program';
import { threadPaths, type ThreadPath } from './events';
import { judge, staticRelations, type Event, type StaticRelations } from './lkmm';
import { Rel } from './relation';
import { accessText, conditionText } from './export';

/** One event of the witness, with the value it read or wrote. */
export interface WitnessEvent {
  /** `a`, `b`, ...: herd7's names, in thread order. */
  readonly id: string;
  readonly thread: string;
  readonly kind: 'R' | 'W';
  readonly loc: string;
  readonly value: number;
  /** `plain`, `once`, `acquire`, `release`, `mb` (a full RMW's), `noreturn` (atomic_add's read). */
  readonly tags: readonly string[];
  readonly instr: string;
}

export interface Witness {
  readonly threads: readonly { readonly name: string; readonly events: readonly WitnessEvent[] }[];
  /** Reads-from: `from` is an event id or `init x`. */
  readonly rf: readonly { readonly from: string; readonly to: string }[];
  /** Per location, its writes in coherence order (`init x` first). */
  readonly co: readonly { readonly loc: string; readonly order: readonly string[] }[];
  readonly registers: Readonly<Record<string, number>>;
  readonly memory: Readonly<Record<string, number>>;
}

export interface Race {
  readonly kind: 'ww' | 'wr' | 'rw';
  readonly a: string;
  readonly b: string;
  readonly loc: string;
  readonly instrs: readonly [string, string];
}

/**
 * The verdict, as herd7's Observation line: of the clause's proposition P over the allowed
 * executions (Positive: those where P holds, Negative: the others) — `never` (none), `always`
 * (all, and at least one), else `sometimes`; for `~exists` and `forall` too it is P's
 * observation (herd7's "Ok"/"No" line is then `clauseHolds`).
 */
export interface LitmusResult {
  readonly name: string;
  readonly verdict: 'never' | 'sometimes' | 'always';
  /** Some allowed execution has a data race (herd7's "Flag data-race"): the outcome is undefined. */
  readonly dataRace: boolean;
  /** Candidate executions that satisfy coherence and RMW atomicity (the enumeration prunes the rest; herd7 counts before any axiom). */
  readonly candidates: number;
  /** Candidates the LKMM allows. */
  readonly allowed: number;
  /** exists / ~exists: an allowed execution where P holds; forall: one where it fails; else null. */
  readonly witness: Witness | null;
  readonly positive: number;
  readonly negative: number;
  readonly condition: string;
  /** herd7's Ok: exists P with Positive > 0; ~exists P with Positive = 0; forall P with Negative = 0. */
  readonly clauseHolds: boolean;
  /** The racing pairs of the first allowed execution with a race (empty: none). */
  readonly races: readonly Race[];
  /** Allowed executions' distinct final states (the condition's registers and locations). */
  readonly states: readonly string[];
  /** Candidates rejected by each axiom. */
  readonly rejected: { readonly happensBefore: number; readonly propagation: number; readonly plainCoherence: number };
}

export interface CheckOptions {
  /** Stop with a UsageError beyond this many candidates (default 5,000,000). */
  readonly maxCandidates?: number;
}

function evalExpr(e: Expr, regs: Map<string, number>): number {
  switch (e.k) {
    case 'const':
      return e.value;
    case 'reg':
      return regs.get(e.reg) ?? 0;
    case 'not':
      return evalExpr(e.a, regs) ? 0 : 1;
    case 'bin': {
      const a = evalExpr(e.a, regs);
      if (e.op === '&&') return a && evalExpr(e.b, regs) ? 1 : 0;
      if (e.op === '||') return a || evalExpr(e.b, regs) ? 1 : 0;
      const b = evalExpr(e.b, regs);
      switch (e.op) {
        case '+': return a + b;
        case '-': return a - b;
        case '&': return a & b;
        case '|': return a | b;
        case '^': return a ^ b;
        case '==': return a === b ? 1 : 0;
        case '!=': return a !== b ? 1 : 0;
        case '<': return a < b ? 1 : 0;
        case '<=': return a <= b ? 1 : 0;
        case '>': return a > b ? 1 : 0;
        case '>=': return a >= b ? 1 : 0;
      }
    }
  }
}

function applyRmw(op: RmwOp, old: number, v: number): number {
  switch (op) {
    case 'add': return old + v;
    case 'sub': return old - v;
    case 'or': return old | v;
    case 'and': return old & v;
    case 'andnot': return old & ~v;
    case 'xor': return old ^ v;
    case 'xchg':
    case 'cmpxchg':
      return v;
  }
}

/** The kernel's words for an instruction, as the step tables show it. */
function describe(locs: ReadonlyMap<string, Location>) {
  return (i: Instr, part?: 'R' | 'W'): string => {
    if (i.k !== 'load' && i.k !== 'store' && i.k !== 'rmw') return i.k;
    let text: string;
    try {
      text = accessText(i, locs.get(i.loc)!);
    } catch {
      text = `${i.prim ?? i.k}(${i.loc})`; // a form linux-kernel.def cannot spell
    }
    const dst = i.k === 'load' ? i.dst : i.k === 'rmw' && i.returns !== 'none' ? i.dst : undefined;
    return `${dst !== undefined ? dst + ' = ' : ''}${text}${part ? ` [${part}]` : ''}`;
  };
}

/** Interleavings of the threads' write sequences: the coherence orders coherence allows. */
function interleavings(seqs: number[][]): number[][] {
  const out: number[][] = [];
  const idx = seqs.map(() => 0);
  const cur: number[] = [];
  const total = seqs.reduce((a, s) => a + s.length, 0);
  const rec = () => {
    if (cur.length === total) {
      out.push(cur.slice());
      return;
    }
    for (let t = 0; t < seqs.length; t++) {
      if (idx[t] < seqs[t].length) {
        cur.push(seqs[t][idx[t]++]);
        rec();
        idx[t]--;
        cur.pop();
      }
    }
  };
  rec();
  return out;
}

/** One location's share of a candidate: its coherence order and the source of each of its reads. */
interface LocChoice {
  readonly order: readonly number[];
  /** [read id, write id] pairs. */
  readonly rf: readonly (readonly [number, number])[];
}

/**
 * A location's coherent, atomic (co, rf) choices. Per thread, in program order, a write must be
 * co-after everything the thread saw or wrote before, a read must read from a write no earlier;
 * an RMW's read reads from the write just before its own write.
 */
function locationChoices(s: StaticRelations, initId: number, loc: string): LocChoice[] {
  const threads = new Map<number, Event[]>();
  for (const e of s.events) if (!e.init && e.loc === loc) (threads.get(e.thread) ?? threads.set(e.thread, []).get(e.thread)!).push(e);
  const perThread = [...threads.values()].map((es) => es.sort((a, b) => a.seq - b.seq));
  const writes = perThread.map((es) => es.filter((e) => e.kind === 'W').map((e) => e.id));
  const rmwW = new Map<number, number>();
  for (const [r, w] of s.rmw.pairs()) rmwW.set(r, w);
  const out: LocChoice[] = [];
  for (const rest of interleavings(writes)) {
    const order = [initId, ...rest];
    const pos = new Map(order.map((w, i) => [w, i]));
    const rf: [number, number][] = [];
    const rec = (t: number, i: number, last: number): void => {
      if (t === perThread.length) {
        out.push({ order, rf: rf.slice() });
        return;
      }
      const es = perThread[t];
      if (i === es.length) return rec(t + 1, 0, 0);
      const e = es[i];
      if (e.kind === 'W') {
        if (pos.get(e.id)! > last) rec(t, i + 1, pos.get(e.id)!);
        return;
      }
      const w = rmwW.get(e.id);
      const candidates = w !== undefined ? [pos.get(w)! - 1] : order.map((_, p) => p);
      for (const p of candidates) {
        if (p < last) continue;
        rf.push([e.id, order[p]]);
        rec(t, i + 1, p);
        rf.pop();
      }
    };
    rec(0, 0, 0);
  }
  return out;
}

interface Outcome {
  readonly values: Int32Array;
  readonly regs: Map<string, number>[];
}

/** Partial evaluation: `undefined` for a value that depends on a read not yet known. */
function evalPartial(e: Expr, regs: Map<string, number | undefined>): number | undefined {
  switch (e.k) {
    case 'const':
      return e.value;
    case 'reg':
      return regs.has(e.reg) ? regs.get(e.reg) : 0;
    case 'not': {
      const a = evalPartial(e.a, regs);
      return a === undefined ? undefined : a ? 0 : 1;
    }
    case 'bin': {
      const a = evalPartial(e.a, regs);
      const b = evalPartial(e.b, regs);
      if (a === undefined || b === undefined) return undefined;
      return evalExpr({ k: 'bin', op: e.op, a: { k: 'const', value: a }, b: { k: 'const', value: b } }, regs as Map<string, number>);
    }
  }
}

/**
 * The values of a candidate: every read takes its source write's value, every write the value of
 * its expression. The threads are run again and again with what is known so far (a write's value
 * may not depend on the read that waits for it: load buffering) until nothing new is learnt.
 * Null when the values contradict the paths (a branch not taken, a cmpxchg that would not fail)
 * or feed themselves (a value out of thin air is no candidate).
 */
function evaluate(s: StaticRelations, paths: readonly ThreadPath[], offsets: readonly number[], inits: readonly number[], src: Int32Array): Outcome | null {
  const values = new Int32Array(s.n);
  const known = new Uint8Array(s.n);
  inits.forEach((v, i) => {
    values[i] = v;
    known[i] = 1;
  });
  let regs: Map<string, number | undefined>[] = [];
  for (let changed = true; changed; ) {
    changed = false;
    const set = (id: number, v: number | undefined) => {
      if (v !== undefined && !known[id]) {
        values[id] = v;
        known[id] = 1;
        changed = true;
      }
    };
    regs = paths.map(() => new Map<string, number | undefined>());
    for (let t = 0; t < paths.length; t++) {
      const off = offsets[t];
      const r = regs[t];
      for (const st of paths[t].steps) {
        switch (st.k) {
          case 'read': {
            const from = src[off + st.ev];
            const v = known[from] ? values[from] : undefined;
            set(off + st.ev, v);
            if (st.dst) r.set(st.dst, v);
            break;
          }
          case 'write':
            set(off + st.ev, evalPartial(st.value, r));
            break;
          case 'assign':
            r.set(st.dst, evalPartial(st.value, r));
            break;
          case 'guard': {
            const c = evalPartial(st.cond, r);
            if (c !== undefined && !c !== !st.want) return null;
            break;
          }
          case 'rmw': {
            const from = src[off + st.r];
            const old = known[from] ? values[from] : undefined;
            set(off + st.r, old);
            const v = evalPartial(st.operand, r);
            let now: number | undefined;
            if (old !== undefined && v !== undefined) now = applyRmw(st.op, old, v);
            if (st.op === 'cmpxchg') {
              const exp = evalPartial(st.expected!, r);
              if (old !== undefined && exp !== undefined && (old === exp) !== (st.w !== null)) return null;
            }
            if (st.w !== null) set(off + st.w, now);
            if (st.dst) r.set(st.dst, st.returns === 'new' ? now : old);
            break;
          }
        }
      }
    }
  }
  for (let i = 0; i < s.n; i++) if (!known[i]) return null;
  return { values, regs: regs as Map<string, number>[] };
}

/** A path whose branches are decided by constants alone must take them the way they go:
 *  run it with every read unknown; a guard or cmpxchg decided against the path drops it. */
function feasible(path: ThreadPath): boolean {
  const r = new Map<string, number | undefined>();
  for (const st of path.steps) {
    if (st.k === 'read') {
      if (st.dst) r.set(st.dst, undefined);
    } else if (st.k === 'assign') r.set(st.dst, evalPartial(st.value, r));
    else if (st.k === 'guard') {
      const c = evalPartial(st.cond, r);
      if (c !== undefined && !c !== !st.want) return false;
    } else if (st.k === 'rmw' && st.dst) r.set(st.dst, undefined);
  }
  return true;
}

function evalProp(p: Prop, regs: readonly Map<string, number>[], memory: Map<string, number>): boolean {
  switch (p.k) {
    case 'true':
      return true;
    case 'eq':
      return (p.lhs.k === 'reg' ? regs[p.lhs.thread].get(p.lhs.reg) ?? 0 : memory.get(p.lhs.loc) ?? 0) === p.value;
    case 'not':
      return !evalProp(p.a, regs, memory);
    case 'and':
      return evalProp(p.a, regs, memory) && evalProp(p.b, regs, memory);
    case 'or':
      return evalProp(p.a, regs, memory) || evalProp(p.b, regs, memory);
  }
}

function propOperands(p: Prop, out: string[] = []): string[] {
  if (p.k === 'eq') {
    const s = p.lhs.k === 'reg' ? `${p.lhs.thread}:${p.lhs.reg}` : p.lhs.loc;
    if (!out.includes(s)) out.push(s);
  } else if (p.k === 'not') propOperands(p.a, out);
  else if (p.k === 'and' || p.k === 'or') {
    propOperands(p.a, out);
    propOperands(p.b, out);
  }
  return out;
}

/** herd7's event names: a, b, ..., z, then a1, b1, ... */
function eventName(i: number): string {
  return String.fromCharCode(97 + (i % 26)) + (i >= 26 ? String(Math.floor(i / 26)) : '');
}

function cartesian<T>(lists: readonly (readonly T[])[]): T[][] {
  return lists.reduce<T[][]>((acc, l) => acc.flatMap((a) => l.map((x) => [...a, x])), [[]]);
}

/**
 * Enumerates and judges every candidate execution of `p` under the LKMM.
 * Throws a UsageError for a program that names an unknown location or is too big.
 */
export function checkLitmus(p: LitmusProgram, opts: CheckOptions = {}): LitmusResult {
  const maxCandidates = opts.maxCandidates ?? 5_000_000;
  const locs = new Map(p.locations.map((l) => [l.name, l]));
  const walk = (is: readonly Instr[], t: string): void => {
    for (const i of is) {
      if ((i.k === 'load' || i.k === 'store' || i.k === 'rmw') && !locs.has(i.loc)) throw new UsageError(`${p.name}: ${t} uses location ${i.loc}, which the program does not declare`);
      if (i.k === 'if') {
        walk(i.then, t);
        walk(i.else, t);
      }
    }
  };
  p.threads.forEach((t) => walk(t.body, t.name));
  const perThread = p.threads.map((t) => threadPaths(t.body, describe(locs)).filter(feasible));
  const inits = p.locations.map((l) => l.init);
  const operands = propOperands(p.condition.prop);
  let candidates = 0;
  let allowed = 0;
  let positive = 0;
  let dataRace = false;
  let witness: Witness | null = null;
  let races: Race[] = [];
  const rejected = { happensBefore: 0, propagation: 0, plainCoherence: 0 };
  const states = new Set<string>();
  const wantWitness = (holds: boolean) => (p.condition.quantifier === 'forall' ? !holds : holds);

  for (const combo of cartesian(perThread)) {
    const s = staticRelations(p.locations, combo);
    const offsets: number[] = [];
    let off = p.locations.length;
    for (const path of combo) {
      offsets.push(off);
      off += path.events.length;
    }
    const choices = p.locations.map((l, i) => locationChoices(s, i, l.name));
    const src = new Int32Array(s.n).fill(-1);
    const picked: LocChoice[] = [];
    const leaf = () => {
      const out = evaluate(s, combo, offsets, inits, src);
      if (!out) return;
      candidates++;
      if (candidates > maxCandidates) throw new UsageError(`${p.name}: more than ${maxCandidates} candidate executions; make the program smaller`);
      const rf = new Rel(s.n);
      const co = new Rel(s.n);
      const fr = new Rel(s.n);
      const coPos = new Int32Array(s.n);
      for (const c of picked) {
        c.order.forEach((w, i) => {
          coPos[w] = i;
          for (let j = i + 1; j < c.order.length; j++) co.add(w, c.order[j]);
        });
      }
      for (const c of picked) {
        for (const [r, w] of c.rf) {
          rf.add(w, r);
          for (let j = coPos[w] + 1; j < c.order.length; j++) fr.add(r, c.order[j]);
        }
      }
      const j = judge(s, rf, co, fr);
      if (j.violates === 'happens-before') rejected.happensBefore++;
      else if (j.violates === 'propagation') rejected.propagation++;
      else if (j.violates === 'plain-coherence') rejected.plainCoherence++;
      if (j.violates) return;
      allowed++;
      const memory = new Map<string, number>();
      picked.forEach((c, i) => memory.set(p.locations[i].name, out.values[c.order[c.order.length - 1]]));
      const holds = evalProp(p.condition.prop, out.regs, memory);
      if (holds) positive++;
      states.add(operands.map((o) => `${o}=${o.includes(':') ? out.regs[Number(o.split(':')[0])].get(o.split(':')[1]) ?? 0 : memory.get(o) ?? 0}`).join('; ') + ';');
      if (j.races.length > 0 && !dataRace) {
        dataRace = true;
        const name = (id: number) => (s.events[id].init ? `init ${s.events[id].loc}` : eventName(id - p.locations.length));
        races = j.races.map((x) => ({ kind: x.kind, a: name(x.a), b: name(x.b), loc: s.events[x.a].loc, instrs: [s.events[x.a].label, s.events[x.b].label] as const }));
      }
      if (witness === null && wantWitness(holds)) witness = buildWitness(p, s, picked, src, out, memory);
    };
    const rec = (l: number) => {
      if (l === choices.length) return leaf();
      for (const c of choices[l]) {
        for (const [r, w] of c.rf) src[r] = w;
        picked.push(c);
        rec(l + 1);
        picked.pop();
      }
    };
    rec(0);
  }
  const negative = allowed - positive;
  const verdict = positive === 0 ? 'never' : negative === 0 ? 'always' : 'sometimes';
  const q = p.condition.quantifier;
  const clauseHolds = q === 'exists' ? positive > 0 : q === '~exists' ? positive === 0 : negative === 0;
  return {
    name: p.name,
    verdict,
    dataRace,
    candidates,
    allowed,
    witness,
    positive,
    negative,
    condition: conditionText(p.condition),
    clauseHolds,
    races,
    states: [...states].sort(),
    rejected,
  };
}

function buildWitness(p: LitmusProgram, s: StaticRelations, picked: readonly LocChoice[], src: Int32Array, out: Outcome, memory: Map<string, number>): Witness {
  const base = p.locations.length;
  const name = (id: number) => (s.events[id].init ? `init ${s.events[id].loc}` : eventName(id - base));
  const tags = (e: Event) => [
    e.plain ? 'plain' : e.acquire ? 'acquire' : e.release ? 'release' : 'once',
    ...(e.mb ? ['mb'] : []),
    ...(e.noreturn ? ['noreturn'] : []),
    ...(e.rmwInstr ? ['rmw'] : []),
  ];
  const threads = p.threads.map((t, ti) => ({
    name: t.name,
    events: s.events.filter((e) => e.thread === ti).map((e) => ({ id: name(e.id), thread: t.name, kind: e.kind, loc: e.loc, value: out.values[e.id], tags: tags(e), instr: e.label })),
  }));
  const rf: { from: string; to: string }[] = [];
  for (const e of s.events) if (e.kind === 'R') rf.push({ from: name(src[e.id]), to: name(e.id) });
  const registers: Record<string, number> = {};
  out.regs.forEach((m, t) => [...m.entries()].sort().forEach(([r, v]) => (registers[`${t}:${r}`] = v)));
  return {
    threads,
    rf,
    co: picked.map((c, i) => ({ loc: p.locations[i].name, order: c.order.map(name) })),
    registers,
    memory: Object.fromEntries(memory),
  };
}
