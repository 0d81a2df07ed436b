/**
 * The ground truth of a reader counterexample, for a person: what a correct reader would have
 * answered at each instant of the failing reader's read window, beside the answer it gave. Asked
 * of the models' own oracles, on the replayed states:
 * - rmap `linearizable`: the ideal decision for the asking MM (`RmapModel.idealExclusive`, the
 *   series' decision applied to the tracked mappings of that instant);
 * - rmap `no-false-exclusive`: whether another MM had the folio in its page tables
 *   (`RmapModel.pteExclusive`);
 * - seqcount `snapshot`: the protected words a read at that instant sees, and whether a writer
 *   holds bits in `seq` there (a correct reader's retry check refuses a read that overlaps one).
 *
 * The window is the one the models judge: from the reader's first step of its operation (the
 * instant it reads at counts) to the step that answers, so its instants are the states after the
 * steps before the answer. Other properties (the invariants, deadlock, liveness) have no reader
 * window: `groundTruthOf` returns null and the trace's property description stands.
 */
import type { AnyModel } from '../model/core';
import { ANS_EXCLUSIVE, ANS_SHARED, RmapModel, type RmapState } from '../model/rmap/model';
import type { SeqState } from '../model/seqcount/model';
import { layoutOf, type Variant } from '../model/seqcount/layout';

export interface GroundTruth {
  /** The reader whose answer the property judges (index into the model's threads). */
  readonly thread: number;
  /** Header of the per-instant column, e.g. `ideal decision for A`. */
  readonly column: string;
  /** Per state of the path (the state after step i; 0 is the initial state): the truth at that
   *  instant, or null outside the window. */
  readonly cells: readonly (string | null)[];
  /** The reader's answer, as the cells put it (e.g. `exclusive`). */
  readonly answer: string;
  /** The answer with the reader's name, e.g. `R0 answered exclusive`. */
  readonly answered: string;
  /** The window as steps: its instants are the states after steps `from`..`to`. */
  readonly from: number;
  readonly to: number;
  /** One line each, for the trace's `expected` and `observed`. */
  readonly expected: string;
  readonly observed: string;
}

const steps = (from: number, to: number) => (from === to ? `after step ${from}` : `after steps ${from}..${to}`);

/** The reader that took the last step and the step where its window opened (or null). */
function lastReader(model: AnyModel, states: readonly unknown[], path: readonly number[], opens: (thread: number, before: unknown) => boolean) {
  const n = path.length - 1;
  if (n < 1) return null;
  const threadAt = (i: number) => model.describe(model.actions(states[i - 1])[path[i]]).thread;
  const thread = threadAt(n);
  for (let j = n; j >= 1; j--) if (threadAt(j) === thread && opens(thread, states[j - 1])) return { thread, open: j, n };
  return null;
}

