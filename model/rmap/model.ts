/**
 * The concurrent rmap model (rmap-ops.md): a folio of P pages under a scheme, MMs with rmap IDs,
 * and threads stepping through the compiled instructions of `program.ts`. One action = one
 * instruction of one thread; `next` returns a fresh state and never modifies its argument.
 *
 * Ghost state (never read by a modelled thread):
 * - `tracked[mm]`: the mappings the protected words count. A mapping starts to be tracked at the
 *   step that adds it to `_total_mapcount` (the atomic add, or the exclusive writer's plain
 *   store) and stops at the step that subtracts it; so |tracked| == mapcount unless an update is
 *   lost. The linearizability property judges readers against this set.
 * - `ptes[mm][page]`, `pmds[mm]`: the page tables, changed at `set_ptes` / `ptep_get_and_clear`
 *   / `set_pmd_at` / `pmdp_huge_get_and_clear` / `pmd_populate`. A mapping exists in a page
 *   table from its set step to its clear step; `no-false-exclusive` and I10 judge against these.
 * - `ends`: finished write sections modulo 2^seqBits (I6).
 * - per reader thread: `g` bits latched inside the read window (see `G_*`), and `ans`.
 */
import type { ActionInfo, Model, Property } from '../core';
import { internalAssert } from '../errors';
import { hexWord, modulus, wrap } from '../word';
import type { Bug, Ins, Program } from './program';
import { compileThread } from './program';
import { SOMETIMES, type Scenario } from './scenario';
import { fingerprintFinish } from '../../checker/visited';

export interface ThreadState {
  readonly pc: number;
  /** Loaded `seq` (reader start, V2 CAS operand, COW seq). */
  readonly s: bigint;
  /** Exclusive writer's plain-loaded word. */
  readonly t: bigint;
  /** Reader's mapcount read. */
  readonly rm: bigint;
  /** Reader: all values compared so far matched (1) or not (0). */
  readonly eq: number;
  /** `reread` bug: the values of the first read. */
  readonly rv: readonly bigint[];
  /** Ghost bits, see G_*. */
  readonly g: number;
  /** The answer of the thread's current (or last) query: see ANS_*. */
  readonly ans: number;
}

export interface RmapState {
  readonly seq: bigint;
  readonly mapcount: bigint;
  readonly vals: readonly bigint[];
  readonly refcount: number;
  readonly entire: number;
  /** Per-page mapcounts (true counts); `_nr_pages_mapped` is the number of non-zero ones. */
  readonly pageMap: readonly number[];
  // ghost
  readonly tracked: readonly number[];
  /** [mm][page] PTE counts: one row per MM, so that a PTE step copies one row of P entries, not
   *  all M*P (rows are shared between states while unchanged, and never move between MMs). */
  readonly ptes: readonly (readonly number[])[];
  readonly pmds: readonly number[];
  readonly ends: bigint;
  /** False while a new anonymous folio is not yet mapped (only its thread may run). */
  readonly published: boolean;
  readonly th: readonly ThreadState[];
}

export interface RmapAction {
  readonly thread: number;
  readonly pc: number;
}

export const ANS_NONE = 0;
export const ANS_EXCLUSIVE = 1;
export const ANS_SHARED = 2;
export const ANS_REUSE = 3;
export const ANS_COPY = 4;
const ANS_TEXT = ['', 'exclusive', 'shared', 'reuse', 'copy'];

/** Inside the read window (from the op's first step to its answer). */
export const G_WIN = 1;
/** At some instant of the window the tracked mappings' ideal decision was "exclusive". */
export const G_CAN_EX = 2;
/** ... was "shared". */
export const G_CAN_SH = 4;
/** At some instant of the window no other MM had a PTE or PMD of the folio. */
export const G_PTE_EX = 8;
/** The reader went back to begin at least once in this op. */
export const G_RETRIED = 16;
/** COW: at its refcount read, refcount == mapcount <= P, no entire mapping, values matched the
 *  faulting MM and no writer was active. */
export const G_COW_OK = 32;
/** COW: when it decided to reuse, no other MM had a PTE of the page or a PMD of the folio. */
export const G_REUSE_SAFE = 64;

/** Enabled unless unpublished; the spin waits for no exclusive writer; the reader begin for no
 *  writer; finished (no instruction). */
const GATE_NONE = 0;
const GATE_EXCL = 1;
const GATE_WRITERS = 2;
const GATE_DONE = 3;

interface PcFacts {
  readonly mid: Uint8Array;
  /** What enables the instruction at pc: see GATE_*. */
  readonly gate: Uint8Array;
  /** holds writer bits or is mid-update (`writerActive`) */
  readonly active: Uint8Array;
  readonly excl: Uint8Array;
  readonly sbody: Uint8Array;
  readonly over: Uint8Array;
  readonly extra: Int32Array;
  readonly bits: bigint[];
  /** 0: no writer bits, else 1 + the index of `bits` among the model's distinct values */
  readonly bitsIdx: Uint8Array;
  readonly canPublish: boolean;
  readonly actions: readonly RmapAction[];
}

const NO_SUBS: readonly bigint[] = [];
const NO_VALUES: readonly bigint[] = [];
/** A copy of `a` with a[j] = v. */
function withVal(a: readonly bigint[], j: number, v: bigint): bigint[] {
  const c = a.slice();
  c[j] = v;
  return c;
}
/** A copy of `a` with a[j] += d. */
function withAdd(a: readonly number[], j: number, d: number): number[] {
  const c = a.slice();
  c[j] += d;
  return c;
}

const ZERO_THREAD: ThreadState = { pc: 0, s: 0n, t: 0n, rm: 0n, eq: 0, rv: [], g: 0, ans: 0 };

export interface RmapModelOptions {
  readonly scenario: Scenario;
  readonly bug: Bug | null;
  readonly params: Readonly<Record<string, string | number | boolean>>;
}


export class RmapModel implements Model<RmapState, RmapAction> {
  readonly name = 'rmap';
  readonly params: Readonly<Record<string, string | number | boolean>>;
  readonly threads: readonly string[];
  readonly properties: readonly Property<RmapState>[];
  readonly programs: readonly Program[];
  readonly sc: Scenario;
  readonly bug: Bug | null;
  private readonly P: number;
  private readonly V: number;
  private readonly W: number;
  private readonly M: number;
  /** Per thread, per op index: the pc after the op (0 at the end of a repeating thread). */
  private readonly exits: readonly (readonly number[])[];
  /** Per thread, the static facts of its instructions as flat tables indexed by pc (entry
   *  ins.length: finished), so that the per-state properties do not walk Ins objects. */
  private readonly pcFacts: readonly PcFacts[];

