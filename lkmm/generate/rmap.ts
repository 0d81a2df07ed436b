/**
 * Litmus programs from the rmap operations' write sections and readers (rmap-ops.md), with the
 * seqcount primitives of barriers.md (the shared writer of the chosen variant, seqcount.ts):
 *
 * - map / unmap of one PTE by MM B (`[b; mapcount += 1; val += s(B); e]`, or `-=`) against
 *   `folio_mapped_shared(folio, A)` (P09: begin, mapcount, values, retry);
 * - the same writers against P10's COW check, which reads `seq` without waiting (then
 *   `smp_rmb()`), then the mapcount, the refcount and the values, then retries. The callers
 *   change the refcount before `begin` when mapping (`folio_get`: `atomic_inc`, relaxed, written
 *   `atomic_add(1, ref)`) and after `end` when unmapping (`folio_put`: `atomic_dec_and_test`,
 *   fully ordered, written `atomic_sub_return(1, ref)`).
 *
 * Scaled values: MM A's sub-ID 5, MM B's 7, 4 pages; A maps the folio once throughout. The
 * readers' early exits (mapcount > P, refcount != mapcount, a value differs) are branches on
 * read values that order no later read (a control dependency orders only writes), so the reads
 * are straight-line and the exists clause states the outcome: the reader passed begin and retry
 * with `seq` unchanged, yet its snapshot is not the words as of that `seq`.
 */
import type { Variant } from '../../model/seqcount/layout';
import type { Instr, LitmusProgram, Prop } from '../program';
import { and, bin, exists, fence, load, not, or, pnot, program, regIs, rmw, when } from './build';
import { LITMUS_LAYOUTS, reader, sharedWriter, type Word } from './seqcount';

const SUB_A = 5;
const SUB_B = 7;

/** The words with what mapping (`+1`) or unmapping (`-1`) one PTE of MM B changes. */
const words = (sign: 1 | -1): Word[] => [
  { name: 'm', type: 'atomic_t', delta: sign },
  { name: 'v', type: 'atomic_long_t', delta: sign * SUB_B },
];

/** Folio state before the writer: A maps it (map), or A and B (unmap). */
const before = (sign: 1 | -1) => (sign === 1 ? { m: 1, v: SUB_A, ref: 1 } : { m: 2, v: SUB_A + SUB_B, ref: 2 });

/** The writer of MM B: the refcount change outside the section on the side P10 relies on. */
function writer(variant: Variant, sign: 1 | -1, withRef: boolean): Instr[] {
  const section = sharedWriter(variant, words(sign), 'atomic');
  if (!withRef) return section;
  return sign === 1
    ? [rmw('ref', 'add', 1, 'relaxed', 'atomic_add'), ...section]
    : [...section, rmw('ref', 'sub', 1, 'full', 'atomic_sub_return', { dst: 'z', returns: 'new' })];
}

/** Reader snapshot `r<name>` equals `value` (or one of `values`). */
const is = (name: string, value: number | readonly number[]): Prop =>
  typeof value === 'number' ? regIs(1, `r${name}`, value) : or(...value.map((x) => regIs(1, `r${name}`, x)));

/** For each seq value the reader can pass with (0: before the section, STEP: after it), the words
 *  as of it; the refcount is changed outside the section, so as of a seq either value is right
 *  on the side the change is not ordered against. */
function cowCondition(variant: Variant, sign: 1 | -1): Prop {
  const L = LITMUS_LAYOUTS[variant];
  const b = before(sign);
  const a = { m: b.m + sign, v: b.v + sign * SUB_B, ref: b.ref + sign };
  const asOf0 = and(is('m', b.m), is('v', b.v), is('ref', sign === 1 ? [b.ref, a.ref] : b.ref));
  const asOfStep = and(is('m', a.m), is('v', a.v), is('ref', sign === 1 ? a.ref : [b.ref, a.ref]));
  return or(
    and(regIs(1, 's', 0), regIs(1, 's2', 0), pnot(asOf0)),
    and(regIs(1, 's', L.step), regIs(1, 's2', L.step), pnot(asOfStep)),
  );
}

/** P10's COW check: raw read (no spin) and `smp_rmb()`, give up on a writer bit, then mapcount,
 *  refcount, values, `smp_rmb()`, retry. */
function cowReader(variant: Variant): Instr[] {
  const L = LITMUS_LAYOUTS[variant];
  return [
    load('s', 'seq', 'once', 'atomic_long_read'),
    fence('rmb'),
    when(not(bin('&', 's', L.writers)), [
      load('rm', 'm', 'once', 'atomic_read'),
      load('rref', 'ref', 'once', 'atomic_read'),
      load('rv', 'v', 'once', 'atomic_long_read'),
      fence('rmb'),
      load('s2', 'seq', 'once', 'atomic_long_read'),
    ]),
  ];
}

/** The snapshot clause of `folio_mapped_shared`. */
function mappedSharedCondition(variant: Variant, sign: 1 | -1): Prop {
  const L = LITMUS_LAYOUTS[variant];
  const b = before(sign);
  return or(
    and(regIs(1, 's', 0), regIs(1, 's2', 0), pnot(and(is('m', b.m), is('v', b.v)))),
    and(regIs(1, 's', L.step), regIs(1, 's2', L.step), pnot(and(is('m', b.m + sign), is('v', b.v + sign * SUB_B)))),
  );
}

/** The rmap programs with the shared writer of seqcount `variant`. */
export function rmapPrograms(variant: Variant): LitmusProgram[] {
  const L = LITMUS_LAYOUTS[variant];
  const out: LitmusProgram[] = [];
  for (const sign of [1, -1] as const) {
    const op = sign === 1 ? 'map' : 'unmap';
    const b = before(sign);
    const locs = [
      { name: 'seq', type: 'atomic_long_t' as const },
      { name: 'm', type: 'atomic_t' as const, init: b.m },
      { name: 'v', type: 'atomic_long_t' as const, init: b.v },
    ];
    out.push(
      program(
        `rmap-${variant}-${op}-vs-folio-mapped-shared`,
        `rmap (seqcount ${variant}): MM B ${op}s one PTE against folio_mapped_shared(folio, A) (P09)`,
        locs,
        [writer(variant, sign, false), reader(words(sign), L.writers)],
        exists(mappedSharedCondition(variant, sign)),
      ),
    );
    out.push(
      program(
        `rmap-${variant}-cow-vs-${op}`,
        `rmap (seqcount ${variant}): P10's COW check of MM A against MM B ${op === 'map' ? 'mapping' : 'unmapping'} one PTE (refcount ${op === 'map' ? 'taken before begin' : 'dropped after end'})`,
        [...locs, { name: 'ref', type: 'atomic_t' as const, init: b.ref }],
        [writer(variant, sign, true), cowReader(variant)],
        exists(cowCondition(variant, sign)),
      ),
    );
  }
  return out;
}
