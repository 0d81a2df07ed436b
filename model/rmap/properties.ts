/**
 * The rmap model's properties (rmap-ops.md "Claims and properties to check"; docs/properties.md
 * states each formally), each written once as a function of one state: the invariants I1-I11,
 * linearizability and no false "exclusive" of folio_mapped_shared, that every thread that does
 * not repeat finishes, and the `sometimes` properties that show the interesting states are
 * reached. Which ones a model has depends on its scenario's operations.
 */
import type { Property } from '../core';
import { modulus, wrap } from '../word';
import { SOMETIMES, type Scenario } from './scenario';
import { ANS_EXCLUSIVE, ANS_REUSE, ANS_SHARED, G_CAN_EX, G_CAN_SH, G_COW_OK, G_PTE_EX, G_RETRIED, G_REUSE_SAFE, type Rmap, type RmapState } from './state';
import { exactSums, insAt, quiet, totalTracked, valuesMatch } from './truth';

type Sometimes = (typeof SOMETIMES)[number];

const WRITER_OPS = ['map', 'unmap', 'map-pmd', 'unmap-pmd', 'remap-pmd', 'fork'];

/** A value can exceed 2^W: (P + 1) times some MM's largest sub-ID does not fit the word. */
function canWrap(sc: Scenario): boolean {
  const mod = modulus(sc.scheme.wordBits);
  return sc.mms.some((x) => x.subIds.some((id) => BigInt(sc.pages + 1) * id >= mod));
}

