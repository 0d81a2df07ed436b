/**
 * Scenarios of the rmap model as data (docs/scenarios.md): a folio, a scheme, the seqcount
 * variant, MMs with rmap IDs, the initial mappings and the threads with their operations.
 * `parseScenario` validates a JSON value and throws a one-line UsageError naming the first
 * problem; the result (`Scenario`) is what the step compiler (`program.ts`) works from.
 */
import { isObj, scenarioChecks } from '../scenario-input';
import { Scheme, WIP_V1, pagesOf, schemeForOrder, schemeProblems } from '../scheme';
import { subIdsOf } from '../folio';
import { VARIANTS, layoutOf, shrink, type Layout, type Variant } from '../seqcount/layout';

/** One operation of a thread, as written in a scenario file. */
export type OpJson =
  | { op: 'map' | 'unmap'; mm: string; n?: number; page?: number }
  | { op: 'map-pmd' | 'unmap-pmd' | 'remap-pmd'; mm: string }
  | { op: 'fork'; from: string; to: string; page?: number; pmd?: boolean }
  | { op: 'new-anon'; mm: string; n?: number; page?: number }
  | { op: 'swapcache-add' | 'swapcache-del' | 'pin' | 'unpin' }
  | { op: 'mapped-shared'; mm: string }
  | { op: 'cow-reuse'; mm: string; page?: number };

export interface ScenarioJson {
  name?: string;
  description?: string;
  order: number;
  scheme: 'wip-v1' | { name?: string; values: number; chunkBits: number; bound: number | string; wordBits: number; idBits: number };
  seqcount: Variant;
  p20?: boolean;
  seqBits?: number;
  mms: { name: string; rmapId: number | string }[];
  initial?: ({ mm: string; ptes: number; page?: number } | { mm: string; pmd: true })[];
  threads: { name: string; ops: OpJson[]; repeat?: boolean }[];
  /** `sometimes` properties this scenario does not reach (dropped from the ones its features
   *  select, see docs/scenarios.md). */
  notReached?: string[];
  /** Properties the CORRECT protocol is known to violate in this scenario (findings), e.g.
   *  `{ "finishes:R0": "counterexample" }` for the livelock. */
  expect?: Record<string, 'counterexample'>;
}

/** A validated operation: MMs resolved to indices, pages to explicit lists. */
export type Op =
  | { kind: 'map' | 'unmap'; mm: number; pages: number[] }
  | { kind: 'map-pmd' | 'unmap-pmd' | 'remap-pmd'; mm: number }
  | { kind: 'fork'; from: number; mm: number; pages: number[]; pmd: boolean }
  | { kind: 'new-anon'; mm: number; pages: number[] }
  | { kind: 'swapcache-add' | 'swapcache-del' | 'pin' | 'unpin' }
  | { kind: 'mapped-shared'; mm: number }
  | { kind: 'cow-reuse'; mm: number; page: number };

export interface MmInfo {
  readonly name: string;
  readonly rmapId: bigint;
  readonly subIds: readonly bigint[];
}

export interface Scenario {
  readonly name: string;
  readonly description: string;
  readonly order: number;
  /** Pages P = 2^order. */
  readonly pages: number;
  readonly scheme: Scheme;
  readonly layout: Layout;
  readonly p20: boolean;
  readonly mms: readonly MmInfo[];
  /** Initial PTE counts per [mm][page] and PMD counts per mm. */
  readonly initialPtes: readonly (readonly number[])[];
  readonly initialPmds: readonly number[];
  readonly threads: readonly { name: string; ops: readonly Op[]; repeat: boolean }[];
  readonly notReached: readonly string[];
  readonly expect: Readonly<Record<string, 'counterexample'>>;
  /** The scenario as given (for params and traces). */
  readonly json: ScenarioJson;
}

/** The `sometimes` properties of the rmap model (model.ts gives each its meaning and when a
 *  scenario has it by default). */
export const SOMETIMES = ['reader-retried', 'exclusive-writer', 'value-wrapped', 'mapcount-P+1', 'cow-reused'] as const;
const SOMETIMES_NAMES: readonly string[] = SOMETIMES;

/** Each op with its fields (as `OpJson` has them): any other field is refused, so that a typo
 *  ("pages" for "page") is not silently the default. */
