import { expect } from 'vitest';
import { UsageError } from '../../model/errors';

/** Runs `f`, which must throw a one-line UsageError; returns its message. */
export function oneLineError(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    expect((e as Error).message).not.toContain('\n');
    return (e as Error).message;
  }
  throw new Error('expected a UsageError');
}
