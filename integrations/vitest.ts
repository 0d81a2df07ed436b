/**
 * `rmapcheck/vitest`: model checking inside a vitest suite.
 *
 * ```ts
 * import { it } from 'vitest';
 * import { expectNoCounterexample, expectCounterexample, replayTraceFolder } from 'rmapcheck/vitest';
 * it('v2 is correct', () => expectNoCounterexample('seqcount', { variant: 'v2' }));
 * it('no-retry breaks snapshot', () => expectCounterexample('seqcount', { bug: 'no-retry', property: 'snapshot' }));
 * replayTraceFolder('test/traces'); // one test per trace file
 * ```
 *
 * The published package loads the ESM twin `vitest.mjs` (vitest cannot be `require`d); both bind
 * the same functions of `vitest-core`.
 */
import { describe, it } from 'vitest';
import { registerTraceFolder } from './vitest-core';

export { expectNoCounterexample, expectCounterexample, expectTraceReplays, replayTraceFile, traceFiles } from './vitest-core';
export type { ModelSpec, ExpectOptions, TraceFileReplay } from './vitest-core';

/** Registers one vitest test per `*.json` trace in `dir`: it must replay with no mismatch and reproduce its violation. */
export function replayTraceFolder(dir: string): void {
  registerTraceFolder(dir, { describe, it });
}
