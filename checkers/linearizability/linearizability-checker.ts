import { availableParallelism } from 'node:os';
import type { Anomaly, CheckOptions, CheckResult, Checker } from '../checker.js';
import { pairOps } from '../history/op-pairs.js';
import type { Op } from '../history/op.js';
import { linearizabilityModels } from '../models/index.js';
import { showValue } from '../models/model-values.js';
import { requireModel, type PartitionCheckRequest } from './check-partition.js';
import { partitionHistory } from './history-partition.js';
import { checkPartitionsInWorkers } from './partition-pool.js';
import { checkPartitionsRoundRobin } from './partition-scheduler.js';
import type { PartitionCheckResult, PartitionFailure, ReportedOp } from './partition-result.js';

export interface LinearizabilityOptions extends CheckOptions {
  /** Jepsen `independent` history: every value is a `[key value]` tuple (default false). */
  independent?: boolean;
  /** Final paths kept per failure (default 10, as Jepsen truncates them). */
  maxFinalPaths?: number;
  /**
   * Check every key even after one is found not linearizable (default false: the first
   * violation ends the check, as Porcupine does, and undecided keys are reported as stopped).
   */
  checkAllPartitions?: boolean;
  /** Use worker threads only when the history has at least this many ops (default 20,000). */
  workerThresholdOps?: number;
}

/** What the linearizability view and `--json` get in `CheckResult.details`. */
export interface LinearizabilityDetails {
  model: string;
  partitions: PartitionSummary[];
  /** Full failure reports (timeline included) for the first few invalid partitions. */
  failures: (PartitionFailure & { label: string; key?: unknown })[];
}

export interface PartitionSummary {
  label: string;
  key?: unknown;
  verdict: 'valid' | 'invalid' | 'unknown';
  cause?: string;
  ops: number;
  elapsedMs: number;
}

export const DEFAULT_TIME_LIMIT_MS = 60_000;
export const DEFAULT_MEMORY_LIMIT_MB = 1_024;
const FAILURES_WITH_DETAILS = 3;
/** Below this many ops in total, starting worker threads (a cold JIT and module load each) costs more than it saves. */
const WORKER_THRESHOLD_OPS = 20_000;

/**
 * Linearizability against a sequential model (Knossos / Porcupine): the history is split by
 * key (P-compositionality), each part searched with Wing & Gong / Lowe, in worker threads
 * when it is big enough to pay for them.
 */
export const linearizabilityChecker: Checker = {
  name: 'linearizability',
  models: [...linearizabilityModels.keys()],
  async check(history: readonly Op[], modelName: string, opts: LinearizabilityOptions = {}): Promise<CheckResult> {
    const started = performance.now();
    const model = requireModel(modelName);
    model.initial(opts.init); // a bad --init is a usage error before any work
    const paired = pairOps(history);
    const partitions = partitionHistory(paired.pairs, { independent: opts.independent === true, defaultKey: model.defaultKey });
    const timeLimitMs = opts.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS;
    const memoryLimitMb = opts.memoryLimitMb ?? DEFAULT_MEMORY_LIMIT_MB;
    const deadline = Date.now() + timeLimitMs;
    const totalOps = partitions.reduce((n, p) => n + p.ops.length, 0);
    const workers = Math.min(opts.workers ?? availableParallelism(), partitions.length);
    const requests: PartitionCheckRequest[] = partitions.map((partition) => ({
      model: modelName,
      init: opts.init,
      partition,
      deadline,
      maxCacheBytes: (memoryLimitMb * 1024 * 1024) / Math.max(1, workers),
      maxFinalPaths: opts.maxFinalPaths ?? 10,
    }));
    const stopOnFirstViolation = opts.checkAllPartitions !== true;
    const useWorkers = workers > 1 && totalOps >= (opts.workerThresholdOps ?? WORKER_THRESHOLD_OPS);
    const results = useWorkers
      ? await checkPartitionsInWorkers(requests, { workers, heapMb: Math.ceil(memoryLimitMb / workers) + 256, stopOnFirstViolation })
      : checkPartitionsRoundRobin(requests, { stopOnFirstViolation });
    return summarise(modelName, results, {
      ops: history.length,
      pairs: paired.pairs.length,
      failed: paired.failed.length,
      info: paired.pairs.filter((p) => p.outcome === 'info').length,
      partitions: partitions.length,
      workers: useWorkers ? workers : 0,
      elapsedMs: performance.now() - started,
    });
  },
};

