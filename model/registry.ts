/**
 * The concurrent models by name: what `rmapcheck models` lists, what `check`/`explore` build,
 * and what `replay` rebuilds from a trace's recorded `params`.
 */
import { AnyModel } from './core';
import type { BugDescriptor, ParamDescriptor } from './descriptor';
import { UsageError } from './errors';
import { SEQCOUNT_DESCRIPTOR, seqcountModel } from './seqcount/model';
import { RMAP_DESCRIPTOR, rmapModel } from './rmap';
import { MMID_DESCRIPTOR, mmidModel } from './mmid';

export interface ModelEntry {
  readonly name: string;
  readonly description: string;
  readonly params: readonly ParamDescriptor[];
  readonly variants: readonly string[];
  readonly bugs: readonly BugDescriptor[];
  /** Builds the model from raw parameters (`variant`, `bug` and the model's own); UsageError on
   *  anything unknown or out of range. `model.params` rebuilds the same model when passed back. */
  readonly build: (raw: Readonly<Record<string, unknown>>) => AnyModel;
}

export const MODELS: readonly ModelEntry[] = [
  {
    name: SEQCOUNT_DESCRIPTOR.name,
    description: SEQCOUNT_DESCRIPTOR.description,
    params: SEQCOUNT_DESCRIPTOR.params,
    variants: SEQCOUNT_DESCRIPTOR.variants.map((v) => v.name),
    bugs: SEQCOUNT_DESCRIPTOR.bugs,
    // The BigInt reference; checkers run it on its engine (engine/seqcount/), which
    // test/engine/conformance.test.ts checks against it on every reachable state.
    build: (raw) => seqcountModel(raw),
  },
  {
    name: RMAP_DESCRIPTOR.name,
    description: RMAP_DESCRIPTOR.description,
    params: RMAP_DESCRIPTOR.params,
    variants: RMAP_DESCRIPTOR.variants,
    bugs: RMAP_DESCRIPTOR.bugs,
    build: (raw) => rmapModel(raw),
  },
  {
    name: MMID_DESCRIPTOR.name,
    description: MMID_DESCRIPTOR.description,
    params: MMID_DESCRIPTOR.params,
    variants: MMID_DESCRIPTOR.variants,
    bugs: MMID_DESCRIPTOR.bugs,
    build: (raw) => mmidModel(raw),
  },
];

/** The models whose scenarios are data (`--scenario`). */
const SCENARIO_MODELS = ['rmap', 'mmid'];

export function findModel(name: string): ModelEntry {
  const m = MODELS.find((x) => x.name === name);
  if (!m) throw new UsageError(`unknown model '${name}' (models: ${MODELS.map((x) => x.name).join(', ')})`);
  return m;
}

export interface BuildRequest {
  readonly variant?: string;
  readonly bug?: string;
  /** `--set key=value` pairs, values as typed. */
  readonly set?: Readonly<Record<string, string>>;
  readonly scenario?: string;
}

/** Builds a model from CLI-style options. */
export function buildModel(name: string, req: BuildRequest): AnyModel {
  const entry = findModel(name);
  const raw: Record<string, unknown> = { ...(req.set ?? {}) };
  for (const reserved of ['variant', 'bug', 'scenario'])
    if (reserved in raw) throw new UsageError(`--set ${reserved}=...: use --${reserved} instead`);
  if (req.variant !== undefined) raw.variant = req.variant;
  if (req.bug !== undefined) raw.bug = req.bug;
  if (req.scenario !== undefined) {
    if (!SCENARIO_MODELS.includes(entry.name)) throw new UsageError(`--scenario applies to the ${SCENARIO_MODELS.join(' and ')} models only, not ${entry.name}`);
    raw.scenario = req.scenario;
  }
  return entry.build(raw);
}

/** Parses `--set key=value` arguments. */
export function parseSets(pairs: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of pairs) {
    const i = p.indexOf('=');
    if (i <= 0) throw new UsageError(`--set ${p}: expected key=value`);
    const key = p.slice(0, i);
    if (key in out) throw new UsageError(`--set ${key} given twice`);
    out[key] = p.slice(i + 1);
  }
  return out;
}
