/**
 * The canonical atomic-seqcount model (the specification's seqcount-canonical.md), step for step:
 * W writers, R readers, K counters, OPS write sections per writer, variants V1/V2/V3 and the
 * deliberately broken variants ("bugs") that must yield counterexamples.
 *
 * Contracts that keep the distinct-state count the page's figure:
 * - a state is exactly the shared words plus every thread's `pc` and locals (plus `violation`,
 *   which is '' in every state of a correct run, see below);
 * - a dead local is 0 (the resets are the page's, listed at each step);
 * - a spin is an action enabled only while its condition holds (no self-loops).
 *
 * The snapshot check is an assertion inside a transition (RETRY's success branch, or the last
 * VAL step of `no-retry`/`no-seqcount`), after which the reader's locals are reset; it is turned
 * into a state property by `violation`, set only when the assertion fails, so it never splits
 * the states of a correct run.
 */
import type { ActionInfo, ActionTag, Model, Property, Symmetry } from '../core';
import { bugVariant, type BugDescriptor, type ParamDescriptor } from '../descriptor';
import { UsageError } from '../errors';
import { integerParam } from '../integer';
import { hexWord, wrap } from '../word';
import { VARIANTS, layoutOf, shrink, sequenceOf, type Layout, type Variant } from './layout';
import { addExclusive, addShared, backOff, cmpxchgExclusive, endWrite, exclusiveHeld, noWriters, readRetry, soleExclusive } from './steps';

export type Bug = 'no-retry' | 'no-begin-wait' | 'no-seqcount' | 'no-exclusive-wait' | 'shared-plain-update' | 'aba';

export type WriterPc =
  | 'BEGIN' | 'MAP' | 'VAL' | 'END'
  | 'MAP_LD' | 'MAP_ST' | 'VAL_LD' | 'VAL_ST'
  | 'CAS' | 'XADD' | 'CONV'
  | 'X_MAP_LD' | 'X_MAP_ST' | 'X_VAL_LD' | 'X_VAL_ST' | 'X_END'
  | 'S_ADD' | 'S_WAIT' | 'S_MAP' | 'S_VAL' | 'S_END'
  | 'S_MAP_LD' | 'S_MAP_ST' | 'S_VAL_LD' | 'S_VAL_ST'
  | 'DONE';
export type ReaderPc = 'BEGIN' | 'MAP' | 'VAL' | 'RETRY' | 'DONE';

export interface WriterState {
  readonly pc: WriterPc;
  /** Counter index (VAL steps). */
  readonly k: number;
  /** Sections finished. */
  readonly ops: number;
  /** V2: the `seq` loaded by BEGIN for the CAS. */
  readonly s: bigint;
  /** A word loaded by a plain load, to be stored + delta. */
  readonly t: bigint;
  /** This thread's part of the state key, a function of the fields above (computed once per
   *  thread state: a step changes one thread, the others' parts are reused). */
  readonly id: string;
}

export interface ReaderState {
  readonly pc: ReaderPc;
  readonly k: number;
  readonly start: bigint;
  readonly rm: bigint;
  readonly rv: readonly bigint[];
  /** As `WriterState.id`. */
  readonly id: string;
}

export interface SeqState {
  readonly seq: bigint;
  readonly mapcount: bigint;
  readonly val: readonly bigint[];
  readonly writers: readonly WriterState[];
  readonly readers: readonly ReaderState[];
  /** '' unless a transition-level assertion (the snapshot check) failed: then what it saw. */
  readonly violation: string;
}

/** One thread's next step; each thread has at most one enabled step in a state. */
export interface SeqAction {
  readonly thread: number;
  /** The pc the step starts from and the counter index (for labels). */
  readonly pc: WriterPc | ReaderPc;
  readonly k: number;
}

export interface SeqcountParams {
  readonly variant: Variant;
  readonly bug: Bug | 'none';
  readonly writers: number;
  readonly readers: number;
  readonly counters: number;
  readonly ops: number;
  /** 0: the layout's full sequence field; n >= 1: narrowed to n bits (wrap-around reachable). */
  readonly seqBits: number;
  /** 64 or 32: which kernel layout. */
  readonly word: number;
}

interface ParamSpec extends ParamDescriptor {
  readonly name: 'writers' | 'readers' | 'counters' | 'ops' | 'seqBits' | 'word';
  readonly default: number;
  readonly min: number;
  readonly max: number;
}

