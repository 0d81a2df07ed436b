// `rmapcheck conform` as a user runs it (issue #10's CLI contract): the own implementation is ok,
// a mutant is a violation with a trace that `replay` reproduces, `view` shows and `minimize`
// cuts down; a compile error and an unusable --out are one line and exit 2, before any work; the
// same seed writes the same bytes; Ctrl-C / SIGTERM gives a partial report.
import { describe, expect, it } from 'vitest';
import { spawn } from 'child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync, appendFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ROOT, runCli, spawnCli } from '../helpers/cli';
import { mutantKernel, pinnedMutants } from '../helpers/conform-mutants';
import { buildConformBinary } from '../../checker/conform/build';
import { checkCase, layoutOfAdapter } from '../../checker/conform/compare';
import { ConformProcess } from '../../checker/conform/process';
import { buildConformTrace, parseConformTrace, serializeConformTrace, type ConformTrace } from '../../checker/conform/trace';
import type { ConformOp } from '../../checker/conform/ops';
import { conformProgress } from '../../cli/conform';

const CONTRACT = ['impl', 'mode', 'verdict', 'property', 'runs', 'ops', 'opsPerSecond', 'firstDivergence', 'trace', 'traceLength'];

const tmp = (name: string) => mkdtempSync(join(tmpdir(), `rmapcheck-conform-cli-${name}-`));

/** The arguments of a printed `repeat:` / `replay:` line (after `npx rmapcheck`); plain words only. */
function argsOf(line: string, prefix: string): string[] {
  const cmd = line.split('\n').find((l) => l.startsWith(prefix))!;
  expect(cmd, `no "${prefix}" line`).toBeDefined();
  const words = cmd.slice(prefix.length).trim().split(/\s+/);
  expect(words.slice(0, 2)).toEqual(['npx', 'rmapcheck']);
  for (const w of words) expect(w, 'a quoted word: this test splits plain words only').not.toMatch(/['"$\\]/);
  return words.slice(2);
}

describe('conform: the own implementation', () => {
  it('is ok, in text (flags, sequences, verdict, repeat line) and in the JSON contract', async () => {
    const out = join(tmp('own'), 'out');
    const text = await runCli('conform', '--runs', '30', '--seed', '1', '--out', out);
    expect(text.err).toBe('');
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/^conform rmapcheck-own\/v\d \(.*conform\/kernel\/adapter\.c\), seqcount v\d, sequential, seed 1$/m);
    expect(text.out).toMatch(/^build: gcc .*-std=gnu11 -O2 .*-fno-strict-overflow .*conform\/include \((cached|compiled), content hash [0-9a-f]{12}\)$/m);
    expect(text.out).toMatch(/^30 sequences, [\d,]+ operations compared with the reference \([\d,]+ ops\/s\)$/m);
    expect(text.out).toContain('verdict: ok');
    expect(text.out).toContain('repeat: npx rmapcheck conform --runs 30 --seed 1');
    expect(existsSync(out)).toBe(false); // nothing diverged: no trace, no directory

    const r = await runCli('conform', '--runs', '30', '--seed', '1', '--json', '--out', out);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(Object.keys(j).slice(0, CONTRACT.length)).toEqual(CONTRACT);
    expect(j).toMatchObject({ mode: 'sequential', verdict: 'ok', property: null, runs: 30, firstDivergence: null, trace: null, traceLength: null, seed: '1', repeat: 'npx rmapcheck conform --runs 30 --seed 1' });
    expect(j.ops).toBeGreaterThan(500);
    expect(j.opsPerSecond).toBeGreaterThan(0);
    expect(j.impl).toEqual([join(ROOT, 'conform', 'kernel', 'adapter.c')]);
    expect(j.build.flags).toContain('-O2');
    // the same run in text and JSON: the same sequences, the same operations
    expect(text.out).toContain(`${j.ops.toLocaleString('en-US')} operations`);
  });

  it('as a real process: JSON on stdout, nothing on stderr, exit 0', () => {
    const r = spawnCli(['conform', '--runs', '20', '--seed', '1', '--json', '--out', join(tmp('proc'), 'out')]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ verdict: 'ok', runs: 20, mode: 'sequential' });
  });

  it.each([[[] as string[]], [['--mode', 'concurrent']]])('SIGTERM during a timed run %j: a partial report with verdict incomplete, exit 0', async (mode) => {
    const r = await new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
      const p = spawn(process.execPath, ['-r', join(ROOT, 'test', 'helpers', 'send-signal.js'), join(ROOT, 'bin', 'rmapcheck.js'), 'conform', ...mode, '--time', '120', '--seed', '5', '--json', '--out', join(tmp('term'), 'out')], {
        cwd: ROOT,
        env: { ...process.env, RMAPCHECK_TEST_SIGNAL: 'SIGTERM', RMAPCHECK_TEST_SIGNAL_AT: 'run' },
      });
      let out = '';
      let err = '';
      p.stdout.on('data', (d) => (out += d));
      p.stderr.on('data', (d) => (err += d));
      p.on('close', (code) => resolve({ code, out, err }));
    });
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.verdict).toBe('incomplete');
    expect(j.trace).toBeNull();
    expect(j.seconds).toBeLessThan(60);
  });

  it('--mode concurrent dispatches to the concurrent mode, in the same JSON contract', async () => {
    const r = await runCli('conform', '--mode', 'concurrent', '--runs', '3', '--seed', '1', '--json', '--out', join(tmp('concurrent'), 'out'));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(Object.keys(j).slice(0, CONTRACT.length)).toEqual(CONTRACT);
    expect(j).toMatchObject({ mode: 'concurrent', verdict: 'ok', runs: 3, strategy: 'random', firstDivergence: null, trace: null });
    expect(j.points).toBeGreaterThan(0);
    expect(j.build.flags).toContain('-fsanitize=thread');
    expect(j.repeat).toBe('npx rmapcheck conform --mode concurrent --strategy random --runs 3 --seed 1');
  });

  it('the progress line: sequences, operations and ops/s, a bar of sequences or of seconds', () => {
    const seen: { text: string; count?: { value: number; total: number } }[] = [];
    const line = { update: (text: string, count?: { value: number; total: number }) => seen.push({ text, count }) };
    const runs = conformProgress(line, { runs: 50 });
    runs({ runs: 10, ops: 700, seconds: 0.5, shrinking: false });
    runs({ runs: 11, ops: 770, seconds: 0.51, shrinking: false }); // within 100 ms: not redrawn
    expect(seen).toEqual([{ text: 'conform: 10 sequences, 700 ops (1,400 ops/s)', count: { value: 10, total: 50 } }]);
    const timed = conformProgress(line, { seconds: 5 });
    timed({ runs: 3000, ops: 200_000, seconds: 2.7, shrinking: false });
    expect(seen.at(-1)).toEqual({ text: 'conform: 3,000 sequences, 200,000 ops (74,074 ops/s)', count: { value: 2, total: 5 } });
  });

  it('bad options: one line, exit 2', async () => {
    for (const [args, message] of [
      [['--mode', 'parallel'], '--mode parallel: expected sequential or concurrent'],
      [['--runs', '5', '--time', '5'], 'give --runs or --time, not both'],
      [['--order', '16'], '--order 16: out of range 2..15'],
      [['--strategy', 'pct'], '--strategy pct: schedule strategies are for --mode concurrent'],
      [['--seed', 'x'], '--seed x: not a non-negative integer'],
    ] as const) {
      const r = await runCli('conform', ...args, '--out', join(tmp('bad'), 'out'));
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.out).toBe('');
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toContain(`rmapcheck: error: ${message}`);
    }
  });
});

