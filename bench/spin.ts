/**
 * rmapcheck against SPIN, measured in the same run (issue #11, "Speed and memory"): the same
 * seqcount configurations, SPIN 6.5.2 (`gcc -O2 -DSAFETY`) on the Promela peers in
 * ../shared/peers/spin/ and the whole `rmapcheck check` command a user runs, both timed as whole
 * processes (start-up included) with SPIN's compile left out. The runs alternate, SPIN then each
 * rmapcheck mode, so the VM's speed drift (up to 2x) falls on both sides alike.
 *
 * Run alone: `node -r ts-node/register/transpile-only bench/spin.ts [--quick] [--runs N] [--json]`.
 * The parsing and command-building functions are pure and tested (test/bench/spin.test.ts);
 * no test asserts a time.
 */
import { spawnSync } from 'child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'fs';
import { cpus, loadavg, tmpdir } from 'os';
import { join, resolve } from 'path';
import * as ts from 'typescript';
import { renderTable } from '../text/table';
import { median } from './median';

/** The repository's root (bench/ is one level down). */
export const ROOT = resolve(__dirname, '..');

/** SPIN's init process adds two states of its own to the protocol's (the peers' README). */
export const SPIN_EXTRA_STATES = 2;

/** pan's DFS depth bound (`-m`); the peers' README uses this one; the spaces here reach < 200. */
export const PAN_DEPTH = 1_000_000;

export const GOAL_STARTUP_SECONDS = 0.5;
export const GOAL_WORKERS_SPEEDUP = 1.6;
export const GOAL_DEFAULT_RATIO = 1.0;
export const GOAL_BYTES_PER_STATE = 16;

export interface SpinConfig {
  readonly variant: 'v1' | 'v2' | 'v3';
  readonly writers: number;
  readonly readers: number;
  readonly counters: number;
  readonly ops: number;
  /** Default number of timed runs of each side. */
  readonly runs: number;
  /** The issue's goal for `check --no-liveness` against SPIN (SPIN seconds / rmapcheck seconds). */
  readonly goalNoLiveness: number;
  /** Skipped under `--quick`. */
  readonly slow: boolean;
}

/** The issue's two configurations: 5,193,372 and 35,966,679 distinct states. */
export const SPIN_CONFIGS: readonly SpinConfig[] = [
  { variant: 'v1', writers: 3, readers: 1, counters: 3, ops: 2, runs: 5, goalNoLiveness: 2.0, slow: false },
  { variant: 'v1', writers: 3, readers: 2, counters: 3, ops: 1, runs: 3, goalNoLiveness: 3.0, slow: true },
];

export function configName(c: Pick<SpinConfig, 'variant' | 'writers' | 'readers' | 'counters' | 'ops'>): string {
  return `seqcount ${c.variant.toUpperCase()} W=${c.writers} R=${c.readers} K=${c.counters} OPS=${c.ops}`;
}

/** `spin -a`: generates pan.c in the working directory from the variant's model. */
export function spinCommand(c: Pick<SpinConfig, 'variant' | 'writers' | 'readers' | 'counters' | 'ops'>): string[] {
  return ['spin', `-DW=${c.writers}`, `-DR=${c.readers}`, `-DK=${c.counters}`, `-DOPS=${c.ops}`, '-a', `${c.variant}.pml`];
}

/** Safety only (no cycle detection), as the issue's figures: the comparison is with `-DSAFETY`. */
export const GCC_COMMAND: readonly string[] = ['gcc', '-O2', '-DSAFETY', '-o', 'pan', 'pan.c'];

export function panCommand(depth = PAN_DEPTH): string[] {
  return ['./pan', `-m${depth}`];
}

/**
 * The rmapcheck side: `no-liveness` (the safety pass), `default` (safety and liveness, as
 * `check` runs by default) and `workers-2` (the safety pass on two workers). `--no-reduction`
 * in all of them, as SPIN has no symmetry reduction and the spaces must be alike.
 */
export type RmapMode = 'no-liveness' | 'default' | 'workers-2';

export const MODE_LABELS: Readonly<Record<RmapMode, string>> = {
  'no-liveness': '--no-liveness',
  default: 'default (safety + liveness)',
  'workers-2': '--no-liveness --workers 2',
};

