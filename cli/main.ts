/**
 * The `rmapcheck` command line: a thin layer over the library. Exit codes everywhere:
 * 0 nothing wrong found, 1 a violation or refutation found (or reproduced), 2 bad input or usage.
 */
import { Command, CommanderError, Option } from 'commander';
import { UsageError } from '../model/errors';
import { TOOL_VERSION } from '../model/version';
import { PRESETS, ordersOf, pagesOf, schemeToJson } from '../model/scheme';
import { loadSchemeSet } from '../model/scheme-file';
import { subIdTable } from '../model/subid';
import { runProve, renderProve, proveExitCode } from './report-prove';
import { runReplay } from './replay';
import { runAudit } from './audit';
import { renderTable } from './table';

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

/** Parses a decimal integer option within [min, max], or throws a one-line UsageError. */
export function intOption(name: string, raw: string, min: number, max: number): number {
  if (!/^-?[0-9]+$/.test(raw)) throw new UsageError(`--${name} ${raw}: not an integer`);
  const v = Number(raw);
  if (v < min || v > max) throw new UsageError(`--${name} ${raw}: out of range ${min}..${max}`);
  return v;
}

function buildProgram(io: Io, setExit: (code: number) => void): Command {
  const program = new Command('rmapcheck')
    .description('Model-check the rmap-ID sub-ID math and the atomic seqcount of the 2023 "precise mapped shared" mm series')
    .version(TOOL_VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .showHelpAfterError(false);

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
      if (o.json) json(io, r.json);
      else io.out(r.text);
      setExit(r.exitCode);
    });

  program
    .command('audit')
    .description('the full default verification: prove wip-v1 and check the series\' claims, as a report')
    .option('--json', 'machine-readable output')
    .option('--out <DIR>', 'directory for counterexample traces', 'rmapcheck-out')
    .option('--force', 'overwrite existing trace files with other content')
    .action((o: { json?: boolean; out: string; force?: boolean }) => {
      const r = runAudit(o.out, !!o.force);
      if (o.json) json(io, r.json);
      else io.out(r.text);
      setExit(r.exitCode);
    });

  void pagesOf;
  void Option;
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
