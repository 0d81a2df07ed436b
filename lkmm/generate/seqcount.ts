/**
 * Litmus programs from the atomic seqcount (seqcount.md, model/seqcount/model.ts), with the exact
 * primitives of barriers.md, per variant and per broken variant:
 *
 * - a spin is replaced by its exit iteration (`t = read(seq); if (!(t & MASK)) { rest }`), which
 *   keeps the control dependency: a Never for that program holds for the loop, and a Sometimes
 *   is real because the loop may exit on its first read (barriers.md);
 * - one write section per writer, layouts scaled down (`LITMUS_LAYOUTS`): widths do not matter to
 *   ordering;
 * - reader programs ask "passed begin and retry with seq unchanged, yet the snapshot is not the
 *   protected words as of that seq"; writer programs ask "both finished, yet a counter is not
 *   the sum of the adds" (`done` registers say a writer's path reached its end).
 *
 * Protected words: `m` (the folio's total mapcount, atomic_t) and `v` (an rmap value,
 * atomic_long_t); a section adds 1 to `m` and 3 to `v` (as the model's d(0, 1)).
 */
import { UsageError } from '../../model/errors';
import { SEQCOUNT_DESCRIPTOR, type Bug } from '../../model/seqcount/model';
import { VARIANTS, type Variant } from '../../model/seqcount/layout';
import type { Instr, LitmusProgram, Prop } from '../program';
import { and, assign, bin, exists, fence, load, locIs, not, or, pnot, program, reg, regIs, rmw, store, when } from './build';

/** The scaled-down layouts (barriers.md: "e.g. V1: SHARED 1, writers mask 15, STEP 16"). */
export interface LitmusLayout {
  readonly shared: number;
  /** V2: the EXCL bit; V3: EXCL_UNIT; 0 for V1. */
  readonly excl: number;
  /** V2: EXCL; V3: EXCL_MASK; 0 for V1. */
  readonly exclMask: number;
  readonly writers: number;
  readonly step: number;
}

export const LITMUS_LAYOUTS: Readonly<Record<Variant, LitmusLayout>> = {
  v1: { shared: 1, excl: 0, exclMask: 0, writers: 0xf, step: 0x10 },
  v2: { shared: 1, excl: 0x10, exclMask: 0x10, writers: 0x1f, step: 0x20 },
  v3: { shared: 1, excl: 0x10, exclMask: 0xf0, writers: 0xff, step: 0x100 },
};

/** A protected word, its declaration and what one section adds to it. */
export interface Word {
  readonly name: 'm' | 'v' | 'ref';
  readonly type: 'atomic_t' | 'atomic_long_t';
  readonly delta: number;
}
export const M: Word = { name: 'm', type: 'atomic_t', delta: 1 };
export const V: Word = { name: 'v', type: 'atomic_long_t', delta: 3 };

const long = (w: Word): string => (w.type === 'atomic_long_t' ? 'atomic_long_' : 'atomic_');
const addPrim = (w: Word, d: number): string => `${long(w)}${d < 0 ? 'sub' : 'add'}`;

/** `atomic_add(d, w)` — non-returning, unordered (a shared writer's body, P06). */
export function atomicAdd(w: Word, d: number = w.delta): Instr {
  return d < 0 ? rmw(w.name, 'sub', -d, 'relaxed', addPrim(w, d)) : rmw(w.name, 'add', d, 'relaxed', addPrim(w, d));
}

/** P17's exclusive body: `w->counter += d`, a plain load then a plain store. */
export function plainAdd(w: Word, d: number = w.delta): Instr[] {
  const t = `t${w.name}`;
  return [load(t, w.name, 'plain'), store(w.name, bin('+', t, d), 'plain')];
}

/** How a writer's body updates its words. */
export type Body = 'atomic' | 'plain';
const bodyOf = (words: readonly Word[], body: Body): Instr[] => words.flatMap((w) => (body === 'plain' ? plainAdd(w) : [atomicAdd(w)]));

/** `smp_mb__before_atomic(); atomic_long_add(STEP - unit, seq); done = 1`. */
function endSection(L: LitmusLayout, unit: number): Instr[] {
  return [fence('mb__before_atomic'), rmw('seq', 'add', L.step - unit, 'relaxed', 'atomic_long_add'), assign('done', 1)];
}

/** A spin's exit iteration on a plain read of `seq` (V2/V3 shared writers: "spin on plain reads
 *  of seq while EXCL is set — no barrier after the spin"). */
