import type { OperationTarget } from './operation-target.js';

/** The hot-path operations DESIGN.md compares: znode create, setData, getData. */
export type HotPathOperation = 'create' | 'setData' | 'getData';

export interface RunOperationsOptions {
  target: OperationTarget;
  operation: HotPathOperation;
  /** Operations to run in total. */
  count: number;
  /** Requests kept outstanding at once (closed loop). */
  concurrency: number;
  /** A parent znode owned by this run, e.g. `/kzbench-hotpath-1234`; see prepareOperations. */
  root: string;
  /** Value size in bytes for create and setData. Default 100. */
  valueSize?: number;
  /** Keys setData/getData cycle over (created by prepareOperations). Default min(count, 1000). */
  keys?: number;
  /** Stop early after this long, in ms (the run is bounded by count and by this). */
  maxDurationMs?: number;
  /** Called for every completed operation with its service time in ns. */
  onLatency?: (nanoseconds: number, ok: boolean) => void;
}

export interface RunOperationsResult {
  operation: HotPathOperation;
  target: string;
  completed: number;
  failed: number;
  elapsedMs: number;
  opsPerSecond: number;
  /**
   * CPU time (user + system) this process spent per completed operation, in µs: the client's
   * cost, less sensitive than throughput to a shared machine (the server runs elsewhere).
   */
  cpuMicrosPerOp: number;
  firstError?: Error;
}

export function keysFor(options: Pick<RunOperationsOptions, 'count' | 'keys'>): number {
  return options.keys ?? Math.max(1, Math.min(options.count, 1000));
}

const keyPath = (root: string, i: number) => `${root}/k-${i}`;
const createPath = (root: string, i: number) => `${root}/c-${i}`;

/** Creates the run's root and, for setData/getData, the keys they address. */
export async function prepareOperations(options: Pick<RunOperationsOptions, 'target' | 'operation' | 'root' | 'count' | 'keys' | 'valueSize'>): Promise<void> {
  const { target, root } = options;
  await target.create(root, Buffer.alloc(0));
  if (options.operation === 'create') return;
  const value = Buffer.alloc(options.valueSize ?? 100, 0x61);
  await Promise.all(Array.from({ length: keysFor(options) }, (_, i) => target.create(keyPath(root, i), value)));
}

/**
 * Runs `count` operations with `concurrency` outstanding (a closed loop: each completion
 * starts the next), recording each one's service time through `onLatency`. This is a
 * throughput/latency driver for benches, not a correctness check: failures are counted.
 */
export async function runOperations(options: RunOperationsOptions): Promise<RunOperationsResult> {
  const { target, operation, count, root } = options;
  const value = Buffer.alloc(options.valueSize ?? 100, 0x62);
  const keys = keysFor(options);
  const deadline = options.maxDurationMs === undefined ? Infinity : performance.now() + options.maxDurationMs;
  const issue =
    operation === 'create'
      ? (i: number) => target.create(createPath(root, i), value)
      : operation === 'setData'
        ? (i: number) => target.setData(keyPath(root, i % keys), value)
        : (i: number) => target.getData(keyPath(root, i % keys));
  let next = 0;
  let completed = 0;
  let failed = 0;
  let firstError: Error | undefined;
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const worker = async () => {
    while (next < count && performance.now() < deadline) {
      const i = next++;
      const t0 = performance.now();
      let ok = true;
      try {
        await issue(i);
      } catch (e) {
        ok = false;
        failed++;
        firstError ??= e as Error;
      }
      completed++;
      options.onLatency?.(Math.round((performance.now() - t0) * 1e6), ok);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, count)) }, worker));
  const elapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    operation,
    target: target.name,
    completed,
    failed,
    elapsedMs,
    opsPerSecond: (completed - failed) / (elapsedMs / 1000),
    cpuMicrosPerOp: (cpu.user + cpu.system) / Math.max(1, completed),
    ...(firstError ? { firstError } : {}),
  };
}

/** Deletes everything the run created under its root, then the root. */
export async function cleanupOperations(target: OperationTarget, root: string): Promise<void> {
  const children = await target.getChildren(root).catch(() => [] as string[]);
  await Promise.all(children.map((c) => target.delete(`${root}/${c}`)));
  await target.delete(root).catch(() => undefined);
}
