/**
 * The properties of one concurrent execution (threads.ts `ExecutionRecord`), judged against the
 * ghost state: the set of mappings the program's operations have made, kept as a reference
 * model (reference.ts) that applies each writer operation when it finishes.
 *
 * - Readers are linearizable: a reader's answer must be right for the mappings as of SOME
 *   instant inside its read window — the reference's answer, or "exclusive" ("reuse") where the
 *   ground truth allows it (no other MM maps the folio; for reuse also no other reference),
 *   since the reference is conservative by design — where at an instant every operation already
 *   finished counts and any subset of those in flight may count (an operation takes effect at
 *   one point between its start and its end). Only a writer starting inside the window adds new
 *   candidate states (one finishing only settles one that was already possible), so the
 *   candidates are evaluated at the reader's start and at each writer's start. The COW check
 *   (P10) may also give up ("copy") whenever another thread's operation overlapped its window:
 *   it does not wait for writers, and references rise before a mapping and fall after it.
 * - At every quiescent moment (no operation in flight) the C folio is checked against the
 *   mappings: I1 (each value is the sum of the mapping MMs' sub-IDs, mod 2^64), I2, I3, I4
 *   (a match for an MM means no other MM maps it), I5 (an MM that alone maps it matches),
 *   no lost update (mapcount, entire mapcount and refcount are the reference's), and I6 (no
 *   writer bits at rest; each write operation finished since the last quiescent moment advanced
 *   the sequence).
 * - A WARN or BUG that fires is a violation named after its condition; a crash, a hang, an
 *   execution that does not finish within its bound and one where every unfinished thread
 *   spins (livelock) too.
 *
 * The first violation in the order things happened is the execution's finding.
 */
import { subIdsOf } from '../../model/folio';
import { hexWord, wrap } from '../../model/word';
import type { Layout } from '../../model/seqcount/layout';
import type { ConcurrentCase } from '../../generators/conform-concurrent';
import { describeOp, isReader, isWrite, type ConformOp } from './ops';
import { MAX_VALUES } from './protocol';
import { ConformReference } from './reference';
import type { ExecEvent, ExecutionRecord, Observation } from './threads';

export type FindingKind = 'answer' | 'state' | 'invariant' | 'warning' | 'bug' | 'crash' | 'hang' | 'livelock' | 'setup';

export interface ConcurrentFinding {
  /** The property violated: reader-linearizable, I1 .. I6, no-lost-update, no-livelock,
   *  no-crash, no-hang, or a WARN / BUG's text (condition, file and line). */
  readonly property: string;
  readonly kind: FindingKind;
  readonly field: string;
  readonly expected: string;
  readonly actual: string;
  /** The thread whose operation it concerns, -1 for none (a quiescent moment) or the setup. */
  readonly thread: number;
  /** That operation's index in its thread (or in the setup), -1 for none. */
  readonly op: number;
  /** Decisions taken when it was seen: the schedule prefix that shows it (the trace length). */
  readonly length: number;
}

export const PROPERTY_DESCRIPTIONS: Readonly<Record<string, string>> = {
  'reader-linearizable': "a reader's answer is right for the mappings as of some instant inside its read window",
  I1: 'at a quiet moment, val_j == the sum over current mappings of s_j(mm) (mod 2^64): no value update lost',
  I2: 'at a quiet moment, mapcount 0 implies every value is 0',
  I3: "at a quiet moment, mapcount 1 implies the values are the mapping MM's sub-IDs",
  I4: 'at a quiet moment, with mapcount <= P, values matching an MM mean no other MM maps the folio',
  I5: 'at a quiet moment, if only one MM maps the folio (mapcount <= P), the values match it',
  I6: 'at a quiet moment, no writer bits are set and every finished write section advanced the sequence',
  'no-lost-update': "at a quiet moment, the total and entire mapcounts and the refcount are the reference's",
  'no-livelock': 'every execution finishes: no thread spins or retries without end',
  'no-crash': 'the C code does not crash',
  'no-hang': 'every step of the C code ends within the time limit',
};

const ANSWER_WORDS: Record<'mapped-shared' | 'cow-reuse', readonly [string, string]> = { 'mapped-shared': ['exclusive', 'shared'], 'cow-reuse': ['copy', 'reuse'] };