  constructor(opts: RmapModelOptions) {
    this.sc = opts.scenario;
    this.bug = opts.bug;
    this.params = opts.params;
    this.P = this.sc.pages;
    this.V = this.sc.scheme.values;
    this.W = this.sc.scheme.wordBits;
    this.M = this.sc.mms.length;
    this.mapped = new Uint8Array(this.M);
    this.fpThreadHash = new Int32Array(2 * this.sc.threads.length);
    this.threads = this.sc.threads.map((t) => t.name);
    this.programs = this.sc.threads.map((t) => compileThread(this.sc, t.ops, t.repeat, this.bug));
    this.infos = this.programs.map(() => []);
    this.exits = this.programs.map((prog) =>
      Array.from({ length: prog.ins.length ? prog.ins[prog.ins.length - 1].op + 1 : 0 }, (_, op) => {
        let pc = prog.ins.findIndex((x) => x.op > op);
        if (pc < 0) pc = prog.ins.length;
        return pc === prog.ins.length && prog.repeat ? 0 : pc;
      }),
    );
    const bitsValues: bigint[] = [];
    this.pcFacts = this.programs.map((prog, t) => {
      const n = prog.ins.length;
      const f: PcFacts = {
        mid: new Uint8Array(n + 1),
        gate: new Uint8Array(n + 1).fill(GATE_DONE),
        active: new Uint8Array(n + 1),
        excl: new Uint8Array(n + 1),
        sbody: new Uint8Array(n + 1),
        over: new Uint8Array(n + 1),
        extra: new Int32Array(n + 1),
        bits: new Array<bigint>(n + 1).fill(0n),
        bitsIdx: new Uint8Array(n + 1),
        canPublish: prog.ins.some((x) => x.publish),
        actions: Array.from({ length: n + 1 }, (_, pc) => ({ thread: t, pc })),
      };
      prog.ins.forEach((i, pc) => {
        f.mid[pc] = i.mid ? 1 : 0;
        f.gate[pc] = i.kind === 'swait' ? GATE_EXCL : i.kind === 'rBegin' && !i.noWait ? GATE_WRITERS : GATE_NONE;
        f.active[pc] = i.bits !== 0n || i.mid ? 1 : 0;
        f.excl[pc] = i.excl ? 1 : 0;
        f.sbody[pc] = i.sbody ? 1 : 0;
        f.over[pc] = i.over ? 1 : 0;
        f.extra[pc] = i.extra;
        f.bits[pc] = i.bits;
        if (i.bits !== 0n) {
          if (!bitsValues.includes(i.bits)) bitsValues.push(i.bits);
          f.bitsIdx[pc] = bitsValues.indexOf(i.bits) + 1;
        }
      });
      f.extra[n] = prog.extraDone;
      return f;
    });
    this.bitsBase = bitsValues.length + 1;
    // the mixed-radix key identifies the bits held exactly while it stays below 2^53
    this.bitsKeyExact = bitsValues.length < 255 && this.programs.length * Math.log2(this.bitsBase) < 52;
    this.properties = this.makeProperties();
  }
  private readonly bitsBase: number;
  private readonly bitsKeyExact: boolean;
  /** checker/random/fast.ts `FastAlways`: set by makeProperties. */
  alwaysNames: readonly string[] = [];
  firstViolated: (s: RmapState) => string | null = () => null;

  // ---------------------------------------------------------------- states and actions

  initStates(): readonly RmapState[] {
    const sc = this.sc;
    const P = this.P;
    const tracked = sc.mms.map((_, m) => sc.initialPtes[m].reduce((a, b) => a + b, 0) + sc.initialPmds[m]);
    const total = tracked.reduce((a, b) => a + b, 0);
    // Array.from: packed elements (new Array(n) is holey, and every copy by slice stays holey)
    const vals = Array.from({ length: this.V }, () => 0n);
    tracked.forEach((c, m) => {
      for (let j = 0; j < this.V; j++) vals[j] = wrap(vals[j] + BigInt(c) * sc.mms[m].subIds[j], this.W);
    });
    const pageMap = Array.from({ length: P }, () => 0);
    sc.initialPtes.forEach((row) => row.forEach((c, p) => (pageMap[p] += c)));
    const anon = this.programs.some((p) => p.ins.some((i) => i.publish));
    return [
      {
        seq: 0n,
        mapcount: BigInt(total),
        vals,
        refcount: total, // one reference per mapping
        entire: sc.initialPmds.reduce((a, b) => a + b, 0),
        pageMap,
        tracked,
        ptes: sc.initialPtes.map((r) => Array.from(r)),
        pmds: [...sc.initialPmds],
        ends: 0n,
        published: !anon,
        th: this.programs.map(() => ZERO_THREAD),
      },
    ];
  }

  private insAt(t: number, pc: number): Ins | undefined {
    return this.programs[t].ins[pc];
  }

  /** Is thread t's next instruction enabled? (A spin is enabled only when it can pass.) */
  private enabled(s: RmapState, t: number): boolean {
    const f = this.pcFacts[t];
    const gate = f.gate[s.th[t].pc];
    if (gate === GATE_DONE) return false;
    if (!s.published && !f.canPublish) return false;
    if (gate === GATE_NONE) return true;
    if (s.seq !== this.maskedSeq) {
      // the masks of the last seq seen (BigInt & allocates; seq rarely changes between calls)
      const L = this.sc.layout;
      this.maskedSeq = s.seq;
      this.exclClear = (s.seq & (L.exclMask ?? 0n)) === 0n;
      this.writersClear = (s.seq & L.writersMask) === 0n;
    }
    return gate === GATE_EXCL ? this.exclClear : this.writersClear;
  }
  private maskedSeq = -1n;
  private exclClear = false;
  private writersClear = false;

  actions(s: RmapState): readonly RmapAction[] {
    const out: RmapAction[] = [];
    // shared immutable action objects, one per (thread, pc)
    for (let t = 0; t < s.th.length; t++) if (this.enabled(s, t)) out.push(this.pcFacts[t].actions[s.th[t].pc]);
    return out;
  }

  finished(s: RmapState): boolean {
    return s.th.every((x, t) => x.pc >= this.programs[t].ins.length);
  }

