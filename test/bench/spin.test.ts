/**
 * bench/spin.ts's pure parts (pan's output, rmapcheck's JSON, the command lines, the table) on
 * output captured from SPIN 6.5.2 and rmapcheck on this machine, and one real cross-check:
 * spin + gcc + pan against `rmapcheck check` on a tiny configuration. No timing is asserted.
 */
import { spawnSync } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  GCC_COMMAND,
  ROOT,
  SPIN_CONFIGS,
  SPIN_EXTRA_STATES,
  configName,
  ensureBuilt,
  ensureSpin,
  findSpinModels,
  panCommand,
  parseBenchArgs,
  parsePanOutput,
  parseRmapcheckJson,
  preparePan,
  renderSpinReport,
  rmapcheckArgs,
  runTimed,
  spinCommand,
  speedRatio,
  stateCountMismatch,
  summarize,
  supportsWorkers,
  workersDifference,
  type SpinReport,
} from '../../bench/spin';

// Captured from `./pan -m1000000` (SPIN 6.5.2, gcc -O2 -DSAFETY) on ../shared/peers/spin/v1.pml
// with -DW=2 -DR=1 -DK=1 -DOPS=1 (whole output).
const PAN_TINY = `
(Spin Version 6.5.2 -- 6 December 2019)
\t+ Partial Order Reduction

Full statespace search for:
\tnever claim         \t- (none specified)
\tassertion violations\t+
\tcycle checks       \t- (disabled by -DSAFETY)
\tinvalid end states\t+

State-vector 52 byte, depth reached 22, errors: 0
      299 states, stored
      357 states, matched
      656 transitions (= stored+matched)
        2 atomic steps
hash conflicts:         0 (resolved)

Stats on memory usage (in Megabytes):
    0.023\tequivalent memory usage for states (stored*(State-vector + overhead))
    0.286\tactual memory usage for states
  128.000\tmemory used for hash table (-w24)
   53.406\tmemory used for DFS stack (-m1000000)
  181.601\ttotal actual memory usage


unreached in proctype reader
\treader.pml:58, state 111, "-end-"
\t(1 of 111 states)
unreached in proctype writer
\tv1.pml:49, state 33, "-end-"
\t(1 of 33 states)
unreached in init
\t(0 of 18 states)

pan: elapsed time 0 seconds
`;

// The issue's W=3 R=1 K=3 OPS=2 space (progress lines cut to two, the unreached listing left out).
const PAN_SMALL = `Depth=      81 States=    1e+06 Transitions= 3.32e+06 Memory=   257.871\tt=     0.97 R=   1e+06
Depth=      81 States=    2e+06 Transitions= 6.75e+06 Memory=   334.140\tt=        2 R=   1e+06

(Spin Version 6.5.2 -- 6 December 2019)
\t+ Partial Order Reduction

Full statespace search for:
\tnever claim         \t- (none specified)
\tassertion violations\t+
\tcycle checks       \t- (disabled by -DSAFETY)
\tinvalid end states\t+

State-vector 72 byte, depth reached 81, errors: 0
  5193374 states, stored
 12801216 states, matched
 17994590 transitions (= stored+matched)
        3 atomic steps
hash conflicts:   1137232 (resolved)

Stats on memory usage (in Megabytes):
  495.279\tequivalent memory usage for states (stored*(State-vector + overhead))
  396.472\tactual memory usage for states (compression: 80.05%)
         \tstate-vector as stored = 52 byte + 28 byte overhead
  128.000\tmemory used for hash table (-w24)
   53.406\tmemory used for DFS stack (-m1000000)
  577.793\ttotal actual memory usage


pan: elapsed time 5.63 seconds
pan: rate 922446.54 states/second
`;

// b1.pml (the no-retry bug), W=2 R=1 K=1 OPS=1: the assertion fails and pan stops.
const PAN_ASSERTION = `pan:1: assertion violated c_ok (at depth 8)
pan: wrote b1.pml.trail

(Spin Version 6.5.2 -- 6 December 2019)
Warning: Search not completed
\t+ Partial Order Reduction

Full statespace search for:
\tnever claim         \t- (none specified)
\tassertion violations\t+
\tcycle checks       \t- (disabled by -DSAFETY)
\tinvalid end states\t+

State-vector 52 byte, depth reached 15, errors: 1
       33 states, stored
       18 states, matched
       51 transitions (= stored+matched)
        2 atomic steps
hash conflicts:         0 (resolved)

Stats on memory usage (in Megabytes):
    0.003\tequivalent memory usage for states (stored*(State-vector + overhead))
    0.287\tactual memory usage for states
  128.000\tmemory used for hash table (-w24)
   53.406\tmemory used for DFS stack (-m1000000)
  181.601\ttotal actual memory usage



pan: elapsed time 0 seconds
`;

