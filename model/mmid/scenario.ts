/**
 * Scenarios of the mmid model as data (docs/scenarios.md, "mmid model scenarios"): a folio of
 * order 2..9, MMs (live from the start, or created by an op and given the lowest free id), the
 * initial mappings and the threads with their operations. `parseScenario` validates a JSON value
 * and throws a one-line UsageError naming the first problem.
 *
 * Preconditions are not checked statically over every interleaving (as the rmap scenarios are):
 * an op waits until what it needs exists (an unmap for its PTEs, a fork for its source mapping
 * and a live child, a COW fault for its PTE, a map for a live MM), so that threads can be ordered
 * by their mappings. A scenario whose op can never run ends in a `deadlock`. An op also waits
 * for its MM's mmap lock (program.ts `mmapHold`: a fork or exit of X excludes every other op of X).
 */
import { isObj, scenarioChecks } from '../scenario-input';

export type OpJson =
  | { op: 'map' | 'unmap'; mm: string; n?: number; page?: number }
  | { op: 'map-pmd' | 'unmap-pmd' | 'remap-pmd' | 'create' | 'exit'; mm: string }
  | { op: 'fork'; from: string; to: string; n?: number; page?: number; pmd?: boolean }
  | { op: 'new-folio'; mm: string; n?: number; page?: number }
  | { op: 'migrate' | 'swapcache-add' | 'swapcache-del' | 'pin' | 'unpin' | 'maybe-shared' }
  | { op: 'cow'; mm: string; page?: number };

export interface ScenarioJson {
  name?: string;
  description?: string;
  order: number;
  mms: { name: string; live?: boolean }[];
  initial?: ({ mm: string; ptes: number; page?: number } | { mm: string; pmd: true })[];
  threads: { name: string; ops: OpJson[] }[];
  notReached?: string[];
  /** Properties the correct protocol is known to violate here (findings): "counterexample" on
   *  every variant, or the list of variants it does on. */
  expect?: Record<string, 'counterexample' | string[]>;
}

/** A validated op: MMs resolved to indices, pages to explicit lists. */
export type Op =
  | { kind: 'map' | 'unmap'; mm: number; pages: number[] }
  | { kind: 'map-pmd' | 'unmap-pmd' | 'remap-pmd' | 'create' | 'exit'; mm: number }
  | { kind: 'fork'; from: number; mm: number; pages: number[]; pmd: boolean }
  | { kind: 'new-folio'; mm: number; pages: number[] }
  | { kind: 'migrate' | 'swapcache-add' | 'swapcache-del' | 'pin' | 'unpin' | 'maybe-shared'; mm: -1 }
  | { kind: 'cow'; mm: number; page: number };

export interface Scenario {
  readonly name: string;
  readonly description: string;
  readonly order: number;
  readonly pages: number;
  readonly mms: readonly { readonly name: string; readonly live: boolean }[];
  readonly initialPtes: readonly (readonly number[])[];
  readonly initialPmds: readonly number[];
  readonly threads: readonly { readonly name: string; readonly ops: readonly Op[] }[];
  readonly notReached: readonly string[];
  readonly expect: Readonly<Record<string, 'counterexample' | readonly string[]>>;
}

/** The properties scenario `sc` expects a counterexample of on `variant`. */
export function expectedFindings(sc: { readonly expect: Scenario['expect'] }, variant: string): string[] {
  return Object.entries(sc.expect)
    .filter(([, v]) => v === 'counterexample' || v.includes(variant))
    .map(([k]) => k);
}

/** The `sometimes` properties of the mmid model (properties.ts says when a scenario has each). */
export const MMID_SOMETIMES = ['false-shared-at-rest', 'untracked-mm', 'slot-freed-by-underflow', 'cow-reused', 'reader-saw-remap', 'count-overflowed', 'refcount-above-total-locked'] as const;
const SOMETIMES_NAMES: readonly string[] = MMID_SOMETIMES;
const VARIANT_NAMES: readonly string[] = ['page-mapcount', 'no-page-mapcount'];

