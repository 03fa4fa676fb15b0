import { parentPort } from 'node:worker_threads';
import type { PartitionCheckRequest } from './check-partition.js';
import { checkPartitionsRoundRobin } from './partition-scheduler.js';

export interface WorkerJob {
  requests: PartitionCheckRequest[];
  /** Position of each request in the whole check. */
  indices: number[];
  stopOnFirstViolation: boolean;
}

export type WorkerMessage =
  | { kind: 'result'; index: number; result: import('./partition-result.js').PartitionCheckResult }
  | { kind: 'done' }
  | { kind: 'error'; message: string; code?: unknown; exitCode?: unknown };

/** Worker-thread entry: checks its share of the partitions and reports each as it is decided. */
parentPort?.once('message', (job: WorkerJob) => {
  const post = (m: WorkerMessage) => parentPort!.postMessage(m);
  try {
    checkPartitionsRoundRobin(job.requests, {
      stopOnFirstViolation: job.stopOnFirstViolation,
      onResult: (i, result) => post({ kind: 'result', index: job.indices[i]!, result }),
    });
    post({ kind: 'done' });
  } catch (err) {
    const e = err as { message?: string; code?: unknown; exitCode?: unknown };
    post({ kind: 'error', message: e.message ?? String(err), code: e.code, exitCode: e.exitCode });
  }
});