// v1.pml, W=2 R=1 K=1 OPS=1 under `./pan -m5` (the unreached listing left out).
const PAN_DEPTH_TOO_SMALL = `error: max search depth too small

(Spin Version 6.5.2 -- 6 December 2019)
\t+ Partial Order Reduction

Full statespace search for:
\tnever claim         \t- (none specified)
\tassertion violations\t+
\tcycle checks       \t- (disabled by -DSAFETY)
\tinvalid end states\t+

State-vector 52 byte, depth reached 4, errors: 0
        5 states, stored
        7 states, matched
       12 transitions (= stored+matched)
        2 atomic steps
hash conflicts:         0 (resolved)

Stats on memory usage (in Megabytes):
    0.000\tequivalent memory usage for states (stored*(State-vector + overhead))
    0.287\tactual memory usage for states
  128.000\tmemory used for hash table (-w24)
    0.000\tmemory used for DFS stack (-m5)
  128.195\ttotal actual memory usage


pan: elapsed time 0.01 seconds
`;

// The issue's W=3 R=2 K=3 OPS=1 space (progress lines and the unreached listing left out): from
// 10^8 on pan prints 8 significant digits (%9.8g).
const PAN_LARGE = `
(Spin Version 6.5.2 -- 6 December 2019)
\t+ Partial Order Reduction

Full statespace search for:
\tnever claim         \t- (none specified)
\tassertion violations\t+
\tcycle checks       \t- (disabled by -DSAFETY)
\tinvalid end states\t+

State-vector 88 byte, depth reached 69, errors: 0
 35966681 states, stored
1.0056342e+08 states, matched
1.365301e+08 transitions (= stored+matched)
        4 atomic steps
hash conflicts:  59872665 (resolved)

Stats on memory usage (in Megabytes):
 3978.858\tequivalent memory usage for states (stored*(State-vector + overhead))
 3409.333\tactual memory usage for states (compression: 85.69%)
         \tstate-vector as stored = 71 byte + 28 byte overhead
  512.000\tmemory used for hash table (-w26)
   53.406\tmemory used for DFS stack (-m1000000)
    2.238\tmemory lost to fragmentation
 3972.507\ttotal actual memory usage


pan: elapsed time 197 seconds
pan: rate  182516.4 states/second
`;

// `node bin/rmapcheck.js check --model seqcount --variant v1 --set writers=2 --set readers=1
// --set counters=1 --set ops=1 --no-reduction --no-liveness --json` (fields after `liveness` cut).
const RMAPCHECK_TINY = `{
  "model": "seqcount",
  "params": { "variant": "v1", "bug": "none", "writers": 2, "readers": 1, "counters": 1, "ops": 1, "seqBits": 0, "word": 64 },
  "verdict": "ok",
  "property": null,
  "states": 297,
  "transitions": 653,
  "maxDepth": 12,
  "seconds": 0.015596551999999974,
  "statesPerSecond": 19043,
  "bytesPerState": 13,
  "store": "fingerprint",
  "strategy": "bfs",
  "memoryBytes": 1122304,
  "fixedBytes": 1118443,
  "peakMemoryBytes": 1400832,
  "safetyComplete": true,
  "liveness": null
}`;

// The options part of `check --help` today, and a line as `--workers` would add it.
const CHECK_HELP = `Usage: rmapcheck check [options]

Options:
  --no-reduction            switch the symmetry reduction off
  --no-liveness             check the safety properties only (always, sometimes,
                            deadlock), not the eventually ones
  --expect-states <N>       fingerprint store: size the table for N states up
                            front (no growth up to N; a growth holds two tables)
  -h, --help                display help for command
`;
const WITH_WORKERS = CHECK_HELP.replace('  -h, --help', '  --workers <N>             explore on N worker threads (default: 1)\n  -h, --help');

const tiny = { variant: 'v1', writers: 2, readers: 1, counters: 1, ops: 1 } as const;

