/**
 * `check`: exhaustive exploration of a model configuration, and `models`: what can be checked.
 * Ctrl-C, SIGTERM or SIGHUP stops the run: the figures so far are printed with verdict `incomplete`.
 */
import { MODELS, buildModel, BuildRequest } from '../model/registry';
import { checkAsync, CheckResult, type SearchOrder, type Progress } from '../checker/check';
import { MIN_MAX_MEMORY, defaultMaxMemory, formatBytes, parseByteSize, type MemoryBound } from '../checker/memory';
import { fingerprintTableBytes } from '../checker/visited';
import { buildModelTrace } from '../checker/model-trace';
import { UsageError } from '../model/errors';
import { checkOutDir, saveTrace } from '../checker/files';
import { exitCodeWith } from './files';
import { modelTraceName } from '../checker/trace-name';
import { formatBugDefaults, type BugDescriptor } from '../model/descriptor';
import { renderModelTrace, formatParams } from '../text/steps';
import { renderTable } from '../text/table';
import { ProgressLine } from './progress';
import { replayLine } from './shell';
import { findTriangularRace, tsoLine } from '../checker/triangular-race';

export function runModels() {
  const json = MODELS.map((m) => ({ name: m.name, description: m.description, params: m.params, variants: m.variants, bugs: m.bugs }));
  const text = MODELS.map((m) =>
    [
      `${m.name}: ${m.description}`,
      `variants: ${m.variants.join(', ')}`,
      renderTable(
        ['parameter', 'default', 'range', 'description'],
        m.params.map((p) => [p.name, String(p.default), p.min !== undefined ? `${p.min}..${p.max}` : '', p.description]),
      ),
      renderTable(['bug', 'variants', 'runs by default with', 'expected', 'description'], m.bugs.map((b) => [b.name, b.variants.join(' '), bugConfigurations(b), b.expected, b.description])),
    ].join('\n'),
  ).join('\n\n');
  const note = 'A bug runs on its first variant unless --variant is given, with the parameters shown for that variant; --set and --scenario override them.';
  return { json, text: `${text}\n\n${note}`, exitCode: 0 };
}

/** A bug's default parameters per variant, variants with the same ones grouped. */
function bugConfigurations(b: BugDescriptor): string {
  const groups = new Map<string, string[]>();
  for (const v of b.variants) {
    const d = formatBugDefaults(b, v) || "the model's defaults";
    groups.set(d, [...(groups.get(d) ?? []), v]);
  }
  if (groups.size === 1) return [...groups.keys()][0];
  return [...groups].map(([d, vs]) => `${vs.join(' ')}: ${d}`).join('; ');
}

/** The x86-TSO pass's largest default time bound (seconds; `--tso-time` sets it outright). */
export const DEFAULT_TSO_SECONDS = 2;

export interface CheckCliOptions extends BuildRequest {
  model: string;
  strategy?: string;
  maxStates?: number;
  maxDepth?: number;
  reduction: boolean;
  /** Search the `eventually` properties (default true; `--no-liveness`: safety properties only). */
  liveness?: boolean;
  /** Worker threads of the safety pass (`--workers N`, default 1). */
  workers?: number;
  /** Time bound of the x86-TSO pass in seconds (`--tso-time`, default 2; 0: not run). */
  tsoSeconds?: number;
  store?: string;
  expectedStates?: number;
  linksOnDisk?: boolean;
  out: string;
  force: boolean;
  /** Show a progress line (a TTY, not --json). */
  progress: boolean;
  signal?: { aborted: boolean };
  /** `--max-memory SIZE` as given (default: `defaultMaxMemory()`). */
  maxMemory?: string;
  /** Also called with every progress report (tests; a SIGINT-like stop at a chosen phase). */
  onProgress?: (p: Progress) => void;
  progressIntervalMs?: number;
}

/**
 * The verdict a person gets: a `sometimes` property never reached is a failure too (the check
 * would be vacuous for it), reported as a violation of that property.
 */
export function verdictOf(r: CheckResult): { verdict: 'ok' | 'violation' | 'incomplete'; property: string | null } {
  if (r.verdict === 'ok' && r.unreached.length > 0) return { verdict: 'violation', property: r.unreached[0] };
  return { verdict: r.verdict, property: r.property };
}

/** What a `violation` verdict is about, in words (null for any other verdict): the property a
 *  counterexample violates, or the `sometimes` property never reached (no trace then). */
export function violationReason(r: CheckResult): string | null {
  const { verdict, property } = verdictOf(r);
  if (verdict !== 'violation') return null;
  if (r.property !== null) return `property ${property} violated`;
  const others = r.unreached.slice(1);
  return `sometimes property ${property} never reached` + (others.length ? ` (nor ${others.join(', ')})` : '');
}

