import { describe, expect, it } from 'vitest';
import { parseTrace, serializeTrace, TRACE_FORMAT_VERSION, SubIdTrace } from '../../checker/trace';
import { buildSubIdTrace, replaySubIdTrace } from '../../checker/subid-trace';
import { Scheme } from '../../model/scheme';
import { UsageError } from '../../model/errors';
import { oneLineError } from '../helpers/errors';

// A small scheme whose sums wrap around 2^8.
const tiny: Scheme = { name: 'tiny', orders: [2, 2], values: 2, chunkBits: 2, bound: 4n, wordBits: 8, idBits: 4 };

function sample(): SubIdTrace {
  return buildSubIdTrace(
    tiny,
    2,
    [
      { mm: 'q', rmapId: 5n, delta: 1 },
      { mm: 'm1', rmapId: 6n, delta: 2 },
      { mm: 'm1', rmapId: 6n, delta: -1 },
    ],
    { mm: 'q', rmapId: 5n },
  );
}


describe('trace format', () => {
  it('round-trips through text and replays with every state matching', () => {
    const t = sample();
    const back = parseTrace(serializeTrace(t), 'x.json') as SubIdTrace;
    expect(back).toEqual(t);
    const r = replaySubIdTrace(back);
    expect(r.mismatches).toEqual([]);
    expect(r.rows.map((row) => row.mapcount)).toEqual(['1', '3', '2']);
    // Not a violation: the folio really is shared and the reader says so.
    expect([r.expected, r.observed, r.reproduced]).toEqual(['shared', 'shared', false]);
  });

  it('records the exact writer math (values modulo 2^W, full-width hex)', () => {
    const t = sample();
    // subids: id 5 = chunks (1, 1) -> (1, 1); id 6 = chunks (2, 1) -> (5, 1)
    expect(t.steps[1].state.values).toEqual(['0x0b', '0x03']);
  });

  it('names a tampered state as a mismatch', () => {
    const t = sample();
    t.steps[1].state.values[0] = '0x0c';
    const r = replaySubIdTrace(t);
    expect(r.reproduced).toBe(false);
    expect(r.mismatches[0]).toContain('step 2: val[0] 0x0b (recorded 0x0c)');
  });

  it.each([
    ['empty file', '', 'the file is empty'],
    ['truncated JSON', serializeTrace(sample()).slice(0, 200), 'not valid JSON (truncated or corrupted?)'],
    ['not a trace', '{"hello": 1}', 'not an rmapcheck trace'],
    ['newer format', serializeTrace({ ...sample(), formatVersion: TRACE_FORMAT_VERSION + 1 }), 'is newer than this rmapcheck'],
    ['bad version', serializeTrace({ ...sample(), formatVersion: 0 }), 'invalid formatVersion 0'],
    ['schema-invalid step', serializeTrace({ ...sample(), steps: [{ step: 1 }] } as unknown as SubIdTrace), 'does not match the schema at /steps/0'],
    ['bad hex', JSON.stringify({ ...sample(), query: { mm: 'q', rmapId: 'x' } }), 'does not match the schema at /query/rmapId'],
  ])('rejects %s with a one-line error', (_n, text, expected) => {
    expect(oneLineError(() => parseTrace(text, 'x.json'))).toContain(expected);
  });

  it('rejects a trace whose scheme is impossible', () => {
    const t = sample();
    (t.params.scheme as { chunkBits: number }).chunkBits = 0;
    expect(oneLineError(() => replaySubIdTrace(t, 'x.json'))).toContain('invalid scheme in trace');
  });

  it('rejects a trace that unmaps what was never mapped', () => {
    const t = sample();
    t.steps[2].count = 5;
    expect(oneLineError(() => replaySubIdTrace(t, 'x.json'))).toContain('step 3: MM with rmap ID 6 holds 2 mappings');
  });
});