const OP_FIELDS: Readonly<Record<string, readonly string[]>> = {
  map: ['op', 'mm', 'n', 'page'],
  unmap: ['op', 'mm', 'n', 'page'],
  'map-pmd': ['op', 'mm'],
  'unmap-pmd': ['op', 'mm'],
  'remap-pmd': ['op', 'mm'],
  create: ['op', 'mm'],
  exit: ['op', 'mm'],
  fork: ['op', 'from', 'to', 'n', 'page', 'pmd'],
  'new-folio': ['op', 'mm', 'n', 'page'],
  migrate: ['op'],
  'swapcache-add': ['op'],
  'swapcache-del': ['op'],
  pin: ['op'],
  unpin: ['op'],
  'maybe-shared': ['op'],
  cow: ['op', 'mm', 'page'],
};
const TOP_FIELDS = ['name', 'description', 'order', 'mms', 'initial', 'threads', 'notReached', 'expect'];

const CHECKS = scenarioChecks('mmid scenario');
// (a declared type: a call of `fail` ends the control flow for the type checker's narrowing)
const fail: (where: string, msg: string) => never = CHECKS.fail;
const { onlyFields, intIn } = CHECKS;

/** Validates a scenario; `source` names it in messages (preset name or file path). */
export function parseScenario(data: unknown, source: string): Scenario {
  if (!isObj(data)) fail(source, 'must be a JSON object');
  const d = data;
  const name = typeof d.name === 'string' ? d.name : source;
  onlyFields(name, '', d, TOP_FIELDS);
  const order = intIn(name, 'order', d.order, 2, 9);
  const P = 2 ** order;
  if (!Array.isArray(d.mms) || d.mms.length === 0) fail(name, 'mms must be a non-empty list of {name, live?}');
  if (d.mms.length > 8) fail(name, 'at most 8 MMs');
  const mms: { name: string; live: boolean }[] = [];
  for (const m of d.mms as unknown[]) {
    if (!isObj(m) || typeof m.name !== 'string' || m.name === '') fail(name, 'each MM needs a non-empty "name"');
    onlyFields(name, `MM "${m.name}"`, m, ['name', 'live']);
    if (mms.some((x) => x.name === m.name)) fail(name, `MM "${m.name}" is listed twice`);
    if (m.live !== undefined && typeof m.live !== 'boolean') fail(name, `MM "${m.name}": live must be true or false`);
    mms.push({ name: m.name, live: m.live !== false });
  }
  const mmIndex = (where: string, x: unknown): number => {
    const i = mms.findIndex((m) => m.name === x);
    if (i < 0) fail(name, `${where}: unknown MM ${JSON.stringify(x)} (MMs: ${mms.map((m) => m.name).join(', ')})`);
    return i;
  };
  const pageList = (where: string, page: unknown, n: unknown, dflt = 1): number[] => {
    const p = page === undefined ? 0 : intIn(name, `${where}: page`, page, 0, P - 1);
    const k = n === undefined ? dflt : intIn(name, `${where}: n`, n, 1, P);
    if (p + k > P) fail(name, `${where}: pages ${p}..${p + k - 1} are outside the folio's ${P} pages`);
    return Array.from({ length: k }, (_, i) => p + i);
  };

  const initialPtes = mms.map(() => new Array<number>(P).fill(0));
  const initialPmds = mms.map(() => 0);
  if (d.initial !== undefined && !Array.isArray(d.initial)) fail(name, 'initial must be a list');
  for (const [i, e] of ((d.initial as unknown[]) ?? []).entries()) {
    const where = `initial[${i}]`;
    if (!isObj(e)) fail(name, `${where} must be {mm, ptes, page?} or {mm, pmd: true}`);
    onlyFields(name, where, e, ['mm', 'ptes', 'page', 'pmd']);
    const mm = mmIndex(where, e.mm);
    if (!mms[mm].live) fail(name, `${where}: MM "${mms[mm].name}" is not live at the start`);
    if (e.pmd === true && e.ptes === undefined && e.page === undefined) initialPmds[mm]++;
    else if (e.pmd === undefined) for (const p of pageList(where, e.page, e.ptes)) initialPtes[mm][p]++;
    else fail(name, `${where} must have either "ptes" or "pmd": true`);
  }
  const initialTotal = initialPtes.flat().reduce((a, b) => a + b, 0) + initialPmds.reduce((a, b) => a + b, 0);

  if (!Array.isArray(d.threads) || d.threads.length === 0) fail(name, 'threads must be a non-empty list of {name, ops}');
  const threads = CHECKS.threadList(name, d.threads as unknown[], ['name', 'ops'], OP_FIELDS, (o, where, i): Op => {
    switch (o.op) {
      case 'map':
      case 'unmap':
        return { kind: o.op, mm: mmIndex(where, o.mm), pages: pageList(where, o.page, o.n) };
      case 'map-pmd':
      case 'unmap-pmd':
      case 'remap-pmd':
      case 'create':
      case 'exit':
        return { kind: o.op, mm: mmIndex(where, o.mm) };
      case 'fork': {
        const from = mmIndex(where, o.from);
        const to = mmIndex(where, o.to);
        if (from === to) fail(name, `${where}: fork from "${o.from}" to itself`);
        if (o.pmd !== undefined && o.pmd !== true) fail(name, `${where}: pmd must be true when given`);
        if (o.pmd === true && (o.n !== undefined || o.page !== undefined)) fail(name, `${where}: a PMD fork has no "n" or "page"`);
        return { kind: 'fork', from, mm: to, pages: o.pmd === true ? [] : pageList(where, o.page, o.n), pmd: o.pmd === true };
      }
      case 'new-folio':
        if (i !== 0) fail(name, `${where}: new-folio must be a thread's first op`);
        if (initialTotal !== 0) fail(name, `${where}: new-folio needs an unmapped folio (initial must be empty)`);
        return { kind: 'new-folio', mm: mmIndex(where, o.mm), pages: pageList(where, o.page, o.n, P) };
      case 'cow':
        return { kind: 'cow', mm: mmIndex(where, o.mm), page: pageList(where, o.page, 1)[0] };
      default:
        return { kind: o.op as 'migrate', mm: -1 };
    }
  }).map((t) => ({ name: t.name, ops: t.ops }));
  const all = threads.flatMap((t) => t.ops);
  if (all.filter((o) => o.kind === 'new-folio').length > 1) fail(name, 'at most one new-folio op (a folio is new only once)');
  if (all.some((o) => o.kind === 'migrate')) {
    // the model migrates PTE mappings only, with no other writer: the other threads may read
    if (all.filter((o) => o.kind === 'migrate').length > 1) fail(name, 'at most one migrate op');
    const writer = threads.find((t) => !t.ops.some((o) => o.kind === 'migrate') && t.ops.some((o) => !['maybe-shared', 'pin', 'unpin'].includes(o.kind)));
    if (writer) fail(name, `migrate: thread "${writer.name}" must only read (maybe-shared) or pin while another thread migrates`);
    if (initialPmds.some((c) => c > 0) || all.some((o) => o.kind === 'map-pmd' || (o.kind === 'fork' && o.pmd))) fail(name, 'migrate: PMD mappings are not modelled with migrate');
  }
  if (d.notReached !== undefined && (!Array.isArray(d.notReached) || !d.notReached.every((x) => SOMETIMES_NAMES.includes(x))))
    fail(name, `notReached must be a list of sometimes-property names (${SOMETIMES_NAMES.join(', ')})`);
  if (d.expect !== undefined && (!isObj(d.expect) || !Object.values(d.expect).every((v) => v === 'counterexample' || (Array.isArray(v) && v.every((x) => VARIANT_NAMES.includes(x))))))
    fail(name, `expect must map property names to "counterexample" or a list of variants (${VARIANT_NAMES.join(', ')})`);
  return {
    name,
    description: typeof d.description === 'string' ? d.description : '',
    order,
    pages: P,
    mms,
    initialPtes,
    initialPmds,
    threads,
    notReached: (d.notReached as string[] | undefined) ?? [],
    expect: (d.expect as Record<string, 'counterexample' | string[]> | undefined) ?? {},
  };
}
