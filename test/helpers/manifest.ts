/**
 * The one reader of test/manifest.json: the file is validated against test/manifest.schema.json
 * (ajv) once, and every model's pins are presented as one list of `PinnedConfig` — a model, the
 * registry's raw build parameters and the pinned figures — whatever section of the file they
 * come from. Tests use these functions, never the JSON itself, so that the file's layout can
 * change in this one place.
 */
import Ajv from 'ajv';
import { readFileSync } from 'fs';
import { join } from 'path';

export type PinnedVerdict = 'ok' | 'violation';

/** What test/manifest.json pins of one exhaustive check (all figures). */
export interface PinnedCheck {
  verdict: string;
  property: string | null;
  states: number;
  transitions: number;
  maxDepth: number;
  /** Steps (path length - 1), null without a counterexample. */
  counterexampleLength: number | null;
}

export type PinnedModel = 'seqcount' | 'rmap' | 'mmid';

/** Where in the file a pin comes from, i.e. how its check is run. */
export type PinSection =
  /** seqcount: a named configuration, full-state BFS, reductions off. */
  | 'seqcount'
  /** rmap preset x variant with the correct protocol: the safety pass's states and depth. */
  | 'rmap.presets'
  /** rmap bug on its own scenario (first variant): the BFS-shortest counterexample's steps. */
  | 'rmap.bugs'
  /** rmap bug x variant at the bug's defaults, store full, no reduction. */
  | 'rmap.bugDefaults'
  /** mmid preset x variant, correct protocol, store full, no reduction: all figures. */
  | 'mmid.presets'
  /** mmid bug x variant at the bug's defaults, store full, no reduction: all figures. */
  | 'mmid.bugs'
  /** mmid: further named configurations (e.g. 32-bit counts), store full, no reduction. */
  | 'mmid.configs';

/** One pinned configuration of one model; the figures a section does not pin are absent. */
export interface PinnedConfig extends Partial<PinnedCheck> {
  readonly model: PinnedModel;
  /** Unique per model (seqcount: the file's name; rmap: `preset-<scenario>-<variant>`,
   *  `bug-<bug>`, `bug-<bug>-<variant>`; mmid: `preset-<scenario>-<variant>`,
   *  `bug-<bug>-<variant>`, or the config's name). */
  readonly name: string;
  /** The registry's raw parameters: `findModel(model).build(params)` builds the configuration
   *  (`variant`, `bug`, `scenario` and the model's own). */
  readonly params: Readonly<Record<string, string | number | boolean>>;
  readonly section: PinSection;
}

/** One conformance mutant's pinned finding (a concurrent mutant: one per strategy). */
export interface ConformPin {
  readonly id: string;
  readonly description: string | null;
  readonly mode: 'sequential' | 'concurrent';
  /** The concurrent mode's strategy; null in sequential mode. */
  readonly strategy: 'random' | 'pct' | 'race' | 'dfs' | null;
  readonly seed: number;
  readonly expected: 'counterexample';
  readonly property: string;
  readonly field: string;
  /** Sequential: operations of the shrunk sequence; concurrent: decisions of the minimized schedule. */
  readonly traceLength: number;
}

// ------------------------------------------------------------------ the file, as the schema has it

type Figures = PinnedCheck & { verdict: PinnedVerdict };
interface ManifestFile {
  seqcount: Array<Figures & { name: string; params: Record<string, string | number | boolean> }>;
  rmap: {
    presets: Record<string, Record<string, { states: number; maxDepth: number }>>;
    bugs: Record<string, number>;
    bugDefaults: Record<string, Record<string, Figures>>;
  };
  mmid: {
    presets: Record<string, Record<string, Figures>>;
    bugs: Record<string, Record<string, Figures>>;
    configs: Array<Figures & { name: string; params: Record<string, string | number | boolean> }>;
  };
  conform: {
    mutants: Array<{ id: string; description: string; mode: 'sequential'; seed: number; expected: 'counterexample'; property: string; field: string; traceLength: number }>;
    concurrentMutants: Array<{
      id: string;
      mode: 'concurrent';
      seed: number;
      expected: 'counterexample';
      byStrategy: Partial<Record<'random' | 'pct' | 'race' | 'dfs', { property: string; field: string; traceLength: number }>>;
    }>;
  };
}