/**
 * The arguments after `node bin/rmapcheck.js`. With `workers` (the CLI knows `--workers`), the
 * one-core modes say `--workers 1` so that a default of more workers cannot change what they time.
 */
export function rmapcheckArgs(c: Pick<SpinConfig, 'variant' | 'writers' | 'readers' | 'counters' | 'ops'>, mode: RmapMode, workers: boolean): string[] {
  const args = ['check', '--model', 'seqcount', '--variant', c.variant];
  args.push('--set', `writers=${c.writers}`, '--set', `readers=${c.readers}`, '--set', `counters=${c.counters}`, '--set', `ops=${c.ops}`);
  args.push('--no-reduction');
  if (mode !== 'default') args.push('--no-liveness');
  if (mode === 'workers-2') args.push('--workers', '2');
  else if (workers) args.push('--workers', '1');
  args.push('--json');
  return args;
}

/** Whether `check --help` offers `--workers` (the option is being added). */
export function supportsWorkers(checkHelp: string): boolean {
  return /(^|\s)--workers\b/m.test(checkHelp);
}

export interface PanOutput {
  readonly statesStored: number;
  readonly statesMatched: number;
  readonly transitions: number;
  /** pan prints counts with 8 significant digits (`%9.8g`): from 10^8 on they are rounded. */
  readonly countsExact: boolean;
  readonly errors: number;
  readonly depthReached: number;
  readonly stateVectorBytes: number;
  /** "total actual memory usage", in MB (2^20 bytes). */
  readonly memoryMegabytes: number | null;
  /** pan's own "elapsed time" (seconds, 3 significant digits). */
  readonly elapsedSeconds: number | null;
  /** False when pan stopped early (an error, the depth bound, out of memory). */
  readonly complete: boolean;
  /** Why it is not complete, pan's words. */
  readonly problems: readonly string[];
}

const NUM = String.raw`(\d+(?:\.\d+)?(?:e[+-]?\d+)?)`;

function field(text: string, re: RegExp, what: string): number {
  const m = re.exec(text);
  if (!m) throw new Error(`pan output: no ${what} line`);
  return Number(m[1]);
}

/** The figures of one `./pan` run's output (SPIN 6.5's summary format). */
export function parsePanOutput(text: string): PanOutput {
  const statesStored = field(text, new RegExp(`^\\s*${NUM} states, stored`, 'm'), '"states, stored"');
  const statesMatched = field(text, new RegExp(`^\\s*${NUM} states, matched`, 'm'), '"states, matched"');
  const transitions = field(text, new RegExp(`^\\s*${NUM} transitions \\(`, 'm'), '"transitions"');
  const head = /State-vector (\d+) byte, depth reached (\d+), errors: (\d+)/.exec(text);
  if (!head) throw new Error('pan output: no "State-vector ..., errors: N" line');
  const memory = new RegExp(`^\\s*${NUM}\\s+total actual memory usage`, 'm').exec(text);
  const elapsed = new RegExp(`^pan: elapsed time ${NUM} seconds`, 'm').exec(text);
  const problems: string[] = [];
  for (const p of [/^Warning: Search not completed$/m, /^error: max search depth too small$/m, /^pan: out of memory.*$/m, /^pan:\d+: .*$/m]) {
    const m = p.exec(text);
    if (m) problems.push(m[0].trim());
  }
  const errors = Number(head[3]);
  const countsExact = ![statesStored, statesMatched, transitions].some((n) => n >= 1e8);
  return {
    statesStored,
    statesMatched,
    transitions,
    countsExact,
    errors,
    depthReached: Number(head[2]),
    stateVectorBytes: Number(head[1]),
    memoryMegabytes: memory ? Number(memory[1]) : null,
    elapsedSeconds: elapsed ? Number(elapsed[1]) : null,
    complete: problems.length === 0 && errors === 0,
    problems,
  };
}

export interface RmapOutcome {
  readonly verdict: string;
  readonly states: number;
  readonly transitions: number;
  readonly memoryBytes: number | null;
  /** The check's own seconds (its search, without the process's start-up), if reported. */
  readonly seconds: number | null;
}

