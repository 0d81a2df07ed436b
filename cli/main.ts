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
import { outputWidth } from '../text/term';
import { runReplay } from './replay';
import { runAudit } from './audit';
import { renderTable } from '../text/table';
import { runModels, runCheck } from './check';
import { parseSets } from '../model/registry';
import { interruptible, plainInterrupt } from './interrupt';
import { intOption } from './options';
import { MAX_EXPECTED_STATES } from '../checker/visited';
import { ProgressLine, progressWanted } from './progress';
import { runExplore, runMinimize, runMerge, exploreProgress } from './explore';
import { runView } from './view';
import { conformProgress, runConform } from './conform';
import { isConformanceTraceFile, runConformMinimize, runConformReplay, runConformView } from './conform-trace';
import { compareProgress, runCompare } from './compare';
import { isCompareTraceFile, refuseCompareMinimize, runCompareReplay, runCompareView } from './compare-trace';
import { checkReportDir, writeAuditReport } from './report-audit';
import { checkOutDir } from '../checker/files';
import { exitCodeWith } from './files';

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

/** A repeatable option's values, in order (`--impl a.c --impl b.c`). */
function collect(v: string, prev: string[]): string[] {
  return [...prev, v];
}

/** Commands that take a Ctrl-C signal and still report what they found. */
const LONG_RUNS = new Set(['check', 'explore', 'audit', 'conform', 'compare']);


