/**
 * The `rmapcheck` command line: a thin layer over the library. Exit codes everywhere:
 * 0 nothing wrong found, 1 a violation or refutation found (or reproduced), 2 bad input or usage.
 */
import { Command, CommanderError } from 'commander';
import { UsageError } from '../model/errors';
import { TOOL_VERSION } from '../model/version';
import { PRESETS, ordersOf, schemeToJson } from '../model/scheme';
import { loadSchemeSet } from '../model/scheme-file';
import { subIdTable } from '../model/subid';
import { runProve, renderProve, proveExitCode } from './report-prove';
import { runReplay } from './replay';
import { runAudit } from './audit';
import { renderTable } from './table';
import { runModels, runCheck } from './check';
import { parseSets } from '../model/registry';
import { interruptible, plainInterrupt } from './interrupt';
import { intOption } from './options';
import { MAX_EXPECTED_STATES } from '../checker/visited';
import { ProgressLine, progressWanted } from './progress';
import { runExplore, runMinimize, runMerge } from './explore';
import { runView } from './view';
import { writeAuditReport } from './report-audit';

/** Output sinks, replaceable in tests. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

const processIo: Io = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : t + '\n'),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : t + '\n'),
};

function json(io: Io, value: unknown): void {
  io.out(JSON.stringify(value, null, 2));
}

/** The options that choose a model configuration (check, explore). */
function withModelOptions(command: Command): Command {
  return command
    .requiredOption('--model <NAME>', 'seqcount or rmap')
    .option('--variant <V>', 'protocol variant (seqcount: v1|v2|v3; rmap: its seqcount variant)')
    .option('--bug <NAME>', 'a deliberately broken variant')
    .option('--set <key=value>', 'a model parameter (repeatable)', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('--scenario <FILE|PRESET>', 'rmap scenario (preset name or JSON file)');
}

/** Commands that take a Ctrl-C signal and still report what they found. */
const LONG_RUNS = new Set(['check', 'explore', 'audit']);


function buildProgram(io: Io, setExit: (code: number) => void): Command {
  /** Prints a runner's outcome as JSON or text and sets the exit code. */
  const emit = (asJson: boolean | undefined, r: { json: unknown; text: string; exitCode: number }) => {
    if (asJson) json(io, r.json);
    else io.out(r.text);
    setExit(r.exitCode);
  };

  const program = new Command('rmapcheck')
    .description('Model-check the rmap-ID sub-ID math and the atomic seqcount of the 2023 "precise mapped shared" mm series')
    .version(TOOL_VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .showHelpAfterError(false)
    // Commands without a long run get the default Ctrl-C back (see cli/interrupt.ts).
    .hook('preAction', (_program, command) => {
      if (!LONG_RUNS.has(command.name())) plainInterrupt();
    });

  program
    .command('schemes')
    .description('list the built-in scheme sets')
    .option('--json', 'machine-readable output')
    .action((o: { json?: boolean }) => {
      if (o.json) return json(io, PRESETS.map((p) => ({ name: p.name, schemes: p.schemes.map(schemeToJson) })));
      for (const p of PRESETS) {
        io.out(`${p.name}`);
        io.out(
          renderTable(
            ['orders', 'values V', 'chunk bits c', 'bound N', 'word bits W', 'ID bits'],
            p.schemes.map((s) => [s.orders.join('..'), String(s.values), String(s.chunkBits), String(s.bound), String(s.wordBits), String(s.idBits)]),
          ),
        );
      }
    });

  program
    .command('subids')
    .description('print the sub-ID of every chunk value: binary digits read in base N+1')
    .requiredOption('--bound <N>', 'design bound N')
    .requiredOption('--bits <C>', 'chunk bits c (1..16)')
    .option('--json', 'machine-readable output')
    .action((o: { bound: string; bits: string; json?: boolean }) => {
      const bound = intOption('bound', o.bound, 1, Number.MAX_SAFE_INTEGER);
      const bits = intOption('bits', o.bits, 1, 16);
      const table = subIdTable(bits, BigInt(bound));
      if (o.json) return json(io, { bound, bits, subids: table.map(String) });
      io.out(renderTable(['chunk', 'subid', 'hex'], table.map((s, i) => [String(i), s.toString(), '0x' + s.toString(16)])));
    });

  program
    .command('prove')
    .description('decide, for every folio order of a scheme, whether the reader can wrongly answer "exclusive"')
    .option('--scheme <name|FILE>', 'preset name or JSON scheme file', 'wip-v1')
    .option('--order <K>', 'only this folio order')
    .option('--json', 'machine-readable output')
    .option('--out <DIR>', 'directory for counterexample traces', 'rmapcheck-out')
    .option('--force', 'overwrite existing trace files with other content')
    .action((o: { scheme: string; order?: string; json?: boolean; out: string; force?: boolean }) => {
      const set = loadSchemeSet(o.scheme);
      const covered = ordersOf(set);
      let orders: number[] | undefined;
      if (o.order !== undefined) {
        const k = intOption('order', o.order, 0, 64);
        if (!covered.includes(k)) throw new UsageError(`--order ${k}: scheme ${set.name} covers orders ${covered[0]}..${covered[covered.length - 1]}`);
        orders = [k];
      }
      const report = runProve(set, orders, o.out, !!o.force);
      if (o.json) json(io, report);
      else io.out(renderProve(report));
      setExit(proveExitCode(report));
    });

  program
    .command('replay')
    .description('re-execute a counterexample trace on the reference model, checking every recorded state')
    .argument('<FILE>', 'trace file')
    .option('--json', 'machine-readable output')
    .action((file: string, o: { json?: boolean }) => {
      const r = runReplay(file);
      emit(o.json, r);
    });

  program
    .command('audit')
    .description('the full default verification: prove wip-v1 and check the series\' claims, as a report')
    .option('--json', 'machine-readable output')
    .option('--out <DIR>', 'directory for counterexample traces', 'rmapcheck-out')
    .option('--force', 'overwrite existing trace files with other content')
    .option('--report <DIR>', 'also write report.md and report.html (every claim with its status) and a viewer page next to each trace')
    .option('--explore-seconds <S>', 'time budget of each randomized exploration at real size (0: skip that pass)', '1')
    .action(async (o: { json?: boolean; out: string; force?: boolean; report?: string; exploreSeconds: string }) => {
      const exploreSeconds = Number(o.exploreSeconds);
      if (!(Number.isFinite(exploreSeconds) && exploreSeconds >= 0 && exploreSeconds <= 3600))
        throw new UsageError(`--explore-seconds ${o.exploreSeconds}: must be a number of seconds in 0..3600`);
      const progress = new ProgressLine(progressWanted(o.json));
      await interruptible(async (signal) => {
        const r = await runAudit(o.out, !!o.force, signal, (i, n, c) =>
          progress.update(`audit: ${c.model} ${c.variant ?? ''}${c.bug ? ' bug ' + c.bug : ''}${c.scenario ? ' ' + c.scenario : ''}`, { value: i, total: n }),
          exploreSeconds,
        );
        progress.done();
        const report = o.report === undefined ? null : writeAuditReport(r.json, o.report, !!o.force);
        if (o.json) json(io, report ? { ...r.json, report: { markdown: report.md, html: report.html, pages: report.pages } } : r.json);
        else io.out(report ? `${r.text}\n\nreport: ${report.md} and ${report.html} (${report.pages.length} viewer pages next to the traces)` : r.text);
        setExit(r.exitCode);
      });
    });

  program
    .command('models')
    .description('the concurrent models: parameters with defaults and ranges, variants, broken variants')
    .option('--json', 'machine-readable output')
    .action((o: { json?: boolean }) => {
      const r = runModels();
      if (o.json) json(io, r.json);
      else io.out(r.text);
    });

  withModelOptions(
    program.command('check').description('explore every reachable state of a model configuration (exhaustive)'),
  )
    .option('--strategy <S>', 'bfs (shortest counterexample) or dfs', 'bfs')
    .option('--max-states <N>', 'stop (incomplete) after this many distinct states')
    .option('--max-depth <N>', 'do not expand states deeper than this (incomplete if cut)')
    .option('--no-reduction', 'switch the symmetry reduction off')
    .option('--store <S>', 'fingerprint (compact, 64-bit) or full (exact)', 'fingerprint')
    .option('--expect-states <N>', 'fingerprint store: size the table for N states up front (no growth up to N; a growth holds two tables)')
    .option('--links-on-disk', 'fingerprint store: keep the counterexample links in a temporary file, not in memory')
    .option('--json', 'machine-readable output')
    .option('--out <DIR>', 'directory for the counterexample trace', 'rmapcheck-out')
    .option('--force', 'overwrite an existing trace file with other content')
    .action(async (o: { model: string; variant?: string; bug?: string; set: string[]; scenario?: string; strategy: string; maxStates?: string; maxDepth?: string; reduction: boolean; store: string; expectStates?: string; linksOnDisk?: boolean; json?: boolean; out: string; force?: boolean }) => {
      await interruptible(async (signal) => {
        const r = await runCheck({
          model: o.model,
          variant: o.variant,
          bug: o.bug,
          set: parseSets(o.set),
          scenario: o.scenario,
          strategy: o.strategy,
          maxStates: o.maxStates === undefined ? undefined : intOption('max-states', o.maxStates, 1, 2 ** 31),
          maxDepth: o.maxDepth === undefined ? undefined : intOption('max-depth', o.maxDepth, 0, 2 ** 31),
          reduction: o.reduction,
          store: o.store,
          expectedStates: o.expectStates === undefined ? undefined : intOption('expect-states', o.expectStates, 1, MAX_EXPECTED_STATES),
          linksOnDisk: !!o.linksOnDisk,
          out: o.out,
          force: !!o.force,
          progress: !o.json && !!process.stderr.isTTY,
          signal,
        });
        emit(o.json, r);
      });
    });

  withModelOptions(
    program.command('explore').description('randomized interleaving exploration (random walk, PCT, race insertion), reproducible from its seed'),
  )
    .option('--strategy <S>', 'random, pct or race', 'random')
    .option('--depth <D>', 'maximum steps per execution')
    .option('--pct-depth <d>', 'PCT bug depth d (priority change points d-1)')
    .option('--seed <S>', 'run seed (decimal or 0x hex); default: from the clock, printed')
    .option('--runs <N>', 'number of executions')
    .option('--time <SECONDS>', 'time budget instead of --runs')
    .option('--workers <N>', 'worker threads (results identical to one worker)')
    .option('--shard <i/N>', 'run the i-th of N deterministic parts; combine reports with merge')
    .option('--no-minimize', 'keep the raw counterexample')
    .option('--json', 'machine-readable output')
    .option('--out <DIR>', 'directory for the counterexample trace', 'rmapcheck-out')
    .option('--force', 'overwrite an existing trace file with other content')
    .action(async (o: { model: string; variant?: string; bug?: string; set: string[]; scenario?: string; strategy: string; depth?: string; pctDepth?: string; seed?: string; runs?: string; time?: string; workers?: string; shard?: string; minimize: boolean; json?: boolean; out: string; force?: boolean }) => {
      const progress = new ProgressLine(progressWanted(o.json));
      await interruptible(async (signal) => {
        const r = await runExplore({
          ...o,
          noMinimize: !o.minimize,
          force: !!o.force,
          signal,
          onProgress: (p) =>
            progress.update(
              `explore: ${p.executions.toLocaleString('en-US')} executions, ${Math.round(p.stepsPerSecond).toLocaleString('en-US')} steps/s`,
              p.total !== null ? { value: p.executions, total: p.total } : p.timeSeconds !== null ? { value: Math.min(p.seconds, p.timeSeconds), total: p.timeSeconds } : undefined,
            ),
        });
        progress.done();
        emit(o.json, r);
      });
    });

  program
    .command('minimize')
    .description('reduce a counterexample trace to a locally minimal one that violates the same property')
    .argument('<TRACE>', 'trace file (kind "model")')
    .requiredOption('--out <MIN>', 'file for the minimized trace')
    .option('--json', 'machine-readable output')
    .option('--force', 'overwrite an existing file with other content')
    .action((file: string, o: { out: string; json?: boolean; force?: boolean }) => {
      const r = runMinimize(file, o.out, !!o.force);
      emit(o.json, r);
    });

  program
    .command('merge')
    .description('combine the JSON reports of explore shards (--shard i/N) into one')
    .argument('<REPORT...>', 'explore --json reports')
    .option('--json', 'machine-readable output')
    .action((files: string[], o: { json?: boolean }) => {
      const r = runMerge(files);
      emit(o.json, r);
    });

  program
    .command('view')
    .description('write a trace as one self-contained HTML page: a column per thread, a row per step, keyboard stepping')
    .argument('<TRACE>', 'trace file (either kind)')
    .option('--out <FILE.html>', 'the page to write (default: the trace path with .html)')
    .option('--json', 'machine-readable output')
    .option('--force', 'overwrite an existing file with other content')
    .action((file: string, o: { out?: string; json?: boolean; force?: boolean }) => {
      const r = runView(file, o.out, !!o.force);
      emit(o.json, r);
    });

  return program;
}

/** Runs the CLI; resolves to the exit code (never throws for bad input). */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  let code = 0;
  const program = buildProgram(io, (c) => (code = c));
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      return 2; // commander already printed its one-line error
    }
    if (e instanceof UsageError) {
      io.err(`rmapcheck: error: ${e.message}`);
      return 2;
    }
    throw e;
  }
}
