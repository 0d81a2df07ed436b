/**
 * The mmid scenarios shipped in `scenarios/mmid/*.json` (docs/scenarios.md), by name: every file
 * there is a name `--scenario` accepts with `--model mmid`. Imported as JSON modules so that a
 * missing file fails at compile time and the packed build carries them.
 */
import forkChildExit from '../../scenarios/mmid/fork-child-exit.json';
import doubleForkDaemon from '../../scenarios/mmid/double-fork-daemon.json';
import workerPool from '../../scenarios/mmid/worker-pool.json';
import fileThreeMms from '../../scenarios/mmid/file-three-mms.json';
import remapPmdReader from '../../scenarios/mmid/remap-pmd-reader.json';
import splitAfterFalseShared from '../../scenarios/mmid/split-after-false-shared.json';
import pmdUnmapVsCow from '../../scenarios/mmid/pmd-unmap-vs-cow.json';
import swapcacheVsCow from '../../scenarios/mmid/swapcache-vs-cow.json';
import slot0Reuse from '../../scenarios/mmid/slot0-reuse.json';
import untrackedRegain from '../../scenarios/mmid/untracked-regain.json';
import forkFullVsCow from '../../scenarios/mmid/fork-full-vs-cow.json';
import mapVsCow from '../../scenarios/mmid/map-vs-cow.json';

/** Every preset (all small enough for exhaustive `check`): name -> the scenario's JSON value. */
export const MMID_SCENARIOS: Readonly<Record<string, unknown>> = {
  'fork-child-exit': forkChildExit,
  'double-fork-daemon': doubleForkDaemon,
  'worker-pool': workerPool,
  'file-three-mms': fileThreeMms,
  'remap-pmd-reader': remapPmdReader,
  'split-after-false-shared': splitAfterFalseShared,
  'pmd-unmap-vs-cow': pmdUnmapVsCow,
  'swapcache-vs-cow': swapcacheVsCow,
  'slot0-reuse': slot0Reuse,
  'untracked-regain': untrackedRegain,
  'fork-full-vs-cow': forkFullVsCow,
  'map-vs-cow': mapVsCow,
};

export const MMID_SCENARIO_NAMES: readonly string[] = Object.keys(MMID_SCENARIOS);

/** The default scenario (no --scenario, no bug). */
export const MMID_DEFAULT_SCENARIO = 'fork-child-exit';