/** The reference's mutable state, copied (reference.ts fields). */
function copyState(dst: ConformReference, src: ConformReference): void {
  dst.mapcount = src.mapcount;
  dst.entire = src.entire;
  dst.refcount = src.refcount;
  dst.pins = src.pins;
  dst.values = src.values.slice();
  for (let i = 0; i < src.perMm.length; i++) dst.perMm[i] = src.perMm[i];
}

interface ReaderWindow {
  readonly op: Extract<ConformOp, { op: 'mapped-shared' | 'cow-reuse' }>;
  /** bit 0: answer false is right at some candidate instant, bit 1: true. */
  acceptable: number;
  /** Another thread's writer (or pin) operation was in flight during the window. */
  overlap: boolean;
}

/** Checks executions of one program (the reference after the setup is computed once). */
export class ProgramChecker {
  private readonly baseline: ConformReference;
  private readonly completed: ConformReference;
  private readonly scratch: ConformReference;
  private readonly subs: bigint[][];
  private readonly P: number;

  constructor(
    readonly program: ConcurrentCase,
    readonly layout: Layout,
  ) {
    this.baseline = new ConformReference(program.order, program.rmapIds);
    for (const o of program.setup) this.baseline.apply(o);
    this.completed = new ConformReference(program.order, program.rmapIds);
    this.scratch = new ConformReference(program.order, program.rmapIds);
    this.subs = program.rmapIds.map((id) => subIdsOf(this.baseline.scheme, BigInt(id)));
    this.P = this.baseline.pages;
  }

  /**
   * The answers right for the mappings with the completed operations and `extra` applied (bit 0:
   * false, bit 1: true): the reference's answer, and "exclusive" / "reuse" whenever the ground
   * truth allows it (the reference may say "shared" / "copy" where that is only its imprecision:
   * more mappings than pages, a PMD mapping; a reader that combines checks made at two instants
   * can be precise there, and the sequential mode pins the exact answers).
   */
  private rightAnswers(o: Extract<ConformOp, { op: 'mapped-shared' | 'cow-reuse' }>, extra: readonly ConformOp[]): number {
    let ref = this.completed;
    if (extra.length > 0) {
      copyState(this.scratch, this.completed);
      for (const w of extra) this.scratch.apply(w);
      ref = this.scratch;
    }
    const exclusiveBit = o.op === 'mapped-shared' ? 1 : 2;
    return (ref.apply(o) ? 2 : 1) | (ref.mayBeExclusive(o) ? exclusiveBit : 0);
  }

  /** Adds to `r` the answers of the candidates: `must` applied, with every subset of `others`. */
  private candidates(r: ReaderWindow, must: readonly ConformOp[], others: readonly ConformOp[]): void {
    const n = others.length;
    for (let mask = 0; mask < 1 << n && r.acceptable !== 3; mask++) {
      const extra = [...must];
      for (let i = 0; i < n; i++) if (mask & (1 << i)) extra.push(others[i]);
      r.acceptable |= this.rightAnswers(r.op, extra);
    }
  }

  /** `o`'s values match `count` times `mm`'s sub-IDs (mod 2^64)? */
  private matches(values: readonly bigint[], mm: number, count: number): boolean {
    const s = this.subs[mm];
    const c = BigInt(count);
    for (let j = 0; j < s.length; j++) if (values[j] !== wrap(c * s[j], 64)) return false;
    return true;
  }

