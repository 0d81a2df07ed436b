/**
 * File names of counterexample traces, for the CLI and for rmapcheck/vitest alike. A name carries
 * everything that decides the trace's content: the model configuration (readable parts, and a
 * short hash of all its parameters) and the search that found it (strategy, seed, ...). So two
 * runs that would write different traces never claim one file (a trace file is not replaced by
 * other content without --force, which would stop the second run), and a rerun of the same run
 * finds its own file and rewrites it unchanged.
 */
import type { AnyModel } from '../model/core';
import { fingerprint } from './visited';

/**
 * How a counterexample was found, as far as it changes the trace. A setting at its default adds
 * nothing to the name (so the names of default runs stay as they were); settings that only bound
 * memory or time (store, expected states, max states, runs, workers) do not change a trace found.
 */
export type TraceSearch =
  | {
      kind: 'check';
      /** 'bfs' (default) or 'dfs': a DFS counterexample is another (longer) path. */
      strategy?: string;
      /** false: symmetry reduction off (the path goes through other representatives). */
      reduction?: boolean;
      /** --max-depth: a DFS cut at a depth backtracks to other paths. */
      maxDepth?: number;
    }
  | {
      kind: 'explore';
      strategy: string;
      seed: bigint;
      shard?: { index: number; count: number };
      /** --depth (steps per execution), when given. */
      depth?: number;
      /** --pct-depth, when given (PCT only). */
      pctDepth?: number;
      /** false: the raw counterexample (--no-minimize). */
      minimized?: boolean;
    };

/** One file name from `parts`: joined with '-', anything but letters, digits and `._+-` made `_`. */
export function fileName(parts: readonly string[], extension = '.json'): string {
  return parts.map((p) => p.replace(/[^A-Za-z0-9._+-]+/g, '_')).join('-') + extension;
}

/** The protocol variant of a configuration (seqcount's `variant`, rmap's `seqcount`), or ''. */
export function variantOf(params: Readonly<Record<string, unknown>>): string {
  return String(params.variant ?? params.seqcount ?? '');
}

/** The name parts of a search, defaults left out. */
function searchParts(s: TraceSearch): string[] {
  if (s.kind === 'check') {
    const parts = s.strategy !== undefined && s.strategy !== 'bfs' ? [s.strategy] : [];
    if (s.reduction === false) parts.push('noreduction');
    if (s.maxDepth !== undefined) parts.push(`maxdepth${s.maxDepth}`);
    return parts;
  }
  const parts = [s.strategy, `seed${s.seed}`];
  if (s.shard) parts.push(`shard${s.shard.index}of${s.shard.count}`);
  if (s.depth !== undefined) parts.push(`depth${s.depth}`);
  if (s.pctDepth !== undefined && s.strategy === 'pct') parts.push(`pctdepth${s.pctDepth}`);
  if (s.minimized === false) parts.push('raw');
  return parts;
}

/**
 * File name of a model counterexample: model, variant, bug (when there is one), property, a short
 * hash of all the parameters, then the search (e.g. `seqcount-v1-no-retry-snapshot-2deb83.json`
 * for a default check, `...-2deb83-dfs.json` for DFS, `...-2deb83-race-seed1.json` for explore).
 */
export function modelTraceName(model: AnyModel, property: string, search: TraceSearch = { kind: 'check' }): string {
  const bug = String(model.params.bug ?? 'none');
  const fp = new Uint32Array(2);
  fingerprint(JSON.stringify(model.params), fp);
  const params = fp[0].toString(16).padStart(8, '0').slice(0, 6);
  return fileName([model.name, variantOf(model.params), ...(bug === 'none' ? [] : [bug]), property, params, ...searchParts(search)]);
}
