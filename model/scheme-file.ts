/**
 * Scheme sets from the command line: a preset name, or a JSON file holding a list of scheme
 * entries `{ name, orders: [lo, hi], values, chunkBits, bound, wordBits, idBits }`.
 */
import { existsSync, readFileSync } from 'fs';
import { Scheme, SchemeSet, PRESETS, findPreset, validateSchemeSet } from './scheme';
import { UsageError } from './errors';

const FIELDS = ['name', 'orders', 'values', 'chunkBits', 'bound', 'wordBits', 'idBits'] as const;

function entryToScheme(e: unknown, i: number, source: string): Scheme {
  const where = `${source}: entry ${i}`;
  if (typeof e !== 'object' || e === null || Array.isArray(e)) throw new UsageError(`${where} is not an object`);
  const o = e as Record<string, unknown>;
  for (const f of FIELDS) if (!(f in o)) throw new UsageError(`${where} has no "${f}"`);
  for (const k of Object.keys(o)) if (!(FIELDS as readonly string[]).includes(k)) throw new UsageError(`${where} has an unknown field "${k}"`);
  if (typeof o.name !== 'string' || o.name.length === 0) throw new UsageError(`${where}: "name" must be a non-empty string`);
  if (!Array.isArray(o.orders) || o.orders.length !== 2 || !o.orders.every((x) => Number.isInteger(x)))
    throw new UsageError(`${where}: "orders" must be [lo, hi] with integers`);
  for (const f of ['values', 'chunkBits', 'wordBits', 'idBits'] as const)
    if (!Number.isInteger(o[f])) throw new UsageError(`${where}: "${f}" must be an integer`);
  const bound = o.bound;
  if (!((typeof bound === 'number' && Number.isSafeInteger(bound)) || (typeof bound === 'string' && /^[0-9]+$/.test(bound))))
    throw new UsageError(`${where}: "bound" must be a non-negative integer (number or decimal string)`);
  return {
    name: o.name,
    orders: [o.orders[0] as number, o.orders[1] as number],
    values: o.values as number,
    chunkBits: o.chunkBits as number,
    bound: BigInt(bound),
    wordBits: o.wordBits as number,
    idBits: o.idBits as number,
  };
}

/** Parses a scheme file's text into a validated set (each problem named, one line). */
export function parseSchemeFile(text: string, source: string): SchemeSet {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${source}: not valid JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(data)) throw new UsageError(`${source}: a scheme file must hold a JSON list of scheme entries`);
  const set = { name: source, schemes: data.map((e, i) => entryToScheme(e, i, source)) };
  return validateSchemeSet(set);
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
