/**
 * The mmid model's deliberately broken variants, each with the preset that shows it (on both
 * configurations) and the property its shortest counterexample violates.
 */
import type { BugDescriptor } from '../descriptor';
import { MMID_VARIANTS, type MmidBug, type MmidVariant } from './program';

export interface MmidBugInfo extends BugDescriptor<MmidBug, MmidVariant> {
  readonly scenario: string;
  readonly property: string;
  readonly defaults: Readonly<Partial<Record<MmidVariant, { readonly scenario: string }>>>;
}

function bug(name: MmidBug, description: string, property: string, scenario: string): MmidBugInfo {
  return {
    name,
    description,
    expected: 'counterexample',
    variants: MMID_VARIANTS,
    defaults: Object.fromEntries(MMID_VARIANTS.map((v) => [v, { scenario }])),
    scenario,
    property,
  };
}

export const MMID_BUGS: readonly MmidBugInfo[] = [
  bug('slot0-no-shared', 'an add that takes free slot 0 does not set SHARED although the folio has other mappings', 'not-shared-sound', 'slot0-reuse'),
  bug('negative-count-kept', 'a remove that takes a slot\'s count below 0 leaves the negative count (and the id) in place', 'slot-free-empty', 'untracked-regain'),
  bug('ref-before-remove', 'an unmap drops the folio reference before the rmap remove', 'refcount-covers-total', 'slot0-reuse'),
  bug('cow-no-recheck', 'COW reuses after the lockless checks, without the locked recheck (steps 6-10)', 'cow-reuse-safe', 'map-vs-cow'),
  bug('shared-outside-lock', 'an add sets SHARED with set_bit after its unlock: unsound until then, and lost when it lands inside another holder\'s plain unlock', 'not-shared-sound', 'fork-child-exit'),
];

/** The scenario bug `name` runs on by default (undefined: no such bug). */
export function mmidBugScenario(name: unknown): string | undefined {
  return MMID_BUGS.find((b) => b.name === name)?.scenario;
}