/** The figures of one `rmapcheck check --json` run. */
export function parseRmapcheckJson(text: string): RmapOutcome {
  let j: Record<string, unknown>;
  try {
    j = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new Error(`rmapcheck --json: not JSON: ${JSON.stringify(text.trim().split('\n')[0] ?? '').slice(0, 120)}`);
  }
  const { verdict, states, transitions, memoryBytes, seconds } = j;
  if (typeof verdict !== 'string' || typeof states !== 'number' || typeof transitions !== 'number')
    throw new Error('rmapcheck --json: no verdict, states or transitions');
  const orNull = (x: unknown) => (typeof x === 'number' ? x : null);
  return { verdict, states, transitions, memoryBytes: orNull(memoryBytes), seconds: orNull(seconds) };
}

/** null when SPIN's "states, stored" is rmapcheck's count + 2, else what is wrong, to print loudly. */
export function stateCountMismatch(config: string, spinStored: number, rmapStates: number, mode: string): string | null {
  const expected = rmapStates + SPIN_EXTRA_STATES;
  // from 10^8 on pan prints 8 significant digits: compare at that precision
  if (spinStored === (spinStored >= 1e8 ? Number(expected.toPrecision(8)) : expected)) return null;
  return (
    `MISMATCH ${config}: SPIN stored ${spinStored.toLocaleString('en-US')} states, rmapcheck (${mode}) ` +
    `${rmapStates.toLocaleString('en-US')} (+ ${SPIN_EXTRA_STATES} = ${(rmapStates + SPIN_EXTRA_STATES).toLocaleString('en-US')}): ` +
    `the two models explore different spaces`
  );
}

/** null when the two runs' verdict, states and transitions are the same, else the difference. */
export function workersDifference(one: RmapOutcome, two: RmapOutcome): string | null {
  const diffs = (['verdict', 'states', 'transitions'] as const).filter((k) => one[k] !== two[k]).map((k) => `${k} ${one[k]} vs ${two[k]}`);
  return diffs.length ? diffs.join(', ') : null;
}

export interface Timing {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly seconds: readonly number[];
}

export function summarize(seconds: readonly number[]): Timing {
  if (seconds.length === 0) throw new Error('summarize: no runs');
  return { median: median(seconds), min: Math.min(...seconds), max: Math.max(...seconds), seconds: [...seconds] };
}

/** SPIN's time over rmapcheck's: above 1, rmapcheck is faster. */
export function speedRatio(spinSeconds: number, rmapSeconds: number): number {
  return spinSeconds / rmapSeconds;
}

export interface BenchArgs {
  readonly quick: boolean;
  /** Runs of every configuration (default: each configuration's own). */
  readonly runs: number | null;
  readonly json: boolean;
  /** Skip `npm run build` even if dist/ is older than the sources. */
  readonly noBuild: boolean;
}

/** `--quick`, `--runs N`, `--json`, `--no-build`; other arguments (run.ts's own) are left alone. */
export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  let runs: number | null = null;
  const at = argv.indexOf('--runs');
  if (at >= 0) {
    const raw = argv[at + 1] ?? '';
    if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 1000) throw new Error(`--runs ${raw}: not an integer in 1..1000`);
    runs = Number(raw);
  }
  return { quick: argv.includes('--quick'), runs, json: argv.includes('--json'), noBuild: argv.includes('--no-build') };
}

// ---------------------------------------------------------------------------------------------
// The runs (processes, files)

export interface TimedRun {
  readonly seconds: number;
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly error: string | null;
}

