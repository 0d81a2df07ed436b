/**
 * The canonical seqcount (seqcount-canonical.md) as a protocol description for the generated
 * engine (engine/protocol.ts): the same steps as the BigInt reference, model/seqcount/model.ts,
 * on small fields. `seq` is held as its three fields (shared writers, exclusive writers, sequence
 * mod 2^seqBits), exact because the writer fields never carry into each other (at most W units
 * in each, far below their masks); a loaded `seq` is held the same way. Every value is bounded by
 * the parameters (mapcount <= W * OPS, val[k] <= OPS * 3^k * W(W+1)/2), which sizes the fields.
 *
 * test/engine/conformance.test.ts checks the engine built from this against the reference on
 * every reachable state of every pinned configuration.
 */
import type { Emit, Field, ProtocolSpec, ThreadSpec } from '../protocol';
import type { SeqcountParams, WriterPc, ReaderPc } from '../../model/seqcount/model';
import { END_PCS, SHARED_SECTION_PCS, X_PCS } from '../../model/seqcount/model';
import type { Layout } from '../../model/seqcount/layout';

export const WRITER_PCS: readonly WriterPc[] = [
  'BEGIN', 'MAP', 'VAL', 'END', 'MAP_LD', 'MAP_ST', 'VAL_LD', 'VAL_ST', 'CAS', 'XADD', 'CONV',
  'X_MAP_LD', 'X_MAP_ST', 'X_VAL_LD', 'X_VAL_ST', 'X_END', 'S_ADD', 'S_WAIT', 'S_MAP', 'S_VAL', 'S_END',
  'S_MAP_LD', 'S_MAP_ST', 'S_VAL_LD', 'S_VAL_ST', 'DONE',
];
export const READER_PCS: readonly ReaderPc[] = ['BEGIN', 'MAP', 'VAL', 'RETRY', 'DONE'];
const wpc = (p: WriterPc): number => WRITER_PCS.indexOf(p);
const rpc = (p: ReaderPc): number => READER_PCS.indexOf(p);

/** Field names: shared, then per writer `w<i>.<x>`, per reader `r<i>.<x>`. */
export const F = {
  sh: 'seq.shared',
  ex: 'seq.excl',
  sq: 'seq.sequence',
  map: 'mapcount',
  val: (k: number) => `val[${k}]`,
  /** The failed snapshot check: flag, and what the reader saw. */
  bad: 'violation',
  badRm: 'violation.rm',
  badRv: (k: number) => `violation.rv[${k}]`,
  w: (w: number, x: 'pc' | 'k' | 'ops' | 's' | 't') => `W${w}.${x}`,
  r: (r: number, x: 'pc' | 'k' | 'sh' | 'ex' | 'sq' | 'rm') => `R${r}.${x}`,
  rv: (r: number, k: number) => `R${r}.rv[${k}]`,
};

export interface SeqcountBounds {
  readonly seqMod: number;
  readonly maxVal: readonly number[];
}

export function seqcountBounds(P: SeqcountParams, L: Layout): SeqcountBounds {
  const { writers: W, counters: K, ops: OPS } = P;
  // the sequence field: narrowed (wraps mod 2^seqBits) or wide enough never to wrap here
  const seqMod = P.seqBits > 0 ? 2 ** L.seqBits : W * OPS + 1;
  return { seqMod, maxVal: Array.from({ length: K }, (_, k) => OPS * 3 ** k * ((W * (W + 1)) / 2)) };
}

