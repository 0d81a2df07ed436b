/**
 * Fast engines generated from a description of a protocol (rather than a second hand-written
 * copy of it): the state is a set of small unsigned fields (each with its largest value), packed
 * into as few 32-bit words as first-fit allows; the threads take their steps one at a time, each
 * thread at most one enabled step per state. A description says, as JavaScript expressions and
 * statements over `get(field)` / `set(field, expr)`, when a thread's step is enabled and what it
 * does, and what each property means; `compileProtocol` turns that into one specialised function
 * per job (expand, judge, fingerprint) with every field access a constant shift and mask, every
 * parameter folded in, and the fingerprint computed inline (engine/hash.ts `rowFingerprint`, the same function).
 *
 * Symmetry (interchangeable threads of one role) is generated too: the canonical row sorts the
 * role's per-thread field tuples; the orbit size counts equal tuples.
 */
import { ROW_SEED1, ROW_SEED2 } from './hash';

export interface Field {
  readonly name: string;
  /** Largest value the field holds (an encoder that meets a larger one throws). */
  readonly max: number;
}

/** Code emitters a description writes with: `get` is an expression (the field's value now),
 *  `set` a statement. */
export interface Emit {
  get(field: string): string;
  set(field: string, expr: string): string;
}

export interface ThreadSpec {
  /** Fields of this thread (their names are the description's; unique over the protocol). */
  readonly fields: readonly Field[];
  /** Expression: this thread has an enabled step. */
  enabled(e: Emit): string;
  /** Statements: the step (reads see the state before it, and its own writes, in order). */
  step(e: Emit): string;
}

export interface PropertySpec {
  readonly name: string;
  /** Expression: the property holds in the state. */
  holds(e: Emit): string;
}

export interface ProtocolSpec {
  readonly shared: readonly Field[];
  readonly threads: readonly ThreadSpec[];
  /** Expression: every thread has finished (an end state that is not a deadlock). */
  finished(e: Emit): string;
  readonly properties: readonly PropertySpec[];
  /** Threads that may be permuted (their field lists have the same shape), or none. */
  readonly symmetric: readonly number[];
  /** Values the generated code refers to by name (lookup tables). */
  readonly constants?: Readonly<Record<string, unknown>>;
}

interface Slot {
  readonly word: number;
  readonly shift: number;
  readonly mask: number;
  readonly max: number;
}

/** Where every field lives: first-fit of the fields (widest first) into 32-bit words. */
export function layFields(fields: readonly Field[]): { words: number; slots: Map<string, Slot> } {
  const bits = (max: number): number => Math.max(1, Math.ceil(Math.log2(max + 1)));
  const order = [...fields].sort((a, b) => bits(b.max) - bits(a.max));
  const free: number[] = [];
  const slots = new Map<string, Slot>();
  for (const f of order) {
    if (slots.has(f.name)) throw new Error(`[internal bug] protocol: field ${f.name} declared twice`);
    const b = bits(f.max);
    if (b > 31) throw new Error(`[internal bug] protocol: field ${f.name} needs ${b} bits (at most 31)`);
    let w = free.findIndex((used) => used + b <= 32);
    if (w < 0) w = free.push(0) - 1;
    slots.set(f.name, { word: w, shift: free[w], mask: b === 32 ? -1 : (1 << b) - 1, max: f.max });
    free[w] += b;
  }
  return { words: free.length, slots };
}

/** The generated functions (see `compileProtocol`). */
export interface CompiledProtocol {
  readonly words: number;
  readonly fields: readonly string[];
  /** Successors of the row at src[off..] into out[0..] (stride = words + 3: lo, hi, thread, row). */
  expand(src: Int32Array, off: number, out: Int32Array, reduced: boolean): number;
  /** Whether property `index` (of `properties`) holds in the row. */
  holds(index: number, src: Int32Array, off: number): boolean;
  /** Position in `always` of the first property that does not hold, or -1. */
  violated(src: Int32Array, off: number): number;
  finished(src: Int32Array, off: number): boolean;
  fingerprint(src: Int32Array, off: number, reduced: boolean, out: Uint32Array): void;
  orbitSize(src: Int32Array, off: number): number;
  /** Field values <-> row. */
  read(src: Int32Array, off: number, field: string): number;
  write(dst: Int32Array, off: number, field: string, value: number): void;
  /** The generated source, for a person reading what runs. */
  readonly source: string;
}