function spinExit(mask: number, rest: readonly Instr[]): Instr[] {
  return [load('t', 'seq', 'plain'), when(not(bin('&', 't', mask)), rest)];
}

/**
 * A shared writer's section: V1 `atomic_long_add(SHARED, seq); smp_mb__after_atomic()`; V2/V3
 * `r = atomic_long_add_return(SHARED, seq)` (full barrier), and if `r` has an exclusive bit, the
 * spin's exit iteration (`wait: false`, bug no-exclusive-wait: no spin at all).
 */
export function sharedWriter(variant: Variant, words: readonly Word[], body: Body, wait = true): Instr[] {
  const L = LITMUS_LAYOUTS[variant];
  const rest = [...bodyOf(words, body), ...endSection(L, L.shared)];
  if (variant === 'v1') return [rmw('seq', 'add', L.shared, 'relaxed', 'atomic_long_add'), fence('mb__after_atomic'), ...rest];
  const begin = rmw('seq', 'add', L.shared, 'full', 'atomic_long_add_return', { dst: 'r', returns: 'new' });
  if (!wait) return [begin, ...rest];
  return [begin, when(bin('&', 'r', L.exclMask), spinExit(L.exclMask, rest), rest)];
}

/**
 * An exclusive writer's section (V2, P16/P17): `s = atomic_long_read(seq)`; if no writer bit,
 * `atomic_long_cmpxchg(seq, s, s | EXCL)` (full barrier on success; a failed one orders nothing);
 * on success the plain body. Without `fallback` the failure paths end the thread (against a
 * reader the attempt always succeeds); with it they take the shared path.
 */
export function exclusiveWriterV2(words: readonly Word[], fallback = false): Instr[] {
  const L = LITMUS_LAYOUTS.v2;
  // `fallback`: a writer that does not become exclusive takes the shared path (P16's begin)
  const shared = fallback ? sharedWriter('v2', words, 'atomic') : [];
  return [
    load('s', 'seq', 'once', 'atomic_long_read'),
    when(
      not(bin('&', 's', L.writers)),
      [
        rmw('seq', 'cmpxchg', bin('|', 's', L.excl), 'full', 'atomic_long_cmpxchg', { dst: 'x', returns: 'old', expected: reg('s') }),
        when(bin('==', 'x', reg('s')), [...bodyOf(words, 'plain'), ...endSection(L, L.excl)], shared),
      ],
      shared,
    ),
  ];
}

/**
 * A V3 writer (P18) trying exclusive: `r = atomic_long_add_return(EXCL, seq)` (full); exclusive
 * iff `(r & WRITERS) == EXCL`, then the plain body; else the loser backs off with
 * `atomic_long_add(SHARED - EXCL, seq)` (no barrier), spins (exit iteration) while an exclusive
 * bit is set, and runs a shared body.
 */
export function exclusiveWriterV3(words: readonly Word[]): Instr[] {
  const L = LITMUS_LAYOUTS.v3;
  return [
    rmw('seq', 'add', L.excl, 'full', 'atomic_long_add_return', { dst: 'r', returns: 'new' }),
    when(
      bin('==', bin('&', 'r', L.writers), L.excl),
      [...bodyOf(words, 'plain'), ...endSection(L, L.excl)],
      [rmw('seq', 'add', L.shared - L.excl, 'relaxed', 'atomic_long_add'), ...spinExit(L.exclMask, [...bodyOf(words, 'atomic'), ...endSection(L, L.shared)])],
    ),
  ];
}

/** What a reader does, correct or broken. */
export interface ReaderShape {
  /** Spin at begin (its exit iteration): false for bug no-begin-wait. */
  readonly wait: boolean;
  /** Retry check: false for bug no-retry. */
  readonly retry: boolean;
}

/** The reader: begin (exit iteration of the spin on `writersMask`, then `smp_rmb()`), marked
 *  body reads, `smp_rmb()` and the retry read. Registers: `s` (begin), `r<word>` (snapshot),
 *  `s2` (retry). */
export function reader(words: readonly Word[], writersMask: number, shape: ReaderShape = { wait: true, retry: true }): Instr[] {
  const body: Instr[] = [fence('rmb'), ...words.map((w) => load(`r${w.name}`, w.name, 'once', `${long(w)}read`))];
  if (shape.retry) body.push(fence('rmb'), load('s2', 'seq', 'once', 'atomic_long_read'));
  const begin = load('s', 'seq', 'once', 'atomic_long_read');
  return shape.wait ? [begin, when(not(bin('&', 's', writersMask)), body)] : [begin, ...body];
}