  next(s0: RmapState, a: RmapAction): RmapState {
    const i = this.insAt(a.thread, a.pc);
    // the message is built only on failure (a template argument would be built every step)
    if (i === undefined || s0.th[a.thread].pc !== a.pc) internalAssert(false, `action ${a.thread}@${a.pc} is not enabled`);
    const sc = this.sc;
    const L = sc.layout;
    const P = this.P;
    const W = this.W;
    const width = L.width;
    let { seq, mapcount, refcount, entire, ends, published } = s0;
    let vals = s0.vals;
    let pageMap = s0.pageMap;
    let tracked = s0.tracked;
    let ptes = s0.ptes;
    let pmds = s0.pmds;
    const me = s0.th[a.thread];
    let { s, t, rm, eq, rv, g, ans } = me;
    let pc = i.next;
    const mm = i.mm;
    const subs = mm >= 0 ? sc.mms[mm].subIds : NO_SUBS;
    // answer / retry are applied after the switch (each is the last thing its case does): no
    // closures over the locals, which V8 would otherwise keep in a heap context.
    let answerWith = -1;
    let retryTo = -1;
    if (i.first) {
      ans = ANS_NONE;
      g = 0;
      // the window opens at this step: the instant it reads at counts
      if (i.kind === 'msTotal') g = G_WIN | this.windowBits(s0, mm);
    }

    switch (i.kind) {
      case 'ref':
        refcount += i.d;
        break;
      case 'pages': {
        const c = pageMap.slice();
        for (const p of i.pages) c[p] += i.d;
        deriveHash(pageMap, c, 0, 0, i.pages);
        pageMap = c;
        break;
      }
      case 'entire':
        entire += i.d;
        break;
      case 'pte': {
        const row = ptes[mm].slice();
        for (const p of i.pages) row[p] += i.d;
        deriveRowHash(ptes[mm], row, mm * P, 0, i.pages);
        this.deriveMapped(ptes[mm], row, 0, i.pages);
        const c = ptes.slice();
        c[mm] = row;
        ptes = c;
        if (i.publish) published = true;
        break;
      }
      case 'pmd': {
        const c = pmds.slice();
        c[mm] += i.d;
        pmds = c;
        break;
      }
      case 'populate': {
        const row = ptes[mm].slice();
        for (let p = 0; p < P; p++) row[p] += 1;
        deriveRowHash(ptes[mm], row, mm * P, P, null);
        this.deriveMapped(ptes[mm], row, P, null);
        const c = ptes.slice();
        c[mm] = row;
        ptes = c;
        const d = pmds.slice();
        d[mm] -= 1;
        pmds = d;
        break;
      }
      // ------------------------------------------------ seqcount writer steps
      case 'v1b':
        seq = wrap(seq + i.v, width);
        break;
      case 'v2load':
        s = seq;
        if ((s & L.writersMask) !== 0n) {
          s = 0n;
          pc = i.alt;
        }
        break;
      case 'v2cas':
        if (seq === s) seq = wrap(s | i.v, width);
        else pc = i.alt;
        s = 0n;
        break;
      case 'v3check':
        if ((seq & L.writersMask) !== 0n) pc = i.alt;
        break;
      case 'v3xadd':
        seq = wrap(seq + i.v, width);
        if ((seq & L.writersMask) !== i.v) pc = i.alt;
        break;
      case 'v3conv':
        seq = wrap(seq + i.v, width);
        break;
      case 'sadd':
        seq = wrap(seq + i.v, width);
        if (i.noWait || (seq & (L.exclMask ?? 0n)) === 0n) pc = i.alt;
        break;
      case 'swait':
        break;
      case 'end':
        seq = wrap(seq + i.v, width);
        ends = wrap(ends + 1n, L.seqBits);
        break;
      // ------------------------------------------------ protected words
      case 'addMap':
        mapcount += BigInt(i.d);
        tracked = withAdd(tracked, mm, i.d);
        break;
      case 'addVal':
        vals = withVal(vals, i.j, wrap(vals[i.j] + i.v, W));
        break;
      case 'ldMap':
        t = mapcount;
        break;
      case 'stMap':
        mapcount = t + BigInt(i.d);
        t = 0n;
        tracked = withAdd(tracked, mm, i.d);
        break;
      case 'ldVal':
        t = vals[i.j];
        break;
      case 'stVal':
        vals = withVal(vals, i.j, wrap(t + i.v, W));
        t = 0n;
        break;
      case 'setMap':
        mapcount = BigInt(i.d);
        tracked = withAdd(tracked, mm, i.d);
        break;
      case 'setVal':
        vals = withVal(vals, i.j, wrap(i.v, W));
        break;
      // ------------------------------------------------ folio_mapped_shared
      case 'msTotal':
        rm = mapcount;
        if (rm === 1n) answerWith = ANS_EXCLUSIVE;
        break;
      case 'msEntire':
        if (entire > 0 || rm > P) answerWith = ANS_SHARED;
        else rm = 0n;
        break;
      case 'rBegin':
        s = seq;
        break;
      case 'rMap':
        rm = mapcount;
        eq = 1;
        if (rm > P) answerWith = ANS_SHARED;
        break;
      case 'rVal':
        if (i.store) {
          rv = [...rv, vals[i.j]];
        } else if (vals[i.j] !== wrap(rm * subs[i.j], W)) {
          eq = 0;
          if (i.answers) answerWith = ANS_SHARED;
          else pc = i.alt;
        } else if (i.last && i.answers) answerWith = ANS_EXCLUSIVE;
        break;
      case 'rRetry':
        if (seq !== s) retryTo = i.alt;
        else answerWith = eq === 1 ? ANS_EXCLUSIVE : ANS_SHARED;
        break;
      case 'rMap2':
        if (mapcount !== rm) retryTo = i.alt;
        break;
      case 'rVal2':
        if (vals[i.j] !== rv[i.j]) retryTo = i.alt;
        else if (i.last) answerWith = rv.every((v, j) => v === wrap(rm * subs[j], W)) ? ANS_EXCLUSIVE : ANS_SHARED;
        break;
      // ------------------------------------------------ wp_can_reuse_anon_folio
      case 'cSeq':
        s = seq;
        if (!i.noWait && (s & L.writersMask) !== 0n) answerWith = ANS_COPY;
        break;
      case 'cMap':
        rm = mapcount;
        if (rm > P) answerWith = ANS_COPY;
        break;
      case 'cEntire':
        if (entire > 0) answerWith = ANS_COPY;
        break;
      case 'cRef':
        if (!(rm <= refcount && rm >= refcount)) answerWith = ANS_COPY; // rm != refcount, exact
        else if (this.cowInstantOk(s0, mm)) g |= G_COW_OK;
        break;
      case 'cVal':
        if (vals[i.j] !== wrap(rm * subs[i.j], W)) answerWith = ANS_COPY;
        else {
          if (i.store) rv = [...rv, vals[i.j]];
          if (i.last && i.answers) {
            g |= this.reuseBits(s0, i);
            answerWith = ANS_REUSE;
          }
        }
        break;
      case 'cMap2':
        if (mapcount !== rm) answerWith = ANS_COPY;
        break;
      case 'cVal2':
        if (vals[i.j] !== rv[i.j]) answerWith = ANS_COPY;
        else if (i.last) {
          g |= this.reuseBits(s0, i);
          answerWith = ANS_REUSE;
        }
        break;
      case 'cRetry':
        if (seq !== s) answerWith = ANS_COPY;
        else {
          g |= this.reuseBits(s0, i);
          answerWith = ANS_REUSE;
        }
        break;
    }

    if (answerWith >= 0) {
      ans = answerWith;
      g &= ~G_WIN;
      s = 0n;
      rm = 0n;
      eq = 0;
      rv = NO_VALUES;
      pc = this.exitOf(a.thread, i);
    } else if (retryTo >= 0) {
      g |= G_RETRIED;
      s = 0n;
      rm = 0n;
      eq = 0;
      rv = NO_VALUES;
      pc = retryTo;
    }
    const th = s0.th.slice();
    th[a.thread] = { pc, s, t, rm, eq, rv, g, ans };
    const next: RmapState = { seq, mapcount, vals, refcount, entire, pageMap, tracked, ptes, pmds, ends, published, th };
    this.updateWindows(next, th);
    return next;
  }

