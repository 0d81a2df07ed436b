/**
 * Bad input from a user (unknown name, parameter out of range, malformed file). The CLI prints
 * its message on one line and exits with code 2; anything else that escapes is an internal bug.
 */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** An `[internal bug]` assertion: never a user's fault. */
export function internalAssert(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(`[internal bug] ${message}`);
}
