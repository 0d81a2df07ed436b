/**
 * One conformance case, run on the C side and judged operation by operation against the
 * reference (reference.ts): after every operation the folio's total mapcount, entire mapcount,
 * refcount and every rmap value (mod 2^64; values the order does not use must stay 0) must be
 * the reference's; the seqcount word must have no writer bits at rest, advance on every write
 * and stay put on every read; every reader answer must be the reference's and must not claim
 * "exclusive" / "reuse" when the ground truth says otherwise. A WARN or BUG that fires, a crash,
 * a hang and a livelock are divergences too. The first divergence ends the case.
 */
import { hexWord } from '../../model/word';
import { type Layout, LAYOUTS } from '../../model/seqcount/layout';
import { UsageError } from '../../model/errors';
import { isReader, isWrite, type ConformCase, type ConformOp } from './ops';
import { encodeBatch, MAX_VALUES, readRecordHead, REC_HEAD_BYTES, type AdapterInfo, type RecordHead } from './protocol';
import type { ConformProcess, Response } from './process';
import { ConformReference } from './reference';

export type DivergenceKind = 'state' | 'answer' | 'ground-truth' | 'warning' | 'bug' | 'crash' | 'hang' | 'livelock' | 'setup' | 'nondeterministic';

export interface Divergence {
  /** Index into the case's operations (-1: the setup). */
  readonly op: number;
  readonly kind: DivergenceKind;
  readonly field: string;
  readonly expected: string;
  readonly actual: string;
}

/** The folio after one operation, as the C side and the reference see it (decimal / hex strings). */
export interface FolioSnapshot {
  readonly mapcount: string;
  readonly entire: string;
  readonly refcount: string;
  readonly seq: string;
  readonly values: readonly string[];
  readonly answer: string | null;
}

export interface StepRecord {
  readonly op: ConformOp;
  readonly c: FolioSnapshot | null;
  readonly reference: FolioSnapshot;
}

export interface CaseOutcome {
  readonly divergence: Divergence | null;
  /** Operations compared (up to and including a divergent one). */
  readonly ops: number;
  /** With `record`: every operation's C and reference state, up to the divergence. */
  readonly steps: StepRecord[] | null;
}

/** The property a divergence violates, by kind (a WARN/BUG is named after its condition). */
export function propertyOf(d: Divergence): string {
  switch (d.kind) {
    case 'state':
    case 'setup':
      return 'state-matches-reference';
    case 'answer':
      return 'answer-matches-reference';
    case 'ground-truth':
      return 'no-false-exclusive';
    case 'warning':
    case 'bug':
      return d.actual;
    case 'crash':
      return 'no-crash';
    case 'hang':
      return 'no-hang';
    case 'livelock':
      return 'no-livelock';
    case 'nondeterministic':
      return 'deterministic';
  }
}

/** The seqcount layout the adapter reports, which must be one of the series' (seqcount.md). */
export function layoutOfAdapter(info: AdapterInfo): Layout {
  const l = LAYOUTS.find((x) => x.wordBits === 64 && x.shared === info.sharedWriter && x.writersMask === info.writersMask && x.step === info.sequenceStep && (x.excl ?? 0n) === info.exclusiveWriter);
  if (!l)
    throw new UsageError(
      `the adapter reports a seqcount layout that is none of the series' 64-bit V1/V2/V3 layouts (shared ${hexWord(info.sharedWriter, 64)}, exclusive ${hexWord(info.exclusiveWriter, 64)}, writers mask ${hexWord(info.writersMask, 64)}, step ${hexWord(info.sequenceStep, 64)})`,
    );
  return l;
}

const O = 'O'.charCodeAt(0);
const W = 'W'.charCodeAt(0);
const X = 'X'.charCodeAt(0);
const L = 'L'.charCodeAt(0);

/** A signed 64-bit field as a JS number (exact below 2^53, which every count is). */
function i64(b: Buffer, p: number): number {
  return b.readInt32LE(p + 4) * 4294967296 + b.readUInt32LE(p);
}

function snapshotC(b: Buffer, p: number, answer: number): FolioSnapshot {
  const values: string[] = [];
  for (let j = 0; j < MAX_VALUES; j++) values.push(hexWord(b.readBigUInt64LE(p + 32 + 8 * j), 64));
  return { mapcount: String(i64(b, p)), entire: String(i64(b, p + 8)), refcount: String(i64(b, p + 16)), seq: hexWord(b.readBigUInt64LE(p + 24), 64), values, answer: answer === 2 ? null : String(answer === 1) };
}

function snapshotRef(r: ConformReference, answer: boolean | null, seq: string): FolioSnapshot {
  const values = Array.from({ length: MAX_VALUES }, (_, j) => hexWord(j < r.values.length ? r.values[j] : 0n, 64));
  return { mapcount: String(r.mapcount), entire: String(r.entire), refcount: String(r.refcount), seq, values, answer: answer === null ? null : String(answer) };
}

/** What the reference records for the seqcount word after `o` (it knows no number, only the rule). */
function referenceSeq(o: ConformOp): string {
  return isWrite(o) || o.op === 'new-anon' ? 'advanced, at rest' : 'unchanged';
}

/** The reference's snapshots after each of the first `n` operations of `c` (as checkCase records them). */
export function referenceSnapshots(c: ConformCase, n: number = c.ops.length): FolioSnapshot[] {
  const ref = new ConformReference(c.order, c.rmapIds);
  return c.ops.slice(0, n).map((o) => snapshotRef(ref, ref.apply(o), referenceSeq(o)));
}