  /** Where a thread goes after answering its current op (the op's exit, folded for repeat). */
  private exitOf(t: number, i: Ins): number {
    return this.exits[t][i.op];
  }

  /** The ghost bits of a COW reuse decision (the caller answers ANS_REUSE). */
  private reuseBits(s0: RmapState, i: Ins): number {
    const page = i.pages[0];
    let safe = true;
    for (let m = 0; m < this.M; m++) if (m !== i.mm && (s0.ptes[m][page] > 0 || s0.pmds[m] > 0)) safe = false;
    return safe ? G_REUSE_SAFE : 0;
  }

  /** OR the decision of the new state `s` into the ghost bits of every reader inside its
   *  window; `th` is `s.th`, a fresh array of next()'s, updated in place (no second state). */
  private updateWindows(s: RmapState, th: ThreadState[]): void {
    for (let k = 0; k < th.length; k++) {
      const x = th[k];
      if ((x.g & G_WIN) === 0) continue;
      const i = this.insAt(k, x.pc);
      internalAssert(i !== undefined && i.mm >= 0, 'reader in its window without a current op');
      const add = this.windowBits(s, i.mm);
      if ((x.g | add) !== x.g) th[k] = { pc: x.pc, s: x.s, t: x.t, rm: x.rm, eq: x.eq, rv: x.rv, g: x.g | add, ans: x.ans };
    }
  }

  // ---------------------------------------------------------------- ground truth helpers

  /** The ghost bits one instant contributes to a window of a reader for `mm`. */
  private windowBits(s: RmapState, mm: number): number {
    return (this.idealExclusive(s, mm) ? G_CAN_EX : G_CAN_SH) | (this.pteExclusive(s, mm) ? G_PTE_EX : 0);
  }

  private totalTracked(s: RmapState): number {
    if (s.tracked === this.totalOf) return this.totalValue;
    let n = 0;
    for (let m = 0; m < s.tracked.length; m++) n += s.tracked[m];
    this.totalOf = s.tracked;
    this.totalValue = n;
    return n;
  }
  private totalOf: readonly number[] | null = null;
  private totalValue = 0;

  /** The series' decision (rmap-ops.md, folio_mapped_shared steps 2-5) applied to one instant's
   *  ground truth: one tracked mapping -> exclusive iff it is `mm`'s; an entire mapping (the
   *  entire mapcount is its own ground truth: one atomic word) -> shared; more tracked mappings
   *  than pages -> shared; otherwise exclusive iff every tracked mapping is `mm`'s. */
  idealExclusive(s: RmapState, mm: number): boolean {
    const total = this.totalTracked(s);
    if (total === 1) return s.tracked[mm] === 1;
    if (s.entire > 0 || total > this.P) return false;
    return total > 0 && s.tracked[mm] === total;
  }

  /** No other MM has a PTE or a PMD of the folio in its page tables. */
  pteExclusive(s: RmapState, mm: number): boolean {
    // which MMs map the folio, memoized on the (shared, immutable) page-table arrays: O(M*P)
    // once per changed table instead of once per reader per step
    if (s.ptes !== this.mappedPtes || s.pmds !== this.mappedPmds) {
      let n = 0;
      for (let m = 0; m < this.M; m++) {
        this.mapped[m] = s.pmds[m] > 0 || this.positiveIn(s.ptes[m]) > 0 ? 1 : 0;
        n += this.mapped[m];
      }
      this.mappedPtes = s.ptes;
      this.mappedPmds = s.pmds;
      this.mappedCount = n;
    }
    return this.mappedCount - this.mapped[mm] === 0;
  }
  private mappedPtes: readonly (readonly number[])[] | null = null;
  /** Per PTE row (immutable, shared by next() while unchanged): its entries > 0. next() derives
   *  a copy's count from its parent's in O(changed entries), so that `pteExclusive` does not
   *  rescan a row (512 entries at order 9) after each PTE step. */
  private readonly rowPositive = new WeakMap<readonly number[], number>();
  private positiveIn(row: readonly number[]): number {
    let n = this.rowPositive.get(row);
    if (n === undefined) {
      n = 0;
      for (let p = 0; p < row.length; p++) if (row[p] > 0) n++;
      this.rowPositive.set(row, n);
    }
    return n;
  }
  /** `copy` is `old` with the entries at `at` (or the first `count`) changed: give it a count if
   *  `old` has one (as `deriveRowHash`). */
  private deriveMapped(old: readonly number[], copy: readonly number[], count: number, at: readonly number[] | null): void {
    const n0 = this.rowPositive.get(old);
    if (n0 === undefined) return;
    // a repeated index would be counted twice: leave such a copy to be counted in full
    if (at) for (let k = 1; k < at.length; k++) if (at[k] <= at[k - 1]) return;
    const n = at ? at.length : count;
    let d = 0;
    for (let k = 0; k < n; k++) {
      const i = at ? at[k] : k;
      d += (copy[i] > 0 ? 1 : 0) - (old[i] > 0 ? 1 : 0);
    }
    this.rowPositive.set(copy, n0 + d);
  }
  private mappedPmds: readonly number[] | null = null;
  private mappedCount = 0;
  private readonly mapped: Uint8Array;

  /** No thread is between its mapcount update and its last value update. */
  quiet(s: RmapState): boolean {
    this.scan(s);
    return this.scanQuiet;
  }

  /** One pass over the threads of `s` for the per-thread facts the properties need, memoized
   *  on the last state (the properties are asked one after the other of the same state). */
  private scan(s: RmapState): void {
    if (s === this.scanned) return;
    let quiet = true;
    let bitsKey = 0;
    let scale = 1;
    let ex = 0;
    let sh = 0;
    let extra = 0;
    let over = false;
    let lin = true;
    let nfe = true;
    let i10 = true;
    let retried = false;
    let reused = false;
    const th = s.th;
    for (let k = 0; k < th.length; k++) {
      const f = this.pcFacts[k];
      const x = th[k];
      const pc = x.pc;
      if (f.mid[pc] === 1) quiet = false;
      bitsKey += f.bitsIdx[pc] * scale;
      scale *= this.bitsBase;
      ex += f.excl[pc];
      sh += f.sbody[pc];
      extra += f.extra[pc];
      if (f.over[pc] === 1) over = true;
      const g = x.g;
      if ((g & G_RETRIED) !== 0) retried = true;
      if (x.ans === ANS_REUSE) reused = true;
      if (x.ans === ANS_EXCLUSIVE) {
        if ((g & G_CAN_EX) === 0) lin = false;
        if ((g & G_PTE_EX) === 0) nfe = false;
      } else if (x.ans === ANS_SHARED) {
        if ((g & G_CAN_SH) === 0) lin = false;
      } else if (x.ans === ANS_REUSE && ((g & G_COW_OK) === 0 || (g & G_REUSE_SAFE) === 0)) i10 = false;
    }
    this.scanned = s;
    this.scanQuiet = quiet;
    this.scanBitsKey = bitsKey;
    this.scanEx = ex;
    this.scanSh = sh;
    this.scanExtra = extra;
    this.scanOver = over;
    this.scanLin = lin;
    this.scanNfe = nfe;
    this.scanI10 = i10;
    this.scanRetried = retried;
    this.scanReused = reused;
  }
  private scanRetried = false;
  private scanReused = false;
  private scanned: RmapState | null = null;
  private scanQuiet = false;
  /** The writer bits held, as a mixed-radix number of per-thread indices into `bitsValues`. */
  private scanBitsKey = 0;
  private scanEx = 0;
  private scanSh = 0;
  private scanExtra = 0;
  private scanOver = false;
  private scanLin = true;
  private scanNfe = true;
  private scanI10 = true;

