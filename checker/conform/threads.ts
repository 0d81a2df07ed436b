/**
 * Concurrent mode's transport: one 'T' request (conform/runtime/protocol.h) runs a batch of
 * executions of one program — a sequential setup, then cooperative threads — in the C process
 * under one strategy (conform/runtime/sched.c), and its answer is parsed here into each
 * execution's events, in the order they happened: operations starting and finishing (with the
 * readers' answers), the folio at every quiescent moment, warnings, BUGs, the end (finished,
 * bounded, every thread spinning); with `record`, every decision (thread, the scheduling point it
 * ran from, the enabled threads, what the action did, the code address).
 */
import type { ConformOp } from './ops';
import type { ConformProcess, EndKind } from './process';
import { MAX_VALUES, POINT_TAGS, readRecordHead, REC_HEAD_BYTES, REQ_OP_BYTES, encodeOp, type RecordHead } from './protocol';

export type SchedulerKind = 'fixed' | 'random' | 'pct' | 'race' | 'dfs';
const STRATEGY_CODE: Record<SchedulerKind, number> = { fixed: 0, random: 1, pct: 2, race: 3, dfs: 4 };

/** model/core.ts ActionTag, in the order of the runtime's RMC_AT_* bits. */
export const ACTION_TAGS = ['write-begin', 'write-end', 'read-begin', 'read-body', 'read-retry', 'plain-load', 'plain-store', 'exclusive-attempt', 'spin'] as const;
export type PointTag = (typeof POINT_TAGS)[number];

export interface ThreadsRequest {
  readonly order: number;
  readonly rmapIds: readonly number[];
  readonly setup: readonly ConformOp[];
  readonly threads: readonly (readonly ConformOp[])[];
  readonly strategy: SchedulerKind;
  /** Executions to run (dfs: at most). */
  readonly executions: number;
  /** Index of the first execution (race insertion's systematic pass counts from it). */
  readonly firstIndex?: number;
  /** One seed per execution (random, pct, race). */
  readonly seeds?: readonly bigint[];
  /** Decisions per execution before it counts as bounded. */
  readonly maxPoints: number;
  /** fixed: the schedule (a thread per decision); dfs: the path to start from. */
  readonly decisions?: readonly number[];
  /** pct: [depth, steps]; race: [budget, windows, ...]; dfs: [bound]. */
  readonly params?: readonly number[];
  readonly record?: boolean;
  readonly profile?: boolean;
}

export interface Observation {
  readonly mapcount: number;
  readonly entire: number;
  readonly refcount: number;
  readonly seq: bigint;
  readonly values: readonly bigint[];
}

export interface Decision {
  readonly step: number;
  readonly thread: number;
  /** The scheduling point the action ran from. */
  readonly tag: PointTag;
  /** How it touches memory (rmapcheck/hooks.h enum rmc_kind bits). */
  readonly access: number;
  /** Registered word index + 1, 0 for none. */
  readonly word: number;
  /** Threads that could run (bit mask). */
  readonly enabled: number;
  /** What the action did (ACTION_TAGS bits). */
  readonly tags: number;
  /** The point's code address (offset in the binary), 0 for none. */
  readonly loc: bigint;
}

export type ExecEvent =
  | { readonly kind: 'start'; readonly thread: number; readonly op: number; readonly step: number }
  | { readonly kind: 'end'; readonly thread: number; readonly op: number; readonly answer: number; readonly step: number }
  | { readonly kind: 'quiescent'; readonly step: number; readonly obs: Observation }
  /** thread -1: a setup operation. */
  | { readonly kind: 'warning'; readonly thread: number; readonly op: number; readonly text: string; readonly fatal: boolean }
  | { readonly kind: 'abandoned'; readonly thread: number; readonly op: number }
  | { readonly kind: 'bounded'; readonly step: number }
  | { readonly kind: 'deadlock'; readonly step: number }
  | { readonly kind: 'mismatch'; readonly step: number }
  | ({ readonly kind: 'decision' } & Decision);

export type ExecutionEnd = 'finished' | 'bounded' | 'deadlock' | 'crash' | 'hang' | 'exit';

export interface ExecutionProfile {
  /** steps[t]: actions thread t ran. */
  readonly steps: readonly number[];
  /** tags[t][i]: actions of thread t with ACTION_TAGS[i]. */
  readonly tags: readonly (readonly number[])[];
}

