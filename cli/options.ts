/** Parsing of command-line option values, with one-line UsageErrors naming the option. */
import { UsageError } from '../model/errors';

/** A decimal integer option within [min, max]. */
export function intOption(name: string, raw: string | number, min: number, max: number): number {
  const s = String(raw).trim();
  if (!/^-?[0-9]+$/.test(s)) throw new UsageError(`--${name} ${s}: not an integer`);
  const v = Number(s);
  if (v < min || v > max) throw new UsageError(`--${name} ${s}: out of range ${min}..${max}`);
  return v;
}

/** As `intOption`, for an option that may be absent. */
export function optionalIntOption(name: string, raw: string | number | undefined, min: number, max: number): number | undefined {
  return raw === undefined ? undefined : intOption(name, raw, min, max);
}
