/**
 * The ground truth of a workload: each MM's mappings of the folio (PTEs per page, PMDs), the
 * folio's references, and what the tracking of either design is told, in the callers' order
 * (mm-owner.md "Callers", rmap-ops.md "Writers"): the events `compare` feeds both designs. A
 * history that does something impossible (unmap what is not mapped, fork a dead MM) is a
 * one-line UsageError naming the operation.
 *
 * Invariants kept (and relied on by the COW oracle): an MM of an anon folio maps each page at
 * most once and never by both a PMD and PTEs; `refcount >= total mappings` at every step.
 */
import { UsageError } from '../errors';
import { describeOp, PMD_ORDER, type FolioKind, type Workload, type WorkloadOp } from './workload';

/** What the tracking of either design is told, and the reader calls with their truth. */
export type HistoryEvent =
  /** an anon folio allocated and mapped: the tracking is set, not added (nobody sees it yet) */
  | { readonly e: 'new'; readonly id: number; readonly n: number }
  | { readonly e: 'add'; readonly id: number; readonly n: number }
  | { readonly e: 'remove'; readonly id: number; readonly n: number }
  /** migration/split: tracking reset, then these adds, MM by MM */
  | { readonly e: 'rebuild'; readonly adds: readonly (readonly [number, number])[] }
  | ReadEvent
  | CowEvent;

export interface ReadEvent {
  readonly e: 'read';
  /** Index of the operation in the workload. */
  readonly op: number;
  readonly mm: string;
  readonly id: number;
  /** Truth: another MM maps the folio. */
  readonly shared: boolean;
  /** PMD mappings of the folio (`_entire_mapcount`), a folio field both designs read. */
  readonly entire: number;
}

export interface CowEvent {
  readonly e: 'cow';
  readonly op: number;
  readonly mm: string;
  readonly id: number;
  readonly page: number;
  /** The folio's references as the fault finds them. */
  readonly refcount: number;
  readonly entire: number;
  /** References of the swap cache (0: not in it), which the fault may drop under the folio lock. */
  readonly swapRefs: number;
  /** Someone else holds the folio lock (the fault's trylock fails). */
  readonly locked: boolean;
  /** Truth: another MM maps the folio. */
  readonly shared: boolean;
  /** The perfect oracle: reuse iff `mm` owns every mapping and every other reference is one the
   *  fault can drop (the swap cache's, when the lock is free): refcount == mapcount after it. */
  readonly oracleReuse: boolean;
}

interface Mm {
  readonly name: string;
  readonly id: number;
  readonly depth: number;
  /** PTEs of this MM per page. */
  readonly ptes: Uint16Array;
  pteTotal: number;
  pmds: number;
  alive: boolean;
  everMapped: boolean;
}

/** Figures of a finished history (WorkloadParams in checker/compare/result.ts). */
export interface HistoryFigures {
  mms: number;
  maxConcurrentMms: number;
  forkDepth: number;
}

/** A workload being executed, one operation at a time (the generator looks at it between ops). */
export class History {
  readonly pages: number;
  readonly folio: FolioKind;
  readonly order: number;
  readonly events: HistoryEvent[] = [];
  private readonly mms: Mm[] = [];
  private readonly byName = new Map<string, Mm>();
  private readonly usedIds = new Set<number>();
  refcount = 0;
  entire = 0;
  total = 0;
  swapcache = false;
  pins = 0;
  locked = false;
  /** The folio exists (allocated, not freed). */
  allocated = false;
  /** MMs with at least one mapping now. */
  mappers = 0;
  private maxMappers = 0;
  opIndex = -1;

  constructor(order: number, folio: FolioKind) {
    this.order = order;
    this.pages = 2 ** order;
    this.folio = folio;
  }

  /** Live MMs, in creation order. */
  liveMms(): readonly Mm[] {
    return this.mms.filter((m) => m.alive);
  }

  mm(name: string): Mm | undefined {
    const m = this.byName.get(name);
    return m && m.alive ? m : undefined;
  }

  mappingsOf(m: Mm): number {
    return m.pteTotal + m.pmds;
  }

