/**
 * The preset scenarios shipped in `scenarios/*.json` (docs/scenarios.md), by name. Imported as
 * JSON modules so that a missing or renamed file fails at compile time, not at run time.
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

/** Preset name -> the scenario's JSON value (validated when a model is built from it). */
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
