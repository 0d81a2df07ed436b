/**
 * Workloads of `rmapcheck compare`: sequential histories of operations on one large folio, as
 * data (workloads/*.json, a file given by path, or drawn by model/workload/generate.ts). This file
 * is the format and its shape check; model/workload/history.ts gives the operations their meaning
 * (the ground truth) and judges whether a history is valid at all.
 */
import { UsageError } from '../errors';
import { parseUserJson } from '../json-input';

/** Orders a workload may have: 2 (the smallest tracked large folio) to 9 (a PMD on x86-64). */
export const MIN_WORKLOAD_ORDER = 2;
export const MAX_WORKLOAD_ORDER = 9;
/** The order whose folio one PMD maps (`HPAGE_PMD_ORDER` with 4 KiB pages). */
export const PMD_ORDER = 9;
/** Most operations of one workload (a bound on the work and the trace size). */
export const MAX_WORKLOAD_OPS = 100_000;
/** Largest MM / rmap ID a workload may name: the rmap IDs' 24 bits (model/scheme.ts `idBits`). */
export const MAX_EXPLICIT_ID = (1 << 24) - 1;

/** An MM's name in a workload (`P`, `C1`, `worker-3`). */
export type MmName = string;

/**
 * One operation. Pages are numbered 0..P-1; a PTE batch is `count` pages from `start`.
 * - `mm`: a process that will map the folio is created (its id: `id`, or the lowest free one).
 * - `new`: the folio is allocated and mapped by `mm` (created if needed): `pages` PTEs from page
 *   0 (default P), or one PMD (`pmd: true`). An anon folio's tracking is *set*, not added.
 * - `map` / `unmap`: a PTE batch of `mm` (one add / remove of `count` mappings).
 * - `map-pmd` / `unmap-pmd` / `remap-pmd`: a PMD mapping (order 9 only); remap turns `mm`'s PMD
 *   into P PTEs (add P, then remove the PMD's 1).
 * - `fork`: `child` gets its own id and a copy of `parent`'s mappings (PMDs, then PTE batches).
 * - `exit`: every mapping of `mm` removed, then its id is freed (a later MM may get it).
 * - `cow`: a write fault of `mm` on `page` (anon; `mm` maps it by a PTE): each design decides
 *   reuse or copy; the history follows the perfect oracle (copy: `mm` unmaps that page).
 * - `read`: "is the folio mapped by another MM than `mm`?" (without `mm`: every MM that maps
 *   the folio asks once, in creation order).
 * - `migrate` / `split`: every MM's mappings removed, the tracking reset, and re-added MM by MM
 *   (mm-owner.md); the folio keeps its order here (what the tracking sees of a split).
 * - `swap-add` / `swap-free`: the folio enters / leaves the swap cache (P references).
 * - `pin` / `unpin`: `count` GUP pins (references that are no mappings).
 * - `lock` / `unlock`: someone else holds the folio lock (a COW fault's trylock fails).
 */
export type WorkloadOp =
  | { op: 'mm'; mm: MmName; id?: number }
  | { op: 'new'; mm: MmName; pages?: number; pmd?: boolean; id?: number }
  | { op: 'map' | 'unmap'; mm: MmName; start: number; count: number }
  | { op: 'map-pmd' | 'unmap-pmd' | 'remap-pmd'; mm: MmName }
  | { op: 'fork'; parent: MmName; child: MmName; id?: number }
  | { op: 'exit'; mm: MmName }
  | { op: 'cow'; mm: MmName; page: number }
  | { op: 'read'; mm?: MmName }
  | { op: 'migrate' | 'split' | 'swap-add' | 'swap-free' | 'lock' | 'unlock' }
  | { op: 'pin' | 'unpin'; count?: number };

export type OpName = WorkloadOp['op'];

/** What a folio is: anonymous memory (COW faults) or a page-cache folio of a file. */
export type FolioKind = 'anon' | 'file';

export interface Workload {
  /** Its name (preset name, or what the file says; random: `random-<run>`). */
  name: string;
  /** One line for people. */
  description: string;
  /** Folio order, 2..9 (P = 2^order pages). */
  order: number;
  folio: FolioKind;
  ops: WorkloadOp[];
}

/** The fields each operation takes, required ones first (`?`: optional). */
const OP_FIELDS: Readonly<Record<OpName, readonly string[]>> = {
  mm: ['mm', 'id?'],
  new: ['mm', 'pages?', 'pmd?', 'id?'],
  map: ['mm', 'start', 'count'],
  unmap: ['mm', 'start', 'count'],
  'map-pmd': ['mm'],
  'unmap-pmd': ['mm'],
  'remap-pmd': ['mm'],
  fork: ['parent', 'child', 'id?'],
  exit: ['mm'],
  cow: ['mm', 'page'],
  read: ['mm?'],
  migrate: [],
  split: [],
  'swap-add': [],
  'swap-free': [],
  lock: [],
  unlock: [],
  pin: ['count?'],
  unpin: ['count?'],
};

export const OP_NAMES = Object.keys(OP_FIELDS) as OpName[];

const NAME = /^[A-Za-z0-9_.+-]{1,40}$/;

