/**
 * The workloads shipped in `workloads/*.json`, by name (docs/json.md, section `compare`). The
 * folder sits at the package root (package.json "files"), next to dist/: it is read from there,
 * whether this code runs from the sources or from dist/. Each file is checked (`toWorkload`) when
 * first needed; a test keeps this list and the folder's files the same.
 */
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { UsageError } from '../errors';
import { parseWorkloadText, type Workload } from './workload';

/** Every preset, in the order `compare` runs them (file `workloads/<name>.json`). */
export const WORKLOAD_PRESET_NAMES = [
  'double-fork',
  'worker-pool',
  'file-three-mms',
  'file-several-vmas',
  'fork-child-exit',
  'pmd-remap',
  'swapcache-cow',
  'migrate-after-shared',
  'partial-unmap',
] as const;

/** The workloads folder: `<root>/workloads` from `<root>/model/workload` or `<root>/dist/model/workload`. */
export function workloadsDir(): string {
  const fromSources = join(__dirname, '..', '..', 'workloads');
  return existsSync(join(fromSources, `${WORKLOAD_PRESET_NAMES[0]}.json`)) ? fromSources : join(__dirname, '..', '..', '..', 'workloads');
}

let cache: Workload[] | null = null;

/** Every preset, read and checked once. */
export function workloadPresets(): readonly Workload[] {
  if (!cache) {
    const dir = workloadsDir();
    cache = WORKLOAD_PRESET_NAMES.map((name) => {
      const file = join(dir, `${name}.json`);
      const w = parseWorkloadText(readFileSync(file, 'utf8'), file);
      if (w.name !== name) throw new Error(`[internal bug] ${file} is named ${w.name}`);
      return w;
    });
  }
  return cache;
}

export function presetNames(): string[] {
  return [...WORKLOAD_PRESET_NAMES];
}

export function findWorkloadPreset(name: string): Workload | undefined {
  return (WORKLOAD_PRESET_NAMES as readonly string[]).includes(name) ? workloadPresets().find((w) => w.name === name) : undefined;
}

/** A preset by name, or a one-line error listing them. */
export function workloadPreset(name: string): Workload {
  const w = findWorkloadPreset(name);
  if (!w) throw new UsageError(`unknown workload '${name}' (presets: ${presetNames().join(', ')}; or the path of a JSON workload file)`);
  return w;
}
