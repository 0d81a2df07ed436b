/**
 * Worker thread entry of parallel.ts: rebuilds the model and the strategy, says `ready`, then
 * runs the chunks it is sent and posts their results (the coverage sketch is transferred).
 */
import { parentPort, workerData } from 'worker_threads';
import { UsageError } from '../../model/errors';
import { findModel } from '../../model/registry';
import { ChunkRunner, makeStrategy, nowMs } from './run';
import type { FromWorker, ToWorker, WorkerSetup } from './parallel';

const port = parentPort!;
const post = (m: FromWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer);

try {
  const setup = workerData as WorkerSetup;
  const model = findModel(setup.modelName).build(setup.params);
  const options = { ...setup.options, seed: BigInt(setup.options.seed) };
  const strategy = makeStrategy(model, options);
  const runner = new ChunkRunner(model, strategy, options.seed, options.depth ?? 1000, options.coverage ?? true);
  const stop = new Int32Array(setup.stop);
  port.on('message', (job: ToWorker) => {
    try {
      const r = runner.run(job.chunk, job.first, job.end, (i) => Atomics.load(stop, 0) !== 0 || i > Atomics.load(stop, 1) || (job.deadlineMs !== Infinity && nowMs() >= job.deadlineMs));
      if (r.violation) {
        // tell the other workers at once: executions above it need not run
        for (let cur = Atomics.load(stop, 1); r.violation.execution < cur; cur = Atomics.load(stop, 1))
          if (Atomics.compareExchange(stop, 1, cur, r.violation.execution) === cur) break;
      }
      post({ type: 'result', result: r }, r.sketch ? [r.sketch.buffer as ArrayBuffer] : []);
    } catch (e) {
      post({ type: 'error', message: (e as Error).message, usage: e instanceof UsageError });
    }
  });
  post({ type: 'ready' });
} catch (e) {
  post({ type: 'error', message: (e as Error).message, usage: e instanceof UsageError });
}
