/**
 * The textbook litmus tests of test/lkmm/litmus/ (rmapcheck's own versions of the shapes the
 * LKMM documents), with the verdict each file states in its comment (`Result:`, and `DataRace:`
 * where the data-race flag is the point) and the documentation it cites (`Source:`).
 */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import type { Instr, LitmusProgram } from '../../lkmm/program';

export const LITMUS_DIR = join(__dirname, 'litmus');

export interface TextbookTest {
  readonly file: string;
  readonly path: string;
  readonly text: string;
  readonly expected: 'never' | 'sometimes' | 'always';
  readonly dataRace: boolean | null;
  readonly source: string;
}

export function textbookTests(): TextbookTest[] {
  return readdirSync(LITMUS_DIR)
    .filter((f) => f.endsWith('.litmus'))
    .sort()
    .map((file) => {
      const path = join(LITMUS_DIR, file);
      const text = readFileSync(path, 'utf8');
      const result = /Result: (Never|Sometimes|Always)/.exec(text);
      const race = /DataRace: (yes|no)/.exec(text);
      const source = /Source: (.*)/.exec(text);
      if (!result || !source) throw new Error(`${file}: no Result: or Source: line`);
      return { file, path, text, expected: result[1].toLowerCase() as TextbookTest['expected'], dataRace: race ? race[1] === 'yes' : null, source: source[1] };
    });
}

/** The program without the `prim` spellings (what a round trip keeps). */
export function withoutPrims(p: LitmusProgram): unknown {
  const strip = (is: readonly Instr[]): unknown[] =>
    is.map((i) => {
      if (i.k === 'if') return { ...i, then: strip(i.then), else: strip(i.else) };
      if ('prim' in i) {
        const { prim: _prim, ...rest } = i;
        return rest;
      }
      return i;
    });
  return { ...p, threads: p.threads.map((t) => ({ ...t, body: strip(t.body) })) };
}
