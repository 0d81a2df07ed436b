// User JSON input (traces, scenarios, scheme files, explore reports) through the CLI: absurd
// nesting and wrong trace headers are one-line errors (exit 2), a UTF-8 byte-order mark is
// accepted, `minimize` and `view` take only a trace that replays, and neither writes over its input.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { runCli, spawnCli } from '../helpers/cli';
import { MAX_JSON_DEPTH, checkJsonDepth, jsonTextDepth, parseUserJson } from '../../model/json-input';
import { rmapModel } from '../../model/rmap';
import { oneLineError } from '../helpers/errors';
import { smallScenario } from '../helpers/scenarios';

const TRACES = join(__dirname, '..', 'traces');
const SEQCOUNT = join(TRACES, 'seqcount-no-retry-snapshot.json');
const RMAP = join(TRACES, 'rmap-no-retry-linearizable.json');
const SUBID = join(TRACES, 'subid-order7-soundness.json');
const DEPTH = 100_000;
const BOM = '\uFEFF';

const tmp = () => mkdtempSync(join(tmpdir(), 'rmapcheck-input-'));
const deep = (n = DEPTH) => '['.repeat(n) + ']'.repeat(n);
const read = (file: string) => JSON.parse(readFileSync(file, 'utf8'));

/** A one-line `rmapcheck: error:` on stderr, exit 2, nothing on stdout. */
function refused(r: { code: number; out: string; err: string }, pattern: RegExp) {
  expect(r.code, r.err).toBe(2);
  expect(r.err).toMatch(/^rmapcheck: error: [^\n]*\n$/);
  expect(r.err).toMatch(pattern);
  expect(r.out).toBe('');
}

const SCENARIO = smallScenario();

describe('deeply nested JSON input', () => {
  const NESTED = /nested more than 64 levels deep/;

  it('the limit: 64 levels parse, 65 are refused; brackets inside strings do not count', () => {
    expect(MAX_JSON_DEPTH).toBe(64);
    expect(parseUserJson(deep(64), 'f.json')).toBeInstanceOf(Array);
    expect(oneLineError(() => parseUserJson(deep(65), 'f.json'))).toBe('f.json: JSON nested more than 64 levels deep (no rmapcheck input needs that many)');
    const inString = JSON.stringify({ a: '[{'.repeat(1000), b: 'a \\" [[[' });
    expect(jsonTextDepth(inString)).toBe(1);
    expect(parseUserJson(inString, 'f.json')).toEqual(JSON.parse(inString));
    expect(jsonTextDepth('{"a": [{"b": "\\"}"}, [[]]]}')).toBe(4);
  });

  it('a library caller\'s deep scenario object is refused before anything recursive sees it', () => {
    let value: unknown = [];
    for (let i = 0; i < DEPTH; i++) value = [value];
    expect(oneLineError(() => checkJsonDepth(value, 'x'))).toMatch(NESTED);
    expect(oneLineError(() => rmapModel({ scenario: { ...SCENARIO, description: value } }))).toMatch(/^scenario: JSON nested more than 64 levels/);
  });

  it('a 100,000-deep scenario (file or inline) is refused by check and explore', async () => {
    const dir = tmp();
    const file = join(dir, 'deep.json');
    const text = JSON.stringify({ ...SCENARIO, description: 'x' }).replace('"x"', deep());
    writeFileSync(file, text);
    refused(await runCli('check', '--model', 'rmap', '--scenario', file, '--out', dir), NESTED);
    refused(await runCli('explore', '--model', 'rmap', '--scenario', file, '--runs', '1', '--seed', '1', '--out', dir), NESTED);
    refused(await runCli('check', '--model', 'rmap', '--scenario', text, '--out', dir), NESTED);
    expect(readdirSync(dir)).toEqual(['deep.json']);
  });

  it('a trace whose params hold a 100,000-deep scenario is refused by replay, minimize and view', async () => {
    const dir = tmp();
    const file = join(dir, 'deep-trace.json');
    writeFileSync(file, JSON.stringify(read(RMAP)).replace('"scenario":"torn-values"', `"scenario":{"description":${deep()}}`));
    refused(await runCli('replay', file), NESTED);
    refused(await runCli('minimize', file, '--out', join(dir, 'min.json')), NESTED);
    refused(await runCli('view', file, '--out', join(dir, 'page.html')), NESTED);
    expect(readdirSync(dir)).toEqual(['deep-trace.json']);
  });

  it('a 100,000-deep explore report and scheme file are refused by merge and prove', async () => {
    const dir = tmp();
    const file = join(dir, 'deep.json');
    writeFileSync(file, deep());
    refused(await runCli('merge', file), NESTED);
    refused(await runCli('prove', '--scheme', file, '--out', dir), NESTED);
  });

  it('the real process: exit 2 and one line, not a stack overflow (exit 70)', () => {
    const dir = tmp();
    const file = join(dir, 'deep.json');
    writeFileSync(file, `{"format":"rmapcheck-trace","formatVersion":2,"x":${deep()}}`);
    refused(spawnCli(['replay', file]), NESTED);
  });
});

