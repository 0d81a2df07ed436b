/**
 * The step compiler of the rmap model: every thread's operations (scenario.ts) become a flat list
 * of instructions, one per kernel step that is a single atomic instruction (Begin/End splitting as
 * in the TLA+ Disruptor spec). A thread's `pc` indexes its list; branches are explicit targets.
 * Value loops are unrolled (one instruction per rmap value j), so no loop counter is needed.
 *
 * Every instruction also carries static facts about the thread *while its pc points at it*, used
 * by the properties without ghost state: the writer bits it holds in `seq` (I6), whether it is
 * between its mapcount update and its last value update (`mid`: the folio is not quiet, I1-I5),
 * whether it is in an exclusive or a shared write body (I7), how many folio references it holds
 * that the mapcount does not count (I9), and whether it is inside a PMD remap's P+1 moment (I11).
 */
import type { ActionTag } from '../core';
import { internalAssert } from '../errors';
import { wrap } from '../word';
import type { Op, Scenario } from './scenario';

/** Deliberately broken variants (see `BUGS` in index.ts). */
export type Bug = 'no-retry' | 'no-begin-wait' | 'no-seqcount' | 'reread' | 'no-exclusive-wait' | 'shared-plain-update' | 'aba';

export type Kind =
  // references, page-level counters, page tables (the ground truth of PTE/PMD mappings)
  | 'ref' | 'pages' | 'entire' | 'pte' | 'pmd' | 'populate'
  // seqcount writer steps (their arithmetic on seq: model/seqcount/steps.ts)
  | 'v1b' | 'v2load' | 'v2cas' | 'v3check' | 'v3xadd' | 'v3conv' | 'sadd' | 'swait' | 'end'
  // protected words: atomic adds, plain load/store, new-folio sets
  | 'addMap' | 'addVal' | 'ldMap' | 'stMap' | 'ldVal' | 'stVal' | 'setMap' | 'setVal'
  // folio_mapped_shared
  | 'msTotal' | 'msEntire' | 'rBegin' | 'rMap' | 'rVal' | 'rRetry' | 'rMap2' | 'rVal2'
  // wp_can_reuse_anon_folio
  | 'cSeq' | 'cMap' | 'cEntire' | 'cRef' | 'cVal' | 'cRetry' | 'cMap2' | 'cVal2';

export interface Ins {
  readonly kind: Kind;
  readonly label: string;
  readonly reads: readonly string[];
  readonly writes: readonly string[];
  readonly tags: readonly ActionTag[];
  /** Successor pc (after repeat folding: a repeating thread's last step goes to 0). */
  next: number;
  /** Branch target (meaning per kind: the other path, the retry loop, or the op's exit). */
  alt: number;
  /** Index of the op this instruction belongs to. */
  readonly op: number;
  /** True for the op's first instruction (it resets the thread's answer and ghost bits). */
  first: boolean;
  /** MM of the op (the mapping MM for writers, the asking MM for readers), -1 for none. */
  readonly mm: number;
  /** Signed mapping count (map: +n) for map/val/ref/pages/entire/pte steps; the value for set steps. */
  readonly d: number;
  /** Value index j for value steps. */
  readonly j: number;
  /** Pages touched (pages, pte steps) or the faulting page (COW, as [page]). */
  readonly pages: readonly number[];
  /** The addend (or set value) of a value step, already modulo 2^W. */
  readonly v: bigint;
  /** Value steps: the last value (ends the body's value updates); reader value steps: the last read. */
  readonly last: boolean;
  /** Reader value steps: the step answers when its read completes (no retry check follows). */
  readonly answers: boolean;
  /** Reader value steps of the `reread` bug's first pass: keep the value read in `rv[j]`. */
  readonly store: boolean;
  /** V2/V3 shared-add without the wait (bug no-exclusive-wait), reader begin without spin. */
  readonly noWait: boolean;
  /** This pte step publishes a new anonymous folio (other threads may run from now on). */
  readonly publish: boolean;
  // static facts while pc points here (see the file comment)
  readonly bits: bigint;
  readonly mid: boolean;
  /** In the exclusive writer's body (I7). */
  readonly exclusiveBody: boolean;
  /** In a shared writer's body (I7). */
  readonly sharedBody: boolean;
  readonly extra: number;
  readonly over: boolean;
}