function buildProgram(io: Io, setExit: (code: number) => void): Command {
  /** Prints a runner's outcome as JSON or text and sets the exit code. */
  const emit = (asJson: boolean | undefined, r: { json: unknown; text: string; exitCode: number; writeErrors?: readonly string[] }) => {
    if (asJson) json(io, r.json);
    else io.out(r.text);
    // a file not written: the verdict above stands, the error says what is missing (exit 2)
    for (const e of r.writeErrors ?? []) io.err(`rmapcheck: error: ${e}`);
    setExit(r.exitCode);
  };

  const program = new Command('rmapcheck')
    .description('Model-check the rmap-ID sub-ID math and the atomic seqcount of the 2023 "precise mapped shared" mm series')
    .version(TOOL_VERSION)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.out(s),
      writeErr: (s) => io.err(s),
      // commander's own errors ("error: unknown option ...") worded like ours: prefixed, one line
      outputError: (s, write) => write(`rmapcheck: ${s.trim().replace(/\s*\n\s*/g, ' ')}\n`),
    })
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
      emit(o.json, { json: report, text: renderProve(report, { maxWidth: outputWidth() }), exitCode: exitCodeWith(proveExitCode(report), report.writeErrors ?? []), writeErrors: report.writeErrors }); // a pipe: PIPE_WIDTH
    });

  program
    .command('replay')
    .description('re-execute a counterexample trace on the reference model, checking every recorded state')
    .argument('<FILE>', 'trace file')
    .option('--json', 'machine-readable output')
    .action(async (file: string, o: { json?: boolean }) => {
      // a conformance trace re-runs the C code it was found in (cli/conform-trace.ts)
      const r = isCompareTraceFile(file) ? runCompareReplay(file) : isConformanceTraceFile(file) ? await runConformReplay(file) : runReplay(file);
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
    .option('--impl <FILE.c>', "C code for the conformance section: the adapter or another C file (repeatable; default: rmapcheck's own implementation)", collect, [] as string[])
    .option('-I, --include <DIR>', 'with --impl: include directory (repeatable)', collect, [] as string[])
    .option('-D, --define <NAME[=VALUE]>', 'with --impl: preprocessor definition (repeatable)', collect, [] as string[])
    .option('--cc <CC>', 'the C compiler of the conformance section (default gcc)')
    .action(async (o: { json?: boolean; out: string; force?: boolean; report?: string; exploreSeconds: string; impl: string[]; include: string[]; define: string[]; cc?: string }) => {
      const exploreSeconds = Number(o.exploreSeconds);
      if (!(Number.isFinite(exploreSeconds) && exploreSeconds >= 0 && exploreSeconds <= 3600))
        throw new UsageError(`--explore-seconds ${o.exploreSeconds}: must be a number of seconds in 0..3600`);
      // every output location before the audit's minutes of work
      checkOutDir(o.out);
      if (o.report !== undefined) checkReportDir(o.report);
      const progress = new ProgressLine(progressWanted(o.json));
      await interruptible(async (signal) => {
        const r = await runAudit(o.out, !!o.force, signal, (i, n, c) =>
          progress.update(`audit: ${c.model} ${c.variant ?? ''}${c.bug ? ' bug ' + c.bug : ''}${c.scenario ? ' ' + c.scenario : ''}`, { value: i, total: n }),
          exploreSeconds,
          { impl: o.impl, include: o.include, define: o.define, cc: o.cc },
        );
        progress.done();
        const report = o.report === undefined ? null : writeAuditReport(r.json, o.report, !!o.force);
        const written = report && report.errors.length === 0 ? report : null;
        const writeErrors = [...r.writeErrors, ...(report?.errors ?? [])];
        emit(o.json, {
          json: { ...r.json, ...(written ? { report: { markdown: written.md, html: written.html, pages: written.pages } } : {}), ...(writeErrors.length ? { writeErrors } : {}) },
          text:
            r.text +
            (written ? `\n\nreport: ${written.md} and ${written.html} (${written.pages.length} viewer pages next to the traces)` : report ? `\n\nreport not written:\n${report.errors.map((e) => `  ${e}`).join('\n')}` : ''),
          exitCode: exitCodeWith(r.exitCode, writeErrors),
          writeErrors,
        });
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
    .option('--no-liveness', 'check the safety properties only (always, sometimes, deadlock), not the eventually ones')
    .option('--workers <N>', 'threads of the breadth-first traversal over one shared store (default 1; same states and verdicts)')
    .option('--tso-time <SECONDS>', 'time bound of the x86-TSO pass (triangular races, with store buffers); default: the check\'s own time, 0.25 to 2 s; 0: skip it')
    .option('--store <S>', 'fingerprint (compact, 64-bit) or full (exact)', 'fingerprint')
    .option('--expect-states <N>', 'fingerprint store: size the table for N states up front (no growth up to N; a growth holds two tables)')
    .option('--links-on-disk', 'fingerprint store: keep the counterexample links in a temporary file, not in memory')
    .option('--max-memory <SIZE>', 'memory bound (512M, 4G, bytes): stop with verdict incomplete rather than run out (default: the smallest of 75% of the memory or cgroup limit and 60% of the address space left under ulimit -v)')
    .option('--json', 'machine-readable output')
    .option('--out <DIR>', 'directory for the counterexample trace', 'rmapcheck-out')
    .option('--force', 'overwrite an existing trace file with other content')
    .action(async (o: { model: string; variant?: string; bug?: string; set: string[]; scenario?: string; strategy: string; maxStates?: string; maxDepth?: string; reduction: boolean; liveness: boolean; workers?: string; tsoTime?: string; store: string; expectStates?: string; linksOnDisk?: boolean; maxMemory?: string; json?: boolean; out: string; force?: boolean }) => {
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
          liveness: o.liveness,
          workers: o.workers === undefined ? undefined : intOption('workers', o.workers, 1, 64),
          tsoSeconds: o.tsoTime === undefined ? undefined : intOption('tso-time', o.tsoTime, 0, 3600),
          store: o.store,
          expectedStates: o.expectStates === undefined ? undefined : intOption('expect-states', o.expectStates, 1, MAX_EXPECTED_STATES),
          linksOnDisk: !!o.linksOnDisk,
          maxMemory: o.maxMemory,
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
    .option('--pct-depth <d>', 'PCT bug depth d (priority change points d-1; --strategy pct only)')
    .option('--seed <S>', 'run seed (decimal or 0x hex); default: from the clock, printed')
    .option('--runs <N>', 'number of executions')
    .option('--time <SECONDS>', 'time budget instead of --runs')
    .option('--workers <N>', 'worker threads (results identical to one worker)')
    .option('--shard <i/N>', 'run the i-th of N deterministic parts (needs --seed); combine reports with merge')
    .option('--no-minimize', 'keep the raw counterexample')
    .option('--json', 'machine-readable output (fields: docs/json.md)')
    .option('--embed-trace', 'with --json: also put the counterexample trace itself into the report (traceData)')
    .option('--out <DIR>', 'directory for the counterexample trace', 'rmapcheck-out')
    .option('--force', 'overwrite an existing trace file with other content')
    .action(async (o: { model: string; variant?: string; bug?: string; set: string[]; scenario?: string; strategy: string; depth?: string; pctDepth?: string; seed?: string; runs?: string; time?: string; workers?: string; shard?: string; minimize: boolean; json?: boolean; embedTrace?: boolean; out: string; force?: boolean }) => {
      const progress = new ProgressLine(progressWanted(o.json));
      await interruptible(async (signal) => {
        const r = await runExplore({
          ...o,
          noMinimize: !o.minimize,
          force: !!o.force,
          signal,
          onProgress: exploreProgress(progress),
        });
        progress.done();
        emit(o.json, r);
      });
    });

  program
    .command('conform')
    .description('compile a C implementation of the series (an adapter over your kernel sources) and check it against the reference model, operation by operation (docs/conform.md)')
    .option('--impl <FILE.c>', "the adapter, or another C file to compile (repeatable; default: rmapcheck's own implementation, conform/kernel/)", collect, [] as string[])
    .option('-I, --include <DIR>', "include directory, searched before rmapcheck's kernel headers (repeatable)", collect, [] as string[])
    .option('-D, --define <NAME[=VALUE]>', 'preprocessor definition (repeatable)', collect, [] as string[])
    .option('--cc <CC>', 'the C compiler (default gcc)')
    .option('--mode <M>', 'sequential (one operation at a time, every state compared) or concurrent', 'sequential')
    .option('--strategy <S>', 'concurrent mode: random, pct, race or dfs')
    .option('--order <K>', 'only folios of this order (2..15; default: every order the adapter handles)')
    .option('--runs <N>', 'operation sequences to generate (default 200)')
    .option('--time <SECONDS>', 'time budget instead of --runs')
    .option('--seed <S>', 'run seed (decimal or 0x hex); default: from the clock, printed')
    .option('--step-limit <MS>', "per-operation time limit of the C side, in ms (beyond it: a hang), default 1000")
    .option('--json', 'machine-readable output (fields: docs/json.md)')
    .option('--out <DIR>', 'directory for the conformance trace', 'rmapcheck-out')
    .option('--force', 'overwrite an existing trace file with other content')
    .action(async (o: { impl: string[]; include: string[]; define: string[]; cc?: string; mode: string; strategy?: string; order?: string; runs?: string; time?: string; seed?: string; stepLimit?: string; json?: boolean; out: string; force?: boolean }) => {
      const progress = new ProgressLine(progressWanted(o.json));
      await interruptible(async (signal) => {
        const budget = { runs: o.runs === undefined ? undefined : Number(o.runs), seconds: o.time === undefined ? undefined : Number(o.time) };
        const r = await runConform({ ...o, force: !!o.force }, { signal, onProgress: conformProgress(progress, budget) });
        progress.done();
        emit(o.json, r);
      });
    });

  program
    .command('compare')
    .description('run the rmap-ID design and MM owner tracking through the same workloads against one ground truth: false "shared", false "exclusive", lost COW reuse, per workload (docs/json.md)')
    .option('--workload <NAME|FILE>', 'a preset, a workload file, or random (repeatable; default: every preset and a random family)', collect, [] as string[])
    .option('--order <K>', 'only workloads of this folio order (2..9); the random family draws this order')
    .option('--scheme <wip-v1|FILE>', 'the rmap-ID scheme set (default wip-v1)')
    .option('--runs <N>', 'random histories of the family (default 20)')
    .option('--seed <S>', 'seed of the random family (decimal or 0x hex); default: from the clock, printed')
    .option('--json', 'machine-readable output (fields: docs/json.md)')
    .option('--out <DIR>', 'directory for the disagreement traces', 'rmapcheck-out')
    .option('--report <DIR>', 'also write DIR/compare.html, a self-contained page with charts')
    .option('--force', 'overwrite existing files with other content')
    .action(async (o: { workload: string[]; order?: string; scheme?: string; runs?: string; seed?: string; json?: boolean; out: string; report?: string; force?: boolean }) => {
      const progress = new ProgressLine(progressWanted(o.json));
      await interruptible(async (signal) => {
        const r = await runCompare({ ...o, force: !!o.force }, { signal, onProgress: compareProgress(progress) });
        progress.done();
        emit(o.json, r);
      });
    });

  program
    .command('minimize')
    .description('reduce a counterexample trace to a locally minimal one that violates the same property')
    .argument('<TRACE>', 'trace file (kind "model" or "conformance")')
    // commander's help does not mark required options: the usage line and the text say it
    .usage('--out <MIN> [options] <TRACE>')
    .requiredOption('--out <MIN>', 'file for the minimized trace (required)')
    .option('--json', 'machine-readable output')
    .option('--force', 'overwrite an existing file with other content')
    .action(async (file: string, o: { out: string; json?: boolean; force?: boolean }) => {
      if (isCompareTraceFile(file)) refuseCompareMinimize(file);
      const r = isConformanceTraceFile(file) ? await runConformMinimize(file, o.out, !!o.force) : runMinimize(file, o.out, !!o.force);
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
    .argument('<TRACE>', 'trace file (any kind)')
    .option('--out <FILE.html>', 'the page to write (default: the trace path with .html)')
    .option('--json', 'machine-readable output')
    .option('--force', 'overwrite an existing file with other content')
    .action((file: string, o: { out?: string; json?: boolean; force?: boolean }) => {
      const r = isCompareTraceFile(file) ? runCompareView(file, o.out, !!o.force) : isConformanceTraceFile(file) ? runConformView(file, o.out, !!o.force) : runView(file, o.out, !!o.force);
      emit(o.json, r);
    });

  // litmus (issue #13, helper L): LKMM verdicts of C-litmus files; --export is helper G's generator
  program
    .command('litmus')
    .description("judge C-litmus files under the Linux kernel memory model (rmapcheck's own checker; herd7's report), or --export a model's litmus programs for herd7")
    .argument('[FILE...]', 'C-litmus files (the format of tools/memory-model; no locks, RCU or SRCU)')
    .option('--json', 'machine-readable output (fields: docs/json.md)')
    .option('--export', "write the model's litmus programs to --out instead (with --model, --variant, --bug)")
    .option('--model <NAME>', 'with --export: seqcount or rmap')
    .option('--variant <V>', 'with --export: v1, v2 or v3 (default: all)')
    .option('--bug <NAME>', 'with --export: a broken variant of the seqcount')
    .option('--out <DIR>', 'with --export: the directory for the .litmus files')
    .option('--view <OUT.html>', 'also write the witness as an HTML page (one FILE)')
    .option('--force', 'overwrite existing files with other content (--export, --view)')
    .action(async (files: string[], o: { json?: boolean; export?: boolean; model?: string; variant?: string; bug?: string; out?: string; view?: string; force?: boolean }) => {
      const { runLitmus, runLitmusExport } = await import('./litmus');
      if (o.export) {
        if (files.length) throw new UsageError('litmus --export takes no FILE arguments');
        if (o.view !== undefined) throw new UsageError('litmus: --view goes with a FILE, not with --export');
        return emit(o.json, runLitmusExport({ model: o.model, variant: o.variant, bug: o.bug, out: o.out, force: !!o.force }));
      }
      for (const [flag, v] of [['--model', o.model], ['--variant', o.variant], ['--bug', o.bug], ['--out', o.out]] as const)
        if (v !== undefined) throw new UsageError(`litmus: ${flag} goes with --export`);
      emit(o.json, runLitmus(files, { view: o.view, force: !!o.force }));
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
      // `rmapcheck` without a command: the help went to stderr, and that is a usage error
      if (e.code === 'commander.help') return e.exitCode === 0 ? 0 : 2;
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return 0;
      return 2; // commander already printed its one-line error
    }
    if (e instanceof UsageError) {
      io.err(`rmapcheck: error: ${e.message}`);
      return 2;
    }
    throw e;
  }
}
