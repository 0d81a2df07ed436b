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
import { hexWord, wrap } from '../word';
import type { Bug, Ins, Program } from './program';
import { compileThread } from './program';
import type { Scenario } from './scenario';

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
  /** [mm * P + page] PTE counts. */
  readonly ptes: readonly number[];
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

const ZERO_THREAD: ThreadState = { pc: 0, s: 0n, t: 0n, rm: 0n, eq: 0, rv: [], g: 0, ans: 0 };

export interface RmapModelOptions {
  readonly scenario: Scenario;
  readonly bug: Bug | null;
  readonly params: Readonly<Record<string, string | number | boolean>>;
}

/** Names of the `sometimes` properties, and when a scenario has them by default. */
export const SOMETIMES = ['reader-retried', 'exclusive-writer', 'value-wrapped', 'mapcount-P+1', 'cow-reused'] as const;

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

  constructor(opts: RmapModelOptions) {
    this.sc = opts.scenario;
    this.bug = opts.bug;
    this.params = opts.params;
    this.P = this.sc.pages;
    this.V = this.sc.scheme.values;
    this.W = this.sc.scheme.wordBits;
    this.M = this.sc.mms.length;
    this.threads = this.sc.threads.map((t) => t.name);
    this.programs = this.sc.threads.map((t) => compileThread(this.sc, t.ops, t.repeat, this.bug));
    this.exits = this.programs.map((prog) =>
      Array.from({ length: prog.ins.length ? prog.ins[prog.ins.length - 1].op + 1 : 0 }, (_, op) => {
        let pc = prog.ins.findIndex((x) => x.op > op);
        if (pc < 0) pc = prog.ins.length;
        return pc === prog.ins.length && prog.repeat ? 0 : pc;
      }),
    );
    this.properties = this.makeProperties();
  }

  // ---------------------------------------------------------------- states and actions

  initStates(): readonly RmapState[] {
    const sc = this.sc;
    const P = this.P;
    const tracked = sc.mms.map((_, m) => sc.initialPtes[m].reduce((a, b) => a + b, 0) + sc.initialPmds[m]);
    const total = tracked.reduce((a, b) => a + b, 0);
    const vals = new Array<bigint>(this.V).fill(0n);
    tracked.forEach((c, m) => {
      for (let j = 0; j < this.V; j++) vals[j] = wrap(vals[j] + BigInt(c) * sc.mms[m].subIds[j], this.W);
    });
    const pageMap = new Array<number>(P).fill(0);
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
        ptes: sc.initialPtes.flatMap((r) => [...r]),
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
    const i = this.insAt(t, s.th[t].pc);
    if (!i) return false;
    if (!s.published && !this.programs[t].ins.some((x) => x.publish)) return false;
    const L = this.sc.layout;
    if (i.kind === 'swait') return (s.seq & (L.exclMask ?? 0n)) === 0n;
    if (i.kind === 'rBegin') return i.noWait || (s.seq & L.writersMask) === 0n;
    return true;
  }

  actions(s: RmapState): readonly RmapAction[] {
    const out: RmapAction[] = [];
    for (let t = 0; t < s.th.length; t++) if (this.enabled(s, t)) out.push({ thread: t, pc: s.th[t].pc });
    return out;
  }

  finished(s: RmapState): boolean {
    return s.th.every((x, t) => x.pc >= this.programs[t].ins.length);
  }

  next(s0: RmapState, a: RmapAction): RmapState {
    const i = this.insAt(a.thread, a.pc);
    internalAssert(i !== undefined && s0.th[a.thread].pc === a.pc, `action ${a.thread}@${a.pc} is not enabled`);
    const sc = this.sc;
    const L = sc.layout;
    const P = this.P;
    const W = this.W;
    const width = L.width;
    const seqBitsMod = 1n << BigInt(L.seqBits);
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
    const subs = mm >= 0 ? sc.mms[mm].subIds : [];
    const setVal = (j: number, v: bigint) => {
      const c = [...vals];
      c[j] = wrap(v, W);
      vals = c;
    };
    const track = (d: number) => {
      const c = [...tracked];
      c[mm] += d;
      tracked = c;
    };
    const matches = (j: number, n: bigint) => vals[j] === wrap(n * subs[j], W);
    const answer = (x: number) => {
      ans = x;
      g &= ~G_WIN;
      s = 0n;
      rm = 0n;
      eq = 0;
      rv = [];
      pc = this.exitOf(a.thread, i);
    };
    const retry = (target: number) => {
      g |= G_RETRIED;
      s = 0n;
      rm = 0n;
      eq = 0;
      rv = [];
      pc = target;
    };
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
        const c = [...pageMap];
        for (const p of i.pages) c[p] += i.d;
        pageMap = c;
        break;
      }
      case 'entire':
        entire += i.d;
        break;
      case 'pte': {
        const c = [...ptes];
        for (const p of i.pages) c[mm * P + p] += i.d;
        ptes = c;
        if (i.publish) published = true;
        break;
      }
      case 'pmd': {
        const c = [...pmds];
        c[mm] += i.d;
        pmds = c;
        break;
      }
      case 'populate': {
        const c = [...ptes];
        for (let p = 0; p < P; p++) c[mm * P + p] += 1;
        ptes = c;
        const d = [...pmds];
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
        ends = (ends + 1n) % seqBitsMod;
        break;
      // ------------------------------------------------ protected words
      case 'addMap':
        mapcount += BigInt(i.d);
        track(i.d);
        break;
      case 'addVal':
        setVal(i.j, vals[i.j] + i.v);
        break;
      case 'ldMap':
        t = mapcount;
        break;
      case 'stMap':
        mapcount = t + BigInt(i.d);
        t = 0n;
        track(i.d);
        break;
      case 'ldVal':
        t = vals[i.j];
        break;
      case 'stVal':
        setVal(i.j, t + i.v);
        t = 0n;
        break;
      case 'setMap':
        mapcount = BigInt(i.d);
        track(i.d);
        break;
      case 'setVal':
        setVal(i.j, i.v);
        break;
      // ------------------------------------------------ folio_mapped_shared
      case 'msTotal':
        rm = mapcount;
        if (rm === 1n) answer(ANS_EXCLUSIVE);
        break;
      case 'msEntire':
        if (entire > 0 || rm > BigInt(P)) answer(ANS_SHARED);
        else rm = 0n;
        break;
      case 'rBegin':
        s = seq;
        break;
      case 'rMap':
        rm = mapcount;
        eq = 1;
        if (rm > BigInt(P)) answer(ANS_SHARED);
        break;
      case 'rVal':
        if (i.store) {
          rv = [...rv, vals[i.j]];
        } else if (!matches(i.j, rm)) {
          eq = 0;
          if (i.answers) answer(ANS_SHARED);
          else pc = i.alt;
        } else if (i.last && i.answers) answer(ANS_EXCLUSIVE);
        break;
      case 'rRetry':
        if (seq !== s) retry(i.alt);
        else answer(eq === 1 ? ANS_EXCLUSIVE : ANS_SHARED);
        break;
      case 'rMap2':
        if (mapcount !== rm) retry(i.alt);
        break;
      case 'rVal2':
        if (vals[i.j] !== rv[i.j]) retry(i.alt);
        else if (i.last) answer(rv.every((v, j) => v === wrap(rm * subs[j], W)) ? ANS_EXCLUSIVE : ANS_SHARED);
        break;
      // ------------------------------------------------ wp_can_reuse_anon_folio
      case 'cSeq':
        s = seq;
        if (!i.noWait && (s & L.writersMask) !== 0n) answer(ANS_COPY);
        break;
      case 'cMap':
        rm = mapcount;
        if (rm > BigInt(P)) answer(ANS_COPY);
        break;
      case 'cEntire':
        if (entire > 0) answer(ANS_COPY);
        break;
      case 'cRef':
        if (BigInt(refcount) !== rm) answer(ANS_COPY);
        else if (this.cowInstantOk(s0, mm)) g |= G_COW_OK;
        break;
      case 'cVal':
        if (!matches(i.j, rm)) answer(ANS_COPY);
        else {
          if (i.store) rv = [...rv, vals[i.j]];
          if (i.last && i.answers) this.reuse(s0, i, (x) => (g |= x), answer);
        }
        break;
      case 'cMap2':
        if (mapcount !== rm) answer(ANS_COPY);
        break;
      case 'cVal2':
        if (vals[i.j] !== rv[i.j]) answer(ANS_COPY);
        else if (i.last) this.reuse(s0, i, (x) => (g |= x), answer);
        break;
      case 'cRetry':
        if (seq !== s) answer(ANS_COPY);
        else this.reuse(s0, i, (x) => (g |= x), answer);
        break;
    }

    const th = s0.th.map((x, k) => (k === a.thread ? { pc, s, t, rm, eq, rv, g, ans } : x));
    const next: RmapState = { seq, mapcount, vals, refcount, entire, pageMap, tracked, ptes, pmds, ends, published, th };
    return this.updateWindows(next);
  }

  /** Where a thread goes after answering its current op (the op's exit, folded for repeat). */
  private exitOf(t: number, i: Ins): number {
    return this.exits[t][i.op];
  }

  private reuse(s0: RmapState, i: Ins, setG: (bits: number) => void, answer: (x: number) => void): void {
    const page = i.pages[0];
    let safe = true;
    for (let m = 0; m < this.M; m++) if (m !== i.mm && (s0.ptes[m * this.P + page] > 0 || s0.pmds[m] > 0)) safe = false;
    if (safe) setG(G_REUSE_SAFE);
    answer(ANS_REUSE);
  }

  /** OR the decision of this state into the ghost bits of every reader inside its window. */
  private updateWindows(s: RmapState): RmapState {
    let th: ThreadState[] | null = null;
    for (let k = 0; k < s.th.length; k++) {
      const x = s.th[k];
      if ((x.g & G_WIN) === 0) continue;
      const i = this.insAt(k, x.pc);
      internalAssert(i !== undefined && i.mm >= 0, 'reader in its window without a current op');
      const add = this.windowBits(s, i.mm);
      if ((x.g | add) !== x.g) {
        th ??= [...s.th];
        th[k] = { ...x, g: x.g | add };
      }
    }
    return th ? { ...s, th } : s;
  }

  // ---------------------------------------------------------------- ground truth helpers

  /** The ghost bits one instant contributes to a window of a reader for `mm`. */
  private windowBits(s: RmapState, mm: number): number {
    return (this.idealExclusive(s, mm) ? G_CAN_EX : G_CAN_SH) | (this.pteExclusive(s, mm) ? G_PTE_EX : 0);
  }

  private totalTracked(s: RmapState): number {
    return s.tracked.reduce((a, b) => a + b, 0);
  }

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
    for (let m = 0; m < this.M; m++) {
      if (m === mm) continue;
      if (s.pmds[m] > 0) return false;
      for (let p = 0; p < this.P; p++) if (s.ptes[m * this.P + p] > 0) return false;
    }
    return true;
  }

  /** Some thread is between its mapcount update and its last value update. */
  quiet(s: RmapState): boolean {
    return s.th.every((x, k) => !(this.insAt(k, x.pc)?.mid ?? false));
  }

  /** Some thread holds writer bits in seq or is mid-update. */
  writerActive(s: RmapState): boolean {
    return s.th.some((x, k) => {
      const i = this.insAt(k, x.pc);
      return i !== undefined && (i.bits !== 0n || i.mid);
    });
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
    const mod = 1n << BigInt(W);

    always('I1', 'at every quiet moment val_j == sum over tracked mappings of s_j(mm) (mod 2^W)', (s) => {
      if (!this.quiet(s)) return true;
      const ex = this.exactSums(s);
      return s.vals.every((v, j) => v === wrap(ex[j], W));
    });
    always('I2', 'at every quiet moment mapcount 0 implies every value is 0', (s) => !this.quiet(s) || s.mapcount !== 0n || s.vals.every((v) => v === 0n));
    always('I3', 'at every quiet moment mapcount 1 implies one tracked mapping whose MM\'s sub-IDs are the values', (s) => {
      if (!this.quiet(s) || s.mapcount !== 1n) return true;
      const m = s.tracked.findIndex((c) => c > 0);
      return this.totalTracked(s) === 1 && s.vals.every((v, j) => v === sc.mms[m].subIds[j]);
    });
    always('I4', 'soundness: at every quiet moment with mapcount <= P, values matching MM q imply no other MM is tracked', (s) => {
      if (!this.quiet(s) || s.mapcount > BigInt(P)) return true;
      return sc.mms.every((q, m) => !s.vals.every((v, j) => v === wrap(s.mapcount * q.subIds[j], W)) || s.tracked.every((c, o) => o === m || c === 0));
    });
    always('I5', 'completeness: at every quiet moment, if only q is tracked and mapcount <= P, the values match q', (s) => {
      if (!this.quiet(s) || s.mapcount > BigInt(P)) return true;
      const total = this.totalTracked(s);
      return sc.mms.every((q, m) => total === 0 || s.tracked[m] !== total || s.vals.every((v, j) => v === wrap(s.mapcount * q.subIds[j], W)));
    });
    always('I6', 'seq == finished sections * STEP + the writer bits of the writers in progress (mod 2^width): writer bits 0 when none is active', (s) => {
      let bits = 0n;
      s.th.forEach((x, k) => (bits += this.insAt(k, x.pc)?.bits ?? 0n));
      return s.seq === wrap(s.ends * L.step + bits, L.width);
    });
    always('I7', 'at most one exclusive writer, and no shared write body overlaps it', (s) => {
      let ex = 0;
      let sh = 0;
      s.th.forEach((x, k) => {
        const i = this.insAt(k, x.pc);
        if (i?.excl) ex++;
        if (i?.sbody) sh++;
      });
      return ex === 0 || (ex === 1 && sh === 0);
    });
    always('I8', 'refcount >= mapcount at all times', (s) => BigInt(s.refcount) >= s.mapcount);
    always('I9', 'refcount == mapcount + references taken before a map / dropped after an unmap + other references', (s) => {
      let extra = 0;
      s.th.forEach((x, k) => {
        const i = this.insAt(k, x.pc);
        extra += i ? i.extra : this.programs[k].extraDone;
      });
      return BigInt(s.refcount) === s.mapcount + BigInt(extra);
    });
    if (hasCow)
      always('I10', 'COW reuse only after a validated instant with refcount == mapcount <= P, no entire mapping, matching values, no writer; and no other MM maps the page when it reuses', (s) =>
        s.th.every((x) => x.ans !== ANS_REUSE || ((x.g & G_COW_OK) !== 0 && (x.g & G_REUSE_SAFE) !== 0)),
      );
    always('I11', 'mapcount exceeds P only inside a PMD remap (between its batched map and the PMD\'s removal)', (s) =>
      s.mapcount <= BigInt(P) || s.th.some((x, k) => this.insAt(k, x.pc)?.over ?? false),
    );
    if (hasReader) {
      always('linearizable', 'a folio_mapped_shared answer equals the ideal decision for the tracked mappings at some instant of its read window', (s) =>
        s.th.every((x) => (x.ans !== ANS_EXCLUSIVE || (x.g & G_CAN_EX) !== 0) && (x.ans !== ANS_SHARED || (x.g & G_CAN_SH) !== 0)),
      );
      always('no-false-exclusive', '"exclusive" only if at some instant of the read window no other MM had the folio in its page tables', (s) =>
        s.th.every((x) => x.ans !== ANS_EXCLUSIVE || (x.g & G_PTE_EX) !== 0),
      );
    }
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
    const chosen = SOMETIMES.filter((n) => defaults[n] && !sc.notReached.includes(n));
    const sometimes: Record<(typeof SOMETIMES)[number], (s: RmapState) => boolean> = {
      'reader-retried': (s) => s.th.some((x) => (x.g & G_RETRIED) !== 0),
      'exclusive-writer': (s) => s.th.some((x, k) => this.insAt(k, x.pc)?.excl ?? false),
      'value-wrapped': (s) => this.exactSums(s).some((x) => x >= mod),
      'mapcount-P+1': (s) => s.mapcount === BigInt(P + 1),
      'cow-reused': (s) => s.th.some((x) => x.ans === ANS_REUSE),
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
    const mod = 1n << BigInt(this.W);
    return this.sc.mms.some((m) => m.subIds.some((x) => BigInt(this.P + 1) * x >= mod));
  }

  // ---------------------------------------------------------------- printing

  key(s: RmapState): string {
    const b = bigStr;
    let k = `${b(s.seq)}|${s.mapcount}|${s.vals.map(b).join(',')}|${s.refcount}|${s.entire}|${s.pageMap.join(',')}|${s.tracked.join(',')}|${s.ptes.join(',')}|${s.pmds.join(',')}|${b(s.ends)}|${s.published ? 1 : 0}`;
    for (const x of s.th) k += `|${x.pc},${b(x.s)},${b(x.t)},${b(x.rm)},${x.eq},${x.rv.map(b).join(':')},${x.g},${x.ans}`;
    return k;
  }

  describe(a: RmapAction): ActionInfo {
    const i = this.insAt(a.thread, a.pc);
    internalAssert(i !== undefined, `no instruction at ${a.thread}@${a.pc}`);
    return { thread: a.thread, label: i.label, reads: i.reads, writes: i.writes, tags: i.tags };
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
        for (let p = 0; p < P; p++) if (s.ptes[k * P + p] > 0) pages.push(s.ptes[k * P + p] > 1 ? `${p}x${s.ptes[k * P + p]}` : `${p}`);
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
