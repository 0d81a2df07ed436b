/**
 * The scenarios shipped in `scenarios/*.json` (docs/scenarios.md), by name: every file there is
 * a name `--scenario` accepts. Imported as JSON modules so that a missing or renamed file fails at
 * compile time, not at run time, and so that the packed build carries them.
 */
import mappedSharedVsMap from '../../scenarios/mapped-shared-vs-map.json';
import cowVsUnmap from '../../scenarios/cow-vs-unmap.json';
import cowVsSwapcache from '../../scenarios/cow-vs-swapcache.json';
import remapPmd from '../../scenarios/remap-pmd.json';
import remapWrap from '../../scenarios/remap-wrap.json';
import exclusiveRace from '../../scenarios/exclusive-race.json';
import tornValues from '../../scenarios/torn-values.json';
import livelock from '../../scenarios/livelock.json';
import newAnon from '../../scenarios/new-anon.json';
import largeMixed from '../../scenarios/large-mixed.json';
import largeOrder9 from '../../scenarios/large-order9.json';

/**
 * The presets small enough for exhaustive `check`: name -> the scenario's JSON value (validated
 * when a model is built from it). The audit checks every one.
 */
export const PRESET_SCENARIOS: Readonly<Record<string, unknown>> = {
  'mapped-shared-vs-map': mappedSharedVsMap,
  'cow-vs-unmap': cowVsUnmap,
  'cow-vs-swapcache': cowVsSwapcache,
  'remap-pmd': remapPmd,
  'remap-wrap': remapWrap,
  'exclusive-race': exclusiveRace,
  'torn-values': tornValues,
  livelock,
  'new-anon': newAnon,
};

export const PRESET_NAMES: readonly string[] = Object.keys(PRESET_SCENARIOS);

/** Real-size scenarios for the randomized explorer, too big for exhaustive search. */
export const LARGE_SCENARIOS: Readonly<Record<string, unknown>> = {
  'large-mixed': largeMixed,
  'large-order9': largeOrder9,
};

/** Every shipped scenario by name (the presets and the large ones): what a name resolves to. */
export const SCENARIOS_BY_NAME: Readonly<Record<string, unknown>> = { ...PRESET_SCENARIOS, ...LARGE_SCENARIOS };

export const SCENARIO_NAMES: readonly string[] = Object.keys(SCENARIOS_BY_NAME);