/** The snapshot of `words` in thread `t` equals `values`. */
const snapshotIs = (t: number, words: readonly Word[], values: readonly number[]): Prop => and(...words.map((w, i) => regIs(t, `r${w.name}`, values[i])));

/**
 * The reader's exists clause for one writer section: for each value `a` of `seq` the program
 * can produce, the reader read `a` at begin (and at retry) yet its snapshot is not the words as
 * of `a` (before the section when `a` is 0, after it when `a` is STEP; while `a` holds a writer
 * unit — reachable only for a broken begin — either of the two).
 */
export function readerCondition(t: number, words: readonly Word[], seqValues: readonly number[], step: number, retry: boolean, init: readonly number[] = words.map(() => 0)): Prop {
  const before = snapshotIs(t, words, init);
  const after = snapshotIs(t, words, words.map((w, i) => init[i] + w.delta));
  return or(
    ...seqValues.map((a) => {
      const expected = a === 0 ? before : a === step ? after : or(before, after);
      return and(regIs(t, 's', a), ...(retry ? [regIs(t, 's2', a)] : []), pnot(expected));
    }),
  );
}

/** The writer-side clause: both writers finished, yet some word is not the sum of the adds. */
export function writersCondition(words: readonly Word[]): Prop {
  return and(regIs(0, 'done', 1), regIs(1, 'done', 1), pnot(and(...words.map((w) => locIs(w.name, 2 * w.delta)))));
}

const locationsFor = (words: readonly Word[]) => [{ name: 'seq', type: 'atomic_long_t' as const }, ...words.map((w) => ({ name: w.name, type: w.type }))];

/** A reader against one writer section. */
function readerProgram(name: string, comment: string, variant: Variant, writer: Instr[], writerUnit: number, shape: ReaderShape, words: readonly Word[] = [M, V]): LitmusProgram {
  const L = LITMUS_LAYOUTS[variant];
  const values = [0, writerUnit, L.step];
  return program(name, comment, locationsFor(words), [writer, reader(words, L.writers, shape)], exists(readerCondition(1, words, values, L.step, shape.retry)));
}

/** Two writer sections, one per thread. */
function writersProgram(name: string, comment: string, w0: Instr[], w1: Instr[], words: readonly Word[] = [M]): LitmusProgram {
  return program(name, comment, locationsFor(words), [w0, w1], exists(writersCondition(words)));
}

/** Bugs of the model that have no litmus form, and why (the report's table says the same). */
export const NOT_EXPRESSIBLE: Readonly<Partial<Record<Bug, string>>> = {
  aba: 'the sequence wrap-around needs a reader descheduled across 2^seqBits sections of one writer: a sequential-consistency counterexample of bounded arithmetic, not an ordering question (the litmus form has one section per writer and unbounded integers)',
};

const CORRECT = { wait: true, retry: true };

/** The reader programs of `variant` with reader shape `shape` (name prefix `prefix`). */
function readerPrograms(variant: Variant, prefix: string, shape: ReaderShape, note: string): LitmusProgram[] {
  const L = LITMUS_LAYOUTS[variant];
  const out: LitmusProgram[] = [
    readerProgram(`${prefix}-reader-vs-shared`, `seqcount ${variant}${note}: a reader against a shared writer's section (atomic adds)`, variant, sharedWriter(variant, [M, V], 'atomic'), L.shared, shape),
  ];
  if (variant === 'v2')
    out.push(readerProgram(`${prefix}-reader-vs-exclusive`, `seqcount v2${note}: a reader against the exclusive writer (cmpxchg begin, P17 plain body)`, variant, exclusiveWriterV2([M, V]), L.excl, shape));
  if (variant === 'v3')
    out.push(readerProgram(`${prefix}-reader-vs-exclusive`, `seqcount v3${note}: a reader against a writer trying exclusive (add_return(EXCL) begin, P17 plain body)`, variant, exclusiveWriterV3([M, V]), L.excl, shape));
  return out;
}

/** The writer-side programs of `variant`; `plainShared`: bug shared-plain-update, `wait`:
 *  false for bug no-exclusive-wait. */
