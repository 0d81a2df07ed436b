/**
 * A randomized run on N worker threads (node's `worker_threads`; a pool library such as piscina
 * would add nothing here: one long-lived worker per core, fed chunks). Each worker rebuilds the
 * model from its registry name and `params` (the contract of `Model.params`) and the same
 * strategy (strategies are deterministic functions of the model and options), then runs the
 * chunks it is given. Chunks are handed out in order to whichever worker is idle; the results are
 * merged by chunk index (run.ts `ChunkFold`), so the report is the one-thread report: same
 * executions counted, same first violation (smallest execution index, not the first to arrive).
 *
 * A shared Int32Array tells the workers to stop: [0] = abort (deadline or signal), [1] = the
 * smallest violating execution index known so far (executions above it need not run).
 */
import { Worker } from 'worker_threads';
import { join } from 'path';
import type { AnyModel } from '../../model/core';
import { UsageError } from '../../model/errors';
import { findModel } from '../../model/registry';
import { MAX_RUNS, ProgressReporter, chunkFold, finishReport, nowMs, runContext, validateOptions, type ChunkResult, type ExploreReport, type RandomOptions } from './run';

/** What a worker is started with (structured-clone data: no callbacks, no signal; only what a
 *  worker needs to rebuild the strategy and run chunks). */
export interface WorkerSetup {
  readonly modelName: string;
  readonly params: Record<string, string | number | boolean>;
  readonly options: Pick<RandomOptions, 'strategy' | 'depth' | 'pctDepth' | 'path' | 'coverage'> & { seed: string };
  readonly stop: SharedArrayBuffer;
}

export type ToWorker = { type: 'chunk'; chunk: number; first: number; end: number; deadlineMs: number };
export type FromWorker = { type: 'ready' } | { type: 'result'; result: ChunkResult } | { type: 'error'; message: string; usage: boolean };

function spawn(setup: WorkerSetup): Worker {
  // from the sources (ts-node) the worker compiles worker.ts; from the package, dist's worker.js
  const ts = __filename.endsWith('.ts');
  const file = join(__dirname, ts ? 'worker.ts' : 'worker.js');
  return new Worker(file, {
    workerData: setup,
    // resolved here, not from the user's working directory
    execArgv: ts ? ['-r', require.resolve('ts-node/register/transpile-only')] : [],
    env: ts ? { ...process.env, TS_NODE_PROJECT: join(__dirname, '..', '..', 'tsconfig.json'), TS_NODE_TRANSPILE_ONLY: 'true' } : process.env,
  });
}

export async function exploreParallel(model: AnyModel, options: RandomOptions): Promise<ExploreReport> {
  validateOptions(options);
  const n = options.workers ?? 1;
  // the worker must rebuild exactly this model
  const rebuilt = findModel(model.name).build(model.params);
  if (rebuilt.threads.join() !== model.threads.join()) throw new Error(`[internal bug] model ${model.name} does not rebuild from its params`);
  const stopBuf = new SharedArrayBuffer(8);
  const stop = new Int32Array(stopBuf);
  stop[1] = MAX_RUNS + 1;
  const { signal, seed } = options;
  const { strategy, depth, pctDepth, path, coverage } = options;
  const setup: WorkerSetup = { modelName: model.name, params: { ...model.params }, options: { strategy, depth, pctDepth, path, coverage, seed: seed.toString() }, stop: stopBuf };
  const workers = Array.from({ length: n }, () => spawn(setup));
  try {
    // start-up (module loading, TypeScript compilation) is not part of the run's time
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            w.once('message', (m: FromWorker) => (m.type === 'ready' ? resolve() : reject(workerError(m))));
            w.once('error', reject);
          }),
      ),
    );
    const startMs = nowMs();
    const ctx = runContext(model, options, startMs);
    const fold = chunkFold(ctx);
    const progress = new ProgressReporter(options, startMs, ctx.runs);
    let minViolation = MAX_RUNS + 1;
    let k = 0;
    let exhausted = false;
    const nextChunk = (): ToWorker | null => {
      if (signal?.aborted || (ctx.deadlineMs !== Infinity && nowMs() >= ctx.deadlineMs)) Atomics.store(stop, 0, 1);
      if (exhausted || stop[0] !== 0) return null;
      const c = ctx.plan.chunk(k);
      if (c === null || c.first > minViolation) {
        exhausted = true;
        return null;
      }
      k++;
      return { type: 'chunk', ...c, deadlineMs: ctx.deadlineMs };
    };
    await new Promise<void>((resolve, reject) => {
      let busy = 0;
      const poll = setInterval(() => {
        if (signal?.aborted || (ctx.deadlineMs !== Infinity && nowMs() >= ctx.deadlineMs)) Atomics.store(stop, 0, 1);
      }, 20);
      const done = (e?: unknown) => {
        clearInterval(poll);
        if (e) reject(e);
        else resolve();
      };
      const feed = (w: Worker): void => {
        const job = nextChunk();
        if (job) {
          busy++;
          w.postMessage(job);
        } else if (busy === 0) done();
      };
      for (const w of workers) {
        w.on('message', (m: FromWorker) => {
          if (m.type === 'error') return done(workerError(m));
          if (m.type !== 'result') return;
          busy--;
          fold.add(m.result);
          progress.add(m.result);
          const v = m.result.violation;
          if (v && v.execution < minViolation) {
            minViolation = v.execution;
            Atomics.store(stop, 1, minViolation);
          }
          feed(w);
        });
        w.on('error', (e) => done(e));
      }
      for (const w of workers) feed(w);
    });
    return finishReport(ctx, fold.result(), { startMs, endMs: nowMs(), workers: n });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

function workerError(m: FromWorker): Error {
  if (m.type !== 'error') return new Error(`[internal bug] unexpected worker message ${m.type}`);
  return m.usage ? new UsageError(m.message) : new Error(`worker: ${m.message}`);
}
