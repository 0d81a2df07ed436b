/**
 * One running conformance binary, driven over its stdin/stdout (conform/runtime/protocol.h).
 * A request is written whole; the answer is collected until its 'E' record. The C side may
 * crash (its signal handler writes a 'C' record), hang (its timer writes 'H'), or die silently
 * (SIGKILL, a broken handler): each ends the request with an outcome, never an exception, and
 * the next request starts a fresh process. An outer timer covers a C side that cannot even
 * write its 'H' record.
 */
import { spawn, type ChildProcess } from 'child_process';
import { constants } from 'os';
import { UsageError } from '../../model/errors';
import { parseHello, REC_HEAD_BYTES, type AdapterInfo } from './protocol';

/** How a request ended. */
export type EndKind = 'done' | 'crash' | 'hang' | 'exit';

export interface Response {
  /** Every record of the request, the terminating one included. */
  readonly buf: Buffer;
  readonly end: EndKind;
  /** crash: the signal's name (SIGSEGV); exit: the exit status or signal. */
  readonly detail: string;
  /** crash / hang: the op index the runtime attributed it to, -1 if unknown. */
  readonly index: number;
}

const SIGNAL_NAMES = new Map<number, string>(Object.entries(constants.signals).map(([n, v]) => [v as number, n]));

export function signalName(n: number): string {
  return SIGNAL_NAMES.get(n) ?? `signal ${n}`;
}

export class ConformProcess {
  private child: ChildProcess | null = null;
  private chunks: Buffer[] = [];
  private size = 0;
  private waiter: (() => void) | null = null;
  private exited: string | null = null;
  info: AdapterInfo | null = null;
  /** Warnings the adapter's code reported at start (before the first request). */
  startWarnings: string[] = [];
  /** Processes started so far (1 + restarts after a crash or hang). */
  starts = 0;

  constructor(
    readonly binary: string,
    /** Per-step time limit of the runtime's own watchdog. */
    readonly stepLimitMs: number,
  ) {}

