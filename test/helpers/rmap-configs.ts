import { BUGS } from '../../model/rmap';

/**
 * The rmap configurations the per-state cross-checks walk exhaustively: every preset scenario
 * with a seqcount variant, and every bug's scenario but the slowest two (torn-values with
 * begin-wait or re-read: more than 100K states each).
 */
export const RMAP_CROSS_CHECK_CONFIGS: Array<[Record<string, unknown>]> = [
  [{ scenario: 'mapped-shared-vs-map', variant: 'v2' }],
  [{ scenario: 'exclusive-race', variant: 'v3' }],
  [{ scenario: 'livelock', variant: 'v1' }],
  [{ scenario: 'new-anon', variant: 'v2' }],
  [{ scenario: 'remap-pmd', variant: 'v2' }],
  [{ scenario: 'remap-wrap', variant: 'v3' }],
  [{ scenario: 'cow-vs-swapcache', variant: 'v1' }],
  [{ scenario: 'cow-vs-unmap', variant: 'v2' }],
  ...BUGS.filter((b) => b.name !== 'no-begin-wait' && b.name !== 'reread').map((b) => [{ bug: b.name, scenario: b.scenario }] as [Record<string, unknown>]),
];
