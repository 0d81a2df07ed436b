/**
 * `rmapcheck litmus`: herd7's report of a C-litmus file (states, Positive/Negative, Observation)
 * with the candidates, the witness step table and the data-race flag; `--json` as docs/json.md
 * documents it; bad input (syntax, unknown primitive, a lock, RCU, a missing file) a one-line
 * error with exit 2 and no stack trace; `--export` writes the protocol programs for herd7,
 * checks its files before writing, overwrites nothing without --force.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ROOT, runCli, spawnCli } from '../helpers/cli';
import { documented, typeOk, valuesOf } from '../helpers/json-doc';
import { parseLitmus } from '../../lkmm/parse';
import { checkLitmus } from '../../lkmm/check';
import { litmusProgramsFor } from '../../lkmm/generate/index';

const LITMUS = join(ROOT, 'test', 'lkmm', 'litmus');
const tmp = () => mkdtempSync(join(tmpdir(), 'rmapcheck-litmus-'));


describe('rmapcheck litmus', () => {
  it('prints herd7\'s report, the counts, the witness as a step table with rf/co, exit 0', async () => {
    const r = await runCli('litmus', join(LITMUS, 'MP+poonceonces.litmus'));
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    for (const line of ['Test MP+poonceonces Allowed', 'States 4', 'Ok', 'Positive: 1 Negative: 3', 'Condition exists (1:r0=1 /\\ 1:r1=0)', 'Observation MP+poonceonces Sometimes 1 3', 'Candidates 4 (coherent and atomic), allowed 4', 'data race: none flagged'])
      expect(r.out.split('\n')).toContain(line);
    expect(r.out).toMatch(/^event\s+thread\s+access\s+instruction\s+reads from$/m);
    expect(r.out).toMatch(/^c\s+P1\s+R\[once\] flag=1\s+r0 = READ_ONCE\(\*flag\)\s+rf from b$/m);
    expect(r.out).toContain('  b -> c');
    expect(r.out).toContain('  buf: init buf -> a');
    expect(r.out).toContain('final: 1:r0=1; 1:r1=0; buf=1; flag=1;');
  });

  it('Never: no witness, still exit 0; a data race is flagged with the racing accesses', async () => {
    const never = await runCli('litmus', join(LITMUS, 'SB+fencembonceonces.litmus'));
    expect(never.code).toBe(0);
    expect(never.out).toContain('Observation SB+fencembonceonces Never 0 3');
    expect(never.out).not.toContain('witness');
    const race = await runCli('litmus', join(LITMUS, 'MP+plain.litmus'));
    expect(race.code).toBe(0);
    expect(race.out).toContain('Flag data-race');
    expect(race.out).toMatch(/ race on (buf|flag): /);
  });

  it('--json has the documented shape; the first fields are the issue\'s; several files give an array', async () => {
    const rows = documented('litmus');
    for (const f of ['MP+poonceonces.litmus', 'MP+plain.litmus', 'SB+fencembonceonces.litmus']) {
      const r = await runCli('litmus', join(LITMUS, f), '--json');
      expect(r.code).toBe(0);
      const j = JSON.parse(r.out);
      const top = rows.filter((x) => !x.field.includes('.') && !x.field.includes('[]')).map((x) => x.field);
      expect(Object.keys(j)).toEqual(top);
      expect(Object.keys(j).slice(0, 6)).toEqual(['name', 'verdict', 'dataRace', 'candidates', 'allowed', 'witness']);
      for (const row of rows) for (const v of valuesOf(j, row.field)) expect(typeOk(v, row.types), `${row.field} = ${JSON.stringify(v)}`).toBe(true);
      // the same numbers as the library
      const lib = checkLitmus(parseLitmus(readFileSync(join(LITMUS, f), 'utf8'), f));
      expect([j.verdict, j.dataRace, j.candidates, j.allowed]).toEqual([lib.verdict, lib.dataRace, lib.candidates, lib.allowed]);
    }
    const two = await runCli('litmus', join(LITMUS, 'MP+poonceonces.litmus'), join(LITMUS, 'LB+poonceonces.litmus'), '--json');
    expect(JSON.parse(two.out).map((x: { name: string }) => x.name)).toEqual(['MP+poonceonces', 'LB+poonceonces']);
  });

  it('--view writes the witness page (escaped), nothing overwritten without --force', async () => {
    const d = tmp();
    const page = join(d, 'mp.html');
    const r = await runCli('litmus', join(LITMUS, 'MP+poonceonces.litmus'), '--view', page, '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).view).toBe(page);
    const html = readFileSync(page, 'utf8');
    for (const s of ['<th style="color:#0072B2">P0</th>', 'rf from b', 'buf: init buf &rarr; a', '1:r0=1; 1:r1=0;', 'exists (1:r0=1 /\\ 1:r1=0)']) expect(html).toContain(s);
    expect(html).not.toMatch(/<script/);
    writeFileSync(page, 'mine\n');
    const again = await runCli('litmus', join(LITMUS, 'MP+poonceonces.litmus'), '--view', page);
    expect([again.code, readFileSync(page, 'utf8')]).toEqual([2, 'mine\n']);
    expect((await runCli('litmus', join(LITMUS, 'SB+fencembonceonces.litmus'), '--view', page, '--force')).code).toBe(0);
    expect(readFileSync(page, 'utf8')).toContain('No witness');
    const two = await runCli('litmus', join(LITMUS, 'MP+poonceonces.litmus'), join(LITMUS, 'LB+poonceonces.litmus'), '--view', page);
    expect([two.code, two.err.trim()]).toEqual([2, 'rmapcheck: error: litmus --view takes exactly one FILE.litmus']);
  });

  it('bad input: one line, exit 2, no stack trace (a real process)', () => {
    const d = tmp();
    const cases: [string, string, RegExp][] = [
      ['syntax.litmus', 'C X\n{}\nP0(int *x)\n{\n\tWRITE_ONCE(*x, 1)\n}\nexists (x=1)\n', /syntax\.litmus:6:1: expected ';', found '}'$/],
      ['unknown.litmus', 'C X\n{}\nP0(int *x)\n{\n\tsmp_frob();\n}\nexists (x=1)\n', /unknown\.litmus:5:2: smp_frob: unknown primitive$/],
      ['lock.litmus', 'C X\n{}\nP0(int *x, int *l)\n{\n\tspin_lock(l);\n\tWRITE_ONCE(*x, 1);\n}\nexists (x=1)\n', /lock\.litmus:5:2: spin_lock: locks are not supported by rmapcheck's LKMM checker$/],
      ['rcu.litmus', 'C X\n{}\nP0(int *x)\n{\n\tsynchronize_rcu();\n}\nexists (x=1)\n', /rcu\.litmus:5:2: synchronize_rcu: RCU and SRCU are not supported/],
    ];
    for (const [name, text, message] of cases) {
      writeFileSync(join(d, name), text);
      const r = spawnCli(['litmus', join(d, name)]);
      expect(r.code, name).toBe(2);
      expect(r.out).toBe('');
      expect(r.err.trimEnd().split('\n'), name).toHaveLength(1);
      expect(r.err.trimEnd()).toMatch(/^rmapcheck: error: /);
      expect(r.err.trimEnd()).toMatch(message);
    }
    const missing = spawnCli(['litmus', join(d, 'nope.litmus')]);
    expect([missing.code, missing.err.trim()]).toEqual([2, `rmapcheck: error: cannot read ${join(d, 'nope.litmus')}: no such file`]);
    // one bad file among good ones: nothing is printed but the error
    const mixed = spawnCli(['litmus', join(LITMUS, 'MP+poonceonces.litmus'), join(d, 'lock.litmus')]);
    expect([mixed.code, mixed.out]).toEqual([2, '']);
  });

  it('--export writes every program of the model as NAME.litmus, which reads back to the same verdicts; nothing overwritten without --force', async () => {
    const d = join(tmp(), 'out');
    const r = await runCli('litmus', '--export', '--model', 'seqcount', '--variant', 'v2', '--out', d, '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    const programs = litmusProgramsFor({ model: 'seqcount', variant: 'v2' });
    expect(readdirSync(d).sort()).toEqual(programs.map((p) => `${p.name}.litmus`).sort());
    expect(j.files).toHaveLength(programs.length);
    for (const p of programs) {
      const back = parseLitmus(readFileSync(join(d, `${p.name}.litmus`), 'utf8'), p.name);
      expect(checkLitmus(back).verdict, p.name).toBe(checkLitmus(p).verdict);
    }
    // a rerun with the same content needs no --force
    expect((await runCli('litmus', '--export', '--model', 'seqcount', '--variant', 'v2', '--out', d)).code).toBe(0);
    // other content in the way: exit 2, one line, the file unchanged
    const victim = join(d, readdirSync(d)[0]);
    writeFileSync(victim, 'mine\n');
    const clash = await runCli('litmus', '--export', '--model', 'seqcount', '--variant', 'v2', '--out', d);
    expect(clash.code).toBe(2);
    expect(clash.err.trimEnd().split('\n')).toHaveLength(1);
    expect(clash.err).toContain('already exists with other content (use --force to overwrite)');
    expect(readFileSync(victim, 'utf8')).toBe('mine\n');
    expect((await runCli('litmus', '--export', '--model', 'seqcount', '--variant', 'v2', '--out', d, '--force')).code).toBe(0);
    expect(readFileSync(victim, 'utf8')).not.toBe('mine\n');
    // usage errors
    expect((await runCli('litmus', '--export', '--out', d)).err).toContain('litmus --export needs --model');
    expect((await runCli('litmus', '--model', 'seqcount', join(LITMUS, 'MP+poonceonces.litmus'))).err).toContain('--model goes with --export');
    const file = join(tmp(), 'f');
    writeFileSync(file, '');
    const notDir = await runCli('litmus', '--export', '--model', 'seqcount', '--out', file);
    expect([notDir.code, notDir.err.trim()]).toEqual([2, `rmapcheck: error: output directory ${file} exists and is not a directory`]);
  });
});