export function seqcountDescription(P: SeqcountParams, L: Layout): ProtocolSpec {
  const { variant, bug, writers: W, readers: R, counters: K, ops: OPS } = P;
  const { seqMod, maxVal } = seqcountBounds(P, L);
  const noSeq = bug === 'no-seqcount';
  const plain = bug === 'shared-plain-update';
  const checkAfterVal = bug === 'no-retry' || noSeq;
  const d = (w: number, k: number): number => (w + 1) * 3 ** k;
  // a counter index reaches K for a moment (k += 1, then the test k === K)
  const K1 = K;
  const mapMax = W * OPS;
  const tMax = Math.max(mapMax, ...maxVal);
  const writerStart = noSeq ? 'MAP' : 'BEGIN';
  const readerStart = noSeq ? 'MAP' : 'BEGIN';
  const sharedMapPc: WriterPc = variant === 'v1' ? (plain ? 'MAP_LD' : 'MAP') : plain ? 'S_MAP_LD' : 'S_MAP';

  const shared: Field[] = [
    { name: F.sh, max: W },
    { name: F.ex, max: W },
    { name: F.sq, max: seqMod - 1 },
    { name: F.map, max: mapMax },
    ...maxVal.map((m, k) => ({ name: F.val(k), max: m })),
    { name: F.bad, max: 1 },
    { name: F.badRm, max: mapMax },
    ...maxVal.map((m, k) => ({ name: F.badRv(k), max: m })),
  ];
  const incSq = (e: Emit): string => e.set(F.sq, `(${e.get(F.sq)} + 1) % ${seqMod}`);

  const writer = (w: number): ThreadSpec => {
    const f = (x: 'pc' | 'k' | 'ops' | 's' | 't') => F.w(w, x);
    return {
      fields: [
        { name: f('pc'), max: WRITER_PCS.length - 1 },
        { name: f('k'), max: K1 },
        { name: f('ops'), max: OPS },
        { name: f('s'), max: seqMod - 1 },
        { name: f('t'), max: tMax },
      ],
      enabled: (e) => `(${e.get(f('pc'))} !== ${wpc('DONE')} && (${e.get(f('pc'))} !== ${wpc('S_WAIT')} || ${e.get(F.ex)} === 0))`,
      step: (e) => {
        const pc = (p: WriterPc): string => e.set(f('pc'), String(wpc(p)));
        const finish = `${e.set(f('ops'), `${e.get(f('ops'))} + 1`)} ${e.set(f('pc'), `${e.get(f('ops'))} === ${OPS} ? ${wpc('DONE')} : ${wpc(writerStart)}`)}`;
        const afterVal = (end: WriterPc): string => `${e.set(f('k'), '0')} ${noSeq ? finish : pc(end)}`;
        const idle = `(${e.get(F.sh)} === 0 && ${e.get(F.ex)} === 0)`;
        /** val[k] with k this writer's counter index (a switch over k). */
        const onK = (body: (k: number) => string): string =>
          `switch (${e.get(f('k'))}) { ${Array.from({ length: K }, (_, k) => `case ${k}: { ${body(k)} break; }`).join(' ')} }`;
        const cases: Partial<Record<WriterPc, string>> = {
          BEGIN:
            variant === 'v1'
              ? `${e.set(F.sh, `${e.get(F.sh)} + 1`)} ${pc(sharedMapPc)}`
              : variant === 'v2'
                ? `if (${idle}) { ${e.set(f('s'), e.get(F.sq))} ${pc('CAS')} } else { ${e.set(f('s'), '0')} ${pc('S_ADD')} }`
                : `if (${idle}) { ${pc('XADD')} } else { ${pc('S_ADD')} }`,
          CAS: `if (${idle} && ${e.get(F.sq)} === ${e.get(f('s'))}) { ${e.set(F.ex, '1')} ${pc('X_MAP_LD')} } else { ${pc('S_ADD')} } ${e.set(f('s'), '0')}`,
          XADD: `${e.set(F.ex, `${e.get(F.ex)} + 1`)} if (${e.get(F.sh)} === 0 && ${e.get(F.ex)} === 1) { ${pc('X_MAP_LD')} } else { ${pc('CONV')} }`,
          CONV: `${e.set(F.sh, `${e.get(F.sh)} + 1`)} ${e.set(F.ex, `${e.get(F.ex)} - 1`)} ${pc('S_WAIT')}`,
          X_END: `${e.set(F.ex, `${e.get(F.ex)} - 1`)} ${incSq(e)} ${finish}`,
          S_ADD: `${e.set(F.sh, `${e.get(F.sh)} + 1`)} ${bug !== 'no-exclusive-wait' ? `if (${e.get(F.ex)} !== 0) { ${pc('S_WAIT')} } else { ${pc(sharedMapPc)} }` : pc(sharedMapPc)}`,
          S_WAIT: pc(sharedMapPc),
          MAP: `${e.set(F.map, `${e.get(F.map)} + 1`)} ${pc('VAL')}`,
          S_MAP: `${e.set(F.map, `${e.get(F.map)} + 1`)} ${pc('S_VAL')}`,
          VAL: `${onK((k) => e.set(F.val(k), `${e.get(F.val(k))} + ${d(w, k)}`))} ${e.set(f('k'), `${e.get(f('k'))} + 1`)} if (${e.get(f('k'))} === ${K}) { ${afterVal('END')} }`,
          S_VAL: `${onK((k) => e.set(F.val(k), `${e.get(F.val(k))} + ${d(w, k)}`))} ${e.set(f('k'), `${e.get(f('k'))} + 1`)} if (${e.get(f('k'))} === ${K}) { ${afterVal('S_END')} }`,
          END: `${e.set(F.sh, `${e.get(F.sh)} - 1`)} ${incSq(e)} ${finish}`,
          S_END: `${e.set(F.sh, `${e.get(F.sh)} - 1`)} ${incSq(e)} ${finish}`,
        };
        // plain load/store pairs (the exclusive writer's body, and the broken shared one)
        for (const [ld, st, vld, vst, end] of [
          ['X_MAP_LD', 'X_MAP_ST', 'X_VAL_LD', 'X_VAL_ST', 'X_END'],
          ['MAP_LD', 'MAP_ST', 'VAL_LD', 'VAL_ST', 'END'],
          ['S_MAP_LD', 'S_MAP_ST', 'S_VAL_LD', 'S_VAL_ST', 'S_END'],
        ] as WriterPc[][]) {
          cases[ld] = `${e.set(f('t'), e.get(F.map))} ${pc(st)}`;
          cases[st] = `${e.set(F.map, `${e.get(f('t'))} + 1`)} ${e.set(f('t'), '0')} ${pc(vld)}`;
          cases[vld] = `${onK((k) => e.set(f('t'), e.get(F.val(k))))} ${pc(vst)}`;
          cases[vst] = `${onK((k) => e.set(F.val(k), `${e.get(f('t'))} + ${d(w, k)}`))} ${e.set(f('t'), '0')} ${e.set(f('k'), `${e.get(f('k'))} + 1`)} if (${e.get(f('k'))} === ${K}) { ${afterVal(end)} } else { ${pc(vld)} }`;
        }
        return `switch (${e.get(f('pc'))}) { ${Object.entries(cases)
          .map(([p, code]) => `case ${wpc(p as WriterPc)}: { ${code} break; }`)
          .join('\n')} }`;
      },
    };
  };

  // the snapshot check: (rm, rv[0]) is the contribution of some c_w in 0..OPS, rv[k] = rv[0] * 3^k
  const ok = new Set<number>();
  const combos = (w: number, m: number, x: number): void => {
    if (w === W) ok.add(m * (maxVal[0] + 1) + x);
    else for (let c = 0; c <= OPS; c++) combos(w + 1, m + c, x + c * (w + 1));
  };
  combos(0, 0, 0);
  const okList = [...ok].sort((a, b) => a - b);

  const reader = (r: number): ThreadSpec => {
    const f = (x: 'pc' | 'k' | 'sh' | 'ex' | 'sq' | 'rm') => F.r(r, x);
    return {
      fields: [
        { name: f('pc'), max: READER_PCS.length - 1 },
        { name: f('k'), max: K1 },
        { name: f('sh'), max: W },
        { name: f('ex'), max: W },
        { name: f('sq'), max: seqMod - 1 },
        { name: f('rm'), max: mapMax },
        ...maxVal.map((m, k) => ({ name: F.rv(r, k), max: m })),
      ],
      enabled: (e) =>
        `(${e.get(f('pc'))} !== ${rpc('DONE')}${bug !== 'no-begin-wait' ? ` && (${e.get(f('pc'))} !== ${rpc('BEGIN')} || (${e.get(F.sh)} === 0 && ${e.get(F.ex)} === 0))` : ''})`,
      step: (e) => {
        const pc = (p: ReaderPc): string => e.set(f('pc'), String(rpc(p)));
        const snapshotOk = `(SNAPSHOT.has(${e.get(f('rm'))} * ${maxVal[0] + 1} + ${e.get(F.rv(r, 0))})${Array.from({ length: K - 1 }, (_, i) => ` && ${e.get(F.rv(r, i + 1))} === ${e.get(F.rv(r, 0))} * ${3 ** (i + 1)}`).join('')})`;
        const check = `if (!${snapshotOk} && ${e.get(F.bad)} === 0) { ${e.set(F.bad, '1')} ${e.set(F.badRm, e.get(f('rm')))} ${Array.from({ length: K }, (_, k) => e.set(F.badRv(k), e.get(F.rv(r, k)))).join(' ')} }`;
        const reset = `${e.set(f('sh'), '0')} ${e.set(f('ex'), '0')} ${e.set(f('sq'), '0')} ${e.set(f('rm'), '0')} ${Array.from({ length: K }, (_, k) => e.set(F.rv(r, k), '0')).join(' ')}`;
        const onK = (body: (k: number) => string): string =>
          `switch (${e.get(f('k'))}) { ${Array.from({ length: K }, (_, k) => `case ${k}: { ${body(k)} break; }`).join(' ')} }`;
        const same = `(${e.get(F.sh)} === ${e.get(f('sh'))} && ${e.get(F.ex)} === ${e.get(f('ex'))} && ${e.get(F.sq)} === ${e.get(f('sq'))})`;
        return `switch (${e.get(f('pc'))}) {
          case ${rpc('BEGIN')}: { ${e.set(f('sh'), e.get(F.sh))} ${e.set(f('ex'), e.get(F.ex))} ${e.set(f('sq'), e.get(F.sq))} ${pc('MAP')} break; }
          case ${rpc('MAP')}: { ${e.set(f('rm'), e.get(F.map))} ${pc('VAL')} break; }
          case ${rpc('VAL')}: { ${onK((k) => e.set(F.rv(r, k), e.get(F.val(k))))} ${e.set(f('k'), `${e.get(f('k'))} + 1`)}
            if (${e.get(f('k'))} === ${K}) { ${e.set(f('k'), '0')} ${checkAfterVal ? `${check} ${reset} ${pc('DONE')}` : pc('RETRY')} } break; }
          case ${rpc('RETRY')}: { if (!${same}) { ${pc('BEGIN')} } else { ${check} ${pc('DONE')} } ${reset} break; }
        }`;
      },
    };
  };

  const threads = [...Array.from({ length: W }, (_, w) => writer(w)), ...Array.from({ length: R }, (_, r) => reader(r))];
  const wIn = (e: Emit, w: number, set: ReadonlySet<WriterPc>): string =>
    `(${[...set].map((p) => `${e.get(F.w(w, 'pc'))} === ${wpc(p)}`).join(' || ')})`;
  const count = (e: Emit, set: ReadonlySet<WriterPc>): string => `(${Array.from({ length: W }, (_, w) => `(${wIn(e, w, set)} ? 1 : 0)`).join(' + ')})`;
  const allDone = (e: Emit): string =>
    `(${[...Array.from({ length: W }, (_, w) => `${e.get(F.w(w, 'pc'))} === ${wpc('DONE')}`), ...Array.from({ length: R }, (_, r) => `${e.get(F.r(r, 'pc'))} === ${rpc('DONE')}`)].join(' && ')})`;
  const EXCL_PCS = new Set<WriterPc>([...X_PCS, 'CONV']);
  const SHARED_PCS = new Set<WriterPc>([...SHARED_SECTION_PCS, 'S_WAIT']);
  const seqMax = 2 ** L.seqBits - 1;
  const properties = [
    { name: 'snapshot', holds: (e: Emit) => `${e.get(F.bad)} === 0` },
    {
      name: 'no-lost-update',
      holds: (e: Emit) => `(!${allDone(e)} || (${e.get(F.map)} === ${W * OPS}${Array.from({ length: K }, (_, k) => ` && ${e.get(F.val(k))} === ${maxVal[k]}`).join('')}))`,
    },
    {
      name: 'writer-bits',
      holds: (e: Emit) =>
        `(${e.get(F.sh)} === ${count(e, SHARED_PCS)} && ${e.get(F.ex)} === ${count(e, EXCL_PCS)} && ${e.get(F.sq)} === (${Array.from({ length: W }, (_, w) => e.get(F.w(w, 'ops'))).join(' + ')}) % ${seqMod})`,
    },
    { name: 'exclusive-alone', holds: (e: Emit) => `(${count(e, X_PCS)} === 0 || (${count(e, X_PCS)} === 1 && ${count(e, SHARED_SECTION_PCS)} === 0))` },
    {
      name: 'reader-retries',
      holds: (e: Emit) =>
        R === 0 ? 'false' : `(${Array.from({ length: R }, (_, r) => `(${e.get(F.r(r, 'pc'))} === ${rpc('RETRY')} && !(${e.get(F.sh)} === ${e.get(F.r(r, 'sh'))} && ${e.get(F.ex)} === ${e.get(F.r(r, 'ex'))} && ${e.get(F.sq)} === ${e.get(F.r(r, 'sq'))}))`).join(' || ')})`,
    },
    { name: 'exclusive-writer', holds: (e: Emit) => `(${count(e, X_PCS)} > 0)` },
    { name: 'shared-waits-for-exclusive', holds: (e: Emit) => `(${e.get(F.ex)} !== 0 && ${count(e, new Set<WriterPc>(['S_WAIT']))} > 0)` },
    { name: 'sequence-wraps', holds: (e: Emit) => `(${e.get(F.sq)} === ${seqMax} && ${count(e, END_PCS)} > 0)` },
    ...Array.from({ length: R }, (_, r) => ({ name: `reader-finishes-R${r}`, holds: (e: Emit) => `(${e.get(F.r(r, 'pc'))} === ${rpc('DONE')})` })),
  ];
  return {
    shared,
    threads,
    finished: allDone,
    properties,
    symmetric: R >= 2 ? Array.from({ length: R }, (_, r) => W + r) : [],
    constants: { SNAPSHOT: new Set(okList) },
  } as ProtocolSpec;
}