function rmapTruth(model: RmapModel, states: readonly RmapState[], path: readonly number[], property: string): GroundTruth | null {
  const r = lastReader(model, states, path, (t, s) => {
    const i = model.programs[t].ins[(s as RmapState).th[t].pc];
    return i !== undefined && i.first && i.kind === 'msTotal';
  });
  if (!r) return null;
  const ans = states[r.n].th[r.thread].ans;
  if (ans !== ANS_EXCLUSIVE && ans !== ANS_SHARED) return null;
  const answer = ans === ANS_EXCLUSIVE ? 'exclusive' : 'shared';
  const mm = model.programs[r.thread].ins[states[r.open - 1].th[r.thread].pc].mm;
  const mmName = model.sc.mms[mm].name;
  const reader = model.threads[r.thread];
  const from = r.open - 1;
  const to = r.n - 1;
  const inWindow = (i: number) => i >= from && i <= to;
  const window = `${reader}'s read window (the states ${steps(from, to)})`;
  if (property === 'linearizable') {
    const ideal = states.map((s) => (model.idealExclusive(s, mm) ? 'exclusive' : 'shared'));
    const cells = states.map((s, i) => (inWindow(i) ? `${ideal[i]} (tracked ${model.view(s).tracked})` : null));
    const seen = [...new Set(ideal.filter((_, i) => inWindow(i)))];
    return {
      thread: r.thread,
      column: `ideal decision for ${mmName}`,
      cells,
      answer,
      answered: `${reader} answered ${answer}`,
      from,
      to,
      expected: `${seen.join(' or ')}: the ideal decision for ${mmName} (from the tracked mappings) at ${seen.length === 1 ? 'every' : 'each'} instant of ${window}`,
      observed: `${reader} answered ${answer} at step ${r.n}`,
    };
  }
  if (property === 'no-false-exclusive' && ans === ANS_EXCLUSIVE) {
    const alone = states.map((s) => model.pteExclusive(s, mm));
    return {
      thread: r.thread,
      column: `no other MM maps it (page tables)`,
      cells: states.map((s, i) => (inWindow(i) ? `${alone[i] ? 'yes' : 'no'} (${model.view(s).pageTables})` : null)),
      answer,
      answered: `${reader} answered exclusive`,
      from,
      to,
      expected: `shared: another MM had the folio in its page tables at every instant of ${window}`,
      observed: `${reader} answered exclusive for ${mmName} at step ${r.n}`,
    };
  }
  return null;
}

function seqcountTruth(model: AnyModel, states: readonly SeqState[], path: readonly number[], property: string): GroundTruth | null {
  if (property !== 'snapshot') return null;
  const W = states[0].writers.length;
  // a reader's window opens at its begin (or, without a seqcount, at its first read)
  const start = model.params.bug === 'no-seqcount' ? 'MAP' : 'BEGIN';
  const r = lastReader(model, states, path, (t, s) => t >= W && (s as SeqState).readers[t - W].pc === start);
  if (!r) return null;
  const violation = states[r.n].violation;
  if (violation === '') return null;
  const read = /^snapshot (mapcount=.* val=\[.*\]) is /.exec(violation)?.[1] ?? violation;
  const writersMask = layoutOf(model.params.variant as Variant, Number(model.params.word)).writersMask;
  const noSeq = model.params.bug === 'no-seqcount';
  const from = r.open - 1;
  const to = r.n - 1;
  const inWindow = (i: number) => i >= from && i <= to;
  const words = states.map((s) => `mapcount=${s.mapcount} val=[${s.val.join(', ')}]`);
  const busy = states.map((s) => !noSeq && (s.seq & writersMask) !== 0n);
  const reader = model.threads[r.thread];
  const valid = [...new Set(words.filter((_, i) => inWindow(i) && !busy[i]))];
  return {
    thread: r.thread,
    column: 'a read at this instant sees',
    cells: words.map((w, i) => (inWindow(i) ? (busy[i] ? `${w} (a writer is in its section)` : w) : null)),
    answer: read,
    answered: `${reader} read ${read}`,
    from,
    to,
    expected: noSeq
      ? `the protected words of one instant of ${reader}'s read window (the states ${steps(from, to)}) with every write section whole`
      : valid.length > 0
        ? `${valid.join(' or ')}: the protected words at an instant of ${reader}'s read window (the states ${steps(from, to)}) with no writer in its section`
        : `no snapshot: a writer is in its section at every instant of ${reader}'s read window (the states ${steps(from, to)}), so a correct read waits or retries`,
    observed: `${reader} took the snapshot ${read} at step ${r.n}`,
  };
}

/** The ground truth of the reader whose answer violates `property` at the end of `path` (its
 *  replayed `states`), or null when the property judges no reader's answer. */
export function groundTruthOf(model: AnyModel, states: readonly unknown[], path: readonly number[], property: string): GroundTruth | null {
  if (model instanceof RmapModel) return rmapTruth(model, states as RmapState[], path, property);
  if (model.name === 'seqcount') return seqcountTruth(model, states as SeqState[], path, property);
  return null;
}