  /** Some thread holds writer bits in seq or is mid-update. */
  writerActive(s: RmapState): boolean {
    for (let k = 0; k < s.th.length; k++) if (this.pcFacts[k].active[s.th[k].pc] === 1) return true;
    return false;
  }

  private cowInstantOk(s: RmapState, mm: number): boolean {
    const subs = this.sc.mms[mm].subIds;
    return (
      !this.writerActive(s) &&
      BigInt(s.refcount) === s.mapcount &&
      s.mapcount <= BigInt(this.P) &&
      s.entire === 0 &&
      s.vals.every((v, j) => v === wrap(s.mapcount * subs[j], this.W))
    );
  }

  /** The exact (unbounded) sum of the tracked mappings' sub-IDs, per value. */
  exactSums(s: RmapState): bigint[] {
    // memoized on the tracked array (immutable, shared by next() while unchanged); a copy is
    // returned so that callers may keep or modify it
    if (s.tracked !== this.sumsOf) {
      this.sumsOf = s.tracked;
      this.sums = this.computeSums(s);
    }
    return [...this.sums];
  }
  private sumsOf: readonly number[] | null = null;
  private sums: readonly bigint[] = [];
  /** Some exact sum reaches 2^W (`value-wrapped`), memoized like `exactSums`. */
  private wrapsNow(s: RmapState, mod: bigint): boolean {
    if (s.tracked !== this.wrapsOf) {
      this.wrapsOf = s.tracked;
      this.wraps = this.computeSums(s).some((x) => x >= mod);
    }
    return this.wraps;
  }
  private wrapsOf: readonly number[] | null = null;
  private wraps = false;

  private computeSums(s: RmapState): bigint[] {
    const out = new Array<bigint>(this.V).fill(0n);
    s.tracked.forEach((c, m) => {
      for (let j = 0; j < this.V; j++) out[j] += BigInt(c) * this.sc.mms[m].subIds[j];
    });
    return out;
  }

  // ---------------------------------------------------------------- properties

