/**
 * The rmap model's deliberately broken variants, each with the preset scenario that shows it on
 * every seqcount variant it applies to: a bug runs there unless a scenario is given.
 */
import type { BugDescriptor } from '../descriptor';
import type { Variant } from '../seqcount/layout';
import type { Bug } from './program';

export interface BugInfo extends BugDescriptor<Bug, Variant> {
  /** The preset scenario that shows it on its first variant (`defaults[variants[0]].scenario`). */
  readonly scenario: string;
  /** The property its shortest counterexample violates (on every variant it applies to). */
  readonly property: string;
  /** Per variant: the scenario it runs on by default. */
  readonly defaults: Readonly<Partial<Record<Variant, { readonly scenario: string }>>>;
}

/** A bug shown by `scenarios` (variant -> preset; the first variant is the bug's default). */
function bug(name: Bug, description: string, property: string, scenarios: Partial<Record<Variant, string>>): BugInfo {
  const variants = Object.keys(scenarios) as Variant[];
  return {
    name,
    description,
    expected: 'counterexample',
    variants,
    defaults: Object.fromEntries(variants.map((v) => [v, { scenario: scenarios[v]! }])),
    scenario: scenarios[variants[0]]!,
    property,
  };
}

const ALL = (scenario: string): Record<Variant, string> => ({ v1: scenario, v2: scenario, v3: scenario });

/** Deliberately broken variants: each must yield a counterexample with its scenario. */
export const BUGS: readonly BugInfo[] = [
  bug('no-retry', 'folio_mapped_shared and COW skip the retry check: a torn read of val0 and val1 is answered', 'linearizable', ALL('torn-values')),
  bug('no-begin-wait', 'the reader does not wait for writers at begin: it validates a read taken inside two write sections', 'linearizable', ALL('torn-values')),
  bug('no-seqcount', 'no seqcount at all: writers update with atomic adds only, readers read once', 'linearizable', ALL('torn-values')),
  bug('reread', 'no seqcount; the reader re-reads mapcount and values until two reads agree (cover letter, section 10)', 'linearizable', ALL('torn-values')),
  bug('no-exclusive-wait', 'a shared writer does not wait while the exclusive bit is set (V2/V3)', 'I7', { v2: 'exclusive-race', v3: 'exclusive-race' }),
  // On V2/V3 two shared writers overlap only behind an exclusive one: mapped-shared-vs-map's two
  // single writes never do, torn-values' three-operation writers do.
  bug('shared-plain-update', 'shared writers update mapcount and values with plain load/store instead of atomic adds', 'I9', {
    v1: 'mapped-shared-vs-map',
    v2: 'torn-values',
    v3: 'torn-values',
  }),
  // the seqcount model's `aba`, here against folio_mapped_shared
  bug('aba', 'a 1-bit sequence field: a reader descheduled across two write sections sees seq come back and passes its retry check after the wrap (ABA)', 'linearizable', ALL('torn-values')),
];

/**
 * The scenario bug `name` runs on by default with seqcount `variant` (its first variant's when
 * `variant` is empty); undefined for no bug, or a variant the bug does not apply to (the model
 * then refuses the pair).
 */
export function bugScenario(name: unknown, variant: unknown): string | undefined {
  const b = BUGS.find((x) => x.name === name);
  if (!b) return undefined;
  const v = variant === undefined || variant === '' ? b.variants[0] : (variant as Variant);
  return b.defaults[v]?.scenario;
}
