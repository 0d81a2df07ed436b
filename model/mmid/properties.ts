/**
 * The mmid model's properties (mm-owner.md, "Claims and properties to check"; docs/properties.md,
 * "mmid model", states each formally), each a function of one state. "At rest" means the bit
 * spinlock is free: the holder's words (ids, counts, SHARED) and the ghost `mapped` agree only
 * between critical sections; lockless readers are judged by their latched window bits instead.
 */
import type { Property } from '../core';
import { MMID_SOMETIMES } from './scenario';
import {
  ANS_NOT_SHARED, ANS_REUSE,
  F_FOREIGN, F_OVERFLOW, F_THREE, F_UNDERFLOW, G_COW_OK, G_ONE_MM, G_REF_ABOVE, G_REMAP,
  W_COW_ENTIRE, W_COW_REF, W_COW_SLOT, W_COW_TOTAL,
  type Mmid, type MmidState,
} from './state';
import { holders, insAt } from './step';

type Sometimes = (typeof MMID_SOMETIMES)[number];

/** The scenario MM whose id is `id` (-1: none is live with it). */
function ownerOf(s: MmidState, id: number): number {
  return id === 0 ? -1 : s.mmIds.indexOf(id);
}

function mmsWithMappings(s: MmidState): number {
  let n = 0;
  for (const c of s.mapped) if (c > 0) n++;
  return n;
}