describe('conform: a mutant, and its trace through replay, view and minimize', () => {
  const m = pinnedMutants().find((x) => x.id === 'unmap-adds')!;
  const k = mutantKernel(m.id);

  it('a violation with the pinned shrunk length; the trace replays (exit 1), the same seed rewrites the same bytes', async () => {
    const out = tmp('mutant');
    const r = await runCli('conform', '--impl', k.impl, '-I', k.include, '--seed', String(m.seed), '--out', out);
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    expect(r.out).toContain(`verdict: violation of ${m.property}`);
    expect(r.out).toMatch(new RegExp(`shrunk from \\d+ to ${m.traceLength} operations`));
    expect(r.out).toMatch(new RegExp(`^step \\d+ \\(.*\\): ${m.field}: expected 0x[0-9a-f]{16}, C has 0x[0-9a-f]{16}$`, 'm'));
    const [trace] = argsOf(r.out, 'replay:').slice(1);
    expect(readdirSync(out)).toEqual([trace.slice(out.length + 1)]);
    const bytes = readFileSync(trace, 'utf8');
    const t = parseConformTrace(bytes, trace);
    expect(t.case.ops).toHaveLength(m.traceLength);
    expect(t.adapter.inputs.map((f) => f.path)).toContain(join(k.dir, 'include', 'linux', 'rmap.h'));

    const replay = await runCli('replay', trace);
    expect(replay.code).toBe(1);
    expect(replay.out).toContain('divergence reproduces: yes');
    expect(replay.out).toContain(`DIVERGES: ${m.field}`);
    const rj = JSON.parse((await runCli('replay', trace, '--json')).out);
    expect(rj).toMatchObject({ kind: 'conformance', reproduced: true, referenceMismatches: [], mismatches: [], steps: m.traceLength });
    expect(rj.divergence).toEqual({ ...rj.recordedDivergence });

    // the printed repeat line repeats the run: the same trace, byte for byte (no --force needed)
    const again = await runCli(...argsOf(r.out, 'repeat:'), '--out', out);
    expect(again.code).toBe(1);
    expect(readFileSync(trace, 'utf8')).toBe(bytes);
    const elsewhere = tmp('mutant2');
    expect((await runCli('conform', '--impl', k.impl, '-I', k.include, '--seed', String(m.seed), '--out', elsewhere, '--json')).code).toBe(1);
    expect(readFileSync(join(elsewhere, readdirSync(elsewhere)[0]), 'utf8')).toBe(bytes);
  });

  it('--json: the contract, the trace path, the pinned length', async () => {
    const out = tmp('mutant-json');
    const r = await runCli('conform', '--impl', k.impl, '-I', k.include, '--seed', String(m.seed), '--out', out, '--json');
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out);
    expect(Object.keys(j).slice(0, CONTRACT.length)).toEqual(CONTRACT);
    expect(j).toMatchObject({ verdict: 'violation', property: m.property, traceLength: m.traceLength, divergenceKind: 'state' });
    expect(Object.keys(j.firstDivergence)).toEqual(['op', 'field', 'expected', 'actual']);
    expect(j.firstDivergence.field).toBe(m.field);
    expect(existsSync(j.trace)).toBe(true);
    expect(j.repeat).toContain(`--impl ${k.impl} -I ${k.include}`);
  });

  it('view writes a page with C beside the reference and the diverging field framed', async () => {
    const out = tmp('view');
    const r = JSON.parse((await runCli('conform', '--impl', k.impl, '-I', k.include, '--seed', String(m.seed), '--out', out, '--json')).out);
    const page = join(out, 'page.html');
    const v = await runCli('view', r.trace, '--out', page);
    expect(v.err).toBe('');
    expect(v.code).toBe(0);
    const html = readFileSync(page, 'utf8');
    expect(html).toContain('data-kind="conformance"');
    const field = m.field.replace(/^_rmap_val/, 'val');
    expect(html).toMatch(new RegExp(`<td class="cmp diverges" data-field="${field}"`));
    expect(html.match(/class="cmp diverges"/g)).toHaveLength(1);
    expect(html).toContain('<th>C</th><th>reference</th>');
    expect(html).toContain(`replay: npx rmapcheck replay ${r.trace}`);
    // the default page path: next to the trace
    expect((await runCli('view', r.trace)).code).toBe(0);
    expect(existsSync(r.trace.replace(/\.json$/, '.html'))).toBe(true);
  });

  it('minimize delta-debugs a longer sequence down to the pinned length; the result replays', async () => {
    const out = tmp('minimize');
    const r = JSON.parse((await runCli('conform', '--impl', k.impl, '-I', k.include, '--seed', String(m.seed), '--out', out, '--json')).out);
    const t = parseConformTrace(readFileSync(r.trace, 'utf8'), r.trace);
    // the same divergence behind operations that do not matter to it: pins, another MM's mappings
    const padding: ConformOp[] = [{ op: 'pin' }, { op: 'map', mm: 1, page: 0, nr: 1, path: 'shared' }, { op: 'mapped-shared', mm: 1 }, { op: 'unpin' }];
    const long = { ...t.case, ops: [...padding, ...t.case.ops] };
    const build = buildConformBinary({ impl: t.adapter.impl, includeDirs: t.adapter.includeDirs, defines: t.adapter.defines, cc: t.adapter.cc });
    const proc = new ConformProcess(build.binary, 1000);
    let padded: ConformTrace;
    try {
      await proc.request(Buffer.from([0x42, 0, 0, 0, 0, 0, 0, 0]), 0);
      const run = await checkCase(proc, layoutOfAdapter(proc.info!), long, true);
      expect(run.divergence?.field).toBe(m.field);
      padded = buildConformTrace({ adapter: proc.info!, layout: layoutOfAdapter(proc.info!), counterexample: long, divergence: run.divergence, steps: run.steps }, { ...t.adapter }, t.seed, t.stepLimitMs);
    } finally {
      proc.close();
    }
    const file = join(out, 'padded.json');
    writeFileSync(file, serializeConformTrace(padded));
    expect((await runCli('replay', file)).code).toBe(1);

    const min = join(out, 'min.json');
    const mr = await runCli('minimize', file, '--out', min, '--json');
    expect(mr.err).toBe('');
    expect(mr.code).toBe(1);
    expect(JSON.parse(mr.out)).toMatchObject({ kind: 'conformance', trace: min, rawTraceLength: m.traceLength + padding.length, minimizedTraceLength: m.traceLength });
    expect(parseConformTrace(readFileSync(min, 'utf8'), min).case.ops).toEqual(t.case.ops);
    const back = await runCli('replay', min);
    expect(back.code).toBe(1);
    expect(back.out).toContain('divergence reproduces: yes');
    // a minimal one stays as it is, and says so
    const again = await runCli('minimize', min, '--out', join(out, 'min2.json'));
    expect(again.code).toBe(1);
    expect(again.out).toContain('already 1-minimal');
  });

  it('replay after the sources changed: one line naming the file, exit 2; another format version: one line, exit 2', async () => {
    const dir = tmp('changed');
    cpSync(k.dir, join(dir, 'kernel'), { recursive: true });
    const out = join(dir, 'out');
    const r = JSON.parse((await runCli('conform', '--impl', join(dir, 'kernel', 'adapter.c'), '-I', join(dir, 'kernel', 'include'), '--seed', String(m.seed), '--out', out, '--json')).out);
    expect(r.verdict).toBe('violation');
    const text = readFileSync(r.trace, 'utf8');

    const v4 = join(dir, 'v4.json');
    writeFileSync(v4, text.replace('"formatVersion": 3', '"formatVersion": 4'));
    const bad = await runCli('replay', v4);
    expect(bad.code).toBe(2);
    expect(bad.err.trim()).toMatch(/^rmapcheck: error: .*v4\.json: conformance trace of format version 4; this rmapcheck \S+ reads conformance traces of version 3 only$/);

    const tampered = join(dir, 'tampered.json');
    const t = JSON.parse(text);
    t.steps[0].reference.mapcount = '7';
    writeFileSync(tampered, JSON.stringify(t, null, 2));
    const tr = await runCli('replay', tampered);
    expect(tr.code).toBe(2);
    expect(tr.out).toContain("recorded reference states differ from this rmapcheck's reference: step 1: reference mapcount");
    expect((await runCli('view', tampered, '--out', join(dir, 'x.html'))).code).toBe(2);
    expect(existsSync(join(dir, 'x.html'))).toBe(false);

    appendFileSync(join(dir, 'kernel', 'include', 'linux', 'rmap.h'), '\n/* a fix under way */\n');
    const changed = await runCli('replay', r.trace);
    expect(changed.code).toBe(2);
    expect(changed.out).toBe('');
    expect(changed.err.trim().split('\n')).toHaveLength(1);
    expect(changed.err).toContain(`the sources changed since the trace was written (${join(dir, 'kernel', 'include', 'linux', 'rmap.h')} changed)`);
    // the page shows the recorded states: it stays viewable while the code is being fixed
    expect((await runCli('view', r.trace, '--out', join(dir, 'page.html'))).code).toBe(0);
  });
});

