// Every file in scenarios/ is a scenario name (issue #9, item 24): `--scenario large-mixed` works
// like `--scenario scenarios/large-mixed.json`, from any working directory, and is recorded by name.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { rmapModel } from '../../../model/rmap';
import { SCENARIO_NAMES } from '../../../model/rmap/presets';
import { runCli, ROOT } from '../../helpers/cli';

const FILES = readdirSync(join(ROOT, 'scenarios')).filter((f) => f.endsWith('.json')).sort();

describe('scenario names', () => {
  it('every file in scenarios/ is a name, and every name a file', () => {
    expect(FILES.length).toBeGreaterThan(10);
    expect([...SCENARIO_NAMES].sort()).toEqual(FILES.map((f) => f.replace(/\.json$/, '')));
  });

  it.each(FILES)('%s: by name, the same model as from its path; recorded by name', (file) => {
    const name = file.replace(/\.json$/, '');
    const path = join(ROOT, 'scenarios', file);
    expect(JSON.parse(readFileSync(path, 'utf8')).name).toBe(name);
    const byName = rmapModel({ scenario: name });
    const byPath = rmapModel({ scenario: path });
    expect(byName.params.scenario).toBe(name);
    expect(byName.sc).toEqual(byPath.sc);
    expect(byName.key(byName.initStates()[0])).toBe(byPath.key(byPath.initStates()[0]));
  });

  it('explore --scenario large-mixed (the README and bench name) runs, and its repeat line too', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'rmapcheck-names-')), 'out');
    const r = await runCli('explore', '--model', 'rmap', '--scenario', 'large-mixed', '--seed', '3', '--runs', '20', '--json', '--out', out);
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.params.scenario).toBe('large-mixed');
    expect(j.executions).toBe(20);
    const byPath = await runCli('explore', '--model', 'rmap', '--scenario', join(ROOT, 'scenarios', 'large-mixed.json'), '--seed', '3', '--runs', '20', '--json', '--out', out);
    const k = JSON.parse(byPath.out);
    expect([k.verdict, k.steps, k.distinctStates]).toEqual([j.verdict, j.steps, j.distinctStates]);
  });

  it('an unknown name lists every name', async () => {
    const r = await runCli('check', '--model', 'rmap', '--scenario', 'large-mixd');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^rmapcheck: error: unknown scenario 'large-mixd' \(presets: [^\n]*large-mixed[^\n]*large-order9/);
  });
});
