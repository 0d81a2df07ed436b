/**
 * The rmap model's state (rmap-ops.md): the folio's words, the ghost state the properties judge
 * against, and one record per thread; its construction from a scenario and its canonical key.
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
 *
 * States are immutable: `next` (step.ts) returns a fresh state and shares unchanged arrays.
 */
import { wrap } from '../word';
import type { Bug, Program } from './program';
import type { Scenario } from './scenario';

export interface ThreadState {
  /** Index of the thread's next instruction (its program's length: finished). */
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
  /** [mm][page] PTE counts. */
  readonly ptes: readonly (readonly number[])[];
  readonly pmds: readonly number[];
  readonly ends: bigint;
  /** False while a new anonymous folio is not yet mapped (only its thread may run). */
  readonly published: boolean;
  readonly th: readonly ThreadState[];
}

/** One instruction of one thread: the one at `pc` of thread `thread`. */
export interface RmapAction {
  readonly thread: number;
  readonly pc: number;
}

export const ANS_NONE = 0;
export const ANS_EXCLUSIVE = 1;
export const ANS_SHARED = 2;
export const ANS_REUSE = 3;
export const ANS_COPY = 4;

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

/** A built model's static part: its scenario, broken variant and compiled threads. */
export interface Rmap {
  readonly sc: Scenario;
  readonly bug: Bug | null;
  readonly programs: readonly Program[];
}

export const ZERO_THREAD: ThreadState = { pc: 0, s: 0n, t: 0n, rm: 0n, eq: 0, rv: [], g: 0, ans: 0 };

/** The scenario's initial mappings, each tracked and holding one folio reference; no thread has
 *  started. */
export function initialState(m: Rmap): RmapState {
  const sc = m.sc;
  const V = sc.scheme.values;
  const tracked = sc.mms.map((_, k) => sc.initialPtes[k].reduce((a, b) => a + b, 0) + sc.initialPmds[k]);
  const total = tracked.reduce((a, b) => a + b, 0);
  const vals = Array.from({ length: V }, () => 0n);
  tracked.forEach((c, k) => {
    for (let j = 0; j < V; j++) vals[j] = wrap(vals[j] + BigInt(c) * sc.mms[k].subIds[j], sc.scheme.wordBits);
  });
  const pageMap = Array.from({ length: sc.pages }, () => 0);
  sc.initialPtes.forEach((row) => row.forEach((c, p) => (pageMap[p] += c)));
  return {
    seq: 0n,
    mapcount: BigInt(total),
    vals,
    refcount: total,
    entire: sc.initialPmds.reduce((a, b) => a + b, 0),
    pageMap,
    tracked,
    ptes: sc.initialPtes.map((r) => Array.from(r)),
    pmds: [...sc.initialPmds],
    ends: 0n,
    // a new anonymous folio is published by its first PTE step
    published: !m.programs.some((p) => p.ins.some((i) => i.publish)),
    th: m.programs.map(() => ZERO_THREAD),
  };
}

const b36 = (x: bigint): string => x.toString(36);

/** Every field, in a fixed order (equal states, equal keys). */
export function stateKey(s: RmapState): string {
  let k = `${b36(s.seq)}|${s.mapcount}|${s.vals.map(b36).join(',')}|${s.refcount}|${s.entire}|${s.pageMap.join(',')}|${s.tracked.join(',')}|${s.ptes.join(',')}|${s.pmds.join(',')}|${b36(s.ends)}|${s.published ? 1 : 0}`;
  for (const x of s.th) k += `|${x.pc},${b36(x.s)},${b36(x.t)},${b36(x.rm)},${x.eq},${x.rv.map(b36).join(':')},${x.g},${x.ans}`;
  return k;
}