const OP_FIELDS: Readonly<Record<string, readonly string[]>> = {
  map: ['op', 'mm', 'n', 'page'],
  unmap: ['op', 'mm', 'n', 'page'],
  'map-pmd': ['op', 'mm'],
  'unmap-pmd': ['op', 'mm'],
  'remap-pmd': ['op', 'mm'],
  fork: ['op', 'from', 'to', 'page', 'pmd'],
  'new-anon': ['op', 'mm', 'n', 'page'],
  'swapcache-add': ['op'],
  'swapcache-del': ['op'],
  pin: ['op'],
  unpin: ['op'],
  'mapped-shared': ['op', 'mm'],
  'cow-reuse': ['op', 'mm', 'page'],
};
const TOP_FIELDS = ['name', 'description', 'order', 'scheme', 'seqcount', 'p20', 'seqBits', 'mms', 'initial', 'threads', 'notReached', 'expect'];
const MM_FIELDS = ['name', 'rmapId'];
const INITIAL_FIELDS = ['mm', 'ptes', 'page', 'pmd'];
const THREAD_FIELDS = ['name', 'ops', 'repeat'];

const CHECKS = scenarioChecks('scenario');
// (a declared type: a call of `fail` ends the control flow for the type checker's narrowing)
const fail: (where: string, msg: string) => never = CHECKS.fail;
const { onlyFields, intIn } = CHECKS;

/** Scheme of a scenario: "wip-v1" (the series' scheme for the order) or custom fields. */
function parseScheme(name: string, x: unknown, order: number): Scheme {
  if (x === 'wip-v1') return schemeForOrder(WIP_V1, order)!;
  if (!isObj(x)) fail(name, `scheme must be "wip-v1" or an object {values, chunkBits, bound, wordBits, idBits}`);
  for (const k of Object.keys(x))
    if (!['name', 'values', 'chunkBits', 'bound', 'wordBits', 'idBits'].includes(k)) fail(name, `scheme has an unknown field "${k}"`);
  for (const f of ['values', 'chunkBits', 'wordBits', 'idBits']) if (!Number.isInteger(x[f])) fail(name, `scheme.${f} must be an integer`);
  const b = x.bound;
  if (!((typeof b === 'number' && Number.isSafeInteger(b) && b >= 0) || (typeof b === 'string' && /^[0-9]+$/.test(b))))
    fail(name, `scheme.bound must be a non-negative integer (number or decimal string)`);
  const s: Scheme = {
    name: typeof x.name === 'string' ? x.name : `custom/order-${order}`,
    orders: [order, order],
    values: x.values as number,
    chunkBits: x.chunkBits as number,
    bound: BigInt(b as number | string),
    wordBits: x.wordBits as number,
    idBits: x.idBits as number,
  };
  const p = schemeProblems(s);
  if (p.length > 0) fail(name, `invalid scheme: ${p[0]}`);
  return s;
}

/** Net change of one op to the counters used by the static checks (see `checkCounts`). */
interface Effects {
  /** [mm][page] PTE deltas, PMD deltas per mm, total mapping delta, and the transient extra
   *  total inside the op (PMD remap: +P before the PMD mapping goes). */
  ptes: Map<string, number>;
  total: number;
  transient: number;
  swap: number;
  pins: number;
}

/**
 * Parses and validates a scenario. Every error is one line naming the problem.
 * `source` names the scenario in messages (preset name or file path).
 */
