import { describe, expect, it } from 'vitest';
import { Prng } from '../../model/prng';

describe('Prng (sfc32)', () => {
  it('keeps its first outputs, so that recorded seeds keep replaying after upgrades', () => {
    const p = new Prng(42n);
    const first = Array.from({ length: 6 }, () => p.next32());
    expect(first).toEqual(PINNED_SEED_42);
  });

  it('is deterministic and seed-sensitive', () => {
    const a = new Prng(7n), b = new Prng(7n), c = new Prng(8n);
    const xs = Array.from({ length: 100 }, () => a.next32());
    expect(Array.from({ length: 100 }, () => b.next32())).toEqual(xs);
    expect(Array.from({ length: 100 }, () => c.next32())).not.toEqual(xs);
  });

  it('below(n) stays in range and hits every value', () => {
    const p = new Prng(1n);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const x = p.below(7);
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(7);
      seen.add(x);
    }
    expect(seen.size).toBe(7);
  });

  it('uses the high half of a 64-bit seed', () => {
    expect(new Prng(1n << 40n).next32()).not.toBe(new Prng(0n).next32());
  });
});

// Recorded once from this implementation; a change here breaks every recorded random trace.
const PINNED_SEED_42 = [3893884377, 145076852, 3246010591, 4141225530, 2162305750, 1150719308];
