/**
 * Scheme sets from the command line: a preset name, or a JSON file holding a list of scheme
 * entries `{ name, orders: [lo, hi], values, chunkBits, bound, wordBits, idBits }`.
 */
import { existsSync, readFileSync } from 'fs';
import { Scheme, SchemeSet, PRESETS, findPreset, orderOverlaps, schemeProblems } from './scheme';
import { UsageError } from './errors';
import { parseUserJson } from './json-input';

const FIELDS = ['name', 'orders', 'values', 'chunkBits', 'bound', 'wordBits', 'idBits'] as const;

/** One entry of the file: its scheme, or every problem with its shape and types. */
function entryToScheme(e: unknown, i: number): { scheme: Scheme | null; problems: string[] } {
  const where = `entry ${i}`;
  if (typeof e !== 'object' || e === null || Array.isArray(e)) return { scheme: null, problems: [`${where} is not an object`] };
  const o = e as Record<string, unknown>;
  const p: string[] = [];
  for (const f of FIELDS) if (!(f in o)) p.push(`${where} has no "${f}"`);
  for (const k of Object.keys(o)) if (!(FIELDS as readonly string[]).includes(k)) p.push(`${where} has an unknown field "${k}"`);
  if ('name' in o && (typeof o.name !== 'string' || o.name.length === 0)) p.push(`${where}: "name" must be a non-empty string`);
  if ('orders' in o && !(Array.isArray(o.orders) && o.orders.length === 2 && o.orders.every((x) => Number.isInteger(x))))
    p.push(`${where}: "orders" must be [lo, hi] with integers`);
  for (const f of ['values', 'chunkBits', 'wordBits', 'idBits'] as const)
    if (f in o && !Number.isInteger(o[f])) p.push(`${where}: "${f}" must be an integer`);
  const bound = o.bound;
  if ('bound' in o && !((typeof bound === 'number' && Number.isSafeInteger(bound) && bound >= 0) || (typeof bound === 'string' && /^[0-9]+$/.test(bound))))
    p.push(`${where}: "bound" must be a non-negative integer (number or decimal string)`);
  if (p.length > 0) return { scheme: null, problems: p };
  const orders = o.orders as number[];
  return {
    scheme: {
      name: o.name as string,
      orders: [orders[0], orders[1]],
      values: o.values as number,
      chunkBits: o.chunkBits as number,
      bound: BigInt(bound as number | string),
      wordBits: o.wordBits as number,
      idBits: o.idBits as number,
    },
    problems: [],
  };
}

/**
 * Parses a scheme file's text into a validated set. Every problem of every entry is named (its
 * shape, then the values of the well-formed ones, then overlapping orders), in one line.
 */
export function parseSchemeFile(text: string, source: string): SchemeSet {
  const data = parseUserJson(text, source);
  if (!Array.isArray(data)) throw new UsageError(`${source}: a scheme file must hold a JSON list of scheme entries`);
  const problems: string[] = [];
  if (data.length === 0) problems.push('the scheme list is empty');
  const schemes: Scheme[] = [];
  data.forEach((e, i) => {
    const r = entryToScheme(e, i);
    problems.push(...r.problems);
    if (r.scheme) {
      schemes.push(r.scheme);
      problems.push(...schemeProblems(r.scheme).map((m) => `entry ${i} (${r.scheme!.name}): ${m}`));
    }
  });
  problems.push(...orderOverlaps(schemes));
  if (problems.length === 1) throw new UsageError(`${source}: ${problems[0]}`);
  if (problems.length > 1) throw new UsageError(`${source}: ${problems.length} problems: ${problems.join('; ')}`);
  return { name: source, schemes };
}

/** `--scheme` argument: a preset name or the path of a scheme file. */
export function loadSchemeSet(arg: string): SchemeSet {
  const preset = findPreset(arg);
  if (preset) return preset;
  if (!existsSync(arg))
    throw new UsageError(`unknown scheme '${arg}' (presets: ${PRESETS.map((p) => p.name).join(', ')}; or the path of a JSON scheme file)`);
  let text: string;
  try {
    text = readFileSync(arg, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read scheme file ${arg}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseSchemeFile(text, arg);
}
