/**
 * `rmapcheck compare` end to end: the --json shape (docs/json.md's table), the pinned totals of
 * a fixed seed, every disagreement trace replayed and viewed through the CLI, text in a pipe,
 * bad input (one line, exit 2, nothing written), a false "exclusive" (exit 1), all-or-none
 * writing, the HTML report, an interrupted run (incomplete), and the paste-back line.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ROOT, runCli, spawnCli } from '../helpers/cli';
import { documented, typeOk, valuesOf } from '../helpers/json-doc';
import { runCompare } from '../../cli/compare';

const tmp = (p: string) => mkdtempSync(join(tmpdir(), `rmapcheck-compare-${p}-`));
const FIXTURE = join(ROOT, 'test', 'checker', 'compare', 'false-exclusive-order9.json');


describe('compare', () => {
  const out = tmp('out');
  let j: Record<string, any>;

  it('--json: the documented fields in order, the pinned totals, exit 0', async () => {
    const r = await runCli('compare', '--seed', '7', '--runs', '20', '--json', '--out', out);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    j = JSON.parse(r.out);
    const rows = documented('compare');
    expect(Object.keys(j)).toEqual(rows.filter((x) => !x.field.includes('.')).map((x) => x.field));
    for (const x of rows) {
      const vals = valuesOf(j, x.field);
      expect(vals.length, x.field).toBeGreaterThan(0);
      for (const v of vals) expect(typeOk(v, x.types), `${x.field} = ${JSON.stringify(v)}`).toBe(true);
    }
    expect(Object.keys(j.workloads[0])).toEqual(['name', 'params', 'designs', 'trulyShared', 'oracleReuses']);
    expect(Object.keys(j.workloads[0].designs[0]).slice(0, 7)).toEqual(['design', 'readerCalls', 'falseShared', 'falseExclusive', 'cowDecisions', 'lostReuse', 'traces']);
    expect(Object.keys(j.workloads[0].params).slice(0, 3)).toEqual(['mms', 'operations', 'pages']);
    expect(j.workloads.map((w: any) => w.params.source)).toEqual([...Array(9).fill('preset'), ...Array(20).fill('random')]);
    // the same figures as test/checker/compare/run.test.ts pins, through the CLI
    const t = j.totals.map((d: any) => [d.design, d.readerCalls, d.falseShared, d.falseExclusive, d.cowDecisions, d.lostReuse, d.wrongReuse, d.warnings]);
    expect(t).toEqual([
      ['rmap-id', 868 + 59, 18 + 3, 0, 301 + 23, 8 + 1, 0, 0],
      ['mm-id', 868 + 59, 90 + 7, 0, 301 + 23, 82 + 4, 0, 0],
    ]);
    expect(j.verdict).toBe('ok');
    expect(j.seed).toBe('7');
  });

  it('every disagreement trace replays (exit 1) through the CLI, and one is viewed', async () => {
    const traces: string[] = j.totals.flatMap((d: any) => d.traces);
    expect(traces.length).toBeGreaterThan(10);
    expect(readdirSync(out).sort()).toEqual(traces.map((p) => p.slice(out.length + 1)).sort());
    for (const t of traces) {
      const r = await runCli('replay', t, '--json');
      expect(r.code, t).toBe(1);
      const rj = JSON.parse(r.out);
      expect(rj).toMatchObject({ kind: 'compare', reproduced: true });
      expect(rj.confirmed).toBe(rj.calls);
    }
    const text = await runCli('replay', traces[0]);
    expect(text.out).toContain('disagreement reproduces: yes');
    // bad files: truncated, another version, minimize: one line, exit 2
    const d = tmp('badtrace');
    const body = readFileSync(traces[0], 'utf8');
    writeFileSync(join(d, 'cut.json'), body.slice(0, 300));
    writeFileSync(join(d, 'v5.json'), body.replace('"formatVersion": 4', '"formatVersion": 5'));
    for (const [args, msg] of [
      [['replay', join(d, 'cut.json')], /cut\.json: not valid JSON/],
      [['replay', join(d, 'v5.json')], /v5\.json: a compare trace of format version 5; this rmapcheck \S+ reads version 4 only/],
      [['view', join(d, 'v5.json'), '--out', join(d, 'v.html')], /format version 5/],
      [['minimize', traces[0], '--out', join(d, 'm.json')], /minimize does not apply/],
    ] as [string[], RegExp][]) {
      const r = await runCli(...args);
      expect([r.code, r.err.trimEnd().split('\n').length], args.join(' ')).toEqual([2, 1]);
      expect(r.err).toMatch(msg);
    }
    expect(readdirSync(d).sort()).toEqual(['cut.json', 'v5.json']);
    const page = join(tmp('view'), 'p.html');
    const v = await runCli('view', traces[0], '--out', page, '--json');
    expect(v.code).toBe(0);
    expect(JSON.parse(v.out)).toMatchObject({ kind: 'compare', out: page });
    const html = readFileSync(page, 'utf8');
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('class="bad"');
    expect(html).not.toMatch(/<(link|script) [^>]*src=/);
  });

  it('text in a pipe: the aligned table, the seed and the paste-back line; stderr clean', () => {
    const r = spawnCli(['compare', '--workload', 'double-fork', '--workload', 'file-several-vmas', '--seed', '3', '--out', tmp('pipe')]);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    const lines = r.out.split('\n');
    expect(lines[0]).toBe('compare: rmap-ID (scheme wip-v1) and MM owner tracking on 2 workloads, seed 3');
    const header = lines.find((l) => l.startsWith('workload'))!;
    const row = lines.find((l) => l.startsWith('double-fork'))!;
    expect(row.indexOf('0 / 3')).toBe(header.indexOf('false shared'));
    expect(lines.find((l) => l.startsWith('file-several-vmas'))).toContain('3 / 0');
    expect(r.out).toContain('repeat: npx rmapcheck compare --workload double-fork --workload file-several-vmas --seed 3');
    expect(r.out).not.toContain('\u001b');
  });

  it('bad input: one line, exit 2, nothing written', async () => {
    const d = tmp('bad');
    const bad = join(d, 'bad.json');
    writeFileSync(bad, '{"name": "x", "order": 4, "folio": "anon", "ops": [{"op": "new", "mm": "A"}, {"op": "exit", "mm": "B"}]}');
    const cut = join(d, 'cut.json');
    writeFileSync(cut, '{"name": "x", "order": 4, "fo');
    const cases: [string[], RegExp][] = [
      [['--workload', 'nope'], /^rmapcheck: error: unknown workload 'nope' \(presets: double-fork, /],
      [['--workload', bad], /op 1 \(exit B\): no live MM named B$/],
      [['--workload', cut], /cut\.json: not valid JSON/],
      [['--order', '10'], /--order 10: out of range 2\.\.9/],
      [['--order', 'two'], /--order two: not an integer/],
      [['--scheme', 'nope'], /unknown scheme 'nope'/],
      [['--scheme', bad], /a scheme file must hold a JSON list/],
      [['--seed', '-1'], /--seed -1: not a non-negative integer/],
      [['--seed', String(2n ** 64n)], /--seed \d+: must be below 2\^64/],
      [['--runs', '0'], /--runs 0: out of range/],
      [['--workload', 'double-fork', '--order', '2'], /workload double-fork is of order 4, not --order 2/],
      [['--out', join(bad, 'x')], /cannot create output directory/],
    ];
    for (const [args, msg] of cases) {
      const r = await runCli('compare', ...args, ...(args.includes('--out') ? [] : ['--out', join(d, 'out')]));
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.out).toBe('');
      expect(r.err.trimEnd().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.err.trimEnd(), args.join(' ')).toMatch(msg);
    }
    expect(existsSync(join(d, 'out'))).toBe(false);
    const p = spawnCli(['compare', '--workload', bad, '--out', join(d, 'out')]);
    expect([p.code, p.err.trimEnd().split('\n').length]).toEqual([2, 1]);
    expect(p.err).not.toMatch(/\n\s+at /);
  });

  it('a false "exclusive" and an unsafe reuse of rmap-ID (order 9 wrap-around): exit 1, the traces replay', async () => {
    const d = tmp('fe');
    const r = await runCli('compare', '--workload', FIXTURE, '--json', '--out', d);
    expect(r.code).toBe(1);
    const fj = JSON.parse(r.out);
    expect(fj.verdict).toBe('violation');
    const [rmap, mm] = fj.workloads[0].designs;
    expect([rmap.falseExclusive, rmap.wrongReuse, mm.falseExclusive, mm.wrongReuse]).toEqual([1, 1, 0, 0]);
    expect(fj.runs).toBe(0);
    for (const t of rmap.traces) expect((await runCli('replay', t)).code).toBe(1);
  });

  it('files are written all or none: one in the way with other content is exit 2, the verdict stands; --force replaces', async () => {
    const d = tmp('conflict');
    const first = JSON.parse((await runCli('compare', '--workload', 'double-fork', '--seed', '1', '--json', '--out', d)).out);
    const [a, b] = first.workloads[0].designs[1].traces;
    writeFileSync(a, 'other');
    const again = await runCli('compare', '--workload', 'double-fork', '--seed', '1', '--json', '--out', d);
    expect(again.code).toBe(2);
    const aj = JSON.parse(again.out);
    expect(aj.writeErrors[0]).toContain('already exists with other content (use --force to overwrite)');
    expect(aj.verdict).toBe('ok');
    expect(Object.keys(aj).at(-1)).toBe('writeErrors');
    expect(again.err).toContain(`rmapcheck: error: ${a} already exists`);
    expect(readFileSync(a, 'utf8')).toBe('other');
    expect(existsSync(b)).toBe(true);
    const forced = await runCli('compare', '--workload', 'double-fork', '--seed', '1', '--json', '--force', '--out', d);
    expect(forced.code).toBe(0);
    expect(readFileSync(a, 'utf8')).toContain('"kind": "compare"');
  });

  it('--report DIR writes DIR/compare.html', async () => {
    const d = tmp('report');
    const r = await runCli('compare', '--workload', 'double-fork', '--workload', 'random', '--runs', '2', '--seed', '5', '--out', join(d, 'out'), '--report', join(d, 'rep'));
    expect(r.code).toBe(0);
    const html = readFileSync(join(d, 'rep', 'compare.html'), 'utf8');
    expect(html).toMatch(/^<!DOCTYPE html>/i);
    expect(html).toContain('double-fork');
    expect(html).toContain('random-1');
  });

  it('an interrupted run reports the finished workloads, verdict incomplete; the repeat line repeats the run', async () => {
    // as Ctrl-C sets it (cli/interrupt.ts) once three workloads are done
    const signal = { aborted: false };
    const r = await runCompare({ workload: [], seed: '9', runs: '3', out: tmp('int') }, { signal, onProgress: (p) => (signal.aborted ||= p.done === 3) });
    expect([r.json.verdict, r.json.workloads.map((w) => w.name), r.exitCode]).toEqual(['incomplete', ['double-fork', 'worker-pool', 'file-three-mms'], 0]);
    expect(r.text).toContain('verdict: incomplete (interrupted: the workloads above finished)');
    const once = await runCompare({ workload: ['random', 'swapcache-cow'], seed: '0x10', runs: '2', out: tmp('rep') });
    expect(once.json.repeat).toBe('npx rmapcheck compare --workload random --workload swapcache-cow --runs 2 --seed 16');
    const args = once.json.repeat.split(' ').slice(3);
    const twice = await runCli('compare', ...args, '--json', '--out', tmp('rep2'));
    const strip = (w: any[]) => w.map((x) => ({ ...x, designs: x.designs.map((d: any) => ({ ...d, traces: d.traces.length })) }));
    expect(strip(JSON.parse(twice.out).workloads)).toEqual(strip(once.json.workloads));
  });
});