export interface ExecutionRecord {
  readonly events: ExecEvent[];
  readonly end: ExecutionEnd;
  /** Decisions taken. */
  readonly steps: number;
  readonly preemptions: number;
  /** dfs: the path this execution followed before the default choices (else empty). */
  readonly prefix: readonly number[];
  readonly profile: ExecutionProfile | null;
  /** crash / hang / exit: what the process said (the signal's name, the time limit). */
  readonly detail: string;
  /** crash / hang: the operation the runtime was in (thread -1: a setup operation), if it said. */
  readonly at: { readonly thread: number; readonly op: number } | null;
}

export interface ThreadsResponse {
  readonly executions: ExecutionRecord[];
  /** The registered words' names, in rmc_register_word order. */
  readonly words: readonly string[];
  /** dfs: every schedule within the bound was explored, else the path to go on from. */
  readonly dfs: { readonly exhausted: boolean; readonly next: readonly number[] } | null;
  readonly raw: Buffer;
}

const HEADER_WORDS = 12;

export function encodeThreadsRequest(r: ThreadsRequest): Buffer {
  // one seed per execution always (zeros where the strategy draws nothing)
  const seeds = r.seeds && r.seeds.length ? r.seeds : new Array<bigint>(r.executions).fill(0n);
  const decisions = r.decisions ?? [];
  const params = r.params ?? [];
  const opsTotal = r.threads.reduce((n, t) => n + t.length, 0);
  const decBytes = (decisions.length + 3) & ~3;
  const size = 4 + HEADER_WORDS * 4 + seeds.length * 8 + r.rmapIds.length * 4 + r.setup.length * REQ_OP_BYTES + r.threads.length * 4 + opsTotal * REQ_OP_BYTES + decBytes + params.length * 4;
  const buf = Buffer.alloc(size);
  let off = 0;
  const u32 = (v: number) => {
    buf.writeUInt32LE(v >>> 0, off);
    off += 4;
  };
  u32('T'.charCodeAt(0));
  const flags = (r.record ? 1 : 0) | (r.profile ? 2 : 0);
  for (const v of [flags, STRATEGY_CODE[r.strategy], r.executions, r.maxPoints, r.order, r.rmapIds.length, r.setup.length, r.threads.length, decisions.length, params.length, r.firstIndex ?? 0, 0]) u32(v);
  if (seeds.length !== r.executions) throw new Error('[internal bug] one seed per execution');
  for (const s of seeds) {
    buf.writeBigUInt64LE(BigInt.asUintN(64, s), off);
    off += 8;
  }
  for (const id of r.rmapIds) u32(id);
  for (const o of r.setup) {
    encodeOp(buf, off, o);
    off += REQ_OP_BYTES;
  }
  for (const t of r.threads) {
    u32(t.length);
    for (const o of t) {
      encodeOp(buf, off, o);
      off += REQ_OP_BYTES;
    }
  }
  decisions.forEach((d, i) => (buf[off + i] = d));
  off += decBytes;
  for (const p of params) u32(p);
  return buf;
}

function observation(b: Buffer, p: number): Observation {
  const values: bigint[] = [];
  for (let j = 0; j < MAX_VALUES; j++) values.push(b.readBigUInt64LE(p + 32 + 8 * j));
  return { mapcount: Number(b.readBigInt64LE(p)), entire: Number(b.readBigInt64LE(p + 8)), refcount: Number(b.readBigInt64LE(p + 16)), seq: b.readBigUInt64LE(p + 24), values };
}

const END_OF: readonly ExecutionEnd[] = ['finished', 'bounded', 'deadlock'];

