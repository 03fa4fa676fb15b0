import { Worker } from 'node:worker_threads';
import { KzbenchError, type ExitCode } from '../../common/errors.js';
import { stoppedResult, type PartitionCheckRequest } from './check-partition.js';
import type { PartitionCheckResult } from './partition-result.js';
import type { WorkerJob, WorkerMessage } from './partition-worker.js';

/** Past the deadline a worker gets this long to answer before it is stopped. */
const GRACE_MS = 2_000;

/**
 * Checks partitions on `workers` worker threads. Partitions are dealt biggest first, so each
 * worker gets a similar load, and each worker runs its share round robin. A worker that runs
 * out of heap or overruns the deadline is stopped and its undecided partitions answer unknown;
 * with `stopOnFirstViolation`, the first invalid partition stops every worker.
 */
export async function checkPartitionsInWorkers(
  requests: readonly PartitionCheckRequest[],
  opts: { workers: number; heapMb: number; stopOnFirstViolation: boolean },
): Promise<PartitionCheckResult[]> {
  const results: (PartitionCheckResult | undefined)[] = new Array(requests.length);
  const order = requests.map((_, i) => i).sort((a, b) => requests[b]!.partition.ops.length - requests[a]!.partition.ops.length);
  const shares: number[][] = Array.from({ length: Math.min(opts.workers, requests.length) }, () => []);
  order.forEach((i, n) => shares[n % shares.length]!.push(i));
  const deadline = Math.max(...requests.map((r) => r.deadline));
  const workers: Worker[] = [];
  let failure: Error | undefined;

  const stopAll = () => {
    for (const w of workers) void w.terminate();
  };

  const runShare = (indices: number[]) =>
    new Promise<void>((resolve) => {
      const worker = startWorker(opts.heapMb);
      workers.push(worker);
      const finish = (fill: PartitionCheckResult['cause']) => {
        clearTimeout(watchdog);
        for (const i of indices) results[i] ??= stoppedResult(requests[i]!, undefined, fill);
        void worker.terminate();
        resolve();
      };
      const watchdog = setTimeout(() => finish('timeout'), Math.max(0, deadline - Date.now()) + GRACE_MS);
      worker.on('message', (m: WorkerMessage) => {
        if (m.kind === 'result') {
          results[m.index] = m.result;
          if (m.result.verdict === 'invalid' && opts.stopOnFirstViolation) stopAll();
        } else if (m.kind === 'done') {
          finish('stopped');
        } else {
          failure ??= new KzbenchError(String(m.code ?? 'KZ_CHECK_FAILED'), m.message, (typeof m.exitCode === 'number' ? m.exitCode : 1) as ExitCode);
          finish('stopped');
        }
      });
      worker.on('error', (err: Error & { code?: string }) => {
        if (err.code !== 'ERR_WORKER_OUT_OF_MEMORY') failure ??= err;
        finish('out-of-memory');
      });
      // A terminated worker (stopped after a violation elsewhere) exits without 'done'.
      worker.on('exit', () => finish('stopped'));
      const job: WorkerJob = { requests: indices.map((i) => requests[i]!), indices, stopOnFirstViolation: opts.stopOnFirstViolation };
      worker.postMessage(job);
    });

  await Promise.all(shares.map(runShare));
  if (failure) throw failure;
  return results as PartitionCheckResult[];
}

function startWorker(heapMb: number): Worker {
  const resourceLimits = { maxOldGenerationSizeMb: heapMb };
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./partition-worker.js', import.meta.url), { resourceLimits });
  // Running from the TypeScript sources (the unit tests): load the worker through tsx.
  const entry = new URL('./partition-worker.ts', import.meta.url).href;
  const boot = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { eval: true, resourceLimits });
}