/** File names of counterexamples: checker/trace-name.ts (shared with rmapcheck/vitest). */
export { modelTraceName } from '../checker/trace-name';


/** The documented JSON shape of `check --json`. */
function checkJson(model: ReturnType<typeof buildModel>, r: CheckResult, trace: string | null, traceLength: number | null, verdict: string, property: string | null, bound: MemoryBound) {
  return {
    model: model.name,
    params: model.params,
    verdict,
    property,
    states: r.states,
    transitions: r.transitions,
    maxDepth: r.maxDepth,
    seconds: r.seconds,
    statesPerSecond: Math.round(r.statesPerSecond),
    bytesPerState: Math.round(r.bytesPerState * 100) / 100,
    reduction: r.reduction,
    trace,
    traceLength,
    unreached: r.unreached,
    // after the documented fields: extras a script may use
    incompleteReason: r.incompleteReason,
    reason: violationReason(r),
    loopStart: r.loopStart,
    store: r.store,
    strategy: r.strategy,
    missedStateProbability: r.missedStateProbability,
    // memory (docs/json.md): the bound and where it comes from, whether it stopped the run, the
    // store's bytes (fixed cost apart from bytesPerState) and the peak of the run
    maxMemory: r.maxMemory,
    maxMemorySource: bound.source,
    memoryExhausted: r.memoryExhausted,
    memoryBytes: r.memoryBytes,
    fixedBytes: r.fixedBytes,
    peakMemoryBytes: r.peakMemoryBytes,
    // which pass an incomplete run stopped in, and the liveness pass's account
    safetyComplete: r.safetyComplete,
    incompletePhase: r.incompletePhase,
    liveness: r.liveness,
    engine: r.engine,
    workers: r.workers,
    workersNote: r.workersNote,
  };
}

/** The memory bound of a check: `--max-memory SIZE`, or the default (checker/memory.ts). */
export function maxMemoryOf(raw: string | undefined): MemoryBound {
  if (raw === undefined) return defaultMaxMemory();
  const bytes = parseByteSize(raw);
  if (bytes === null) throw new UsageError(`--max-memory ${raw}: not a size (bytes, or a number with K, M, G or T: 512M, 4G, 1.5G)`);
  if (bytes < MIN_MAX_MEMORY) throw new UsageError(`--max-memory ${raw}: below the ${formatBytes(MIN_MAX_MEMORY)} a check needs for its fixed structures`);
  return { bytes, source: '--max-memory' };
}

/** The progress line of a check: the traversal, then the liveness check on the graph it
 *  recorded (no second exploration: its figures are the graph's). */
export function checkProgressText(p: Progress): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const rate = `${n(Math.round(p.statesPerSecond))} states/s`;
  const memory = `memory ${formatBytes(p.memoryBytes)}`;
  if (p.phase === 'safety') return `safety: ${n(p.states)} states, ${rate}, depth ${p.maxDepth}, frontier ${n(p.frontier)}, ${memory}`;
  return `${p.phase}: on the recorded graph of ${n(p.states)} states and ${n(p.transitions)} edges, ${memory}`;
}

