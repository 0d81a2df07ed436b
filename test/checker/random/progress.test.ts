import { describe, expect, it } from 'vitest';
import type { ExploreProgress } from '../../../checker/random/run';
import { explore } from '../../../checker/random/explore';
import { buildModel } from '../../../model/registry';

describe('explore progress', () => {
  it('reports growing figures between chunks, ending at the run\'s totals', async () => {
    const seen: ExploreProgress[] = [];
    const model = buildModel('seqcount', { set: { writers: '3' } });
    const r = await explore(model, { strategy: 'random', seed: 9n, runs: 640, chunkSize: 64, progressIntervalMs: 0, onProgress: (p) => seen.push(p) });
    expect(seen.length).toBe(10);
    for (let i = 1; i < seen.length; i++) expect(seen[i].executions).toBeGreaterThan(seen[i - 1].executions);
    expect(seen.every((p) => p.total === 640 && p.timeSeconds === null)).toBe(true);
    expect(seen[seen.length - 1].executions).toBe(r.executions);
    expect(seen[seen.length - 1].steps).toBe(r.steps);
  });
});