describe('parsePanOutput', () => {
  it('reads the summary of a complete search', () => {
    expect(parsePanOutput(PAN_TINY)).toEqual({
      statesStored: 299,
      statesMatched: 357,
      transitions: 656,
      countsExact: true,
      errors: 0,
      depthReached: 22,
      stateVectorBytes: 52,
      memoryMegabytes: 181.601,
      elapsedSeconds: 0,
      complete: true,
      problems: [],
    });
  });

  it('is not misled by the progress lines or the compression lines of a large search', () => {
    const p = parsePanOutput(PAN_SMALL);
    expect([p.statesStored, p.statesMatched, p.transitions, p.depthReached, p.stateVectorBytes]).toEqual([5_193_374, 12_801_216, 17_994_590, 81, 72]);
    expect([p.memoryMegabytes, p.elapsedSeconds, p.complete]).toEqual([577.793, 5.63, true]);
    // transitions = stored + matched, as pan says
    expect(p.statesStored + p.statesMatched).toBe(p.transitions);
    // the issue's 5,193,372 states + SPIN's 2
    expect(stateCountMismatch('x', p.statesStored, 5_193_372, 'm')).toBeNull();
  });

  it('marks a search that an assertion stopped as incomplete, in pan\'s words', () => {
    const p = parsePanOutput(PAN_ASSERTION);
    expect(p.errors).toBe(1);
    expect(p.complete).toBe(false);
    expect(p.problems).toEqual(['Warning: Search not completed', 'pan:1: assertion violated c_ok (at depth 8)']);
    expect(p.statesStored).toBe(33);
  });

  it('marks a search cut by the depth bound as incomplete although errors is 0', () => {
    const p = parsePanOutput(PAN_DEPTH_TOO_SMALL);
    expect([p.errors, p.statesStored, p.complete]).toEqual([0, 5, false]);
    expect(p.problems).toEqual(['error: max search depth too small']);
  });

  it('reads the rounded %9.8g form pan uses from 10^8 on, and says it is rounded', () => {
    const p = parsePanOutput(PAN_LARGE);
    expect([p.statesStored, p.statesMatched, p.transitions, p.countsExact, p.complete]).toEqual([35_966_681, 100_563_420, 136_530_100, false, true]);
    // the issue's 35,966,679 states + SPIN's 2 (stored stays exact below 10^8)
    expect(stateCountMismatch('x', p.statesStored, 35_966_679, 'm')).toBeNull();
    expect(parsePanOutput(PAN_SMALL).countsExact).toBe(true);
  });

  it('says which line is missing from output that is not pan\'s', () => {
    expect(() => parsePanOutput('spin: v1.pml:1, Error: syntax error')).toThrow('pan output: no "states, stored" line');
    expect(() => parsePanOutput(PAN_TINY.replace(/State-vector.*\n/, ''))).toThrow('"State-vector ..., errors: N"');
  });
});

describe('parseRmapcheckJson', () => {
  it('reads verdict, states, transitions and memoryBytes', () => {
    expect(parseRmapcheckJson(RMAPCHECK_TINY)).toEqual({ verdict: 'ok', states: 297, transitions: 653, memoryBytes: 1_122_304, seconds: 0.015596551999999974 });
    // the tiny fixtures are the same space: SPIN's 299 = 297 + 2
    expect(stateCountMismatch('tiny', parsePanOutput(PAN_TINY).statesStored, parseRmapcheckJson(RMAPCHECK_TINY).states, 'm')).toBeNull();
  });

  it('leaves memoryBytes and seconds null when the JSON has none', () => {
    expect(parseRmapcheckJson('{"verdict":"ok","states":5,"transitions":7}')).toEqual({ verdict: 'ok', states: 5, transitions: 7, memoryBytes: null, seconds: null });
  });

  it('rejects what is not a check report, quoting its first line', () => {
    expect(() => parseRmapcheckJson('rmapcheck: error: --set writers=x: not an integer\n')).toThrow('not JSON: "rmapcheck: error: --set writers=x: not an integer"');
    expect(() => parseRmapcheckJson('{"verdict":"ok"}')).toThrow('no verdict, states or transitions');
  });
});