export function parseScenario(data: unknown, source: string): Scenario {
  if (!isObj(data)) fail(source, 'must be a JSON object');
  const d = data;
  const name = typeof d.name === 'string' ? d.name : source;
  onlyFields(name, '', d, TOP_FIELDS);
  const order = intIn(name, 'order', d.order, 2, 9);
  const P = pagesOf(order);
  const scheme = parseScheme(name, d.scheme, order);
  if (!VARIANTS.includes(d.seqcount as Variant)) fail(name, `seqcount ${JSON.stringify(d.seqcount)} must be one of ${VARIANTS.join(', ')}`);
  const full = layoutOf(d.seqcount as Variant, 64);
  let layout = full;
  if (d.seqBits !== undefined) layout = shrink(full, intIn(name, 'seqBits', d.seqBits, 1, full.seqBits));
  if (d.p20 !== undefined && typeof d.p20 !== 'boolean') fail(name, 'p20 must be true or false');

  // MMs
  if (!Array.isArray(d.mms) || d.mms.length === 0) fail(name, 'mms must be a non-empty list of {name, rmapId}');
  const mms: MmInfo[] = [];
  const maxId = (1n << BigInt(scheme.idBits)) - 1n;
  for (const m of d.mms as unknown[]) {
    if (!isObj(m) || typeof m.name !== 'string' || m.name === '') fail(name, `each MM needs a non-empty "name" and an "rmapId"`);
    if (mms.some((x) => x.name === m.name)) fail(name, `MM "${m.name}" is listed twice`);
    onlyFields(name, `MM "${m.name}"`, m, MM_FIELDS);
    const r = m.rmapId;
    if (!((typeof r === 'number' && Number.isSafeInteger(r)) || (typeof r === 'string' && /^[0-9]+$/.test(r))))
      fail(name, `MM "${m.name}": rmapId must be an integer`);
    const id = BigInt(r as number | string);
    if (id < 1n || id > maxId) fail(name, `MM "${m.name}": rmap ID ${id} is out of range 1..${maxId} (0 is init_mm's dummy ID)`);
    const dup = mms.find((x) => x.rmapId === id);
    if (dup) fail(name, `MMs "${dup.name}" and "${m.name}" have the same rmap ID ${id}`);
    mms.push({ name: m.name, rmapId: id, subIds: subIdsOf(scheme, id) });
  }
  const mmIndex = (where: string, x: unknown): number => {
    const i = mms.findIndex((m) => m.name === x);
    if (i < 0) fail(name, `${where}: unknown MM ${JSON.stringify(x)} (MMs: ${mms.map((m) => m.name).join(', ')})`);
    return i;
  };
  const pageList = (where: string, page: unknown, n: unknown): number[] => {
    const p = page === undefined ? 0 : intIn(name, `${where}: page`, page, 0, P - 1);
    const k = n === undefined ? 1 : intIn(name, `${where}: n`, n, 1, P);
    if (p + k > P) fail(name, `${where}: pages ${p}..${p + k - 1} are outside the folio's ${P} pages`);
    return Array.from({ length: k }, (_, i) => p + i);
  };

  // initial mappings
  const initialPtes = mms.map(() => new Array<number>(P).fill(0));
  const initialPmds = mms.map(() => 0);
  if (d.initial !== undefined && !Array.isArray(d.initial)) fail(name, 'initial must be a list');
  for (const [i, e] of ((d.initial as unknown[]) ?? []).entries()) {
    const where = `initial[${i}]`;
    if (!isObj(e)) fail(name, `${where} must be {mm, ptes, page?} or {mm, pmd: true}`);
    onlyFields(name, where, e, INITIAL_FIELDS);
    const mm = mmIndex(where, e.mm);
    if (e.pmd === true && e.ptes === undefined) initialPmds[mm]++;
    else if (e.pmd === undefined) for (const p of pageList(where, e.page, e.ptes)) initialPtes[mm][p]++;
    else fail(name, `${where} must have either "ptes" or "pmd": true`);
  }

  // threads
  if (!Array.isArray(d.threads) || d.threads.length === 0) fail(name, 'threads must be a non-empty list of {name, ops, repeat?}');
  const threads = CHECKS.threadList(name, d.threads as unknown[], THREAD_FIELDS, OP_FIELDS, (o, where): Op => {
    switch (o.op) {
      case 'map':
      case 'unmap':
        return { kind: o.op, mm: mmIndex(where, o.mm), pages: pageList(where, o.page, o.n) };
      case 'map-pmd':
      case 'unmap-pmd':
      case 'remap-pmd':
      case 'mapped-shared':
        return { kind: o.op, mm: mmIndex(where, o.mm) };
      case 'fork': {
        const from = mmIndex(where, o.from);
        const to = mmIndex(where, o.to);
        if (from === to) fail(name, `${where}: fork from "${o.from}" to itself`);
        return { kind: 'fork', from, mm: to, pages: o.pmd === true ? [] : pageList(where, o.page, 1), pmd: o.pmd === true };
      }
      case 'new-anon':
        return { kind: 'new-anon', mm: mmIndex(where, o.mm), pages: pageList(where, o.page, o.n ?? P) };
      case 'cow-reuse':
        return { kind: 'cow-reuse', mm: mmIndex(where, o.mm), page: pageList(where, o.page, 1)[0] };
      default:
        return { kind: o.op as 'swapcache-add' | 'swapcache-del' | 'pin' | 'unpin' };
    }
  }).map((t) => {
    if (t.raw.repeat !== undefined && typeof t.raw.repeat !== 'boolean') fail(name, `thread "${t.name}": repeat must be true or false`);
    return { name: t.name, ops: t.ops, repeat: t.raw.repeat === true };
  });

  // new anonymous folio: nobody else can see the folio until it is published
  const anon = threads.flatMap((t, ti) => t.ops.map((o, oi) => ({ o, ti, oi }))).filter((x) => x.o.kind === 'new-anon');
  if (anon.length > 1) fail(name, 'at most one new-anon op (a folio is new only once)');
  if (anon.length === 1) {
    const { ti, oi, o } = anon[0];
    if (oi !== 0 || threads[ti].repeat) fail(name, 'new-anon must be the first op of a thread that does not repeat');
    if (initialPtes.some((r) => r.some((c) => c > 0)) || initialPmds.some((c) => c > 0))
      fail(name, 'new-anon needs an unmapped folio: initial must be empty');
    if (o.kind === 'new-anon') for (const p of o.pages) initialPtes[o.mm][p]++; // as seen by everyone else
  }

  checkCounts(name, P, mms, initialPtes, initialPmds, threads);

  if (d.notReached !== undefined && (!Array.isArray(d.notReached) || !d.notReached.every((x) => SOMETIMES_NAMES.includes(x))))
    fail(name, `notReached must be a list of sometimes-property names (${SOMETIMES_NAMES.join(', ')})`);
  if (d.expect !== undefined && (!isObj(d.expect) || !Object.values(d.expect).every((v) => v === 'counterexample')))
    fail(name, 'expect must map property names to "counterexample"');
  if (anon.length === 1) {
    const o = anon[0].o;
    if (o.kind === 'new-anon') for (const p of o.pages) initialPtes[o.mm][p]--; // the model starts unmapped
  }
  return {
    name,
    description: typeof d.description === 'string' ? d.description : '',
    order,
    pages: P,
    scheme,
    layout,
    p20: d.p20 === true,
    mms,
    initialPtes,
    initialPmds,
    threads,
    notReached: (d.notReached as string[] | undefined) ?? [],
    expect: (d.expect as Record<string, 'counterexample'> | undefined) ?? {},
    json: d as unknown as ScenarioJson,
  };
}