  /** The quiescent checks (see the file comment), against the completed operations. */
  private quiescent(obs: Observation, prevSeq: bigint, writes: number, length: number): ConcurrentFinding | null {
    const ref = this.completed;
    const V = ref.values.length;
    const at = (property: string, kind: FindingKind, field: string, expected: string, actual: string): ConcurrentFinding => ({ property, kind, field, expected, actual, thread: -1, op: -1, length });
    for (let j = 0; j < MAX_VALUES; j++) {
      const expect = j < V ? ref.values[j] : 0n;
      if (obs.values[j] !== expect) return at('I1', 'state', `_rmap_val${j}`, hexWord(expect, 64), hexWord(obs.values[j], 64));
    }
    const zero = obs.values.every((v) => v === 0n);
    if (obs.mapcount === 0 && !zero) return at('I2', 'invariant', 'values', 'all 0 with mapcount 0', obs.values.map((v) => hexWord(v, 64)).join(' '));
    const mapping = ref.perMm.map((n, mm) => (n > 0 ? mm : -1)).filter((mm) => mm >= 0);
    if (obs.mapcount === 1 && !mapping.some((mm) => this.matches(obs.values, mm, 1)))
      return at('I3', 'invariant', 'values', `the sub-IDs of ${mapping.map((m) => `MM${m}`).join(' or ') || 'the mapping MM'}`, obs.values.slice(0, V).map((v) => hexWord(v, 64)).join(' '));
    if (obs.mapcount <= this.P)
      for (let mm = 0; mm < this.subs.length; mm++)
        if (this.matches(obs.values, mm, obs.mapcount) && mapping.some((x) => x !== mm))
          return at('I4', 'invariant', 'values', `no match for MM${mm} while ${mapping.filter((x) => x !== mm).map((m) => `MM${m}`).join(', ')} map(s) the folio`, `values match ${obs.mapcount} x the sub-IDs of MM${mm}`);
    if (mapping.length === 1 && ref.mapcount <= this.P && !this.matches(obs.values, mapping[0], obs.mapcount))
      return at('I5', 'invariant', 'values', `${obs.mapcount} x the sub-IDs of MM${mapping[0]} (it alone maps the folio)`, obs.values.slice(0, V).map((v) => hexWord(v, 64)).join(' '));
    if (obs.mapcount !== ref.mapcount) return at('no-lost-update', 'state', 'mapcount', String(ref.mapcount), String(obs.mapcount));
    if (obs.entire !== ref.entire) return at('no-lost-update', 'state', 'entire_mapcount', String(ref.entire), String(obs.entire));
    if (obs.refcount !== ref.refcount) return at('no-lost-update', 'state', 'refcount', String(ref.refcount), String(obs.refcount));
    const step = this.layout.step;
    if ((obs.seq & (step - 1n)) !== 0n) return at('I6', 'state', 'seq', 'no writer bits at rest', hexWord(obs.seq, 64));
    const advanced = BigInt.asUintN(64, obs.seq - prevSeq) / step;
    if (advanced < BigInt(writes)) return at('I6', 'state', 'seq', `advanced by at least ${writes} write section(s) since ${hexWord(prevSeq, 64)}`, hexWord(obs.seq, 64));
    return null;
  }