/** One whole process, wall time from spawn to exit. */
export function runTimed(cmd: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): TimedRun {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { seconds, code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', error: r.error ? r.error.message : null };
}

function firstLine(r: TimedRun): string {
  return r.error ?? (r.stderr.trim().split('\n')[0] || r.stdout.trim().split('\n').pop() || `exit ${r.code}`);
}

/** SPIN's version line, installing the Debian package `spin` if `spin` is not on PATH; or why not. */
export function ensureSpin(env: NodeJS.ProcessEnv = process.env): { ok: true; version: string; installed: boolean } | { ok: false; message: string } {
  const version = () => {
    const r = spawnSync('spin', ['-V'], { env, encoding: 'utf8' });
    return r.error || r.status !== 0 ? null : r.stdout.trim();
  };
  const v = version();
  if (v) return { ok: true, version: v, installed: false };
  const r = spawnSync('apt-get', ['install', '-y', 'spin'], { env: { ...env, DEBIAN_FRONTEND: 'noninteractive' }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const after = r.error || r.status !== 0 ? null : version();
  if (after) return { ok: true, version: after, installed: true };
  const why = r.error ? r.error.message : (r.stderr.trim().split('\n').pop() ?? `exit ${r.status}`);
  return { ok: false, message: `SPIN is not installed and \`apt-get install -y spin\` failed (${why}): the SPIN ratios are skipped` };
}

/** The Promela peers' folder (../shared/peers/spin from the repository root), or null. */
export function findSpinModels(root = ROOT): string | null {
  const dir = resolve(root, '..', 'shared', 'peers', 'spin');
  return existsSync(join(dir, 'v1.pml')) ? dir : null;
}

/** The files tsconfig.build.json compiles (TypeScript's own reading of it), or null if it cannot be read. */
function buildSources(root: string): { files: string[]; buildInfo: string | null } | null {
  const config = join(root, 'tsconfig.build.json');
  let unreadable = false;
  const host = { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => (unreadable = true) };
  const parsed = existsSync(config) ? ts.getParsedCommandLineOfConfigFile(config, {}, host) : undefined;
  if (!parsed || unreadable) return null;
  return { files: parsed.fileNames.filter((f) => !f.endsWith('.d.ts')), buildInfo: parsed.options.tsBuildInfoFile ?? null };
}

/**
 * Builds dist/ (`npm run build`) when dist/cli/main.js is missing or older than a source that
 * tsconfig.build.json compiles, so that the bin (which runs dist/) times today's code. An
 * incremental build leaves an unchanged output's time alone, so its build-info file (written on
 * every build that compiled something) counts as dist/'s time too.
 * Returns what it did, or null when dist/ was up to date.
 */
export function ensureBuilt(root = ROOT): string | null {
  const main = join(root, 'dist', 'cli', 'main.js');
  const sources = buildSources(root);
  const mtime = (f: string) => (existsSync(f) ? statSync(f).mtimeMs : 0);
  const newest = sources ? Math.max(0, ...sources.files.map(mtime)) : Infinity;
  const built = existsSync(main) ? Math.max(mtime(main), sources?.buildInfo ? mtime(sources.buildInfo) : 0) : -1;
  if (built >= newest) return null;
  const why = existsSync(main) ? 'dist/ was older than the sources' : 'dist/ was missing';
  const r = runTimed('npm', ['run', 'build'], root);
  if (r.code === 0) return `${why}: built it (npm run build, ${r.seconds.toFixed(1)} s)`;
  // tsc prints its errors on stdout, npm its own on stderr: the first error line says most
  const error = `${r.stdout}\n${r.stderr}`.split('\n').find((l) => /error/i.test(l))?.trim();
  return `${why} and npm run build failed (${error ?? firstLine(r)}); the bench times the dist/ there is`;
}

export interface SpinSide {
  readonly commands: { readonly spin: string; readonly gcc: string; readonly pan: string };
  readonly time: Timing;
  readonly pan: PanOutput;
}

export interface ModeResult {
  readonly mode: RmapMode;
  readonly label: string;
  readonly command: string;
  readonly time: Timing | null;
  readonly outcome: RmapOutcome | null;
  readonly error: string | null;
  /** SPIN seconds / rmapcheck seconds (medians). */
  readonly speedRatio: number | null;
  readonly goal: number | null;
  /** workers-2 only: the 1-worker safety pass's median over this one's. */
  readonly speedupVsOneWorker: number | null;
  /** workers-2 only: null when verdict, states and transitions equal the 1-worker run's. */
  readonly differenceFromOneWorker: string | null;
  readonly bytesPerState: number | null;
}

export interface ConfigResult {
  readonly config: string;
  readonly params: { variant: string; writers: number; readers: number; counters: number; ops: number };
  readonly runs: number;
  readonly spin: SpinSide | null;
  readonly spinError: string | null;
  readonly modes: readonly ModeResult[];
}

export interface SpinReport {
  readonly node: string;
  readonly cpus: number;
  readonly loadAverageBefore: number;
  readonly loadAverageAfter: number;
  readonly spinVersion: string | null;
  readonly workersSupported: boolean;
  /** One-line notes: a build, a skip, SPIN installed. */
  readonly notes: readonly string[];
  /** Loud lines: a state-count mismatch, workers that disagree, a run that failed. */
  readonly problems: readonly string[];
  readonly startup: Timing | null;
  readonly configs: readonly ConfigResult[];
}

/** Copies the read-only peers into `dir`, runs spin -a and gcc there (not timed). */
export function preparePan(models: string, c: Pick<SpinConfig, 'variant' | 'writers' | 'readers' | 'counters' | 'ops'>, dir: string): string | null {
  mkdirSync(dir, { recursive: true });
  cpSync(models, dir, { recursive: true, filter: (src) => src === models || src.endsWith('.pml') });
  for (const cmd of [spinCommand(c), [...GCC_COMMAND]]) {
    const r = runTimed(cmd[0], cmd.slice(1), dir);
    if (r.code !== 0) return `${cmd.join(' ')} failed: ${firstLine(r)}`;
  }
  return null;
}

export interface BenchSpinOptions extends Partial<BenchArgs> {
  readonly root?: string;
  /** Progress lines (stderr by default; the table comes at the end). */
  readonly log?: (line: string) => void;
  readonly configs?: readonly SpinConfig[];
}

export function benchSpin(options: BenchSpinOptions = {}): SpinReport {
  const root = options.root ?? ROOT;
  const log = options.log ?? ((l: string) => process.stderr.write(`bench spin: ${l}\n`));
  const notes: string[] = [];
  const problems: string[] = [];
  const loadAverageBefore = loadavg()[0];
  if (!options.noBuild) {
    const built = ensureBuilt(root);
    if (built) notes.push(built);
  }
  const spin = ensureSpin();
  if (!spin.ok) notes.push(spin.message);
  else if (spin.installed) notes.push(`installed SPIN (apt-get install -y spin): ${spin.version}`);
  const models = findSpinModels(root);
  if (!models) notes.push(`the SPIN models (${resolve(root, '..', 'shared', 'peers', 'spin')}) are missing: the SPIN ratios are skipped`);
  const withSpin = spin.ok && models !== null;

  const bin = join(root, 'bin', 'rmapcheck.js');
  const rmap = (args: readonly string[]) => runTimed(process.execPath, [bin, ...args], root);
  const help = rmap(['check', '--help']);
  const workers = supportsWorkers(help.stdout);
  if (!workers) notes.push('check has no --workers yet: the 2-worker row is skipped');

  const runsOf = (c: SpinConfig) => options.runs ?? c.runs;
  const startupTimes: number[] = [];
  for (let i = 0; i < (options.runs ?? 5); i++) {
    const r = rmap(['--version']);
    if (r.code !== 0) {
      problems.push(`rmapcheck --version failed: ${firstLine(r)}`);
      break;
    }
    startupTimes.push(r.seconds);
  }

  const work = withSpin ? mkdtempSync(join(tmpdir(), 'rmapcheck-bench-spin-')) : null;
  const configs: ConfigResult[] = [];
  try {
    for (const c of (options.configs ?? SPIN_CONFIGS).filter((c) => !(options.quick && c.slow))) {
      const name = configName(c);
      const runs = runsOf(c);
      const modes: RmapMode[] = workers ? ['no-liveness', 'default', 'workers-2'] : ['no-liveness', 'default'];
      let spinError: string | null = withSpin ? null : 'skipped';
      const dir = work ? join(work, `w${c.writers}r${c.readers}k${c.counters}ops${c.ops}`) : '';
      if (withSpin) {
        log(`${name}: spin -a, gcc (not timed)`);
        spinError = preparePan(models!, c, dir);
      }
      const panTimes: number[] = [];
      let pan: PanOutput | null = null;
      const times = new Map<RmapMode, number[]>(modes.map((m) => [m, []]));
      const outcomes = new Map<RmapMode, RmapOutcome>();
      const errors = new Map<RmapMode, string>();
      for (let i = 0; i < runs; i++) {
        if (spinError === null) {
          log(`${name}: run ${i + 1}/${runs}: ${panCommand().join(' ')}`);
          const r = runTimed(panCommand()[0], panCommand().slice(1), dir);
          try {
            if (r.code !== 0) throw new Error(`${panCommand().join(' ')} exited ${r.code}: ${firstLine(r)}`);
            const p = parsePanOutput(r.stdout);
            if (pan && p.statesStored !== pan.statesStored) throw new Error(`pan stored ${p.statesStored} states, the run before ${pan.statesStored}`);
            pan = p;
            panTimes.push(r.seconds);
          } catch (e) {
            spinError = (e as Error).message;
          }
        }
        for (const m of modes) {
          if (errors.has(m)) continue;
          log(`${name}: run ${i + 1}/${runs}: rmapcheck ${MODE_LABELS[m]}`);
          const r = rmap(rmapcheckArgs(c, m, workers));
          try {
            const o = parseRmapcheckJson(r.stdout);
            const before = outcomes.get(m);
            if (before && (before.states !== o.states || before.verdict !== o.verdict)) throw new Error(`run ${i + 1}: ${o.verdict}, ${o.states} states; the run before: ${before.verdict}, ${before.states}`);
            outcomes.set(m, o);
            times.get(m)!.push(r.seconds);
          } catch (e) {
            errors.set(m, `${(e as Error).message}${r.stderr.trim() ? ` (stderr: ${r.stderr.trim().split('\n')[0]})` : ''}`);
          }
        }
      }
      const spinSide: SpinSide | null =
        spinError === null && pan
          ? {
              commands: { spin: spinCommand(c).join(' '), gcc: GCC_COMMAND.join(' '), pan: panCommand().join(' ') },
              time: summarize(panTimes),
              pan,
            }
          : null;
      if (spinError !== null && spinError !== 'skipped') problems.push(`${name}: SPIN: ${spinError}`);
      if (spinSide && !spinSide.pan.complete) problems.push(`${name}: SPIN's search is not complete: ${spinSide.pan.problems.join('; ') || `errors: ${spinSide.pan.errors}`}`);
      const oneWorker = outcomes.get('no-liveness');
      const results: ModeResult[] = modes.map((m) => {
        const t = times.get(m)!;
        const time = t.length ? summarize(t) : null;
        const outcome = outcomes.get(m) ?? null;
        const error = errors.get(m) ?? null;
        if (error) problems.push(`${name}: rmapcheck ${MODE_LABELS[m]}: ${error}`);
        if (outcome && outcome.verdict !== 'ok') problems.push(`${name}: rmapcheck ${MODE_LABELS[m]}: verdict ${outcome.verdict} (expected ok)`);
        if (outcome && spinSide) {
          const mismatch = stateCountMismatch(name, spinSide.pan.statesStored, outcome.states, MODE_LABELS[m]);
          if (mismatch) problems.push(mismatch);
        }
        const oneTime = times.get('no-liveness')!;
        const workersRow = m === 'workers-2' && time && oneTime.length > 0 && oneWorker && outcome;
        const difference = workersRow ? workersDifference(oneWorker, outcome) : null;
        if (difference) problems.push(`${name}: --workers 2 differs from 1 worker: ${difference}`);
        return {
          mode: m,
          label: MODE_LABELS[m],
          command: `node bin/rmapcheck.js ${rmapcheckArgs(c, m, workers).join(' ')}`,
          time,
          outcome,
          error,
          speedRatio: spinSide && time ? speedRatio(spinSide.time.median, time.median) : null,
          goal: m === 'default' ? GOAL_DEFAULT_RATIO : m === 'no-liveness' ? c.goalNoLiveness : null,
          speedupVsOneWorker: workersRow ? median(oneTime) / time.median : null,
          differenceFromOneWorker: difference,
          bytesPerState: outcome && outcome.memoryBytes !== null && outcome.states > 0 ? outcome.memoryBytes / outcome.states : null,
        };
      });
      configs.push({ config: name, params: { variant: c.variant, writers: c.writers, readers: c.readers, counters: c.counters, ops: c.ops }, runs, spin: spinSide, spinError, modes: results });
    }
  } finally {
    if (work) rmSync(work, { recursive: true, force: true });
  }
  return {
    node: process.version,
    cpus: cpus().length,
    loadAverageBefore,
    loadAverageAfter: loadavg()[0],
    spinVersion: spin.ok ? spin.version : null,
    workersSupported: workers,
    notes,
    problems,
    startup: startupTimes.length ? summarize(startupTimes) : null,
    configs,
  };
}

// ---------------------------------------------------------------------------------------------
// The table

const s = (x: number) => x.toFixed(2);
const spread = (t: Timing) => `${s(t.median)} (${s(t.min)}..${s(t.max)})`;
const ratio = (x: number) => `${x.toFixed(2)}x`;
const count = (n: number) => n.toLocaleString('en-US');

/** The ratio table and the notes and problems around it, as `npm run bench` prints them. */
export function renderSpinReport(r: SpinReport): string {
  const rows: string[][] = [];
  for (const c of r.configs)
    for (const m of c.modes) {
      const met =
        m.mode === 'workers-2'
          ? m.speedupVsOneWorker === null ? '' : m.speedupVsOneWorker >= GOAL_WORKERS_SPEEDUP ? 'yes' : 'no'
          : m.speedRatio === null || m.goal === null ? '' : m.speedRatio >= m.goal ? 'yes' : 'no';
      rows.push([
        c.config,
        c.spin ? spread(c.spin.time) : c.spinError === 'skipped' ? 'skipped' : 'failed',
        m.label,
        m.time ? spread(m.time) : 'failed',
        m.speedRatio === null ? '' : ratio(m.speedRatio),
        m.mode === 'workers-2'
          ? `${m.speedupVsOneWorker === null ? '?' : ratio(m.speedupVsOneWorker)} vs 1 worker (goal ${ratio(GOAL_WORKERS_SPEEDUP)}), ${m.differenceFromOneWorker === null ? 'identical counts' : 'COUNTS DIFFER'}`
          : m.goal === null ? '' : `>= ${ratio(m.goal)}`,
        met,
        `${c.spin ? count(c.spin.pan.statesStored) : '-'} / ${m.outcome ? count(m.outcome.states) : '-'}`,
        m.bytesPerState === null ? '' : m.bytesPerState.toFixed(1),
      ]);
    }
  if (r.startup)
    rows.push(['start-up', '', 'rmapcheck --version', spread(r.startup), '', `< ${GOAL_STARTUP_SECONDS} s`, r.startup.median < GOAL_STARTUP_SECONDS ? 'yes' : 'no', '', '']);
  const runs = r.configs.map((c) => `${c.runs} runs of ${c.config}`).join(', ');
  const out = [
    `SPIN: ${r.spinVersion ?? 'not run'}; spin -DW= -DR= -DK= -DOPS= -a v1.pml, ` +
      `${GCC_COMMAND.join(' ')} (not timed), ${panCommand().join(' ')}. rmapcheck: node bin/rmapcheck.js check ... --no-reduction --json (SPIN has no symmetry reduction).`,
    `Whole-process wall seconds, median (min..max) over ${runs || 'no runs'}, SPIN and rmapcheck alternating; load average ${r.loadAverageBefore.toFixed(1)} -> ${r.loadAverageAfter.toFixed(1)} on ${r.cpus} cores.`,
    `ratio = SPIN s / rmapcheck s (> 1: rmapcheck is faster); states: SPIN's "states, stored" / rmapcheck's (SPIN's init adds ${SPIN_EXTRA_STATES}); ` +
      `bytes/state: rmapcheck's memoryBytes / states [goal <= ${GOAL_BYTES_PER_STATE}].`,
    ...r.notes.map((n) => `note: ${n}`),
    renderTable(['configuration', 'SPIN s', 'rmapcheck mode', 'rmapcheck s', 'ratio', 'goal', 'met', 'states SPIN / rmapcheck', 'bytes/state'], rows),
    ...r.problems.map((p) => (p.startsWith('MISMATCH') ? `!!! ${p}` : `!!! problem: ${p}`)),
  ];
  return out.join('\n');
}

if (require.main === module) {
  let args: BenchArgs;
  try {
    args = parseBenchArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`bench: ${(e as Error).message}\n`);
    process.exit(2);
  }
  const report = benchSpin(args);
  console.log(args.json ? JSON.stringify(report, null, 2) : renderSpinReport(report));
  if (report.problems.length) process.exitCode = 1;
}
