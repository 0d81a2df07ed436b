/**
 * What `conform` is given and what it gives back, in both modes (cli/conform.ts, the sequential
 * mode and the command; cli/conform-concurrent.ts, the concurrent mode; cli/conform-trace.ts,
 * replay, view and minimize of their traces).
 */

export interface ConformCliOptions {
  /** The adapter and other translation units; default: rmapcheck's own implementation. */
  impl?: string[];
  /** -I directories. */
  include?: string[];
  /** -D definitions, e.g. CONFIG_ATOMIC_SEQCOUNT_VARIANT=2. */
  define?: string[];
  cc?: string;
  mode?: string;
  /** Concurrent mode's schedule strategy (random, pct, race, dfs). */
  strategy?: string;
  /** Only this folio order (default: every order 2..15 the adapter handles). */
  order?: string | number;
  runs?: string | number;
  time?: string | number;
  seed?: string | number | bigint;
  /** The runtime's per-operation time limit in ms (default 1000). */
  stepLimit?: string | number;
  /** Directory for the trace (default rmapcheck-out). */
  out?: string;
  force?: boolean;
}

export interface ConformOutcome {
  json: unknown;
  text: string;
  exitCode: number;
  /** Files that could not be written (the verdict stands; exit code 2). */
  writeErrors?: string[];
}