export const MANIFEST_PATH = join(__dirname, '..', 'manifest.json');
export const MANIFEST_SCHEMA_PATH = join(__dirname, '..', 'manifest.schema.json');

/** Validates `data` against the schema; throws naming every problem (for the loader and its test). */
export function validateManifest(data: unknown): asserts data is ManifestFile {
  const schema = JSON.parse(readFileSync(MANIFEST_SCHEMA_PATH, 'utf8'));
  const validate = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);
  if (!validate(data))
    throw new Error(`test/manifest.json does not match test/manifest.schema.json: ${validate.errors!.map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ')}`);
}

/** The unified list of a manifest file's model pins (exported for the loader's test). */
export function configsOf(file: ManifestFile): PinnedConfig[] {
  const out: PinnedConfig[] = [];
  for (const { name, params, ...figures } of file.seqcount) out.push({ model: 'seqcount', name, params, section: 'seqcount', ...figures });
  for (const [scenario, byVariant] of Object.entries(file.rmap.presets))
    for (const [variant, f] of Object.entries(byVariant))
      out.push({ model: 'rmap', name: `preset-${scenario}-${variant}`, params: { scenario, variant }, section: 'rmap.presets', ...f });
  for (const [bug, steps] of Object.entries(file.rmap.bugs))
    out.push({ model: 'rmap', name: `bug-${bug}`, params: { bug }, section: 'rmap.bugs', counterexampleLength: steps });
  for (const [bug, byVariant] of Object.entries(file.rmap.bugDefaults))
    for (const [variant, f] of Object.entries(byVariant))
      out.push({ model: 'rmap', name: `bug-${bug}-${variant}`, params: { bug, variant }, section: 'rmap.bugDefaults', ...f });
  for (const [scenario, byVariant] of Object.entries(file.mmid.presets))
    for (const [variant, f] of Object.entries(byVariant))
      out.push({ model: 'mmid', name: `preset-${scenario}-${variant}`, params: { scenario, variant }, section: 'mmid.presets', ...f });
  for (const [bug, byVariant] of Object.entries(file.mmid.bugs))
    for (const [variant, f] of Object.entries(byVariant))
      out.push({ model: 'mmid', name: `bug-${bug}-${variant}`, params: { bug, variant }, section: 'mmid.bugs', ...f });
  for (const { name, params, ...figures } of file.mmid.configs) out.push({ model: 'mmid', name, params, section: 'mmid.configs', ...figures });
  const seen = new Set<string>();
  for (const c of out) {
    const k = `${c.model}/${c.name}`;
    if (seen.has(k)) throw new Error(`test/manifest.json: two pins named ${k}`);
    seen.add(k);
  }
  return out;
}

/** The unified list of a manifest file's conformance pins. */
export function conformPinsOf(file: ManifestFile): ConformPin[] {
  const out: ConformPin[] = file.conform.mutants.map((m) => ({ ...m, strategy: null }));
  for (const m of file.conform.concurrentMutants)
    for (const [strategy, p] of Object.entries(m.byStrategy))
      out.push({ id: m.id, description: null, mode: 'concurrent', strategy: strategy as ConformPin['strategy'], seed: m.seed, expected: m.expected, ...p! });
  return out;
}

let loaded: { configs: PinnedConfig[]; conform: ConformPin[] } | null = null;

function load(): { configs: PinnedConfig[]; conform: ConformPin[] } {
  if (loaded) return loaded;
  const data: unknown = JSON.parse(readFileSync(MANIFEST_PATH, 'utf8'));
  validateManifest(data);
  loaded = { configs: configsOf(data), conform: conformPinsOf(data) };
  return loaded;
}

