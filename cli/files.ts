/**
 * The exit code of a command whose files could not all be written (checker/files.ts writes them
 * and returns the errors instead of throwing).
 */

/** The exit code of a command that found its verdict but could not write every file: the verdict
 *  is printed all the same, each file not written gets a `rmapcheck: error:` line. */
export const WRITE_ERROR_EXIT = 2;

/** A command's exit code: `found` (0 or 1), or WRITE_ERROR_EXIT when some file was not written. */
export function exitCodeWith(found: number, writeErrors: readonly string[]): number {
  return writeErrors.length > 0 ? WRITE_ERROR_EXIT : found;
}
