/**
 * Random litmus programs (fast-check) over every instruction form of the intermediate form:
 * loads and stores of each access kind, every RMW family and order, fences, register
 * assignments, nested if/else, and a final clause with every operator.
 */
import fc from 'fast-check';
import type { Expr, Instr, LitmusProgram, Prop } from '../../lkmm/program';

export function litmusProgram(opts: { maxInstrs: number; threads?: number; plain?: boolean; ifs?: boolean }): fc.Arbitrary<LitmusProgram> {
  const locs = ['x', 'y'];
  const regs = ['r0', 'r1'];
  const expr: fc.Arbitrary<Expr> = fc.letrec<{ e: Expr }>((tie) => ({
    e: fc.oneof(
      { depthSize: 'small', withCrossShrink: true, maxDepth: 3 },
      fc.integer({ min: -3, max: 5 }).map((value): Expr => ({ k: 'const', value })),
      fc.constantFrom(...regs).map((reg): Expr => ({ k: 'reg', reg })),
      tie('e').map((a): Expr => ({ k: 'not', a })),
      fc.record({ op: fc.constantFrom('+', '-', '&', '|', '^', '==', '!=', '<', '<=', '>', '>=', '&&', '||' as const), a: tie('e'), b: tie('e') }).map((r): Expr => ({ k: 'bin', ...r }) as Expr),
    ),
  })).e;
  const loadAccess = opts.plain === false ? fc.constantFrom('once', 'acquire' as const) : fc.constantFrom('plain', 'once', 'acquire' as const);
  const storeAccess = opts.plain === false ? fc.constantFrom('once', 'release' as const) : fc.constantFrom('plain', 'once', 'release' as const);
  const order = fc.constantFrom('relaxed', 'acquire', 'release', 'full' as const);
  const access: fc.Arbitrary<Instr> = fc.oneof(
    fc.record({ dst: fc.constantFrom(...regs), loc: fc.constantFrom(...locs), access: loadAccess }).map((r): Instr => ({ k: 'load', ...r })),
    fc.record({ loc: fc.constantFrom(...locs), value: expr, access: storeAccess }).map((r): Instr => ({ k: 'store', ...r })),
    fc.record({ loc: fc.constantFrom(...locs), op: fc.constantFrom('add', 'sub', 'or', 'and', 'andnot', 'xor' as const), operand: expr }).map((r): Instr => ({ k: 'rmw', ...r, returns: 'none', order: 'relaxed' })),
    fc.record({ loc: fc.constantFrom(...locs), op: fc.constantFrom('add', 'sub' as const), operand: expr, dst: fc.constantFrom(...regs), order, returns: fc.constantFrom('old', 'new' as const) }).map((r): Instr => ({ k: 'rmw', ...r })),
    fc.record({ loc: fc.constantFrom(...locs), op: fc.constantFrom('xchg', 'or', 'xor', 'and', 'andnot' as const), operand: expr, dst: fc.constantFrom(...regs), order }).map((r): Instr => ({ k: 'rmw', ...r, returns: 'old' })),
    fc.record({ loc: fc.constantFrom(...locs), operand: expr, expected: expr, dst: fc.constantFrom(...regs), order }).map((r): Instr => ({ k: 'rmw', op: 'cmpxchg', returns: 'old', ...r })),
    fc.constantFrom('rmb', 'wmb', 'mb', 'mb__before_atomic', 'mb__after_atomic' as const).map((fence): Instr => ({ k: 'fence', fence })),
    fc.record({ dst: fc.constantFrom(...regs), value: expr }).map((r): Instr => ({ k: 'assign', ...r })),
  );
  const instrs: fc.Arbitrary<Instr[]> = fc.letrec<{ is: Instr[] }>((tie) => ({
    is: fc.array(
      opts.ifs === false ? access : fc.oneof({ depthSize: 'small', maxDepth: 2 }, access, fc.record({ cond: expr, then: tie('is'), else: tie('is') }).map((r): Instr => ({ k: 'if', ...r }))),
      { maxLength: opts.maxInstrs },
    ),
  })).is;
  const nThreads = opts.threads ?? 2;
  const prop: fc.Arbitrary<Prop> = fc.letrec<{ p: Prop }>((tie) => ({
    p: fc.oneof(
      { depthSize: 'small' },
      fc.constant<Prop>({ k: 'true' }),
      fc.record({ thread: fc.integer({ min: 0, max: nThreads - 1 }), reg: fc.constantFrom(...regs), value: fc.integer({ min: -2, max: 3 }) }).map((r): Prop => ({ k: 'eq', lhs: { k: 'reg', thread: r.thread, reg: r.reg }, value: r.value })),
      fc.record({ loc: fc.constantFrom(...locs), value: fc.integer({ min: 0, max: 3 }) }).map((r): Prop => ({ k: 'eq', lhs: { k: 'loc', loc: r.loc }, value: r.value })),
      tie('p').map((a): Prop => ({ k: 'not', a })),
      fc.record({ k: fc.constantFrom('and', 'or' as const), a: tie('p'), b: tie('p') }).map((r): Prop => r as Prop),
    ),
  })).p;
  return fc
    .record({
      bodies: fc.array(instrs, { minLength: nThreads, maxLength: nThreads }),
      prop,
      quantifier: fc.constantFrom('exists', '~exists', 'forall' as const),
      types: fc.tuple(fc.constantFrom('int', 'atomic_t', 'atomic_long_t' as const), fc.constantFrom('int', 'atomic_t' as const)),
      inits: fc.tuple(fc.integer({ min: -1, max: 3 }), fc.integer({ min: 0, max: 3 })),
    })
    .map(({ bodies, prop, quantifier, types, inits }): LitmusProgram => ({
      name: 'random',
      locations: locs.map((name, i) => ({ name, type: types[i], init: inits[i] })),
      // both registers set first, so the reader knows them wherever they are first used
      threads: bodies.map((body, i) => ({
        name: `P${i}`,
        params: locs,
        body: [{ k: 'assign', dst: 'r0', value: { k: 'const', value: 0 } }, { k: 'assign', dst: 'r1', value: { k: 'const', value: 0 } }, ...body] as Instr[],
      })),
      condition: { quantifier, prop },
    }));
}