describe('a UTF-8 byte-order mark at the start of a JSON file', () => {
  it('is accepted in traces (replay, view, minimize)', async () => {
    const dir = tmp();
    const file = join(dir, 'bom.json');
    writeFileSync(file, BOM + readFileSync(SEQCOUNT, 'utf8'));
    const r = await runCli('replay', file);
    expect(r.code, r.err).toBe(1);
    expect(r.out).toContain('violation reproduces: yes');
    expect((await runCli('view', file, '--out', join(dir, 'page.html'))).code).toBe(0);
    const m = await runCli('minimize', file, '--out', join(dir, 'min.json'));
    expect(m.code, m.err).toBe(1);
    expect((await runCli('replay', join(dir, 'min.json'))).code).toBe(1);
    const s = join(dir, 'subid.json');
    writeFileSync(s, BOM + readFileSync(SUBID, 'utf8'));
    expect((await runCli('replay', s)).code).toBe(1);
  });

  it('is accepted in scenario files, scheme files and explore reports', async () => {
    const dir = tmp();
    const scenario = join(dir, 'scenario.json');
    writeFileSync(scenario, BOM + JSON.stringify(SCENARIO));
    const c = await runCli('check', '--model', 'rmap', '--scenario', scenario, '--out', dir, '--json');
    expect(c.code, c.err).toBe(0);
    expect(JSON.parse(c.out).verdict).toBe('ok');
    const scheme = join(dir, 'scheme.json');
    writeFileSync(scheme, BOM + JSON.stringify([{ name: 'tiny', orders: [2, 2], values: 2, chunkBits: 3, bound: 8, wordBits: 8, idBits: 6 }]));
    const p = await runCli('prove', '--scheme', scheme, '--out', dir, '--json');
    expect(p.code, p.err).not.toBe(2);
    const e = await runCli('explore', '--model', 'seqcount', '--runs', '20', '--seed', '7', '--json', '--out', dir);
    expect(e.code, e.err).toBe(0);
    const report = join(dir, 'report.json');
    writeFileSync(report, BOM + e.out);
    const m = await runCli('merge', report, '--json');
    expect(m.code, m.err).toBe(0);
    expect(JSON.parse(m.out).executions).toBe(20);
  });
});

/** Writes `trace` edited by `edit` into `dir/name`; returns the path. */
function edited(dir: string, name: string, source: string, edit: (t: Record<string, any>) => void): string {
  const t = read(source);
  edit(t);
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(t, null, 2));
  return file;
}

describe('minimize and view replay the trace first', () => {
  it('a recorded state that does not replay: refused like replay refuses it, no file written', async () => {
    const dir = tmp();
    const file = edited(dir, 'bad.json', RMAP, (t) => (t.steps[2].state.mapcount = '7'));
    const replay = await runCli('replay', file);
    expect(replay.code).toBe(2);
    expect(replay.out).toContain('step 3: mapcount = 2 (recorded 7)');
    refused(await runCli('minimize', file, '--out', join(dir, 'min.json')), /bad\.json: recorded states differ from what the model does now: step 3: mapcount = 2 \(recorded 7\)/);
    refused(await runCli('view', file, '--out', join(dir, 'page.html')), /bad\.json: recorded states differ .*step 3: mapcount = 2 \(recorded 7\)/);
    expect(readdirSync(dir)).toEqual(['bad.json']);
  });

  it('a trace whose bug was edited to none is not shown as violated', async () => {
    const dir = tmp();
    const file = edited(dir, 'nobug.json', RMAP, (t) => (t.params.bug = 'none'));
    expect((await runCli('replay', file)).code).toBe(2);
    refused(await runCli('view', file, '--out', join(dir, 'page.html')), /nobug\.json: recorded states differ/);
    refused(await runCli('minimize', file, '--out', join(dir, 'min.json')), /nobug\.json: recorded states differ/);
    expect(readdirSync(dir)).toEqual(['nobug.json']);
  });

  it('a trace that replays but whose violation does not reproduce is refused too', async () => {
    const dir = tmp();
    // the schedule without its last step: every recorded state matches, the property holds at the end
    const file = edited(dir, 'short.json', SEQCOUNT, (t) => t.steps.pop());
    const replay = await runCli('replay', file);
    expect(replay.code).toBe(0);
    expect(replay.out).toContain('violation reproduces: no');
    refused(await runCli('view', file, '--out', join(dir, 'page.html')), /short\.json: the recorded violation of snapshot does not reproduce/);
    refused(await runCli('minimize', file, '--out', join(dir, 'min.json')), /short\.json: the recorded violation of snapshot does not reproduce/);
    expect(readdirSync(dir)).toEqual(['short.json']);
  });
});