function writerPrograms(variant: Variant, prefix: string, plainShared: boolean, wait: boolean, note: string): LitmusProgram[] {
  const shared = (): Instr[] => sharedWriter(variant, [M], plainShared ? 'plain' : 'atomic', wait);
  const out: LitmusProgram[] = [];
  if (!(variant === 'v2' && !wait))
    out.push(writersProgram(`${prefix}-writers-shared-vs-shared`, `seqcount ${variant}${note}: two shared writers' sections`, shared(), shared()));
  if (variant === 'v2' && !plainShared)
    out.push(writersProgram(`${prefix}-writers-exclusive-vs-shared`, `seqcount v2${note}: the exclusive writer (plain body) against a shared writer`, exclusiveWriterV2([M]), shared()));
  if (variant === 'v2' && !plainShared && wait)
    out.push(writersProgram(`${prefix}-writers-exclusive-race`, 'seqcount v2: two writers race for exclusive with cmpxchg; the loser takes the shared path', exclusiveWriterV2([M], true), exclusiveWriterV2([M], true)));
  if (variant === 'v3' && !plainShared)
    out.push(writersProgram(`${prefix}-writers-exclusive-race`, 'seqcount v3: two writers race for exclusive with add_return(EXCL); the loser backs off and spins', exclusiveWriterV3([M]), exclusiveWriterV3([M])));
  return out;
}

/** The no-seqcount bug: writers just add, readers just read. */
function noSeqcountProgram(): LitmusProgram {
  const words = [M, V];
  const writer = words.map((w) => atomicAdd(w));
  const rd = words.map((w) => load(`r${w.name}`, w.name, 'once', `${long(w)}read`));
  const before = snapshotIs(1, words, [0, 0]);
  const after = snapshotIs(1, words, words.map((w) => w.delta));
  return program('seqcount-v1-no-seqcount-reader-vs-writer', 'seqcount v1, bug no-seqcount: a writer just adds, a reader just reads', words.map((w) => ({ name: w.name, type: w.type })), [writer, rd], exists(pnot(or(before, after))));
}

/**
 * The programs of one seqcount variant, correct (`bug` undefined) or broken. UsageError for a
 * bug the variant does not have, or one with no litmus form (`NOT_EXPRESSIBLE`).
 */
export function seqcountPrograms(variant: Variant, bug?: Bug): LitmusProgram[] {
  if (!(VARIANTS as readonly string[]).includes(variant)) throw new UsageError(`seqcount: unknown variant '${variant}' (known: ${VARIANTS.join(', ')})`);
  if (bug === undefined) return [...readerPrograms(variant, `seqcount-${variant}`, CORRECT, ''), ...writerPrograms(variant, `seqcount-${variant}`, false, true, '')];
  const spec = SEQCOUNT_DESCRIPTOR.bugs.find((b) => b.name === bug);
  if (!spec) throw new UsageError(`seqcount: unknown bug '${bug}' (known: ${SEQCOUNT_DESCRIPTOR.bugs.map((b) => b.name).join(', ')})`);
  if (!(spec.variants as readonly string[]).includes(variant))
    throw new UsageError(`seqcount: bug ${bug} applies to variant${spec.variants.length > 1 ? 's' : ''} ${spec.variants.join(', ')} only`);
  const why = NOT_EXPRESSIBLE[bug];
  if (why !== undefined) throw new UsageError(`seqcount: bug ${bug} has no litmus form: ${why.split(' (')[0]}`);
  const prefix = `seqcount-${variant}-${bug}`;
  const note = `, bug ${bug}`;
  switch (bug) {
    case 'no-retry':
      return readerPrograms(variant, prefix, { wait: true, retry: false }, note);
    case 'no-begin-wait':
      return readerPrograms(variant, prefix, { wait: false, retry: true }, note);
    case 'no-seqcount':
      return [noSeqcountProgram()];
    case 'no-exclusive-wait':
      return writerPrograms(variant, prefix, false, false, note);
    case 'shared-plain-update':
      return writerPrograms(variant, prefix, true, true, note);
    default:
      throw new UsageError(`seqcount: bug ${bug} has no litmus generator`);
  }
}

/** The bugs of the seqcount model that concern ordering or atomicity and have a litmus form. */
export function expressibleBugs(variant: Variant): Bug[] {
  return SEQCOUNT_DESCRIPTOR.bugs
    .filter((b) => (b.variants as readonly string[]).includes(variant) && NOT_EXPRESSIBLE[b.name as Bug] === undefined)
    .map((b) => b.name as Bug);
}
