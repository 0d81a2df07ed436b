/**
 * A packed fast path of the canonical seqcount model: the same steps as `model.ts` (the BigInt
 * reference) on states that are small integer arrays, so that the checker's hot loop needs no
 * BigInt and no key string: it steps the expanded state in place, updates a Zobrist fingerprint
 * from the fields written, and undoes the step (`flat.stepInPlace`, `flat.undo`). `seq` is held
 * decoded as (shared writers, exclusive writers, sequence mod 2^seqBits), which is exact because
 * the writer fields never carry into each other (at most `writers` units in each, far below the
 * masks).
 *
 * Contract, checked by test/seqcount-packed.test.ts on every reachable state of several
 * configurations: `unpack(pack(s))` has the key of `s`; the enabled actions of `pack(s)` are those
 * of `s` in the same order; `unpack(next(pack(s), a))` has the key of the reference successor;
 * every property has the same value. Labels and views are the reference's (via `unpack`).
 */
import type { ActionInfo, Model, Property, Symmetry } from '../core';
import { internalAssert } from '../errors';
import { Prng } from '../prng';
import { layoutOf, shrink } from './layout';
import {
  END_PCS,
  SHARED_SECTION_PCS,
  X_PCS,
  seqcountModel,
  seqcountParams,
  snapshotMessage,
  type ReaderPc,
  type SeqAction,
  type SeqState,
  type WriterPc,
} from './model';

const WPCS: readonly WriterPc[] = [
  'BEGIN', 'MAP', 'VAL', 'END', 'MAP_LD', 'MAP_ST', 'VAL_LD', 'VAL_ST', 'CAS', 'XADD', 'CONV',
  'X_MAP_LD', 'X_MAP_ST', 'X_VAL_LD', 'X_VAL_ST', 'X_END', 'S_ADD', 'S_WAIT', 'S_MAP', 'S_VAL', 'S_END',
  'S_MAP_LD', 'S_MAP_ST', 'S_VAL_LD', 'S_VAL_ST', 'DONE',
];
const RPCS: readonly ReaderPc[] = ['BEGIN', 'MAP', 'VAL', 'RETRY', 'DONE'];
const [BEGIN, MAP, VAL, END, MAP_LD, MAP_ST, VAL_LD, VAL_ST, CAS, XADD, CONV, X_MAP_LD, X_MAP_ST, X_VAL_LD, X_VAL_ST, X_END,
  S_ADD, S_WAIT, S_MAP, S_VAL, S_END, S_MAP_LD, S_MAP_ST, S_VAL_LD, S_VAL_ST, DONE] = WPCS.map((_, i) => i);
/** A packed state: a plain array of small integers (V8 keeps it as packed SMIs; copying one is
 *  much cheaper than allocating a small typed array). */
export type Packed = number[];

const [R_BEGIN, R_MAP, R_VAL, R_RETRY, R_DONE] = RPCS.map((_, i) => i);

export interface PackedSeqcountModel extends Model<Packed, number> {
  /** The checkers' one-call form of the `always` properties (see checker/fast.ts). */
  readonly alwaysNames: readonly string[];
  firstViolated(s: Packed): string | null;
  /** `describe(a).thread` without building the description (checker/fast.ts). */
  actionThread(a: number): number;
  readonly reference: Model<SeqState, SeqAction>;
  pack(s: SeqState): Packed;
  unpack(p: Packed): SeqState;
}

