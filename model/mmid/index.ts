/**
 * The mmid model's registry entry: `MMID_DESCRIPTOR` (parameters, variants, bugs as data) and
 * `mmidModel(params)`, which validates everything and throws a one-line UsageError otherwise.
 */
import type { ParamDescriptor } from '../descriptor';
import { bugVariant } from '../descriptor';
import { UsageError } from '../errors';
import { integerParam } from '../integer';
import { checkJsonDepth } from '../json-input';
import { loadScenarioArgument } from '../scenario-input';
import { MMID_BUGS, mmidBugScenario } from './bugs';
import { MmidModel } from './model';
import { MMID_DEFAULT_SCENARIO, MMID_SCENARIOS, MMID_SCENARIO_NAMES } from './presets';
import { MMID_VARIANTS, type MmidBug, type MmidVariant } from './program';
import { parseScenario } from './scenario';
import { LIMITS_64 } from './tracking';

export { MmidModel } from './model';
export type { MmidState, MmidAction, MmidThread } from './state';
export { MMID_BUGS, type MmidBugInfo } from './bugs';
export { MMID_SCENARIOS, MMID_SCENARIO_NAMES, MMID_DEFAULT_SCENARIO } from './presets';
export { MMID_VARIANTS, type MmidBug, type MmidVariant } from './program';
export { parseScenario as parseMmidScenario, expectedFindings, type ScenarioJson as MmidScenarioJson } from './scenario';

/** 32-bit: the width of a slot's count (a `short`: 16), scaled down to make an overflow reachable. */
const COUNT_BITS_MAX = 16;

export const MMID_DESCRIPTOR = {
  name: 'mmid',
  description:
    'MM owner tracking (CONFIG_MM_ID, Linux 6.15): two (MM id, count) slots and the "maybe mapped shared" bit under a bit spinlock; threads that map, unmap, fork, map/unmap/remap PMDs, exit and migrate, and readers (folio_maybe_mapped_shared, COW reuse), on a folio of order 2..9',
  params: [
    { name: 'scenario', default: MMID_DEFAULT_SCENARIO, description: `a preset (${MMID_SCENARIO_NAMES.join(', ')}), the path of a scenario JSON file, or the JSON text` },
    { name: 'variant', default: 'page-mapcount', description: 'page-mapcount (per-page mapcounts and their update orders) | no-page-mapcount' },
    { name: 'bits', default: 64, description: '64, or 32 (a slot\'s count is a short that can overflow)' },
    { name: 'countBits', default: COUNT_BITS_MAX, min: 2, max: COUNT_BITS_MAX, description: 'bits=32 only: the width of a slot\'s count (16; smaller makes the overflow reachable on a small folio)' },
    { name: 'bug', default: 'none', description: `none, or a broken variant: ${MMID_BUGS.map((b) => b.name).join(', ')}` },
  ] as readonly ParamDescriptor[],
  variants: MMID_VARIANTS,
  bugs: MMID_BUGS,
} as const;

const PARAM_NAMES = MMID_DESCRIPTOR.params.map((p) => p.name);

/** A scenario argument: preset name (scenarios/mmid/), JSON text, or a file path. */
function loadScenario(arg: string): { data: unknown; source: string } {
  return loadScenarioArgument(arg, MMID_SCENARIOS, 'mmid: ');
}

/** Builds the mmid model; `params.scenario` may also be a scenario object (recorded as JSON text). */
export function mmidModel(raw: Readonly<Record<string, unknown>> = {}): MmidModel {
  for (const k of Object.keys(raw)) if (!PARAM_NAMES.includes(k)) throw new UsageError(`mmid: unknown parameter '${k}' (parameters: ${PARAM_NAMES.join(', ')})`);
  const bugArg = raw.bug ?? 'none';
  if (typeof bugArg !== 'string' || (bugArg !== 'none' && !MMID_BUGS.some((b) => b.name === bugArg)))
    throw new UsageError(`mmid: unknown bug '${String(bugArg)}' (bugs: none, ${MMID_BUGS.map((b) => b.name).join(', ')})`);
  const bug = bugArg === 'none' ? null : (bugArg as MmidBug);

  const v = raw.variant ?? '';
  if (typeof v !== 'string' || (v !== '' && !(MMID_VARIANTS as readonly string[]).includes(v)))
    throw new UsageError(`mmid: unknown variant '${String(v)}' (variants: ${MMID_VARIANTS.join(', ')})`);
  const variant: MmidVariant = bug ? bugVariant('mmid', MMID_BUGS.find((b) => b.name === bug)!, v || undefined) : ((v || 'page-mapcount') as MmidVariant);

  const bits = integerParam(raw.bits ?? 64);
  if (bits !== 64 && bits !== 32) throw new UsageError(`mmid: bits must be 64 or 32, got '${String(raw.bits)}'`);
  const cb = integerParam(raw.countBits ?? COUNT_BITS_MAX);
  if (!Number.isInteger(cb) || (cb as number) < 2 || (cb as number) > COUNT_BITS_MAX) throw new UsageError(`mmid: countBits must be an integer in 2..${COUNT_BITS_MAX}, got '${String(raw.countBits)}'`);
  if (bits === 64 && cb !== COUNT_BITS_MAX) throw new UsageError('mmid: countBits applies to bits=32 only');
  const limits = bits === 64 ? LIMITS_64 : { countMax: 2 ** ((cb as number) - 1) - 1, overflowFrees: true };

  const scenarioArg = raw.scenario ?? mmidBugScenario(bug) ?? MMID_DEFAULT_SCENARIO;
  let data: unknown;
  let source: string;
  let recorded: string;
  if (typeof scenarioArg === 'string') {
    ({ data, source } = loadScenario(scenarioArg));
    recorded = scenarioArg in MMID_SCENARIOS ? scenarioArg : JSON.stringify(data);
  } else if (typeof scenarioArg === 'object' && scenarioArg !== null) {
    checkJsonDepth(scenarioArg, 'scenario');
    data = scenarioArg;
    source = 'inline';
    recorded = JSON.stringify(scenarioArg);
  } else throw new UsageError('mmid: scenario must be a preset name, a file path or a scenario object');
  const scenario = parseScenario(data, source);
  // the kernel's own sanity check: VM_WARN_ON_ONCE(folio_large_nr_pages(folio) - 1 > MM_ID_MAPCOUNT_MAX)
  if (scenario.pages - 1 > limits.countMax) throw new UsageError(`mmid: countBits=${String(cb)} is too narrow for a folio of ${scenario.pages} pages (a count must hold P - 1 = ${scenario.pages - 1})`);
  return new MmidModel({ scenario, variant, bug, limits, params: { scenario: recorded, variant, bits: bits as number, countBits: cb as number, bug: bug ?? 'none' } });
}