  private makeProperties(): Property<RmapState>[] {
    const sc = this.sc;
    const P = this.P;
    const W = this.W;
    const L = sc.layout;
    const ops = sc.threads.flatMap((t) => t.ops);
    const hasReader = ops.some((o) => o.kind === 'mapped-shared');
    const hasCow = ops.some((o) => o.kind === 'cow-reuse');
    const hasRemap = ops.some((o) => o.kind === 'remap-pmd');
    const writerKinds = ['map', 'unmap', 'map-pmd', 'unmap-pmd', 'remap-pmd', 'fork'];
    const hasWriter = ops.some((o) => writerKinds.includes(o.kind));
    const props: Property<RmapState>[] = [];
    const always = (name: string, description: string, holds: (s: RmapState) => boolean) =>
      props.push({ name, expectation: 'always', description, holds });
    const mod = modulus(W);

    // I1-I5 given quiet: pure functions of (mapcount, vals, tracked), evaluated together and
    // memoized on those (next() shares unchanged arrays), since every state is checked.
    const givenQuiet: ((s: RmapState) => boolean)[] = [
      (s) => {
        const ex = this.exactSums(s);
        return s.vals.every((v, j) => v === wrap(ex[j], W));
      },
      (s) => s.mapcount !== 0n || s.vals.every((v) => v === 0n),
      (s) => {
        if (s.mapcount !== 1n) return true;
        const m = s.tracked.findIndex((c) => c > 0);
        return this.totalTracked(s) === 1 && s.vals.every((v, j) => v === sc.mms[m].subIds[j]);
      },
      (s) => {
        if (s.mapcount > P) return true;
        return sc.mms.every((q, m) => !s.vals.every((v, j) => v === wrap(s.mapcount * q.subIds[j], W)) || s.tracked.every((c, o) => o === m || c === 0));
      },
      (s) => {
        if (s.mapcount > P) return true;
        const total = this.totalTracked(s);
        return sc.mms.every((q, m) => total === 0 || s.tracked[m] !== total || s.vals.every((v, j) => v === wrap(s.mapcount * q.subIds[j], W)));
      },
    ];
    let memoTracked: readonly number[] | null = null;
    let memoVals: readonly bigint[] | null = null;
    let memoMapcount = -1n;
    let memoMask = 0;
    const quietMask = (s: RmapState): number => {
      if (s.tracked !== memoTracked || s.vals !== memoVals || s.mapcount !== memoMapcount) {
        memoMask = 0;
        for (let k = 0; k < givenQuiet.length; k++) if (givenQuiet[k](s)) memoMask |= 1 << k;
        memoTracked = s.tracked;
        memoVals = s.vals;
        memoMapcount = s.mapcount;
      }
      return memoMask;
    };
    const quietOk = (s: RmapState, n: number): boolean => (quietMask(s) & (1 << n)) !== 0;
    always('I1', 'at every quiet moment val_j == sum over tracked mappings of s_j(mm) (mod 2^W)', (s) => !this.quiet(s) || quietOk(s, 0));
    always('I2', 'at every quiet moment mapcount 0 implies every value is 0', (s) => !this.quiet(s) || quietOk(s, 1));
    always('I3', 'at every quiet moment mapcount 1 implies one tracked mapping whose MM\'s sub-IDs are the values', (s) => !this.quiet(s) || quietOk(s, 2));
    always('I4', 'soundness: at every quiet moment with mapcount <= P, values matching MM q imply no other MM is tracked', (s) => !this.quiet(s) || quietOk(s, 3));
    always('I5', 'completeness: at every quiet moment, if only q is tracked and mapcount <= P, the values match q', (s) => !this.quiet(s) || quietOk(s, 4));
    // the expected seq, recomputed (BigInt) only when the writer bits held or `ends` change
    let i6Ends = -1n;
    let i6Key = -1;
    let i6Seq = 0n;
    const i6 = (s: RmapState): boolean => {
      this.scan(s);
      if (s.ends !== i6Ends || this.scanBitsKey !== i6Key || !this.bitsKeyExact) {
        let bits = 0n;
        for (let k = 0; k < s.th.length; k++) bits += this.pcFacts[k].bits[s.th[k].pc];
        i6Ends = s.ends;
        i6Key = this.scanBitsKey;
        i6Seq = wrap(s.ends * L.step + bits, L.width);
      }
      return s.seq === i6Seq;
    };
    always('I6', 'seq == finished sections * STEP + the writer bits of the writers in progress (mod 2^width): writer bits 0 when none is active', i6);
    always('I7', 'at most one exclusive writer, and no shared write body overlaps it', (s) => {
      this.scan(s);
      return this.scanEx === 0 || (this.scanEx === 1 && this.scanSh === 0);
    });
    always('I8', 'refcount >= mapcount at all times', (s) => s.mapcount <= s.refcount); // exact: bigint vs number
    always('I9', 'refcount == mapcount + references taken before a map / dropped after an unmap + other references', (s) => {
      this.scan(s);
      // mapcount == refcount - extra, compared exactly (bigint vs number) without a BigInt
      const r = s.refcount - this.scanExtra;
      return s.mapcount <= r && s.mapcount >= r;
    });
    if (hasCow)
      always('I10', 'COW reuse only after a validated instant with refcount == mapcount <= P, no entire mapping, matching values, no writer; and no other MM maps the page when it reuses', (s) => {
        this.scan(s);
        return this.scanI10;
      });
    always('I11', 'mapcount exceeds P only inside a PMD remap (between its batched map and the PMD\'s removal)', (s) =>
      s.mapcount <= P || (this.scan(s), this.scanOver),
    );
    if (hasReader) {
      always('linearizable', 'a folio_mapped_shared answer equals the ideal decision for the tracked mappings at some instant of its read window', (s) => {
        this.scan(s);
        return this.scanLin;
      });
      always('no-false-exclusive', '"exclusive" only if at some instant of the read window no other MM had the folio in its page tables', (s) => {
        this.scan(s);
        return this.scanNfe;
      });
    }
    // firstViolated (checker/fast.ts): the checks above in their order, with one scan
    const names = ['I1', 'I2', 'I3', 'I4', 'I5', 'I6', 'I7', 'I8', 'I9', ...(hasCow ? ['I10'] : []), 'I11', ...(hasReader ? ['linearizable', 'no-false-exclusive'] : [])];
    internalAssert(names.join() === props.map((p) => p.name).join(), 'rmap firstViolated: the always properties changed');
    this.alwaysNames = names;
    this.firstViolated = (s) => {
      this.scan(s);
      if (this.scanQuiet) {
        const mask = quietMask(s);
        if (mask !== 31) for (let k = 0; k < 5; k++) if ((mask & (1 << k)) === 0) return names[k];
      }
      if (!i6(s)) return 'I6';
      if (!(this.scanEx === 0 || (this.scanEx === 1 && this.scanSh === 0))) return 'I7';
      if (!(s.mapcount <= s.refcount)) return 'I8';
      const r = s.refcount - this.scanExtra;
      if (!(s.mapcount <= r && s.mapcount >= r)) return 'I9';
      if (hasCow && !this.scanI10) return 'I10';
      if (!(s.mapcount <= P || this.scanOver)) return 'I11';
      if (hasReader) {
        if (!this.scanLin) return 'linearizable';
        if (!this.scanNfe) return 'no-false-exclusive';
      }
      return null;
    };
    // eventually: every thread that does not repeat finishes
    sc.threads.forEach((th, k) => {
      if (th.repeat) return;
      props.push({
        name: `finishes:${th.name}`,
        expectation: 'eventually',
        description: `thread ${th.name} finishes all its operations`,
        holds: (s) => s.th[k].pc >= this.programs[k].ins.length,
        thread: k,
      });
    });
    // sometimes
    const seqOn = this.bug !== 'no-seqcount';
    const defaults: Record<(typeof SOMETIMES)[number], boolean> = {
      'reader-retried': hasReader && hasWriter && seqOn,
      'exclusive-writer': hasWriter && L.variant !== 'v1' && seqOn && this.bug !== 'reread',
      'value-wrapped': this.canWrap(),
      'mapcount-P+1': hasRemap,
      'cow-reused': hasCow,
    };
    const P1 = BigInt(P + 1);
    const chosen = SOMETIMES.filter((n) => defaults[n] && !sc.notReached.includes(n));
    const sometimes: Record<(typeof SOMETIMES)[number], (s: RmapState) => boolean> = {
      // from the memoized scan (the loop asks them of every state until they are reached)
      'reader-retried': (s) => (this.scan(s), this.scanRetried),
      'exclusive-writer': (s) => (this.scan(s), this.scanEx > 0),
      'value-wrapped': (s) => this.wrapsNow(s, mod),
      'mapcount-P+1': (s) => s.mapcount === P1,
      'cow-reused': (s) => (this.scan(s), this.scanReused),
    };
    const desc: Record<(typeof SOMETIMES)[number], string> = {
      'reader-retried': 'some reader went back to begin (its retry check failed)',
      'exclusive-writer': 'some writer took the exclusive path',
      'value-wrapped': 'the exact sum of some value exceeded 2^W (the stored value wrapped around)',
      'mapcount-P+1': 'the mapcount reached P + 1 (PMD remap)',
      'cow-reused': 'a COW fault reused the page',
    };
    for (const n of chosen) props.push({ name: n, expectation: 'sometimes', description: desc[n as (typeof SOMETIMES)[number]], holds: sometimes[n as (typeof SOMETIMES)[number]] });
    return props;
  }

  /** A value can exceed 2^W: (P + 1) times some MM's largest sub-ID does not fit the word. */
  private canWrap(): boolean {
    const mod = modulus(this.W);
    return this.sc.mms.some((m) => m.subIds.some((x) => BigInt(this.P + 1) * x >= mod));
  }

  // ---------------------------------------------------------------- printing

  key(s: RmapState): string {
    const b = bigStr;
    let k = `${b(s.seq)}|${s.mapcount}|${s.vals.map(b).join(',')}|${s.refcount}|${s.entire}|${s.pageMap.join(',')}|${s.tracked.join(',')}|${s.ptes.join(',')}|${s.pmds.join(',')}|${b(s.ends)}|${s.published ? 1 : 0}`;
    for (const x of s.th) k += `|${x.pc},${b(x.s)},${b(x.t)},${b(x.rm)},${x.eq},${x.rv.map(b).join(':')},${x.g},${x.ans}`;
    return k;
  }