function effectsOf(op: Op, P: number): Effects {
  const e: Effects = { ptes: new Map(), total: 0, transient: 0, swap: 0, pins: 0 };
  const add = (k: string, v: number) => e.ptes.set(k, (e.ptes.get(k) ?? 0) + v);
  switch (op.kind) {
    case 'map':
    case 'unmap': {
      const s = op.kind === 'map' ? 1 : -1;
      for (const p of op.pages) add(`${op.mm}/${p}`, s);
      e.total = s * op.pages.length;
      break;
    }
    case 'fork':
      if (op.pmd) add(`${op.mm}/pmd`, 1);
      else add(`${op.mm}/${op.pages[0]}`, 1);
      e.total = 1;
      break;
    case 'map-pmd':
    case 'unmap-pmd':
      add(`${op.mm}/pmd`, op.kind === 'map-pmd' ? 1 : -1);
      e.total = op.kind === 'map-pmd' ? 1 : -1;
      break;
    case 'remap-pmd':
      add(`${op.mm}/pmd`, -1);
      for (let p = 0; p < P; p++) add(`${op.mm}/${p}`, 1);
      e.total = P - 1;
      e.transient = 1; // P + 1 for a moment: the P PTEs are counted before the PMD goes
      break;
    case 'swapcache-add':
    case 'swapcache-del':
      e.swap = op.kind === 'swapcache-add' ? 1 : -1;
      break;
    case 'pin':
    case 'unpin':
      e.pins = op.kind === 'pin' ? 1 : -1;
      break;
    default:
  }
  return e;
}

/** What an op needs to hold throughout (under every interleaving): counter key -> minimum. */
function needsOf(op: Op): [string, number][] {
  switch (op.kind) {
    case 'mapped-shared':
      return [[`${op.mm}/any`, 1]];
    case 'cow-reuse':
      return [[`${op.mm}/${op.page}`, 1]];
    case 'fork':
      return [[op.pmd ? `${op.from}/pmd` : `${op.from}/${op.pages[0]}`, 1]];
    default:
      return [];
  }
}

/**
 * Static checks over every interleaving: each thread's ops are a sequence of counter changes; the
 * worst case of a counter is the initial value plus, for every other thread, its lowest (or
 * highest) prefix sum. A repeating thread must undo its own changes in each round.
 */
