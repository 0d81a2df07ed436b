/**
 * What a person sees of a conformance trace (checker/conform/trace.ts): one row per operation,
 * the C folio beside the reference's after it (mapcount, entire mapcount, refcount, the seqcount
 * word, every rmap value the order uses or the C side wrote, a reader's answer), the fields where
 * they differ marked and the diverging one highlighted. The page layout is the trace viewer's
 * (viewer/html.ts); this builds its data. Pure: the recorded states are shown as they are (the
 * reference side can be re-derived without C: `checkConformReference`, which `view` runs first).
 */
import { describeOp, type ConformOp } from '../checker/conform/ops';
import { ConformReference } from '../checker/conform/reference';
import type { FolioSnapshot } from '../checker/conform/compare';
import type { ConformTrace } from '../checker/conform/trace';
import type { ConcurrentTrace } from '../checker/conform/concurrent-trace';
import { splitValue, type ComparedCell, type FieldView, type StepView, type TraceView } from './view-model';

/** The view's column of a divergence field (compare.ts names), or null (a WARN, a crash, ...). */
function columnOf(field: string): string | null {
  if (field === 'entire_mapcount') return 'entire';
  const v = /^_rmap_val(\d+)$/.exec(field);
  if (v) return `val${v[1]}`;
  return ['mapcount', 'refcount', 'seq', 'answer'].includes(field) ? field : null;
}

/** A 64-bit hex word without its leading zeros: 0x0000000000000003 -> 0x3. */
function shortHex(h: string): string {
  return /^0x[0-9a-f]+$/i.test(h) ? '0x' + (h.slice(2).replace(/^0+(?=.)/, '') || '0') : h;
}

/** A reader's answer in its own words (`shared` / `exclusive`, `reuse` / `copy`). */
function answerText(o: ConformOp, a: string | null): string {
  if (a === null) return '';
  if (o.op === 'mapped-shared') return a === 'true' ? 'shared' : 'exclusive';
  if (o.op === 'cow-reuse') return a === 'true' ? 'reuse' : 'copy';
  return a;
}

function valueOf(s: FolioSnapshot, field: string, o: ConformOp): string {
  if (field === 'answer') return answerText(o, s.answer);
  if (field === 'seq') return shortHex(s.seq);
  const v = /^val(\d+)$/.exec(field);
  if (v) return shortHex(s.values[Number(v[1])] ?? '0x0');
  return String(s[field as 'mapcount' | 'entire' | 'refcount']);
}

const NUMBER = /^(0x[0-9a-f]+|-?[0-9]+)$/i;


/** The header rows both conformance pages start with: the adapter and the folio it ran on. */
function adapterParams(a: { name: string; impl: readonly string[]; layout: string }, folio: { order: number; rmapIds: readonly number[] }): [string, string][] {
  return [
    ['adapter', a.name],
    ['impl', a.impl.map((f) => f.split(/[\\/]/).pop()!).join(', ')],
    ['seqcount', a.layout],
    ['order', `${folio.order} (${2 ** folio.order} pages)`],
    ['rmap IDs', folio.rmapIds.map((id, i) => `MM${i}=${id}`).join(' ')],
  ];
}

export function conformView(t: ConformTrace): TraceView {
  const d = t.divergence;
  const c = t.case;
  const used = new ConformReference(c.order, c.rmapIds).values.length;
  // values the order uses, and any other the C side wrote (a slip may write one it must not)
  const written = new Set<number>();
  for (const s of t.steps) s.c?.values.forEach((v, j) => (/^0x0*$/.test(v) ? null : written.add(j)));
  const valueColumns = Array.from({ length: 6 }, (_, j) => j).filter((j) => j < used || written.has(j));
  const fields = ['mapcount', 'entire', 'refcount', 'seq', ...valueColumns.map((j) => `val${j}`), 'answer'];
  const diverging = columnOf(d.field);
  const columns = c.rmapIds.map((id, i) => `MM${i} (rmap ID ${id})`);
  const threadOf = (o: ConformOp): number | null => ('mm' in o ? o.mm : null);

  const steps: StepView[] = [];
  const cells: ComparedCell[][] = [];
  const none = (): ComparedCell[] => fields.map(() => ({ c: '-', reference: '-', differs: false, diverges: false }));
  if (d.op < 0) {
    steps.push({ step: 0, thread: null, action: `set-up: a fresh folio of order ${c.order}, MMs with rmap IDs ${c.rmapIds.join(', ')}`, changed: [], fields: [], extras: [], failing: true, inLoop: false });
    cells.push(none());
  }
  t.steps.forEach((s, i) => {
    const failing = i === d.op;
    steps.push({ step: s.step, thread: threadOf(s.op), action: s.operation, changed: [], fields: [], extras: [], failing, inLoop: false });
    cells.push(
      fields.map((f) => {
        const cv = s.c ? valueOf(s.c, f, s.op) : '-';
        const rv = f === 'seq' ? s.reference.seq : valueOf(s.reference, f, s.op);
        return { c: cv, reference: rv, differs: NUMBER.test(cv) && NUMBER.test(rv) ? cv !== rv : f === 'answer' && cv !== rv, diverges: failing && f === diverging };
      }),
    );
  });
  // a crash, a hang, a WARN or BUG: the diverging operation left no state to record
  if (d.op >= 0 && d.op >= t.steps.length) {
    steps.push({ step: d.op + 1, thread: threadOf(c.ops[d.op]), action: describeOp(c.ops[d.op]), changed: [], fields: [], extras: [], failing: true, inLoop: false });
    cells.push(none());
  }
  const failingIndex = steps.findIndex((s) => s.failing);
  const a = t.adapter;
  return {
    title: `conform ${a.name}: ${t.property.name} violated`,
    kind: 'conformance',
    model: 'conform',
    params: [
      ...adapterParams(a, c),
      ['mode', t.mode],
      ['cc', a.cc],
      ['hash', a.hash.slice(0, 12)],
      ['step limit', `${t.stepLimitMs} ms`],
    ],
    seed: t.seed,
    property: t.property,
    expected: `${d.field}: ${d.expected}`,
    observed: `${d.field}: ${d.actual}`,
    columns,
    extraColumns: [],
    steps,
    failingIndex: failingIndex < 0 ? steps.length - 1 : failingIndex,
    loopIndex: null,
    notes: [
      `After every operation the C folio (first line of a cell) is compared with the reference model's (below it, where they differ). ` +
        `The seqcount word is judged by rule: no writer bits at rest, advanced by every write, unchanged by a read. ` +
        `The C states are those recorded when the divergence was found; 'rmapcheck replay' rebuilds the code and runs the sequence again.`,
      ...(a.flags.length ? [`Built with ${a.cc} ${a.flags.join(' ')}.`] : []),
    ],
    truth: null,
    scenario: null,
    comparison: { fields, cells, divergence: `${d.operation === 'setup' ? 'at set-up' : `step ${d.op + 1} (${d.operation})`}: ${d.field}: expected ${d.expected}, C has ${d.actual}` },
  };
}