  /** 64-bit hash of the fields `key` prints (so a function of the key), without building the
   *  key string: the explorer's coverage count and the fingerprint store call it per state. */
  fingerprint(s: RmapState, out: Uint32Array): void {
    const c = this.fpShared;
    if (
      c === null ||
      c.seq !== s.seq ||
      c.mapcount !== s.mapcount ||
      c.vals !== s.vals ||
      c.refcount !== s.refcount ||
      c.entire !== s.entire ||
      c.pageMap !== s.pageMap ||
      c.tracked !== s.tracked ||
      c.ptes !== s.ptes ||
      c.pmds !== s.pmds ||
      c.ends !== s.ends ||
      c.published !== s.published
    ) {
      // the folio's fields, remembered for the next state (a reader's step changes none)
      H1 = 0xdeadbeef;
      H2 = 0x41c6ce57;
      mixBig(s.seq);
      mixBig(s.mapcount);
      mixBigArray(s.vals);
      mix(s.refcount);
      mix(s.entire);
      this.mixSlot(0, s.pageMap);
      this.mixSlot(1, s.tracked);
      this.mixPtes(s.ptes);
      this.mixSlot(3, s.pmds);
      mixBig(s.ends);
      mix(s.published ? 1 : 0);
      this.fpShared = s;
      this.fpSharedH1 = H1;
      this.fpSharedH2 = H2;
    }
    H1 = this.fpSharedH1;
    H2 = this.fpSharedH2;
    const th = s.th;
    const seen = this.fpThreads;
    const sub = this.fpThreadHash;
    mix(th.length);
    for (let k = 0; k < th.length; k++) {
      const x = th[k];
      // a thread's sub-hash, cached per thread slot: next() changes one or two per step
      if (seen[k] !== x) {
        const o1 = H1;
        const o2 = H2;
        H1 = 0x2545f491;
        H2 = 0x4f6cdd1d;
        mix(x.pc);
        mixBig(x.s);
        mixBig(x.t);
        mixBig(x.rm);
        mix(x.eq);
        const rv = x.rv;
        mix(rv.length);
        for (let j = 0; j < rv.length; j++) mixBig(rv[j]);
        mix(x.g);
        mix(x.ans);
        seen[k] = x;
        sub[2 * k] = H1;
        sub[2 * k + 1] = H2;
        H1 = o1;
        H2 = o2;
      }
      mix(sub[2 * k]);
      mix(sub[2 * k + 1]);
    }
    fingerprintFinish(H1, H2, out);
  }
  private readonly fpThreads: (ThreadState | null)[] = [];
  /** The last state whose folio fields were mixed, and the accumulators after them. */
  private fpShared: RmapState | null = null;
  private fpSharedH1 = 0;
  private fpSharedH2 = 0;
  /** Per array field, the last array hashed and its sub-hash (arrays are shared while unchanged). */
  private readonly fpArrays: (readonly number[] | null)[] = [null, null, null, null];
  private readonly fpArrayHash = new Int32Array(8);
  private mixSlot(slot: number, a: readonly number[]): void {
    const h = this.fpArrayHash;
    if (this.fpArrays[slot] !== a) {
      const o1 = H1;
      const o2 = H2;
      H1 = 0x510e527f;
      H2 = 0x1f83d9ab;
      mixArray(a);
      h[2 * slot] = H1;
      h[2 * slot + 1] = H2;
      this.fpArrays[slot] = a;
      H1 = o1;
      H2 = o2;
    }
    mix(h[2 * slot]);
    mix(h[2 * slot + 1]);
  }
  private readonly fpThreadHash: Int32Array;
  /** mixSlot(2, the flat M*P table) of the reference layout, from the rows: the same words
   *  (`mixArray`), with a large table's sub-hash the lane-wise sum of its rows' sub-hashes. */
  private mixPtes(rows: readonly (readonly number[])[]): void {
    const h = this.fpArrayHash;
    if (this.fpPtes !== rows) {
      const o1 = H1;
      const o2 = H2;
      H1 = 0x510e527f;
      H2 = 0x1f83d9ab;
      const n = this.M * this.P;
      mix(n);
      if (n < BIG_ARRAY) {
        for (let m = 0; m < rows.length; m++) for (let p = 0; p < rows[m].length; p++) mix(rows[m][p]);
      } else {
        let a = 0;
        let b = 0;
        for (let m = 0; m < rows.length; m++) {
          const r = rowHash(rows[m], m * this.P);
          a = (a + r[0]) >>> 0;
          b = (b + r[1]) >>> 0;
        }
        mix(a);
        mix(b);
      }
      h[4] = H1;
      h[5] = H2;
      this.fpPtes = rows;
      H1 = o1;
      H2 = o2;
    }
    mix(h[4]);
    mix(h[5]);
  }
  private fpPtes: readonly (readonly number[])[] | null = null;

  describe(a: RmapAction): ActionInfo {
    // one shared (readonly) ActionInfo per (thread, pc): race insertion asks it every step
    const infos = this.infos[a.thread];
    const hit = infos?.[a.pc];
    if (hit !== undefined) return hit;
    const i = this.insAt(a.thread, a.pc);
    if (i === undefined) internalAssert(false, `no instruction at ${a.thread}@${a.pc}`);
    const info: ActionInfo = { thread: a.thread, label: i.label, reads: i.reads, writes: i.writes, tags: i.tags };
    if (infos !== undefined) infos[a.pc] = info;
    return info;
  }
  private readonly infos: (ActionInfo | undefined)[][];

  /** `describe(a).thread` (checker/random/fast.ts). */
  actionThread(a: RmapAction): number {
    return a.thread;
  }

  view(s: RmapState): Readonly<Record<string, string>> {
    const L = this.sc.layout;
    const P = this.P;
    const out: Record<string, string> = {};
    const wb = BigInt(L.writerBits);
    const shared = s.seq & L.sharedMask;
    const excl = L.exclMask !== null ? (s.seq & L.exclMask) / (L.excl ?? 1n) : 0n;
    out.seq = `${hexWord(s.seq, L.width)} (sequence ${s.seq >> wb}, shared writers ${shared}${L.exclMask !== null ? `, exclusive ${excl}` : ''})`;
    out.mapcount = s.mapcount.toString();
    out.refcount = String(s.refcount);
    out.entire = String(s.entire);
    out.pagesMapped = `${s.pageMap.filter((c) => c > 0).length} (page mapcounts ${s.pageMap.join(' ')})`;
    s.vals.forEach((v, j) => (out[`val${j}`] = hexWord(v, this.W)));
    out.tracked = this.sc.mms.map((m, k) => `${m.name}:${s.tracked[k]}`).join(' ');
    out.pageTables = this.sc.mms
      .map((m, k) => {
        const pages = [];
        for (let p = 0; p < P; p++) if (s.ptes[k][p] > 0) pages.push(s.ptes[k][p] > 1 ? `${p}x${s.ptes[k][p]}` : `${p}`);
        const parts = [];
        if (pages.length) parts.push(`pte ${pages.join(',')}`);
        if (s.pmds[k] > 0) parts.push('pmd');
        return `${m.name}: ${parts.length ? parts.join(' + ') : '-'}`;
      })
      .join('; ');
    s.th.forEach((x, k) => {
      const i = this.insAt(k, x.pc);
      const parts = [i ? `at: ${i.label}` : 'done'];
      if (x.s !== 0n) parts.push(`s=${hexWord(x.s, L.width)}`);
      if (x.t !== 0n) parts.push(`t=${x.t}`);
      if (x.rm !== 0n) parts.push(`mapcount read=${x.rm}`);
      if (x.eq !== 0) parts.push('values match so far');
      if (x.rv.length) parts.push(`first read=${x.rv.map((v) => hexWord(v, this.W)).join(',')}`);
      if (x.ans !== ANS_NONE) parts.push(`answer=${ANS_TEXT[x.ans]}`);
      if (x.g !== 0) parts.push(`ghost=${ghostText(x.g)}`);
      out[this.threads[k]] = parts.join('; ');
    });
    return out;
  }
}

