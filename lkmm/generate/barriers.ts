/**
 * Which barriers of a litmus program are necessary (issue #13's sensitivity rule): each ordering
 * site removed or weakened in turn — a fence removed; a full, acquire or release RMW made
 * `_relaxed`; an acquire load / release store made a plain marked one (READ_ONCE / WRITE_ONCE)
 * — and the program judged again. A site is necessary when the program without it comes out
 * Sometimes (or newly flags a data race) where it came out Never.
 */
import { checkLitmus, type LitmusResult } from '../check';
import { exprText } from '../export';
import type { Instr, LitmusProgram } from '../program';

/** One ordering site: where it is and what weakening it means. */
export interface BarrierSite {
  /** Thread index. */
  readonly thread: number;
  /** Indices into the thread's body and nested `if`s: `[3, 1, 0]` is body[3], branch 1
   *  (0 = then, 1 = else), instruction 0 of it. */
  readonly path: readonly number[];
  /** For a person: `P0: smp_mb__after_atomic() #1`, `P0: atomic_long_add_return on seq #1 (full -> relaxed)`,
   *  with the innermost branch the site is in. */
  readonly text: string;
}

export interface BarrierVerdict extends BarrierSite {
  /** The program's result without (or with the weakened form of) this site. */
  readonly verdict: LitmusResult['verdict'];
  readonly dataRace: boolean;
  /** The verdict turned Sometimes, or a data race appeared, without it. */
  readonly necessary: boolean;
}

const fenceText = (f: string): string => `smp_${f}()`;

/** Every ordering site of `p`, in thread and program order. */
export function barrierSites(p: LitmusProgram): BarrierSite[] {
  const out: BarrierSite[] = [];
  p.threads.forEach((t, ti) => {
    const seen = new Map<string, number>();
    const nth = (s: string): string => {
      const n = (seen.get(s) ?? 0) + 1;
      seen.set(s, n);
      return `${s} #${n}`;
    };
    // `where`: the innermost branch a site is in, e.g. ` (if (r & 16))` or ` (else of if (r & 16))`
    const walk = (body: readonly Instr[], path: number[], where: string): void =>
      body.forEach((i, k) => {
        const here = [...path, k];
        const push = (what: string): void => void out.push({ thread: ti, path: here, text: `${t.name}: ${nth(what)}${where}` });
        if (i.k === 'fence') push(fenceText(i.fence));
        else if (i.k === 'rmw' && i.order !== 'relaxed') push(`${i.prim ?? i.op} on ${i.loc} (${i.order} -> relaxed)`);
        else if (i.k === 'load' && i.access === 'acquire') push(`${i.prim ?? 'acquire load'} of ${i.loc} (-> READ_ONCE)`);
        else if (i.k === 'store' && i.access === 'release') push(`${i.prim ?? 'release store'} of ${i.loc} (-> WRITE_ONCE)`);
        else if (i.k === 'if') {
          const cond = `if (${exprText(i.cond)})`;
          walk(i.then, [...here, 0], ` (${cond})`);
          walk(i.else, [...here, 1], ` (else of ${cond})`);
        }
      });
    walk(t.body, [], '');
  });
  return out;
}

/** The `_relaxed` form of an RMW primitive's name (`atomic_long_add_return` ->
 *  `atomic_long_add_return_relaxed`, `atomic_fetch_or_acquire` -> `atomic_fetch_or_relaxed`). */
export function relaxedPrim(prim: string): string {
  return `${prim.replace(/_(acquire|release)$/, '')}_relaxed`;
}

/** The instruction with its ordering removed (null: a fence, dropped). */
function weakened(i: Instr): Instr | null {
  if (i.k === 'fence') return null;
  if (i.k === 'rmw') return { ...i, order: 'relaxed', ...(i.prim === undefined ? {} : { prim: relaxedPrim(i.prim) }) };
  if (i.k === 'load' && i.access === 'acquire') return { k: 'load', dst: i.dst, loc: i.loc, access: 'once' };
  if (i.k === 'store' && i.access === 'release') return { k: 'store', loc: i.loc, value: i.value, access: 'once' };
  throw new Error(`[internal bug] barriers: no ordering to weaken in a ${i.k}`);
}

function rewrite(body: readonly Instr[], path: readonly number[]): Instr[] {
  const [k, ...rest] = path;
  const out: Instr[] = [];
  body.forEach((i, j) => {
    if (j !== k) out.push(i);
    else if (rest.length === 0) {
      const w = weakened(i);
      if (w !== null) out.push(w);
    } else {
      if (i.k !== 'if') throw new Error('[internal bug] barriers: a site path goes through a non-if');
      const [branch, ...inner] = rest;
      out.push(branch === 0 ? { ...i, then: rewrite(i.then, inner) } : { ...i, else: rewrite(i.else, inner) });
    }
  });
  return out;
}

/** `p` with the ordering of `site` removed; the name says which. */
export function withoutBarrier(p: LitmusProgram, site: BarrierSite): LitmusProgram {
  const threads = p.threads.map((t, ti) => (ti === site.thread ? { ...t, body: rewrite(t.body, site.path) } : t));
  const n = barrierSites(p).findIndex((s) => s.thread === site.thread && s.path.join('.') === site.path.join('.'));
  return { ...p, name: `${p.name}-without-${n + 1}`, comment: `${p.comment ?? p.name}; without ${site.text}`, threads };
}

/**
 * Each ordering site of `p` removed in turn, judged by the LKMM checker (`judge`, by default
 * `checkLitmus`): the verdicts, and which sites are necessary. `base` is `p`'s own result when
 * the caller has it.
 */
export function necessaryBarriers(p: LitmusProgram, judge: (q: LitmusProgram) => LitmusResult = checkLitmus, base: LitmusResult = judge(p)): BarrierVerdict[] {
  return barrierSites(p).map((site) => {
    const r = judge(withoutBarrier(p, site));
    const necessary = (base.verdict === 'never' && r.verdict !== 'never') || (!base.dataRace && r.dataRace);
    return { ...site, verdict: r.verdict, dataRace: r.dataRace, necessary };
  });
}

/** `p` with every plain access marked (READ_ONCE / WRITE_ONCE): what the verdict would be if the
 *  data races were annotated away, to tell a race-only finding from an ordering one. */
export function withPlainMarked(p: LitmusProgram): LitmusProgram {
  const mark = (body: readonly Instr[]): Instr[] =>
    body.map((i): Instr => {
      if (i.k === 'if') return { ...i, then: mark(i.then), else: mark(i.else) };
      if (i.k === 'load' && i.access === 'plain') return { k: 'load', dst: i.dst, loc: i.loc, access: 'once' };
      if (i.k === 'store' && i.access === 'plain') return { k: 'store', loc: i.loc, value: i.value, access: 'once' };
      return i;
    });
  return { ...p, name: `${p.name}-marked`, comment: `${p.comment ?? p.name}; every plain access marked`, threads: p.threads.map((t) => ({ ...t, body: mark(t.body) })) };
}
