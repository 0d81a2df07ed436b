/**
 * The abstract operations `conform` asks of an implementation (the adapter ABI,
 * conform/include/rmapcheck/adapter.h), as data. MMs are indices into the case's rmap IDs.
 */

/** Which writer path: as the code decides, as a shared writer, or trying to be exclusive. */
export type WriterPath = 'auto' | 'shared' | 'exclusive';
export const WRITER_PATHS: readonly WriterPath[] = ['auto', 'shared', 'exclusive'];

export type ConformOp =
  | { readonly op: 'new-anon'; readonly mm: number; readonly nr: number }
  | { readonly op: 'map'; readonly mm: number; readonly page: number; readonly nr: number; readonly path: WriterPath }
  | { readonly op: 'unmap'; readonly mm: number; readonly page: number; readonly nr: number; readonly path: WriterPath }
  | { readonly op: 'dup'; readonly from: number; readonly mm: number; readonly page: number; readonly nr: number; readonly path: WriterPath }
  | { readonly op: 'map-pmd'; readonly mm: number; readonly path: WriterPath }
  | { readonly op: 'unmap-pmd'; readonly mm: number; readonly path: WriterPath }
  | { readonly op: 'dup-pmd'; readonly from: number; readonly mm: number; readonly path: WriterPath }
  | { readonly op: 'remap-pmd'; readonly mm: number; readonly path: WriterPath }
  | { readonly op: 'pin' }
  | { readonly op: 'unpin' }
  | { readonly op: 'mapped-shared'; readonly mm: number }
  | { readonly op: 'cow-reuse'; readonly mm: number; readonly page: number };

/** One sequence: a folio of `order`, MMs with these rmap IDs, the operations in order. */
export interface ConformCase {
  readonly order: number;
  readonly rmapIds: readonly number[];
  readonly ops: readonly ConformOp[];
}

/** Operations that open a write section (the sequence must advance). */
export function isWrite(o: ConformOp): boolean {
  return o.op !== 'new-anon' && o.op !== 'pin' && o.op !== 'unpin' && o.op !== 'mapped-shared' && o.op !== 'cow-reuse';
}

export function isReader(o: ConformOp): o is Extract<ConformOp, { op: 'mapped-shared' | 'cow-reuse' }> {
  return o.op === 'mapped-shared' || o.op === 'cow-reuse';
}

const mmName = (mm: number): string => `MM${mm}`;

/** The operation as a kernel developer reads it, e.g. `map 3 PTEs of MM1 at page 4 (exclusive)`. */
export function describeOp(o: ConformOp): string {
  const path = 'path' in o && o.path !== 'auto' ? ` (${o.path})` : '';
  const pages = (page: number, nr: number) => (nr === 1 ? `page ${page}` : `pages ${page}..${page + nr - 1}`);
  const ptes = (nr: number) => (nr === 1 ? '1 PTE' : `${nr} PTEs`);
  switch (o.op) {
    case 'new-anon':
      return `new anonymous folio, ${ptes(o.nr)} of ${mmName(o.mm)}`;
    case 'map':
      return `map ${ptes(o.nr)} of ${mmName(o.mm)}, ${pages(o.page, o.nr)}${path}`;
    case 'unmap':
      return `unmap ${ptes(o.nr)} of ${mmName(o.mm)}, ${pages(o.page, o.nr)}${path}`;
    case 'dup':
      return `fork: ${mmName(o.mm)} duplicates ${ptes(o.nr)} of ${mmName(o.from)}, ${pages(o.page, o.nr)}${path}`;
    case 'map-pmd':
      return `map the PMD of ${mmName(o.mm)}${path}`;
    case 'unmap-pmd':
      return `unmap the PMD of ${mmName(o.mm)}${path}`;
    case 'dup-pmd':
      return `fork: ${mmName(o.mm)} duplicates the PMD of ${mmName(o.from)}${path}`;
    case 'remap-pmd':
      return `remap the PMD of ${mmName(o.mm)} as PTEs${path}`;
    case 'pin':
      return 'take a reference (GUP pin)';
    case 'unpin':
      return 'drop the pin';
    case 'mapped-shared':
      return `folio_mapped_shared(folio, ${mmName(o.mm)})`;
    case 'cow-reuse':
      return `COW reuse check of ${mmName(o.mm)}, page ${o.page}`;
  }
}

