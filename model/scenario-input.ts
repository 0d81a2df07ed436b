/**
 * What the scenario readers of the concurrent models share (model/rmap/scenario.ts,
 * model/mmid/scenario.ts): the argument that names a scenario (a preset, JSON text or a file),
 * and the field checks whose one-line errors name the scenario and the place in it.
 */
import { existsSync, readFileSync } from 'fs';
import { UsageError } from './errors';
import { parseUserJson } from './json-input';

/**
 * A scenario argument: a preset's name (`presets`), JSON text, or a file path; the JSON value and
 * where it came from. `model` prefixes the unknown-name error (`mmid: `), '' for none.
 */
export function loadScenarioArgument(arg: string, presets: Readonly<Record<string, unknown>>, model = ''): { data: unknown; source: string } {
  if (Object.prototype.hasOwnProperty.call(presets, arg)) return { data: presets[arg], source: arg };
  if (arg.trimStart().startsWith('{')) return { data: parseUserJson(arg, 'scenario'), source: 'inline' };
  if (!existsSync(arg)) throw new UsageError(`${model}unknown scenario '${arg}' (presets: ${Object.keys(presets).join(', ')}; or the path of a scenario JSON file)`);
  let text: string;
  try {
    text = readFileSync(arg, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read scenario file ${arg}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return { data: parseUserJson(text, `scenario file ${arg}`), source: arg };
}

export function isObj(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** The checks of one model's scenario reader; every message starts with `prefix` (`scenario`). */
export function scenarioChecks(prefix: string) {
  function fail(where: string, msg: string): never {
    throw new UsageError(`${prefix} ${where}: ${msg}`);
  }
  return {
    fail,
    /** Refuses a field of `x` that is not in `fields` (`where`: the object's place, '' at the top). */
    onlyFields(name: string, where: string, x: Record<string, unknown>, fields: readonly string[]): void {
      for (const k of Object.keys(x)) if (!fields.includes(k)) fail(name, `${where ? where + ': ' : ''}unknown field "${k}" (fields: ${fields.join(', ')})`);
    },
    intIn(where: string, field: string, x: unknown, lo: number, hi: number): number {
      if (!Number.isInteger(x) || (x as number) < lo || (x as number) > hi) fail(where, `${field} ${JSON.stringify(x)} must be an integer in ${lo}..${hi}`);
      return x as number;
    },
    /**
     * A scenario's `threads` (known to be a non-empty list): each an object with a unique non-empty
     * `name`, only `threadFields`, and `ops` a non-empty list of objects whose `op` is a key of
     * `opFields` and whose fields are that op's; `parseOp` reads each op (`where` names it,
     * `index` is its place in the thread). Returns each thread's name, its raw object and ops.
     */
    threadList<O>(
      name: string,
      threads: readonly unknown[],
      threadFields: readonly string[],
      opFields: Readonly<Record<string, readonly string[]>>,
      parseOp: (o: Record<string, unknown> & { op: string }, where: string, index: number) => O,
    ): { name: string; raw: Record<string, unknown>; ops: O[] }[] {
      const ops = Object.keys(opFields);
      const out: { name: string; raw: Record<string, unknown>; ops: O[] }[] = [];
      for (const t of threads) {
        if (!isObj(t) || typeof t.name !== 'string' || t.name === '') fail(name, 'each thread needs a non-empty "name"');
        if (out.some((x) => x.name === t.name)) fail(name, `thread "${t.name}" is listed twice`);
        this.onlyFields(name, `thread "${t.name}"`, t, threadFields);
        if (!Array.isArray(t.ops) || t.ops.length === 0) fail(name, `thread "${t.name}": ops must be a non-empty list`);
        const parsed = (t.ops as unknown[]).map((o, i) => {
          const where = `thread "${t.name}" op ${i}`;
          if (!isObj(o) || typeof o.op !== 'string') fail(name, `${where} must be an object with "op"`);
          if (!ops.includes(o.op)) fail(name, `${where}: unknown op "${o.op}" (ops: ${ops.join(', ')})`);
          this.onlyFields(name, `${where} (${o.op})`, o, opFields[o.op]);
          return parseOp(o as Record<string, unknown> & { op: string }, where, i);
        });
        out.push({ name: t.name, raw: t, ops: parsed });
      }
      return out;
    },
  };
}
