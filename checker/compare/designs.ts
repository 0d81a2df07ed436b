/**
 * The two designs as `compare` drives them, sequentially: each is told the history's tracking
 * events (model/workload/history.ts) and answers its readers and COW checks from its own state
 * only, plus the folio fields outside the tracking (refcount, entire mapcount, swap cache, folio
 * lock) that the kernel's code reads too.
 *
 * - rmap-ID (rmap-ops.md, subid-math.md): the values of model/folio.ts (`applyMappings`), the
 *   reader `folio_mapped_shared(folio, mm)` of P09 (mapcount 1: exclusive; an entire mapping:
 *   shared iff mapcount != 1; else `readerDecision`), and `wp_can_reuse_anon_folio` of P10.
 * - MM owner tracking (mm-owner.md): model/mmid/tracking.ts, `folio_maybe_mapped_shared` and
 *   `__wp_can_reuse_large_anon_folio` steps 1..11 with their sanity checks.
 */
import { applyMappings, isValidRmapId, newFolio, readerDecision, subIdsOf, type FolioState } from '../../model/folio';
import { UsageError } from '../../model/errors';
import type { Scheme } from '../../model/scheme';
import { hexWord } from '../../model/word';
import { addMappings, maybeMappedShared, newFolioTracking, removeMappings, slotOf, UNMAPPED, type MmOwnerState } from '../../model/mmid/tracking';
import type { CowEvent, HistoryEvent, ReadEvent } from '../../model/workload/history';
import type { DesignName } from './result';

/** A COW decision and the sanity checks (`VM_WARN_ON`) that fired on the way. */
export interface CowDecision {
  reuse: boolean;
  /** Why (the step that decided), for traces. */
  rule: string;
  warnings: string[];
}

/** One design, driven event by event. */
export interface Design {
  readonly name: DesignName;
  /** Applies a tracking event (`new`, `add`, `remove`, `rebuild`). */
  track(ev: HistoryEvent): void;
  /** The reader: true for "shared" (mapped by another MM, or maybe). */
  read(ev: ReadEvent): { shared: boolean; rule: string };
  cow(ev: CowEvent): CowDecision;
  /** The design's state in words, field by field (traces, the viewer). */
  snapshot(): Record<string, string>;
}

/**
 * The rmap-ID reader and COW check of P09/P10 over any `decide(queryId)` of the sub-ID math, so
 * that the fast design and the reference (model/folio.ts) share these rules.
 */
abstract class RmapIdRules {
  readonly name = 'rmap-id' as const;
  protected abstract mapcount(): number;
  protected abstract decide(id: number): { verdict: 'exclusive' | 'shared'; rule: string };

  constructor(
    protected readonly scheme: Scheme,
    protected readonly order: number,
  ) {}

  /** `folio_mapped_shared(folio, mm)` of P09, no writer active. */
  read(ev: ReadEvent): { shared: boolean; rule: string } {
    if (this.mapcount() === 1) return { shared: false, rule: 'mapcount == 1' };
    if (ev.entire > 0) return { shared: true, rule: 'entire mapping, mapcount != 1' };
    const d = this.decide(ev.id);
    return { shared: d.verdict === 'shared', rule: d.rule };
  }

  /** `wp_can_reuse_anon_folio` of P10; no writer is active, so its seqcount steps 1 and 5 pass. */
  cow(ev: CowEvent): CowDecision {
    const n = this.mapcount();
    const P = 2 ** this.order;
    if (n > P) return { reuse: false, rule: 'mapcount > P', warnings: [] };
    if (ev.entire > 0) return { reuse: false, rule: 'entire mapping', warnings: [] };
    if (ev.refcount !== n) return { reuse: false, rule: 'refcount != mapcount', warnings: [] };
    const d = this.decide(ev.id);
    if (d.verdict === 'shared') return { reuse: false, rule: d.rule, warnings: [] };
    return { reuse: true, rule: 'values match', warnings: [] };
  }
}

/**
 * rmap-ID, fast: mapcount and the V values as mutable words, each MM's sub-IDs computed once
 * (model/folio.ts `subIdsOf`). The same arithmetic as `applyMappings` / `readerDecision`; the
 * tests check it against `RmapIdReference` call by call. An MM's rmap ID is its history id.
 */
export class RmapIdDesign extends RmapIdRules implements Design {
  private count = 0;
  private readonly values: bigint[];
  private readonly subIds = new Map<number, bigint[]>();
  private readonly W: number;

  constructor(scheme: Scheme, order: number) {
    super(scheme, order);
    this.values = new Array<bigint>(scheme.values).fill(0n);
    this.W = scheme.wordBits;
  }

  private subIdsFor(id: number): bigint[] {
    let s = this.subIds.get(id);
    if (!s) {
      if (!isValidRmapId(this.scheme, BigInt(id))) throw new UsageError(`rmap ID ${id} is outside 1..${(1n << BigInt(this.scheme.idBits)) - 1n} of scheme ${this.scheme.name}`);
      s = subIdsOf(this.scheme, BigInt(id));
      this.subIds.set(id, s);
    }
    return s;
  }

  private apply(id: number, delta: number): void {
    const s = this.subIdsFor(id);
    const d = BigInt(delta);
    this.count += delta;
    for (let j = 0; j < s.length; j++) this.values[j] = BigInt.asUintN(this.W, this.values[j] + d * s[j]);
  }

  protected mapcount(): number {
    return this.count;
  }

