/**
 * The reference `conform` judges C code against: the BigInt rmap math of model/ (sub-IDs from
 * model/folio.ts `subIdsOf`, words modulo 2^W with model/word.ts `wrap`, the series' schemes
 * of model/scheme.ts) applied operation by operation as rmap-ops.md describes, plus the
 * ground truth (who maps the folio how often, which references are not mappings).
 *
 * It is the mutable, incremental form of model/folio.ts (`applyMappings`, `readerDecision`,
 * `oracle`), with the sub-ID vectors computed once per MM, because the sequential mode compares
 * every one of 100,000+ operations a second; test/conform-reference.test.ts checks that both
 * forms agree on random sequences.
 */
import { subIdsOf } from '../../model/folio';
import { WIP_V1, pagesOf, schemeForOrder, type Scheme, type SchemeSet } from '../../model/scheme';
import { wrap } from '../../model/word';
import { UsageError } from '../../model/errors';
import type { ConformOp } from './ops';

export class ConformReference {
  readonly scheme: Scheme;
  readonly pages: number;
  /** Sub-ID vectors, per MM index. */
  private readonly subs: readonly bigint[][];
  mapcount = 0;
  entire = 0;
  refcount = 0;
  /** References that are not mappings (pins). */
  pins = 0;
  values: bigint[];
  /** Ground truth: mappings per MM index. */
  readonly perMm: number[];

  constructor(
    readonly order: number,
    readonly rmapIds: readonly number[],
    set: SchemeSet = WIP_V1,
  ) {
    const scheme = schemeForOrder(set, order);
    if (!scheme) throw new UsageError(`scheme set ${set.name} has no scheme for order ${order}`);
    this.scheme = scheme;
    this.pages = pagesOf(order);
    this.subs = rmapIds.map((id) => subIdsOf(scheme, BigInt(id)));
    this.values = new Array<bigint>(scheme.values).fill(0n);
    this.perMm = new Array<number>(rmapIds.length).fill(0);
  }

  /** `delta` mappings of `mm` (negative: removed): mapcount, values, ground truth. */
  private track(mm: number, delta: number): void {
    const s = this.subs[mm];
    const d = BigInt(delta);
    const W = this.scheme.wordBits;
    for (let j = 0; j < s.length; j++) this.values[j] = wrap(this.values[j] + d * s[j], W);
    this.mapcount += delta;
    this.perMm[mm] += delta;
  }

  /** Do the values equal `count` times `mm`'s sub-IDs (mod 2^W)? */
  private matches(mm: number, count: number): boolean {
    const s = this.subs[mm];
    const c = BigInt(count);
    const W = this.scheme.wordBits;
    for (let j = 0; j < s.length; j++) if (this.values[j] !== wrap(c * s[j], W)) return false;
    return true;
  }

  /** Applies a writer operation; for a reader returns the reference's answer (true: shared / reuse). */
  apply(o: ConformOp): boolean | null {
    switch (o.op) {
      case 'new-anon':
        // a new folio: values SET for its first mappings, nothing else carried over
        this.values.fill(0n);
        this.perMm.fill(0);
        this.mapcount = this.entire = this.pins = 0;
        this.refcount = o.nr;
        this.track(o.mm, o.nr);
        return null;
      case 'map':
      case 'dup':
        this.refcount += o.nr;
        this.track(o.mm, o.nr);
        return null;
      case 'unmap':
        this.track(o.mm, -o.nr);
        this.refcount -= o.nr;
        return null;
      case 'map-pmd':
      case 'dup-pmd':
        this.refcount += 1;
        this.entire += 1;
        this.track(o.mm, 1);
        return null;
      case 'unmap-pmd':
        this.entire -= 1;
        this.track(o.mm, -1);
        this.refcount -= 1;
        return null;
      case 'remap-pmd':
        // P13/P14: P PTE mappings added, then the PMD mapping removed
        this.refcount += this.pages - 1;
        this.entire -= 1;
        this.track(o.mm, this.pages - 1);
        return null;
      case 'pin':
        this.pins += 1;
        this.refcount += 1;
        return null;
      case 'unpin':
        this.pins -= 1;
        this.refcount -= 1;
        return null;
      case 'mapped-shared':
        // folio_mapped_shared (rmap-ops.md, Readers): 1 mapping, PMD, more than P, values
        if (this.mapcount === 1) return false;
        if (this.entire > 0 || this.mapcount > this.pages) return true;
        return !this.matches(o.mm, this.mapcount);
      case 'cow-reuse':
        // P10 at rest (no writer active): every reference a mapping, every mapping the MM's
        if (this.mapcount > this.pages || this.entire > 0) return false;
        if (this.refcount !== this.mapcount) return false;
        return this.matches(o.mm, this.mapcount);
    }
  }

  /** Ground truth for a reader: may it answer "exclusive" / "reuse" (false: it must say shared / copy)? */
  mayBeExclusive(o: ConformOp): boolean {
    if (o.op !== 'mapped-shared' && o.op !== 'cow-reuse') return false;
    const others = this.perMm.some((n, mm) => mm !== o.mm && n > 0);
    if (o.op === 'mapped-shared') return !others && this.perMm[o.mm] > 0;
    return !others && this.pins === 0;
  }
}