/** `always`: names of the properties `violated` judges, in its order. */
export function compileProtocol(spec: ProtocolSpec, always: readonly string[]): CompiledProtocol {
  const all = [...spec.shared, ...spec.threads.flatMap((t) => t.fields)];
  const { words, slots } = layFields(all);
  const slot = (name: string): Slot => {
    const s = slots.get(name);
    if (!s) throw new Error(`[internal bug] protocol: unknown field ${name}`);
    return s;
  };
  /** Emitters over local word variables `${prefix}0..`. */
  const emit = (prefix: string): Emit => ({
    get: (f) => {
      const s = slot(f);
      return s.shift === 0 ? `(${prefix}${s.word} & ${s.mask})` : `((${prefix}${s.word} >>> ${s.shift}) & ${s.mask})`;
    },
    set: (f, expr) => {
      const s = slot(f);
      const keep = ~(s.mask << s.shift) | 0;
      return `${prefix}${s.word} = (${prefix}${s.word} & ${keep}) | ((${expr}) << ${s.shift});`;
    },
  });
  const W = Array.from({ length: words }, (_, i) => i);
  const loadCur = W.map((i) => `const c${i} = src[off + ${i}] | 0;`).join(' ');
  const cur = emit('c');
  const nxt = emit('n');
  // the fingerprint of words n0..: rowFingerprint inline
  const hashOf = (prefix: string, lo: string, hi: string): string =>
    `{ let h1 = ${(ROW_SEED1 ^ words) | 0}, h2 = ${ROW_SEED2 | 0}, k = 0; ` +
    W.map(
      (i) =>
        `k = Math.imul(${prefix}${i}, 0xcc9e2d51); k = Math.imul((k << 15) | (k >>> 17), 0x1b873593); h1 ^= k; h1 = (Math.imul((h1 << 13) | (h1 >>> 19), 5) + 0xe6546b64) | 0;` +
        ` k = Math.imul(${prefix}${i}, 0x85ebca6b); k = Math.imul((k << 16) | (k >>> 16), 0xc2b2ae35); h2 ^= k; h2 = (Math.imul((h2 << 17) | (h2 >>> 15), 5) + 0x561ccd1b) | 0;`,
    ).join(' ') +
    ` h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507); h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);` +
    ` h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507); h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);` +
    ` h1 = Math.imul(h1 ^ (h1 >>> 15), 0x2c1b3c6d); ${lo} = h1; ${hi} = h2; }`;
  // symmetry: per symmetric thread, its field tuple as one number (< 2^53), sorted, written back
  const sym = spec.symmetric;
  const symFields = sym.length > 1 ? sym.map((t) => spec.threads[t].fields.map((f) => f.name)) : [];
  if (symFields.length > 0) {
    const shape = spec.threads[sym[0]].fields.map((f) => f.max).join();
    for (const t of sym) if (spec.threads[t].fields.map((f) => f.max).join() !== shape) throw new Error('[internal bug] protocol: symmetric threads of different shapes');
    const radix = spec.threads[sym[0]].fields.reduce((p, f) => p * (f.max + 1), 1);
    if (radix > 2 ** 53) throw new Error('[internal bug] protocol: a symmetric thread has too many states for one number');
  }
  const tupleOf = (e: Emit, t: number): string => {
    let expr = '0';
    for (const f of spec.threads[sym[t]].fields) expr = `(${expr}) * ${f.max + 1} + ${e.get(symFields[t][spec.threads[sym[t]].fields.indexOf(f)])}`;
    return expr;
  };
  const unTuple = (e: Emit, t: number, v: string): string => {
    const fs = spec.threads[sym[t]].fields;
    let out = `{ let x = ${v}; `;
    for (let i = fs.length - 1; i >= 0; i--) out += `${e.set(symFields[t][i], `x % ${fs[i].max + 1}`)} x = Math.floor(x / ${fs[i].max + 1}); `;
    return out + '}';
  };
  /** Statements: canonical words k0.. from words ${p}0.. (sorted symmetric tuples). */
  const canonical = (p: string): string => {
    if (symFields.length === 0) return W.map((i) => `let k${i} = ${p}${i};`).join(' ');
    const e = emit(p);
    const k = emit('k');
    return (
      W.map((i) => `let k${i} = ${p}${i};`).join(' ') +
      ` const tu = [${sym.map((_, t) => tupleOf(e, t)).join(', ')}]; tu.sort((a, b) => a - b); ` +
      sym.map((_, t) => unTuple(k, t, `tu[${t}]`)).join(' ')
    );
  };
  const threadCode = spec.threads
    .map((t, i) => {
      const body = W.map((w) => `let n${w} = c${w};`).join(' ') + ' ' + t.step(nxt);
      return `if (${t.enabled(cur)}) { ${body}
        const o = n * stride;
        if (reduced) { ${canonical('n')} ${hashOf('k', 'out[o]', 'out[o + 1]')} } else ${hashOf('n', 'out[o]', 'out[o + 1]')}
        out[o + 2] = ${i}; ${W.map((w) => `out[o + ${3 + w}] = n${w};`).join(' ')}
        n++; }`;
    })
    .join('\n');
  const props = spec.properties.map((p, i) => `case ${i}: return ${p.holds(cur)};`).join('\n');
  const byName = new Map(spec.properties.map((p) => [p.name, p]));
  const violated = always
    .map((name, i) => {
      const p = byName.get(name);
      if (!p) throw new Error(`[internal bug] protocol: no description of property ${name}`);
      return `if (!(${p.holds(cur)})) return ${i};`;
    })
    .join(' ');
  const orbit =
    symFields.length === 0
      ? 'return 1;'
      : `${loadCur} const tu = [${sym.map((_, t) => tupleOf(cur, t)).join(', ')}]; tu.sort((a, b) => a - b);
         let f = ${factorial(sym.length)}, run = 1; for (let i = 1; i <= tu.length; i++) { if (i < tu.length && tu[i] === tu[i - 1]) run++; else { for (let j = 2; j <= run; j++) f /= j; run = 1; } } return f;`;
  const source = `"use strict";
const stride = ${words + 3};
return {
  expand(src, off, out, reduced) { ${loadCur} let n = 0;
${threadCode}
    return n; },
  violated(src, off) { ${loadCur} ${violated} return -1; },
  holds(index, src, off) { ${loadCur} switch (index) { ${props} } throw new Error('[internal bug] protocol: property ' + index); },
  finished(src, off) { ${loadCur} return ${spec.finished(cur)}; },
  fingerprint(src, off, reduced, out) { ${loadCur}
    if (reduced) { ${canonical('c')} let lo = 0, hi = 0; ${hashOf('k', 'lo', 'hi')} out[0] = lo; out[1] = hi; return; }
    let lo = 0, hi = 0; ${hashOf('c', 'lo', 'hi')} out[0] = lo; out[1] = hi; },
  orbitSize(src, off) { ${orbit} },
};`;
  const constants = spec.constants ?? {};
  const made = new Function(...Object.keys(constants), source)(...Object.values(constants)) as Omit<CompiledProtocol, 'words' | 'fields' | 'read' | 'write' | 'source'>;
  return {
    ...made,
    words,
    fields: all.map((f) => f.name),
    read: (src, off, field) => {
      const s = slot(field);
      return (src[off + s.word] >>> s.shift) & s.mask;
    },
    write: (dst, off, field, value) => {
      const s = slot(field);
      if (!(Number.isInteger(value) && value >= 0 && value <= s.max)) throw new Error(`[internal bug] protocol: field ${field} = ${value} outside 0..${s.max}`);
      dst[off + s.word] = (dst[off + s.word] & ~(s.mask << s.shift)) | (value << s.shift);
    },
    source,
  };
}

function factorial(n: number): number {
  return n <= 1 ? 1 : n * factorial(n - 1);
}
