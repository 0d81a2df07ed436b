/**
 * The rmap step machine: determinism, the writer math of finished operations against the BigInt
 * reference (model/folio.ts applyMappings), and the printing contract.
 */
import { describe, expect, it } from 'vitest';
import { applyMappings, newFolio, type FolioState } from '../../../model/folio';
import { PRESET_NAMES, rmapModel, type OpJson, type RmapState, type ScenarioJson } from '../../../model/rmap';
import type { RmapModel } from '../../../model/rmap';

/** Steps thread `t` alone (always its action) until it finishes. */
function runAlone(m: RmapModel, s: RmapState, t: number): RmapState {
  for (let n = 0; n < 500; n++) {
    const a = m.actions(s).find((x) => x.thread === t);
    if (!a) return s;
    s = m.next(s, a);
  }
  throw new Error('thread did not finish');
}

function scenario(order: 2 | 3, seqcount: 'v1' | 'v2' | 'v3', p20: boolean, initial: ScenarioJson['initial'], ops: OpJson[], scheme: ScenarioJson['scheme'] = 'wip-v1'): ScenarioJson {
  return {
    order,
    scheme,
    seqcount,
    p20,
    mms: [
      { name: 'A', rmapId: 3 },
      { name: 'B', rmapId: 4094 },
      { name: 'C', rmapId: 63 },
    ],
    initial,
    threads: [{ name: 'W0', ops }],
  };
}

const IDS: Record<string, bigint> = { A: 3n, B: 4094n, C: 63n };

/** Each case: initial mappings, ops, and the same mapping changes as (mm, delta) for applyMappings. */
const CASES: { name: string; order: 2 | 3; initial: ScenarioJson['initial']; ops: OpJson[]; changes: [string, number][] }[] = [
  { name: 'map 3 PTEs', order: 3, initial: [{ mm: 'A', ptes: 1, page: 0 }], ops: [{ op: 'map', mm: 'B', n: 3, page: 1 }], changes: [['B', 3]] },
  { name: 'unmap 2 PTEs', order: 3, initial: [{ mm: 'A', ptes: 1, page: 0 }, { mm: 'B', ptes: 2, page: 1 }], ops: [{ op: 'unmap', mm: 'B', n: 2, page: 1 }], changes: [['B', -2]] },
  { name: 'fork duplicates a PTE with the child\'s sub-IDs', order: 2, initial: [{ mm: 'A', ptes: 2, page: 0 }], ops: [{ op: 'fork', from: 'A', to: 'C', page: 1 }], changes: [['C', 1]] },
  { name: 'PMD map and unmap', order: 2, initial: [{ mm: 'A', ptes: 1, page: 0 }], ops: [{ op: 'map-pmd', mm: 'B' }, { op: 'unmap-pmd', mm: 'B' }], changes: [['B', 1], ['B', -1]] },
  { name: 'PMD remap', order: 3, initial: [{ mm: 'C', pmd: true }], ops: [{ op: 'remap-pmd', mm: 'C' }], changes: [['C', 8], ['C', -1]] },
  { name: 'new anonymous folio then map', order: 2, initial: [], ops: [{ op: 'new-anon', mm: 'B', n: 2, page: 0 }, { op: 'map', mm: 'A', n: 1, page: 3 }], changes: [['B', 2], ['A', 1]] },
];