function checkCounts(
  name: string,
  P: number,
  mms: readonly MmInfo[],
  initialPtes: number[][],
  initialPmds: number[],
  threads: readonly { name: string; ops: readonly Op[]; repeat: boolean }[],
): void {
  const keys = new Set<string>();
  mms.forEach((_, m) => {
    keys.add(`${m}/pmd`);
    keys.add(`${m}/any`);
    for (let p = 0; p < P; p++) keys.add(`${m}/${p}`);
  });
  const initial = (k: string): number => {
    const [m, w] = k.split('/');
    const mi = Number(m);
    if (w === 'pmd') return initialPmds[mi];
    if (w === 'any') return initialPmds[mi] + initialPtes[mi].reduce((a, b) => a + b, 0);
    return initialPtes[mi][Number(w)];
  };
  const deltaOf = (e: Effects, k: string): number => {
    const [m, w] = k.split('/');
    if (w !== 'any') return e.ptes.get(k) ?? 0;
    let s = 0;
    for (const [kk, v] of e.ptes) if (kk.startsWith(`${m}/`)) s += v;
    return s;
  };
  // per thread, per counter: min and max prefix sums (over one round; a repeating thread must
  // come back to 0, so its later rounds repeat the same prefixes)
  const lo: Map<string, number>[] = [];
  const hi: Map<string, number>[] = [];
  const totalHi: number[] = [];
  const totalHiTransient: number[] = [];
  threads.forEach((t, ti) => {
    const l = new Map<string, number>();
    const h = new Map<string, number>();
    const sums = new Map<string, number>();
    let total = 0;
    let tHi = 0;
    let tHiT = 0;
    let swap = 0;
    let pins = 0;
    t.ops.forEach((op, oi) => {
      const e = effectsOf(op, P);
      if (op.kind === 'new-anon') return; // counted as initial (nobody sees the folio before)
      for (const k of keys) {
        const v = (sums.get(k) ?? 0) + deltaOf(e, k);
        sums.set(k, v);
        l.set(k, Math.min(l.get(k) ?? 0, v));
        h.set(k, Math.max(h.get(k) ?? 0, v));
      }
      tHiT = Math.max(tHiT, total + (e.total > 0 ? e.total : 0) + e.transient);
      total += e.total;
      tHi = Math.max(tHi, total);
      swap += e.swap;
      pins += e.pins;
      if (swap < 0 || swap > 1) fail(name, `thread "${t.name}" op ${oi}: swapcache-${swap < 0 ? 'del without a swapcache-add' : 'add twice'} before it`);
      if (pins < 0) fail(name, `thread "${t.name}" op ${oi}: unpin without a pin before it`);
    });
    if (t.repeat) {
      for (const [k, v] of sums) if (v !== 0) fail(name, `thread "${t.name}" repeats but does not undo its own mapping changes (${describeKey(k, mms)} changes by ${v} per round)`);
      if (swap !== 0 || pins !== 0) fail(name, `thread "${t.name}" repeats but keeps references (swapcache or pins) at the end of a round`);
    }
    lo[ti] = l;
    hi[ti] = h;
    totalHi[ti] = tHi;
    totalHiTransient[ti] = tHiT;
  });
  for (const k of keys) {
    const worst = initial(k) + lo.reduce((a, l) => a + (l.get(k) ?? 0), 0);
    if (worst < 0) fail(name, `${describeKey(k, mms)} can go below 0: threads unmap more than the MM holds (worst case ${worst})`);
  }
  threads.forEach((t) => {
    for (const [oi, op] of t.ops.entries())
      for (const [k, min] of needsOf(op)) {
        const worst = initial(k) + lo.reduce((a, l) => a + (l.get(k) ?? 0), 0);
        if (worst < min)
          fail(name, `thread "${t.name}" op ${oi} (${op.kind}) needs ${describeKey(k, mms)} to stay mapped, but under some interleaving it is not (worst case ${worst})`);
      }
  });
  const init = mms.reduce((a, _, m) => a + initial(`${m}/any`), 0);
  const most = init + totalHi.reduce((a, b) => a + b, 0);
  if (most > P) fail(name, `more mappings than pages: up to ${most} mappings of a folio of ${P} pages (only the PMD remap may reach P + 1, for a moment)`);
  for (let ti = 0; ti < threads.length; ti++) {
    const withT = init + totalHi.reduce((a, b, i) => a + (i === ti ? totalHiTransient[i] : b), 0);
    if (withT > P + 1) fail(name, `more mappings than pages: up to ${withT} mappings of a folio of ${P} pages during thread "${threads[ti].name}"'s PMD remap (at most P + 1)`);
  }
}

function describeKey(k: string, mms: readonly MmInfo[]): string {
  const [m, w] = k.split('/');
  const mm = mms[Number(m)].name;
  if (w === 'pmd') return `MM "${mm}"'s PMD mapping`;
  if (w === 'any') return `MM "${mm}"'s mappings`;
  return `MM "${mm}"'s PTE of page ${w}`;
}