  /** The ground truth in words: each live MM's mappings, then the references beyond them. */
  describeTruth(): string {
    const parts = this.liveMms()
      .filter((m) => this.mappingsOf(m) > 0)
      .map((m) => `${m.name}(${m.id}): ${[m.pteTotal ? `${m.pteTotal} PTE${m.pteTotal === 1 ? '' : 's'}` : '', m.pmds ? `${m.pmds} PMD` : ''].filter(Boolean).join(' + ')}`);
    const extra = [this.swapcache ? 'swap cache' : '', this.pins ? `${this.pins} pin${this.pins === 1 ? '' : 's'}` : '', this.locked ? 'folio locked' : ''].filter(Boolean);
    return `${parts.length ? parts.join(', ') : 'unmapped'}; refcount ${this.refcount}${extra.length ? `; ${extra.join(', ')}` : ''}`;
  }

  figures(): HistoryFigures {
    const mapped = this.mms.filter((m) => m.everMapped);
    return { mms: mapped.length, maxConcurrentMms: this.maxMappers, forkDepth: Math.max(0, ...mapped.map((m) => m.depth)) };
  }

  private fail(op: WorkloadOp, why: string): never {
    throw new UsageError(`op ${this.opIndex} (${describeOp(op)}): ${why}`);
  }

  private need(op: WorkloadOp, name: string): Mm {
    const m = this.mm(name);
    if (!m) this.fail(op, `no live MM named ${name}`);
    return m;
  }

  private lowestFreeId(): number {
    let id = 1;
    while (this.usedIds.has(id)) id++;
    return id;
  }

  private create(op: WorkloadOp, name: string, id: number | undefined, depth: number): Mm {
    if (this.mm(name)) this.fail(op, `MM ${name} exists already`);
    if (id !== undefined && this.usedIds.has(id)) this.fail(op, `id ${id} is held by a live MM`);
    const m: Mm = { name, id: id ?? this.lowestFreeId(), depth, ptes: new Uint16Array(this.pages), pteTotal: 0, pmds: 0, alive: true, everMapped: false };
    this.usedIds.add(m.id);
    this.mms.push(m);
    this.byName.set(name, m);
    return m;
  }

  private mapped(m: Mm, before: number): void {
    const after = this.mappingsOf(m);
    if (before === 0 && after > 0) {
      this.mappers++;
      m.everMapped = true;
      this.maxMappers = Math.max(this.maxMappers, this.mappers);
    } else if (before > 0 && after === 0) this.mappers--;
  }

  private add(m: Mm, n: number): void {
    this.total += n;
    this.events.push({ e: 'add', id: m.id, n });
  }

  private remove(m: Mm, n: number): void {
    this.total -= n;
    this.events.push({ e: 'remove', id: m.id, n });
  }

  /** PTE batches of an MM, one per "layer" (pages mapped at least k times), each <= P. */
  private layers(m: Mm): number[] {
    const out: number[] = [];
    for (let k = 1; ; k++) {
      let n = 0;
      for (let p = 0; p < this.pages; p++) if (m.ptes[p] >= k) n++;
      if (n === 0) return out;
      out.push(n);
    }
  }