export function rmapProperties(m: Rmap): Property<RmapState>[] {
  const sc = m.sc;
  const P = sc.pages;
  const W = sc.scheme.wordBits;
  const L = sc.layout;
  const ops = sc.threads.flatMap((t) => t.ops);
  const hasReader = ops.some((o) => o.kind === 'mapped-shared');
  const hasCow = ops.some((o) => o.kind === 'cow-reuse');
  const hasRemap = ops.some((o) => o.kind === 'remap-pmd');
  const hasWriter = ops.some((o) => WRITER_OPS.includes(o.kind));
  const props: Property<RmapState>[] = [];
  const always = (name: string, description: string, holds: (s: RmapState) => boolean) => props.push({ name, expectation: 'always', description, holds });
  // Per-thread facts of the instruction each thread is at (a finished thread is at none).
  const someAt = (s: RmapState, fact: 'exclusiveBody' | 'sharedBody' | 'over'): boolean => {
    for (let k = 0; k < s.th.length; k++) if (insAt(m, k, s.th[k].pc)?.[fact]) return true;
    return false;
  };
  const countAt = (s: RmapState, fact: 'exclusiveBody' | 'sharedBody'): number => {
    let n = 0;
    for (let k = 0; k < s.th.length; k++) if (insAt(m, k, s.th[k].pc)?.[fact]) n++;
    return n;
  };
  /** The references threads hold that the mapcount does not count (I9). */
  const extraRefs = (s: RmapState): number => {
    let n = 0;
    for (let k = 0; k < s.th.length; k++) n += insAt(m, k, s.th[k].pc)?.extra ?? m.programs[k].extraDone;
    return n;
  };
  /** The writer bits the threads in progress hold in `seq` (I6). */
  const bitsHeld = (s: RmapState): bigint => {
    let n = 0n;
    for (let k = 0; k < s.th.length; k++) n += insAt(m, k, s.th[k].pc)?.bits ?? 0n;
    return n;
  };
  /** Every thread that answered `ans` has ghost bit `bit`. */
  const answered = (s: RmapState, ans: number, bit: number): boolean => {
    for (const x of s.th) if (x.ans === ans && (x.g & bit) === 0) return false;
    return true;
  };

  // I1-I5 hold at quiet moments: each tests `quiet` (a scan of the threads) after its cheap
  // conditions and before its BigInt arithmetic
  always('I1', 'at every quiet moment val_j == sum over tracked mappings of s_j(mm) (mod 2^W)', (s) => {
    if (!quiet(m, s)) return true;
    const exact = exactSums(m, s);
    return s.vals.every((v, j) => v === wrap(exact[j], W));
  });
  always('I2', 'at every quiet moment mapcount 0 implies every value is 0', (s) => s.mapcount !== 0n || s.vals.every((v) => v === 0n) || !quiet(m, s));
  always('I3', 'at every quiet moment mapcount 1 implies one tracked mapping whose MM\'s sub-IDs are the values', (s) => {
    if (s.mapcount !== 1n) return true;
    const k = s.tracked.findIndex((c) => c > 0);
    return (totalTracked(s) === 1 && s.vals.every((v, j) => v === sc.mms[k].subIds[j])) || !quiet(m, s);
  });
  always('I4', 'soundness: at every quiet moment with mapcount <= P, values matching MM q imply no other MM is tracked', (s) => {
    if (s.mapcount > P || !quiet(m, s)) return true;
    return sc.mms.every((_, q) => s.tracked.every((c, o) => o === q || c === 0) || !valuesMatch(m, s, q));
  });
  always('I5', 'completeness: at every quiet moment, if only q is tracked and mapcount <= P, the values match q', (s) => {
    if (s.mapcount > P || !quiet(m, s)) return true;
    const total = totalTracked(s);
    return sc.mms.every((_, q) => total === 0 || s.tracked[q] !== total || valuesMatch(m, s, q));
  });
  always('I6', 'seq == finished sections * STEP + the writer bits of the writers in progress (mod 2^width): writer bits 0 when none is active', (s) =>
    s.seq === wrap(s.ends * L.step + bitsHeld(s), L.width),
  );
  always('I7', 'at most one exclusive writer, and no shared write body overlaps it', (s) => {
    const ex = countAt(s, 'exclusiveBody');
    return ex === 0 || (ex === 1 && countAt(s, 'sharedBody') === 0);
  });
  always('I8', 'refcount >= mapcount at all times', (s) => s.mapcount <= BigInt(s.refcount));
  always('I9', 'refcount == mapcount + references taken before a map / dropped after an unmap + other references', (s) => s.mapcount === BigInt(s.refcount - extraRefs(s)));
  if (hasCow)
    always('I10', 'COW reuse only after a validated instant with refcount == mapcount <= P, no entire mapping, matching values, no writer; and no other MM maps the page when it reuses', (s) =>
      answered(s, ANS_REUSE, G_COW_OK) && answered(s, ANS_REUSE, G_REUSE_SAFE),
    );
  always('I11', 'mapcount exceeds P only inside a PMD remap (between its batched map and the PMD\'s removal)', (s) => s.mapcount <= P || someAt(s, 'over'));
  if (hasReader) {
    always('linearizable', 'a folio_mapped_shared answer equals the ideal decision for the tracked mappings at some instant of its read window', (s) =>
      answered(s, ANS_EXCLUSIVE, G_CAN_EX) && answered(s, ANS_SHARED, G_CAN_SH),
    );
    always('no-false-exclusive', '"exclusive" only if at some instant of the read window no other MM had the folio in its page tables', (s) => answered(s, ANS_EXCLUSIVE, G_PTE_EX));
  }

  // eventually: every thread that does not repeat finishes
  sc.threads.forEach((th, k) => {
    if (th.repeat) return;
    props.push({
      name: `finishes:${th.name}`,
      expectation: 'eventually',
      description: `thread ${th.name} finishes all its operations`,
      holds: (s) => s.th[k].pc >= m.programs[k].ins.length,
      thread: k,
    });
  });

  // sometimes: those the scenario's features select, less the ones it declares not reached
  const seqOn = m.bug !== 'no-seqcount';
  const selected: Record<Sometimes, boolean> = {
    'reader-retried': hasReader && hasWriter && seqOn,
    'exclusive-writer': hasWriter && L.variant !== 'v1' && seqOn && m.bug !== 'reread',
    'value-wrapped': canWrap(sc),
    'mapcount-P+1': hasRemap,
    'cow-reused': hasCow,
  };
  const mod = modulus(W);
  const P1 = BigInt(P + 1);
  const sometimes: Record<Sometimes, [string, (s: RmapState) => boolean]> = {
    'reader-retried': ['some reader went back to begin (its retry check failed)', (s) => s.th.some((x) => (x.g & G_RETRIED) !== 0)],
    'exclusive-writer': ['some writer took the exclusive path', (s) => someAt(s, 'exclusiveBody')],
    'value-wrapped': ['the exact sum of some value exceeded 2^W (the stored value wrapped around)', (s) => exactSums(m, s).some((x) => x >= mod)],
    'mapcount-P+1': ['the mapcount reached P + 1 (PMD remap)', (s) => s.mapcount === P1],
    'cow-reused': ['a COW fault reused the page', (s) => s.th.some((x) => x.ans === ANS_REUSE)],
  };
  for (const n of SOMETIMES)
    if (selected[n] && !sc.notReached.includes(n)) props.push({ name: n, expectation: 'sometimes', description: sometimes[n][0], holds: sometimes[n][1] });
  return props;
}