interface BugSpec extends BugDescriptor<Bug, Variant> {
  /** Per variant: parameter defaults of the configuration where the bug shows (the user may
   *  override them). */
  readonly defaults: Readonly<Partial<Record<Variant, Readonly<Partial<Record<ParamSpec['name'], number>>>>>>;
}

/** The same defaults on every variant in `variants`. */
const onVariants = (variants: readonly Variant[], defaults: Readonly<Partial<Record<ParamSpec['name'], number>>> = {}) =>
  Object.fromEntries(variants.map((v) => [v, defaults]));

/** What `rmapcheck models` prints: parameters, variants and bugs as data. */
export const SEQCOUNT_DESCRIPTOR = {
  name: 'seqcount',
  description:
    'the canonical atomic seqcount (seqcount-canonical.md): W writers, R readers, K counters, OPS sections per writer',
  params: [
    { name: 'writers', default: 2, min: 1, max: 6, description: 'writer threads W' },
    { name: 'readers', default: 1, min: 0, max: 4, description: 'reader threads R (each completes one successful read)' },
    { name: 'counters', default: 1, min: 1, max: 4, description: 'protected rmap values K (val[0..K-1])' },
    { name: 'ops', default: 1, min: 1, max: 4, description: 'write sections per writer OPS' },
    { name: 'seqBits', default: 0, min: 0, max: 8, description: 'sequence field width in bits; 0 = the layout\'s full field' },
    { name: 'word', default: 64, min: 32, max: 64, description: 'kernel word size of the layout: 64 or 32' },
  ] as readonly ParamSpec[],
  variants: [
    { name: 'v1', description: 'shared writers only (patch 06)' },
    { name: 'v2', description: 'exclusive writer by cmpxchg (patch 16)' },
    { name: 'v3', description: 'exclusive writer by add-return, 64-bit only (patch 18)' },
  ],
  bugs: [
    { name: 'no-retry', description: 'the reader skips the retry check and trusts its first snapshot', expected: 'counterexample', variants: ['v1', 'v2', 'v3'], defaults: onVariants(['v1', 'v2', 'v3']) },
    { name: 'no-begin-wait', description: 'the reader begins without waiting for writers to finish', expected: 'counterexample', variants: ['v1', 'v2', 'v3'], defaults: onVariants(['v1', 'v2', 'v3']) },
    { name: 'no-seqcount', description: 'no seqcount at all: writers just update, readers just read', expected: 'counterexample', variants: ['v1'], defaults: onVariants(['v1']) },
    { name: 'no-exclusive-wait', description: 'a V2 shared writer does not wait while the exclusive bit is set', expected: 'counterexample', variants: ['v2'], defaults: onVariants(['v2']) },
    // Two shared writers must overlap to lose an update: on V2/V3 the first writer of an idle seq
    // becomes exclusive, so two more are needed that both take the shared path behind it.
    { name: 'shared-plain-update', description: 'shared writers update with plain load-then-store instead of atomic adds (lost update)', expected: 'counterexample', variants: ['v1', 'v2', 'v3'], defaults: { v1: { readers: 0 }, ...onVariants(['v2', 'v3'], { readers: 0, writers: 3 }) } },
    { name: 'aba', description: 'a 1-bit sequence field: a reader descheduled across 2 sections passes its retry check after the wrap', expected: 'counterexample', variants: ['v1', 'v2', 'v3'], defaults: onVariants(['v1', 'v2', 'v3'], { seqBits: 1, writers: 1, ops: 2 }) },
  ] as readonly BugSpec[],
} as const;

/** Validates raw parameters (e.g. from the CLI) and fills defaults; UsageError on anything unknown
 *  or out of range. */