/**
 * A concurrent conformance trace (checker/conform/concurrent-trace.ts) in the viewer's thread
 * layout: a column per thread, a row per scheduling decision with the operation and the point it
 * ran from (primitive, word, source line), the folio's fields where it was quiescent, and the
 * events (operations started and finished, answers, warnings) beside it.
 */
export function concurrentConformView(t: ConcurrentTrace): TraceView {
  const threads = t.program.threads.map((_, i) => `T${i}`);
  const fieldsOf = (folio: ConcurrentTrace['steps'][number]['folio'], before: Record<string, string> | null): { fields: FieldView[]; state: Record<string, string> | null } => {
    if (!folio) return { fields: [], state: before };
    const state: Record<string, string> = { mapcount: String(folio.mapcount), entire: String(folio.entire), refcount: String(folio.refcount), seq: folio.seq };
    folio.values.forEach((v, j) => (/^0x0*$/.test(v) && !(before && `val${j}` in before) ? null : (state[`val${j}`] = v)));
    const fields = Object.entries(state).map(([name, text]) => ({ name, ...splitValue(text), changed: before !== null && before[name] !== text, thread: null }));
    return { fields, state };
  };
  const setup = t.program.setup.map(describeOp).join('; ') || 'nothing mapped';
  const steps: StepView[] = [{ step: 0, thread: null, action: `set-up: ${setup}`, changed: [], fields: [], extras: [''], failing: false, inLoop: false }];
  let before: Record<string, string> | null = null;
  for (const x of t.steps) {
    const { fields, state } = fieldsOf(x.folio, before);
    const where = [x.point, x.word, x.location ? `at ${x.location}` : null].filter(Boolean).join(' ');
    steps.push({
      step: x.step,
      thread: x.thread,
      action: `${x.operation}${where ? ` (${where})` : ''}${x.code ? `: ${x.code}` : ''}`,
      changed: fields.filter((f) => f.changed).map((f) => f.name),
      fields,
      extras: [x.events.join('; ')],
      failing: false,
      inLoop: false,
    });
    before = state;
  }
  const failingIndex = steps.length - 1;
  steps[failingIndex].failing = true;
  const a = t.adapter;
  return {
    title: `conform ${a.name} (concurrent): ${t.property.name} violated`,
    kind: 'conformance',
    model: 'conform',
    params: [
      ...adapterParams(a, t.program),
      ['mode', 'concurrent'],
      ['strategy', t.strategy],
      ['hash', a.hash.slice(0, 12)],
    ],
    seed: t.seed,
    property: t.property,
    expected: `${t.divergence.field}: ${t.divergence.expected}`,
    observed: `${t.divergence.field}: ${t.divergence.actual}`,
    columns: threads,
    extraColumns: ['events'],
    steps,
    failingIndex,
    loopIndex: null,
    notes: [
      `Each row is one scheduling decision: the thread that ran, its operation and the point it ran from. The folio is shown where no operation was in flight. ` +
        `'rmapcheck replay' rebuilds the code and runs this schedule again.`,
      ...t.program.threads.map((ops, i) => `T${i}: ${ops.map(describeOp).join('; ')}`),
    ],
    truth: null,
    scenario: null,
  };
}
