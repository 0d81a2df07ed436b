import { describe, expect, it } from 'vitest';
import { parseSchemeFile, loadSchemeSet } from '../../model/scheme-file';
import { WIP_V1, schemeSetProblems, schemeToJson } from '../../model/scheme';
import { UsageError } from '../../model/errors';
import { TOOL_VERSION } from '../../model/version';
import pkg from '../../package.json';

const good = { name: 'tiny', orders: [2, 3], values: 2, chunkBits: 3, bound: 8, wordBits: 8, idBits: 6 };

function problem(entries: unknown): string {
  try {
    parseSchemeFile(JSON.stringify(entries), 'f.json');
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    const msg = (e as Error).message;
    expect(msg).not.toContain('\n');
    return msg;
  }
  throw new Error('expected a UsageError');
}

describe('scheme sets', () => {
  it('wip-v1 is exactly the six schemes of the series and is valid', () => {
    expect(schemeSetProblems(WIP_V1)).toEqual([]);
    expect(WIP_V1.schemes.map((s) => [s.orders, s.values, s.chunkBits, Number(s.bound)])).toEqual([
      [[2, 2], 1, 24, 4],
      [[3, 5], 2, 12, 32],
      [[6, 9], 3, 8, 512],
      [[10, 10], 4, 6, 1024],
      [[11, 12], 5, 5, 4096],
      [[13, 15], 6, 4, 32768],
    ]);
    expect(WIP_V1.schemes.every((s) => s.wordBits === 64 && s.idBits === 24)).toBe(true);
  });

  it('parses a valid file (bound as number or decimal string)', () => {
    const set = parseSchemeFile(JSON.stringify([good, { ...good, name: 't2', orders: [4, 4], bound: '16' }]), 'f.json');
    expect(set.schemes.map((s) => s.bound)).toEqual([8n, 16n]);
    expect(schemeToJson(set.schemes[0]).bound).toBe('8');
  });

  it.each([
    ['chunk bits 0', [{ ...good, chunkBits: 0 }], 'chunkBits 0'],
    ['bound < P', [{ ...good, bound: 4 }], 'bound 4 < P = 8'],
    ['V*c < idBits', [{ ...good, values: 1 }], 'values * chunkBits = 3 < idBits 6'],
    ['W too small', [{ ...good, wordBits: 7 }], 'wordBits 7 must be an integer in 8..128'],
    ['W too large', [{ ...good, wordBits: 129 }], 'wordBits 129'],
    ['overlapping orders', [good, { ...good, name: 'x', orders: [3, 4], bound: 16 }], 'order ranges overlap'],
    ['order < 2', [{ ...good, orders: [1, 2] }], 'orders [1, 2]'],
    ['not a list', good, 'must hold a JSON list'],
    ['missing field', [{ ...good, idBits: undefined }], 'has no "idBits"'],
    ['unknown field', [{ ...good, colour: 'red' }], 'unknown field "colour"'],
    ['empty list', [], 'the scheme list is empty'],
  ])('rejects %s with a one-line message naming the problem', (_name, entries, expected) => {
    expect(problem(entries)).toContain(expected);
  });

  it('rejects malformed JSON and unknown preset names', () => {
    expect(() => parseSchemeFile('[{', 'f.json')).toThrow(/f.json: not valid JSON/);
    expect(() => loadSchemeSet('no-such-scheme')).toThrow(/unknown scheme 'no-such-scheme'/);
  });

  it('TOOL_VERSION equals package.json version', () => {
    expect(TOOL_VERSION).toBe(pkg.version);
  });
});