  /** Applies one operation (the next of the workload). */
  apply(op: WorkloadOp): void {
    this.opIndex++;
    const P = this.pages;
    const anon = this.folio === 'anon';
    if (!this.allocated && op.op !== 'new' && op.op !== 'mm' && op.op !== 'exit' && op.op !== 'fork') this.fail(op, 'the folio is not allocated (a "new" first)');
    switch (op.op) {
      case 'mm':
        this.create(op, op.mm, op.id, 0);
        return;
      case 'new': {
        if (this.allocated) this.fail(op, 'the folio is allocated already (it is freed when its last mapping and reference go)');
        const m = this.mm(op.mm) ?? this.create(op, op.mm, op.id, 0);
        if (op.id !== undefined && m.id !== op.id) this.fail(op, `MM ${op.mm} exists with id ${m.id}`);
        if (op.pmd && this.order !== PMD_ORDER) this.fail(op, `a PMD maps a folio of order ${PMD_ORDER} only`);
        this.allocated = true;
        // a page-cache folio holds one reference per page (folio_ref_add(folio, nr) on insertion)
        this.refcount = anon ? 0 : P;
        const n = op.pmd ? 1 : (op.pages ?? P);
        if (op.pmd) {
          m.pmds = 1;
          this.entire = 1;
        } else for (let p = 0; p < n; p++) m.ptes[p] = 1;
        m.pteTotal = op.pmd ? 0 : n;
        this.refcount += n;
        this.total = n;
        this.events.push(anon ? { e: 'new', id: m.id, n } : { e: 'add', id: m.id, n });
        this.mapped(m, 0);
        return;
      }
      case 'map': {
        const m = this.need(op, op.mm);
        if (anon && m.pmds > 0) this.fail(op, `${op.mm} maps this anon folio with a PMD already`);
        for (let p = op.start; p < op.start + op.count; p++) {
          if (anon && m.ptes[p] > 0) this.fail(op, `${op.mm} maps anon page ${p} already`);
          if (m.ptes[p] >= 0xffff) this.fail(op, `${op.mm} maps page ${p} 65535 times already`);
        }
        const before = this.mappingsOf(m);
        this.refcount += op.count; // the reference before the rmap add
        for (let p = op.start; p < op.start + op.count; p++) m.ptes[p]++;
        m.pteTotal += op.count;
        this.add(m, op.count);
        this.mapped(m, before);
        return;
      }
      case 'unmap': {
        const m = this.need(op, op.mm);
        for (let p = op.start; p < op.start + op.count; p++) if (m.ptes[p] === 0) this.fail(op, `${op.mm} does not map page ${p}`);
        const before = this.mappingsOf(m);
        for (let p = op.start; p < op.start + op.count; p++) m.ptes[p]--;
        m.pteTotal -= op.count;
        this.remove(m, op.count);
        this.refcount -= op.count; // dropped after the rmap remove (after the TLB flush)
        this.mapped(m, before);
        this.maybeFree();
        return;
      }
      case 'map-pmd': {
        const m = this.need(op, op.mm);
        if (this.order !== PMD_ORDER) this.fail(op, `a PMD maps a folio of order ${PMD_ORDER} only`);
        if (anon && this.mappingsOf(m) > 0) this.fail(op, `${op.mm} maps this anon folio already`);
        const before = this.mappingsOf(m);
        this.entire++;
        this.refcount++;
        m.pmds++;
        this.add(m, 1);
        this.mapped(m, before);
        return;
      }
      case 'unmap-pmd': {
        const m = this.need(op, op.mm);
        if (m.pmds === 0) this.fail(op, `${op.mm} maps the folio by no PMD`);
        const before = this.mappingsOf(m);
        m.pmds--;
        this.remove(m, 1);
        this.entire--;
        this.refcount--;
        this.mapped(m, before);
        this.maybeFree();
        return;
      }
      case 'remap-pmd': {
        const m = this.need(op, op.mm);
        if (!anon) this.fail(op, 'a PMD of a file folio is zapped, not remapped (the PTEs fault in later)');
        if (m.pmds === 0) this.fail(op, `${op.mm} maps the folio by no PMD`);
        // __split_huge_pmd_locked: references for the PTEs first, P PTEs added, the PMD removed
        this.refcount += P - 1;
        for (let p = 0; p < P; p++) m.ptes[p] = 1;
        m.pteTotal = P;
        this.add(m, P);
        m.pmds = 0;
        this.remove(m, 1);
        this.entire--;
        return;
      }
      case 'fork': {
        const parent = this.need(op, op.parent);
        const child = this.create(op, op.child, op.id, parent.depth + 1);
        // copy_huge_pmd: entire += 1, reference, add 1; copy_pte_range: per batch references, then the add
        for (let i = 0; i < parent.pmds; i++) {
          this.entire++;
          this.refcount++;
          child.pmds++;
          this.add(child, 1);
        }
        child.ptes.set(parent.ptes);
        child.pteTotal = parent.pteTotal;
        for (const n of this.layers(parent)) {
          this.refcount += n;
          this.add(child, n);
        }
        this.mapped(child, 0);
        return;
      }
      case 'exit': {
        const m = this.need(op, op.mm);
        const before = this.mappingsOf(m);
        for (; m.pmds > 0; m.pmds--) {
          this.remove(m, 1);
          this.entire--;
          this.refcount--;
        }
        for (const n of this.layers(m)) {
          this.remove(m, n);
          this.refcount -= n;
        }
        m.ptes.fill(0);
        m.pteTotal = 0;
        this.mapped(m, before);
        // the id is freed only after every mapping of the MM is gone
        m.alive = false;
        this.usedIds.delete(m.id);
        this.maybeFree();
        return;
      }
      case 'cow': {
        if (!anon) this.fail(op, 'a COW fault on a file folio always copies (it is not anon): not a decision');
        const m = this.need(op, op.mm);
        if (m.pmds > 0) this.fail(op, `${op.mm} maps the folio by a PMD (a PMD write fault, not this check)`);
        if (m.ptes[op.page] === 0) this.fail(op, `${op.mm} does not map page ${op.page}`);
        const sole = this.mappers === 1;
        const swapRefs = this.swapcache ? P : 0;
        // the reuse path frees the swap cache under the folio lock once the MM is the sole owner
        const droppable = sole && !this.locked ? swapRefs : 0;
        const oracleReuse = sole && this.refcount - droppable === this.total;
        this.events.push({ e: 'cow', op: this.opIndex, mm: m.name, id: m.id, page: op.page, refcount: this.refcount, entire: this.entire, swapRefs, locked: this.locked, shared: !sole, oracleReuse });
        if (droppable > 0) {
          this.swapcache = false;
          this.refcount -= swapRefs;
        }
        if (!oracleReuse) {
          // wp_page_copy: the PTE now maps a new page; the old one's mapping and reference go
          const before = this.mappingsOf(m);
          m.ptes[op.page] = 0;
          m.pteTotal--;
          this.remove(m, 1);
          this.refcount--;
          this.mapped(m, before);
          this.maybeFree();
        }
        return;
      }
      case 'read': {
        const askers = op.mm !== undefined ? [this.need(op, op.mm)] : this.liveMms().filter((m) => this.mappingsOf(m) > 0);
        for (const m of askers) {
          if (this.mappingsOf(m) === 0) this.fail(op, `${m.name} does not map the folio (the reader is asked by an MM that does)`);
          this.events.push({ e: 'read', op: this.opIndex, mm: m.name, id: m.id, shared: this.mappers > 1, entire: this.entire });
        }
        return;
      }
      case 'migrate':
      case 'split': {
        if (this.total === 0) this.fail(op, 'the folio is not mapped');
        // unmap everything, reset, map again MM by MM (remove_migration_ptes walks VMA by VMA)
        const adds: [number, number][] = [];
        for (const m of this.liveMms()) {
          for (let i = 0; i < m.pmds; i++) adds.push([m.id, 1]);
          for (const n of this.layers(m)) adds.push([m.id, n]);
        }
        this.events.push({ e: 'rebuild', adds });
        return;
      }
      case 'swap-add':
        if (!anon) this.fail(op, 'only an anon folio enters the swap cache');
        if (this.swapcache) this.fail(op, 'the folio is in the swap cache already');
        this.swapcache = true;
        this.refcount += P;
        return;
      case 'swap-free':
        if (!this.swapcache) this.fail(op, 'the folio is not in the swap cache');
        this.swapcache = false;
        this.refcount -= P;
        this.maybeFree();
        return;
      case 'pin':
        this.pins += op.count ?? 1;
        this.refcount += op.count ?? 1;
        return;
      case 'unpin':
        if (this.pins < (op.count ?? 1)) this.fail(op, `only ${this.pins} pins are held`);
        this.pins -= op.count ?? 1;
        this.refcount -= op.count ?? 1;
        this.maybeFree();
        return;
      case 'lock':
        if (this.locked) this.fail(op, 'the folio lock is held already');
        this.locked = true;
        return;
      case 'unlock':
        if (!this.locked) this.fail(op, 'the folio lock is not held');
        this.locked = false;
        return;
    }
  }

  /** An anon folio with no mapping and no reference is freed (a file folio stays in the page
   *  cache, holding its own references). */
  private maybeFree(): void {
    if (this.refcount === 0 && !this.locked) {
      this.allocated = false;
      this.entire = 0;
    }
  }
}

/** Runs a whole workload; a history that cannot happen is a UsageError naming the workload. */
export function runHistory(w: Workload, source: string = w.name): History {
  const h = new History(w.order, w.folio);
  try {
    for (const op of w.ops) h.apply(op);
  } catch (e) {
    if (e instanceof UsageError) throw new UsageError(`${source}: workload ${w.name}: ${e.message}`);
    throw e;
  }
  return h;
}