/** What to try when memory ran out, without what the run already used. */
function memoryAdvice(o: CheckCliOptions, r: CheckResult, bound: MemoryBound, graphRecorded: boolean): string {
  const tips: string[] = [];
  if (r.store === 'full') tips.push('--store fingerprint (about 16 bytes a state instead of the whole key)');
  else if (r.incompletePhase === 'safety') {
    if (o.expectedStates === undefined) tips.push('--expect-states N (the table sized once: a growth holds the old and the new table)');
    if (!o.linksOnDisk) tips.push('--links-on-disk (the counterexample links in a temporary file)');
  }
  if (r.strategy === 'bfs' && r.incompletePhase === 'safety') tips.push('--strategy dfs (its frontier is one path, not a whole BFS level)');
  if (graphRecorded) tips.push('--no-liveness (no graph recorded for the eventually properties; the symmetry reduction applies)');
  tips.push('a smaller bound (--max-states N, --max-depth N, or smaller --set values)');
  if (/V8's heap limit/.test(r.incompleteReason ?? '')) tips.push('a larger JS heap (NODE_OPTIONS=--max-old-space-size=MiB)');
  else tips.push(bound.source === '--max-memory' ? 'a larger --max-memory' : `--max-memory SIZE (the bound now: ${bound.source})`);
  return `to go further, try: ${tips.join('; ')}`;
}

/** The verdict cell's note: the reason, shortened for memory and for a stop in the liveness
 *  pass (the lines below the table say more). */
function incompleteNote(r: CheckResult): string {
  if (!r.incompleteReason) return '';
  if (r.memoryExhausted) return ` (out of memory${r.incompletePhase === 'liveness' ? ' in the liveness check' : ''})`;
  if (r.incompletePhase === 'liveness') return ` (${r.incompleteReason === 'aborted' ? 'aborted' : 'stopped'} in the liveness check)`;
  return ` (${r.incompleteReason})`;
}

/** The lines that explain an `incomplete` verdict: memory, or the pass that was stopped. */
function incompleteLines(o: CheckCliOptions, r: CheckResult, bound: MemoryBound, graphRecorded: boolean): string[] {
  const n = (x: number) => x.toLocaleString('en-US');
  const lines: string[] = [];
  const live = r.liveness;
  if (r.incompletePhase === 'liveness' && live) {
    const why = r.memoryExhausted ? 'memory ran out' : r.incompleteReason === 'aborted' ? 'interrupted' : 'stopped';
    const detail = r.memoryExhausted ? `: ${r.incompleteReason!.replace(/^memory: /, '')}` : r.incompleteReason === 'aborted' ? '' : `: ${r.incompleteReason}`;
    lines.push(
      `incomplete: ${why} during the liveness check (of ${live.stoppedIn ?? '?'}, on the recorded graph of ${n(live.states)} states, without the reduction)${detail}.`,
      `the safety pass had completed: no safety violation in ${n(r.states)} states. liveness: ${live.holds.length ? `${live.holds.join(', ')} hold${live.holds.length === 1 ? 's' : ''}; ` : ''}not decided: ${live.undecided.join(', ')}.`,
    );
  } else if (r.memoryExhausted) {
    lines.push(`incomplete: memory ran out during the safety pass: ${r.incompleteReason!.replace(/^memory: /, '')}; no violation found in the ${n(r.states)} states explored.`);
  } else lines.push('incomplete: the run stopped before exploring every state; no violation found so far.');
  if (r.memoryExhausted) lines.push(memoryAdvice(o, r, bound, graphRecorded));
  return lines;
}

/** The memory line: the store's bytes, per state and fixed apart (free table slots, the
 *  recent-fingerprint cache, the unfilled links chunk), the run's peak and the bound (where the
 *  bound comes from is in the JSON and, when memory ran out, in the advice). */
function memoryLine(r: CheckResult, bound: MemoryBound): string {
  const fixed = r.store === 'full' ? 'links chunk' : 'free table slots, caches';
  return (
    `memory: ${r.bytesPerState.toFixed(1)} bytes a state (${formatBytes(r.bytesPerState * r.states)}) + ${formatBytes(r.fixedBytes)} fixed (${fixed}) = ` +
    `${formatBytes(r.memoryBytes)}${r.liveness ? ` (+ ${formatBytes(r.liveness.bytes)} for the liveness graph)` : ''}; peak ${formatBytes(r.peakMemoryBytes)} of the ${formatBytes(bound.bytes)} bound (--max-memory)`
  );
}

export async function runCheck(o: CheckCliOptions) {
  if (o.strategy !== undefined && o.strategy !== 'bfs' && o.strategy !== 'dfs') throw new UsageError(`--strategy ${o.strategy}: expected bfs or dfs`);
  if (o.store !== undefined && o.store !== 'fingerprint' && o.store !== 'full') throw new UsageError(`--store ${o.store}: expected fingerprint or full`);
  if (o.store === 'full' && (o.expectedStates !== undefined || o.linksOnDisk))
    throw new UsageError(`--${o.linksOnDisk ? 'links-on-disk' : 'expect-states'} applies to the fingerprint store, not --store full`);
  const bound = maxMemoryOf(o.maxMemory);
  checkOutDir(o.out); // before the work: a run must not end in "cannot write"
  const model = buildModel(o.model, o);
  // a table sized up front must fit in the bound next to the run's fixed structures (with the
  // liveness graph, each slot also holds its state's index)
  const indexed = (o.liveness ?? true) && model.properties.some((p) => p.expectation === 'eventually');
  const tableBytes = o.expectedStates === undefined ? 0 : fingerprintTableBytes(o.expectedStates, indexed);
  if (o.expectedStates !== undefined && tableBytes > bound.bytes - MIN_MAX_MEMORY)
    throw new UsageError(
      `--expect-states ${o.expectedStates}: a fingerprint table for that many states needs ${formatBytes(tableBytes)}, ` +
        `over the memory bound of ${formatBytes(bound.bytes)} (${bound.source}); give fewer states or a larger --max-memory`,
    );
  const progress = o.progress ? new ProgressLine() : null;
  const r = await checkAsync(model, {
    strategy: (o.strategy ?? 'bfs') as SearchOrder,
    maxStates: o.maxStates,
    maxDepth: o.maxDepth,
    reduction: o.reduction,
    liveness: o.liveness ?? true,
    workers: o.workers,
    store: (o.store ?? 'fingerprint') as 'fingerprint' | 'full',
    expectedStates: o.expectedStates,
    linksOnDisk: o.linksOnDisk,
    maxMemory: bound.bytes,
    signal: o.signal,
    progressIntervalMs: o.progressIntervalMs,
    onProgress:
      progress || o.onProgress
        ? (p) => {
            progress?.update(checkProgressText(p));
            o.onProgress?.(p);
          }
        : undefined,
  });
  progress?.done();

  const { verdict, property } = verdictOf(r);
  let tracePath: string | null = null;
  let traceText = '';
  const writeErrors: string[] = [];
  if (r.path && r.property) {
    const trace = buildModelTrace(model, r.path, r.property, { loopStart: r.loopStart });
    tracePath = saveTrace(o.out, modelTraceName(model, r.property, { kind: 'check', strategy: o.strategy, reduction: o.reduction, maxDepth: o.maxDepth }), trace, o.force, writeErrors);
    traceText = renderModelTrace(trace);
  }
  // x86-TSO (issue #13): the SC verdicts hold there when no triangular race exists. The pass
  // runs the model itself (store buffers in the state), so it has its own small time bound: a
  // large configuration is "not judged" rather than a check that takes twice as long.
  // Its default bound follows the check's own time (a quarter second at least, DEFAULT_TSO_SECONDS
  // at most); an incomplete check is not judged (its space is beyond the bound already).
  const tsoSeconds = o.tsoSeconds ?? Math.min(DEFAULT_TSO_SECONDS, Math.max(0.25, r.seconds));
  const tsoSkipped = o.signal?.aborted ? 'the run was interrupted' : tsoSeconds === 0 ? '--tso-time 0' : r.verdict === 'incomplete' ? 'the check is incomplete' : null;
  const tso = tsoSkipped !== null ? null : findTriangularRace(model, { maxMs: tsoSeconds * 1000 });
  // a trace not written leaves `trace` null and says why (the key only then: the shape is pinned)
  const json = { ...checkJson(model, r, tracePath, r.path ? r.path.length - 1 : null, verdict, property, bound), tso, ...(writeErrors.length ? { writeErrors } : {}) };
  const lines = [
    `check ${model.name} ${formatParams(model.params)}`,
    '',
    renderTable(
      ['verdict', 'states', 'transitions', 'max depth', 'seconds', 'states/s', 'bytes/state', 'reduction'],
      [[
        verdict + incompleteNote(r),
        r.states.toLocaleString('en-US'),
        r.transitions.toLocaleString('en-US'),
        String(r.maxDepth),
        r.seconds.toFixed(3),
        Math.round(r.statesPerSecond).toLocaleString('en-US'),
        r.bytesPerState.toFixed(1),
        r.reduction.kind === 'none' ? 'off' : `${r.reduction.kind} x${r.reduction.factor?.toFixed(2) ?? '?'}`,
      ]],
    ),
  ];
  if (r.store === 'fingerprint') lines.push(`probability that a fingerprint collision hid a state: ${r.missedStateProbability.toExponential(2)}`);
  lines.push(memoryLine(r, bound));
  lines.push(tso !== null ? tsoLine(tso) : `x86-TSO: not judged (${tsoSkipped})`);
  if ((o.workers ?? 1) > 1) lines.push(r.workersNote === null ? `workers: ${r.workers} threads over one shared store` : `workers: 1 (${r.workersNote})`);
  // a table sized far beyond the space: say so (it costs address space of the bound, though
  // the OS maps its pages only as slots fill)
  if (o.expectedStates !== undefined && r.safetyComplete && o.expectedStates >= 10 * Math.max(r.states, 1))
    lines.push(
      `note: --expect-states ${o.expectedStates.toLocaleString('en-US')} sized the fingerprint table for that many states ` +
        `(${formatBytes(fingerprintTableBytes(o.expectedStates, indexed))} of the memory bound), but the space has ${r.states.toLocaleString('en-US')} states`,
    );
  if (r.unreached.length)
    lines.push(
      verdict === 'violation' && r.property === null
        ? `violation: ${violationReason(r)}: no reachable state satisfies it, so the check would be vacuous for it (no trace: there is no path to show)`
        : `sometimes properties never reached (the check is vacuous for them): ${r.unreached.join(', ')}`,
    );
  if (traceText) lines.push('', `counterexample (${r.path!.length - 1} steps):`, traceText, '', tracePath ? replayLine(tracePath) : `trace not written: ${writeErrors[0]}`);
  if (o.liveness === false && model.properties.some((p) => p.expectation === 'eventually'))
    lines.push(`liveness: not checked (--no-liveness): ${model.properties.filter((p) => p.expectation === 'eventually').map((p) => p.name).join(', ')}`);
  if (verdict === 'incomplete') lines.push('', ...incompleteLines(o, r, bound, indexed));
  return { json, text: lines.join('\n'), exitCode: exitCodeWith(verdict === 'violation' ? 1 : 0, writeErrors), writeErrors };
}