/**
 * Why `c`'s operations are not a valid sequence on a fresh folio, or null: what the generator
 * (generators/conform.ts) guarantees by construction, checked on the operations themselves, so
 * that a hand-edited trace or a subsequence tried by minimize is judged by the same rule. An MM
 * unmaps, duplicates or COW-faults only pages it maps (per page), removes or duplicates only a
 * PMD it maps, maps at most 2 PMDs; a reader's MM maps the folio; pins stay in 0..3; at most
 * 4 * P mappings at once; every page range inside the folio.
 */
export function sequenceProblem(c: ConformCase): string | null {
  const P = 2 ** c.order;
  const M = c.rmapIds.length;
  // per MM, per page: PTE mappings (typed arrays: order 15 has 32,768 pages)
  let ptes: Int32Array[] = Array.from({ length: M }, () => new Int32Array(P));
  let pmds: number[] = new Array<number>(M).fill(0);
  let pins = 0;
  let mapcount = 0;
  const maps = (mm: number, page: number, nr: number) => ptes[mm].subarray(page, page + nr).every((n) => n > 0);
  for (const [i, o] of c.ops.entries()) {
    const bad = (why: string) => `operation ${i + 1} (${describeOp(o)}): ${why}`;
    if ('page' in o && (o.page < 0 || o.page + ('nr' in o ? o.nr : 1) > P)) return bad(`pages outside the folio of ${P} pages`);
    switch (o.op) {
      case 'new-anon':
        if (o.nr > P) return bad(`more than the folio's ${P} pages`);
        ptes = Array.from({ length: M }, () => new Int32Array(P));
        pmds = new Array<number>(M).fill(0);
        for (let p = 0; p < o.nr; p++) ptes[o.mm][p] = 1;
        pins = 0;
        mapcount = o.nr;
        break;
      case 'map':
        for (let p = o.page; p < o.page + o.nr; p++) ptes[o.mm][p]++;
        mapcount += o.nr;
        break;
      case 'unmap':
        if (!maps(o.mm, o.page, o.nr)) return bad(`MM${o.mm} does not map these pages`);
        for (let p = o.page; p < o.page + o.nr; p++) ptes[o.mm][p]--;
        mapcount -= o.nr;
        break;
      case 'dup':
        if (o.from === o.mm) return bad('an MM duplicates into itself');
        if (!maps(o.from, o.page, o.nr)) return bad(`MM${o.from} does not map these pages`);
        for (let p = o.page; p < o.page + o.nr; p++) ptes[o.mm][p]++;
        mapcount += o.nr;
        break;
      case 'map-pmd':
        if (pmds[o.mm] >= 2) return bad(`MM${o.mm} maps 2 PMDs already`);
        pmds[o.mm]++;
        mapcount++;
        break;
      case 'unmap-pmd':
        if (pmds[o.mm] === 0) return bad(`MM${o.mm} maps no PMD`);
        pmds[o.mm]--;
        mapcount--;
        break;
      case 'dup-pmd':
        if (o.from === o.mm) return bad('an MM duplicates into itself');
        if (pmds[o.from] === 0) return bad(`MM${o.from} maps no PMD`);
        if (pmds[o.mm] >= 2) return bad(`MM${o.mm} maps 2 PMDs already`);
        pmds[o.mm]++;
        mapcount++;
        break;
      case 'remap-pmd':
        if (pmds[o.mm] === 0) return bad(`MM${o.mm} maps no PMD`);
        pmds[o.mm]--;
        for (let p = 0; p < P; p++) ptes[o.mm][p]++;
        mapcount += P - 1;
        break;
      case 'pin':
        if (pins >= 3) return bad('more than 3 pins');
        pins++;
        break;
      case 'unpin':
        if (pins === 0) return bad('no pin to drop');
        pins--;
        break;
      case 'mapped-shared':
        if (pmds[o.mm] === 0 && !ptes[o.mm].some((n) => n > 0)) return bad(`MM${o.mm} does not map the folio`);
        break;
      case 'cow-reuse':
        if (!maps(o.mm, o.page, 1)) return bad(`MM${o.mm} does not map page ${o.page}`);
        break;
    }
    if (mapcount > 4 * P) return bad(`more than 4 * P = ${4 * P} mappings`);
  }
  return null;
}
