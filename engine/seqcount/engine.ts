/**
 * The seqcount protocol's fast engine: the generated code of description.ts (engine/protocol.ts)
 * behind the `Engine` interface, with rows decoded to (and encoded from) the BigInt reference's
 * states, so that traces, views and the properties a person reads are the reference's.
 */
import type { AnyModel, Property } from '../../model/core';
import { seqcountModel, seqcountParams, snapshotMessage, type ReaderState, type SeqState, type SeqcountParams, type WriterState } from '../../model/seqcount/model';
import { layoutOf, sequenceOf, shrink, type Layout } from '../../model/seqcount/layout';
import { Successors, type Engine } from '../core';
import { compileProtocol, type CompiledProtocol } from '../protocol';
import { F, READER_PCS, WRITER_PCS, seqcountDescription } from './description';

const compiled = new Map<string, CompiledProtocol>();

/** The engine for `model`, or null when it is not a seqcount model as model/seqcount builds it
 *  (same parameters, same properties). */
export function seqcountEngine(model: AnyModel): Engine | null {
  if (model.name !== 'seqcount') return null;
  let P: SeqcountParams;
  try {
    P = seqcountParams(model.params);
  } catch {
    return null;
  }
  const ref = seqcountModel({ ...P });
  const sig = (m: AnyModel) => m.properties.map((p) => `${p.name}:${p.expectation}:${p.thread ?? ''}`).join();
  if (sig(ref) !== sig(model) || ref.threads.join() !== model.threads.join() || (ref.symmetry === undefined) !== (model.symmetry === undefined)) return null;
  if (model.key(model.initStates()[0]) !== ref.key(ref.initStates()[0])) return null;
  return new SeqcountEngine(model, P);
}

class SeqcountEngine implements Engine {
  readonly kind = 'seqcount';
  readonly words: number;
  readonly always: readonly Property<unknown>[];
  readonly sometimes: readonly Property<unknown>[];
  readonly eventually: readonly Property<unknown>[];
  readonly symmetric: boolean;
  readonly initialCount = 1;
  readonly maxActions: number;
  private readonly code: CompiledProtocol;
  private readonly index = new Map<Property<unknown>, number>();
  private readonly L: Layout;
  private readonly init: Int32Array;

  constructor(
    readonly model: AnyModel,
    private readonly P: SeqcountParams,
  ) {
    const p = model.properties as Property<unknown>[];
    this.always = p.filter((x) => x.expectation === 'always');
    this.sometimes = p.filter((x) => x.expectation === 'sometimes');
    this.eventually = p.filter((x) => x.expectation === 'eventually');
    this.symmetric = model.symmetry !== undefined;
    this.maxActions = P.writers + P.readers; // each thread has at most one enabled step
    this.L = P.seqBits === 0 ? layoutOf(P.variant, P.word) : shrink(layoutOf(P.variant, P.word), P.seqBits);
    const spec = seqcountDescription(P, this.L);
    const key = JSON.stringify(P);
    let code = compiled.get(key);
    if (!code) compiled.set(key, (code = compileProtocol(spec, this.always.map((x) => x.name))));
    this.code = code;
    this.words = code.words;
    const names = spec.properties.map((x) => x.name);
    for (const x of p) {
      const i = names.indexOf(x.name);
      if (i < 0) throw new Error(`[internal bug] seqcount engine: the description has no property ${x.name}`);
      this.index.set(x, i);
    }
    this.init = new Int32Array(this.words);
    this.encodeInto(model.initStates()[0] as SeqState, this.init, 0);
  }

  initial(_i: number, buf: Int32Array, off: number): void {
    buf.set(this.init, off);
  }
  expand(src: Int32Array, off: number, out: Successors, reduced: boolean): number {
    if (out.buf.length < (this.P.writers + this.P.readers) * out.stride) out.ensure(this.P.writers + this.P.readers);
    return this.code.expand(src, off, out.buf, reduced);
  }
  fingerprint(src: Int32Array, off: number, reduced: boolean, out: Uint32Array): void {
    this.code.fingerprint(src, off, reduced, out);
  }
  violated(src: Int32Array, off: number): number {
    return this.code.violated(src, off);
  }
  holds(property: Property<unknown>, src: Int32Array, off: number): boolean {
    const i = this.index.get(property);
    if (i === undefined) throw new Error(`[internal bug] seqcount engine: ${property.name} is not a property of its model`);
    return this.code.holds(i, src, off);
  }
  finished(src: Int32Array, off: number): boolean {
    return this.code.finished(src, off);
  }
  orbitSize(src: Int32Array, off: number): number {
    return this.code.orbitSize(src, off);
  }
  retain(): void {}
  release(): void {}