describe('command lines', () => {
  it('builds spin, gcc and pan as the peers\' README runs them', () => {
    const c = SPIN_CONFIGS[0];
    expect(spinCommand(c)).toEqual(['spin', '-DW=3', '-DR=1', '-DK=3', '-DOPS=2', '-a', 'v1.pml']);
    expect(GCC_COMMAND).toEqual(['gcc', '-O2', '-DSAFETY', '-o', 'pan', 'pan.c']);
    expect(panCommand()).toEqual(['./pan', '-m1000000']);
    expect(configName(c)).toBe('seqcount V1 W=3 R=1 K=3 OPS=2');
  });

  it('holds the issue\'s two configurations with their goals and default runs', () => {
    expect(SPIN_CONFIGS.map((c) => [configName(c), c.goalNoLiveness, c.runs, c.slow])).toEqual([
      ['seqcount V1 W=3 R=1 K=3 OPS=2', 2.0, 5, false],
      ['seqcount V1 W=3 R=2 K=3 OPS=1', 3.0, 3, true],
    ]);
  });

  it('builds the rmapcheck command of each mode, always without the reduction', () => {
    const base = ['check', '--model', 'seqcount', '--variant', 'v1', '--set', 'writers=3', '--set', 'readers=1', '--set', 'counters=3', '--set', 'ops=2', '--no-reduction'];
    const c = SPIN_CONFIGS[0];
    expect(rmapcheckArgs(c, 'no-liveness', false)).toEqual([...base, '--no-liveness', '--json']);
    expect(rmapcheckArgs(c, 'default', false)).toEqual([...base, '--json']);
    // once the CLI has --workers, the one-core modes pin it to 1
    expect(rmapcheckArgs(c, 'no-liveness', true)).toEqual([...base, '--no-liveness', '--workers', '1', '--json']);
    expect(rmapcheckArgs(c, 'default', true)).toEqual([...base, '--workers', '1', '--json']);
    expect(rmapcheckArgs(c, 'workers-2', true)).toEqual([...base, '--no-liveness', '--workers', '2', '--json']);
  });

  it('finds --workers in check --help only when it is an option', () => {
    expect(supportsWorkers(CHECK_HELP)).toBe(false);
    expect(supportsWorkers(WITH_WORKERS)).toBe(true);
    expect(supportsWorkers('  --max-workers-ish <N>  something')).toBe(false);
  });
});

describe('comparisons and arguments', () => {
  it('prints a state-count mismatch with both counts and the +2', () => {
    const m = stateCountMismatch('seqcount V1 W=3 R=1 K=3 OPS=2', 5_193_374, 5_193_371, '--no-liveness');
    expect(m).toBe(
      'MISMATCH seqcount V1 W=3 R=1 K=3 OPS=2: SPIN stored 5,193,374 states, rmapcheck (--no-liveness) 5,193,371 (+ 2 = 5,193,373): the two models explore different spaces',
    );
    expect(SPIN_EXTRA_STATES).toBe(2);
    // pan's rounded counts from 10^8 on compare at pan's precision, and still catch a real difference
    expect(stateCountMismatch('x', 1.2345679e8, 123_456_787, 'm')).toBeNull();
    expect(stateCountMismatch('x', 1.2345679e8, 123_456_000, 'm')).toMatch(/^MISMATCH x: SPIN stored 123,456,790 states/);
  });

  it('names every count in which two workers differ from one', () => {
    const one = { verdict: 'ok', states: 10, transitions: 20, memoryBytes: 1, seconds: 1 };
    expect(workersDifference(one, { ...one, memoryBytes: 5 })).toBeNull();
    expect(workersDifference(one, { ...one, states: 11, transitions: 21 })).toBe('states 10 vs 11, transitions 20 vs 21');
  });

  it('summarizes runs by median, min and max; the ratio is SPIN over rmapcheck', () => {
    expect(summarize([3, 1, 2, 10])).toEqual({ median: 2.5, min: 1, max: 10, seconds: [3, 1, 2, 10] });
    expect(() => summarize([])).toThrow('no runs');
    expect(speedRatio(6, 3)).toBe(2);
  });

  it('parses --quick, --runs N, --json and --no-build and rejects a bad --runs', () => {
    expect(parseBenchArgs(['--quick', '--runs', '2', '--json'])).toEqual({ quick: true, runs: 2, json: true, noBuild: false });
    expect(parseBenchArgs([])).toEqual({ quick: false, runs: null, json: false, noBuild: false });
    expect(() => parseBenchArgs(['--runs', '0'])).toThrow('--runs 0: not an integer in 1..1000');
    expect(() => parseBenchArgs(['--runs'])).toThrow('--runs : not an integer');
  });
});