// ------------------------------------------------------------------------------- the readers' API

/** Every pinned configuration (of one model, or of all), in the file's order. */
export function pinnedConfigs(model?: PinnedModel, section?: PinSection): readonly PinnedConfig[] {
  return load().configs.filter((c) => (model === undefined || c.model === model) && (section === undefined || c.section === section));
}

/** The pin of `model` named `name`; throws when there is none (a test must not pass on a typo). */
export function pinnedConfig(model: PinnedModel, name: string): PinnedConfig {
  const c = load().configs.find((x) => x.model === model && x.name === name);
  if (!c) throw new Error(`test/manifest.json pins no ${model} configuration named '${name}'`);
  return c;
}

/** The pin of `model` whose parameters are exactly `params` (keys and values), or undefined. */
export function pinnedWith(model: PinnedModel, params: Readonly<Record<string, string | number | boolean>>, section?: PinSection): PinnedConfig | undefined {
  const keys = Object.keys(params);
  return pinnedConfigs(model, section).find((c) => Object.keys(c.params).length === keys.length && keys.every((k) => c.params[k] === params[k]));
}

/** All six figures of a pin; throws when its section pins fewer (e.g. an rmap preset). */
export function figuresOf(c: PinnedConfig): PinnedCheck {
  const { verdict, property, states, transitions, maxDepth, counterexampleLength } = c;
  if (verdict === undefined || property === undefined || states === undefined || transitions === undefined || maxDepth === undefined || counterexampleLength === undefined)
    throw new Error(`test/manifest.json: ${c.model} ${c.name} (${c.section}) does not pin every figure`);
  return { verdict, property, states, transitions, maxDepth, counterexampleLength };
}

/** The pins of `model` that pin every figure (seqcount, the rmap bug defaults), with them all
 *  typed as present; throws on a pin of a section that pins fewer. */
export function pinnedChecks(model: PinnedModel, section?: PinSection): Array<PinnedConfig & PinnedCheck> {
  return pinnedConfigs(model, section).map((c) => ({ ...c, ...figuresOf(c) }));
}

/** The check pinned for bug `bug` of `model` on `variant` at the bug's defaults, or undefined. */
export function pinnedBugDefault(model: PinnedModel, bug: string, variant: string): PinnedCheck | undefined {
  const c = pinnedWith(model, { bug, variant }, model === 'rmap' ? 'rmap.bugDefaults' : model === 'mmid' ? 'mmid.bugs' : 'seqcount');
  return c && figuresOf(c);
}

/** The conformance pins of one mode (and strategy), in the file's order. */
export function conformPins(mode: ConformPin['mode'], strategy?: NonNullable<ConformPin['strategy']>): readonly ConformPin[] {
  return load().conform.filter((p) => p.mode === mode && (strategy === undefined || p.strategy === strategy));
}

/** The pin of conformance mutant `id` (concurrent: under `strategy`); throws when there is none. */
export function conformPin(id: string, strategy: ConformPin['strategy'] = null): ConformPin {
  const p = load().conform.find((x) => x.id === id && x.strategy === strategy);
  if (!p) throw new Error(`test/manifest.json pins no conformance mutant '${id}'${strategy ? ` under strategy ${strategy}` : ''}`);
  return p;
}

/** The six figures a pin holds, of a check's result (to compare with `figuresOf` a pin). */
export function checkFigures(r: { verdict: string; property: string | null; states: number; transitions: number; maxDepth: number; path: readonly number[] | null }): PinnedCheck {
  return {
    verdict: r.verdict as PinnedCheck['verdict'],
    property: r.property,
    states: r.states,
    transitions: r.transitions,
    maxDepth: r.maxDepth,
    counterexampleLength: r.path ? r.path.length - 1 : null,
  };
}