  /** The first violation of `exec` (see the file comment), or null. */
  check(exec: ExecutionRecord, maxPoints: number): ConcurrentFinding | null {
    const prog = this.program;
    const events = exec.events;
    copyState(this.completed, this.baseline);
    const writers = new Map<number, ConformOp>();
    const readers = new Map<number, ReaderWindow>();
    let prevSeq = 0n;
    let writes = 0;
    let started = false;
    /** The trace length of a finding at event i: through the action it happened in. */
    const lengthAt = (i: number): number => {
      for (let k = i; k < events.length; k++) {
        const e = events[k];
        if (e.kind === 'start' || e.kind === 'end' || e.kind === 'decision') return e.step + 1;
        if (e.kind === 'quiescent') return e.step;
      }
      return exec.steps + (exec.end === 'crash' || exec.end === 'hang' || exec.end === 'exit' ? 1 : 0);
    };
    const opOf = (t: number, k: number): ConformOp => (t < 0 ? prog.setup[k] : prog.threads[t][k]);
    let warned: Extract<ExecEvent, { kind: 'warning' }> | null = null;
    for (let i = 0; i < events.length; i++) {
      const e = events[i];
      switch (e.kind) {
        case 'start': {
          const o = prog.threads[e.thread][e.op];
          if (isReader(o)) {
            const r: ReaderWindow = { op: o, acceptable: 0, overlap: writers.size > 0 };
            this.candidates(r, [], [...writers.values()]);
            readers.set(e.thread, r);
          } else {
            const others = [...writers.values()];
            writers.set(e.thread, o);
            for (const r of readers.values()) {
              r.overlap = true;
              if (r.acceptable !== 3) this.candidates(r, [o], others);
            }
          }
          break;
        }
        case 'end': {
          const o = prog.threads[e.thread][e.op];
          if (isReader(o)) {
            const r = readers.get(e.thread)!;
            readers.delete(e.thread);
            const words = ANSWER_WORDS[o.op];
            const right = [false, true].filter((a) => r.acceptable & (a ? 2 : 1)).map((a) => words[Number(a)]);
            const ok = e.answer <= 1 && ((r.acceptable & (e.answer === 1 ? 2 : 1)) !== 0 || (o.op === 'cow-reuse' && e.answer === 0 && r.overlap));
            if (!ok)
              return {
                property: 'reader-linearizable',
                kind: 'answer',
                field: 'answer',
                expected: `${right.join(' or ')} (right for the mappings at some instant of the read${o.op === 'cow-reuse' && r.overlap ? '; or copy, since a writer overlapped it' : ''})`,
                actual: e.answer <= 1 ? words[e.answer] : 'none',
                thread: e.thread,
                op: e.op,
                length: e.step + 1,
              };
          } else {
            writers.delete(e.thread);
            this.completed.apply(o);
            if (isWrite(o)) writes++;
          }
          break;
        }
        case 'quiescent': {
          if (!started) {
            // the setup's end: the folio must be what the setup made (the sequential mode's ground)
            started = true;
            prevSeq = e.obs.seq;
            const f = this.quiescent(e.obs, e.obs.seq, 0, 0);
            if (f) return { ...f, kind: 'setup', field: `${f.field} after the setup` };
            break;
          }
          const f = this.quiescent(e.obs, prevSeq, writes, e.step);
          if (f) return f;
          prevSeq = e.obs.seq;
          writes = 0;
          break;
        }
        case 'warning':
          warned ??= e;
          if (!e.fatal) return { property: e.text, kind: 'warning', field: 'WARN', expected: 'no warning', actual: e.text, thread: e.thread, op: e.op, length: lengthAt(i + 1) };
          break;
        case 'abandoned': {
          const text = warned && warned.fatal ? warned.text : `operation ${describeOp(opOf(e.thread, e.op))} abandoned`;
          return { property: text, kind: 'bug', field: 'BUG', expected: 'no BUG', actual: text, thread: e.thread, op: e.op, length: lengthAt(i + 1) };
        }
        case 'bounded':
          return {
            property: 'no-livelock',
            kind: 'livelock',
            field: 'schedule',
            expected: `every thread finishes within ${maxPoints} decisions`,
            actual: `unfinished after ${e.step} decisions (${[...writers.keys(), ...readers.keys()].map((t) => `T${t}`).join(', ') || 'no operation'} in flight)`,
            thread: -1,
            op: -1,
            length: e.step,
          };
        case 'deadlock':
          return { property: 'no-livelock', kind: 'livelock', field: 'spin', expected: 'some thread can go on', actual: 'every unfinished thread spins: nobody can end the waits', thread: -1, op: -1, length: e.step };
        default:
          break;
      }
    }
    // the operation the runtime was in when it crashed or hung
    const at = exec.at && exec.at.thread < prog.threads.length && exec.at.op < (exec.at.thread < 0 ? prog.setup.length : prog.threads[exec.at.thread].length) ? exec.at : null;
    const inOp = at ? ` in ${at.thread < 0 ? `setup op ${at.op}` : `T${at.thread} op ${at.op}`}: ${describeOp(opOf(at.thread, at.op))}` : '';
    const where = { thread: at?.thread ?? -1, op: at?.op ?? -1, length: lengthAt(events.length) };
    if (exec.end === 'crash' || exec.end === 'exit') return { property: 'no-crash', kind: 'crash', field: exec.end === 'crash' ? 'signal' : 'process', expected: 'no crash', actual: `${exec.detail}${inOp}`, ...where };
    if (exec.end === 'hang') return { property: 'no-hang', kind: 'hang', field: 'time', expected: 'each step within the time limit', actual: `still running${inOp} (${exec.detail})`, ...where };
    return null;
  }
}