/** Runs `c` on the C side and compares every operation (see the file comment). */
export async function checkCase(proc: ConformProcess, layout: Layout, c: ConformCase, record = false): Promise<CaseOutcome> {
  const prefix = c.rmapIds.length + 1;
  const res: Response = await proc.request(encodeBatch(c.order, c.rmapIds, c.ops), prefix + c.ops.length);
  const ref = new ConformReference(c.order, c.rmapIds);
  const b = res.buf;
  const steps: StepRecord[] | null = record ? [] : null;
  const stepMask = layout.step - 1n;
  const V = ref.values.length;
  let prevSeq = 0n;
  let warning: { text: string; fatal: boolean } | null = null;
  let done = 0;
  const diverge = (op: number, kind: DivergenceKind, field: string, expected: string, actual: string): CaseOutcome => ({
    divergence: { op, kind, field, expected, actual },
    ops: Math.max(0, op + 1),
    steps,
  });

  const h: RecordHead = { tag: 0, arg: 0, len: 0, index: 0 };
  for (let off = 0; off + REC_HEAD_BYTES <= b.length; ) {
    const p = readRecordHead(b, off, h);
    const { tag, arg: a, len, index } = h;
    off = p + len;
    const i = index - prefix;
    if (tag === W) {
      // the first WARN of an operation is its finding (a BUG also abandons the operation)
      warning ??= { text: b.toString('utf8', p, p + len).replace(/\0+$/, ''), fatal: a === 1 };
      continue;
    }
    if (tag === L) return diverge(i, 'livelock', 'spin', 'the wait ends', 'spins forever (no other thread can end it in sequential mode)');
    if (tag === X) {
      if (warning) return diverge(i, 'bug', 'BUG', 'no BUG', warning.text);
      return diverge(i, 'bug', 'operation', 'completes', 'abandoned');
    }
    if (tag !== O) continue;
    if (index < prefix - 1) continue; // SET_ID
    if (warning) return diverge(i, warning.fatal ? 'bug' : 'warning', warning.fatal ? 'BUG' : 'WARN', 'no warning', warning.text);
    if (index === prefix - 1) {
      if (a !== 0) return diverge(-1, 'setup', 'rmc_adapter_setup', '0', String(a));
      const fresh = i64(b, p) === 0 && i64(b, p + 8) === 0 && i64(b, p + 16) === 0;
      prevSeq = b.readBigUInt64LE(p + 24);
      if (!fresh || (prevSeq & layout.writersMask) !== 0n)
        return diverge(-1, 'setup', 'fresh folio', 'unmapped, unreferenced, no writer', JSON.stringify(snapshotC(b, p, a)));
      continue;
    }
    const o = c.ops[i];
    const want = ref.apply(o);
    done = i + 1;
    const seq = b.readBigUInt64LE(p + 24);
    if (steps) steps.push({ op: o, c: snapshotC(b, p, a), reference: snapshotRef(ref, want, referenceSeq(o)) });
    const mapcount = i64(b, p);
    if (mapcount !== ref.mapcount) return diverge(i, 'state', 'mapcount', String(ref.mapcount), String(mapcount));
    const entire = i64(b, p + 8);
    if (entire !== ref.entire) return diverge(i, 'state', 'entire_mapcount', String(ref.entire), String(entire));
    const refcount = i64(b, p + 16);
    if (refcount !== ref.refcount) return diverge(i, 'state', 'refcount', String(ref.refcount), String(refcount));
    for (let j = 0; j < MAX_VALUES; j++) {
      const v = b.readBigUInt64LE(p + 32 + 8 * j);
      const expect = j < V ? ref.values[j] : 0n;
      if (v !== expect) return diverge(i, 'state', `_rmap_val${j}`, hexWord(expect, 64), hexWord(v, 64));
    }
    if ((seq & stepMask) !== 0n) return diverge(i, 'state', 'seq', 'no writer bits at rest', hexWord(seq, 64));
    if (isWrite(o) && seq === prevSeq) return diverge(i, 'state', 'seq', 'advanced by the write section', `unchanged ${hexWord(seq, 64)}`);
    if ((isReader(o) || o.op === 'pin' || o.op === 'unpin') && seq !== prevSeq)
      return diverge(i, 'state', 'seq', `unchanged ${hexWord(prevSeq, 64)}`, hexWord(seq, 64));
    prevSeq = seq;
    if (isReader(o)) {
      const words = o.op === 'mapped-shared' ? ['exclusive', 'shared'] : ['copy', 'reuse'];
      const got = a === 1;
      if (a > 1) return diverge(i, 'answer', 'answer', words[Number(want)], 'none');
      if (got !== want) return diverge(i, 'answer', 'answer', words[Number(want)], words[Number(got)]);
      // exclusive / reuse must be true of the mappings themselves (the reference could be wrong too)
      const claimsExclusive = o.op === 'mapped-shared' ? !got : got;
      if (claimsExclusive && !ref.mayBeExclusive(o))
        return diverge(i, 'ground-truth', 'answer', o.op === 'mapped-shared' ? 'shared (another MM maps the folio)' : 'copy (another MM or reference holds the page)', words[Number(got)]);
    }
  }
  if (res.end === 'done') return { divergence: null, ops: done, steps };
  // the C side stopped inside operation `done` (or where it said)
  const at = res.index >= 0 ? res.index - prefix : done;
  if (res.end === 'crash') return diverge(at, 'crash', 'signal', 'no crash', res.detail);
  if (res.end === 'hang') return diverge(at, 'hang', 'time', `each operation within ${proc.stepLimitMs} ms`, `still running (${res.detail})`);
  return diverge(at, 'crash', 'process', 'keeps running', res.detail);
}

