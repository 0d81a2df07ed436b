// The audit's conformance section (issue #10): `audit --impl FILE.c` checks that C code at the
// default budget, in the text, the JSON and the report (with a viewer page for the trace); a
// compile error stops the audit before its model checks; without --impl it checks rmapcheck's own
// implementation.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { runCli } from '../helpers/cli';
import { mutantKernel, pinnedMutants } from '../helpers/conform-mutants';

describe('audit: conformance of C code', () => {
  it('--impl of a mutant: a violation row with its trace, exit 1; the report has the section and the page', async () => {
    const m = pinnedMutants()[0];
    const k = mutantKernel(m.id);
    const dir = mkdtempSync(join(tmpdir(), 'rmapcheck-conform-audit-'));
    const r = await runCli('audit', '--impl', k.impl, '-I', k.include, '--explore-seconds', '0', '--out', join(dir, 'out'), '--report', join(dir, 'report'), '--json');
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out);
    expect(j.conform.map((c: { mode: string }) => c.mode)).toEqual(['sequential', 'concurrent']);
    const row = j.conform[0];
    expect(row).toMatchObject({ mode: 'sequential', impl: [k.impl], verdict: 'violation', property: m.property, asExpected: false, traceLength: m.traceLength, skipped: null });
    expect(row.firstDivergence.field).toBe(m.field);
    expect(row.repeat).toBe(`npx rmapcheck conform --impl ${k.impl} -I ${k.include} --runs ${row.runs} --seed 1`);
    const replay = await runCli('replay', row.trace);
    expect(replay.code).toBe(1);
    expect(replay.out).toContain('divergence reproduces: yes');
    // the row repeats: the same trace
    const again = await runCli(...row.repeat.split(' ').slice(2), '--out', join(dir, 'out'), '--json');
    expect(JSON.parse(again.out).trace).toBe(row.trace);

    const md = readFileSync(j.report.markdown, 'utf8');
    expect(md).toContain('## Conformance of C code');
    expect(md).toMatch(new RegExp(`\\| rmapcheck-own/v\\d \\| sequential \\| violation \\| ${m.property} \\| \\*\\*NO\\*\\* \\| `));
    const page = row.trace.replace(/\.json$/, '.html');
    expect(j.report.pages).toContain(page);
    expect(readFileSync(page, 'utf8')).toContain('data-kind="conformance"');
    expect(readFileSync(j.report.html, 'utf8')).toContain('<h2>Conformance of C code</h2>');
  });

  it('without --impl: rmapcheck\'s own implementation, ok, in the text', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rmapcheck-conform-audit-own-'));
    const r = await runCli('audit', '--explore-seconds', '0', '--out', join(dir, 'out'));
    expect(r.code).toBe(1); // the audit's refutations of orders 7..9
    expect(r.out).toContain("Conformance of C code against the reference (conform at its default budgets: sequential 200 sequences, concurrent its default programs; seed 1; rmapcheck's own implementation");
    expect(r.out).toMatch(/^rmapcheck-own\/v\d\s+sequential\s+ok\s+-\s+yes\s+200\s/m);
    expect(r.out).toMatch(/^rmapcheck-own\/v\d\s+concurrent\s+ok\s+-\s+yes\s+\d+\s/m);
    expect(r.out).toContain('2 conformance run(s) of C code; 0 not as expected');
  });

  it('a compile error of --impl: one line, exit 2, before the model checks (no trace written)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rmapcheck-conform-audit-bad-'));
    const bad = join(dir, 'bad.c');
    writeFileSync(bad, '#include <rmapcheck/adapter.h>\nint x = ;\n');
    const t0 = Date.now();
    const r = await runCli('audit', '--impl', bad, '--out', join(dir, 'out'));
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/^rmapcheck: error: compiling bad\.c failed: .*bad\.c:2:\d+: error:/);
    expect(existsSync(join(dir, 'out')) ? readdirSync(join(dir, 'out')) : []).toEqual([]);
    expect(Date.now() - t0).toBeLessThan(10_000);
  });
});
