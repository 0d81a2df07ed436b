/**
 * What `rmapcheck models` prints about a model, as data: its parameters and its deliberately
 * broken variants. Each model declares its own with these types (narrowing `name`, adding what it
 * needs), and the registry passes them through unchanged.
 */
import { UsageError } from './errors';

export interface ParamDescriptor {
  readonly name: string;
  readonly default: string | number | boolean;
  readonly min?: number;
  readonly max?: number;
  readonly description: string;
}

export type ParamValue = string | number;

export interface BugDescriptor<Name extends string = string, Variant extends string = string> {
  readonly name: Name;
  readonly description: string;
  readonly expected: 'counterexample';
  /** The variants the bug applies to (any other is refused); the first is the one it runs on
   *  when none is given. */
  readonly variants: readonly Variant[];
  /** Per variant it applies to: the parameters it runs with unless the user sets them, chosen so
   *  that the bug shows there (a bug that needs three writers on one variant and two on another
   *  says so). */
  readonly defaults: Readonly<Partial<Record<Variant, Readonly<Record<string, ParamValue>>>>>;
}

/** The variant bug `b` runs on: `variant` if given (refused if the bug does not apply to it), else
 *  the bug's first. `model` names the model in the error. */
export function bugVariant<V extends string>(model: string, b: BugDescriptor<string, V>, variant: string | undefined): V {
  if (variant === undefined) return b.variants[0];
  if (!(b.variants as readonly string[]).includes(variant))
    throw new UsageError(`${model}: bug '${b.name}' applies to variant ${b.variants.join('/')} only, not ${variant}`);
  return variant as V;
}

/** `k=v k=v` of a bug's defaults on one variant, as `models` prints them ('' when there are none). */
export function formatBugDefaults(b: BugDescriptor, variant: string): string {
  return Object.entries(b.defaults[variant] ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}
