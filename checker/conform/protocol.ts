/**
 * The wire format of conform/runtime/protocol.h, mirrored: operations encoded as fixed 16-byte
 * requests, responses parsed as 8-byte-headed records. Keep both files in step.
 */
import type { ConformOp, WriterPath } from './ops';

export const OP_SETUP = 1;
export const OP_SET_ID = 2;
export const OP_NEW_ANON = 3;
export const OP_MAP = 4;
export const OP_UNMAP = 5;
export const OP_DUP = 6;
export const OP_MAP_PMD = 7;
export const OP_UNMAP_PMD = 8;
export const OP_DUP_PMD = 9;
export const OP_REMAP_PMD = 10;
export const OP_REF = 11;
export const OP_MAPPED_SHARED = 12;
export const OP_COW_REUSE = 13;

export const REQ_OP_BYTES = 16;
export const REC_HEAD_BYTES = 8;

/** The head of one reply record: its tag, its byte argument, its payload's length and the
 *  operation / step index it belongs to. */
export interface RecordHead {
  tag: number;
  arg: number;
  len: number;
  index: number;
}

/** Reads the head of the record at `off` into `h` (one object reused by the caller's loop: no
 *  allocation per record on the hot path); returns where its payload starts. */
export function readRecordHead(b: Buffer, off: number, h: RecordHead): number {
  h.tag = b[off];
  h.arg = b[off + 1];
  h.len = b.readUInt16LE(off + 2);
  h.index = b.readUInt32LE(off + 4);
  return off + REC_HEAD_BYTES;
}
/** 'O' payload: mapcount, entire, refcount, seq, values[6], each a u64. */
export const OBS_WORDS = 10;
export const MAX_VALUES = 6;
export const ANSWER_NONE = 2;

const PATH_CODE: Record<WriterPath, number> = { auto: 0, shared: 1, exclusive: 2 };

/** Writes one request op at `off`. */
function put(buf: Buffer, off: number, code: number, mm: number, mm2: number, path: number, page: number, nr: number, arg: number): void {
  buf[off] = code;
  buf[off + 1] = mm;
  buf[off + 2] = mm2;
  buf[off + 3] = path;
  buf.writeUInt32LE(page, off + 4);
  buf.writeUInt32LE(nr, off + 8);
  buf.writeInt32LE(arg, off + 12);
}

/**
 * One 'B' request: SET_ID for every MM, SETUP, then the operations. Response op index i + 1 +
 * rmapIds.length is operation i.
 */
export function encodeBatch(order: number, rmapIds: readonly number[], ops: readonly ConformOp[]): Buffer {
  const count = rmapIds.length + 1 + ops.length;
  const buf = Buffer.alloc(8 + count * REQ_OP_BYTES);
  buf.writeUInt32LE('B'.charCodeAt(0), 0);
  buf.writeUInt32LE(count, 4);
  let off = 8;
  rmapIds.forEach((id, mm) => {
    put(buf, off, OP_SET_ID, mm, 0, 0, 0, 0, id);
    off += REQ_OP_BYTES;
  });
  put(buf, off, OP_SETUP, rmapIds.length, 0, 0, 0, order, 0);
  off += REQ_OP_BYTES;
  for (const o of ops) {
    encodeOp(buf, off, o);
    off += REQ_OP_BYTES;
  }
  return buf;
}

export function encodeOp(buf: Buffer, off: number, o: ConformOp): void {
  switch (o.op) {
    case 'new-anon':
      return put(buf, off, OP_NEW_ANON, o.mm, 0, 0, 0, o.nr, 0);
    case 'map':
      return put(buf, off, OP_MAP, o.mm, 0, PATH_CODE[o.path], o.page, o.nr, 0);
    case 'unmap':
      return put(buf, off, OP_UNMAP, o.mm, 0, PATH_CODE[o.path], o.page, o.nr, 0);
    case 'dup':
      return put(buf, off, OP_DUP, o.from, o.mm, PATH_CODE[o.path], o.page, o.nr, 0);
    case 'map-pmd':
      return put(buf, off, OP_MAP_PMD, o.mm, 0, PATH_CODE[o.path], 0, 0, 0);
    case 'unmap-pmd':
      return put(buf, off, OP_UNMAP_PMD, o.mm, 0, PATH_CODE[o.path], 0, 0, 0);
    case 'dup-pmd':
      return put(buf, off, OP_DUP_PMD, o.from, o.mm, PATH_CODE[o.path], 0, 0, 0);
    case 'remap-pmd':
      return put(buf, off, OP_REMAP_PMD, o.mm, 0, PATH_CODE[o.path], 0, 0, 0);
    case 'pin':
      return put(buf, off, OP_REF, 0, 0, 0, 0, 0, 1);
    case 'unpin':
      return put(buf, off, OP_REF, 0, 0, 0, 0, 0, -1);
    case 'mapped-shared':
      return put(buf, off, OP_MAPPED_SHARED, o.mm, 0, 0, 0, 0, 0);
    case 'cow-reuse':
      return put(buf, off, OP_COW_REUSE, o.mm, 0, 0, o.page, 0, 0);
  }
}

/** The adapter's self-description ('I' record). */
export interface AdapterInfo {
  name: string;
  abi: number;
  sharedWriter: bigint;
  exclusiveWriter: bigint;
  writersMask: bigint;
  sequenceStep: bigint;
  minOrder: number;
  maxOrder: number;
}

export function parseHello(buf: Buffer, off: number): AdapterInfo {
  const a = buf[off + 1];
  const nameLen = buf.readUInt32LE(off + 4);
  const p = off + REC_HEAD_BYTES;
  return {
    abi: a,
    sharedWriter: buf.readBigUInt64LE(p),
    exclusiveWriter: buf.readBigUInt64LE(p + 8),
    writersMask: buf.readBigUInt64LE(p + 16),
    sequenceStep: buf.readBigUInt64LE(p + 24),
    minOrder: buf.readUInt32LE(p + 32),
    maxOrder: buf.readUInt32LE(p + 36),
    name: buf.toString('utf8', p + 40, p + 40 + nameLen),
  };
}

/** Scheduling-point tags (rmapcheck/hooks.h enum rmc_tag). Concurrent mode's 'T' request and its
 *  answer: threads.ts. */
export const POINT_TAGS = ['', 'read', 'set', 'rmw', 'rmw-return', 'rmw-relaxed', 'cmpxchg', 'barrier', 'spin', 'plain', 'op'] as const;