describe('renderSpinReport', () => {
  const t = (median: number) => summarize([median, median * 0.9, median * 1.2]);
  const report: SpinReport = {
    node: 'v20',
    cpus: 2,
    loadAverageBefore: 1,
    loadAverageAfter: 2,
    spinVersion: 'Spin Version 6.5.2 -- 6 December 2019',
    workersSupported: true,
    notes: ['dist/ was older than the sources: built it (npm run build, 20.0 s)'],
    problems: ['MISMATCH seqcount V1 W=3 R=1 K=3 OPS=2: SPIN stored 5 states, rmapcheck 4'],
    startup: t(0.4),
    configs: [
      {
        config: 'seqcount V1 W=3 R=1 K=3 OPS=2',
        params: { variant: 'v1', writers: 3, readers: 1, counters: 3, ops: 2 },
        runs: 3,
        spin: { commands: { spin: 's', gcc: 'g', pan: 'p' }, time: t(6), pan: parsePanOutput(PAN_SMALL) },
        spinError: null,
        modes: [
          { mode: 'no-liveness', label: '--no-liveness', command: '', time: t(2), outcome: { verdict: 'ok', states: 5_193_372, transitions: 1, memoryBytes: 83_093_952, seconds: 1.5 }, error: null, speedRatio: 3, goal: 2, speedupVsOneWorker: null, differenceFromOneWorker: null, bytesPerState: 16 },
          { mode: 'default', label: 'default (safety + liveness)', command: '', time: t(8), outcome: null, error: null, speedRatio: 0.75, goal: 1, speedupVsOneWorker: null, differenceFromOneWorker: null, bytesPerState: null },
          { mode: 'workers-2', label: '--no-liveness --workers 2', command: '', time: t(1.25), outcome: null, error: null, speedRatio: 4.8, goal: null, speedupVsOneWorker: 1.6, differenceFromOneWorker: null, bytesPerState: null },
        ],
      },
    ],
  };
  const text = renderSpinReport(report);
  const lines = text.split('\n');

  it('prints one aligned row per mode and the start-up row, with met goals', () => {
    const header = lines.findIndex((l) => l.startsWith('configuration'));
    expect(header).toBeGreaterThan(0);
    const rows = lines.slice(header + 2, header + 6);
    expect(rows.map((r) => r.split(/\s{2,}/)[0])).toEqual(['seqcount V1 W=3 R=1 K=3 OPS=2', 'seqcount V1 W=3 R=1 K=3 OPS=2', 'seqcount V1 W=3 R=1 K=3 OPS=2', 'start-up']);
    // aligned: the rmapcheck mode column starts at the same place in the header and every row
    const at = lines[header].indexOf('rmapcheck mode');
    expect(rows.slice(0, 3).map((r) => r.indexOf('-') === -1 || r.slice(at).split(/\s{2,}/)[0])).toEqual(['--no-liveness', 'default (safety + liveness)', '--no-liveness --workers 2']);
    expect(rows[0]).toMatch(/6\.00 \(5\.40\.\.7\.20\)\s+--no-liveness\s+2\.00 \(1\.80\.\.2\.40\)\s+3\.00x\s+>= 2\.00x\s+yes\s+5,193,374 \/ 5,193,372\s+16\.0$/);
    expect(rows[1]).toMatch(/0\.75x\s+>= 1\.00x\s+no\s+5,193,374 \/ -$/);
    expect(rows[2]).toMatch(/4\.80x\s+1\.60x vs 1 worker \(goal 1\.60x\), identical counts\s+yes/);
    expect(rows[3]).toMatch(/rmapcheck --version\s+0\.40 \(0\.36\.\.0\.48\)\s+< 0\.5 s\s+yes$/);
  });

  it('prints the notes before the table and a mismatch loudly after it', () => {
    const note = lines.indexOf('note: dist/ was older than the sources: built it (npm run build, 20.0 s)');
    expect(note).toBeGreaterThan(0);
    expect(note).toBeLessThan(lines.findIndex((l) => l.startsWith('configuration')));
    expect(lines[lines.length - 1]).toBe('!!! MISMATCH seqcount V1 W=3 R=1 K=3 OPS=2: SPIN stored 5 states, rmapcheck 4');
  });
});

