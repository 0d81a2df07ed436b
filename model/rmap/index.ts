/**
 * The rmap model's registry entry: `RMAP_DESCRIPTOR` (parameters, variants, bugs as data) and
 * `rmapModel(params)`, which validates everything and throws a one-line UsageError otherwise.
 */
import type { ParamDescriptor } from '../descriptor';
import { UsageError } from '../errors';
import { checkJsonDepth } from '../json-input';
import { loadScenarioArgument } from '../scenario-input';
import { integerParam } from '../integer';
import { VARIANTS, type Variant } from '../seqcount/layout';
import { RmapModel } from './model';
import { BUGS, bugScenario } from './bugs';
import type { Bug } from './program';
import { SCENARIO_NAMES, SCENARIOS_BY_NAME } from './presets';
import { parseScenario, type Scenario } from './scenario';

export { RmapModel } from './model';
export type { RmapState, RmapAction, ThreadState } from './model';
export type { Bug } from './program';
export { parseScenario } from './scenario';
export type { Scenario, ScenarioJson, OpJson } from './scenario';
export { PRESET_NAMES, PRESET_SCENARIOS, LARGE_SCENARIOS, SCENARIOS_BY_NAME, SCENARIO_NAMES } from './presets';

export { BUGS, bugScenario, type BugInfo } from './bugs';

export const RMAP_DESCRIPTOR = {
  name: 'rmap',
  description:
    'concurrent rmap writers (map/unmap/fork/PMD map/PMD remap/new folio) and readers (folio_mapped_shared, COW reuse) over the atomic seqcount, on a folio of 4 or 8 pages',
  params: [
    { name: 'scenario', default: 'mapped-shared-vs-map', description: `a preset (${SCENARIO_NAMES.join(', ')}), the path of a scenario JSON file, or the JSON text` },
    { name: 'variant', default: '', description: 'seqcount variant v1 | v2 | v3 (empty: the scenario\'s)' },
    { name: 'p20', default: '', description: 'true: every mapcount update inside the write section (after P20); false: only mapcount and values (empty: the scenario\'s)' },
    { name: 'seqBits', default: 0, min: 0, max: 48, description: 'width of the sequence field in bits (0: the scenario\'s, else the full layout)' },
    { name: 'bug', default: 'none', description: `none, or a broken variant: ${BUGS.map((b) => b.name).join(', ')}` },
  ] as readonly ParamDescriptor[],
  variants: VARIANTS,
  bugs: BUGS,
} as const;

const PARAM_NAMES = RMAP_DESCRIPTOR.params.map((p) => p.name);

/** Old parameter names -> today's. Traces recorded before the rename carry `seqcount` in their
 *  params, so it is still read (never recorded: `model.params` has today's names). */
const RENAMED_PARAMS: Readonly<Record<string, string>> = { seqcount: 'variant' };
/** Old bug names -> today's: refused with a message naming the new one. */
const RENAMED_BUGS: Readonly<Record<string, string>> = { 'narrow-seq': 'aba' };

/** `raw` with renamed parameters under their new names (both given: they must agree). */
function currentNames(raw: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...raw };
  for (const [old, now] of Object.entries(RENAMED_PARAMS)) {
    if (!(old in out)) continue;
    if (now in out && out[now] !== out[old])
      throw new UsageError(`rmap: parameter '${old}' is the old name of '${now}': give one (got ${old}=${String(out[old])}, ${now}=${String(out[now])})`);
    out[now] = out[old];
    delete out[old];
  }
  return out;
}

/** A scenario argument: preset name (every file of scenarios/, model/rmap/presets.ts), JSON
 *  text, or a file path. Returns the JSON value and its name. */
export function loadScenarioJson(arg: string): { data: unknown; source: string } {
  return loadScenarioArgument(arg, SCENARIOS_BY_NAME);
}

/**
 * Builds the rmap model. `params.scenario` may also be a scenario object (it is recorded in
 * `model.params` as JSON text, so that a trace can rebuild it).
 */
export function rmapModel(raw: Readonly<Record<string, unknown>> = {}): RmapModel {
  const params = currentNames(raw);
  for (const k of Object.keys(params))
    if (!PARAM_NAMES.includes(k)) throw new UsageError(`rmap: unknown parameter '${k}' (parameters: ${PARAM_NAMES.join(', ')})`);
  // a bug runs, unless a scenario is given, on the one that shows it (for the variant asked for)
  const scenarioArg = params.scenario ?? bugScenario(params.bug, params.variant) ?? 'mapped-shared-vs-map';
  let data: unknown;
  let source: string;
  let recorded: string;
  if (typeof scenarioArg === 'string') {
    ({ data, source } = loadScenarioJson(scenarioArg));
    // A preset is recorded by name; a file's scenario by its JSON text, so that a trace replays
    // anywhere, without the file and whatever the working directory.
    recorded = scenarioArg in SCENARIOS_BY_NAME ? scenarioArg : JSON.stringify(data);
  } else if (typeof scenarioArg === 'object' && scenarioArg !== null) {
    checkJsonDepth(scenarioArg, 'scenario');
    data = scenarioArg;
    source = 'inline';
    recorded = JSON.stringify(scenarioArg);
  } else throw new UsageError(`rmap: scenario must be a preset name, a file path or a scenario object`);

  const bugArg = params.bug ?? 'none';
  if (typeof bugArg === 'string' && bugArg in RENAMED_BUGS) throw new UsageError(`rmap: bug '${bugArg}' is now called '${RENAMED_BUGS[bugArg]}'`);
  if (typeof bugArg !== 'string' || (bugArg !== 'none' && !BUGS.some((b) => b.name === bugArg)))
    throw new UsageError(`rmap: unknown bug '${String(bugArg)}' (bugs: none, ${BUGS.map((b) => b.name).join(', ')})`);
  const bug = bugArg === 'none' ? null : (bugArg as Bug);

  // parameter overrides are applied to the JSON, so that they are validated like the file
  const d = { ...(data as Record<string, unknown>) };
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new UsageError(`scenario ${source}: must be a JSON object`);
  const sv = params.variant;
  if (sv !== undefined && sv !== '') {
    if (typeof sv !== 'string' || !VARIANTS.includes(sv as Variant))
      throw new UsageError(`rmap: unknown seqcount variant '${String(sv)}' (variants: ${VARIANTS.join(', ')})`);
    d.seqcount = sv;
  }
  const p20 = params.p20;
  if (p20 !== undefined && p20 !== '') {
    if (p20 === true || p20 === 'true') d.p20 = true;
    else if (p20 === false || p20 === 'false') d.p20 = false;
    else throw new UsageError(`rmap: p20 must be true or false, got '${String(p20)}'`);
  }
  const sb = params.seqBits;
  const n = integerParam(sb); // text from --set: decimal or 0x hex only
  if (sb !== undefined && n !== 0) {
    if (!Number.isInteger(n) || (n as number) < 1 || (n as number) > 48) throw new UsageError(`rmap: seqBits must be an integer in 0..48, got '${String(sb)}'`);
    d.seqBits = n;
  }
  if (bug === 'aba') d.seqBits = 1;
  if (bug === 'no-exclusive-wait' && d.seqcount === 'v1')
    throw new UsageError(`rmap: bug no-exclusive-wait needs seqcount v2 or v3 (there is no exclusive writer in v1)`);
  const sc: Scenario = parseScenario(d, source);
  return new RmapModel({
    scenario: sc,
    bug,
    params: {
      scenario: recorded,
      variant: sc.layout.variant,
      p20: sc.p20,
      seqBits: sc.layout.seqBits,
      bug: bug ?? 'none',
    },
  });
}
