/**
 * `explore`, the asynchronous entry of a randomized run: here (run.ts) or on worker threads
 * (parallel.ts). Apart from run.ts, which parallel.ts builds on.
 */
import type { AnyModel } from '../../model/core';
import { exploreParallel } from './parallel';
import { finishReport, nowMs, runContext, runHere, type ExploreReport, type RandomOptions } from './run';

/**
 * A whole run: on this thread (yielding to the event loop between chunks, so that a SIGINT
 * handler can set `options.signal`), or on `workers` worker threads.
 */
export async function explore(model: AnyModel, options: RandomOptions): Promise<ExploreReport> {
  const workers = options.workers ?? 1;
  if (workers > 1) return exploreParallel(model, options);
  const startMs = nowMs();
  const ctx = runContext(model, options, startMs);
  const gen = runHere(ctx);
  let r = gen.next();
  let lastYield = nowMs();
  while (!r.done) {
    if (nowMs() - lastYield > 50) {
      await new Promise<void>((res) => setImmediate(res));
      lastYield = nowMs();
    }
    r = gen.next();
  }
  return finishReport(ctx, r.value, { startMs, endMs: nowMs(), workers: 1 });
}
