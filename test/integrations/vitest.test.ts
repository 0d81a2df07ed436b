import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { expectCounterexample, expectNoCounterexample, expectTraceReplays, traceFiles } from '../../integrations/vitest';
import { registerTraceFolder } from '../../integrations/vitest-core';
import { findModel } from '../../model/registry';

const TRACES = join(__dirname, '..', 'traces');

describe('rmapcheck/vitest helpers', () => {
  it('expectNoCounterexample passes on a correct variant and accepts a built model', async () => {
    const r = await expectNoCounterexample('seqcount', { variant: 'v1' });
    expect(r.verdict).toBe('ok');
    expect(r.states).toBe(297); // pinned in test/manifest.json
    const built = findModel('seqcount').build({ variant: 'v2' });
    expect((await expectNoCounterexample(built)).states).toBe(679);
  });

  it('expectNoCounterexample fails with the steps and a replay line on a broken variant', async () => {
    const out = mkdtempSync(join(tmpdir(), 'rmapcheck-vi-'));
    const err = await expectNoCounterexample({ model: 'seqcount', bug: 'no-retry' }, { out }).then(
      () => null,
      (e: Error) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect(err!.message).toContain('snapshot is violated in 5 steps');
    expect(err!.message).toMatch(/step\s+thread\s+action/);
    const replay = /replay: npx rmapcheck replay (\S+)/.exec(err!.message);
    expect(replay).not.toBeNull();
    expect(expectTraceReplays(replay![1]).reproduced).toBe(true);
  });

  it('expectNoCounterexample reports an incomplete bound instead of passing', async () => {
    await expect(expectNoCounterexample('seqcount', { variant: 'v1', maxStates: 10 })).rejects.toThrow(/incomplete/);
  });

  it('expectCounterexample returns the trace and checks the property', async () => {
    const t = await expectCounterexample('seqcount', { bug: 'no-exclusive-wait', property: 'exclusive-alone' });
    expect(t.property.name).toBe('exclusive-alone');
    expect(t.steps.length).toBe(4);
    await expect(expectCounterexample('seqcount', { bug: 'no-retry', property: 'no-lost-update' })).rejects.toThrow(/first one found violates snapshot/);
    await expect(expectCounterexample('seqcount', { variant: 'v1' })).rejects.toThrow(/every one of 297 reachable states/);
  });

  it('replayTraceFolder registers one test per trace and refuses an empty folder', () => {
    const names: string[] = [];
    registerTraceFolder(TRACES, { describe: (_n, fn) => fn(), it: (n) => names.push(n) });
    expect(names.length).toBe(traceFiles(TRACES).length);
    expect(names.length).toBeGreaterThanOrEqual(4);
    const empty = mkdtempSync(join(tmpdir(), 'rmapcheck-empty-'));
    expect(() => registerTraceFolder(empty, { describe: (_n, fn) => fn(), it: () => undefined })).toThrow(/no trace files/);
  });

  it('a trace whose recorded state no longer matches fails with the differing field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rmapcheck-bad-'));
    const t = JSON.parse(readFileSync(join(TRACES, 'seqcount-no-retry-snapshot.json'), 'utf8'));
    t.steps[2].state.mapcount = '7';
    const f = join(dir, 'edited.json');
    writeFileSync(f, JSON.stringify(t));
    expect(() => expectTraceReplays(f)).toThrow(/step 3: mapcount = 1 \(recorded 7\)/);
  });
});
