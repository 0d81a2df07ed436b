/**
 * The one syntax of an integer a person types, for every integer option and every `--set` value:
 * decimal or 0x hex (as `--seed` always took), an optional minus sign, blanks around ignored.
 * Nothing else (no 0b/0o, exponents, fractions or a plus sign), so that no two spellings of a
 * flag disagree about what is a number.
 */

/** How the syntax is named in error messages and help. */
export const INTEGER_SYNTAX = 'decimal or 0x hex';

/** The integer `text` spells, exactly (a BigInt), or null when it is not one. */
export function parseIntegerText(text: string): bigint | null {
  const m = /^(-?)(0x[0-9a-f]+|[0-9]+)$/i.exec(text.trim());
  if (!m) return null;
  const v = BigInt(m[2]);
  return m[1] ? -v : v;
}

/**
 * A model parameter as given: text (from `--set key=value`) becomes the number it spells, or NaN
 * when it spells none, so that the model's own range check names it; other values pass unchanged.
 */
export function integerParam(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const v = parseIntegerText(value);
  return v === null ? NaN : Number(v);
}
