/**
 * Runs both designs through one workload's history and counts, against the ground truth, every
 * reader answer and COW decision: false "shared", false "exclusive", COW copies the oracle reuses
 * (`lostReuse`), reuses it does not (`wrongReuse`), sanity-check warnings. The ground truth is
 * computed once (model/workload/history.ts); each design then replays the same events alone, so
 * its time is its own.
 */
import { performance } from 'perf_hooks';
import type { Scheme } from '../../model/scheme';
import { schemeForOrder, type SchemeSet } from '../../model/scheme';
import { UsageError } from '../../model/errors';
import { runHistory, type HistoryEvent } from '../../model/workload/history';
import type { Workload } from '../../model/workload/workload';
import { MmIdDesign, RmapIdDesign, type Design } from './designs';
import type { DesignName, DisagreementKind } from './result';

/** One call (reader or COW) on which a design and the truth disagree. */
export interface Disagreement {
  kind: DisagreementKind;
  /** Index of the operation in the workload. */
  op: number;
  /** Index of the call among the design's calls (reader calls and COW faults, in order). */
  call: number;
  mm: string;
  /** `shared` / `exclusive` for a reader; `reuse` / `copy` for COW; the warning for `warning`. */
  answer: string;
  /** What the ground truth (or the oracle) says. */
  truth: string;
  /** The step of the design that decided. */
  rule: string;
}

/** A design's pass over one history. */
export interface DesignPass {
  design: DesignName;
  readerCalls: number;
  falseShared: number;
  falseExclusive: number;
  cowDecisions: number;
  lostReuse: number;
  wrongReuse: number;
  warnings: number;
  cowReuses: number;
  disagreements: Disagreement[];
  /** Seconds this design took over the history. */
  seconds: number;
}

/** The scheme of the set for a workload's order, or a one-line error. */
export function schemeFor(set: SchemeSet, order: number): Scheme {
  const s = schemeForOrder(set, order);
  if (!s) throw new UsageError(`scheme set ${set.name} has no scheme for order ${order}`);
  return s;
}

/** A fresh design of either kind for a folio of `order`. */
export function makeDesign(name: DesignName, scheme: Scheme, order: number): Design {
  return name === 'rmap-id' ? new RmapIdDesign(scheme, order) : new MmIdDesign(2 ** order);
}

/**
 * Drives `design` through `events`; `observe`, when given, sees every event with the design's
 * answer (the viewer and replay use it), after the design took it.
 */
export function runDesign(design: Design, events: readonly HistoryEvent[], observe?: (ev: HistoryEvent, answer: string | null, rule: string | null, warnings: readonly string[]) => void): DesignPass {
  const pass: DesignPass = {
    design: design.name,
    readerCalls: 0,
    falseShared: 0,
    falseExclusive: 0,
    cowDecisions: 0,
    lostReuse: 0,
    wrongReuse: 0,
    warnings: 0,
    cowReuses: 0,
    disagreements: [],
    seconds: 0,
  };
  let call = 0;
  const start = performance.now();
  for (const ev of events) {
    if (ev.e === 'read') {
      const r = design.read(ev);
      pass.readerCalls++;
      const answer = r.shared ? 'shared' : 'exclusive';
      if (r.shared !== ev.shared) {
        const kind = r.shared ? 'falseShared' : 'falseExclusive';
        pass[kind]++;
        pass.disagreements.push({ kind, op: ev.op, call, mm: ev.mm, answer, truth: ev.shared ? 'shared' : 'exclusive', rule: r.rule });
      }
      observe?.(ev, answer, r.rule, []);
      call++;
    } else if (ev.e === 'cow') {
      const d = design.cow(ev);
      pass.cowDecisions++;
      if (d.reuse) pass.cowReuses++;
      const answer = d.reuse ? 'reuse' : 'copy';
      const truth = ev.oracleReuse ? 'reuse' : 'copy';
      if (d.reuse !== ev.oracleReuse) {
        const kind = d.reuse ? 'wrongReuse' : 'lostReuse';
        pass[kind]++;
        pass.disagreements.push({ kind, op: ev.op, call, mm: ev.mm, answer, truth, rule: d.rule });
      }
      for (const w of d.warnings) {
        pass.warnings++;
        pass.disagreements.push({ kind: 'warning', op: ev.op, call, mm: ev.mm, answer: w, truth: 'no warning', rule: d.rule });
      }
      observe?.(ev, answer, d.rule, d.warnings);
      call++;
    } else {
      design.track(ev);
      observe?.(ev, null, null, []);
    }
  }
  pass.seconds = (performance.now() - start) / 1000;
  return pass;
}

/** Both designs' passes over one workload (rmap-id first). */
export function compareOne(w: Workload, schemes: SchemeSet, source: string = w.name): { passes: DesignPass[]; history: ReturnType<typeof runHistory> } {
  const scheme = schemeFor(schemes, w.order);
  const history = runHistory(w, source);
  const passes = (['rmap-id', 'mm-id'] as const).map((d) => runDesign(makeDesign(d, scheme, w.order), history.events));
  return { passes, history };
}
