/**
 * The C-litmus reader: the forms kernel litmus tests use (comments, init blocks, local
 * declarations, if/else, accesses inside expressions, the atomic families, try_cmpxchg, the final
 * clause's operators) and one-line errors that name the line and column or the primitive.
 */
import { describe, expect, it } from 'vitest';
import { parseLitmus } from '../../lkmm/parse';
import { checkLitmus } from '../../lkmm/check';
import { UsageError } from '../../model/errors';

const wrap = (body: string, params = 'int *x, int *y', init = '{}', cond = 'exists (x=0)') => `C T\n\n${init}\n\nP0(${params})\n{\n${body}\n}\n\n${cond}\n`;

function error(text: string): string {
  try {
    parseLitmus(text, 'f.litmus');
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    const m = (e as Error).message;
    expect(m.split('\n')).toHaveLength(1);
    return m;
  }
  throw new Error('no error');
}

describe('parseLitmus', () => {
  it('reads the header, the (* *) comment, init forms and parameter types', () => {
    const p = parseLitmus(
      `C MP+test\n\n(*\n * Result: Never\n *)\n\n{\n\tx=1;\n\tatomic_t y = ATOMIC_INIT(2);\n\tint z = 3;\n}\n\nP0(int *x, atomic_t *y, atomic_long_t *w)\n{\n\tint r0, r1 = 4;\n\n\tr0 = READ_ONCE(*x); // a comment\n\t/* another */ atomic_long_inc(w);\n}\n\nlocations [x; y;]\nexists (0:r0=1 /\\ ~(y=2 \\/ [x]=0))\n`,
      'f.litmus',
    );
    expect(p.name).toBe('MP+test');
    expect(p.comment).toBe('\n * Result: Never\n ');
    expect(p.locations).toEqual([
      { name: 'x', type: 'int', init: 1 },
      { name: 'y', type: 'atomic_t', init: 2 },
      { name: 'z', type: 'int', init: 3 },
      { name: 'w', type: 'atomic_long_t', init: 0 },
    ]);
    expect(p.threads[0].body).toEqual([
      { k: 'assign', dst: 'r1', value: { k: 'const', value: 4 } },
      { k: 'load', dst: 'r0', loc: 'x', access: 'once', prim: 'READ_ONCE' },
      { k: 'rmw', loc: 'w', op: 'add', operand: { k: 'const', value: 1 }, returns: 'none', order: 'relaxed', prim: 'atomic_long_inc' },
    ]);
    expect(p.condition.quantifier).toBe('exists');
    expect(p.condition.prop).toEqual({
      k: 'and',
      a: { k: 'eq', lhs: { k: 'reg', thread: 0, reg: 'r0' }, value: 1 },
      b: { k: 'not', a: { k: 'or', a: { k: 'eq', lhs: { k: 'loc', loc: 'y' }, value: 2 }, b: { k: 'eq', lhs: { k: 'loc', loc: 'x' }, value: 0 } } },
    });
  });

  it('hoists accesses out of expressions, left to right, into fresh registers', () => {
    const p = parseLitmus(wrap('\tint r0;\n\tif (READ_ONCE(*x) == 1 && r0) { *y = *y + 1; } else if (r0) WRITE_ONCE(*y, 2);'), 'f');
    const [load, iff] = p.threads[0].body;
    expect(load).toEqual({ k: 'load', dst: 't0', loc: 'x', access: 'once', prim: 'READ_ONCE' });
    expect(iff.k === 'if' && iff.then).toEqual([
      { k: 'load', dst: 't1', loc: 'y', access: 'plain' },
      { k: 'store', loc: 'y', value: { k: 'bin', op: '+', a: { k: 'reg', reg: 't1' }, b: { k: 'const', value: 1 } }, access: 'plain' },
    ]);
    expect(iff.k === 'if' && iff.else[0].k).toBe('if');
  });

  it('orders of the RMW families, and try_cmpxchg as cmpxchg plus the update of the expected value', () => {
    const p = parseLitmus(
      wrap('\tint r0; int r1; int r2; int s;\n\tr0 = atomic_fetch_or_acquire(1, x);\n\tr1 = xchg_release(y, 3);\n\tr2 = atomic_dec_return_relaxed(x);\n\tif (atomic_try_cmpxchg(x, &s, s | 4)) smp_mb__after_atomic();', 'atomic_t *x, int *y'),
      'f',
    );
    const b = p.threads[0].body;
    expect(b[0]).toMatchObject({ k: 'rmw', op: 'or', returns: 'old', order: 'acquire' });
    expect(b[1]).toMatchObject({ k: 'rmw', op: 'xchg', returns: 'old', order: 'release', loc: 'y' });
    expect(b[2]).toMatchObject({ k: 'rmw', op: 'sub', returns: 'new', order: 'relaxed', operand: { k: 'const', value: 1 } });
    expect(b[3]).toMatchObject({ k: 'rmw', op: 'cmpxchg', returns: 'old', order: 'full', expected: { k: 'reg', reg: 's' }, dst: 't0' });
    expect(b[4]).toEqual({ k: 'assign', dst: 't1', value: { k: 'bin', op: '==', a: { k: 'reg', reg: 't0' }, b: { k: 'reg', reg: 's' } } });
    expect(b[5]).toEqual({ k: 'assign', dst: 's', value: { k: 'reg', reg: 't0' } });
    expect(b[6]).toMatchObject({ k: 'if', cond: { k: 'reg', reg: 't1' } });
  });

  it('try_cmpxchg behaves as the kernel documents: on failure the expected value becomes the current one', () => {
    const p = parseLitmus(wrap('\tint s; int ok;\n\ts = 1;\n\tok = atomic_try_cmpxchg(x, &s, 7);', 'atomic_t *x', '{ x=5; }', 'exists (0:ok=0 /\\ 0:s=5 /\\ x=5)'), 'f');
    expect(checkLitmus(p).verdict).toBe('always');
  });

  it('syntax errors: one line with line:column', () => {
    expect(error(wrap('\tint r0;\n\tr0 = READ_ONCE(*x)'))).toMatch(/^f\.litmus:9:1: expected ';', found '}'$/);
    expect(error('P0() {}')).toMatch(/^f\.litmus:1:1: expected the litmus header 'C <name>'/);
    expect(error(wrap('\tWRITE_ONCE(*x, 1) ;;\n\t$'))).toMatch(/^f\.litmus:8:2: unexpected character '\$'$/);
    expect(error(wrap('\tWRITE_ONCE(*x, 1);', 'int *x', '{}', 'exists (0:r9=1)'))).toMatch(/^f\.litmus:10:11: r9 is not a register of P0$/);
    expect(error(wrap('\tWRITE_ONCE(*q, 1);', 'int *x'))).toMatch(/^f\.litmus:7:14: q: not a parameter of this thread$/);
  });

  it('locks, RCU and unknown primitives: one line naming the line and the primitive', () => {
    expect(error(wrap('\tspin_lock(x);', 'spinlock_t *x'))).toMatch(/^f\.litmus:5:4: spinlock_t: locks are not supported/);
    expect(error(wrap('\tspin_lock(x);'))).toMatch(/^f\.litmus:7:2: spin_lock: locks are not supported by rmapcheck's LKMM checker$/);
    expect(error(wrap('\tint r0;\n\trcu_read_lock();'))).toMatch(/^f\.litmus:8:2: rcu_read_lock: RCU and SRCU are not supported/);
    expect(error(wrap('\tint r0;\n\tr0 = srcu_read_lock(x);'))).toMatch(/^f\.litmus:8:7: srcu_read_lock: RCU and SRCU are not supported/);
    expect(error(wrap('\tsmp_mb__after_spinlock();'))).toMatch(/locks are not supported/);
    expect(error(wrap('\tfrobnicate(x);'))).toMatch(/^f\.litmus:7:2: frobnicate: unknown primitive$/);
    expect(error(wrap('\twhile (1) {}'))).toMatch(/^f\.litmus:7:2: while: loops are not supported/);
  });
});