// ---------------------------------------------------------------- fingerprint mixing
// Module-level accumulators: no closure or tuple per mixed word.
let H1 = 0;
let H2 = 0;
function mix(c: number): void {
  H1 = Math.imul(H1 ^ c, 2654435761);
  H2 = Math.imul(H2 ^ c, 1597334677);
}
const TWO53 = 1n << 53n;
const TWO64 = 1n << 64n;
const BIG_SPLIT = new BigUint64Array(1);
/** Little-endian halves of BIG_SPLIT[0] (Node runs on little-endian hosts; checked below). */
const WORD_SPLIT = new Uint32Array(BIG_SPLIT.buffer);
BIG_SPLIT[0] = 1n;
internalAssert(WORD_SPLIT[0] === 1, 'mixBig: big-endian host');
/** Mixes a BigInt as 32-bit words (exact: no precision is lost). */
function mixBig(x: bigint): void {
  if (x === 0n) {
    mix(0);
    mix(0);
    return;
  }
  if (x > 0n && x < TWO53) {
    const n = Number(x);
    mix(n >>> 0);
    mix((n / 4294967296) >>> 0);
    return;
  }
  if (x > 0n && x < TWO64) {
    // the loop below's words for 2^53 <= x < 2^64 (low, high, end mark), read through a
    // BigUint64Array view instead of BigInt shifts that allocate
    BIG_SPLIT[0] = x;
    mix(WORD_SPLIT[0]);
    mix(WORD_SPLIT[1]);
    mix(0x40000000);
    return;
  }
  let y = x;
  while (y !== 0n && y !== -1n) {
    mix(Number(BigInt.asUintN(32, y)));
    y >>= 32n;
  }
  mix(y === -1n ? 0x80000000 : 0x40000000);
}
/** The sub-hash of the last value array mixed (next() shares it while unchanged). A miss is
 *  recomputed (V words, split without allocating) rather than kept in a WeakMap: the map's
 *  lookups and ephemeron entries cost more than the words. */
let lastBigArray: readonly bigint[] | null = null;
let lastBigH1 = 0;
let lastBigH2 = 0;
function mixBigArray(a: readonly bigint[]): void {
  if (a !== lastBigArray) {
    const o1 = H1;
    const o2 = H2;
    H1 = 0x6a09e667;
    H2 = 0x3c6ef372;
    mix(a.length);
    for (let i = 0; i < a.length; i++) mixBig(a[i]);
    lastBigArray = a;
    lastBigH1 = H1;
    lastBigH2 = H2;
    H1 = o1;
    H2 = o2;
  }
  mix(lastBigH1);
  mix(lastBigH2);
}

/** Hashes of large arrays by identity: next() shares untouched arrays with the parent, so an
 *  order-9 folio's ptes/pageMap are hashed once per copy rather than once per state. */
const ARRAY_HASH = new WeakMap<readonly number[], Uint32Array>();
const BIG_ARRAY = 48;
function mixArray(a: readonly number[]): void {
  mix(a.length);
  if (a.length < BIG_ARRAY) {
    for (let i = 0; i < a.length; i++) mix(a[i]);
    return;
  }
  let h = ARRAY_HASH.get(a);
  if (h === undefined) {
    h = new Uint32Array(2);
    for (let i = 0; i < a.length; i++) if (a[i] !== 0) addEntry(h, i, a[i], 1);
    ARRAY_HASH.set(a, h);
  }
  mix(h[0]);
  mix(h[1]);
}

/** A large array's sub-hash is a sum over its non-zero entries of a mixed (index, value), per
 *  lane: so next() can derive a copy's sub-hash from its parent's in O(changed entries). */
function addEntry(h: Uint32Array, i: number, v: number, sign: 1 | -1): void {
  const x = (i << 16) ^ v;
  h[0] += sign * fmix32(x ^ 0x3c6ef372);
  h[1] += sign * fmix32(Math.imul(x, 0x2545f491) ^ 0x6a09e667);
}
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
/** `next` made `copy` from `old` changing the entries at `at` (or `count` entries from `from`):
 *  give it a sub-hash if `old` has one. */
function deriveHash(old: readonly number[], copy: readonly number[], from: number, count: number, at: readonly number[] | null): void {
  if (old.length < BIG_ARRAY) return;
  const h0 = ARRAY_HASH.get(old);
  if (h0 === undefined) return;
  // a repeated index would be counted twice: leave such a copy to be hashed in full
  if (at) for (let k = 1; k < at.length; k++) if (at[k] <= at[k - 1]) return;
  const h = Uint32Array.of(h0[0], h0[1]);
  const n = at ? at.length : count;
  for (let k = 0; k < n; k++) {
    const i = at ? from + at[k] : from + k;
    if (old[i] !== 0) addEntry(h, i, old[i], -1);
    if (copy[i] !== 0) addEntry(h, i, copy[i], 1);
  }
  ARRAY_HASH.set(copy, h);
}

/** Sub-hashes of PTE rows (`addEntry` sums at their flat indices from `from`), by identity: a
 *  row object stays at one MM, so its offset is fixed. */
const ROW_HASH = new WeakMap<readonly number[], Uint32Array>();
function rowHash(row: readonly number[], from: number): Uint32Array {
  let h = ROW_HASH.get(row);
  if (h === undefined) {
    h = new Uint32Array(2);
    for (let p = 0; p < row.length; p++) if (row[p] !== 0) addEntry(h, from + p, row[p], 1);
    ROW_HASH.set(row, h);
  }
  return h;
}
/** As `deriveHash`, for a PTE row copied by next() (row indices; `from` the row's offset). */
function deriveRowHash(old: readonly number[], copy: readonly number[], from: number, count: number, at: readonly number[] | null): void {
  const h0 = ROW_HASH.get(old);
  if (h0 === undefined) return;
  if (at) for (let k = 1; k < at.length; k++) if (at[k] <= at[k - 1]) return;
  const h = Uint32Array.of(h0[0], h0[1]);
  const n = at ? at.length : count;
  for (let k = 0; k < n; k++) {
    const i = at ? at[k] : k;
    if (old[i] !== 0) addEntry(h, from + i, old[i], -1);
    if (copy[i] !== 0) addEntry(h, from + i, copy[i], 1);
  }
  ROW_HASH.set(copy, h);
}

/** BigInt.toString is the hot spot of `key`: small words are cached. */
const BIG_CACHE = new Map<bigint, string>();
function bigStr(x: bigint): string {
  if (x === 0n) return '0';
  let t = BIG_CACHE.get(x);
  if (t === undefined) {
    t = x.toString(36);
    if (BIG_CACHE.size < 1 << 16) BIG_CACHE.set(x, t);
  }
  return t;
}

function ghostText(g: number): string {
  const n: string[] = [];
  if (g & G_WIN) n.push('in-window');
  if (g & G_CAN_EX) n.push('exclusive-was-right');
  if (g & G_CAN_SH) n.push('shared-was-right');
  if (g & G_PTE_EX) n.push('no-other-pte-seen');
  if (g & G_RETRIED) n.push('retried');
  if (g & G_COW_OK) n.push('cow-instant-ok');
  if (g & G_REUSE_SAFE) n.push('reuse-safe');
  return n.join(',');
}