/** Parses a 'T' answer (complete, or cut short by a crash or hang: `end`). */
export function parseThreadsResponse(b: Buffer, nrThreads: number, withProfile: boolean, end: EndKind = 'done', detail = '', index = -1): ThreadsResponse {
  const executions: ExecutionRecord[] = [];
  let events: ExecEvent[] = [];
  let words: string[] = [];
  let dfs: ThreadsResponse['dfs'] = null;
  let lastStep = 0;
  /** Recorded: the decision whose action is running (until its 'P'). */
  let pending: Extract<ExecEvent, { kind: 'decision' }> | null = null;
  /** dfs: the path of the execution being parsed. */
  let prefix: number[] = [];
  const h: RecordHead = { tag: 0, arg: 0, len: 0, index: 0 };
  for (let off = 0; off + REC_HEAD_BYTES <= b.length; ) {
    const p = readRecordHead(b, off, h);
    const { tag, arg: a, len, index } = h;
    off = p + len;
    switch (String.fromCharCode(tag)) {
      case 'S':
        events.push({ kind: 'start', thread: a, op: index, step: b.readUInt32LE(p) });
        break;
      case 'R':
        events.push({ kind: 'end', thread: a, op: index, answer: Number(b.readBigUInt64LE(p)), step: b.readUInt32LE(p + 8) });
        break;
      case 'Q':
        events.push({ kind: 'quiescent', step: index, obs: observation(b, p) });
        break;
      case 'W': {
        const thread = index >>> 16;
        events.push({ kind: 'warning', thread: thread === 0xffff ? -1 : thread, op: index & 0xffff, text: b.toString('utf8', p, p + len).replace(/\0+$/, ''), fatal: a === 1 });
        break;
      }
      case 'X':
        events.push({ kind: 'abandoned', thread: a === 0xff ? -1 : a, op: index });
        break;
      case 'L':
        events.push({ kind: 'bounded', step: index });
        break;
      case 'D':
        events.push({ kind: 'deadlock', step: index });
        break;
      case 'M':
        events.push({ kind: 'mismatch', step: index });
        break;
      case 'A':
        pending = { kind: 'decision', step: lastStep, thread: a, tag: POINT_TAGS[index & 0xff] ?? '', access: (index >> 8) & 0xff, word: index >>> 16, enabled: b.readUInt32LE(p), tags: 0, loc: b.readBigUInt64LE(p + 8) };
        break;
      case 'P':
        lastStep++;
        pending = null;
        events.push({ kind: 'decision', step: lastStep - 1, thread: a, tag: POINT_TAGS[index & 0xff] ?? '', access: (index >> 8) & 0xff, word: index >>> 16, enabled: b.readUInt32LE(p), tags: b.readUInt32LE(p + 4), loc: b.readBigUInt64LE(p + 8) });
        break;
      case 'K':
        words = b.toString('latin1', p, p + len).split('\0').slice(0, index);
        break;
      case 'G':
        prefix = [...b.subarray(p + 4, p + 4 + b.readUInt32LE(p))];
        break;
      case 'N': {
        const pre = b.readUInt32LE(p);
        let q = p + 8;
        let profile: ExecutionProfile | null = null;
        if (withProfile) {
          const steps: number[] = [];
          const tags: number[][] = [];
          for (let t = 0; t < nrThreads; t++) {
            steps.push(b.readUInt32LE(q));
            const row: number[] = [];
            for (let i = 0; i < ACTION_TAGS.length; i++) row.push(b.readUInt32LE(q + 4 + 4 * i));
            tags.push(row);
            q += 40;
          }
          profile = { steps, tags };
        }
        executions.push({ events, end: END_OF[a] ?? 'finished', steps: index, preemptions: pre, prefix, profile, detail: '', at: null });
        prefix = [];
        events = [];
        lastStep = 0;
        pending = null;
        break;
      }
      case 'F': {
        const n = b.readUInt32LE(p);
        dfs = { exhausted: a === 1, next: [...b.subarray(p + 4, p + 4 + n)] };
        break;
      }
      default:
        break;
    }
  }
  if (end !== 'done') {
    // the decision whose action crashed or hung is the last of the schedule (it has no tags)
    if (pending) events.push(pending);
    const at = index >= 0 ? { thread: index >>> 16 === 0xffff ? -1 : index >>> 16, op: index & 0xffff } : null;
    executions.push({ events, end, steps: lastStep, preemptions: 0, prefix, profile: null, detail, at });
  }
  return { executions, words, dfs, raw: b };
}

/** Runs one 'T' request; a crash or hang of the C side ends the last execution (never throws for it). */
export async function runThreadsRequest(proc: ConformProcess, r: ThreadsRequest): Promise<ThreadsResponse> {
  // the outer timer only covers a C side that cannot even report its hang: the watchdog limits each step
  const res = await proc.request(encodeThreadsRequest(r), r.executions);
  return parseThreadsResponse(res.buf, r.threads.length, !!r.profile, res.end, res.detail, res.index);
}