  private taken(): Buffer {
    const b = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.size);
    this.chunks = [b];
    return b;
  }

  private consume(n: number): void {
    const b = this.taken();
    this.chunks = n < b.length ? [b.subarray(n)] : [];
    this.size = b.length - n;
  }

  /** Waits until `ready(buffer)` returns a length > 0 (the bytes of a complete answer), the
   *  process exits, or `timeoutMs` passes. */
  private wait(ready: (b: Buffer) => number, timeoutMs: number): Promise<{ len: number; timedOut: boolean }> {
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | null = null;
      const check = (): void => {
        const len = this.size > 0 ? ready(this.taken()) : 0;
        if (len > 0 || this.exited !== null) {
          if (timer) clearTimeout(timer);
          this.waiter = null;
          resolve({ len, timedOut: false });
        }
      };
      timer = setTimeout(() => {
        this.waiter = null;
        resolve({ len: 0, timedOut: true });
      }, timeoutMs);
      this.waiter = check;
      check();
    });
  }

  private async start(): Promise<void> {
    this.starts++;
    this.chunks = [];
    this.size = 0;
    this.exited = null;
    const child = spawn(this.binary, [String(this.stepLimitMs)], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child = child;
    // events of a process killed earlier must not touch the state of this one
    const mine = () => this.child === child;
    child.stdout!.on('data', (b: Buffer) => {
      if (!mine()) return;
      this.chunks.push(b);
      this.size += b.length;
      this.waiter?.();
    });
    child.stderr!.on('data', () => {});
    child.stdin!.on('error', () => {});
    child.on('error', (e) => {
      if (!mine()) return;
      this.exited = `cannot start: ${e.message}`;
      this.waiter?.();
    });
    // 'close', not 'exit': it comes after the last of stdout, so a crash record written just
    // before the process exits is never lost to the race between the two events
    child.on('close', (code, sig) => {
      if (!mine()) return;
      this.exited = sig ? sig : `exit status ${code}`;
      this.waiter?.();
    });
    // the hello record, after any warnings the adapter's start-up code fired
    const r = await this.wait((b) => scanHello(b), 10_000 + 10 * this.stepLimitMs);
    if (r.len === 0) {
      this.kill();
      throw new UsageError(`the conformance binary ${this.binary} did not start (${r.timedOut ? 'no answer' : this.exited})`);
    }
    const b = this.taken();
    const warnings: string[] = [];
    let off = 0;
    while (off < r.len - 1 && b[off] !== 'I'.charCodeAt(0)) {
      const len = b.readUInt16LE(off + 2);
      if (b[off] === 'W'.charCodeAt(0)) warnings.push(b.toString('utf8', off + REC_HEAD_BYTES, off + REC_HEAD_BYTES + len).replace(/\0+$/, ''));
      off += REC_HEAD_BYTES + len;
    }
    this.info = parseHello(b, off);
    this.startWarnings = warnings;
    this.consume(r.len);
  }

  /** Sends one request; resolves when it is answered, or the process crashed, hung or exited. */
  async request(req: Buffer, expectedOps: number): Promise<Response> {
    if (!this.child || this.exited !== null) {
      this.kill();
      await this.start();
    }
    const child = this.child!;
    child.stdin!.write(req);
    const outer = 5_000 + this.stepLimitMs * (3 + expectedOps);
    const r = await this.wait(scanEnd, outer);
    if (r.len > 0) {
      const buf = Buffer.from(this.taken().subarray(0, r.len));
      this.consume(r.len);
      const last = r.len - REC_HEAD_BYTES;
      const tag = String.fromCharCode(buf[last]);
      const index = buf.readUInt32LE(last + 4);
      if (tag === 'E') return { buf, end: 'done', detail: '', index };
      // a crash or a hang record: the process is exiting
      this.kill();
      return { buf, end: tag === 'C' ? 'crash' : 'hang', detail: tag === 'C' ? signalName(buf[last + 1]) : `over ${this.stepLimitMs} ms`, index };
    }
    const buf = this.size > 0 ? Buffer.from(this.taken()) : Buffer.alloc(0);
    const detail = r.timedOut ? `no answer in ${outer} ms` : (this.exited ?? 'exited');
    this.kill();
    return { buf: completeRecords(buf), end: r.timedOut ? 'hang' : 'exit', detail, index: -1 };
  }

  kill(): void {
    if (this.child) {
      this.child.kill('SIGKILL');
      this.child = null;
    }
    this.chunks = [];
    this.size = 0;
  }

  /** Ends the process (closing its stdin ends its loop). */
  close(): void {
    if (this.child) {
      this.child.stdin!.end();
      const c = this.child;
      setTimeout(() => c.kill('SIGKILL'), 1000).unref();
      this.child = null;
    }
  }
}

/** Length up to and including the 'I' record, or 0. */
function scanHello(b: Buffer): number {
  let off = 0;
  while (off + REC_HEAD_BYTES <= b.length) {
    const len = b.readUInt16LE(off + 2);
    if (off + REC_HEAD_BYTES + len > b.length) return 0;
    off += REC_HEAD_BYTES + len;
    if (b[off - REC_HEAD_BYTES - len] === 'I'.charCodeAt(0)) return off;
  }
  return 0;
}

const E = 'E'.charCodeAt(0);
const C = 'C'.charCodeAt(0);
const H = 'H'.charCodeAt(0);

/**
 * Length of a complete answer ending in 'E', 'C' or 'H', or 0. The runtime writes nothing after
 * those (it waits for the next request, or exits), so the end record is the last one; a walk
 * over the record heads confirms it (a payload byte may look like a head).
 */
function scanEnd(b: Buffer): number {
  const n = b.length;
  if (n < REC_HEAD_BYTES || b.readUInt16LE(n - 6) !== 0) return 0;
  const last = b[n - 8];
  if (last !== E && last !== C && last !== H) return 0;
  let off = 0;
  while (off + REC_HEAD_BYTES <= n) {
    const t = b[off];
    off += REC_HEAD_BYTES + b.readUInt16LE(off + 2);
    if (off === n) return t === E || t === C || t === H ? n : 0;
  }
  return 0;
}

/** The complete records at the start of `b` (a process that died mid-write). */
function completeRecords(b: Buffer): Buffer {
  let off = 0;
  while (off + REC_HEAD_BYTES <= b.length) {
    const len = b.readUInt16LE(off + 2);
    if (off + REC_HEAD_BYTES + len > b.length) break;
    off += REC_HEAD_BYTES + len;
  }
  return b.subarray(0, off);
}
