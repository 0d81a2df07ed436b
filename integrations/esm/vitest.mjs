// ESM entry of `rmapcheck/vitest` in the published package, copied to dist/integrations/vitest.mjs by the
// build (vitest refuses CommonJS `require`).
// Same API as integrations/vitest.ts; the logic is in the compiled CommonJS vitest-core.js.
import { createRequire } from 'module';
import { describe, it } from 'vitest';

const core = createRequire(import.meta.url)('./vitest-core.js');

export const expectNoCounterexample = core.expectNoCounterexample;
export const expectCounterexample = core.expectCounterexample;
export const expectTraceReplays = core.expectTraceReplays;
export const replayTraceFile = core.replayTraceFile;
export const traceFiles = core.traceFiles;

/** Registers one vitest test per `*.json` trace in `dir`. */
export function replayTraceFolder(dir) {
  core.registerTraceFolder(dir, { describe, it });
}