/** Problems of one operation's shape (fields, types, ranges that need no history). */
function opProblems(o: unknown, order: number): string[] {
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return ['is not an object'];
  const r = o as Record<string, unknown>;
  if (typeof r.op !== 'string' || !(r.op in OP_FIELDS)) return [`unknown op ${JSON.stringify(r.op)} (one of ${OP_NAMES.join(', ')})`];
  const fields = OP_FIELDS[r.op as OpName];
  const p: string[] = [];
  const names = fields.map((f) => f.replace('?', ''));
  for (const f of fields) if (!f.endsWith('?') && !(f in r)) p.push(`has no "${f}"`);
  for (const k of Object.keys(r)) if (k !== 'op' && !names.includes(k)) p.push(`has an unknown field "${k}"`);
  const P = 2 ** order;
  for (const k of ['mm', 'parent', 'child'])
    if (k in r && names.includes(k) && !(typeof r[k] === 'string' && NAME.test(r[k] as string))) p.push(`"${k}" must be an MM name (1..40 of A-Z a-z 0-9 _ . + -)`);
  const int = (k: string, lo: number, hi: number) => {
    if (k in r && names.includes(k) && !(Number.isInteger(r[k]) && (r[k] as number) >= lo && (r[k] as number) <= hi)) p.push(`"${k}" must be an integer in ${lo}..${hi}`);
  };
  int('id', 1, MAX_EXPLICIT_ID);
  int('start', 0, P - 1);
  int('count', 1, r.op === 'pin' || r.op === 'unpin' ? 1_000_000 : P);
  int('pages', 1, P);
  int('page', 0, P - 1);
  if ('pmd' in r && typeof r.pmd !== 'boolean') p.push('"pmd" must be true or false');
  if (p.length === 0 && (r.op === 'map' || r.op === 'unmap') && (r.start as number) + (r.count as number) > P)
    p.push(`pages ${r.start}..${(r.start as number) + (r.count as number) - 1} are beyond the folio's P = ${P}`);
  if (p.length === 0 && r.op === 'new' && r.pmd === true && 'pages' in r) p.push('takes "pages" or "pmd": true, not both');
  return p;
}

/**
 * Checks the shape of a workload (an object from JSON); every problem named, in one line. The
 * history's own validity (an MM that maps what it unmaps, ...) is history.ts's `runHistory`.
 */
export function toWorkload(data: unknown, source: string): Workload {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new UsageError(`${source}: a workload must be a JSON object { name, description, order, folio, ops }`);
  const o = data as Record<string, unknown>;
  const p: string[] = [];
  const known = ['name', 'description', 'order', 'folio', 'ops'];
  for (const k of ['name', 'order', 'folio', 'ops']) if (!(k in o)) p.push(`has no "${k}"`);
  for (const k of Object.keys(o)) if (!known.includes(k)) p.push(`has an unknown field "${k}"`);
  if ('name' in o && !(typeof o.name === 'string' && NAME.test(o.name))) p.push('"name" must be 1..40 of A-Z a-z 0-9 _ . + -');
  if ('description' in o && typeof o.description !== 'string') p.push('"description" must be a string');
  const orderOk = Number.isInteger(o.order) && (o.order as number) >= MIN_WORKLOAD_ORDER && (o.order as number) <= MAX_WORKLOAD_ORDER;
  if ('order' in o && !orderOk) p.push(`"order" must be an integer in ${MIN_WORKLOAD_ORDER}..${MAX_WORKLOAD_ORDER}`);
  if ('folio' in o && o.folio !== 'anon' && o.folio !== 'file') p.push('"folio" must be "anon" or "file"');
  if ('ops' in o) {
    if (!Array.isArray(o.ops) || o.ops.length === 0) p.push('"ops" must be a non-empty list of operations');
    else if (o.ops.length > MAX_WORKLOAD_OPS) p.push(`"ops" has ${o.ops.length} operations (at most ${MAX_WORKLOAD_OPS})`);
    else if (orderOk)
      o.ops.forEach((op, i) => {
        for (const m of opProblems(op, o.order as number)) p.push(`op ${i}${describeOpBrief(op)} ${m}`);
      });
  }
  if (p.length === 1) throw new UsageError(`${source}: workload ${p[0]}`);
  if (p.length > 1) throw new UsageError(`${source}: ${p.length} problems: ${p.slice(0, 8).map((m) => `workload ${m}`).join('; ')}${p.length > 8 ? `; (+${p.length - 8} more)` : ''}`);
  return { name: o.name as string, description: (o.description as string | undefined) ?? '', order: o.order as number, folio: o.folio as FolioKind, ops: o.ops as WorkloadOp[] };
}

function describeOpBrief(op: unknown): string {
  const name = (op as { op?: unknown } | null)?.op;
  return typeof name === 'string' && name in OP_FIELDS ? ` (${name})` : '';
}

/** A workload file's text, checked (toWorkload). */
export function parseWorkloadText(text: string, source: string): Workload {
  return toWorkload(parseUserJson(text, source), source);
}

/** The operation in words, for tables and traces (`fork P -> C1`, `unmap C1 pages 0..3`). */
export function describeOp(op: WorkloadOp): string {
  const range = (s: number, n: number) => (n === 1 ? `page ${s}` : `pages ${s}..${s + n - 1}`);
  switch (op.op) {
    case 'mm':
      return `new MM ${op.mm}${op.id !== undefined ? ` (id ${op.id})` : ''}`;
    case 'new':
      return `new folio, mapped by ${op.mm}${op.pmd ? ' with a PMD' : op.pages !== undefined ? ` (${op.pages} PTEs)` : ''}`;
    case 'map':
    case 'unmap':
      return `${op.op} ${op.mm} ${range(op.start, op.count)}`;
    case 'map-pmd':
    case 'unmap-pmd':
    case 'remap-pmd':
      return `${op.op} ${op.mm}`;
    case 'fork':
      return `fork ${op.parent} -> ${op.child}${op.id !== undefined ? ` (id ${op.id})` : ''}`;
    case 'exit':
      return `exit ${op.mm}`;
    case 'cow':
      return `COW fault ${op.mm} page ${op.page}`;
    case 'read':
      return op.mm !== undefined ? `read by ${op.mm}` : 'read by every MM';
    case 'pin':
    case 'unpin':
      return `${op.op} ${op.count ?? 1}`;
    default:
      return op.op;
  }
}
