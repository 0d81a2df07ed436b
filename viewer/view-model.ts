/**
 * What a person sees of a trace, independent of the output medium: one column per thread
 * (Lincheck/dscheck style), one row per step with the action in the kernel's words and the fields
 * it changed, the full state after every step, and where the property fails. Both trace kinds map
 * onto it: a model trace's threads are its columns; a sub-ID trace has one column per MM, in the
 * order the MMs first appear, and the reader's answer beside the ground truth on every row.
 *
 * A model trace's schedule is replayed on the model rebuilt from its params, so that the page
 * can show what the recorded states do not: the ground truth of a reader counterexample at each
 * instant of the reader's window (checker/ground-truth.ts, the models' own oracles; also for traces
 * written before it was recorded), and an rmap trace's scenario as tables of MMs and threads.
 *
 * Pure: trace in, data out (the sub-ID reader and oracle are re-evaluated on the BigInt reference
 * model, which does not print or touch files).
 */
import { ModelTrace, SubIdTrace, Trace } from '../checker/trace';
import { replaySubIdTrace } from '../checker/subid-trace';
import { modelOfTrace, pathOfTrace } from '../checker/model-trace';
import { replayPath } from '../checker/check';
import { groundTruthOf, type GroundTruth } from '../checker/ground-truth';
import type { AnyModel } from '../model/core';
import { UsageError } from '../model/errors';
import { RmapModel } from '../model/rmap/model';

/** One field of a state as displayed: the recorded text, its hex form and its decoding. */
export interface FieldView {
  name: string;
  /** The value as recorded in the trace (without a trailing decoding in parentheses). */
  value: string;
  /** The value in hex when it is an integer (`null` when it is not a number). */
  hex: string | null;
  /** What the model says the word means, e.g. `shared writers 1, sequence 0` for `seq`. */
  decoded: string | null;
  /** Changed by the step that produced this state. */
  changed: boolean;
  /** The thread this field belongs to (its pc and locals), or null for shared words. */
  thread: number | null;
}

export interface StepView {
  /** 0 is the initial state. */
  step: number;
  /** Column of the thread that took the step (null for the initial state). */
  thread: number | null;
  action: string;
  /** Names of the fields the step changed. */
  changed: string[];
  fields: FieldView[];
  /** Extra per-step cells (sub-ID traces: the reader's answer and the truth for the query MM;
   *  a reader counterexample: the ground truth at the instant of this state, '' outside the
   *  reader's window, the reader's answer on the failing step). */
  extras: string[];
  /** The step where the property is seen violated. */
  failing: boolean;
  /** Inside the repeated loop of a lasso (liveness counterexample). */
  inLoop: boolean;
}

export interface TraceView {
  title: string;
  /** 'conformance': a C implementation against the reference (viewer/conform-view.ts). */
  kind: Trace['kind'] | 'conformance';
  model: string;
  params: Array<[string, string]>;
  seed: string | null;
  property: Trace['property'];
  expected: string;
  observed: string;
  columns: string[];
  extraColumns: string[];
  steps: StepView[];
  /** Index into `steps` of the failing step. */
  failingIndex: number;
  /** Index into `steps` where the lasso's loop begins (null: no loop). */
  loopIndex: number | null;
  /** Notes for the reader of the page (e.g. replay disagreements). */
  notes: string[];
  /** The ground truth of a reader counterexample (model traces), or null. */
  truth: GroundTruth | null;
  /** An rmap trace's scenario (null for other models, or when it cannot be rebuilt). */
  scenario: ScenarioView | null;
  /** A conformance trace: the C state beside the reference's after every step (else absent). */
  comparison?: ComparisonView;
}

/** One compared field of one step: the C side's value and the reference's. */
export interface ComparedCell {
  c: string;
  reference: string;
  /** Both are numbers and they differ. */
  differs: boolean;
  /** The field (and step) of the recorded divergence. */
  diverges: boolean;
}

/** A conformance trace's steps as a comparison: per step (as `steps`), per field (as `fields`). */
export interface ComparisonView {
  fields: string[];
  cells: ComparedCell[][];
  /** The divergence in words, for the failing step (e.g. `_rmap_val2: expected 0x..., C has 0x...`). */
  divergence: string;
}

/** An rmap scenario for a person: the folio, the MMs with their initial mappings, the threads. */
export interface ScenarioView {
  name: string;
  description: string;
  /** e.g. ['folio', 'order 3 (8 pages)'], ['scheme', 'wip-v1/order-3'] */
  facts: Array<[string, string]>;
  mms: Array<{ name: string; rmapId: string; initial: string }>;
  threads: Array<{ name: string; ops: string[]; repeat: boolean }>;
}

