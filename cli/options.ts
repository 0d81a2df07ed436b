/** Parsing of command-line option values, with one-line UsageErrors naming the option. */
import { UsageError } from '../model/errors';
import { INTEGER_SYNTAX, parseIntegerText } from '../model/integer';

/** An integer option (decimal or 0x hex, model/integer.ts) within [min, max]. */
export function intOption(name: string, raw: string | number, min: number, max: number): number {
  const s = String(raw).trim();
  const v = parseIntegerText(s);
  if (v === null) throw new UsageError(`--${name} ${s}: not an integer (${INTEGER_SYNTAX})`);
  // compared exactly: a huge value is out of range, never rounded into it
  if (v < BigInt(min) || v > BigInt(max)) throw new UsageError(`--${name} ${s}: out of range ${min}..${max}`);
  return Number(v);
}

/** As `intOption`, for an option that may be absent. */
export function optionalIntOption(name: string, raw: string | number | undefined, min: number, max: number): number | undefined {
  return raw === undefined ? undefined : intOption(name, raw, min, max);
}