describe('the environment', () => {
  const temps: string[] = [];
  const temp = () => {
    const d = mkdtempSync(join(tmpdir(), 'rmapcheck-spin-test-'));
    temps.push(d);
    return d;
  };
  afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('finds the Promela peers next to the repository, and says null without them', () => {
    expect(findSpinModels(join(temp(), 'repo'))).toBeNull();
    const root = join(temp(), 'repo');
    mkdirSync(join(root, '..', 'shared', 'peers', 'spin'), { recursive: true });
    writeFileSync(join(root, '..', 'shared', 'peers', 'spin', 'v1.pml'), '');
    expect(findSpinModels(root)).toBe(join(root, '..', 'shared', 'peers', 'spin'));
  });

  it('says in one line that SPIN is missing when it cannot install it', () => {
    const r = ensureSpin({ PATH: '/nonexistent' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.message).toMatch(/^SPIN is not installed and `apt-get install -y spin` failed \(.+\): the SPIN ratios are skipped$/);
      expect(r.message).not.toContain('\n');
    }
  });

  it('builds dist/ only when it is missing or older than a compiled source, and says when the build fails', () => {
    const root = temp();
    writeFileSync(join(root, 'tsconfig.build.json'), JSON.stringify({ include: ['src'] }));
    mkdirSync(join(root, 'src'));
    writeFileSync(join(root, 'src', 'a.ts'), '');
    // the build script stands in for tsc: it writes dist/cli/main.js
    const script = (body: string) => writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'x', version: '0.0.0', scripts: { build: body } }));
    script(`node -e "require('fs').mkdirSync('dist/cli',{recursive:true});require('fs').writeFileSync('dist/cli/main.js','')"`);
    expect(ensureBuilt(root)).toMatch(/^dist\/ was missing: built it \(npm run build, \d+\.\d s\)$/);
    expect(existsSync(join(root, 'dist', 'cli', 'main.js'))).toBe(true);
    expect(ensureBuilt(root)).toBeNull();
    // a .d.ts or a file outside the include list does not make dist/ stale
    const later = new Date(Date.now() + 60_000);
    writeFileSync(join(root, 'src', 'b.d.ts'), '');
    writeFileSync(join(root, 'other.ts'), '');
    utimesSync(join(root, 'src', 'b.d.ts'), later, later);
    utimesSync(join(root, 'other.ts'), later, later);
    expect(ensureBuilt(root)).toBeNull();
    utimesSync(join(root, 'src', 'a.ts'), later, later);
    script('node -e "process.exit(3)"');
    expect(ensureBuilt(root)).toMatch(/^dist\/ was older than the sources and npm run build failed \(.+\); the bench times the dist\/ there is$/);
  });
});

const spinReason = (() => {
  const v = spawnSync('spin', ['-V'], { encoding: 'utf8' });
  if (v.error || v.status !== 0) return 'spin is not on PATH';
  if (spawnSync('gcc', ['--version']).status !== 0) return 'gcc is not on PATH';
  if (!findSpinModels(ROOT)) return 'the SPIN models (../shared/peers/spin) are missing';
  return null;
})();

describe('SPIN against rmapcheck, for real', () => {
  it.skipIf(spinReason !== null)(`stores rmapcheck's states + 2 on W=2 R=1 K=1 OPS=1${spinReason ? ` (skipped: ${spinReason})` : ''}`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'rmapcheck-spin-test-'));
    try {
      expect(preparePan(findSpinModels(ROOT)!, tiny, dir)).toBeNull();
      // only the Promela files were copied (the peers' folder is read-only and stays as it is)
      expect(readdirSync(dir).filter((f) => f.endsWith('.pml')).sort()).toEqual(readdirSync(findSpinModels(ROOT)!).filter((f) => f.endsWith('.pml')).sort());
      const run = runTimed(panCommand()[0], panCommand().slice(1), dir);
      expect(run.code).toBe(0);
      const pan = parsePanOutput(run.stdout);
      expect(pan.complete).toBe(true);
      // the real bin as a process, as the bench runs it (not test/helpers/cli.ts: it loads the CLI in-process)
      const cli = runTimed(process.execPath, [join(ROOT, 'bin', 'rmapcheck.js'), ...rmapcheckArgs(tiny, 'no-liveness', false)], ROOT);
      expect(cli.stderr).toBe('');
      const rmap = parseRmapcheckJson(cli.stdout);
      expect(rmap.verdict).toBe('ok');
      expect(pan.statesStored).toBe(rmap.states + SPIN_EXTRA_STATES);
      expect(stateCountMismatch(configName(tiny), pan.statesStored, rmap.states, '--no-liveness')).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