export interface Program {
  readonly ins: readonly Ins[];
  readonly repeat: boolean;
  /** Per op index: the pc after the op (where an answer goes; 0 at the end of a repeating thread). */
  readonly exits: readonly number[];
  /** The thread publishes a new anonymous folio (it runs while the folio is unpublished). */
  readonly publishes: boolean;
  /** Refs (swap cache, pins) this thread holds when finished (pc == ins.length). */
  readonly extraDone: number;
  /** The thread answers queries (it has a mapped-shared or cow-reuse op). */
  readonly reader: boolean;
}

interface Marks {
  extra: number;
  over: boolean;
}

/** Abstract steps of a write body, emitted as atomic or plain instructions. */
type BodyStep =
  | { t: 'pages'; mm: number; pages: number[]; d: number }
  | { t: 'entire'; d: number }
  | { t: 'map'; mm: number; d: number };

const pagesText = (pages: readonly number[]) => (pages.length === 1 ? `page ${pages[0]}` : `pages ${pages[0]}..${pages[pages.length - 1]}`);

/** Compiles one thread. `bug` selects the broken variant (or null). */
export function compileThread(sc: Scenario, ops: readonly Op[], repeat: boolean, bug: Bug | null): Program {
  const P = sc.pages;
  const V = sc.scheme.values;
  const W = sc.scheme.wordBits;
  const L = sc.layout;
  // the seqcount protocol the writers use ('none': the bugs without one)
  const protocol = bug === 'no-seqcount' || bug === 'reread' ? 'none' : L.variant;
  const SHARED = L.shared;
  const EXCL = L.excl ?? 0n;
  const mmName = (m: number) => sc.mms[m].name;
  const ins: Ins[] = [];
  const fixups: { at: number; field: 'next' | 'alt'; label: string }[] = [];
  const labels = new Map<string, number>();
  let marks: Marks = { extra: 0, over: false };
  let held = 0; // swap cache / pin references held from earlier ops
  let opIndex = 0;
  let opFirst = true;
  let uniq = 0;
  const fresh = (s: string) => `${s}#${uniq++}`;

  interface Emit {
    kind: Kind;
    label: string;
    reads?: string[];
    writes?: string[];
    tags?: ActionTag[];
    mm?: number;
    d?: number;
    j?: number;
    pages?: number[];
    v?: bigint;
    last?: boolean;
    answers?: boolean;
    store?: boolean;
    noWait?: boolean;
    publish?: boolean;
    bits?: bigint;
    mid?: boolean;
    exclusiveBody?: boolean;
    sharedBody?: boolean;
    next?: string;
    alt?: string;
  }
  const emit = (e: Emit): number => {
    const at = ins.length;
    ins.push({
      kind: e.kind,
      label: e.label,
      reads: e.reads ?? [],
      writes: e.writes ?? [],
      tags: e.tags ?? [],
      next: at + 1,
      alt: -1,
      op: opIndex,
      first: opFirst,
      mm: e.mm ?? -1,
      d: e.d ?? 0,
      j: e.j ?? -1,
      pages: e.pages ?? [],
      v: e.v ?? 0n,
      last: e.last ?? false,
      answers: e.answers ?? false,
      store: e.store ?? false,
      noWait: e.noWait ?? false,
      publish: e.publish ?? false,
      bits: e.bits ?? 0n,
      mid: e.mid ?? false,
      exclusiveBody: e.exclusiveBody ?? false,
      sharedBody: e.sharedBody ?? false,
      extra: marks.extra + held,
      over: marks.over,
    });
    opFirst = false;
    if (e.next) fixups.push({ at, field: 'next', label: e.next });
    if (e.alt) fixups.push({ at, field: 'alt', label: e.alt });
    return at;
  };
  const here = (label: string) => labels.set(label, ins.length);

  const valWord = (j: number) => `val${j}`;
  const valAddend = (mm: number, d: number, j: number) => wrap(BigInt(d) * sc.mms[mm].subIds[j], W);

  /** Emits one write body (path): page/entire steps (atomic), then the mapcount and the values
   *  (atomic adds, or plain load-then-store). `after` are the marks once mapcount is updated. */
  const body = (steps: BodyStep[], valMm: number, valD: number, plain: boolean, bits: bigint, exclusive: boolean, after: Marks) => {
    const common = { bits, exclusiveBody: exclusive, sharedBody: !exclusive && bits !== 0n };
    for (const s of steps) {
      if (s.t === 'pages') {
        emit({
          kind: 'pages', mm: s.mm, d: s.d, pages: s.pages, mid: false, ...common,
          label: `${s.d > 0 ? 'atomic_inc_and_test' : 'atomic_add_negative(-1, '}(&page->_mapcount) for ${pagesText(s.pages)}; atomic_${s.d > 0 ? 'add' : 'sub'}(first/last, &folio->_nr_pages_mapped)`,
          reads: ['pages'], writes: ['pages'],
        });
      } else if (s.t === 'entire') {
        emit({
          kind: 'entire', d: s.d, mid: false, ...common,
          label: s.d > 0 ? 'atomic_inc(&folio->_entire_mapcount)' : 'atomic_dec(&folio->_entire_mapcount)',
          reads: ['entire'], writes: ['entire'],
        });
      } else {
        const n = s.d;
        const txt = `${Math.abs(n)}`;
        if (plain) {
          emit({ kind: 'ldMap', ...common, label: 't = folio->_total_mapcount', reads: ['mapcount'], tags: ['plain-load'] });
          emit({ kind: 'stMap', mm: s.mm, d: n, ...common, label: `folio->_total_mapcount = t ${n > 0 ? '+' : '-'} ${txt}`, writes: ['mapcount'], tags: ['plain-store'] });
        } else {
          emit({ kind: 'addMap', mm: s.mm, d: n, ...common, label: `atomic_${n > 0 ? 'add' : 'sub'}(${txt}, &folio->_total_mapcount)`, reads: ['mapcount'], writes: ['mapcount'] });
        }
        marks = { ...after };
        for (let j = 0; j < V; j++) {
          const v = valAddend(valMm, valD, j);
          const sub = `${Math.abs(valD) === 1 ? '' : `${Math.abs(valD)} * `}subid${j}(${mmName(valMm)})`;
          const last = j === V - 1;
          if (plain) {
            emit({ kind: 'ldVal', j, ...common, mid: true, label: `t = folio->_rmap_val${j}`, reads: [valWord(j)], tags: ['plain-load'] });
            emit({ kind: 'stVal', j, v, last, ...common, mid: true, label: `folio->_rmap_val${j} = t ${valD > 0 ? '+' : '-'} ${sub}`, writes: [valWord(j)], tags: ['plain-store'] });
          } else {
            emit({ kind: 'addVal', j, v, last, ...common, mid: true, label: `atomic_long_${valD > 0 ? 'add' : 'sub'}(${sub}, &folio->_rmap_val${j})`, reads: [valWord(j)], writes: [valWord(j)] });
          }
        }
      }
    }
  };

  /** One write section `[b; steps; e]` in the selected seqcount variant. */
  const section = (steps: BodyStep[], valMm: number, valD: number, after: Marks) => {
    const before = { ...marks };
    const sharedPlain = bug === 'shared-plain-update';
    const noExclWait = bug === 'no-exclusive-wait';
    const endLabel = (unit: string) => `atomic_long_add(STEP - ${unit}, &seq) (write end)`;
    if (protocol === 'none') {
      body(steps, valMm, valD, sharedPlain, 0n, false, after);
      return;
    }
    if (protocol === 'v1') {
      emit({ kind: 'v1b', label: 'atomic_long_add(SHARED, &seq) (write begin)', reads: ['seq'], writes: ['seq'], tags: ['write-begin'] });
      body(steps, valMm, valD, sharedPlain, SHARED, false, after);
      emit({ kind: 'end', bits: SHARED, sharedBody: true, label: endLabel('SHARED'), reads: ['seq'], writes: ['seq'], tags: ['write-end'] });
      return;
    }
    const LS = fresh('S');
    const LW = fresh('W');
    const LB = fresh('B');
    const LC = fresh('C');
    const LEND = fresh('END');
    if (protocol === 'v2') {
      emit({ kind: 'v2load', alt: LS, label: 's = atomic_long_read(&seq); s & WRITERS_MASK?', reads: ['seq'], tags: ['exclusive-attempt'] });
      emit({ kind: 'v2cas', alt: LS, label: 'atomic_long_try_cmpxchg(&seq, &s, s | EXCL)', reads: ['seq'], writes: ['seq'], tags: ['exclusive-attempt', 'write-begin'] });
    } else {
      emit({ kind: 'v3check', alt: LS, label: 'atomic_long_read(&seq) & WRITERS_MASK?', reads: ['seq'], tags: ['exclusive-attempt'] });
      emit({ kind: 'v3xadd', alt: LC, label: 'r = atomic_long_add_return(EXCL, &seq); (r & WRITERS_MASK) == EXCL?', reads: ['seq'], writes: ['seq'], tags: ['exclusive-attempt', 'write-begin'] });
    }
    // exclusive path: plain load-then-store (P17)
    body(steps, valMm, valD, true, EXCL, true, after);
    emit({ kind: 'end', bits: EXCL, exclusiveBody: true, label: endLabel('EXCL'), reads: ['seq'], writes: ['seq'], tags: ['write-end'], next: LEND });
    marks = { ...before };
    if (protocol === 'v3') {
      here(LC);
      emit({ kind: 'v3conv', bits: EXCL, next: noExclWait ? LB : LW, label: 'atomic_long_add(SHARED - EXCL, &seq) (back off to shared)', reads: ['seq'], writes: ['seq'] });
    }
    here(LS);
    emit({
      kind: 'sadd', alt: LB, noWait: noExclWait,
      label: `r = atomic_long_add_return(SHARED, &seq); r & ${protocol === 'v2' ? 'EXCL' : 'EXCL_MASK'}?`,
      reads: ['seq'], writes: ['seq'], tags: ['write-begin'],
    });
    here(LW);
    emit({ kind: 'swait', bits: SHARED, label: `while (atomic_long_read(&seq) & ${protocol === 'v2' ? 'EXCL' : 'EXCL_MASK'}) cpu_relax()`, reads: ['seq'], tags: ['spin'] });
    here(LB);
    body(steps, valMm, valD, sharedPlain, SHARED, false, after);
    emit({ kind: 'end', bits: SHARED, sharedBody: true, label: endLabel('SHARED'), reads: ['seq'], writes: ['seq'], tags: ['write-end'] });
    here(LEND);
  };

  const ref = (d: number, why: string) => {
    emit({ kind: 'ref', d, label: `folio_${d > 0 ? 'ref_add' : 'put_refs'}(folio, ${Math.abs(d)})${why}`, reads: ['refcount'], writes: ['refcount'] });
  };
  const pte = (mm: number, pages: number[], d: number, publish = false) => {
    emit({
      kind: 'pte', mm, pages, d, publish,
      label: d > 0 ? `set_ptes(${mmName(mm)}, ${pagesText(pages)})` : `ptep_get_and_clear(${mmName(mm)}, ${pagesText(pages)})`,
      writes: [`pt:${mmName(mm)}`],
    });
  };
  const pmd = (mm: number, d: number) => {
    emit({ kind: 'pmd', mm, d, label: d > 0 ? `set_pmd_at(${mmName(mm)})` : `pmdp_huge_get_and_clear(${mmName(mm)})`, writes: [`pt:${mmName(mm)}`] });
  };
  const pagesStep = (mm: number, pages: number[], d: number) =>
    body([{ t: 'pages', mm, pages, d }], mm, 0, false, 0n, false, marks);
  const entireStep = (d: number) => body([{ t: 'entire', d }], 0, 0, false, 0n, false, marks);

  /** map n PTEs (or fork's duplicate of one PTE): ref; [pages]; [b; (pages;) mapcount; vals; e]; set_ptes. */
  const mapPtes = (mm: number, pages: number[], why: string) => {
    const n = pages.length;
    ref(n, why);
    marks = { ...marks, extra: marks.extra + n };
    const after = { ...marks, extra: marks.extra - n };
    if (!sc.p20) pagesStep(mm, pages, 1);
    section([...(sc.p20 ? [{ t: 'pages' as const, mm, pages, d: 1 }] : []), { t: 'map', mm, d: n }], mm, n, after);
    pte(mm, pages, 1);
  };
  const mapPmd = (mm: number, why: string) => {
    ref(1, why);
    marks = { ...marks, extra: marks.extra + 1 };
    const after = { ...marks, extra: marks.extra - 1 };
    if (!sc.p20) entireStep(1);
    section([...(sc.p20 ? [{ t: 'entire' as const, d: 1 }] : []), { t: 'map', mm, d: 1 }], mm, 1, after);
    pmd(mm, 1);
  };
  /** unmap: the protected words first, then the page/entire counters, then the references. */
  const unmapSection = (mm: number, n: number, tail: BodyStep | null) => {
    const after = { ...marks, extra: marks.extra + n };
    section([{ t: 'map', mm, d: -n }, ...(sc.p20 && tail ? [tail] : [])], mm, -n, after);
    if (!sc.p20 && tail) body([tail], mm, 0, false, 0n, false, marks);
  };

  for (const op of ops) {
    opFirst = true;
    switch (op.kind) {
      case 'map':
        mapPtes(op.mm, op.pages, '');
        break;
      case 'fork':
        if (op.pmd) mapPmd(op.mm, ` (fork: ${mmName(op.from)} -> ${mmName(op.mm)})`);
        else mapPtes(op.mm, op.pages, ` (fork: ${mmName(op.from)} -> ${mmName(op.mm)})`);
        break;
      case 'unmap':
        pte(op.mm, op.pages, -1);
        unmapSection(op.mm, op.pages.length, { t: 'pages', mm: op.mm, pages: op.pages, d: -1 });
        ref(-op.pages.length, ' (zap)');
        marks = { ...marks, extra: marks.extra - op.pages.length };
        break;
      case 'map-pmd':
        mapPmd(op.mm, '');
        break;
      case 'unmap-pmd':
        pmd(op.mm, -1);
        unmapSection(op.mm, 1, { t: 'entire', d: -1 });
        ref(-1, ' (zap)');
        marks = { ...marks, extra: marks.extra - 1 };
        break;
      case 'remap-pmd': {
        // P13/P14: refcount += P first, so refcount >= mapcount also at the P+1 moment
        const all = Array.from({ length: P }, (_, i) => i);
        ref(P, ' (P14: before the batched rmap)');
        marks = { ...marks, extra: marks.extra + P };
        if (!sc.p20) pagesStep(op.mm, all, 1);
        section([...(sc.p20 ? [{ t: 'pages' as const, mm: op.mm, pages: all, d: 1 }] : []), { t: 'map', mm: op.mm, d: P }], op.mm, P, {
          extra: marks.extra - P,
          over: true,
        });
        emit({ kind: 'populate', mm: op.mm, label: `pmd_populate(${mmName(op.mm)}): ${P} PTEs replace the PMD`, writes: [`pt:${mmName(op.mm)}`] });
        const after = { extra: marks.extra + 1, over: false };
        section([{ t: 'map', mm: op.mm, d: -1 }, ...(sc.p20 ? [{ t: 'entire' as const, d: -1 }] : [])], op.mm, -1, after);
        if (!sc.p20) entireStep(-1);
        ref(-1, ' (the PMD mapping\'s reference)');
        marks = { ...marks, extra: marks.extra - 1 };
        break;
      }
      case 'new-anon': {
        // values SET, not added, and no seqcount: nobody else can see the folio yet
        const n = op.pages.length;
        ref(n, ' (new anonymous folio)');
        marks = { ...marks, extra: marks.extra + n };
        pagesStep(op.mm, op.pages, 1);
        emit({ kind: 'setMap', mm: op.mm, d: n, label: `atomic_set(&folio->_total_mapcount, ${n})`, writes: ['mapcount'] });
        marks = { ...marks, extra: marks.extra - n };
        for (let j = 0; j < V; j++)
          emit({ kind: 'setVal', j, v: valAddend(op.mm, n, j), last: j === V - 1, mid: true, label: `atomic_long_set(&folio->_rmap_val${j}, ${n} * subid${j}(${mmName(op.mm)}))`, writes: [valWord(j)] });
        pte(op.mm, op.pages, 1, true);
        break;
      }
      case 'swapcache-add':
        emit({ kind: 'ref', d: P, label: `folio_ref_add(folio, ${P}) (add_to_swap: the swap cache's references)`, reads: ['refcount'], writes: ['refcount'] });
        held += P;
        break;
      case 'swapcache-del':
        emit({ kind: 'ref', d: -P, label: `folio_ref_sub(folio, ${P}) (delete_from_swap_cache)`, reads: ['refcount'], writes: ['refcount'] });
        held -= P;
        break;
      case 'pin':
        emit({ kind: 'ref', d: 1, label: 'folio_ref_add(folio, 1) (GUP pin: try_grab_folio)', reads: ['refcount'], writes: ['refcount'] });
        held += 1;
        break;
      case 'unpin':
        emit({ kind: 'ref', d: -1, label: 'folio_put_refs(folio, 1) (unpin_user_page)', reads: ['refcount'], writes: ['refcount'] });
        held -= 1;
        break;
      case 'mapped-shared':
        readerOps(op.mm);
        break;
      case 'cow-reuse':
        cowOps(op.mm, op.page);
        break;
    }
    here(`exit${opIndex}`);
    opIndex++;
  }

  function readerOps(mm: number) {
    const exit = `exit${opIndex}`;
    const nm = mmName(mm);
    emit({ kind: 'msTotal', mm, alt: exit, label: 'mapcount = folio_mapcount(folio); mapcount == 1 -> exclusive', reads: ['mapcount'], tags: ['read-body'] });
    emit({ kind: 'msEntire', mm, alt: exit, label: `folio_entire_mapcount(folio) || mapcount > ${P} -> shared`, reads: ['entire'], tags: ['read-body'] });
    const LB = fresh('RB');
    const LM = fresh('RM');
    const LR = fresh('RR');
    const seq = bug !== 'no-seqcount' && bug !== 'reread';
    here(LB);
    if (seq)
      emit({
        kind: 'rBegin', mm, noWait: bug === 'no-begin-wait',
        label: bug === 'no-begin-wait' ? 'seq = atomic_long_read(&seq) (no wait for writers)' : 'seq = raw_read_atomic_seqcount_begin(&folio->_rmap_atomic_seqcount) (spins while writers)',
        reads: ['seq'], tags: bug === 'no-begin-wait' ? ['read-begin'] : ['read-begin', 'spin'],
      });
    here(LM);
    emit({ kind: 'rMap', mm, alt: exit, label: `mapcount = folio_mapcount(folio); > ${P} -> shared (no retry check)`, reads: ['mapcount'], tags: ['read-body'] });
    const toRetry = seq && bug !== 'no-retry';
    for (let j = 0; j < V; j++)
      emit({
        kind: 'rVal', mm, j, last: j === V - 1, alt: toRetry ? LR : exit,
        answers: !toRetry && bug !== 'reread', store: bug === 'reread',
        label: bug === 'reread' ? `v${j} = folio->_rmap_val${j}` : `folio->_rmap_val${j} == mapcount * subid${j}(${nm})?`,
        reads: [valWord(j)], tags: ['read-body'],
      });
    if (bug === 'reread') {
      emit({ kind: 'rMap2', mm, alt: LM, label: 'folio_mapcount(folio) == mapcount? (re-read)', reads: ['mapcount'], tags: ['read-retry'] });
      for (let j = 0; j < V; j++)
        emit({ kind: 'rVal2', mm, j, last: j === V - 1, alt: LM, answers: j === V - 1, label: `folio->_rmap_val${j} == v${j}? (re-read)`, reads: [valWord(j)], tags: ['read-retry'] });
    }
    here(LR);
    if (toRetry)
      emit({ kind: 'rRetry', mm, alt: LB, label: 'raw_read_atomic_seqcount_retry(&folio->_rmap_atomic_seqcount, seq)', reads: ['seq'], tags: ['read-retry'] });
  }

  function cowOps(mm: number, page: number) {
    const exit = `exit${opIndex}`;
    const nm = mmName(mm);
    const seq = bug !== 'no-seqcount' && bug !== 'reread';
    const common = { mm, pages: [page], alt: exit };
    if (seq)
      emit({
        kind: 'cSeq', ...common, noWait: bug === 'no-begin-wait',
        label: bug === 'no-begin-wait' ? 'seq = raw_read_atomic_seqcount(&folio->_rmap_atomic_seqcount) (writer bits ignored)' : 'seq = raw_read_atomic_seqcount(&folio->_rmap_atomic_seqcount); seq & WRITERS_MASK -> copy',
        reads: ['seq'], tags: ['read-begin'],
      });
    emit({ kind: 'cMap', ...common, label: `mapcount = folio_mapcount(folio); > ${P} -> copy`, reads: ['mapcount'], tags: ['read-body'] });
    emit({ kind: 'cEntire', ...common, label: 'folio_entire_mapcount(folio) -> copy', reads: ['entire'], tags: ['read-body'] });
    emit({ kind: 'cRef', ...common, label: 'folio_ref_count(folio) != mapcount -> copy', reads: ['refcount'], tags: ['read-body'] });
    for (let j = 0; j < V; j++)
      emit({ kind: 'cVal', ...common, j, last: j === V - 1, answers: !(seq && bug !== 'no-retry') && bug !== 'reread', store: bug === 'reread', label: `folio->_rmap_val${j} != mapcount * subid${j}(${nm}) -> copy`, reads: [valWord(j)], tags: ['read-body'] });
    if (bug === 'reread') {
      emit({ kind: 'cMap2', ...common, label: 'folio_mapcount(folio) != mapcount -> copy (re-read)', reads: ['mapcount'], tags: ['read-retry'] });
      for (let j = 0; j < V; j++)
        emit({ kind: 'cVal2', ...common, j, last: j === V - 1, answers: j === V - 1, label: `folio->_rmap_val${j} changed -> copy (re-read)`, reads: [valWord(j)], tags: ['read-retry'] });
    }
    if (seq && bug !== 'no-retry')
      emit({ kind: 'cRetry', ...common, label: 'raw_read_atomic_seqcount_retry(...) -> copy; else reuse', reads: ['seq'], tags: ['read-retry'] });
  }

  // resolve labels; a repeating thread's end (and its exits that fall off the end) go to 0
  const end = repeat ? 0 : ins.length;
  for (const f of fixups) {
    const at = labels.get(f.label);
    internalAssert(at !== undefined, `unresolved label ${f.label}`);
    const target = at === ins.length ? end : at;
    if (f.field === 'next') ins[f.at].next = target;
    else ins[f.at].alt = target;
  }
  for (const i of ins) if (i.next === ins.length) i.next = end;
  const exits = ops.map((_, op) => {
    const pc = ins.findIndex((x) => x.op > op);
    return pc < 0 ? end : pc;
  });
  return {
    ins,
    repeat,
    exits,
    publishes: ins.some((i) => i.publish),
    extraDone: held,
    reader: ops.some((o) => o.kind === 'mapped-shared' || o.kind === 'cow-reuse'),
  };
}