export function mmidProperties(m: Mmid): Property<MmidState>[] {
  const sc = m.sc;
  const P = sc.pages;
  const ops = sc.threads.flatMap((t) => t.ops);
  const has = (...kinds: string[]) => ops.some((o) => kinds.includes(o.kind));
  const props: Property<MmidState>[] = [];
  const always = (name: string, description: string, holds: (s: MmidState) => boolean) => props.push({ name, expectation: 'always', description, holds });
  const answered = (s: MmidState, ans: number, bit: number) => s.th.every((x) => x.ans !== ans || (x.g & bit) !== 0);

  always('lock-exclusive', 'at most one thread holds the bit spinlock, and the lock bit is set iff one does', (s) => {
    const h = holders(m, s);
    return h <= 1 && s.lock === (h === 1);
  });
  always('only-holder-writes', 'no thread that does not hold the lock writes the id/SHARED word', (s) => (s.flags & F_FOREIGN) === 0);
  always('slot-free-empty', 'at rest, a slot is free (id 0) iff its count is 0, and a held slot counts at least 1', (s) =>
    s.lock || [0, 1].every((i) => (s.ids[i] === 0) === (s.counts[i] === 0) && s.counts[i] >= 0),
  );
  always('slot-no-overcount', 'at rest, a held slot names a live MM and never counts more mappings than that MM has', (s) =>
    s.lock || [0, 1].every((i) => s.ids[i] === 0 || (ownerOf(s, s.ids[i]) >= 0 && s.counts[i] <= s.mapped[ownerOf(s, s.ids[i])])),
  );
  always('slot-ids-distinct', 'at rest, the two held ids differ', (s) => s.lock || s.ids[0] === 0 || s.ids[0] !== s.ids[1]);
  always('unmapped-clear', 'at rest, total 0 implies both slots free and SHARED clear', (s) => s.lock || s.total !== 0 || (s.ids[0] === 0 && s.ids[1] === 0 && s.counts[0] === 0 && s.counts[1] === 0 && !s.shared));
  always('total-counts-mappings', 'at rest, total is the number of mappings the MMs have', (s) => s.lock || s.total === s.mapped.reduce((a, b) => a + b, 0));
  always('not-shared-sound', 'at rest, SHARED clear and total >= 1 imply a slot whose count is total and whose MM has every mapping', (s) => {
    if (s.lock || s.shared || s.total < 1) return true;
    return [0, 1].some((i) => {
      const k = ownerOf(s, s.ids[i]);
      return k >= 0 && s.counts[i] === s.total && s.mapped[k] === s.total;
    });
  });
  always('refcount-covers-total', 'refcount >= total at all times, less one per thread inside a PMD remap (whose PMD reference both count)', (s) => {
    let remaps = 0;
    for (let k = 0; k < s.th.length; k++) if (insAt(m, k, s.th[k].pc)?.remap) remaps++;
    return s.refcount + remaps >= s.total;
  });
  if (has('maybe-shared'))
    always('reader-not-shared-right', 'a "not shared" of folio_maybe_mapped_shared is right for the present PTEs and PMDs at some instant of the call (at most one MM has any)', (s) =>
      answered(s, ANS_NOT_SHARED, G_ONE_MM),
    );
  if (has('cow')) {
    always('cow-reuse-safe', 'COW reuse for X only if, at the locked check, no other MM had a mapping, a present entry or a pending reference, and refcount == total', (s) => answered(s, ANS_REUSE, G_COW_OK));
    always('warn-cow-total', `COW step 3: VM_WARN_ON_ONCE(total > P) never fires`, (s) => (s.flags & W_COW_TOTAL) === 0);
    always('warn-cow-entire', 'COW step 3: VM_WARN_ON_ONCE(entire mapcount) never fires', (s) => (s.flags & W_COW_ENTIRE) === 0);
    always('warn-cow-refcount', 'COW step 7: VM_WARN_ON_ONCE(refcount < total) never fires', (s) => (s.flags & W_COW_REF) === 0);
    always('warn-cow-slot', 'COW step 10: VM_WARN_ON_ONCE(neither slot holds the faulting MM) never fires', (s) => (s.flags & W_COW_SLOT) === 0);
  }
  always('exact-two-mms', 'precision: while no three MMs ever had mappings and no count overflowed, at rest SHARED is set iff two MMs have mappings', (s) =>
    s.lock || (s.flags & (F_THREE | F_OVERFLOW)) !== 0 || s.shared === mmsWithMappings(s) >= 2,
  );

  if (sc.mms.length >= 3)
    always('false-shared-persists', 'a false "maybe shared" at rest stays set (at rest) until its single MM\'s mappings drop to zero or a split/migration rebuilds the tracking', (s) => s.falseOwner < 0 || s.lock || s.shared);

  sc.threads.forEach((t, k) =>
    props.push({ name: `finishes:${t.name}`, expectation: 'eventually', description: `thread ${t.name} finishes all its operations`, holds: (s) => s.th[k].pc >= m.programs[k].ins.length, thread: k }),
  );

  const three = sc.mms.length >= 3;
  const selected: Record<Sometimes, boolean> = {
    'false-shared-at-rest': three,
    'untracked-mm': three,
    'slot-freed-by-underflow': three && has('unmap', 'unmap-pmd', 'exit'),
    'cow-reused': has('cow'),
    'reader-saw-remap': has('remap-pmd') && has('maybe-shared', 'cow'),
    'count-overflowed': m.limits.overflowFrees && P > m.limits.countMax,
    'refcount-above-total-locked': has('cow') && m.bug !== 'cow-no-recheck',
  };
  const sometimes: Record<Sometimes, [string, (s: MmidState) => boolean]> = {
    'false-shared-at-rest': ['at rest SHARED is set and total >= 2 while only one MM has mappings (a false "maybe shared")', (s) => !s.lock && s.shared && s.total >= 2 && mmsWithMappings(s) === 1],
    'untracked-mm': ['at rest an MM has mappings and holds no slot', (s) => !s.lock && s.mapped.some((c, k) => c > 0 && s.mmIds[k] !== s.ids[0] && s.mmIds[k] !== s.ids[1])],
    'slot-freed-by-underflow': ['a remove took a slot\'s count below 0 and freed the slot', (s) => (s.flags & F_UNDERFLOW) !== 0],
    'cow-reused': ['a COW fault reused the page', (s) => s.th.some((x) => x.ans === ANS_REUSE)],
    'reader-saw-remap': ['a reader read total > P (inside a PMD remap)', (s) => s.th.some((x) => (x.g & G_REMAP) !== 0)],
    'count-overflowed': ['32-bit: an add overflowed a slot\'s count (slot freed, SHARED set)', (s) => (s.flags & F_OVERFLOW) !== 0],
    'refcount-above-total-locked': ['COW found refcount > total at the locked check (so step 7 must warn on refcount < total, not total < refcount)', (s) => s.th.some((x) => (x.g & G_REF_ABOVE) !== 0)],
  };
  for (const n of MMID_SOMETIMES)
    if (selected[n] && !sc.notReached.includes(n)) props.push({ name: n, expectation: 'sometimes', description: sometimes[n][0], holds: sometimes[n][1] });
  return props;
}