describe('replay checks the trace header', () => {
  it.each<[string, string, (t: Record<string, any>) => void, RegExp]>([
    ['a threads list of the wrong length', RMAP, (t) => t.threads.push('X'), /threads \["W0","W1","R0","X"\] are not the model's threads \["W0","W1","R0"\]/],
    ['a renamed thread', RMAP, (t) => (t.threads[0] = 'Q'), /threads \["Q","W1","R0"\] are not the model's threads/],
    ['a gap in the step numbers', RMAP, (t) => (t.steps[3].step = 5), /step 4 is numbered 5 \(steps are numbered 1, 2, 3, \.\.\.\)/],
    ['every step numbered 1', SEQCOUNT, (t) => t.steps.forEach((s: { step: number }) => (s.step = 1)), /step 2 is numbered 1/],
    ['sub-ID steps out of order', SUBID, (t) => (t.steps[0].step = 2), /step 1 is numbered 2/],
    ['the wrong expectation', SEQCOUNT, (t) => (t.property.expectation = 'eventually'), /property snapshot is an "always" property of model seqcount, recorded as "eventually"/],
    ['a property the model does not have', SEQCOUNT, (t) => (t.property.name = 'nonsense'), /the model has no property 'nonsense'/],
    ['a loop on an always property', SEQCOUNT, (t) => (t.loopStart = 1), /loopStart 1: only a counterexample of an eventually property is a loop/],
    ['an unknown model', SEQCOUNT, (t) => (t.model = 'nonsense'), /unknown model 'nonsense'/],
    ['an unknown parameter', SEQCOUNT, (t) => (t.params.colour = 'red'), /unknown parameter 'colour'/],
    ['a sub-ID trace naming another property', SUBID, (t) => (t.property.name = 'linearizable'), /a sub-ID trace is a counterexample of I4-soundness \(always\), not linearizable \(always\)/],
    ['one MM with two rmap IDs', SUBID, (t) => (t.query.rmapId = String(BigInt(t.query.rmapId) + 1n)), /MM ".*" has rmap ID .* at the query but .* at step \d+/],
  ])('%s: one-line error, exit 2, also in view and minimize', async (_name, source, edit, pattern) => {
    const dir = tmp();
    const file = edited(dir, 'edited.json', source, edit);
    refused(await runCli('replay', file), pattern);
    refused(await runCli('view', file, '--out', join(dir, 'page.html')), pattern);
    if (read(file).kind === 'model') refused(await runCli('minimize', file, '--out', join(dir, 'min.json')), pattern);
    expect(readdirSync(dir)).toEqual(['edited.json']);
  });

  it('the shipped traces pass every header check', async () => {
    for (const f of readdirSync(TRACES)) {
      const r = await runCli('replay', join(TRACES, f));
      expect(r.code, `${f}: ${r.err}`).toBe(1);
    }
  });
});

describe('output paths of minimize and view', () => {
  it('minimize --help says --out is required', async () => {
    const r = await runCli('minimize', '--help');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Usage: rmapcheck minimize --out <MIN> \[options\] <TRACE>/);
    expect(r.out).toMatch(/--out <MIN>\s+file for the minimized trace \(required\)/);
  });

  it('--out an existing directory says so, with or without --force', async () => {
    const dir = tmp();
    const sub = join(dir, 'sub');
    mkdirSync(sub);
    for (const force of [[], ['--force']]) {
      refused(await runCli('minimize', SEQCOUNT, '--out', sub, ...force), /--out .*sub is a directory; give the path of a file/);
      refused(await runCli('view', SEQCOUNT, '--out', sub, ...force), /--out .*sub is a directory; give the path of a file/);
    }
    expect(readdirSync(sub)).toEqual([]);
  });

  it('--out the input trace itself (by any spelling) is refused, even with --force', async () => {
    const dir = tmp();
    const file = join(dir, 't.json');
    const text = readFileSync(SEQCOUNT, 'utf8');
    writeFileSync(file, text);
    symlinkSync(file, join(dir, 'link.json'));
    for (const out of [file, join(dir, '.', 't.json'), join(dir, 'link.json')]) {
      refused(await runCli('view', file, '--out', out, '--force'), /--out .* is the input .*t\.json itself; give another file/);
      refused(await runCli('minimize', file, '--out', out, '--force'), /--out .* is the input .*t\.json itself; give another file/);
      refused(await runCli('view', join(dir, 'link.json'), '--out', out, '--force'), /is the input .*link\.json itself/);
    }
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect(readdirSync(dir).sort()).toEqual(['link.json', 't.json']);
  });
});
