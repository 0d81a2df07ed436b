/**
 * The intermediate form of a litmus program (issue #13): loop-free threads of reads, writes,
 * read-modify-writes and fences over shared locations, with branches on register values. The
 * C-litmus parser (lkmm/parse.ts) produces it, the protocol generators (lkmm/generate/) produce
 * it, the exporter (lkmm/export.ts) prints it in the LKMM's C-litmus format, and the axiomatic
 * checker (lkmm/check.ts) judges it. Values are small integers: widths do not matter to ordering
 * (barriers.md, "How to put the protocol in litmus form").
 */

/** A shared location (`x` of `P0(atomic_t *x, ...)`), or a thread's register (`r0`). */
export type Name = string;

/** How a location is declared: the type decides which primitives apply and how it is printed. */
export type LocationType = 'int' | 'atomic_t' | 'atomic_long_t';

export interface Location {
  readonly name: Name;
  readonly type: LocationType;
  /** From the init block; 0 when absent. */
  readonly init: number;
}

/** An expression over constants and the thread's registers (branch conditions, stored values,
 *  operands). Dependencies are the registers it reads. */
export type Expr =
  | { readonly k: 'const'; readonly value: number }
  | { readonly k: 'reg'; readonly reg: Name }
  | { readonly k: 'not'; readonly a: Expr }
  | {
      readonly k: 'bin';
      readonly op: '+' | '-' | '&' | '|' | '^' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '&&' | '||';
      readonly a: Expr;
      readonly b: Expr;
    };

/**
 * Access kinds as the LKMM tags events: `plain` (C `*x`, `x->counter`), `once` (READ_ONCE,
 * WRITE_ONCE, atomic_read, atomic_set: marked, relaxed), `acquire` (smp_load_acquire,
 * atomic_read_acquire), `release` (smp_store_release, atomic_set_release).
 */
export type LoadAccess = 'plain' | 'once' | 'acquire';
export type StoreAccess = 'plain' | 'once' | 'release';

/** The arithmetic of a read-modify-write: the new value from the old one and the operand. */
export type RmwOp = 'add' | 'sub' | 'or' | 'and' | 'andnot' | 'xor' | 'xchg' | 'cmpxchg';

/**
 * The ordering a read-modify-write has (linux-kernel.def): a non-returning one (`atomic_add`) is
 * `relaxed` (unordered; `smp_mb__before/after_atomic` make it full), value-returning ones are
 * `full` (`atomic_add_return`, a successful `cmpxchg`), or `_relaxed` / `_acquire` / `_release`.
 * A failed cmpxchg is a plain marked read, ordered by nothing.
 */
export type RmwOrder = 'relaxed' | 'acquire' | 'release' | 'full';

export type Fence = 'rmb' | 'wmb' | 'mb' | 'mb__before_atomic' | 'mb__after_atomic';

export type Instr =
  /** `dst = READ_ONCE(*loc)` etc.; `dst` is a register of this thread. */
  | { readonly k: 'load'; readonly dst: Name; readonly loc: Name; readonly access: LoadAccess; readonly prim?: string }
  | { readonly k: 'store'; readonly loc: Name; readonly value: Expr; readonly access: StoreAccess; readonly prim?: string }
  /**
   * `atomic_add(v, loc)`, `dst = atomic_add_return(v, loc)`, `dst = atomic_fetch_or(v, loc)`,
   * `dst = atomic_cmpxchg(loc, expected, v)`, `dst = atomic_xchg(loc, v)`: `returns` says which
   * value lands in `dst` (none: a non-returning atomic, no `dst`).
   */
  | {
      readonly k: 'rmw';
      readonly loc: Name;
      readonly op: RmwOp;
      /** The added / or-ed / exchanged value; for cmpxchg the new value. */
      readonly operand: Expr;
      /** cmpxchg only: the value compared with the old one. */
      readonly expected?: Expr;
      readonly returns: 'none' | 'old' | 'new';
      readonly dst?: Name;
      readonly order: RmwOrder;
      /** The primitive as written (`atomic_long_add_return`), for printing; derived if absent. */
      readonly prim?: string;
    }
  | { readonly k: 'fence'; readonly fence: Fence }
  /** `r = expr` on registers only (no event). */
  | { readonly k: 'assign'; readonly dst: Name; readonly value: Expr }
  /** `if (cond) { then } else { else }`: a control dependency for what it contains. */
  | { readonly k: 'if'; readonly cond: Expr; readonly then: readonly Instr[]; readonly else: readonly Instr[] };

export interface Thread {
  /** `P0`, `P1`, ... in order. */
  readonly name: string;
  /** The locations this thread's parameter list names (the C-litmus `P0(atomic_t *x, int *y)`). */
  readonly params: readonly Name[];
  readonly body: readonly Instr[];
}

/** A term of the final condition: a thread's register (`0:r0`) or a location's final value (`x`). */
export type Operand = { readonly k: 'reg'; readonly thread: number; readonly reg: Name } | { readonly k: 'loc'; readonly loc: Name };

export type Prop =
  | { readonly k: 'true' }
  | { readonly k: 'eq'; readonly lhs: Operand; readonly value: number }
  | { readonly k: 'not'; readonly a: Prop }
  | { readonly k: 'and' | 'or'; readonly a: Prop; readonly b: Prop };

/** `exists P`: Sometimes iff some allowed execution satisfies P; `~exists P`: the negation;
 *  `forall P`: every allowed execution satisfies P (herd7's "Always"/"Sometimes"/"Never"). */
export interface Condition {
  readonly quantifier: 'exists' | '~exists' | 'forall';
  readonly prop: Prop;
}

export interface LitmusProgram {
  /** The `C name` line. */
  readonly name: string;
  /** The `(* ... *)` comment, without the delimiters. */
  readonly comment?: string;
  readonly locations: readonly Location[];
  readonly threads: readonly Thread[];
  readonly condition: Condition;
}