describe('conform: bad input before any work', () => {
  it('a compile error: one line with the compiler\'s first error, exit 2, no output directory', async () => {
    const dir = tmp('cc');
    const bad = join(dir, 'bad.c');
    writeFileSync(bad, '#include <rmapcheck/adapter.h>\nvoid rmc_adapter_info(struct rmc_adapter_info *info)\n{\n\tinfo->name = missing_symbol;\n}\n');
    const r = await runCli('conform', '--impl', bad, '--out', join(dir, 'out'));
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/^rmapcheck: error: compiling bad\.c failed: .*bad\.c:4:\d+: error: 'missing_symbol' undeclared/);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('--out on /proc is refused before compiling (even code that does not compile)', async () => {
    const dir = tmp('proc-out');
    const bad = join(dir, 'bad.c');
    writeFileSync(bad, 'this is not C\n');
    const r = await runCli('conform', '--impl', bad, '--out', '/proc/x');
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.trim()).toMatch(/^rmapcheck: error: cannot create output directory \/proc\/x: .*proc filesystem/);
  });

  it('a trace file with other content in the way: the verdict is printed, the error says so, exit 2', async () => {
    const m = pinnedMutants()[0];
    const k = mutantKernel(m.id);
    const out = tmp('conflict');
    const first = JSON.parse((await runCli('conform', '--impl', k.impl, '-I', k.include, '--seed', String(m.seed), '--out', out, '--json')).out);
    writeFileSync(first.trace, 'something else\n');
    const r = await runCli('conform', '--impl', k.impl, '-I', k.include, '--seed', String(m.seed), '--out', out);
    expect(r.code).toBe(2);
    expect(r.out).toContain(`verdict: violation of ${m.property}`);
    expect(r.err).toContain(`rmapcheck: error: ${first.trace} already exists with other content (use --force to overwrite)`);
    expect(readFileSync(first.trace, 'utf8')).toBe('something else\n');
    expect((await runCli('conform', '--impl', k.impl, '-I', k.include, '--seed', String(m.seed), '--out', out, '--force')).code).toBe(1);
    expect(readFileSync(first.trace, 'utf8')).not.toBe('something else\n');
  });
});
