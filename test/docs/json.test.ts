/**
 * The `--json` shapes (issue #9 item 17): one shape everywhere (`trace` = the trace file's path,
 * the trace itself only with `--embed-trace`, the coverage sketch only in shard reports), and
 * every field as docs/json.md documents it. The documentation is read here: its tables are the
 * expected shapes, so the doc and the output cannot drift apart.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ROOT, runCli } from '../helpers/cli';
import { documented, typeOk, valuesOf } from '../helpers/json-doc';



/** Every documented field has its documented type; with `exact`, the top-level keys are exactly
 *  the documented ones, in the documented order (`extra` allowed after them). */
function expectShape(command: string, j: unknown, how: { exact?: boolean; extra?: string[]; rows?: { field: string; types: string[] }[] } = {}): void {
  const rows = how.rows ?? documented(command);
  const top = rows.filter((r) => !r.field.includes('.') && !r.field.includes('[]')).map((r) => r.field);
  const keys = Object.keys(j as object);
  if (how.exact) expect(keys, `${command}: the top-level fields`).toEqual([...top, ...(how.extra ?? [])]);
  else for (const f of top) expect(keys, `${command}: documented field ${f}`).toContain(f);
  for (const r of rows) for (const v of valuesOf(j, r.field)) expect(typeOk(v, r.types), `${command}: ${r.field} = ${JSON.stringify(v)?.slice(0, 80)} is ${r.types.join(' or ')}`).toBe(true);
}

async function json(...argv: string[]): Promise<Record<string, unknown>> {
  const r = await runCli(...argv, '--json');
  expect(r.err).toBe('');
  expect([0, 1]).toContain(r.code);
  return JSON.parse(r.out);
}

const dir = mkdtempSync(join(tmpdir(), 'rmapcheck-json-'));

describe('explore --json', () => {
  it('the documented fields, in order, for every strategy and outcome; trace is the path', async () => {
    const runs = {
      ok: await json('explore', '--model', 'seqcount', '--seed', '1', '--runs', '100', '--out', dir),
      violation: await json('explore', '--model', 'seqcount', '--bug', 'no-retry', '--seed', '11', '--runs', '2000', '--out', dir),
      race: await json('explore', '--model', 'rmap', '--scenario', 'exclusive-race', '--bug', 'no-exclusive-wait', '--strategy', 'race', '--seed', '3', '--runs', '500', '--out', dir),
      pct: await json('explore', '--model', 'seqcount', '--strategy', 'pct', '--seed', '1', '--runs', '100', '--out', dir),
      livelock: await json('explore', '--model', 'rmap', '--scenario', 'livelock', '--seed', '1', '--runs', '200', '--out', dir),
      cut: await json('explore', '--model', 'seqcount', '--seed', '1', '--runs', '50', '--depth', '3', '--out', dir),
    };
    for (const [name, j] of Object.entries(runs)) {
      expectShape('explore', j, { exact: true });
      expect(j.coverageSketch, name).toBeNull(); // only shard reports carry it
      if (j.verdict === 'violation') expect(JSON.parse(readFileSync(j.trace as string, 'utf8')).property.name, name).toBe(j.property);
      else expect(j.trace, name).toBeNull();
    }
    expect(runs.race.raceWindows).not.toBeNull();
    expect(runs.pct.pctBound).not.toBeNull();
    expect(runs.livelock.loopStart).not.toBeNull();
    expect((runs.cut.notChecked as unknown[]).length).toBeGreaterThan(0);
    // small: no trace object, no 22 KB sketch
    expect(JSON.stringify(runs.violation).length).toBeLessThan(4000);
  });

  it('--embed-trace adds the trace itself as traceData; a shard report carries the coverage sketch', async () => {
    const embedded = await json('explore', '--model', 'seqcount', '--bug', 'no-retry', '--seed', '11', '--runs', '2000', '--embed-trace', '--out', dir);
    expectShape('explore', embedded, { exact: true, extra: ['traceData'] });
    expect(embedded.traceData).toEqual(JSON.parse(readFileSync(embedded.trace as string, 'utf8')));
    const shard = await json('explore', '--model', 'seqcount', '--seed', '1', '--runs', '200', '--shard', '0/2', '--out', dir);
    expectShape('explore', shard, { exact: true });
    expect(typeof shard.coverageSketch).toBe('string');
  });
});

describe('merge --json and minimize --json', () => {
  it('merge: the explore fields, then the merge fields', async () => {
    const files: string[] = [];
    for (const i of [0, 1]) {
      const j = await json('explore', '--model', 'seqcount', '--bug', 'no-retry', '--seed', '11', '--runs', '2000', '--shard', `${i}/2`, '--out', dir);
      files.push(join(dir, `shard${i}.json`));
      writeFileSync(files[i], JSON.stringify(j));
    }
    const merged = await json('merge', ...files);
    const rows = [...documented('explore'), ...documented('merge')];
    expectShape('merge', merged, { exact: true, rows });
    expect(typeof merged.trace).toBe('string');
    expect(typeof merged.coverageSketch).toBe('string');
  });

  it('minimize: input, trace (the file written), ...', async () => {
    const found = await json('explore', '--model', 'seqcount', '--bug', 'no-retry', '--seed', '11', '--runs', '2000', '--no-minimize', '--out', join(dir, 'raw'));
    const out = join(dir, 'min.json');
    const j = await json('minimize', found.trace as string, '--out', out, '--force');
    expectShape('minimize', j, { exact: true });
    expect([j.input, j.trace]).toEqual([found.trace, out]);
  });
});

describe('the other commands: every documented field is there, with its type', () => {
  it('check, replay, view', async () => {
    const check = await json('check', '--model', 'seqcount', '--bug', 'no-retry', '--out', dir, '--force');
    expectShape('check', check);
    expect(typeof check.trace).toBe('string');
    expectShape('check', await json('check', '--model', 'seqcount', '--out', dir));
    const replay = await json('replay', check.trace as string);
    expectShape('replay', replay);
    expectShape('view', await json('view', check.trace as string, '--out', join(dir, 'page.html'), '--force'));
  });

  it('prove, subids, models', async () => {
    const prove = await json('prove', '--order', '7', '--out', dir, '--force');
    expectShape('prove', prove);
    expect(typeof (prove.orders as { counterexample: { trace: unknown } }[])[0].counterexample.trace).toBe('string');
    expectShape('subids', await json('subids', '--bound', '4', '--bits', '2'), { exact: true });
    const models = await runCli('models', '--json');
    expect(models.code).toBe(0);
    const list = JSON.parse(models.out) as unknown[];
    expect(list.length).toBeGreaterThan(0);
    for (const m of list) expectShape('models', m);
  });
});