describe('rmap writer math agrees with applyMappings', () => {
  for (const c of CASES)
    for (const v of ['v1', 'v2', 'v3'] as const)
      for (const p20 of [false, true])
        it(`${c.name} (${v}, ${p20 ? 'after' : 'before'} P20)`, () => {
          const m = rmapModel({ scenario: scenario(c.order, v, p20, c.initial, c.ops) });
          const s0 = m.initStates()[0];
          // the initial state is the reference's too
          let f: FolioState = newFolio(m.sc.scheme, c.order);
          for (const e of c.initial ?? []) f = applyMappings(f, IDS[e.mm], 'pmd' in e ? 1 : e.ptes);
          expect(s0.mapcount).toBe(f.mapcount);
          expect(s0.vals).toEqual(f.values);
          const end = runAlone(m, s0, 0);
          expect(m.finished(end)).toBe(true);
          for (const [mm, d] of c.changes) f = applyMappings(f, IDS[mm], d);
          expect(end.mapcount).toBe(f.mapcount);
          expect(end.vals).toEqual(f.values);
          expect(BigInt(end.refcount)).toBe(f.mapcount);
          expect(end.seq & m.sc.layout.writersMask).toBe(0n);
          for (const p of m.properties) if (p.expectation === 'always') expect(p.holds(end), p.name).toBe(true);
          // a lone writer under V2/V3 takes the exclusive path (plain load/store, P17)
          if (v !== 'v1') expect(m.programs[0].ins.some((i) => i.kind === 'stVal')).toBe(true);
        });

  it('values wrap modulo 2^W like the reference (narrow custom scheme)', () => {
    const narrow = { values: 1, chunkBits: 6, bound: 4, wordBits: 14, idBits: 6 };
    const sc = scenario(2, 'v2', false, [{ mm: 'C', pmd: true }], [{ op: 'remap-pmd', mm: 'C' }], narrow);
    sc.mms = sc.mms.filter((x) => x.name === 'C');
    const m = rmapModel({ scenario: sc });
    let f = applyMappings(newFolio(m.sc.scheme, 2), 63n, 1);
    let s = m.initStates()[0];
    // step to the P+1 moment: the wrapped value equals the reference's 5 * subid mod 2^14
    while (s.mapcount !== 5n || !m.quiet(s)) s = m.next(s, m.actions(s)[0]);
    f = applyMappings(f, 63n, 4);
    expect(s.vals).toEqual(f.values);
    expect(f.values[0]).toBe((5n * 3906n) % (1n << 14n));
  });
});

describe('rmap model contract', () => {
  it('is deterministic: same state, same actions and successors twice', () => {
    for (const name of PRESET_NAMES) {
      const a = rmapModel({ scenario: name });
      const b = rmapModel({ scenario: name });
      let frontier = [a.initStates()[0]];
      const seen = new Set<string>();
      for (let depth = 0; depth < 12 && frontier.length > 0; depth++) {
        const next: RmapState[] = [];
        for (const s of frontier) {
          const k = a.key(s);
          if (seen.has(k)) continue;
          seen.add(k);
          const acts1 = a.actions(s);
          const acts2 = b.actions(s);
          expect(acts2).toEqual(acts1);
          for (let i = 0; i < acts1.length; i++) {
            const n1 = a.next(s, acts1[i]);
            const n2 = b.next(s, acts2[i]);
            expect(b.key(n2)).toBe(a.key(n1));
            expect(a.next(s, acts1[i])).toEqual(n1);
            next.push(n1);
          }
        }
        frontier = next;
      }
    }
  });

  it('next does not modify its argument', () => {
    const m = rmapModel({ scenario: 'exclusive-race', variant: 'v2' });
    const s = m.initStates()[0];
    const before = m.key(s);
    for (const a of m.actions(s)) m.next(s, a);
    expect(m.key(s)).toBe(before);
  });

  it('describes actions in the kernel\'s words with words and tags', () => {
    const m = rmapModel({ scenario: 'exclusive-race', variant: 'v2' });
    const labels = new Set<string>();
    const tags = new Set<string>();
    for (const [t, prog] of m.programs.entries())
      for (let pc = 0; pc < prog.ins.length; pc++) {
        const d = m.describe({ thread: t, pc });
        expect(d.thread).toBe(t);
        labels.add(d.label);
        d.tags.forEach((x) => tags.add(x));
      }
    expect(labels).toContain('atomic_add(1, &folio->_total_mapcount)');
    expect(labels).toContain('t = folio->_rmap_val0');
    expect(labels).toContain('atomic_long_try_cmpxchg(&seq, &s, s | EXCL)');
    expect([...labels].some((l) => l.startsWith('set_ptes('))).toBe(true);
    for (const tag of ['write-begin', 'write-end', 'read-begin', 'read-body', 'read-retry', 'plain-load', 'plain-store', 'exclusive-attempt', 'spin']) expect(tags).toContain(tag);
  });

  it('views a state for a person', () => {
    const m = rmapModel({ scenario: 'cow-vs-unmap' });
    const v = m.view(m.initStates()[0]);
    expect(Object.keys(v).slice(0, 6)).toEqual(['seq', 'mapcount', 'refcount', 'entire', 'pagesMapped', 'val0']);
    expect(v.seq).toBe('0x0000000000000000 (sequence 0, shared writers 0, exclusive 0)');
    expect(v.val0).toBe('0x0000000000000006'); // subid(1) + subid(2) = 1 + 5
    expect(v.pageTables).toBe('A: pte 0; B: pte 0');
    expect(v.R0).toMatch(/^at: seq = raw_read_atomic_seqcount/);
  });
});