export function seqcountParams(raw: Readonly<Record<string, unknown>> = {}): SeqcountParams {
  const known = new Set(['variant', 'bug', ...SEQCOUNT_DESCRIPTOR.params.map((p) => p.name)]);
  for (const key of Object.keys(raw))
    if (!known.has(key)) throw new UsageError(`seqcount: unknown parameter '${key}' (known: ${[...known].join(', ')})`);
  const bugName = raw.bug === undefined ? 'none' : String(raw.bug);
  const bug = SEQCOUNT_DESCRIPTOR.bugs.find((b) => b.name === bugName);
  if (bugName !== 'none' && !bug)
    throw new UsageError(`seqcount: unknown bug '${bugName}' (known: ${SEQCOUNT_DESCRIPTOR.bugs.map((b) => b.name).join(', ')})`);
  const variantName = raw.variant === undefined ? (bug ? bug.variants[0] : 'v1') : String(raw.variant);
  if (!(VARIANTS as readonly string[]).includes(variantName))
    throw new UsageError(`seqcount: unknown variant '${variantName}' (known: ${VARIANTS.join(', ')})`);
  const variant = bug ? bugVariant('seqcount', bug, variantName) : (variantName as Variant);
  const bugDefaults = bug?.defaults[variant] ?? {};
  const num: Record<string, number> = {};
  for (const p of SEQCOUNT_DESCRIPTOR.params) {
    const v = raw[p.name] ?? bugDefaults[p.name] ?? p.default;
    const n = integerParam(v); // text from --set: decimal or 0x hex only
    if (typeof n !== 'number' || !Number.isInteger(n) || n < p.min || n > p.max)
      throw new UsageError(`seqcount: ${p.name} must be an integer in ${p.min}..${p.max}, got ${String(v)}`);
    num[p.name] = n;
  }
  if (num.word !== 32 && num.word !== 64) throw new UsageError(`seqcount: word must be 64 or 32, got ${num.word}`);
  if (bug?.name === 'aba' && num.seqBits === 0)
    throw new UsageError('seqcount: bug aba needs a narrow sequence field (seqBits >= 1)');
  return {
    variant,
    bug: bug ? bug.name : 'none',
    writers: num.writers,
    readers: num.readers,
    counters: num.counters,
    ops: num.ops,
    seqBits: num.seqBits,
    word: num.word,
  };
}

/** The `violation` text of a failed snapshot check (shared with the packed model). */
export function snapshotMessage(rm: bigint | number, rv: readonly (bigint | number)[]): string {
  return `snapshot mapcount=${rm} val=[${rv.join(', ')}] is the state of no set of finished sections`;
}

export const X_PCS: ReadonlySet<WriterPc> = new Set(['X_MAP_LD', 'X_MAP_ST', 'X_VAL_LD', 'X_VAL_ST', 'X_END']);
/** Shared writers inside their section (after the begin and its wait, up to END inclusive). */
export const SHARED_SECTION_PCS: ReadonlySet<WriterPc> = new Set([
  'MAP', 'VAL', 'END', 'MAP_LD', 'MAP_ST', 'VAL_LD', 'VAL_ST',
  'S_MAP', 'S_VAL', 'S_END', 'S_MAP_LD', 'S_MAP_ST', 'S_VAL_LD', 'S_VAL_ST',
]);
export const END_PCS: ReadonlySet<WriterPc> = new Set(['END', 'S_END', 'X_END']);