const DECIMAL = /^-?[0-9]+$/;
const HEX = /^0x[0-9a-f]+$/i;
const DECODED = /^(0x[0-9a-f]+|-?[0-9]+)\s+\((.*)\)$/i;

/** Splits a displayed value into its raw part, its hex form and its decoding. */
export function splitValue(text: string): { value: string; hex: string | null; decoded: string | null } {
  const m = DECODED.exec(text);
  const raw = m ? m[1] : text;
  const decoded = m ? m[2] : null;
  let hex: string | null = null;
  if (HEX.test(raw)) hex = raw.toLowerCase();
  else if (DECIMAL.test(raw)) {
    const b = BigInt(raw);
    hex = b < 0n ? '-0x' + (-b).toString(16) : '0x' + b.toString(16);
  }
  return { value: raw, hex, decoded };
}

function fieldsOf(state: Record<string, string>, before: Record<string, string> | null, threadOf: (name: string) => number | null): FieldView[] {
  return Object.entries(state).map(([name, text]) => ({
    name,
    ...splitValue(text),
    changed: before !== null && before[name] !== text,
    thread: threadOf(name),
  }));
}

function paramText(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** The model a trace was recorded on and its replayed states; null when it cannot be rebuilt
 *  or replayed here (the page then shows the recorded states alone, and says so). */
function replayed(t: ModelTrace): { model: AnyModel; states: unknown[] } | string {
  try {
    const model = modelOfTrace(t, 'trace');
    return { model, states: replayPath(model, pathOfTrace(t)) };
  } catch (e) {
    if (e instanceof UsageError || (e as Error).message.startsWith('replay:')) return (e as Error).message;
    throw e;
  }
}

/** One operation of a scenario file in its own words: `unmap C page 1`, `fork from A to B`. */
function opText(op: Record<string, unknown>): string {
  const rest = Object.entries(op).filter(([k]) => k !== 'op');
  return [String(op.op), ...rest.map(([k, v]) => (k === 'mm' ? String(v) : `${k} ${String(v)}`))].join(' ');
}

function scenarioView(model: RmapModel): ScenarioView {
  const sc = model.sc;
  const initial = sc.json.initial ?? [];
  const mapping = (x: (typeof initial)[number]) => ('pmd' in x ? 'a PMD' : `${x.ptes} PTE${x.ptes === 1 ? '' : 's'}${x.page !== undefined ? ` from page ${x.page}` : ''}`);
  return {
    name: sc.name,
    description: sc.description,
    facts: [
      ['folio', `order ${sc.order} (${sc.pages} pages)`],
      ['scheme', sc.scheme.name],
    ],
    mms: sc.mms.map((m) => ({
      name: m.name,
      rmapId: String(m.rmapId),
      initial: initial.filter((x) => x.mm === m.name).map(mapping).join(', ') || '-',
    })),
    threads: sc.json.threads.map((th) => ({ name: th.name, ops: th.ops.map((o) => opText(o as Record<string, unknown>)), repeat: th.repeat === true })),
  };
}

/** A param chip's text: an inline scenario (JSON, e.g. of a minimized trace) by its name only,
 *  the tables below showing it. */
function modelParam(k: string, v: unknown, sc: ScenarioView | null): [string, string] {
  if (k === 'scenario' && sc && typeof v === 'string' && v.trimStart().startsWith('{')) return [k, `${sc.name} (inline: see the tables)`];
  return [k, paramText(v)];
}

function modelView(t: ModelTrace): TraceView {
  const rebuilt = replayed(t);
  const model = typeof rebuilt === 'string' ? null : rebuilt.model;
  const truth = typeof rebuilt === 'string' ? null : groundTruthOf(rebuilt.model, rebuilt.states, pathOfTrace(t), t.property.name);
  const scenario = model instanceof RmapModel ? scenarioView(model) : null;
  const truthCell = (i: number): string[] => (truth ? [truth.cells[i] ?? (i === t.steps.length ? truth.answered : '')] : []);
  const threadOf = (name: string) => {
    const i = t.threads.indexOf(name);
    return i < 0 ? null : i;
  };
  const steps: StepView[] = [
    { step: 0, thread: null, action: 'initial state', changed: [], fields: fieldsOf(t.initial.state, null, threadOf), extras: truthCell(0), failing: false, inLoop: false },
  ];
  let prev = t.initial.state;
  for (const s of t.steps) {
    const fields = fieldsOf(s.state, prev, threadOf);
    steps.push({
      step: s.step,
      thread: threadOf(s.thread),
      action: s.action,
      changed: fields.filter((f) => f.changed).map((f) => f.name),
      fields,
      extras: truthCell(s.step),
      failing: false,
      inLoop: t.loopStart !== null && s.step > t.loopStart,
    });
    prev = s.state;
  }
  const failingIndex = steps.length - 1;
  steps[failingIndex].failing = true;
  return {
    title: `${t.model}: ${t.property.name} violated`,
    kind: 'model',
    model: t.model,
    params: Object.entries(t.params).map(([k, v]) => modelParam(k, v, scenario)),
    seed: t.seed,
    property: t.property,
    // a trace written before the ground truth was recorded says only "<property> holds"
    expected: truth ? truth.expected : t.expected,
    observed: truth ? truth.observed : t.observed,
    columns: [...t.threads],
    extraColumns: truth ? [truth.column] : [],
    steps,
    failingIndex,
    // The lasso's loop starts after step `loopStart` (the state it returns to).
    loopIndex: t.loopStart === null ? null : Math.min(t.loopStart + 1, steps.length - 1),
    notes: [
      ...(t.loopStart === null ? [] : [`Steps ${t.loopStart + 1}..${t.steps.length} repeat forever: the state after step ${t.steps.length} equals the state after step ${t.loopStart}.`]),
      ...(typeof rebuilt === 'string' ? [`The model of this trace cannot be rebuilt here (${rebuilt}): the recorded states are shown as they are.`] : []),
    ],
    truth,
    scenario,
  };
}

function subIdView(t: SubIdTrace): TraceView {
  const columns: string[] = [];
  for (const s of t.steps) if (!columns.includes(s.mm)) columns.push(s.mm);
  if (!columns.includes(t.query.mm)) columns.unshift(t.query.mm);
  const r = replaySubIdTrace(t, 'trace');
  const stateOf = (mapcount: string, values: string[]) => {
    const o: Record<string, string> = { mapcount };
    values.forEach((v, j) => (o[`val[${j}]`] = v));
    return o;
  };
  const width = t.steps[0]?.state.values.length ?? Number((t.params.scheme as { values?: number }).values ?? 0);
  const zero = '0x' + '0'.repeat(Math.ceil(Number((t.params.scheme as { wordBits?: number }).wordBits ?? 64) / 4));
  const initial = stateOf('0', Array.from({ length: width }, () => zero));
  const empty = () => null;
  const steps: StepView[] = [
    { step: 0, thread: null, action: 'a fresh folio: nothing mapped', changed: [], fields: fieldsOf(initial, null, empty), extras: ['-', '-'], failing: false, inLoop: false },
  ];
  let prev = initial;
  t.steps.forEach((s, i) => {
    const state = stateOf(s.state.mapcount, s.state.values);
    const fields = fieldsOf(state, prev, empty);
    const row = r.rows[i];
    steps.push({
      step: s.step,
      thread: columns.indexOf(s.mm),
      action: `${s.action} ${s.count} page${s.count === 1 ? '' : 's'} (rmap ID ${s.rmapId})`,
      changed: fields.filter((f) => f.changed).map((f) => f.name),
      fields,
      extras: [row.verdict, row.truth],
      failing: false,
      inLoop: false,
    });
    prev = state;
  });
  const failingIndex = steps.length - 1;
  steps[failingIndex].failing = true;
  const scheme = t.params.scheme as Record<string, unknown>;
  return {
    title: `sub-ID math: ${t.property.name} refuted for order ${t.params.order}`,
    kind: 'subid',
    model: 'subid',
    params: [
      ['scheme', String(scheme.name)],
      ['order', String(t.params.order)],
      ['values V', String(scheme.values)],
      ['chunk bits c', String(scheme.chunkBits)],
      ['bound N', String(scheme.bound)],
      ['word bits W', String(scheme.wordBits)],
      ['query', `${t.query.mm} (rmap ID ${t.query.rmapId})`],
    ],
    seed: t.seed,
    property: t.property,
    expected: t.expected,
    observed: t.observed,
    columns,
    extraColumns: [`reader (${t.query.mm})`, 'truth'],
    steps,
    failingIndex,
    loopIndex: null,
    truth: null,
    scenario: null,
    notes: [
      `"map n pages" by an MM with rmap ID x: mapcount += n and val[j] += n * subid_j(x) mod 2^${String(scheme.wordBits)} for every j ("unmap": -=). ` +
        `The reader answers "exclusive" for ${t.query.mm} when mapcount <= P and val[j] == mapcount * subid_j(${t.query.rmapId}) for every j.`,
      ...(r.mismatches.length ? [`Replay on this rmapcheck differs from the recorded states: ${r.mismatches.join('; ')}`] : []),
    ],
  };
}

/** The person's view of a trace (both kinds). */
export function traceView(t: Trace): TraceView {
  return t.kind === 'model' ? modelView(t) : subIdView(t);
}