/** The packed model; parameters as `seqcountModel`. */
export function seqcountPackedModel(raw: Readonly<Record<string, unknown>> = {}): PackedSeqcountModel {
  const ref = seqcountModel(raw);
  const P = seqcountParams(raw);
  const { variant, bug, writers: W, readers: R, counters: K, ops: OPS } = P;
  const L = P.seqBits === 0 ? layoutOf(variant, P.word) : shrink(layoutOf(variant, P.word), P.seqBits);
  const SEQ_MOD = P.seqBits === 0 ? Infinity : 2 ** P.seqBits;
  const noSeq = bug === 'no-seqcount';
  const plain = bug === 'shared-plain-update';
  const checkAfterVal = bug === 'no-retry' || noSeq;
  const noBeginWait = bug === 'no-begin-wait';
  const noExclWait = bug === 'no-exclusive-wait';
  const v1 = variant === 'v1';
  const v2 = variant === 'v2';
  // Every field must stay below 2^16 (the key is one UTF-16 unit per field).
  const maxVal = OPS * 3 ** (K - 1) * ((W * (W + 1)) / 2);
  internalAssert(maxVal < 0xffff && W * OPS < 0xffff, 'seqcount packed: parameters too large for 16-bit fields');

  // Offsets.
  const VAL0 = 4;
  const WB = VAL0 + K;
  const WS = 5; // pc, k, ops, s (sequence of the loaded seq), t
  const RB = WB + W * WS;
  const RS = 6 + K; // pc, k, start.shared, start.excl, start.sequence, rm, rv[K]
  const VB = RB + R * RS; // violation flag, rm, rv[K]
  const LEN = VB + 2 + K;
  /** Flat rows: two 16-bit fields per 32-bit word. */
  const WORDS = (LEN + 1) >> 1;

  const d = (w: number, k: number): number => (w + 1) * 3 ** k;
  const valid = new Set<number>();
  const combos = (w: number, m: number, x: number): void => {
    if (w === W) {
      valid.add(m * 0x10000 + x);
      return;
    }
    for (let c = 0; c <= OPS; c++) combos(w + 1, m + c, x + c * (w + 1));
  };
  combos(0, 0, 0);
  const snapshotOk = (s: Packed, o: number): boolean => {
    const rm = s[o + 5];
    const x = s[o + 6];
    if (!valid.has(rm * 0x10000 + x)) return false;
    for (let k = 1; k < K; k++) if (s[o + 6 + k] !== x * 3 ** k) return false;
    return true;
  };
  const sharedMapPc = v1 ? (plain ? MAP_LD : MAP) : plain ? S_MAP_LD : S_MAP;
  const writerStart = noSeq ? MAP : BEGIN;
  const incSeq = (s: Packed): void => {
    const n = s[2] + 1;
    set(s, 2, n === SEQ_MOD ? 0 : n);
  };

  /** LEN zeros as a PACKED_SMI array (`new Array(n)` would be holey: slower element access):
   *  a slice of one such array (`slice` keeps the elements kind; `Array.from` per call costs
   *  microseconds). */
  const ZEROS: Packed = Array.from({ length: LEN }, () => 0);
  const zeros = (): Packed => ZEROS.slice();

  // ---- pack / unpack (BigInt reference <-> packed) ----
  const sharedMask = L.sharedMask;
  const exclMask = L.exclMask ?? 0n;
  const excl = L.excl ?? 1n;
  const wb = BigInt(L.writerBits);
  const decode = (seq: bigint): [number, number, number] => [Number(seq & sharedMask), Number((seq & exclMask) / excl), Number(seq >> wb)];
  const encode = (sh: number, ex: number, sq: number): bigint =>
    BigInt(sh) * L.shared + (L.excl === null ? 0n : BigInt(ex) * L.excl) + (BigInt(sq) << wb);
  const wpcIndex = new Map(WPCS.map((p, i) => [p, i]));
  const rpcIndex = new Map(RPCS.map((p, i) => [p, i]));

  function pack(s: SeqState): Packed {
    const p: Packed = zeros(); // packed SMIs: every state is a slice of these
    const put = (o: number, xs: number[]): void => xs.forEach((x, i) => (p[o + i] = x));
    [p[0], p[1], p[2]] = decode(s.seq);
    p[3] = Number(s.mapcount);
    for (let k = 0; k < K; k++) p[VAL0 + k] = Number(s.val[k]);
    s.writers.forEach((x, w) => {
      const o = WB + w * WS;
      const [sh, ex, sq] = decode(x.s);
      internalAssert(sh === 0 && ex === 0, 'seqcount packed: a loaded s with writer bits');
      put(o, [wpcIndex.get(x.pc)!, x.k, x.ops, sq, Number(x.t)]);
    });
    s.readers.forEach((x, r) => {
      const o = RB + r * RS;
      put(o, [rpcIndex.get(x.pc)!, x.k, ...decode(x.start), Number(x.rm), ...x.rv.map(Number)]);
    });
    if (s.violation !== '') {
      const m = /^snapshot mapcount=(\d+) val=\[([\d, ]*)\]/.exec(s.violation);
      internalAssert(m, 'seqcount packed: unknown violation text');
      p[VB] = 1;
      p[VB + 1] = Number(m[1]);
      m[2].split(', ').forEach((v, k) => (p[VB + 2 + k] = Number(v)));
    }
    return p;
  }

  /** Rebuilds the reference state through the reference's own constructors (via its init). */
  function unpack(p: Packed): SeqState {
    const init = ref.initStates()[0];
    const seq = encode(p[0], p[1], p[2]);
    const writers = init.writers.map((_, w) => {
      const o = WB + w * WS;
      const pc = WPCS[p[o]];
      const s = encode(0, 0, p[o + 3]);
      return { pc, k: p[o + 1], ops: p[o + 2], s, t: BigInt(p[o + 4]), id: `${pc}.${p[o + 1]}.${p[o + 2]}.${s}.${p[o + 4]}` };
    });
    const readers = init.readers.map((_, r) => {
      const o = RB + r * RS;
      const pc = RPCS[p[o]];
      const start = encode(p[o + 2], p[o + 3], p[o + 4]);
      const rv = Array.from({ length: K }, (_, k) => BigInt(p[o + 6 + k]));
      return { pc, k: p[o + 1], start, rm: BigInt(p[o + 5]), rv, id: `${pc}.${p[o + 1]}.${start}.${p[o + 5]}.${rv.join('.')}` };
    });
    const violation = p[VB] === 0 ? '' : snapshotMessage(p[VB + 1], Array.from({ length: K }, (_, k) => p[VB + 2 + k]));
    return {
      seq,
      mapcount: BigInt(p[3]),
      val: Array.from({ length: K }, (_, k) => BigInt(p[VAL0 + k])),
      writers,
      readers,
      violation,
    };
  }

  // ---- fingerprints: Zobrist hashing ----
  // The fingerprint is the XOR of one random 64-bit key per (field, value), so a step updates
  // it with the keys of the fields it writes (`set`) instead of rehashing the state. Field i
  // takes values 0 .. bound[i]-1 (every count is at most the number of increments performed);
  // its keys start at ZOFF[i] (in 64-bit units of Z). `fingerprint` checks the bounds.
  const big = Math.max(maxVal, W * OPS, SEQ_MOD === Infinity ? 0 : SEQ_MOD - 1) + 1;
  const bound = new Int32Array(LEN).fill(big);
  bound[VB] = 2;
  for (let w = 0; w < W; w++) {
    bound[WB + w * WS] = WPCS.length;
    bound[WB + w * WS + 1] = K;
  }
  for (let r = 0; r < R; r++) {
    bound[RB + r * RS] = RPCS.length;
    bound[RB + r * RS + 1] = K;
  }
  const ZOFF = new Int32Array(LEN);
  for (let i = 1; i < LEN; i++) ZOFF[i] = ZOFF[i - 1] + bound[i - 1];
  const zrng = new Prng(0x5eec0de);
  const Z = Int32Array.from({ length: 2 * (ZOFF[LEN - 1] + bound[LEN - 1]) }, () => zrng.next32() | 0);
  /** The running fingerprint change and the undo log (field, old value) of the current step. */
  let dlo = 0;
  let dhi = 0;
  /** The part of (dlo, dhi) from reader fields (the symmetric fingerprint hashes those apart). */
  let rlo = 0;
  let rhi = 0;
  /** IS_READER_FIELD[i]: field i is a reader's local. */
  const IS_READER_FIELD = Uint8Array.from({ length: LEN }, (_, i) => (i >= RB && i < VB ? 1 : 0));
  const undoLog = new Int32Array(4 * LEN);
  let undoLen = 0;
  /** Every write of a step goes through here. */
  function set(s: Packed, i: number, v: number): void {
    const old = s[i];
    if (old === v) return;
    const a = 2 * (ZOFF[i] + old);
    const b = 2 * (ZOFF[i] + v);
    const xlo = Z[a] ^ Z[b];
    const xhi = Z[a + 1] ^ Z[b + 1];
    dlo ^= xlo;
    dhi ^= xhi;
    if (IS_READER_FIELD[i] === 1) {
      rlo ^= xlo;
      rhi ^= xhi;
    }
    undoLog[undoLen++] = i;
    undoLog[undoLen++] = old;
    s[i] = v;
  }

  // ---- steps ----
  function enabled(s: Packed, i: number): boolean {
    if (i < W) {
      const pc = s[WB + i * WS];
      if (pc === DONE) return false;
      if (pc === S_WAIT) return s[1] === 0;
      return true;
    }
    const pc = s[RB + (i - W) * RS];
    if (pc === R_DONE) return false;
    if (pc === R_BEGIN && !noBeginWait) return s[0] === 0 && s[1] === 0;
    return true;
  }

  function finish(s: Packed, o: number): void {
    const ops = s[o + 2] + 1;
    set(s, o + 2, ops);
    set(s, o, ops === OPS ? DONE : writerStart);
  }
  /** After a section's last counter: END, or (no-seqcount) the section is over. */
  function afterVal(s: Packed, o: number, end: number): void {
    set(s, o + 1, 0);
    if (noSeq) finish(s, o);
    else set(s, o, end);
  }

  function writerStep(s: Packed, w: number): void {
    const o = WB + w * WS;
    const pc = s[o];
    const k = s[o + 1];
    switch (pc) {
      case BEGIN:
        if (v1) {
          set(s, 0, s[0] + 1);
          set(s, o, sharedMapPc);
        } else if (v2) {
          if (s[0] === 0 && s[1] === 0) {
            set(s, o + 3, s[2]);
            set(s, o, CAS);
          } else {
            set(s, o + 3, 0);
            set(s, o, S_ADD);
          }
        } else set(s, o, s[0] === 0 && s[1] === 0 ? XADD : S_ADD);
        break;
      case CAS:
        // seq == s: s was loaded with writer bits 0, so seq must have none and the same sequence.
        if (s[0] === 0 && s[1] === 0 && s[2] === s[o + 3]) {
          set(s, 1, 1);
          set(s, o, X_MAP_LD);
        } else set(s, o, S_ADD);
        set(s, o + 3, 0);
        break;
      case XADD:
        set(s, 1, s[1] + 1);
        set(s, o, s[0] === 0 && s[1] === 1 ? X_MAP_LD : CONV);
        break;
      case CONV:
        set(s, 0, s[0] + 1);
        set(s, 1, s[1] - 1);
        set(s, o, S_WAIT);
        break;
      case X_MAP_LD:
      case MAP_LD:
      case S_MAP_LD:
        set(s, o + 4, s[3]);
        set(s, o, pc + 1); // the matching _ST
        break;
      case X_MAP_ST:
      case MAP_ST:
      case S_MAP_ST:
        set(s, 3, s[o + 4] + 1);
        set(s, o + 4, 0);
        set(s, o, pc + 1); // the matching _VAL_LD
        break;
      case X_VAL_LD:
      case VAL_LD:
      case S_VAL_LD:
        set(s, o + 4, s[VAL0 + k]);
        set(s, o, pc + 1);
        break;
      case X_VAL_ST:
      case VAL_ST:
      case S_VAL_ST:
        set(s, VAL0 + k, s[o + 4] + d(w, k));
        set(s, o + 4, 0);
        if (k + 1 === K) afterVal(s, o, pc === X_VAL_ST ? X_END : pc === VAL_ST ? END : S_END);
        else {
          set(s, o + 1, k + 1);
          set(s, o, pc - 1);
        }
        break;
      case X_END:
        set(s, 1, s[1] - 1);
        incSeq(s);
        finish(s, o);
        break;
      case S_ADD:
        set(s, 0, s[0] + 1);
        set(s, o, !noExclWait && s[1] !== 0 ? S_WAIT : sharedMapPc);
        break;
      case S_WAIT:
        set(s, o, sharedMapPc);
        break;
      case MAP:
      case S_MAP:
        set(s, 3, s[3] + 1);
        set(s, o, pc + 1);
        break;
      case VAL:
      case S_VAL:
        set(s, VAL0 + k, s[VAL0 + k] + d(w, k));
        if (k + 1 === K) afterVal(s, o, pc + 1);
        else set(s, o + 1, k + 1);
        break;
      case END:
      case S_END:
        set(s, 0, s[0] - 1);
        incSeq(s);
        finish(s, o);
        break;
      default:
        throw new Error(`[internal bug] seqcount packed: step of W${w} at ${WPCS[pc]}`);
    }
  }

  /** The snapshot check of reader locals at `o`; records the first failure in the violation fields. */
  function check(s: Packed, o: number): void {
    if (!snapshotOk(s, o) && s[VB] === 0) {
      set(s, VB, 1);
      set(s, VB + 1, s[o + 5]);
      for (let k = 0; k < K; k++) set(s, VB + 2 + k, s[o + 6 + k]);
    }
  }
  /** start, rm, rv = 0. */
  function reset(s: Packed, o: number): void {
    for (let i = o + 2; i < o + RS; i++) set(s, i, 0);
  }

  function readerStep(s: Packed, r: number): void {
    const o = RB + r * RS;
    const pc = s[o];
    switch (pc) {
      case R_BEGIN:
        set(s, o + 2, s[0]);
        set(s, o + 3, s[1]);
        set(s, o + 4, s[2]);
        set(s, o, R_MAP);
        break;
      case R_MAP:
        set(s, o + 5, s[3]);
        set(s, o, R_VAL);
        break;
      case R_VAL: {
        const k = s[o + 1];
        set(s, o + 6 + k, s[VAL0 + k]);
        if (k + 1 === K) {
          set(s, o + 1, 0);
          if (checkAfterVal) {
            check(s, o);
            reset(s, o);
            set(s, o, R_DONE);
          } else set(s, o, R_RETRY);
        } else set(s, o + 1, k + 1);
        break;
      }
      case R_RETRY:
        if (s[0] !== s[o + 2] || s[1] !== s[o + 3] || s[2] !== s[o + 4]) set(s, o, R_BEGIN);
        else {
          check(s, o);
          set(s, o, R_DONE);
        }
        reset(s, o);
        break;
      default:
        throw new Error(`[internal bug] seqcount packed: step of R${r} at ${RPCS[pc]}`);
    }
  }

  // An action is thread | pc << 4 | k << 9 (so that describe can name the step).
  const encodeAction = (thread: number, pc: number, k: number): number => thread | (pc << 4) | (k << 9);
  const toRefAction = (a: number): SeqAction => {
    const thread = a & 15;
    const pc = (a >> 4) & 31;
    return { thread, pc: thread < W ? WPCS[pc] : RPCS[pc], k: a >> 9 };
  };

  function actionsInto(s: Packed, out: number[]): number {
    let n = 0;
    for (let i = 0; i < W; i++) if (enabled(s, i)) out[n++] = encodeAction(i, s[WB + i * WS], s[WB + i * WS + 1]);
    for (let r = 0; r < R; r++) if (enabled(s, W + r)) out[n++] = encodeAction(W + r, s[RB + r * RS], s[RB + r * RS + 1]);
    return n;
  }

  const allDone = (s: Packed): boolean => {
    for (let w = 0; w < W; w++) if (s[WB + w * WS] !== DONE) return false;
    for (let r = 0; r < R; r++) if (s[RB + r * RS] !== R_DONE) return false;
    return true;
  };
  const table = (pcs: ReadonlySet<WriterPc>): Uint8Array => Uint8Array.from(WPCS, (p) => (pcs.has(p) ? 1 : 0));
  const IS_X = table(X_PCS);
  const IS_SH = table(SHARED_SECTION_PCS);
  const IS_END = table(END_PCS);

  const native: Record<string, (s: Packed) => boolean> = {
    snapshot: (s) => s[VB] === 0,
    'no-lost-update': (s) => {
      if (!allDone(s)) return true;
      if (s[3] !== W * OPS) return false;
      for (let k = 0; k < K; k++) if (s[VAL0 + k] !== (OPS * 3 ** k * W * (W + 1)) / 2) return false;
      return true;
    },
    'writer-bits': (s) => {
      let sh = 0;
      let ex = 0;
      let ops = 0;
      for (let w = 0; w < W; w++) {
        const pc = s[WB + w * WS];
        if (IS_X[pc] === 1 || pc === CONV) ex++;
        else if (IS_SH[pc] === 1 || pc === S_WAIT) sh++;
        ops += s[WB + w * WS + 2];
      }
      return s[0] === sh && s[1] === ex && s[2] === (SEQ_MOD === Infinity ? ops : ops % SEQ_MOD);
    },
    'exclusive-alone': (s) => {
      let x = 0;
      let sh = 0;
      for (let w = 0; w < W; w++) {
        const pc = s[WB + w * WS];
        if (IS_X[pc] === 1) x++;
        else if (IS_SH[pc] === 1) sh++;
      }
      return x === 0 || (x === 1 && sh === 0);
    },
    'reader-retries': (s) => {
      for (let r = 0; r < R; r++) {
        const o = RB + r * RS;
        if (s[o] === R_RETRY && (s[o + 2] !== s[0] || s[o + 3] !== s[1] || s[o + 4] !== s[2])) return true;
      }
      return false;
    },
    'exclusive-writer': (s) => {
      for (let w = 0; w < W; w++) if (IS_X[s[WB + w * WS]] === 1) return true;
      return false;
    },
    'shared-waits-for-exclusive': (s) => {
      if (s[1] === 0) return false;
      for (let w = 0; w < W; w++) if (s[WB + w * WS] === S_WAIT) return true;
      return false;
    },
    'sequence-wraps': (s) => {
      if (s[2] !== SEQ_MOD - 1) return false;
      for (let w = 0; w < W; w++) if (IS_END[s[WB + w * WS]] === 1) return true;
      return false;
    },
  };
  // The checkers' one-call form of the `always` properties (checker/fast.ts), in their order.
  const alwaysProps = ref.properties.filter((p) => p.expectation === 'always');
  const alwaysNames = alwaysProps.map((p) => p.name);
  const alwaysChecks = alwaysNames.map((n) => native[n]);
  internalAssert(alwaysChecks.every((f) => f !== undefined), 'seqcount packed: an always property without a native form');
  const [A0, A1, A2, A3] = alwaysChecks;
  const NA = alwaysChecks.length;
  /** The first violated `always` property, or null (unrolled for up to 4: no megamorphic
   *  call per property in the checker's loop). */
  function firstViolated(s: Packed): string | null {
    if (NA > 4) {
      for (let i = 0; i < NA; i++) if (!alwaysChecks[i](s)) return alwaysNames[i];
      return null;
    }
    if (NA > 0 && !A0(s)) return alwaysNames[0];
    if (NA > 1 && !A1(s)) return alwaysNames[1];
    if (NA > 2 && !A2(s)) return alwaysNames[2];
    if (NA > 3 && !A3(s)) return alwaysNames[3];
    return null;
  }

  const properties: Property<Packed>[] = ref.properties.map((p) => {
    const m = /^reader-finishes-R(\d+)$/.exec(p.name);
    const holds = m ? (s: Packed) => s[RB + Number(m[1]) * RS] === R_DONE : native[p.name];
    internalAssert(holds, `seqcount packed: no native form of property ${p.name}`);
    return { ...p, holds };
  });

  // ---- the symmetric fingerprint (reader symmetry), a function of `canonicalKey` ----
  // fp = G xor C: G is the Zobrist hash of the fields outside the readers (the plain keys),
  // C = sum mod 2^64 of mix(B_r), B_r the Zobrist hash of reader r's block with keys shared by
  // all readers: a hash of the multiset of blocks (a sum, not a xor, so that two equal blocks
  // do not cancel).
  const ZR = Z.subarray(2 * ZOFF[RB]); // reader 0's keys, used for every reader
  const sym = new Uint32Array(2); // C, as (lo, hi)
  /** Adds mix(B) for reader r's block to `sym` (64-bit add on two halves). */
  function addBlock(s: Packed, r: number): void {
    const o = RB + r * RS;
    let blo = 0;
    let bhi = 0;
    for (let j = 0; j < RS; j++) {
      const z = 2 * (ZOFF[RB + j] - ZOFF[RB] + s[o + j]);
      blo ^= ZR[z];
      bhi ^= ZR[z + 1];
    }
    // a murmur3-style finalizer on the two halves
    let h1 = Math.imul(blo ^ (blo >>> 16), 0x85ebca6b) ^ bhi;
    let h2 = Math.imul(bhi ^ (bhi >>> 13), 0xc2b2ae35) ^ h1;
    h1 = Math.imul(h1 ^ (h1 >>> 16), 0x85ebca6b);
    h2 = Math.imul(h2 ^ (h2 >>> 15), 0xc2b2ae35) ^ h1;
    h1 ^= h2 >>> 13;
    const lo = (sym[0] + (h1 >>> 0)) >>> 0;
    const carry = lo < sym[0] ? 1 : 0;
    sym[0] = lo;
    sym[1] = (sym[1] + (h2 >>> 0) + carry) >>> 0;
  }
  /** C of `s` into `sym`. */
  function blocksSum(s: Packed): void {
    sym[0] = 0;
    sym[1] = 0;
    for (let r = 0; r < R; r++) addBlock(s, r);
  }
  function symmetricFingerprint(s: Packed, out: Uint32Array): void {
    hash(s, out); // also checks the field bounds
    let glo = out[0];
    let ghi = out[1];
    for (let i = RB; i < VB; i++) {
      glo ^= Z[2 * (ZOFF[i] + s[i])];
      ghi ^= Z[2 * (ZOFF[i] + s[i]) + 1];
    }
    blocksSum(s);
    out[0] = glo ^ sym[0];
    out[1] = ghi ^ sym[1];
  }
  /** Reader blocks equal, field by field. */
  const sameBlock = (s: Packed, a: number, b: number): boolean => {
    for (let j = 0; j < RS; j++) if (s[RB + a * RS + j] !== s[RB + b * RS + j]) return false;
    return true;
  };
  const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));
  /** R! / prod(multiplicity!) over the classes of equal reader blocks. */
  function orbitSize(s: Packed): number {
    let n = factorial(R);
    const counted = new Uint8Array(R);
    for (let a = 0; a < R; a++) {
      if (counted[a] === 1) continue;
      let c = 1;
      for (let b = a + 1; b < R; b++)
        if (counted[b] === 0 && sameBlock(s, a, b)) {
          counted[b] = 1;
          c++;
        }
      n /= factorial(c);
    }
    return n;
  }

  const keyOf = (s: Packed, from: number, to: number): string =>
    from === 0 && to === s.length ? String.fromCharCode.apply(null, s) : String.fromCharCode.apply(null, s.slice(from, to));
  const symmetry: Symmetry<Packed> | undefined = ref.symmetry
    ? {
        canonicalKey: (s) => {
          const parts: string[] = [];
          for (let r = 0; r < R; r++) parts.push(keyOf(s, RB + r * RS, RB + (r + 1) * RS));
          parts.sort();
          return keyOf(s, 0, RB) + parts.join('') + keyOf(s, VB, LEN);
        },
        orbitSize,
        fingerprint: symmetricFingerprint,
      }
    : undefined;

  /** One step in place; afterwards (dlo, dhi) is the fingerprint change and the undo log
   *  restores `s`. */
  function step(s: Packed, a: number): void {
    dlo = 0;
    dhi = 0;
    rlo = 0;
    rhi = 0;
    undoLen = 0;
    const thread = a & 15;
    if (thread < W) writerStep(s, thread);
    else readerStep(s, thread - W);
  }
  function hash(s: Packed, out: Uint32Array): void {
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < LEN; i++) {
      const v = s[i];
      // (unsigned: a negative value fails too)
      if (v >>> 0 >= bound[i]) throw new Error(`[internal bug] seqcount packed: field ${i} = ${v} is outside its fingerprint range`);
      const z = (ZOFF[i] + v) << 1;
      lo ^= Z[z];
      hi ^= Z[z + 1];
    }
    out[0] = lo;
    out[1] = hi;
  }

  return {
    name: 'seqcount',
    params: ref.params,
    threads: ref.threads,
    reference: ref,
    pack,
    unpack,
    initStates: () => ref.initStates().map(pack),
    actions(s) {
      const out: number[] = [];
      out.length = actionsInto(s, out);
      return out;
    },
    next(s, a) {
      const t = s.slice();
      step(t, a);
      return t;
    },
    properties,
    key: (s) => keyOf(s, 0, LEN),
    fingerprint: hash,
    flat: {
      // two 16-bit fields per word (every field is < 2^16, asserted above)
      words: WORDS,
      scratch: zeros,
      actionsInto,
      encode(s, buf, at) {
        for (let i = 0; i < LEN; i += 2) buf[at++] = s[i] | (i + 1 < LEN ? s[i + 1] << 16 : 0);
      },
      decode(buf, at, out) {
        for (let i = 0; i < LEN; i += 2) {
          const w = buf[at++];
          out[i] = w & 0xffff;
          if (i + 1 < LEN) out[i + 1] = w >>> 16;
        }
        return out;
      },
      nextInto(s, a, out) {
        for (let i = 0; i < LEN; i++) out[i] = s[i];
        step(out, a);
      },
      stepInPlace(s, a, lo, hi, out) {
        step(s, a);
        out[0] = lo ^ dlo;
        out[1] = hi ^ dhi;
      },
      stepInPlaceSymmetric(s, a, lo, hi, out) {
        // G = fp xor C: only a reader's step changes C (its own block)
        const thread = a & 15;
        if (thread < W) {
          step(s, a);
          out[0] = lo ^ dlo ^ rlo;
          out[1] = hi ^ dhi ^ rhi;
          return;
        }
        blocksSum(s);
        const clo = sym[0];
        const chi = sym[1];
        step(s, a);
        blocksSum(s);
        out[0] = lo ^ clo ^ dlo ^ rlo ^ sym[0];
        out[1] = hi ^ chi ^ dhi ^ rhi ^ sym[1];
      },
      encodeStepped(s, parentRow, buf, at) {
        for (let i = 0; i < WORDS; i++) buf[at + i] = parentRow[i];
        for (let j = 0; j < undoLen; j += 2) {
          const f = undoLog[j];
          const w = at + (f >> 1);
          buf[w] = f & 1 ? (buf[w] & 0xffff) | (s[f] << 16) : (buf[w] & ~0xffff) | s[f];
        }
      },
      undo(s) {
        for (let j = undoLen - 2; j >= 0; j -= 2) s[undoLog[j]] = undoLog[j + 1];
        undoLen = 0;
      },
    },
    describe: (a): ActionInfo => ref.describe(toRefAction(a)),
    actionThread: (a: number): number => a & 15,
    view: (s) => ref.view(unpack(s)),
    finished: allDone,
    symmetry,
    alwaysNames,
    firstViolated,
  };
}