/** A model of the canonical seqcount; `raw` as for `seqcountParams`. */
export function seqcountModel(raw: Readonly<Record<string, unknown>> = {}): Model<SeqState, SeqAction> {
  const P = seqcountParams(raw);
  const { variant, bug, writers: W, readers: R, counters: K, ops: OPS } = P;
  const L: Layout = P.seqBits === 0 ? layoutOf(variant, P.word) : shrink(layoutOf(variant, P.word), P.seqBits);
  if (BigInt(W) > L.sharedMask) throw new UsageError(`seqcount: ${W} writers overflow the shared-writer field`);
  const width = L.width;
  const valBits = P.word;
  const mapBits = 32;
  const SHARED = L.shared;
  const EXCL = L.excl ?? 0n;
  const STEP = L.step;
  const noSeq = bug === 'no-seqcount';
  const plain = bug === 'shared-plain-update';
  const checkAfterVal = bug === 'no-retry' || noSeq;

  /** d(w, k) = (w + 1) * 3^k. */
  const d = (w: number, k: number): bigint => BigInt(w + 1) * 3n ** BigInt(k);
  const threads = [...Array.from({ length: W }, (_, w) => `W${w}`), ...Array.from({ length: R }, (_, r) => `R${r}`)];

  // The snapshot check: (rm, rv) is the contribution of some c_w in 0..OPS.
  const snapshots = new Set<string>();
  const combos = (w: number, m: number, x: number): void => {
    if (w === W) {
      snapshots.add(`${m},${x}`);
      return;
    }
    for (let c = 0; c <= OPS; c++) combos(w + 1, m + c, x + c * (w + 1));
  };
  combos(0, 0, 0);
  const snapshotOk = (rm: bigint, rv: readonly bigint[]): boolean => {
    if (!snapshots.has(`${rm},${rv[0]}`)) return false;
    for (let k = 1; k < K; k++) if (rv[k] !== wrap(rv[0] * 3n ** BigInt(k), valBits)) return false;
    return true;
  };

  const zeros = (): bigint[] => new Array<bigint>(K).fill(0n);
  const writerState = (pc: WriterPc, k: number, ops: number, s: bigint, t: bigint): WriterState => ({
    pc, k, ops, s, t, id: `${pc}.${k}.${ops}.${s}.${t}`,
  });
  const readerState = (pc: ReaderPc, k: number, start: bigint, rm: bigint, rv: readonly bigint[]): ReaderState => ({
    pc, k, start, rm, rv, id: `${pc}.${k}.${start}.${rm}.${rv.join('.')}`,
  });
  const writerStart: WriterPc = noSeq ? 'MAP' : 'BEGIN';
  const readerStart: ReaderPc = noSeq ? 'MAP' : 'BEGIN';
  const init: SeqState = {
    seq: 0n,
    mapcount: 0n,
    val: zeros(),
    writers: Array.from({ length: W }, () => writerState(writerStart, 0, 0, 0n, 0n)),
    readers: Array.from({ length: R }, () => readerState(readerStart, 0, 0n, 0n, zeros())),
    violation: '',
  };

  /** Where a shared writer's section starts (after its begin and any wait). */
  const sharedMapPc: WriterPc = variant === 'v1' ? (plain ? 'MAP_LD' : 'MAP') : plain ? 'S_MAP_LD' : 'S_MAP';

  function enabled(s: SeqState, thread: number): boolean {
    if (thread < W) {
      const pc = s.writers[thread].pc;
      if (pc === 'DONE') return false;
      if (pc === 'S_WAIT') return !exclusiveHeld(L, s.seq);
      return true;
    }
    const pc = s.readers[thread - W].pc;
    if (pc === 'DONE') return false;
    if (pc === 'BEGIN' && bug !== 'no-begin-wait') return noWriters(L, s.seq);
    return true;
  }

  function writerNext(s: SeqState, w: number): SeqState {
    const me = s.writers[w];
    let { pc, k, ops, s: ls, t } = me;
    let seq = s.seq;
    let mapcount = s.mapcount;
    let val = s.val;
    const setVal = (i: number, x: bigint): void => {
      const copy = val.slice();
      copy[i] = wrap(x, valBits);
      val = copy;
    };
    const finish = (): void => {
      ops += 1;
      pc = ops === OPS ? 'DONE' : writerStart;
    };
    /** After a section's last counter: END, or (no-seqcount) the section is over. */
    const afterVal = (end: WriterPc): void => {
      k = 0;
      if (noSeq) finish();
      else pc = end;
    };
    switch (pc) {
      case 'BEGIN':
        if (variant === 'v1') {
          seq = addShared(L, seq);
          pc = sharedMapPc;
        } else if (variant === 'v2') {
          ls = seq;
          if (noWriters(L, ls)) pc = 'CAS';
          else {
            ls = 0n;
            pc = 'S_ADD';
          }
        } else {
          pc = noWriters(L, seq) ? 'XADD' : 'S_ADD';
        }
        break;
      case 'CAS': {
        const r = cmpxchgExclusive(L, seq, ls);
        if (r !== null) {
          seq = r;
          pc = 'X_MAP_LD';
        } else pc = 'S_ADD';
        ls = 0n;
        break;
      }
      case 'XADD':
        seq = addExclusive(L, seq);
        pc = soleExclusive(L, seq) ? 'X_MAP_LD' : 'CONV';
        break;
      case 'CONV':
        seq = backOff(L, seq);
        pc = 'S_WAIT';
        break;
      case 'X_MAP_LD':
      case 'MAP_LD':
      case 'S_MAP_LD':
        t = mapcount;
        pc = pc === 'X_MAP_LD' ? 'X_MAP_ST' : pc === 'MAP_LD' ? 'MAP_ST' : 'S_MAP_ST';
        break;
      case 'X_MAP_ST':
      case 'MAP_ST':
      case 'S_MAP_ST':
        mapcount = wrap(t + 1n, mapBits);
        t = 0n;
        pc = pc === 'X_MAP_ST' ? 'X_VAL_LD' : pc === 'MAP_ST' ? 'VAL_LD' : 'S_VAL_LD';
        break;
      case 'X_VAL_LD':
      case 'VAL_LD':
      case 'S_VAL_LD':
        t = val[k];
        pc = pc === 'X_VAL_LD' ? 'X_VAL_ST' : pc === 'VAL_LD' ? 'VAL_ST' : 'S_VAL_ST';
        break;
      case 'X_VAL_ST':
      case 'VAL_ST':
      case 'S_VAL_ST': {
        const ld: WriterPc = pc === 'X_VAL_ST' ? 'X_VAL_LD' : pc === 'VAL_ST' ? 'VAL_LD' : 'S_VAL_LD';
        const end: WriterPc = pc === 'X_VAL_ST' ? 'X_END' : pc === 'VAL_ST' ? 'END' : 'S_END';
        setVal(k, t + d(w, k));
        t = 0n;
        k += 1;
        if (k === K) afterVal(end);
        else pc = ld;
        break;
      }
      case 'X_END':
        seq = endWrite(L, seq, true);
        finish();
        break;
      case 'S_ADD':
        seq = addShared(L, seq);
        pc = bug !== 'no-exclusive-wait' && exclusiveHeld(L, seq) ? 'S_WAIT' : sharedMapPc;
        break;
      case 'S_WAIT':
        pc = sharedMapPc;
        break;
      case 'MAP':
      case 'S_MAP':
        mapcount = wrap(mapcount + 1n, mapBits);
        pc = pc === 'MAP' ? 'VAL' : 'S_VAL';
        break;
      case 'VAL':
      case 'S_VAL':
        setVal(k, val[k] + d(w, k));
        k += 1;
        if (k === K) afterVal(pc === 'VAL' ? 'END' : 'S_END');
        break;
      case 'END':
      case 'S_END':
        seq = endWrite(L, seq, false);
        finish();
        break;
      case 'DONE':
        throw new Error(`[internal bug] seqcount: step of finished writer W${w}`);
    }
    const writers = s.writers.slice();
    writers[w] = writerState(pc, k, ops, ls, t);
    return { seq, mapcount, val, writers, readers: s.readers, violation: s.violation };
  }

  function readerNext(s: SeqState, r: number): SeqState {
    const me = s.readers[r];
    let { pc, k, start, rm, rv } = me;
    let violation = s.violation;
    const check = (): void => {
      if (!snapshotOk(rm, rv) && violation === '')
        violation = snapshotMessage(rm, rv);
    };
    const reset = (): void => {
      start = 0n;
      rm = 0n;
      rv = zeros();
    };
    switch (pc) {
      case 'BEGIN':
        start = s.seq;
        pc = 'MAP';
        break;
      case 'MAP':
        rm = s.mapcount;
        pc = 'VAL';
        break;
      case 'VAL': {
        const copy = rv.slice();
        copy[k] = s.val[k];
        rv = copy;
        k += 1;
        if (k === K) {
          k = 0;
          if (checkAfterVal) {
            check();
            reset();
            pc = 'DONE';
          } else pc = 'RETRY';
        }
        break;
      }
      case 'RETRY':
        if (readRetry(s.seq, start)) pc = 'BEGIN';
        else {
          check();
          pc = 'DONE';
        }
        reset();
        break;
      case 'DONE':
        throw new Error(`[internal bug] seqcount: step of finished reader R${r}`);
    }
    const readers = s.readers.slice();
    readers[r] = readerState(pc, k, start, rm, rv);
    return { seq: s.seq, mapcount: s.mapcount, val: s.val, writers: s.writers, readers, violation };
  }

  const writerKey = (x: WriterState): string => x.id;
  const readerKey = (x: ReaderState): string => x.id;
  const sharedKey = (s: SeqState): string =>
    `${s.seq}|${s.mapcount}|${s.val.join(',')}|${s.writers.map(writerKey).join('|')}${s.violation === '' ? '' : '|!' + s.violation}`;

  const allDone = (s: SeqState): boolean => s.writers.every((x) => x.pc === 'DONE') && s.readers.every((x) => x.pc === 'DONE');

  /** What writer `x` has added to the writer fields of `seq` (I6). */
  const contribution = (x: WriterState): bigint => {
    if (X_PCS.has(x.pc) || x.pc === 'CONV') return EXCL;
    if (SHARED_SECTION_PCS.has(x.pc) || x.pc === 'S_WAIT') return SHARED;
    return 0n;
  };

  const properties: Property<SeqState>[] = [
    {
      name: 'snapshot',
      expectation: 'always',
      description: 'a reader that passes its retry check (or, when broken, skips it) saw the protected words of one instant',
      holds: (s) => s.violation === '',
    },
    {
      name: 'no-lost-update',
      expectation: 'always',
      description: 'when every thread is done, mapcount and every val[k] hold the sum of all sections',
      holds: (s) => {
        if (!allDone(s)) return true;
        if (s.mapcount !== BigInt(W * OPS)) return false;
        for (let k = 0; k < K; k++)
          if (s.val[k] !== wrap(BigInt((OPS * W * (W + 1)) / 2) * 3n ** BigInt(k), valBits)) return false;
        return true;
      },
    },
  ];
  if (!noSeq)
    properties.push({
      name: 'writer-bits',
      expectation: 'always',
      description: 'I6: seq is exactly the active writers\' units plus one STEP per finished section (so 0 writer bits when none is active)',
      holds: (s) => {
        let expect = 0n;
        let finished = 0n;
        for (const x of s.writers) {
          expect += contribution(x);
          finished += BigInt(x.ops);
        }
        return s.seq === wrap(expect + finished * STEP, width);
      },
    });
  if (variant !== 'v1')
    properties.push({
      name: 'exclusive-alone',
      expectation: 'always',
      description: 'I7: at most one exclusive writer, and no shared writer inside its section while it is in its own',
      holds: (s) => {
        let x = 0;
        let sh = 0;
        for (const w of s.writers) {
          if (X_PCS.has(w.pc)) x++;
          else if (SHARED_SECTION_PCS.has(w.pc)) sh++;
        }
        return x === 0 || (x === 1 && sh === 0);
      },
    });
  if (!checkAfterVal && R >= 1)
    properties.push({
      name: 'reader-retries',
      expectation: 'sometimes',
      description: 'a reader is about to retry: at RETRY with seq != start',
      holds: (s) => s.readers.some((x) => x.pc === 'RETRY' && x.start !== s.seq),
    });
  if (variant !== 'v1') {
    properties.push({
      name: 'exclusive-writer',
      expectation: 'sometimes',
      description: 'a writer is on the exclusive path',
      holds: (s) => s.writers.some((x) => X_PCS.has(x.pc)),
    });
    if (bug !== 'no-exclusive-wait' && W >= 2)
      properties.push({
        name: 'shared-waits-for-exclusive',
        expectation: 'sometimes',
        description: 'a shared writer spins while an exclusive writer holds the exclusive field',
        holds: (s) => exclusiveHeld(L, s.seq) && s.writers.some((x) => x.pc === 'S_WAIT'),
      });
  }
  const seqMax = (1n << BigInt(L.seqBits)) - 1n;
  if (P.seqBits > 0 && !noSeq && W * OPS >= 2 ** P.seqBits)
    properties.push({
      name: 'sequence-wraps',
      expectation: 'sometimes',
      description: 'a writer is about to end a section while the sequence field is at its maximum (it wraps)',
      holds: (s) => sequenceOf(L, s.seq) === seqMax && s.writers.some((x) => END_PCS.has(x.pc)),
    });
  for (let r = 0; r < R; r++)
    properties.push({
      name: `reader-finishes-R${r}`,
      expectation: 'eventually',
      description: `reader R${r} completes its read`,
      holds: (s) => s.readers[r].pc === 'DONE',
      thread: W + r,
    });

  const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));
  const symmetry: Symmetry<SeqState> | undefined =
    R >= 2
      ? {
          canonicalKey: (s) => sharedKey(s) + '#' + s.readers.map(readerKey).sort().join('#'),
          orbitSize: (s) => {
            const counts = new Map<string, number>();
            for (const x of s.readers) {
              const key = readerKey(x);
              counts.set(key, (counts.get(key) ?? 0) + 1);
            }
            let n = factorial(R);
            for (const c of counts.values()) n /= factorial(c);
            return n;
          },
        }
      : undefined;

  const seqLabel = (seq: bigint): string => {
    const shared = seq & L.sharedMask;
    const ex = L.exclMask === null ? null : (seq & L.exclMask) / (L.excl ?? 1n);
    return `${hexWord(seq, width)} (shared writers ${shared}${ex === null ? '' : `, exclusive ${ex}`}, sequence ${sequenceOf(L, seq)})`;
  };

  const W_LABEL: Record<WriterPc, (k: number, w: number) => string> = {
    BEGIN: () =>
      variant === 'v1' ? 'seq += SHARED' : variant === 'v2' ? 's = read(seq); if s & ALL_WRITERS: s = 0' : 'read(seq) & ALL_WRITERS == 0 ? try exclusive',
    CAS: () => 'cmpxchg(seq, s, s|EXCL); s = 0',
    XADD: () => 'r = add_return(EXCL, seq); exclusive iff (r & ALL_WRITERS) == EXCL',
    CONV: () => 'seq += SHARED - EXCL (back off to shared)',
    X_MAP_LD: () => 't = mapcount (plain)',
    X_MAP_ST: () => 'mapcount = t + 1 (plain); t = 0',
    X_VAL_LD: (k) => `t = val[${k}] (plain)`,
    X_VAL_ST: (k, w) => `val[${k}] = t + ${d(w, k)} (plain); t = 0`,
    X_END: () => 'seq += STEP - EXCL',
    S_ADD: () => (bug === 'no-exclusive-wait' ? 'r = add_return(SHARED, seq) (no wait)' : 'r = add_return(SHARED, seq); wait if r & EXCL'),
    S_WAIT: () => 'spin while read(seq) & EXCL',
    MAP: () => 'atomic mapcount += 1',
    S_MAP: () => 'atomic mapcount += 1',
    VAL: (k, w) => `atomic val[${k}] += ${d(w, k)}`,
    S_VAL: (k, w) => `atomic val[${k}] += ${d(w, k)}`,
    END: () => 'seq += STEP - SHARED',
    S_END: () => 'seq += STEP - SHARED',
    MAP_LD: () => 't = mapcount (plain, broken)',
    S_MAP_LD: () => 't = mapcount (plain, broken)',
    MAP_ST: () => 'mapcount = t + 1 (plain, broken); t = 0',
    S_MAP_ST: () => 'mapcount = t + 1 (plain, broken); t = 0',
    VAL_LD: (k) => `t = val[${k}] (plain, broken)`,
    S_VAL_LD: (k) => `t = val[${k}] (plain, broken)`,
    VAL_ST: (k, w) => `val[${k}] = t + ${d(w, k)} (plain, broken); t = 0`,
    S_VAL_ST: (k, w) => `val[${k}] = t + ${d(w, k)} (plain, broken); t = 0`,
    DONE: () => 'done',
  };

  function describe(a: SeqAction): ActionInfo {
    if (a.thread < W) {
      const pc = a.pc as WriterPc;
      const label = W_LABEL[pc](a.k, a.thread);
      let reads: string[] = [];
      let writes: string[] = [];
      let tags: ActionTag[] = [];
      const valWord = `val[${a.k}]`;
      switch (pc) {
        case 'BEGIN':
          reads = ['seq'];
          writes = variant === 'v1' ? ['seq'] : [];
          tags = variant === 'v1' ? ['write-begin'] : ['exclusive-attempt'];
          break;
        case 'CAS':
          reads = ['seq'];
          writes = ['seq'];
          tags = ['exclusive-attempt', 'write-begin'];
          break;
        case 'XADD':
          reads = ['seq'];
          writes = ['seq'];
          tags = ['exclusive-attempt', 'write-begin'];
          break;
        case 'CONV':
        case 'S_ADD':
          reads = ['seq'];
          writes = ['seq'];
          tags = ['write-begin'];
          break;
        case 'S_WAIT':
          reads = ['seq'];
          tags = ['spin'];
          break;
        case 'X_END':
        case 'END':
        case 'S_END':
          reads = ['seq'];
          writes = ['seq'];
          tags = ['write-end'];
          break;
        case 'MAP':
        case 'S_MAP':
          reads = ['mapcount'];
          writes = ['mapcount'];
          break;
        case 'VAL':
        case 'S_VAL':
          reads = [valWord];
          writes = [valWord];
          break;
        case 'X_MAP_LD':
        case 'MAP_LD':
        case 'S_MAP_LD':
          reads = ['mapcount'];
          tags = ['plain-load'];
          break;
        case 'X_MAP_ST':
        case 'MAP_ST':
        case 'S_MAP_ST':
          writes = ['mapcount'];
          tags = ['plain-store'];
          break;
        case 'X_VAL_LD':
        case 'VAL_LD':
        case 'S_VAL_LD':
          reads = [valWord];
          tags = ['plain-load'];
          break;
        case 'X_VAL_ST':
        case 'VAL_ST':
        case 'S_VAL_ST':
          writes = [valWord];
          tags = ['plain-store'];
          break;
        case 'DONE':
          break;
      }
      // every write of a writer but a plain store is an atomic RMW: a locked instruction on x86
      const locked = writes.length > 0 && !tags.includes('plain-store');
      return locked ? { thread: a.thread, label, reads, writes, tags, x86: 'locked' } : { thread: a.thread, label, reads, writes, tags };
    }
    switch (a.pc as ReaderPc) {
      case 'BEGIN':
        return {
          thread: a.thread,
          label: bug === 'no-begin-wait' ? 'start = read(seq) (no wait)' : 'start = read(seq), spinning while start & ALL_WRITERS',
          reads: ['seq'],
          writes: [],
          tags: bug === 'no-begin-wait' ? ['read-begin'] : ['read-begin', 'spin'],
        };
      case 'MAP':
        return { thread: a.thread, label: 'rm = mapcount', reads: ['mapcount'], writes: [], tags: ['read-body'] };
      case 'VAL':
        return {
          thread: a.thread,
          label: `rv[${a.k}] = val[${a.k}]${checkAfterVal && a.k === K - 1 ? '; check the snapshot (no retry check)' : ''}`,
          reads: [`val[${a.k}]`],
          writes: [],
          tags: ['read-body'],
        };
      case 'RETRY':
        return { thread: a.thread, label: 'if read(seq) != start: retry, else check the snapshot', reads: ['seq'], writes: [], tags: ['read-retry'] };
      default:
        return { thread: a.thread, label: 'done', reads: [], writes: [], tags: [] };
    }
  }

  const writerView = (x: WriterState): string => {
    const parts = [x.pc, `ops=${x.ops}`];
    if (/VAL/.test(x.pc)) parts.push(`k=${x.k}`);
    if (x.pc === 'CAS') parts.push(`s=${hexWord(x.s, width)}`);
    if (/_ST$/.test(x.pc)) parts.push(`t=${x.t}`);
    return parts.join(' ');
  };
  const readerView = (x: ReaderState): string => {
    const parts: string[] = [x.pc];
    if (x.pc === 'MAP' || x.pc === 'VAL' || x.pc === 'RETRY') if (!noSeq) parts.push(`start=${hexWord(x.start, width)}`);
    if (x.pc === 'VAL' || x.pc === 'RETRY') parts.push(`rm=${x.rm}`);
    if (x.pc === 'VAL') parts.push(`k=${x.k}`, `rv=[${x.rv.slice(0, x.k).join(', ')}]`);
    if (x.pc === 'RETRY') parts.push(`rv=[${x.rv.join(', ')}]`);
    return parts.join(' ');
  };

  return {
    name: 'seqcount',
    params: { ...P },
    threads,
    initStates: () => [init],
    actions(s) {
      const out: SeqAction[] = [];
      for (let i = 0; i < W + R; i++) {
        if (!enabled(s, i)) continue;
        const x = i < W ? s.writers[i] : s.readers[i - W];
        out.push({ thread: i, pc: x.pc, k: x.k });
      }
      return out;
    },
    next(s, a) {
      const cur = a.thread < W ? s.writers[a.thread] : s.readers[a.thread - W];
      if (cur.pc !== a.pc || cur.k !== a.k || !enabled(s, a.thread))
        throw new Error(`[internal bug] seqcount: action ${threads[a.thread]}@${a.pc} is not enabled in this state`);
      return a.thread < W ? writerNext(s, a.thread) : readerNext(s, a.thread - W);
    },
    properties,
    key: (s) => sharedKey(s) + '#' + s.readers.map(readerKey).join('#'),
    describe,
    view(s) {
      const v: Record<string, string> = { seq: seqLabel(s.seq), mapcount: String(s.mapcount) };
      for (let k = 0; k < K; k++) v[`val[${k}]`] = String(s.val[k]);
      for (let w = 0; w < W; w++) v[threads[w]] = writerView(s.writers[w]);
      for (let r = 0; r < R; r++) v[threads[W + r]] = readerView(s.readers[r]);
      if (s.violation !== '') v.violation = s.violation;
      return v;
    },
    finished: allDone,
    symmetry,
  };
}