function summarise(model: string, results: PartitionCheckResult[], stats: Record<string, number>): CheckResult {
  const invalid = results.filter((r) => r.verdict === 'invalid');
  const stopped = results.filter((r) => r.cause === 'stopped');
  const unknown = results.filter((r) => r.verdict === 'unknown' && r.cause !== 'stopped');
  const valid = invalid.length > 0 ? false : unknown.length > 0 ? 'unknown' : true;
  const anomalies: Anomaly[] = invalid.map((r) => {
    const f = r.failure!;
    return {
      type: 'nonlinearizable',
      explanation: explainFailure(r, results.length > 1),
      ops: [f.op.invokeIndex, f.op.index, ...(f.previousOk ? [f.previousOk.index] : [])],
      data: { partition: r.label, key: r.key, op: f.op, previousOk: f.previousOk, reason: f.reason, finalPaths: f.finalPaths, finalPathCount: f.finalPathCount, finalPathsBounded: f.finalPathsBounded },
    };
  });
  for (const r of unknown) {
    anomalies.push({
      type: r.cause === 'timeout' ? 'search-timeout' : 'search-out-of-memory',
      explanation: `${capitalise(r.label)}: the search for a linearization of ${r.stats.ops} ops gave up (${r.cause === 'timeout' ? 'time limit reached' : 'memory budget exhausted'}) after ${r.stats.cacheEntries} configurations; raise --time-limit / --memory-limit or split the history by key.`,
    });
  }
  const cacheEntries = results.reduce((n, r) => n + r.stats.cacheEntries, 0);
  const details: LinearizabilityDetails = {
    model,
    partitions: results.map((r) => ({
      label: r.label,
      ...(r.key !== undefined ? { key: r.key } : {}),
      verdict: r.verdict,
      ...(r.cause ? { cause: r.cause } : {}),
      ops: r.stats.ops,
      elapsedMs: r.stats.elapsedMs,
    })),
    failures: invalid.slice(0, FAILURES_WITH_DETAILS).map((r) => ({ label: r.label, ...(r.key !== undefined ? { key: r.key } : {}), ...r.failure! })),
  };
  const where = results.length > 1 ? ` across ${results.length} keys` : '';
  const summary =
    valid === true
      ? `Linearizable: all ${stats.pairs} operations${where} fit one sequential ${model} order consistent with real time.`
      : valid === false
        ? results.length > 1
          ? `Not linearizable: ${invalid.length} of ${results.length} keys have an operation no ${model} order allows${stopped.length > 0 ? ` (${stopped.length} key(s) left undecided: the check stops at the first violation unless --all-keys)` : ''}. ${anomalies[0]!.explanation}`
          : `Not linearizable: no ${model} order of the operations agrees with real time. ${anomalies[0]!.explanation}`
        : `Unknown: ${unknown.length} of ${results.length} partition(s) exhausted the search budget before an answer; the rest are linearizable.`;
  return {
    checker: 'linearizability',
    model,
    valid,
    anomalyTypes: [...new Set(anomalies.map((a) => a.type))],
    anomalies,
    summary,
    stats: { ...stats, invalidPartitions: invalid.length, unknownPartitions: unknown.length, stoppedPartitions: stopped.length, cacheEntries },
    details,
  };
}

function explainFailure(r: PartitionCheckResult, partitioned: boolean): string {
  const f = r.failure!;
  const where = partitioned ? `${capitalise(r.label)}: ` : '';
  const before = f.previousOk ? ` The last ok op before it was ${describeOp(f.previousOk)}.` : ' It is the first ok op of the history.';
  const paths =
    f.finalPathCount === 1
      ? 'The one order of the ops still pending at that point'
      : `All ${f.finalPathsBounded ? 'of the first ' : ''}${f.finalPathCount} orders of the ops still pending at that point`;
  return `${where}${describeOp(f.op)} cannot be linearized: ${f.reason}.${before} ${paths}, tried from every state that linearizes all earlier ops, end in an inconsistency (the final paths).`;
}

export function describeOp(op: ReportedOp): string {
  const value = op.value === undefined ? '' : ` ${showValue(op.value)}`;
  const outcome = op.type === 'info' ? ', indeterminate' : '';
  return `process ${typeof op.process === 'string' ? op.process : op.process}'s ${op.f}${value} (op ${op.index}${outcome})`;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
