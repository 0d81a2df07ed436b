/**
 * What `rmapcheck models` prints about a model, as data: its parameters and its deliberately
 * broken variants. Each model declares its own with these types (narrowing `name`, adding what it
 * needs), and the registry passes them through unchanged.
 */

export interface ParamDescriptor {
  readonly name: string;
  readonly default: string | number | boolean;
  readonly min?: number;
  readonly max?: number;
  readonly description: string;
}

export interface BugDescriptor<Name extends string = string> {
  readonly name: Name;
  readonly description: string;
  readonly expected: 'counterexample';
}