  private seqOf(sh: number, ex: number, sq: number): bigint {
    const L = this.L;
    return BigInt(sq) * L.step + BigInt(ex) * (L.excl ?? 0n) + BigInt(sh) * L.shared;
  }

  decode(src: Int32Array, off: number): SeqState {
    const c = this.code;
    const g = (f: string) => c.read(src, off, f);
    const { writers: W, readers: R, counters: K } = this.P;
    const big = (f: string) => BigInt(g(f));
    const writers: WriterState[] = Array.from({ length: W }, (_, w) => {
      const pc = WRITER_PCS[g(F.w(w, 'pc'))];
      const k = g(F.w(w, 'k'));
      const ops = g(F.w(w, 'ops'));
      const s = BigInt(g(F.w(w, 's'))) * this.L.step;
      const t = big(F.w(w, 't'));
      return { pc, k, ops, s, t, id: `${pc}.${k}.${ops}.${s}.${t}` };
    });
    const readers: ReaderState[] = Array.from({ length: R }, (_, r) => {
      const pc = READER_PCS[g(F.r(r, 'pc'))];
      const k = g(F.r(r, 'k'));
      const start = this.seqOf(g(F.r(r, 'sh')), g(F.r(r, 'ex')), g(F.r(r, 'sq')));
      const rm = big(F.r(r, 'rm'));
      const rv = Array.from({ length: K }, (_, j) => big(F.rv(r, j)));
      return { pc, k, start, rm, rv, id: `${pc}.${k}.${start}.${rm}.${rv.join('.')}` };
    });
    const bad = g(F.bad) === 1;
    return {
      seq: this.seqOf(g(F.sh), g(F.ex), g(F.sq)),
      mapcount: big(F.map),
      val: Array.from({ length: K }, (_, k) => big(F.val(k))),
      writers,
      readers,
      violation: bad ? snapshotMessage(g(F.badRm), Array.from({ length: K }, (_, k) => g(F.badRv(k)))) : '',
    };
  }

  /** The row of a reference state (each field checked against its bound). */
  encodeInto(s: SeqState, dst: Int32Array, off: number): void {
    const c = this.code;
    const L = this.L;
    const put = (f: string, v: bigint | number) => c.write(dst, off, f, Number(v));
    const split = (seq: bigint): [bigint, bigint, bigint] => [
      seq & L.sharedMask,
      L.exclMask === null ? 0n : (seq & L.exclMask) / (L.excl ?? 1n),
      sequenceOf(L, seq),
    ];
    dst.fill(0, off, off + this.words);
    const [sh, ex, sq] = split(s.seq);
    put(F.sh, sh);
    put(F.ex, ex);
    put(F.sq, sq);
    put(F.map, s.mapcount);
    s.val.forEach((v, k) => put(F.val(k), v));
    s.writers.forEach((x, w) => {
      put(F.w(w, 'pc'), WRITER_PCS.indexOf(x.pc));
      put(F.w(w, 'k'), x.k);
      put(F.w(w, 'ops'), x.ops);
      put(F.w(w, 's'), sequenceOf(L, x.s));
      put(F.w(w, 't'), x.t);
    });
    s.readers.forEach((x, r) => {
      put(F.r(r, 'pc'), READER_PCS.indexOf(x.pc));
      put(F.r(r, 'k'), x.k);
      const [a, b, q] = split(x.start);
      put(F.r(r, 'sh'), a);
      put(F.r(r, 'ex'), b);
      put(F.r(r, 'sq'), q);
      put(F.r(r, 'rm'), x.rm);
      x.rv.forEach((v, k) => put(F.rv(r, k), v));
    });
    if (s.violation !== '') {
      // the message names what the reader saw: mapcount=<rm> val=[rv...]
      const m = /mapcount=(\d+) val=\[([^\]]*)\]/.exec(s.violation);
      if (!m) throw new Error(`[internal bug] seqcount engine: unreadable violation ${s.violation}`);
      put(F.bad, 1);
      put(F.badRm, Number(m[1]));
      m[2].split(', ').forEach((v, k) => put(F.badRv(k), Number(v)));
    }
  }

  private readonly row = new Int32Array(64);
  stateFingerprint(state: unknown, reduced: boolean, out: Uint32Array): void {
    this.encodeInto(state as SeqState, this.row, 0);
    this.code.fingerprint(this.row, 0, reduced, out);
  }
}