  /** subid-math.md "The decision", as `readerDecision`. */
  protected decide(id: number): { verdict: 'exclusive' | 'shared'; rule: string } {
    if (this.count > 2 ** this.order) return { verdict: 'shared', rule: 'mapcount > P' };
    const s = this.subIdsFor(id);
    const n = BigInt(this.count);
    for (let j = 0; j < s.length; j++) if (this.values[j] !== BigInt.asUintN(this.W, n * s[j])) return { verdict: 'shared', rule: 'values differ' };
    return { verdict: 'exclusive', rule: 'values match' };
  }

  track(ev: HistoryEvent): void {
    switch (ev.e) {
      case 'new':
        // values *set* on a new folio: the same as adding to zero values
        this.count = 0;
        this.values.fill(0n);
        this.apply(ev.id, ev.n);
        return;
      case 'add':
        this.apply(ev.id, ev.n);
        return;
      case 'remove':
        this.apply(ev.id, -ev.n);
        return;
      case 'rebuild':
        this.count = 0;
        this.values.fill(0n);
        for (const [id, n] of ev.adds) this.apply(id, n);
        return;
      default:
        return;
    }
  }

  snapshot(): Record<string, string> {
    return { mapcount: String(this.count), values: this.values.map((v) => hexWord(v, this.W)).join(' ') };
  }
}

/** rmap-ID, the slow obvious way: model/folio.ts `applyMappings` and `readerDecision` on an
 *  immutable folio state (the reference `replay` and the tests judge by). */
export class RmapIdReference extends RmapIdRules implements Design {
  private folio: FolioState;

  constructor(scheme: Scheme, order: number) {
    super(scheme, order);
    this.folio = newFolio(scheme, order);
  }

  protected mapcount(): number {
    return Number(this.folio.mapcount);
  }

  protected decide(id: number): { verdict: 'exclusive' | 'shared'; rule: string } {
    return readerDecision(this.folio, BigInt(id));
  }

  track(ev: HistoryEvent): void {
    switch (ev.e) {
      case 'new':
        this.folio = applyMappings(newFolio(this.scheme, this.order), BigInt(ev.id), ev.n);
        return;
      case 'add':
        this.folio = applyMappings(this.folio, BigInt(ev.id), ev.n);
        return;
      case 'remove':
        this.folio = applyMappings(this.folio, BigInt(ev.id), -ev.n);
        return;
      case 'rebuild':
        this.folio = newFolio(this.scheme, this.order);
        for (const [id, n] of ev.adds) this.folio = applyMappings(this.folio, BigInt(id), n);
        return;
      default:
        return;
    }
  }

  snapshot(): Record<string, string> {
    return { mapcount: String(this.folio.mapcount), values: this.folio.values.map((v) => hexWord(v, this.scheme.wordBits)).join(' ') };
  }
}

/** MM owner tracking: total, two (id, count) slots, SHARED. */
export class MmIdDesign implements Design {
  readonly name = 'mm-id' as const;
  private s: MmOwnerState = UNMAPPED;

  constructor(private readonly pages: number) {}

  track(ev: HistoryEvent): void {
    switch (ev.e) {
      case 'new':
        this.s = newFolioTracking(ev.id, ev.n);
        return;
      case 'add':
        this.s = addMappings(this.s, ev.id, ev.n);
        return;
      case 'remove':
        this.s = removeMappings(this.s, ev.id, ev.n);
        return;
      case 'rebuild':
        // every MM removed its mappings (both slots free, SHARED clear), then MM by MM again
        this.s = UNMAPPED;
        for (const [id, n] of ev.adds) this.s = addMappings(this.s, id, n);
        return;
      default:
        return;
    }
  }

  read(_ev: ReadEvent): { shared: boolean; rule: string } {
    const shared = maybeMappedShared(this.s.total, this.s.shared);
    return { shared, rule: this.s.total <= 1 ? 'total <= 1' : shared ? 'SHARED set' : 'SHARED clear' };
  }

  /** `__wp_can_reuse_large_anon_folio`, steps 1..11 of mm-owner.md, with nothing concurrent. */
  cow(ev: CowEvent): CowDecision {
    const s = this.s;
    const warnings: string[] = [];
    if (s.total <= 1) return { reuse: false, rule: '1: total <= 1', warnings };
    if (s.shared) return { reuse: false, rule: '2: SHARED set', warnings };
    // 3: sanity checks (not KSM: the workloads have no KSM folio)
    if (s.total > this.pages) warnings.push(`3: total ${s.total} > P ${this.pages}`);
    if (ev.entire !== 0) warnings.push(`3: entire mapcount ${ev.entire} != 0`);
    let refcount = ev.refcount;
    if (ev.swapRefs > 0) {
      // 4: trylock; free the swap cache entry (its references), unlock
      if (ev.locked) return { reuse: false, rule: '4: folio lock busy (swap cache)', warnings };
      refcount -= ev.swapRefs;
    }
    if (s.total !== refcount) return { reuse: false, rule: '5: total != refcount', warnings };
    // 6: the mapcount lock; 7: a refcount below the mappings is a bug
    if (s.total > refcount) warnings.push(`7: total ${s.total} > refcount ${refcount}`);
    if (s.shared) return { reuse: false, rule: '8: SHARED set', warnings };
    if (s.total !== refcount) return { reuse: false, rule: '9: total != refcount', warnings };
    if (slotOf(s, ev.id) === -1) warnings.push(`10: no slot holds the faulting MM ${ev.id}`);
    return { reuse: true, rule: '11: reuse', warnings };
  }

  snapshot(): Record<string, string> {
    const s = this.s;
    return { total: String(s.total), slot0: `(${s.ids[0]}, ${s.counts[0]})`, slot1: `(${s.ids[1]}, ${s.counts[1]})`, SHARED: s.shared ? 'set' : 'clear' };
  }
}
